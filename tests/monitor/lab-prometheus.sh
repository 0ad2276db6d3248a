# The shipped alert rules on the suite's real Prometheus (issue fleet):
# Prometheus scrapes the lab daemon's metrics every second with
# /usr/share/pathwarden/prometheus/pathwarden.rules.yml loaded as the
# package installs it; hpms01's links go silent (nft drops every packet)
# for longer than PathwardenPathDown's "for:", then come back.  The test
# reads Prometheus's HTTP API: the alert must fire while the node is
# silent (hpms01's paths, none of hpms02's) and be gone after it returns.
# Sourced by lab/scenarios/fleet.sh after bring-up; prints TAP.

PROM_RULES=/usr/share/pathwarden/prometheus/pathwarden.rules.yml
PROM_DIR=/run/pwlab/prometheus
PROM_API=http://127.0.0.1:9090/api/v1

prom_alerts() {	# alertname: "dev node state" per alert instance
	curl -sf "$PROM_API/alerts" |
		jq -r --arg a "$1" '.data.alerts[] | select(.labels.alertname == $a) |
			"\(.labels.dev) \(.labels.node) \(.state)"'
}
prom_firing_on() {	# alertname node: firing for that node, and only it
	local a
	a=$(prom_alerts "$1") || return 1
	echo "$a" | grep -q " $2 firing$" && ! echo "$a" | grep -v " $2 " | grep -q .
}
prom_none() {	# alertname: no instance pending or firing
	local a
	a=$(prom_alerts "$1") || return 1
	[ -z "$a" ]
}
prom_rules_loaded() {
	curl -sf "$PROM_API/rules" | jq -e '[.data.groups[].rules[] | select(.name == "PathwardenPathDown")] | length == 1' > /dev/null
}
prom_target_up() {
	curl -sf "$PROM_API/query?query=up%7Bjob%3D%22pathwarden%22%7D" |
		jq -e '.data.result[0].value[1] == "1"' > /dev/null
}

tap_check "the package installed the rules ($PROM_RULES)" test -s "$PROM_RULES"
tap_check "promtool accepts them" promtool check rules "$PROM_RULES"
mkdir -p "$PROM_DIR"
cat > "$PROM_DIR/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $PROM_RULES
scrape_configs:
  - job_name: pathwarden
    static_configs:
      - targets: ['127.0.0.1:9857']
YML
prometheus --config.file="$PROM_DIR/prometheus.yml" \
	--storage.tsdb.path="$PROM_DIR/data" \
	--web.listen-address=127.0.0.1:9090 \
	> "$PW_RESULTS/prometheus.log" 2>&1 &
PROM_PID=$!
tap_check "Prometheus loaded the rules" wait_until 120 prom_rules_loaded
tap_check "Prometheus scrapes the daemon (up == 1)" wait_until 60 prom_target_up
tap_check "no path alert while every path is up" prom_none PathwardenPathDown

# for: 2m in the rules; the node stays silent until the alert fires
# (bound: for + 60 s of scrapes, evaluations and the daemon's verdict).
log "prometheus: hpms01's links silent until PathwardenPathDown fires"
fault_link_drop hpms01
t0=$(date +%s)
if wait_until 200 prom_firing_on PathwardenPathDown hpms01; then
	t=$(( $(date +%s) - t0 ))
	tap_ok "PathwardenPathDown fired for hpms01's paths, none of hpms02's (${t} s after the links went silent)"
else
	tap_not_ok "PathwardenPathDown fired for hpms01's paths: $(prom_alerts PathwardenPathDown | tr '\n' ';')"
fi
prom_alerts PathwardenPathDown > "$PW_RESULTS/prometheus-alerts-firing.txt" 2>&1
fault_link_restore hpms01
t0=$(date +%s)
if wait_until 120 prom_none PathwardenPathDown; then
	tap_ok "PathwardenPathDown resolved after hpms01 returned ($(( $(date +%s) - t0 )) s)"
else
	tap_not_ok "PathwardenPathDown resolved after hpms01 returned: $(prom_alerts PathwardenPathDown | tr '\n' ';')"
fi
curl -sf "$PROM_API/query?query=ALERTS" > "$PW_RESULTS/prometheus-ALERTS.json" 2>&1 || :
kill "$PROM_PID" 2>/dev/null
wait "$PROM_PID" 2>/dev/null || :
