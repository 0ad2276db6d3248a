# monitor/: the pathwarden CLI and daemon.
MON_SRCS    := $(filter-out monitor/main.c,$(sort $(wildcard monitor/*.c)))
MON_OBJS    := $(MON_SRCS:%.c=$(BUILD)/%.o)
MON_LIB     := $(BUILD)/monitor/libmonitor.a
MON_LIBS    := -ljson-c -ludev -lmpathcmd
PATHWARDEN  := $(BUILD)/monitor/pathwarden

all: $(PATHWARDEN)

$(MON_LIB): $(MON_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(PATHWARDEN): $(BUILD)/monitor/main.o $(MON_LIB) $(LIBPW_A)
	$(CC) $(LDFLAGS) -o $@ $^ $(MON_LIBS) $(LIBPW_LIBS)


install-monitor: $(PATHWARDEN)
	install -D -m 0755 $(PATHWARDEN) $(DESTDIR)$(SBINDIR)/pathwarden
	install -D -m 0644 etc/pathwarden.conf \
		$(DESTDIR)$(CONFDIR)/pathwarden/pathwarden.conf.example
	install -D -m 0644 man/pathwarden.8 $(DESTDIR)$(MANDIR)/man8/pathwarden.8
	install -D -m 0644 man/pathwarden.conf.5 \
		$(DESTDIR)$(MANDIR)/man5/pathwarden.conf.5
INSTALL_TARGETS += install-monitor
.PHONY: install-monitor
