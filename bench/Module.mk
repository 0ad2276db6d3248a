# bench/: the failover benchmark: its report (tables, Markdown, SVG,
# pw-benchreport) and its runner (`pathwarden bench`, linked into the
# pathwarden program by monitor/Module.mk).
BENCH_SRCS := bench/records.c bench/report.c bench/svg.c
BENCH_OBJS := $(BENCH_SRCS:%.c=$(BUILD)/%.o)
BENCHREPORT := $(BUILD)/bench/pw-benchreport
all: $(BENCHREPORT)

$(BENCHREPORT): $(BUILD)/bench/benchreport.o $(BENCH_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ -ljson-c -lm

# The runner's pure parts (metrics, timeline, samples) are apart from the
# parts that touch the kernel, so the unit tests link only the former.
BENCH_CORE_SRCS := bench/io_block.c bench/samples.c bench/metrics.c \
	bench/timeline.c
BENCH_CORE_OBJS := $(BENCH_CORE_SRCS:%.c=$(BUILD)/%.o)
# The runner reads pathwarden.conf, sysfs and dm status through the
# monitor's own modules.
$(BUILD)/bench/%.o: CPPFLAGS += -Imonitor

$(BUILD)/tests/bench/test_report: $(BUILD)/tests/bench/test_report.o $(BENCH_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka -ljson-c -lm
$(BUILD)/tests/bench/test_metrics: $(BUILD)/tests/bench/test_metrics.o \
		$(BENCH_CORE_OBJS) $(BENCH_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka -ljson-c -lm
$(BUILD)/tests/bench/%.o: CPPFLAGS += -Ibench -Imonitor \
	-DBENCH_FIXTURES=\"$(CURDIR)/tests/bench\"
tests-build: $(BUILD)/tests/bench/test_report $(BUILD)/tests/bench/test_metrics

run-bench-report: $(BUILD)/tests/bench/test_report $(BENCHREPORT)
	@scripts/run-test.sh $(RES) bench-report $(TEST_WRAPPER) $<
run-bench-metrics: $(BUILD)/tests/bench/test_metrics
	@scripts/run-test.sh $(RES) bench-metrics $(TEST_WRAPPER) $<
UNIT_TESTS += run-bench-report run-bench-metrics
.PHONY: run-bench-report run-bench-metrics
