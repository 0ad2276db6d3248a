# checker/: multipathd path checker "rtpg" (libcheckrtpg.so in PLUGINDIR).
# rtpg_checker.c is the same for every series; the entry points are in
# checker_thread.c (0.9, 0.11: the plugin starts its worker threads) and
# checker_async.c (0.15: libmultipath's runners call it), each empty when
# built for the other kind of series.
PLUGIN_LDFLAGS = -shared -Wl,-z,defs -Wl,-rpath,$(PWLIBDIR) -L$(BUILD)/lib

CHECKER_SO := $(BUILD)/checker/libcheckrtpg.so
all: $(CHECKER_SO)

CHECKER_OBJS := $(addprefix $(BUILD)/checker/,rtpg_checker.o \
	checker_thread.o checker_async.o)

# The series is a build input: another series rebuilds every plugin object.
$(BUILD)/checker/%.o: checker/%.c $(SETUP)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(MPT_CPPFLAGS) $(CFLAGS) -fvisibility=hidden -c -o $@ $<

# 16 KiB runner stacks on 0.15 (see lib/Module.mk)
ifneq ($(SANITIZE),1)
$(CHECKER_OBJS): CFLAGS += -Wstack-usage=2048
endif

$(CHECKER_SO): $(CHECKER_OBJS) $(LIBPW_SO)
	$(CC) $(PLUGIN_LDFLAGS) $(LDFLAGS) -o $@ $(CHECKER_OBJS) \
		-l:libpathwarden.so.0 $(MPT_LIBS) -lpthread

install-checker: $(CHECKER_SO)
	install -D -m 0644 $(CHECKER_SO) $(DESTDIR)$(PLUGINDIR)/libcheckrtpg.so
INSTALL_TARGETS += install-checker
.PHONY: install-checker
