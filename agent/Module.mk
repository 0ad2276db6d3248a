# agent/: pathwarden-agent (target side) and the OCF resource agent
# ocf:pathwarden:alua.  Everything but main.c goes into a static archive so
# the unit tests link the same objects the program does.
AGENT_SRCS   := $(filter-out agent/main.c,$(sort $(wildcard agent/*.c)))
AGENT_OBJS   := $(AGENT_SRCS:%.c=$(BUILD)/%.o)
AGENT_A      := $(BUILD)/agent/libagent.a
AGENT_BIN    := $(BUILD)/agent/pathwarden-agent
AGENT_LIBS   := -ljson-c
# lib/Module.mk is read after this file: name the core archive directly,
# since $(LIBPW_A) would still be empty in a prerequisite list here.
AGENT_LIBPW  := $(BUILD)/lib/libpathwarden.a
OCFDIR       ?= /usr/lib/ocf/resource.d/pathwarden

all: $(AGENT_BIN)

$(BUILD)/agent/%.o: CPPFLAGS += -Iagent

$(AGENT_A): $(AGENT_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(AGENT_BIN): $(BUILD)/agent/main.o $(AGENT_A) $(AGENT_LIBPW)
	$(CC) $(LDFLAGS) -o $@ $^ $(AGENT_LIBS) $(LIBPW_LIBS)

# Unit tests (cmocka): the planner and both backends on made-up trees.
# The rollback test replaces attr_write() through the linker (--wrap) so a
# write can fail at a chosen step; no test hook lives in the program.
AGENT_TEST_BINS := $(BUILD)/tests/agent/test_backends \
                   $(BUILD)/tests/agent/test_change_plan

$(BUILD)/tests/agent/%.o: tests/agent/%.c | $(SETUP)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Iagent $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/agent/test_backends: $(BUILD)/tests/agent/test_backends.o \
		$(BUILD)/tests/agent/fake_tree.o $(AGENT_A) $(AGENT_LIBPW)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka $(AGENT_LIBS) $(LIBPW_LIBS)

$(BUILD)/tests/agent/test_change_plan: $(BUILD)/tests/agent/test_change_plan.o \
		$(BUILD)/tests/agent/fake_tree.o $(AGENT_A) $(AGENT_LIBPW)
	$(CC) $(LDFLAGS) -Wl,--wrap=attr_write -o $@ $^ -lcmocka \
		$(AGENT_LIBS) $(LIBPW_LIBS)

all: $(AGENT_TEST_BINS)

# A static pattern rule: make skips implicit-rule search for phony targets.
AGENT_UNIT_RUNS := run-agent-unit-backends run-agent-unit-change_plan
$(AGENT_UNIT_RUNS): run-agent-unit-%: $(BUILD)/tests/agent/test_%
	@scripts/run-test.sh $(RES) agent-$* $(TEST_WRAPPER) $<

# CLI and OCF tests (TAP from shell) against made-up sysfs/configfs trees.
run-agent-cli: $(AGENT_BIN)
	@AGENT_WRAPPER="$(TEST_WRAPPER)" scripts/run-test.sh $(RES) agent-cli tests/agent/cli.sh $(AGENT_BIN)
run-agent-ocf: $(AGENT_BIN)
	@scripts/run-test.sh $(RES) agent-ocf tests/agent/ocf.sh $(AGENT_BIN) \
		agent/ocf/alua

UNIT_TESTS += $(AGENT_UNIT_RUNS) run-agent-cli run-agent-ocf
.PHONY: $(AGENT_UNIT_RUNS) run-agent-cli run-agent-ocf

install-agent: $(AGENT_BIN)
	install -D -m 0755 $(AGENT_BIN) $(DESTDIR)$(SBINDIR)/pathwarden-agent
	install -D -m 0755 agent/ocf/alua $(DESTDIR)$(OCFDIR)/alua
	install -D -m 0644 etc/bash-completion/pathwarden-agent \
		$(DESTDIR)$(BASHCOMPDIR)/pathwarden-agent
INSTALL_TARGETS += install-agent
.PHONY: install-agent
