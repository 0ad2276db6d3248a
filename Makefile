# pathwarden: one Makefile for the whole tree.
#
#   make              build everything (installs build dependencies first)
#   make check        every test: unit tier, plugin harness, and the lab
#   make check-unit   the fast tier only (no VM)
#   make check-platforms  the set-up and check-unit in bare roots of
#                     bookworm, trixie and forky (tests/platforms/)
#   make install      DESTDIR-aware install
#   make bench-check  SCSI commands and instructions per check cycle vs stock
#
# Each directory adds its own rules in a Module.mk included below.

BUILD    ?= build
DESTDIR  ?=
PREFIX   ?= /usr
SBINDIR  ?= /usr/sbin
PWLIBDIR ?= /usr/lib/pathwarden
MANDIR   ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
CONFDIR  ?= /etc

CC       ?= cc
WARN     := -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes
CPPFLAGS += -Iinclude -D_GNU_SOURCE -D_FORTIFY_SOURCE=2
CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 $(WARN) -fPIC -MMD -MP
LDFLAGS  ?=

# Sanitizer and fuzz builds go to their own trees.
ifeq ($(SANITIZE),1)
BUILD    := build-san
CFLAGS   := $(filter-out -O2,$(CFLAGS)) -O1 -fsanitize=address,undefined \
            -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS  += -fsanitize=address,undefined
CPPFLAGS := $(filter-out -D_FORTIFY_SOURCE=2,$(CPPFLAGS))
endif

SETUP    := $(BUILD)/.setup-done
TEST_WRAPPER ?=
RES      := $(BUILD)/test-results

# Keep every intermediate file: deleting objects after the tests would
# both rebuild them next time and print after the closing summary line.
.SECONDARY:

.PHONY: all demo soak memory bench-scale check check-unit check-build check-lab install bench-check check-sanitize \
        valgrind fuzz clean setup
all:

# Dependencies, and the multipath-tools series of the installed version
# (scripts/setup-deps.sh).  Re-run whenever that version changes.
MPT_INSTALLED := $(shell dpkg-query -W -f '$${Version}' multipath-tools 2>/dev/null)
$(SETUP): scripts/setup-deps.sh scripts/install-packages.sh scripts/packages.txt
	@mkdir -p $(BUILD)
	@scripts/setup-deps.sh $(BUILD)
	@echo "$(MPT_INSTALLED)" > $@

ifneq ($(MAKECMDGOALS),clean)
ifneq ($(MPT_INSTALLED),$(shell cat $(SETUP) 2>/dev/null))
.PHONY: $(SETUP)
endif
endif
setup: $(SETUP)

# Every module appends to these.
UNIT_TESTS :=        # fast, no device, no privileges
HOST_TESTS :=        # fast, but need root (namespaces) or extra tools
LAB_TESTS  :=
PLATFORM_TESTS :=   # bare roots of each suite (tests/platforms/)
INSTALL_TARGETS :=
BENCHES    :=

$(BUILD)/%.o: %.c | $(SETUP)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# The plugin ABI of the installed multipath-tools' series, as mpt/ declares
# it, and its libraries by soname (Debian ships no development links).
# Set by the set-up, so read when a recipe runs, after it: a fresh machine
# installs multipath-tools in the same make run.
MPT_SERIES    = $(shell cat $(BUILD)/mpt/series 2>/dev/null)
MPT_CPPFLAGS  = -Impt -DMPT_SERIES=$(MPT_SERIES)
# The plugins carry libmultipath's symbol versions, so a plugin of another
# series fails dlopen() instead of memory; -z nodelete keeps one loaded
# while a 0.15 runner may still be in it.
MPT_LIBS      = -L/lib -L/usr/lib -l:libmultipath.so.0 -l:libmpathutil.so.0 \
                -Wl,-z,nodelete
MPATHCMD_LIBS = -L/lib -L/usr/lib -l:libmpathcmd.so.0
# Where that multipath-tools loads plugins from and keeps its units.
PLUGINDIR    ?= $(shell cat $(BUILD)/mpt/plugindir 2>/dev/null)
UNITDIR      ?= $(shell cat $(BUILD)/mpt/unitdir 2>/dev/null)

