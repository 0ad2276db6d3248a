# multipath.conf.d/: device sections that select the rtpg checker and prio.
MPCONFDIR ?= /etc/multipath/conf.d
install-mpconf:
	install -D -m 0644 multipath.conf.d/pathwarden.conf \
		$(DESTDIR)$(MPCONFDIR)/pathwarden.conf
INSTALL_TARGETS += install-mpconf
.PHONY: install-mpconf

# The snippet as the installed multipath parses it (private namespace).
run-mpconf-check:
	@scripts/run-test.sh $(RES) mpconf tests/conf/check-mpconf.sh
HOST_TESTS += run-mpconf-check
.PHONY: run-mpconf-check
