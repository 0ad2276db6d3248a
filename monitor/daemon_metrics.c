// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The metrics source: the HTTP endpoint, what it renders, and moving it
 * on reload.
 */
#include <errno.h>
#include <stdlib.h>



#include "daemon_priv.h"
#include "session_timeouts.h"

static char *render(void *arg, size_t *len)
{
	struct daemon *d = arg;
	struct setting_checks cs = { 0 };
	struct expo_input in = {
		.view = d->have_view ? &d->view : NULL,
		.maps = d->stats, .n_maps = d->n_probes,
		.portals = d->pstats, .n_portals = d->portals.n,
		.alua_events = d->alua_events,
		.multipathd_up = d->multipathd_up > 0,
		.reports = d->reports.n ? &d->reports : NULL,
		.reports_age_s = (double)(mono_ns() - d->reports_ns) / S,
	};
	char *text;

	/* The sessions as the latest view read them, judged now against
	 * the running configuration (a SIGHUP may have changed it). */
	if (d->have_view &&
	    view_setting_checks(&d->view, d->have_mpconf ? &d->mpconf : NULL,
				d->c, &cs))
		in.settings = &cs;
	text = exposition_render(&in, len);
	setting_checks_free(&cs);
	return text;
}

static struct http_server *metrics_start(struct daemon *d, const char *addr,
					 uint16_t port, int *err)
{
	struct http_server *s = calloc(1, sizeof(*s));

	*err = -ENOMEM;
	if (!s || (*err = http_server_start(s, &d->loop, addr, port, render,
					    d))) {
		free(s);
		return NULL;
	}
	str_copy(d->http_addr, sizeof(d->http_addr), addr);
	d->http_port = port;
	return s;
}

static void metrics_stop(struct daemon *d)
{
	if (d->http) {
		http_server_stop(d->http);
		free(d->http);
		d->http = NULL;
	}
}

/*
 * A new metrics address: listen there first and close the old socket
 * after, so scrapes see no gap.  When the old socket holds the port
 * (127.0.0.1:P to 0.0.0.0:P) it has to close first; if the new address
 * still fails, the old one is taken back.
 */
void metrics_reload(struct daemon *d, const struct pw_conf *nc)
{
	char was[CONF_HOST_MAX];
	uint16_t was_port = d->http_port;
	struct http_server *ns;
	int rc, rc2;

	if (!nc->metrics_enabled) {
		if (d->http)
			log_info("metrics off");
		metrics_stop(d);
		return;
	}
	if (d->http && !strcmp(d->http_addr, nc->metrics_addr) &&
	    d->http_port == nc->metrics_port)
		return;
	str_copy(was, sizeof(was), d->http_addr);
	ns = metrics_start(d, nc->metrics_addr, nc->metrics_port, &rc);
	if (!ns && rc == -EADDRINUSE && d->http) {
		metrics_stop(d);
		ns = metrics_start(d, nc->metrics_addr, nc->metrics_port, &rc);
		if (!ns)
			d->http = metrics_start(d, was, was_port, &rc2);
	}
	if (!ns) {
		if (d->http)
			log_err("metrics on %s:%u: %s; still on %s:%u",
				nc->metrics_addr, nc->metrics_port,
				strerror(-rc), d->http_addr, d->http_port);
		else
			log_err("metrics on %s:%u: %s; metrics off until the "
				"next reload", nc->metrics_addr,
				nc->metrics_port, strerror(-rc));
		return;
	}
	metrics_stop(d);
	d->http = ns;
	log_info("metrics on %s:%u", nc->metrics_addr, nc->metrics_port);
}

int metrics_init(struct daemon *d)
{
	int rc;

	if (!d->c->metrics_enabled)
		return 0;
	d->http = metrics_start(d, d->c->metrics_addr, d->c->metrics_port,
				&rc);
	if (d->http)
		return 0;
	log_err("metrics on %s:%u: %s", d->c->metrics_addr,
		d->c->metrics_port, strerror(-rc));
	return -1;
}

void metrics_fini(struct daemon *d)
{
	metrics_stop(d);
}
