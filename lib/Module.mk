# lib/: the shared ALUA/SCSI core.  Built twice from the same objects:
# libpathwarden.a for the programs, libpathwarden.so.0 for the two plugins,
# which must share one instance of the answer cache inside multipathd.
LIB_SRCS   := $(sort $(wildcard lib/*.c))
LIB_OBJS   := $(LIB_SRCS:%.c=$(BUILD)/%.o)
LIBPW_A    := $(BUILD)/lib/libpathwarden.a
LIBPW_SO   := $(BUILD)/lib/libpathwarden.so.0
LIBPW_LIBS := -lsgutils2 -lpthread

all: $(LIBPW_A) $(LIBPW_SO)

$(LIBPW_A): $(LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(LIBPW_SO): $(LIB_OBJS) lib/libpathwarden.map
	$(CC) -shared -Wl,-soname,libpathwarden.so.0 \
		-Wl,--version-script=lib/libpathwarden.map -Wl,-z,defs \
		$(LDFLAGS) -o $@ $(LIB_OBJS) $(LIBPW_LIBS)

install-lib: $(LIBPW_SO)
	install -D -m 0644 $(LIBPW_SO) $(DESTDIR)$(PWLIBDIR)/libpathwarden.so.0
INSTALL_TARGETS += install-lib
.PHONY: install-lib
