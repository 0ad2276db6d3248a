# bench/: the failover benchmark's report (tables, Markdown, SVG).
BENCH_SRCS := bench/records.c bench/report.c bench/svg.c
BENCH_OBJS := $(BENCH_SRCS:%.c=$(BUILD)/%.o)
BENCHREPORT := $(BUILD)/bench/pw-benchreport
all: $(BENCHREPORT)

$(BENCHREPORT): $(BUILD)/bench/benchreport.o $(BENCH_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ -ljson-c -lm

$(BUILD)/tests/bench/test_report: $(BUILD)/tests/bench/test_report.o $(BENCH_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka -ljson-c -lm
$(BUILD)/tests/bench/test_report.o: CPPFLAGS += -Ibench \
	-DBENCH_FIXTURES=\"$(CURDIR)/tests/bench\"
tests-build: $(BUILD)/tests/bench/test_report

run-bench-report: $(BUILD)/tests/bench/test_report $(BENCHREPORT)
	@scripts/run-test.sh $(RES) bench-report $(TEST_WRAPPER) $<
UNIT_TESTS += run-bench-report
.PHONY: run-bench-report
