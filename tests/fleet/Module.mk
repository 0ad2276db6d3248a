# tests/fleet/: the files for watching a fleet of hosts (etc/prometheus,
# etc/grafana), checked with promtool: the alert rules' unit tests on
# synthetic series, every dashboard expression parsed, every name both
# use one the daemon exports.  Each fails without promtool.
run-fleet-rules:
	@scripts/run-test.sh $(RES) fleet-rules sh tests/fleet/rules.sh
UNIT_TESTS += run-fleet-rules

run-fleet-dashboard:
	@scripts/run-test.sh $(RES) fleet-dashboard python3 \
		tests/fleet/dashboard.py etc/grafana/pathwarden-dashboard.json \
		monitor/exposition.c
UNIT_TESTS += run-fleet-dashboard
.PHONY: run-fleet-rules run-fleet-dashboard
