# tests/conf/: the runner itself, against made-up test outputs.
run-conf-runner:
	@scripts/run-test.sh $(RES) runner sh tests/conf/check-runner.sh
UNIT_TESTS += run-conf-runner
.PHONY: run-conf-runner

# The bash completions against the programs' own --help (bash alone, no
# bash-completion package).
run-conf-completion: $(PATHWARDEN) $(AGENT_BIN)
	@scripts/run-test.sh $(RES) completion bash tests/conf/check-completion.sh \
		$(PATHWARDEN) $(AGENT_BIN) etc/bash-completion
UNIT_TESTS += run-conf-completion
.PHONY: run-conf-completion
