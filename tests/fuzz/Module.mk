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

fuzz: $(FUZZ_BIN) $(FUZZ_DIR)/seeds/.done
	@mkdir -p tests/fuzz/corpus
	$(FUZZ_BIN) -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
		tests/fuzz/corpus $(FUZZ_DIR)/seeds
.PHONY: run-fuzz-smoke fuzz
