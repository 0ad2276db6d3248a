# host/: what the daemon and the benchmark read and drive on an initiator
# host, beneath both: pathwarden.conf, multipathd's socket and answers, dm
# status, the sysfs scan, iscsiadm, the diagnostic log.  Nothing here
# decides; the monitor and the benchmark do.
HOST_SRCS := $(sort $(wildcard host/*.c))
HOST_OBJS := $(HOST_SRCS:%.c=$(BUILD)/%.o)
HOST_LIB  := $(BUILD)/host/libpwhost.a
# Debian ships libopeniscsiusr without the .so link or a .pc file (as
# with libmpathcmd): name the soname.
OPENISCSIUSR_LIBS := -l:libopeniscsiusr.so.0
HOST_LIBS := -ljson-c -ldevmapper $(MPATHCMD_LIBS) $(OPENISCSIUSR_LIBS)

# libmpathcmd's calls are declared in mpt/ (Debian 13 ships no header).
$(BUILD)/host/mpath_client.o: CPPFLAGS += -Impt

$(HOST_LIB): $(HOST_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^
