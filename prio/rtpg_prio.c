/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * multipathd prioritizer "rtpg": the stock `alua` prio's values from the
 * ALUA state and preferred bit, but from the rtpg checker's fresh answer
 * when there is one (one SCSI command per path per cycle instead of three:
 * TUR, VPD 0x83 and RTPG), and from its own bounded RTPG otherwise.
 *
 * Paper-thin shim: it copies fd, dev and the timeout out of multipathd's
 * structs and calls the core.  Of struct path it reads fd and dev only,
 * through the series' declared ABI (mpt/).
 */
#include <stdio.h>
#include <string.h>

#include "abi.h"

#include "pathwarden/tpg_cache.h"
#include "pathwarden/tpg_peers.h"
#include "pathwarden/tpg_query.h"

#define PLUGIN_API __attribute__((visibility("default")))
/* multipathd passes 0 when checker_timeout is unset; stock then waits 60 s */
#define DEFAULT_TIMEOUT_MS 30000
/* an RTPG out longer than this is taken for stuck (answers take ms) */
#define STUCK_AFTER_MS 1000

static int rtpg_getprio(struct path *pp, char *args, unsigned int timeout)
{
	int fd = mpt_path_fd(pp);
	const char *name = mpt_path_dev(pp);
	struct prio_weights w;
	struct tpg_answer ans;
	struct dev_key key;
	bool have_key, fresh;
	char err[96];

	if (fd < 0)
		return -1;
	prio_weights_default(&w);
	if (!prio_weights_parse(args, &w, err, sizeof(err))) {
		condlog(0, "%s: rtpg prio: %s; using the defaults", name, err);
		prio_weights_default(&w);
	}

	have_key = dev_key_from_fd(fd, &key);
	fresh = have_key &&
		tpg_cache_take(&key, w.max_age_ms, tpg_cache_now_ms(), &ans);
	if (fresh && ans.result == TPG_OK &&
	    tpg_peers_outdated(&key, &ans.own)) {
		/*
		 * Another path of the LU has reported this path's group in
		 * another state since this answer came: an ALUA change
		 * between them.  multipathd refreshes every path's prio when
		 * one changes, and a stale one here puts both nodes' paths in
		 * one group until this path is checked again.
		 */
		condlog(3, "%s: rtpg prio: another path reports tpg %u no "
			"longer %s; asking again", name, ans.own.group_id,
			alua_state_name(ans.own.state));
		fresh = false;
	}
	if (!fresh && have_key &&
	    tpg_cache_stuck(&key, tpg_cache_now_ms(), STUCK_AFTER_MS)) {
		/*
		 * The checker's RTPG has been out for a second (a hung
		 * target): another one, synchronous, would stall multipathd's
		 * checker loop behind it.  multipathd keeps the prio it had.
		 * One just sent (a path being added) is waited for as before.
		 */
		condlog(3, "%s: rtpg prio: the checker's RTPG is still out; "
			"keeping the prio", name);
		return -1;
	}
	if (!fresh) {
		/*
		 * No fresh checker answer (another checker is configured, or
		 * the whole map's prios are being refreshed): ask ourselves,
		 * one RTPG.
		 */
		struct scsi_dev dev;
		struct tpg_identity id;
		char devdir[300];

		/*
		 * The group id comes from the VPD page the kernel already
		 * holds, as the stock prio reads it through udev; only
		 * without sysfs does it cost INQUIRY and VPD 0x83 as well.
		 */
		snprintf(devdir, sizeof(devdir), "/sys/block/%s/device", name);
		tpg_identity_from_sysfs(devdir, &id);
		scsi_dev_init_fd(&dev, fd);
		tpg_query(&dev, timeout ? timeout : DEFAULT_TIMEOUT_MS, &id,
			  &ans, NULL);
	}
	if (ans.result != TPG_OK && !ans.from_peer) {
		condlog(2, "%s: rtpg prio: %s", name,
			tpg_result_name(ans.result));
		return -1;
	}
	condlog(4, "%s: rtpg prio: tpg %u %s%s", name, ans.own.group_id,
		alua_state_name(ans.own.state),
		ans.own.preferred ? " preferred" : "");
	return tpg_prio(&ans.own, &w);
}

/* getprio() lost its timeout argument in 0.9.6 */
#if MPT_GETPRIO_TIMEOUT_ARG
PLUGIN_API int getprio(struct path *pp, char *args, unsigned int timeout);

PLUGIN_API int getprio(struct path *pp, char *args, unsigned int timeout)
{
	return rtpg_getprio(pp, args, timeout);
}
#else
PLUGIN_API int getprio(struct path *pp, char *args);

PLUGIN_API int getprio(struct path *pp, char *args)
{
	return rtpg_getprio(pp, args, get_prio_timeout_ms(pp));
}
#endif
