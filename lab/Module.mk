# lab/: the whole Active/Active stack in one TCG VM (issue 3).
#
#   make lab-vm      build (or reuse) the VM: kernel, modules, initramfs
#   make lab-shell   boot the lab, everything up, a shell on the console
#   make lab-e2e     the end-to-end tests (TAP), one boot
#   lab/run NAME     run lab/scenarios/NAME.sh in a booted lab
LAB_IO := $(BUILD)/lab/pwlab-io

$(LAB_IO): $(BUILD)/lab/tools/pwlab-io.o
	$(CC) $(LDFLAGS) -o $@ $^

lab-tools: $(LAB_IO)

lab-vm:
	@lab/build-vm.sh

lab-shell: all $(LAB_IO)
	@lab/boot.sh --interactive --timeout 7200 \
		--results $(BUILD)/lab/results/shell lab/guest/shell.sh

# One boot; prints TAP, its own timing, and the idle command counts.
lab-e2e: all $(LAB_IO)
	@scripts/run-test.sh $(RES) lab-e2e lab/run e2e --timeout 840

.PHONY: lab-tools lab-vm lab-shell lab-e2e
