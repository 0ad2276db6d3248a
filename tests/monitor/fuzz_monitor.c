// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target over the monitor's parsers of text it did not write:
 * multipathd's "show maps json" and "show config", dm-multipath's status
 * line, iscsiadm's SendTargets output, pathwarden.conf, Proxmox VE's
 * storage.cfg and iscsid.conf.  The first byte picks the parser, the
 * rest is its input (storage.cfg's with its NULs: it is read from a file,
 * not a string).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "capture_dm.h"
#include "dm_status.h"
#include "iscsi_admin.h"
#include "iscsid_conf.h"
#include "mpath_parse.h"
#include "pve_storage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, err[256];

	if (size < 1)
		return 0;
	text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	switch (data[0] % 7) {
	case 0: {
		struct mp_topology t;

		if (mp_parse_maps_json(text, &t, err, sizeof(err))) {
			for (size_t i = 0; i < t.n_maps; i++)
				mp_active_group(&t.maps[i]);
			mp_topology_free(&t);
		}
		break;
	}
	case 1: {
		struct mpconf c;

		if (mpconf_parse(text, &c, err, sizeof(err))) {
			mpconf_get(&c, "LIO-ORG", "vg1", "prio", NULL);
			mpconf_free(&c);
		}
		break;
	}
	case 2: {
		struct dm_mpath_status st;
		char *again;

		if (dm_status_parse(text, &st, err, sizeof(err)) &&
		    st.n_groups) {
			again = dm_status_with_next(text, st.n_groups);
			if (again && !dm_status_parse(again, &st, err,
						      sizeof(err)))
				abort();	/* rewriting broke it */
			free(again);
		}
		break;
	}
	case 3: {
		struct disc_result r = { 0 };

		parse_sendtargets(text, &r);
		free(r.targets);
		break;
	}
	case 4: {
		struct pw_conf c;
		FILE *f = fmemopen(text, strlen(text), "r");

		if (f) {
			conf_parse(f, "fuzz.conf", &c, err, sizeof(err));
			fclose(f);
		}
		break;
	}
	case 5: {
		struct pve_storage ps;
		struct conf_portal p;
		FILE *f = fmemopen((void *)(data + 1), size - 1, "r");

		if (f && pve_storage_parse(f, &ps)) {
			/* one portal, one reading */
			for (size_t i = 0; i < ps.n; i++) {
				const struct pve_iscsi *st = &ps.iscsi[i];

				if (st->portal_ok &&
				    (!pve_portal_parse(st->portal_text, &p) ||
				     !pve_portal_same(&p, &st->portal)))
					abort();
			}
			pve_storage_free(&ps);
		}
		if (f)
			fclose(f);
		break;
	}
	case 6: {
		struct iscsid_timeouts t;
		FILE *f = fmemopen(text, strlen(text), "r");

		if (f) {
			iscsid_conf_parse(f, &t);
			fclose(f);
		}
		break;
	}
	}
	free(text);
	return 0;
}
