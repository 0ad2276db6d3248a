# tests/platforms/: the set-up from bare roots of each supported suite
# (tests/platforms/suite.sh).  Root, network to the Debian mirror and
# mmdebstrap; the roots are cached outside the clone (PW_ROOT_CACHE,
# /var/cache/pathwarden/roots), about 4 minutes a suite once cached.
#
#   make check-platforms   bookworm, trixie and forky
# `make check` runs bookworm and trixie (Debian 12 and 13, the supported
# hosts); forky, where the plugin ABI moves next, runs in check-platforms.
# The packages each run built and passed are left in $(BUILD)/lab/debs-SUITE
# for the lab's guest of that suite (make check boots trixie and bookworm).
PLATFORM_SUITES_CHECK := bookworm trixie
PLATFORM_SUITES_ALL   := bookworm trixie forky

platform-deps:
	@scripts/install-packages.sh platforms scripts/packages-platforms.txt
.PHONY: platform-deps

# One suite's run: $(call PLATFORM_RUN,SUITE).
PLATFORM_RUN = scripts/run-test.sh $(RES) platform-$(1) tests/platforms/suite.sh \
	$(1) $(RES) $(BUILD)/lab/debs-$(1)
# (a static pattern: make applies no implicit rule to a phony target)
$(PLATFORM_SUITES_ALL:%=run-platform-%): run-platform-%: platform-deps
	@$(call PLATFORM_RUN,$*)

# make check runs its suites at once: each root runs one program at a
# time (its own make, no -j), so two roots share the two cores instead of
# waiting for each other (both tiers in 449 s here; one after the other,
# the make check-unit inside each alone took 403 and 478 s).  A root is a chroot of its own with its own package cache,
# results file and package directory; its tests bind loopback ports the
# kernel picks and put their fake multipathd in a network namespace of
# its own, so the two never meet.
run-platforms-together: platform-deps
	@$(foreach s,$(PLATFORM_SUITES_CHECK),$(call PLATFORM_RUN,$(s)) &) wait

PLATFORM_TESTS := run-platforms-together
.PHONY: $(PLATFORM_SUITES_ALL:%=run-platform-%) run-platforms-together

check-platforms:
	$(call run_tests,$(PLATFORM_SUITES_ALL:%=run-platform-%))
.PHONY: check-platforms

# The set-up's one-line answers to an unsupported series, a missing
# multipath-tools and a dead mirror.
run-platform-setup-errors: platform-deps
	@scripts/run-test.sh $(RES) platform-setup-errors \
		tests/platforms/setup-errors.sh
HOST_TESTS += run-platform-setup-errors
.PHONY: run-platform-setup-errors
