# tests/: unit tier (cmocka on fixtures, no device, runs as any user).
TEST_CPPFLAGS := -DFIXTURE_DIR=\"$(CURDIR)/tests/fixtures\"
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,\
               $(sort $(wildcard tests/unit/test_*.c)))

$(BUILD)/tests/unit/%.o: tests/unit/%.c | $(SETUP)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(TEST_CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/unit/test_%: $(BUILD)/tests/unit/test_%.o $(LIBPW_A)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka $(LIBPW_LIBS)

tests-build: $(UNIT_BINS)
all: tests-build
.PHONY: tests-build

UNIT_TEST_RUNS := $(patsubst $(BUILD)/tests/unit/%,run-unit-%,$(UNIT_BINS))
$(UNIT_TEST_RUNS): run-unit-%: $(BUILD)/tests/unit/%
	@scripts/run-test.sh $(RES) unit-$* $(TEST_WRAPPER) $<
UNIT_TESTS += $(UNIT_TEST_RUNS)
.PHONY: $(UNIT_TEST_RUNS)
