# tests/fleet/: the files for watching a fleet of hosts (etc/prometheus),
# checked with promtool: the alert rules' unit tests on synthetic series,
# every name they use one the daemon exports.  Fails without promtool.
run-fleet-rules:
	@scripts/run-test.sh $(RES) fleet-rules sh tests/fleet/rules.sh
UNIT_TESTS += run-fleet-rules
.PHONY: run-fleet-rules
