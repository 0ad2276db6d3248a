# tests/fuzz/: libFuzzer over every device-data parser (ASan + UBSan).
# `make fuzz` runs it for FUZZ_SECONDS; check-unit runs a bounded pass.
FUZZ_DIR     := build-fuzz
FUZZ_BIN     := $(FUZZ_DIR)/fuzz_parsers
FUZZ_SECONDS ?= 300
FUZZ_RUNS    ?= 200000
FUZZ_CFLAGS  := -std=gnu11 -g -O1 -Iinclude -D_GNU_SOURCE \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-Wall -Wextra -Werror

$(FUZZ_BIN): tests/fuzz/fuzz_parsers.c $(LIB_SRCS) $(wildcard include/pathwarden/*.h) | $(SETUP)
	@mkdir -p $(FUZZ_DIR)
	clang $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_parsers.c $(LIB_SRCS) \
		-lsgutils2 -lpthread

$(FUZZ_DIR)/seeds/.done: tests/fuzz/make-seeds.sh $(wildcard tests/fixtures/*.replay)
	@rm -rf $(FUZZ_DIR)/seeds
	@tests/fuzz/make-seeds.sh tests/fixtures $(FUZZ_DIR)/seeds
	@touch $@

# A bounded pass over a scratch copy of the kept corpus plus the seeds.
run-fuzz-smoke: $(FUZZ_BIN) $(FUZZ_DIR)/seeds/.done
	@rm -rf $(FUZZ_DIR)/work && mkdir -p $(FUZZ_DIR)/work
	@scripts/run-test.sh $(RES) fuzz-smoke tests/fuzz/run-fuzz.sh \
		$(FUZZ_BIN) $(FUZZ_DIR)/work -runs=$(FUZZ_RUNS) \
		$(FUZZ_DIR)/seeds tests/fuzz/corpus
ifeq ($(TEST_WRAPPER),)
HOST_TESTS += run-fuzz-smoke
endif

# The agent's reads of SCST sysfs and LIO configfs, over a made-up tree
# (tests/agent/fake_tree.c) whose attributes the input overwrites.
AGFUZZ_BIN   := $(FUZZ_DIR)/fuzz_agent
AGFUZZ_SRCS  := tests/fuzz/fuzz_agent.c tests/agent/fake_tree.c \
	$(filter-out agent/main.c,$(sort $(wildcard agent/*.c)))
AGFUZZ_RUNS  ?= 20000
$(AGFUZZ_BIN): $(AGFUZZ_SRCS) $(LIB_SRCS) $(wildcard agent/*.h) \
		$(wildcard include/pathwarden/*.h) | $(SETUP)
	@mkdir -p $(FUZZ_DIR)
	clang $(FUZZ_CFLAGS) -Iagent -Itests/agent -o $@ $(AGFUZZ_SRCS) \
		$(LIB_SRCS) -ljson-c -lsgutils2 -lpthread

$(FUZZ_DIR)/agent-seeds/.done: tests/fuzz/make-agent-seeds.py
	@rm -rf $(FUZZ_DIR)/agent-seeds
	@python3 tests/fuzz/make-agent-seeds.py $(FUZZ_DIR)/agent-seeds
	@touch $@

run-agent-fuzz: $(AGFUZZ_BIN) $(FUZZ_DIR)/agent-seeds/.done
	@rm -rf $(FUZZ_DIR)/agent-work && mkdir -p $(FUZZ_DIR)/agent-work
	@scripts/run-test.sh $(RES) agent-fuzz tests/fuzz/run-fuzz.sh \
		$(AGFUZZ_BIN) $(FUZZ_DIR)/agent-work -runs=$(AGFUZZ_RUNS) \
		$(FUZZ_DIR)/agent-seeds tests/fuzz/corpus-agent
ifeq ($(TEST_WRAPPER),)
HOST_TESTS += run-agent-fuzz
endif

# Every target for FUZZ_SECONDS each, growing the kept corpora.  New
# inputs land in tests/fuzz/corpus*; minimize before committing (see
# docs/reliability.md).
fuzz: $(FUZZ_BIN) $(FUZZ_DIR)/seeds/.done $(AGFUZZ_BIN) \
		$(FUZZ_DIR)/agent-seeds/.done
	@mkdir -p tests/fuzz/corpus tests/fuzz/corpus-agent
	$(FUZZ_BIN) -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
		tests/fuzz/corpus $(FUZZ_DIR)/seeds
	$(AGFUZZ_BIN) -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
		tests/fuzz/corpus-agent $(FUZZ_DIR)/agent-seeds
	@$(MAKE) --no-print-directory fuzz-monitor
.PHONY: run-fuzz-smoke run-agent-fuzz fuzz
