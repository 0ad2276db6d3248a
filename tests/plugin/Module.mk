# tests/plugin/: the plugin harness.  It plays the installed series'
# multipathd: loads both .so files with dlopen(RTLD_NOW) into the real
# libmultipath, and serves SG_IO from replay scripts through an ioctl() the
# executable exports.  test_abi checks mpt/'s declared layouts against that
# same libmultipath.
HARNESS_DIR := $(BUILD)/tests/plugin
HARNESS_CPPFLAGS = $(MPT_CPPFLAGS) -Itests/plugin \
	-DFIXTURE_DIR=\"$(CURDIR)/tests/fixtures\" \
	-DPLUGIN_DIR=\"$(CURDIR)/$(BUILD)/checker\" \
	-DPRIO_DIR=\"$(CURDIR)/$(BUILD)/prio\" \
	-DMPT_PLUGIN_DIR=\"$(PLUGINDIR)\"
HARNESS_LIBS = -L$(BUILD)/lib -l:libpathwarden.so.0 \
	-Wl,-rpath,$(CURDIR)/$(BUILD)/lib $(MPT_LIBS) -lcmocka -ldl -lpthread \
	-Wl,--export-dynamic-symbol=ioctl

HARNESS_OBJS := $(HARNESS_DIR)/fake_sg.o $(HARNESS_DIR)/mp_loader.o
$(HARNESS_DIR)/%.o: tests/plugin/%.c $(SETUP)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(HARNESS_CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(HARNESS_DIR)/test_plugins: $(HARNESS_DIR)/test_plugins.o $(HARNESS_OBJS) \
		$(LIBPW_SO) $(CHECKER_SO) $(PRIO_SO)
	$(CC) $(LDFLAGS) -o $@ $(HARNESS_DIR)/test_plugins.o $(HARNESS_OBJS) \
		$(HARNESS_LIBS)

$(HARNESS_DIR)/test_abi: $(HARNESS_DIR)/test_abi.o
	$(CC) $(LDFLAGS) -o $@ $< $(MPT_LIBS) -lcmocka

tests-build: $(HARNESS_DIR)/test_plugins $(HARNESS_DIR)/test_abi
run-plugin-harness: $(HARNESS_DIR)/test_plugins
	@scripts/run-test.sh $(RES) plugin-harness $(TEST_WRAPPER) $<
run-mpt-abi: $(HARNESS_DIR)/test_abi
	@scripts/run-test.sh $(RES) mpt-abi $(TEST_WRAPPER) $<
UNIT_TESTS += run-plugin-harness run-mpt-abi
.PHONY: run-plugin-harness run-mpt-abi

$(HARNESS_DIR)/bench_plugins: $(HARNESS_DIR)/bench_plugins.o $(HARNESS_OBJS) \
		$(LIBPW_SO) $(CHECKER_SO) $(PRIO_SO)
	$(CC) $(LDFLAGS) -o $@ $(HARNESS_DIR)/bench_plugins.o $(HARNESS_OBJS) \
		$(HARNESS_LIBS)
tests-build: $(HARNESS_DIR)/bench_plugins

bench-plugins: $(HARNESS_DIR)/bench_plugins
	@scripts/bench-check.sh $< $(BUILD)/bench/plugins
BENCHES += bench-plugins
.PHONY: bench-plugins
