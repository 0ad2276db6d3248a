/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tests' dm under a captured multipathd: a recorded switchgroup, or
 * dm switch_group message, moves the map's next group in
 * DIR/dmstatus/MAP, as the kernel would; a recorded "reinstate path DEV"
 * makes the path active there, as multipathd's reinstate does in dm
 * (unless DIR/hold-reinstate exists; the path found in DIR/maps.json, or
 * DIR/maps.json.last while that holds no JSON).
 * Linked into the test build of pathwarden
 * (build/tests/monitor/pathwarden-dm) and the fuzzer, never into the
 * product.
 */
#ifndef PW_TESTS_CAPTURE_DM_H
#define PW_TESTS_CAPTURE_DM_H

/* @line with its next group set to @group, as dm reports right after a
 * switchgroup; NULL when @line does not parse or has no such group. */
char *dm_status_with_next(const char *line, unsigned int group);

#endif
