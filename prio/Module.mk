# prio/: multipathd prioritizer "rtpg" (libpriortpg.so in PLUGINDIR).
PRIO_SO := $(BUILD)/prio/libpriortpg.so
all: $(PRIO_SO)

$(BUILD)/prio/%.o: prio/%.c $(SETUP)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(MPT_CPPFLAGS) $(CFLAGS) -fvisibility=hidden -c -o $@ $<

$(PRIO_SO): $(BUILD)/prio/rtpg_prio.o $(LIBPW_SO)
	$(CC) $(PLUGIN_LDFLAGS) $(LDFLAGS) -o $@ $< \
		-l:libpathwarden.so.0 $(MPT_LIBS) -lpthread

install-prio: $(PRIO_SO)
	install -D -m 0644 $(PRIO_SO) $(DESTDIR)$(PLUGINDIR)/libpriortpg.so
INSTALL_TARGETS += install-prio
.PHONY: install-prio
