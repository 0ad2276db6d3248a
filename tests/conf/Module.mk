# tests/conf/: the runner itself, against made-up test outputs.
run-conf-runner:
	@scripts/run-test.sh $(RES) runner sh tests/conf/check-runner.sh
UNIT_TESTS += run-conf-runner
.PHONY: run-conf-runner
