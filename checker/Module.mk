# checker/: multipathd path checker "rtpg" (/lib/multipath/libcheckrtpg.so).
PLUGIN_LDFLAGS = -shared -Wl,-z,defs -Wl,-rpath,$(PWLIBDIR) -L$(BUILD)/lib

CHECKER_SO := $(BUILD)/checker/libcheckrtpg.so
all: $(CHECKER_SO)

$(BUILD)/checker/%.o: checker/%.c | $(SETUP)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(MPT_CPPFLAGS) $(CFLAGS) -fvisibility=hidden -c -o $@ $<

$(CHECKER_SO): $(BUILD)/checker/rtpg_checker.o $(LIBPW_SO)
	$(CC) $(PLUGIN_LDFLAGS) $(LDFLAGS) -o $@ $< \
		-l:libpathwarden.so.0 $(MPT_LIBS) -lpthread

install-checker: $(CHECKER_SO)
	install -D -m 0644 $(CHECKER_SO) $(DESTDIR)$(PLUGINDIR)/libcheckrtpg.so
INSTALL_TARGETS += install-checker
.PHONY: install-checker
