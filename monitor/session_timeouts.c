// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Session timeouts from a view: what multipathd writes into each
 * session, then session_drift_check().
 */
#include <stdlib.h>
#include <string.h>

#include "session_timeouts.h"

/*
 * The fast_io_fail_tmo multipathd writes into the recovery_tmo of session
 * @sid: the merged value for the device of a map holding one of its
 * disks.  -1 when none holds them, when the configuration is unknown, or
 * when it is "off" or 0, which multipathd cannot write on iSCSI and
 * leaves alone.
 */
static int fast_io_fail_of(const struct pw_view *v, const struct mpconf *mc,
			   int sid)
{
	for (size_t i = 0; mc && i < v->n_maps; i++) {
		const struct pw_map *m = &v->maps[i];

		for (size_t j = 0; j < m->mp->n_paths; j++) {
			const char *fio;
			char *end;
			long n;

			if (!m->paths[j].sess || m->paths[j].sess->sid != sid)
				continue;
			fio = mpconf_get(mc, m->mp->vend, m->mp->prod,
					 "fast_io_fail_tmo", NULL);
			if (!fio || *fio < '1' || *fio > '9')
				return -1;
			n = strtol(fio, &end, 10);
			return *end || n > 1000000000 ? -1 : (int)n;
		}
	}
	return -1;
}

bool view_setting_checks(const struct pw_view *v, const struct mpconf *mpconf,
			 const struct pw_conf *conf, struct setting_checks *out)
{
	size_t n = v->sys.n_sess;
	int *fio;
	bool ok;

	memset(out, 0, sizeof(*out));
	if (n == 0)
		return true;
	fio = malloc(n * sizeof(*fio));
	if (!fio)
		return false;
	for (size_t i = 0; i < n; i++)
		fio[i] = fast_io_fail_of(v, mpconf, v->sys.sess[i].sid);
	ok = session_drift_check(v->sys.sess, n, fio, conf, out);
	free(fio);
	return ok;
}
