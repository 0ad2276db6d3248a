# tests/reliability/: security limits that need no VM (issue 8): files a
# root daemon trusts, the metrics endpoint, credentials kept out of every
# output.  Host tests: they chown files and run as root.
REL_DIR  := $(BUILD)/tests/reliability

$(REL_DIR)/%.o: tests/reliability/%.c | $(SETUP)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Imonitor -Ihost $(CFLAGS) -c -o $@ $<

$(REL_DIR)/test_file_trust: $(REL_DIR)/test_file_trust.o $(MON_LIB) $(HOST_LIB) $(LIBPW_A)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka $(MON_LIBS) $(LIBPW_LIBS)

all: $(REL_DIR)/test_file_trust

run-rel-file-trust: $(REL_DIR)/test_file_trust
	@scripts/run-test.sh $(RES) rel-file-trust $(TEST_WRAPPER) $<
HOST_TESTS += run-rel-file-trust
.PHONY: run-rel-file-trust

# CHAP credentials everywhere an initiator keeps them; every command's
# output searched for them.
run-rel-no-secrets: $(PATHWARDEN) $(MONT_FX_STAMPS)
	@scripts/run-test.sh $(RES) rel-no-secrets sh tests/reliability/no-secrets.sh \
		$(PATHWARDEN) $(MONT_FX)
UNIT_TESTS += run-rel-no-secrets
.PHONY: run-rel-no-secrets

# The metrics endpoint against hostile clients (no root needed).
$(REL_DIR)/test_http_hostile: $(REL_DIR)/test_http_hostile.o $(MON_LIB) $(HOST_LIB) $(LIBPW_A)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka $(MON_LIBS) $(LIBPW_LIBS)
all: $(REL_DIR)/test_http_hostile
run-rel-http-hostile: $(REL_DIR)/test_http_hostile
	@scripts/run-test.sh $(RES) rel-http-hostile $(TEST_WRAPPER) $<
UNIT_TESTS += run-rel-http-hostile
.PHONY: run-rel-http-hostile