# The core and the host layer first: other modules name their outputs in
# their prerequisites.
include lib/Module.mk host/Module.mk
include $(filter-out lib/Module.mk host/Module.mk,\
	$(sort $(wildcard */Module.mk */*/Module.mk)))

# A test records pass/fail counts under $(RES); scripts/test-summary prints
# the closing "N passed, N failed" line and fails the run if anything failed.
# run-test.sh never fails a make target, so a non-zero make here means a
# test could not even be built or started: that is recorded as a failure,
# not left out of the count.
define run_tests
	@rm -rf $(RES) && mkdir -p $(RES)
	@$(MAKE) --no-print-directory -k $(1) || \
		{ echo "a test target did not run (build failure above)"; \
		  echo "0 1" > $(RES)/make-did-not-run.res; }
	@scripts/test-summary $(RES)
endef

check-unit: all
	$(call run_tests,$(UNIT_TESTS) $(HOST_TESTS))

# What a package build can run: unprivileged, no VM, no fuzzer.
check-build: all
	$(call run_tests,$(UNIT_TESTS))

# make check leaves lab-states' stock walk out (figures, not checks; about
# 7 minutes): `make lab-states` alone runs it; and flaps ALUA states for
# 120 s instead of 240 (`make lab-integration`; `make memory` for long).
check check-lab: export PW_LAB_STATES_STOCK = 0
check check-lab: export PW_LAB_FLAP_SECONDS = 120
check: all
	$(call run_tests,$(UNIT_TESTS) $(HOST_TESTS) $(SAN_TESTS) $(PLATFORM_TESTS) \
		lab-debs-ahead $(LAB_TESTS))

check-lab: all
	$(call run_tests,lab-debs-ahead $(LAB_TESTS))

check-sanitize:
	@$(MAKE) --no-print-directory SANITIZE=1 check-unit

# The unit tier and the plugin harness under memcheck: any error or
# definite leak fails the test.
VALGRIND_CMD := valgrind -q --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite --show-leak-kinds=definite
valgrind:
	@$(MAKE) --no-print-directory TEST_WRAPPER="$(VALGRIND_CMD)" check-unit

# In `make check` (CI): the unit tier and the plugin harness under both,
# each run one test whose log holds the sub-run's lines; their own build
# or results directory, so the main run's results stay.  make check runs
# the two at once (run-san-tiers): each runs one program at a time, so
# each has a core of the two, and together they take the time of the
# slower instead of the sum (254 s here, against 3.5 + 4 minutes).
SAN_RUN = scripts/run-test.sh --tier $(RES) check-sanitize \
	$(MAKE) --no-print-directory SANITIZE=1 check-build
VALGRIND_RUN = scripts/run-test.sh --tier $(RES) valgrind \
	$(MAKE) --no-print-directory RES=$(BUILD)/test-results-valgrind \
	TEST_WRAPPER="$(VALGRIND_CMD)" check-build
run-check-sanitize:
	@$(SAN_RUN)
run-valgrind: all
	@$(VALGRIND_RUN)
# (run-test.sh records a failure and exits 0: wait has nothing to lose)
run-san-tiers: all
	@$(SAN_RUN) & $(VALGRIND_RUN); wait
SAN_TESTS := run-san-tiers
.PHONY: run-check-sanitize run-valgrind run-san-tiers

install: all $(INSTALL_TARGETS)

bench-check: all $(BENCHES)

# The main job: the failover benchmark in the lab, stock against
# pathwarden, scenario by scenario (lab/scenarios/bench.sh), one boot.
# BENCH_REPS repetitions (5); BENCH_SCENARIOS a comma-separated subset.
# Tables on the terminal; records, timelines, SVGs and summary.md in
# $(BUILD)/lab/results/bench/bench.  LAB_TOPOLOGY=cluster: the same with
# the cluster lab's scenarios (lab/cluster/scenarios/bench.sh: Pacemaker's
# switchover, silent portals, the replication link, a crash with fencing),
# results under cluster-bench/ (docs/lab.md: RUN2 ran all eight pairs).
BENCH_REPS ?= 5
BENCH_SCENARIOS ?=
ifeq ($(LAB_TOPOLOGY),cluster)
DEMO_TIMEOUT := $(shell echo $$((1800 + $(BENCH_REPS) * 3600)))
DEMO_RESULTS := $(BUILD)/lab/results/cluster-bench/proxmox01/bench
else
# About 8 minutes a repetition of all eight scenarios, both configs, as
# estimated (the six of issue 20 took 225 s a repetition on 2026-12-07;
# stock's held transition alone waits 180 s; all eight were not timed):
# 3600 s at the default 5, 6000 s at the 10 issue 20 asks for.
DEMO_TIMEOUT := $(shell echo $$((1200 + $(BENCH_REPS) * 480)))
DEMO_RESULTS := $(BUILD)/lab/results/bench/bench
endif
demo: all
	@PW_BENCH_REPS=$(BENCH_REPS) PW_BENCH_SCENARIOS=$(BENCH_SCENARIOS) \
		lab/run bench --timeout $(DEMO_TIMEOUT); rc=$$?; \
	echo "benchmark results: $(DEMO_RESULTS) (summary.md, *.svg, records.jsonl)"; \
	exit $$rc

# Not in CI: 30 minutes under load with no fault but netem on every
# portal, CPU hogs and a slowed backstore (dm-delay, hence the dm
# backstore), early failover on; then 100 faults in a seeded random order
# (tests/reliability/lab-soak.sh); about an hour.
soak: all lab-tools
	@PW_LAB_BACKSTORE=dm lab/run soak --timeout 5400

# Not in CI: the flap test's load for half an hour, multipathd's and the
# daemon's memory sampled every minute and a slope fitted
# (tests/reliability/lab-memory.sh; PW_MEM_SECONDS, PW_MEM_SAMPLE_S).
memory: all lab-tools
	@lab/run memory --timeout 3000

# Not in CI ([scale]): the lab with LAB_LUNS LUNs (16 unless given; the
# issue's 64 on a machine that holds it), 4 paths each; a switchover and
# its way back with pathwarden and with stock, timed per map from the
# promotion, and the costs at that N (tests/bench/lab-scale.sh); records
# in $(BUILD)/lab/results/scale/records.jsonl.
bench-scale: all lab-tools
	@LAB_LUNS=$(or $(LAB_LUNS),16) lab/run scale --timeout 5400

clean:
	rm -rf build build-san

-include $(shell find $(BUILD) -type f -name '*.d' 2>/dev/null)
