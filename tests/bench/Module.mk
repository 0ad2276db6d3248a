# tests/bench/: the benchmark runner's tests.  They link the host layer,
# never the monitor.
BENCHT_DIR := $(BUILD)/tests/bench
BENCHT_TMP := $(CURDIR)/$(BENCHT_DIR)/tmp
# The fixture host is the monitor tests' "good" one (tests/monitor/Module.mk).
BENCHT_FX  := $(BUILD)/tests/monitor/fx
BENCHT_HOST := $(BENCHT_FX)/good

$(BENCHT_DIR)/test_metrics: $(BENCHT_DIR)/test_metrics.o $(BENCH_CORE_OBJS) \
		$(BUILD)/host/io_block.o \
		$(BENCH_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka -ljson-c -lm
tests-build: $(BENCHT_DIR)/test_metrics

run-bench-metrics: $(BENCHT_DIR)/test_metrics
	@scripts/run-test.sh $(RES) bench-metrics $(TEST_WRAPPER) $<
UNIT_TESTS += run-bench-metrics
.PHONY: run-bench-metrics

$(BENCHT_DIR)/test_bench_conf: $(BENCHT_DIR)/test_bench_conf.o \
		$(BUILD)/bench/bench_conf.o $(BENCH_CORE_OBJS) $(BENCH_OBJS) \
		$(HOST_LIB) $(LIBPW_A)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka $(HOST_LIBS) $(LIBPW_LIBS) -lm
$(BENCHT_DIR)/test_bench_conf.o: CPPFLAGS += -DBENCH_TMP=\"$(BENCHT_TMP)\"
tests-build: $(BENCHT_DIR)/test_bench_conf

run-bench-conf: $(BENCHT_DIR)/test_bench_conf
	@mkdir -p $(BENCHT_TMP)
	@scripts/run-test.sh $(RES) bench-conf $(TEST_WRAPPER) $<
UNIT_TESTS += run-bench-conf
.PHONY: run-bench-conf

# The observer's devt -> node mapping and group naming.
$(BENCHT_DIR)/test_observer: $(BENCHT_DIR)/test_observer.o \
		$(BUILD)/bench/observer.o $(BUILD)/bench/samples.o $(HOST_LIB) \
		$(LIBPW_A)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka $(HOST_LIBS) $(LIBPW_LIBS)
$(BENCHT_DIR)/test_observer.o: CPPFLAGS += \
	-DMON_FX_DIR=\"$(CURDIR)/$(BENCHT_FX)\"
tests-build: $(BENCHT_DIR)/test_observer

run-bench-observer: $(BENCHT_DIR)/test_observer $(BENCHT_HOST).done
	@scripts/run-test.sh $(RES) bench-observer $(TEST_WRAPPER) $<
UNIT_TESTS += run-bench-observer
.PHONY: run-bench-observer

# `pathwarden bench` end to end on a fixture host, the map a file in the
# build tree.  A host test: O_DIRECT on that file needs a file system that
# has it (ext4 here; a package build's tmpfs would not).
run-bench-e2e: $(PATHWARDEN) $(BENCHREPORT) $(LAB_IO) $(BENCHT_HOST).done
	@scripts/run-test.sh $(RES) bench-e2e sh tests/bench/e2e.sh \
		$(PATHWARDEN) $(BENCHREPORT) $(LAB_IO) $(BENCHT_HOST) \
		$(CURDIR)/$(BENCHT_DIR)/e2e
HOST_TESTS += run-bench-e2e
.PHONY: run-bench-e2e
