# etc/: files for the tools that watch a fleet of pathwarden hosts, shipped
# for the administrator to copy into Prometheus and Grafana (docs/alerts.md).
# (pathwarden.conf here is the monitor's, installed by monitor/Module.mk.)
FLEETDIR ?= $(PREFIX)/share/pathwarden
install-fleet:
	install -D -m 0644 etc/prometheus/pathwarden.rules.yml \
		$(DESTDIR)$(FLEETDIR)/prometheus/pathwarden.rules.yml
	install -D -m 0644 etc/grafana/pathwarden-dashboard.json \
		$(DESTDIR)$(FLEETDIR)/grafana/pathwarden-dashboard.json
INSTALL_TARGETS += install-fleet
.PHONY: install-fleet
