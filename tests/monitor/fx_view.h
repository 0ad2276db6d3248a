/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A view of a generated fixture host (tests/monitor/gen_fixture.py, built
 * under MON_FX_DIR): its pathwarden.conf, its captured multipathd
 * answers, its sysfs tree and its RTPG replay scripts.  For the cmocka
 * tests; include after <cmocka.h>.
 */
#ifndef PW_TESTS_FX_VIEW_H
#define PW_TESTS_FX_VIEW_H

#include <stdio.h>

#include "config.h"
#include "mpath_client.h"
#include "topology.h"

struct fx_host {
	char capture[400], root[400], replay[400], conf[400];
};

static inline void fx_host(struct fx_host *h, const char *scenario)
{
	snprintf(h->capture, sizeof(h->capture), "%s/%s/capture", MON_FX_DIR,
		 scenario);
	snprintf(h->root, sizeof(h->root), "%s/%s/root", MON_FX_DIR, scenario);
	snprintf(h->replay, sizeof(h->replay), "%s/%s/replay", MON_FX_DIR,
		 scenario);
	snprintf(h->conf, sizeof(h->conf), "%s/%s/pathwarden.conf",
		 MON_FX_DIR, scenario);
}

/* Load @scenario's configuration into @conf and build @v.  @rtpg: NULL
 * for no RTPG; one with no query set becomes the host's replay source. */
static inline void fx_view(const char *scenario, struct pw_conf *conf,
			   struct rtpg_source *rtpg, struct pw_view *v)
{
	struct fx_host h;
	struct mpath_source mp;
	struct view_opts o;
	char err[256];

	fx_host(&h, scenario);
	assert_true(conf_load(h.conf, conf, err, sizeof(err)));
	mpath_source_captured(&mp, h.capture);
	if (rtpg && !rtpg->query)
		rtpg_source_replay(rtpg, h.replay);
	o = (struct view_opts){ .conf = conf, .sysfs_root = h.root,
				.mpath = &mp, .rtpg = rtpg };
	assert_true(view_build(v, &o));
}

#endif
