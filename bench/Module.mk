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
# parts that touch the kernel, so the unit tests link only the former
# (tests/bench/Module.mk).
BENCH_CORE_SRCS := bench/io_block.c bench/samples.c bench/metrics.c \
	bench/timeline.c
BENCH_CORE_OBJS := $(BENCH_CORE_SRCS:%.c=$(BUILD)/%.o)
BENCH_RUN_SRCS := $(BENCH_CORE_SRCS) $(BENCH_SRCS) bench/bench_conf.c \
	bench/load.c bench/observer.c bench/hooks.c bench/runner.c \
	bench/cli_bench.c
BENCH_RUN_OBJS := $(BENCH_RUN_SRCS:%.c=$(BUILD)/%.o)
# The runner reads pathwarden.conf, sysfs and dm status through the
# monitor's own modules.
$(BUILD)/bench/%.o: CPPFLAGS += -Imonitor

$(BUILD)/tests/bench/test_report: $(BUILD)/tests/bench/test_report.o $(BENCH_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka -ljson-c -lm
$(BUILD)/tests/bench/%.o: CPPFLAGS += -Ibench -Imonitor \
	-DBENCH_FIXTURES=\"$(CURDIR)/tests/bench\"
tests-build: $(BUILD)/tests/bench/test_report

run-bench-report: $(BUILD)/tests/bench/test_report $(BENCHREPORT)
	@scripts/run-test.sh $(RES) bench-report $(TEST_WRAPPER) $<
UNIT_TESTS += run-bench-report
.PHONY: run-bench-report
