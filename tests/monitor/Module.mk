# tests/monitor/: unit tests of the monitor on generated fixture hosts.
# Included by the top Makefile after monitor/Module.mk (sorted order).
MONT_DIR  := $(BUILD)/tests/monitor
MONT_FX   := $(MONT_DIR)/fx
MONT_CPPFLAGS := -Imonitor -Ihost $(TEST_CPPFLAGS) -DMON_FX_DIR=\"$(CURDIR)/$(MONT_FX)\" \
                 -DMON_SRC_DIR=\"$(CURDIR)/tests/monitor\" \
                 -DPATHWARDEN_BIN=\"$(CURDIR)/$(PATHWARDEN)\"

# Fixture hosts: NAME:generator options (',' stands for a space).
MONT_SCENARIOS := good: misrouted:--ao,hpms02,--mp-ao,hpms01 \
  misrouted2:--ao,hpms02,--mp-ao,hpms01,--luns,2 \
  merged:--ao,hpms02,--mp-none \
  stock:--stock-detect multibus:--multibus bothao:--both-ao \
  fbmanual:--failback-manual missing:--drop-session,4 \
  sessfail:--session-failed,1 nodedown:--node-down,hpms01 \
  nodedown-ano:--node-down,hpms01,--ao,hpms02,--mp-ao,hpms01 \
  nomaps:--no-maps disagree:--disagree \
  slow:--slow noplugins:--no-plugins wrongchk:--wrong-checker \
  drift:--iscsid-defaults,2 pve:--pve big:--luns,256 \
  standby:--not-serving,hpms01,--ao,hpms02 \
  unavail:--not-serving,hpms01,--down-state,unavailable,--ao,hpms02
comma := ,
MONT_FX_STAMPS := $(foreach s,$(MONT_SCENARIOS),$(MONT_FX)/$(firstword $(subst :, ,$(s))).done)

define mont_fx_rule
$(MONT_FX)/$(firstword $(subst :, ,$(1))).done: tests/monitor/gen_fixture.py
	@rm -rf $(MONT_FX)/$(firstword $(subst :, ,$(1)))
	@mkdir -p $(MONT_FX)
	@python3 tests/monitor/gen_fixture.py $(MONT_FX)/$(firstword $(subst :, ,$(1))) $(subst $(comma), ,$(word 2,$(subst :, ,$(1))))
	@touch $$@
endef
$(foreach s,$(MONT_SCENARIOS),$(eval $(call mont_fx_rule,$(s))))

MONT_BINS := $(patsubst tests/monitor/%.c,$(MONT_DIR)/%,\
               $(sort $(wildcard tests/monitor/test_*.c)))

