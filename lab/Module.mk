# lab/: the whole Active/Active stack in one TCG VM (issue 3).
#
#   make lab-vm      build (or reuse) the VM: kernel, modules, initramfs
#   make lab-shell   boot the lab, everything up, a shell on the console
#   make lab-e2e     the end-to-end tests (TAP), one boot
#   lab/run NAME     run lab/scenarios/NAME.sh in a booted lab
LAB_IO := $(BUILD)/lab/pwlab-io

# The block content is bench/io_block.c, shared with `pathwarden bench`.
$(LAB_IO): $(BUILD)/lab/tools/pwlab-io.o $(BUILD)/bench/io_block.o
	$(CC) $(LDFLAGS) -o $@ $^
$(BUILD)/lab/tools/pwlab-io.o: CPPFLAGS += -Ibench

lab-tools: $(LAB_IO)

# What the guest needs of the project, through the project's own install
# rules, into a stage the guest copies into its overlay.  Only these
# targets, so that a broken install rule elsewhere (a missing man page)
# does not take the lab down with it.
LAB_INSTALL := install-lib install-checker install-prio install-mpconf
lab-stage: all
	@test -n "$(LAB_STAGE)" || { echo "lab-stage: set LAB_STAGE" >&2; exit 1; }
	@$(MAKE) --no-print-directory DESTDIR=$(LAB_STAGE) \
		$(filter $(LAB_INSTALL),$(INSTALL_TARGETS))

lab-vm:
	@lab/build-vm.sh

lab-shell: all $(LAB_IO)
	@lab/boot.sh --interactive --timeout 7200 \
		--results $(BUILD)/lab/results/shell lab/guest/shell.sh

# One boot; prints TAP, its own timing, and the idle command counts.
# Passed twice in a row here (7-9 min wall on the 2 cores) before it joined
# LAB_TESTS.
lab-e2e: all $(LAB_IO)
	@scripts/run-test.sh $(RES) lab-e2e lab/run e2e --timeout 840
LAB_TESTS += lab-e2e

.PHONY: lab-tools lab-stage lab-vm lab-shell lab-e2e
