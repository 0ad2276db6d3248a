# monitor/: the pathwarden CLI and daemon.
MON_SRCS    := $(filter-out monitor/main.c,$(sort $(wildcard monitor/*.c)))
MON_OBJS    := $(MON_SRCS:%.c=$(BUILD)/%.o)
MON_LIB     := $(BUILD)/monitor/libmonitor.a
MON_LIBS    := -ljson-c -ludev $(MPATHCMD_LIBS) -ldevmapper
PATHWARDEN  := $(BUILD)/monitor/pathwarden

all: $(PATHWARDEN)

# libmpathcmd's calls are declared in mpt/ (Debian 13 ships no header).
$(BUILD)/monitor/mpath_client.o: CPPFLAGS += -Impt
# The doctor looks for the plugins where this multipath-tools loads them.
$(BUILD)/monitor/doctor.o: CPPFLAGS += -DPW_PLUGINDIR='"$(PLUGINDIR)"'
$(BUILD)/monitor/doctor.o: $(SETUP)

$(MON_LIB): $(MON_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

# `pathwarden bench` lives in bench/ (bench/Module.mk, included before
# this file); its objects go in whole, ahead of the library they use.
$(PATHWARDEN): $(BUILD)/monitor/main.o $(BENCH_RUN_OBJS) $(MON_LIB) $(LIBPW_A)
	$(CC) $(LDFLAGS) -o $@ $^ $(MON_LIBS) $(LIBPW_LIBS) -lm


install-monitor: $(PATHWARDEN)
	install -D -m 0755 $(PATHWARDEN) $(DESTDIR)$(SBINDIR)/pathwarden
	install -D -m 0644 etc/pathwarden.conf \
		$(DESTDIR)$(CONFDIR)/pathwarden/pathwarden.conf.example
	install -D -m 0644 monitor/pathwarden.service \
		$(DESTDIR)$(UNITDIR)/pathwarden.service
INSTALL_TARGETS += install-monitor
.PHONY: install-monitor