$(MONT_DIR)/%.o: tests/monitor/%.c | $(SETUP)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(MONT_CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(MONT_DIR)/test_%: $(MONT_DIR)/test_%.o $(MON_LIB) $(HOST_LIB) $(LIBPW_A)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka $(MON_LIBS) $(LIBPW_LIBS)

monitor-tests-build: $(MONT_BINS) $(MONT_FX_STAMPS)
all: monitor-tests-build
.PHONY: monitor-tests-build

MONT_RUNS := $(patsubst $(MONT_DIR)/%,run-monitor-%,$(MONT_BINS))
$(MONT_RUNS): run-monitor-%: $(MONT_DIR)/% $(MONT_FX_STAMPS) $(PATHWARDEN)
	@scripts/run-test.sh $(RES) monitor-$* $(TEST_WRAPPER) $<
UNIT_TESTS += $(MONT_RUNS)
.PHONY: $(MONT_RUNS)

# The CLI end to end on the fixture hosts (TAP from a shell script).
# The 1024-path status time bound: a regression guard, loose under the
# sanitizers (ASan makes it ~15x slower).
ifeq ($(SANITIZE),1)
MONT_STATUS_MAX_MS := 60000
else
MONT_STATUS_MAX_MS := 5000
endif
run-monitor-cli: $(PATHWARDEN) $(MONT_FX_STAMPS)
	@scripts/run-test.sh $(RES) monitor-cli sh tests/monitor/cli.sh \
		$(PATHWARDEN) $(MONT_FX) $(MONT_STATUS_MAX_MS)
UNIT_TESTS += run-monitor-cli
.PHONY: run-monitor-cli

# The daemon on fixture hosts, metrics scraped and checked by promtool.
# It runs pathwarden as built for tests: the same program with the tests'
# dm behind its captured multipathd (capture_dm.c), so a switchgroup it
# sends shows in the dm status it reads next.
MONT_PW_DM := $(MONT_DIR)/pathwarden-dm
$(MONT_PW_DM): $(BUILD)/monitor/main.o $(MONT_DIR)/capture_dm.o $(MON_LIB) \
		$(BENCH_LIB) $(HOST_LIB) $(LIBPW_A)
	$(CC) $(LDFLAGS) -o $@ $^ $(MON_LIBS) $(LIBPW_LIBS) -lm
monitor-tests-build: $(MONT_PW_DM)

run-monitor-daemon: $(MONT_PW_DM) $(MONT_FX_STAMPS)
	@scripts/run-test.sh $(RES) monitor-daemon sh tests/monitor/daemon.sh \
		$(MONT_PW_DM) $(MONT_FX)
UNIT_TESTS += run-monitor-daemon
.PHONY: run-monitor-daemon

# The same daemon as systemd runs it (Type=notify, the watchdog, journal
# entries), against a fake notify socket and journald in a mount
# namespace of the test's own.
run-monitor-systemd: $(MONT_PW_DM) $(MONT_FX_STAMPS)
	@scripts/run-test.sh $(RES) monitor-systemd sh \
		tests/monitor/daemon-systemd.sh $(MONT_PW_DM) $(MONT_FX)
UNIT_TESTS += run-monitor-systemd
.PHONY: run-monitor-systemd

# Footprint: idle CPU and RSS of the daemon, status time over 1024 paths.
bench-monitor: $(PATHWARDEN) $(MONT_FX_STAMPS)
	@sh tests/monitor/bench.sh $(PATHWARDEN) $(MONT_FX)
BENCHES += bench-monitor
.PHONY: bench-monitor

# libFuzzer over the monitor's text parsers (ASan + UBSan); a bounded pass
# with the host tests, `make fuzz-monitor` for longer.
MONFUZZ_BIN  := build-fuzz/fuzz_monitor
MONFUZZ_SRCS := tests/monitor/fuzz_monitor.c tests/monitor/capture_dm.c \
	$(HOST_SRCS)
MONFUZZ_RUNS ?= 50000
$(MONFUZZ_BIN): $(MONFUZZ_SRCS) $(wildcard host/*.h) | $(SETUP)
	@mkdir -p build-fuzz
	clang -std=gnu11 -g -O1 -Iinclude -Ihost -Impt -D_GNU_SOURCE \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-Wall -Wextra -Werror -o $@ $(MONFUZZ_SRCS) \
		-ljson-c -ldevmapper $(MPATHCMD_LIBS) $(OPENISCSIUSR_LIBS) -lpthread

build-fuzz/monitor-seeds/.done: tests/monitor/make-seeds.sh $(MONT_FX_STAMPS)
	@rm -rf build-fuzz/monitor-seeds
	@sh tests/monitor/make-seeds.sh tests/monitor $(MONT_FX) \
		build-fuzz/monitor-seeds
	@touch $@

run-monitor-fuzz: $(MONFUZZ_BIN) build-fuzz/monitor-seeds/.done
	@rm -rf build-fuzz/monitor-work && mkdir -p build-fuzz/monitor-work
	@scripts/run-test.sh $(RES) monitor-fuzz tests/fuzz/run-fuzz.sh \
		$(MONFUZZ_BIN) build-fuzz/monitor-work -runs=$(MONFUZZ_RUNS) \
		-max_len=65536 build-fuzz/monitor-seeds \
		tests/monitor/fuzz-regressions
ifeq ($(TEST_WRAPPER),)
HOST_TESTS += run-monitor-fuzz
endif

fuzz-monitor: $(MONFUZZ_BIN) build-fuzz/monitor-seeds/.done
	$(MONFUZZ_BIN) -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
		build-fuzz/monitor-seeds tests/monitor/fuzz-regressions
.PHONY: run-monitor-fuzz fuzz-monitor

# The live libmpathcmd client against a fake multipathd socket, in a
# network namespace of its own (root: unshare -n).
run-monitor-live: $(PATHWARDEN) $(MONT_FX_STAMPS)
	@scripts/run-test.sh $(RES) monitor-live sh tests/monitor/live.sh \
		$(PATHWARDEN) $(MONT_FX)
HOST_TESTS += run-monitor-live
.PHONY: run-monitor-live
