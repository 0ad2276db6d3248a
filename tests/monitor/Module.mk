# tests/monitor/: unit tests of the monitor on generated fixture hosts.
# Included from monitor/Module.mk.
MONT_DIR  := $(BUILD)/tests/monitor
MONT_FX   := $(MONT_DIR)/fx
MONT_CPPFLAGS := -Imonitor -DMON_FX_DIR=\"$(CURDIR)/$(MONT_FX)\" \
                 -DMON_SRC_DIR=\"$(CURDIR)/tests/monitor\" \
                 -DPATHWARDEN_BIN=\"$(CURDIR)/$(PATHWARDEN)\"

# Fixture hosts: NAME:generator options (',' stands for a space).
MONT_SCENARIOS := good: misrouted:--ao,hpms02,--mp-ao,hpms01 \
  stock:--stock-detect multibus:--multibus bothao:--both-ao \
  fbmanual:--failback-manual missing:--drop-session,4 \
  sessfail:--session-failed,1 nomaps:--no-maps disagree:--disagree \
  slow:--slow noplugins:--no-plugins wrongchk:--wrong-checker \
  big:--luns,256
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

$(MONT_DIR)/test_%: $(MONT_DIR)/test_%.o $(MON_LIB) $(LIBPW_A)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka $(MON_LIBS) $(LIBPW_LIBS)

monitor-tests-build: $(MONT_BINS) $(MONT_FX_STAMPS)
all: monitor-tests-build
.PHONY: monitor-tests-build

MONT_RUNS := $(patsubst $(MONT_DIR)/%,run-monitor-%,$(MONT_BINS))
$(MONT_RUNS): run-monitor-%: $(MONT_DIR)/% $(MONT_FX_STAMPS) $(PATHWARDEN)
	@scripts/run-test.sh $(RES) monitor-$* $<
UNIT_TESTS += $(MONT_RUNS)
.PHONY: $(MONT_RUNS)

# The CLI end to end on the fixture hosts (TAP from a shell script).
run-monitor-cli: $(PATHWARDEN) $(MONT_FX_STAMPS)
	@scripts/run-test.sh $(RES) monitor-cli sh tests/monitor/cli.sh \
		$(PATHWARDEN) $(MONT_FX)
UNIT_TESTS += run-monitor-cli
.PHONY: run-monitor-cli
