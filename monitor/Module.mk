# monitor/: the pathwarden CLI and daemon.
MON_SRCS    := $(filter-out monitor/main.c,$(sort $(wildcard monitor/*.c)))
MON_OBJS    := $(MON_SRCS:%.c=$(BUILD)/%.o)
MON_LIB     := $(BUILD)/monitor/libmonitor.a
MON_LIBS    := -ludev -lmicrohttpd -lsystemd $(HOST_LIBS)
PATHWARDEN  := $(BUILD)/monitor/pathwarden

all: $(PATHWARDEN)

# The monitor stands on the host layer (host/Module.mk); of the benchmark
# it knows one entry point, bench_run, called by cli_bench.c.
$(BUILD)/monitor/%.o: CPPFLAGS += -Ihost
$(BUILD)/monitor/cli_bench.o: CPPFLAGS += -Ibench
# The doctor looks for the plugins where this multipath-tools loads them.
$(BUILD)/monitor/doctor.o: CPPFLAGS += -DPW_PLUGINDIR='"$(PLUGINDIR)"'
$(BUILD)/monitor/doctor.o: $(SETUP)

$(MON_LIB): $(MON_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(PATHWARDEN): $(BUILD)/monitor/main.o $(MON_LIB) $(BENCH_LIB) $(HOST_LIB) \
		$(LIBPW_A)
	$(CC) $(LDFLAGS) -o $@ $^ $(MON_LIBS) $(LIBPW_LIBS) -lm


install-monitor: $(PATHWARDEN)
	install -D -m 0755 $(PATHWARDEN) $(DESTDIR)$(SBINDIR)/pathwarden
	install -D -m 0644 etc/pathwarden.conf \
		$(DESTDIR)$(CONFDIR)/pathwarden/pathwarden.conf.example
	install -D -m 0644 monitor/pathwarden.service \
		$(DESTDIR)$(UNITDIR)/pathwarden.service
	install -D -m 0644 etc/bash-completion/pathwarden \
		$(DESTDIR)$(BASHCOMPDIR)/pathwarden
INSTALL_TARGETS += install-monitor
.PHONY: install-monitor

