# tests/plugin/: the plugin harness.  It plays multipathd: loads both .so
# files with dlopen(RTLD_NOW) against the installed libmultipath, and serves
# SG_IO from replay scripts through an ioctl() the executable exports.
HARNESS_DIR := $(BUILD)/tests/plugin
HARNESS_CPPFLAGS := $(MPT_CPPFLAGS) -I$(HARNESS_DIR) -Itests/plugin \
	-DFIXTURE_DIR=\"$(CURDIR)/tests/fixtures\" \
	-DPLUGIN_DIR=\"$(CURDIR)/$(BUILD)/checker\" \
	-DPRIO_DIR=\"$(CURDIR)/$(BUILD)/prio\"
HARNESS_LIBS := -L$(BUILD)/lib -l:libpathwarden.so.0 \
	-Wl,-rpath,$(CURDIR)/$(BUILD)/lib $(MPT_LIBS) -lcmocka -ldl -lpthread \
	-Wl,--export-dynamic-symbol=ioctl

# The private checker_class layout of the installed multipath-tools,
# taken from its own source at build time (never committed).
$(HARNESS_DIR)/checker_class.h: $(SETUP)
	@mkdir -p $(dir $@)
	@{ echo '/* generated from $(MPT_SRC)/libmultipath/checkers.c */'; \
	   sed -n '/^struct checker_class {/,/^};/p' \
		$(MPT_SRC)/libmultipath/checkers.c; } > $@
	@grep -q 'msgtable_size' $@ || { echo "cannot find struct checker_class" >&2; rm -f $@; exit 1; }

HARNESS_OBJS := $(HARNESS_DIR)/fake_sg.o $(HARNESS_DIR)/mp_loader.o
$(HARNESS_DIR)/%.o: tests/plugin/%.c $(HARNESS_DIR)/checker_class.h | $(SETUP)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(HARNESS_CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(HARNESS_DIR)/test_plugins: $(HARNESS_DIR)/test_plugins.o $(HARNESS_OBJS) \
		$(LIBPW_SO) $(CHECKER_SO) $(PRIO_SO)
	$(CC) $(LDFLAGS) -o $@ $(HARNESS_DIR)/test_plugins.o $(HARNESS_OBJS) \
		$(HARNESS_LIBS)

tests-build: $(HARNESS_DIR)/test_plugins
run-plugin-harness: $(HARNESS_DIR)/test_plugins
	@scripts/run-test.sh $(RES) plugin-harness $(TEST_WRAPPER) $<
UNIT_TESTS += run-plugin-harness
.PHONY: run-plugin-harness

$(HARNESS_DIR)/bench_plugins: $(HARNESS_DIR)/bench_plugins.o $(HARNESS_OBJS) \
		$(LIBPW_SO) $(CHECKER_SO) $(PRIO_SO)
	$(CC) $(LDFLAGS) -o $@ $(HARNESS_DIR)/bench_plugins.o $(HARNESS_OBJS) \
		$(HARNESS_LIBS)
tests-build: $(HARNESS_DIR)/bench_plugins

bench-plugins: $(HARNESS_DIR)/bench_plugins
	@scripts/bench-check.sh $< $(BUILD)/bench/plugins
BENCHES += bench-plugins
.PHONY: bench-plugins
