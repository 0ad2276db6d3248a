# lib/: the shared ALUA/SCSI core.  Built twice from the same objects:
# libpathwarden.a for the programs, libpathwarden.so.0 for the two plugins,
# which must share one instance of the answer cache inside multipathd.
LIB_SRCS   := $(sort $(wildcard lib/*.c))
LIB_OBJS   := $(LIB_SRCS:%.c=$(BUILD)/%.o)
LIBPW_A    := $(BUILD)/lib/libpathwarden.a
LIBPW_SO   := $(BUILD)/lib/libpathwarden.so.0
LIBPW_LIBS := -lsgutils2 -lpthread

all: $(LIBPW_A) $(LIBPW_SO)

# The checker runs on multipath-tools 0.15's runner threads, 16 KiB of
# stack each: no frame of the core may take more than 2 KiB (the replay
# backend is for tests and the fuzzer; sanitizers grow every frame).
ifneq ($(SANITIZE),1)
$(filter-out $(BUILD)/lib/replay.o,$(LIB_OBJS)): CFLAGS += -Wstack-usage=2048
endif

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
