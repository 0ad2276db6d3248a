# man/: every page here is installed by section; `make check` renders each.
MAN_PAGES := $(sort $(wildcard man/*.[1-8]))
install-man:
	@for p in $(MAN_PAGES); do \
		s=$${p##*.}; \
		install -D -m 0644 $$p $(DESTDIR)$(MANDIR)/man$$s/$${p##*/} || exit 1; \
	done
INSTALL_TARGETS += install-man

run-man-check:
	@scripts/run-test.sh $(RES) man tests/conf/check-man.sh $(MAN_PAGES)
UNIT_TESTS += run-man-check
.PHONY: install-man run-man-check
