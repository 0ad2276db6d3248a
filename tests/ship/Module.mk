# tests/ship/: the Debian packages and the systemd unit.
#
#   make deb      build pathwarden and pathwarden-agent .debs into
#                 $(DEB_OUT) from a clean copy of the tracked tree
# Like every other target it installs what it needs first (the set-up):
# on a fresh machine dpkg-buildpackage would stop at unmet Build-Depends.
DEB_OUT := $(BUILD)/deb

deb: $(SETUP)
	@scripts/build-deb.sh $(DEB_OUT)
.PHONY: deb

# The unit's sandbox, scored offline by systemd-analyze (needs systemd's
# tools, so a host test: a package build chroot may not have them).
run-ship-unit:
	@scripts/run-test.sh $(RES) ship-unit tests/ship/unit-security.sh \
		monitor/pathwarden.service etc/pathwarden.conf
HOST_TESTS += run-ship-unit

# The packages built and inspected: lintian, file lists, the pinned
# multipath-tools.  About a minute and a half of the host tier; not under
# the sanitizer or valgrind runs, which would only rebuild the same thing.
run-ship-deb:
	@scripts/run-test.sh $(RES) ship-deb tests/ship/deb.sh $(DEB_OUT)
ifeq ($(SANITIZE)$(TEST_WRAPPER),)
HOST_TESTS += run-ship-deb
endif
.PHONY: run-ship-unit run-ship-deb
