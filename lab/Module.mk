# lab/: the whole Active/Active stack in one TCG VM (issue 3).
#
#   make lab-vm      build (or reuse) the VM: kernel, modules, initramfs
#   make lab-shell   boot the lab, everything up, a shell on the console
#   make lab-e2e     the end-to-end tests (TAP), one boot
#   lab/run NAME     run the suite lab/scenarios/NAME.sh in a booted lab
#                    (the tests it sources live in tests/<area>/lab-*.sh)
LAB_IO := $(BUILD)/lab/pwlab-io

# The block content is host/io_block.c, shared with `pathwarden bench`.
$(LAB_IO): $(BUILD)/lab/tools/pwlab-io.o $(BUILD)/host/io_block.o
	$(CC) $(LDFLAGS) -o $@ $^
$(BUILD)/lab/tools/pwlab-io.o: CPPFLAGS += -Ihost

# The hostile target's TCMU handler (lab/guest/hostile.sh).
LAB_TCMU := $(BUILD)/lab/pwlab-tcmu
$(LAB_TCMU): $(BUILD)/lab/tools/pwlab-tcmu.o
	$(CC) $(LDFLAGS) -o $@ $^

lab-tools: $(LAB_IO) $(LAB_TCMU)

# What the guest gets of the project: the Debian packages, built from the
# tracked tree without their own test run (the package test of the same
# 'make check' built the same ones: --reuse keeps them), for the guest to
# install with dpkg, so the lab tests what a host installs.
LAB_DEB_DIR := /var/cache/pathwarden-lab
lab-stage: all
	@test -n "$(LAB_STAGE)" || { echo "lab-stage: set LAB_STAGE" >&2; exit 1; }
	@DEB_BUILD_OPTIONS=nocheck DEB_BUILD_PROFILES=nocheck \
		scripts/build-deb.sh --reuse $(DEB_OUT)
	@mkdir -p $(LAB_STAGE)$(LAB_DEB_DIR)
	@for d in $(DEB_OUT)/*.deb; do case $$d in *-dbgsym_*) ;; \
		*) cp "$$d" $(LAB_STAGE)$(LAB_DEB_DIR)/ ;; esac; done

lab-vm:
	@lab/build-vm.sh

lab-shell: all lab-tools
	@lab/boot.sh --interactive --timeout 7200 \
		--results $(BUILD)/lab/results/shell lab/guest/shell.sh

# Every lab command boots LAB_SUITE (its default, trixie, is lab/lib.sh's):
# that suite's kernel, its userland, systemd as PID 1 and the packages
# built for it (a platform tier leaves them in build/lab/debs-SUITE;
# otherwise lab/suite-debs.sh builds them, about 4 minutes).  bookworm and
# forky on demand (`make lab-e2e LAB_SUITE=forky`); LAB_SUITE=host boots
# the host's own root and kernel.

# One boot; prints TAP, its own timing, and the idle command counts.
lab-e2e: all lab-tools
	@scripts/run-test.sh $(RES) lab-e2e lab/run e2e --timeout 840
LAB_TESTS += lab-e2e

# The plugins' short smoke (topology and plugins, a switchover and a link
# loss under load) on LAB_SUITE, about 2 minutes once the suite's root
# and packages are built: `make lab-plugin-smoke LAB_SUITE=forky`.
lab-plugin-smoke: all lab-tools
	@scripts/run-test.sh $(RES) lab-plugin-smoke lab/run plugin-smoke --timeout 600

# The target agent (LIO, ocf-tester) and the initiator monitor (discovery,
# login, status, doctor, the daemon's switchover and node-restored times),
# one boot.
lab-integration: all lab-tools
	@scripts/run-test.sh $(RES) lab-integration lab/run integration --timeout 2100
LAB_TESTS += lab-integration

# Every ALUA state under load, stock and pathwarden in one boot, then a
# node down at the host's start coming back (issues alua-states,
# node-return).  About 20 minutes here.
lab-states: all lab-tools
	@scripts/run-test.sh $(RES) lab-states lab/run alua-states --timeout 2400
LAB_TESTS += lab-states

# make check's smoke on the other two suites: Debian 12 (still supported)
# and forky (where the plugin ABI moves next), each its own boot.
# Bookworm's packages come from its platform tier; forky's, 1.5 to 3
# minutes of one core (CI runs of 2026-12-05), are built while the trixie
# tiers run, at the lowest CPU priority (the VM keeps its core):
# lab-debs-ahead starts lab/suite-debs.sh in the background, and
# lab-smoke-forky's own call waits on its lock and finds them built.
# platform-deps first (in the foreground): a forky bare root not yet
# cached needs mmdebstrap, also when check-lab runs alone.
lab-debs-ahead: platform-deps
	@mkdir -p $(BUILD)/lab/logs
	@nohup nice -n 19 lab/suite-debs.sh forky $(BUILD)/lab/debs-forky \
		> $(BUILD)/lab/logs/debs-ahead-forky.log 2>&1 < /dev/null &
.PHONY: lab-debs-ahead
LAB_SMOKE_SUITES := bookworm forky
$(LAB_SMOKE_SUITES:%=lab-smoke-%): lab-smoke-%: all lab-tools
	@LAB_SUITE=$* scripts/run-test.sh $(RES) lab-smoke-$* lab/run plugin-smoke \
		--results $(BUILD)/lab/results/plugin-smoke-$* --timeout 900
LAB_TESTS += $(LAB_SMOKE_SUITES:%=lab-smoke-%)

# The cluster lab (LAB_TOPOLOGY=cluster: three VMs, DRBD, Corosync,
# Pacemaker, real fencing; lab/boot-cluster.sh): its smoke, about 24 minutes
# here.  Not in 'make check', which it would take past an hour on 2 cores.
lab-cluster-smoke: all lab-tools
	@LAB_TOPOLOGY=cluster scripts/run-test.sh $(RES) lab-cluster-smoke \
		lab/run smoke --timeout 2400
check-cluster: all
	$(call run_tests,lab-cluster-smoke)

# The cluster lab's fence-peer wrapper, without a cluster (made-up
# cibadmin, handler and cluster tools): in the unit tier.
run-lab-fence-compat:
	@scripts/run-test.sh $(RES) lab-fence-compat tests/agent/fence-peer-compat.sh \
		lab/cluster/crm-fence-peer-compat
UNIT_TESTS += run-lab-fence-compat

.PHONY: lab-tools lab-stage lab-vm lab-shell lab-e2e lab-plugin-smoke lab-integration lab-states \
	$(LAB_SMOKE_SUITES:%=lab-smoke-%) lab-cluster-smoke check-cluster run-lab-fence-compat
