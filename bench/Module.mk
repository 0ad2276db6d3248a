# bench/: the failover benchmark: its report (tables, Markdown, SVG,
# pw-benchreport) and its runner (libpwbench.a; the pathwarden CLI's
# `bench` command, monitor/cli_bench.c, is its one caller).
BENCH_SRCS := bench/bench_records.c bench/summary.c bench/svg.c
BENCH_OBJS := $(BENCH_SRCS:%.c=$(BUILD)/%.o)
BENCHREPORT := $(BUILD)/bench/pw-benchreport
all: $(BENCHREPORT)

$(BENCHREPORT): $(BUILD)/bench/benchreport.o $(BENCH_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ -ljson-c -lm

# The runner's pure parts (metrics, timeline, samples) are apart from the
# parts that touch the kernel, so the unit tests link only the former
# (tests/bench/Module.mk).
BENCH_CORE_SRCS := bench/samples.c bench/metrics.c bench/timeline.c
BENCH_CORE_OBJS := $(BENCH_CORE_SRCS:%.c=$(BUILD)/%.o)
BENCH_RUN_SRCS := $(BENCH_CORE_SRCS) $(BENCH_SRCS) bench/bench_conf.c \
	bench/load.c bench/observer.c bench/hooks.c bench/runner.c
BENCH_RUN_OBJS := $(BENCH_RUN_SRCS:%.c=$(BUILD)/%.o)
BENCH_LIB := $(BUILD)/bench/libpwbench.a
# The runner reads pathwarden.conf, sysfs, dm status and multipathd
# through the host layer, as the daemon does; it knows nothing of the
# daemon.
$(BUILD)/bench/%.o: CPPFLAGS += -Ihost

$(BENCH_LIB): $(BENCH_RUN_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/tests/bench/test_report: $(BUILD)/tests/bench/test_report.o $(BENCH_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka -ljson-c -lm
$(BUILD)/tests/bench/%.o: CPPFLAGS += -Ibench -Ihost \
	-DBENCH_FIXTURES=\"$(CURDIR)/tests/bench\"
tests-build: $(BUILD)/tests/bench/test_report

run-bench-report: $(BUILD)/tests/bench/test_report $(BENCHREPORT)
	@scripts/run-test.sh $(RES) bench-report $(TEST_WRAPPER) $<
UNIT_TESTS += run-bench-report
.PHONY: run-bench-report
