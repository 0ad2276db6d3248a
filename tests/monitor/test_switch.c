// SPDX-License-Identifier: GPL-2.0-or-later
/* When to send switchgroup, and the guard against fighting failback, on
 * the generated fixture hosts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sys/stat.h>

#include "fx_view.h"
#include "merged_group.h"
#include "switcher.h"

#define S 1000000000ull

static struct pw_conf conf;

static void load(const char *scenario, struct pw_view *v, bool rtpg)
{
	struct rtpg_source rt = { 0 };

	fx_view(scenario, &conf, rtpg ? &rt : NULL, v);
	assert_int_equal(v->n_maps, 1);
}

static enum switch_action decide(const char *scenario, bool rtpg,
				 unsigned int *group)
{
	struct pw_view v;
	struct switch_guard g = { 0 };
	char why[160];
	enum switch_action a;

	load(scenario, &v, rtpg);
	a = switch_decide(&v.maps[0], &g, 10 * S, group, why, sizeof(why));
	print_message("# %s: %s\n", scenario, why);
	view_free(&v);
	return a;
}

static void test_decisions(void **state)
{
	unsigned int g;

	(void)state;
	assert_int_equal(decide("good", true, &g), SW_NONE);
	assert_int_equal(decide("misrouted", true, &g), SW_SWITCH);
	assert_int_equal(g, 2);
	/* The daemon decides from scsi_dh_alua's sysfs state, no RTPG. */
	assert_int_equal(decide("misrouted", false, &g), SW_SWITCH);
	assert_int_equal(g, 2);
	assert_int_equal(decide("bothao", true, &g), SW_NONE);
	assert_int_equal(decide("multibus", true, &g), SW_NONE);
	assert_int_equal(decide("disagree", true, &g), SW_NONE);
}

/*
 * An optimized path multipathd holds outside the optimized group: of the
 * same target port group (its prio not refreshed yet, seen on bookworm
 * after an unavailable group came back), the switch goes ahead; of
 * another (both nodes optimized), it is the cluster's to settle.
 */
static void test_ao_split(void **state)
{
	struct pw_view v;
	struct switch_guard g = { 0 };
	struct pw_map *m;
	unsigned int grp;
	char why[160];
	size_t moved = SIZE_MAX;

	(void)state;
	load("misrouted", &v, true);
	m = &v.maps[0];
	assert_int_equal(m->ao_group, 2);
	for (size_t i = 0; i < m->mp->n_paths; i++)
		if (m->paths[i].mp->group == 2) {
			((struct mp_path *)m->paths[i].mp)->group = 3;
			moved = i;
			break;
		}
	assert_true(moved != SIZE_MAX);
	assert_true(m->paths[moved].rtpg.group_known);
	assert_int_equal(switch_decide(m, &g, S, &grp, why, sizeof(why)),
			 SW_SWITCH);
	assert_int_equal(grp, 2);
	/* its identity unknown: no side picked */
	m->paths[moved].rtpg.group_known = false;
	assert_int_equal(switch_decide(m, &g, S, &grp, why, sizeof(why)),
			 SW_NONE);
	assert_non_null(strstr(why, "optimized too"));
	m->paths[moved].rtpg.group_known = true;
	/* the other node's port group optimized too */
	for (size_t i = 0; i < m->mp->n_paths; i++)
		if (m->paths[i].mp->group == 1) {
			m->paths[i].judge.state = ALUA_ACTIVE_OPTIMIZED;
			break;
		}
	assert_int_equal(switch_decide(m, &g, S, &grp, why, sizeof(why)),
			 SW_NONE);
	assert_non_null(strstr(why, "optimized too"));
	view_free(&v);
}

/* The optimized group's paths are all down: switching would only make
 * dm fail over again. */
static void test_no_usable(void **state)
{
	struct pw_view v;
	struct switch_guard g = { 0 };
	unsigned int grp;
	char why[160];

	(void)state;
	load("misrouted", &v, true);
	for (size_t i = 0; i < v.maps[0].mp->n_paths; i++)
		if (v.maps[0].paths[i].mp->group == 2)
			v.maps[0].paths[i].judge.class = PATH_CLASS_DOWN;
	assert_int_equal(switch_decide(&v.maps[0], &g, S, &grp, why,
				       sizeof(why)), SW_NONE);
	assert_non_null(strstr(why, "no usable path"));
	view_free(&v);
}

/*
 * Between a demote and the next promote multipathd merged the four paths
 * into one group (all prio 10); now hpms02's answer to RTPG says its group
 * is optimized.  No group to switch to: multipathd must first check
 * hpms02's two paths, and only they are asked for.
 */
static void test_recheck_merged(void **state)
{
	struct pw_view v;
	struct pw_map *m;
	size_t idx[8], n;
	unsigned int grp;

	(void)state;
	assert_int_equal(decide("merged", true, &grp), SW_NONE);
	load("merged", &v, true);
	m = &v.maps[0];
	assert_int_equal(m->mp->n_groups, 1);
	n = switch_recheck_paths(m, idx, 8);
	assert_int_equal(n, 2);
	for (size_t k = 0; k < n; k++) {
		const struct pw_path *p = &m->paths[idx[k]];

		assert_string_equal(p->node->name, "hpms02");
		assert_int_equal(p->mp->pri, 10);
		assert_int_equal(p->expected_pri, 50);
	}
	/* no more than asked for */
	assert_int_equal(switch_recheck_paths(m, idx, 1), 1);
	/* a path dm failed, or whose checker is down, is left alone */
	((struct mp_path *)m->paths[idx[0]].mp)->dm_active = false;
	assert_int_equal(switch_recheck_paths(m, idx, 8), 1);
	view_free(&v);

	/* Without RTPG answers there is no prio to compare with. */
	load("merged", &v, false);
	assert_int_equal(switch_recheck_paths(&v.maps[0], idx, 8), 0);
	view_free(&v);
	/* A group wholly optimized exists: the switch does it, no recheck;
	 * nor when prios are right. */
	load("misrouted", &v, true);
	assert_int_equal(switch_recheck_paths(&v.maps[0], idx, 8), 0);
	view_free(&v);
	load("good", &v, true);
	assert_int_equal(switch_recheck_paths(&v.maps[0], idx, 8), 0);
	view_free(&v);
}

/* The kernel's status as the view reads it: every path of @m in dm's
 * group @group (0: the group multipathd reports it in), active, and dm's
 * next group @next. */
static void dm_groups(struct pw_map *m, unsigned int group, unsigned int next)
{
	for (size_t i = 0; i < m->mp->n_paths; i++) {
		m->paths[i].dm_kernel_group = group ? group
						    : m->paths[i].mp->group;
		m->paths[i].dm_kernel_active = true;
	}
	m->dm_group = next;
	m->dm_next = next;
}

static bool of(const struct pw_path *p, const char *node)
{
	return !strcmp(p->node->name, node);
}

/*
 * The same merged group, and I/O on it: hpms01's two non-optimized paths
 * are failed in dm, hpms02's optimized ones carry the I/O alone.  Not when
 * dm has regrouped meanwhile, not without an optimized path dm can use,
 * not without the device's word, not for a group of mixed prios.
 */
static void test_fail_merged(void **state)
{
	struct pw_view v;
	struct pw_map *m;
	size_t idx[8], n;

	(void)state;
	load("merged", &v, true);
	m = &v.maps[0];
	dm_groups(m, 1, 1);
	n = merged_group_to_fail(m, idx, 8);
	assert_int_equal(n, 2);
	for (size_t k = 0; k < n; k++) {
		const struct pw_path *p = &m->paths[idx[k]];

		assert_true(of(p, "hpms01"));
		assert_int_equal(p->judge.state, ALUA_ACTIVE_NONOPTIMIZED);
	}
	assert_int_equal(merged_group_to_fail(m, idx, 1), 1);
	/* a group of dm's wholly optimized besides (one of hpms02's paths
	 * alone in group 2): the switch moves the I/O there */
	for (size_t i = 0; i < m->mp->n_paths; i++)
		if (of(&m->paths[i], "hpms02")) {
			m->paths[i].dm_kernel_group = 2;
			break;
		}
	assert_int_equal(merged_group_to_fail(m, idx, 8), 0);
	/* multipathd's view may say what it likes (a reload old): dm's
	 * groups decide */
	dm_groups(m, 1, 1);
	m->ao_group = 2;
	assert_int_equal(merged_group_to_fail(m, idx, 8), 2);
	m->ao_group = 0;
	/* dm's next group unknown (its status not read) */
	m->dm_next = 0;
	assert_int_equal(merged_group_to_fail(m, idx, 8), 0);

	/* multipathd regrouped before dm's status was read: hpms02's paths
	 * in group 1, dm's next, hpms01's in group 2 */
	for (size_t i = 0; i < m->mp->n_paths; i++)
		m->paths[i].dm_kernel_group = of(&m->paths[i], "hpms02") ? 1 : 2;
	m->dm_next = 1;
	assert_int_equal(merged_group_to_fail(m, idx, 8), 0);
	/* ... or dm uses hpms01's group: the switch's business */
	m->dm_next = 2;
	assert_int_equal(merged_group_to_fail(m, idx, 8), 0);

	/* hpms02's paths failed in dm: nothing would carry the I/O */
	dm_groups(m, 1, 1);
	for (size_t i = 0; i < m->mp->n_paths; i++)
		if (of(&m->paths[i], "hpms02"))
			m->paths[i].dm_kernel_active = false;
	assert_int_equal(merged_group_to_fail(m, idx, 8), 0);
	/* ... or their checker down */
	dm_groups(m, 1, 1);
	for (size_t i = 0; i < m->mp->n_paths; i++)
		if (of(&m->paths[i], "hpms02"))
			((struct mp_path *)m->paths[i].mp)->chk_up = false;
	assert_int_equal(merged_group_to_fail(m, idx, 8), 0);
	view_free(&v);

	/* Without RTPG answers the kernel's access_state is all there is:
	 * not the device's word. */
	load("merged", &v, false);
	dm_groups(&v.maps[0], 1, 1);
	assert_int_equal(merged_group_to_fail(&v.maps[0], idx, 8), 0);
	view_free(&v);
	/* Groups apart, one wholly optimized: nothing merged. */
	load("misrouted", &v, true);
	dm_groups(&v.maps[0], 0, 1);
	assert_int_equal(merged_group_to_fail(&v.maps[0], idx, 8), 0);
	view_free(&v);
	load("good", &v, true);
	dm_groups(&v.maps[0], 0, 1);
	assert_int_equal(merged_group_to_fail(&v.maps[0], idx, 8), 0);
	/* ... merged by a reload after the view (its prios of before, groups
	 * apart): the non-optimized node's two */
	m = &v.maps[0];
	dm_groups(m, 1, 1);
	n = merged_group_to_fail(m, idx, 8);
	assert_int_equal(n, 2);
	for (size_t k = 0; k < n; k++)
		assert_int_equal(m->paths[idx[k]].judge.state,
				 ALUA_ACTIVE_NONOPTIMIZED);
	view_free(&v);
	/* One group by policy (multibus): its prios differ, no merge. */
	load("multibus", &v, true);
	assert_int_equal(v.maps[0].mp->n_groups, 1);
	dm_groups(&v.maps[0], 1, 1);
	assert_int_equal(merged_group_to_fail(&v.maps[0], idx, 8), 0);
	view_free(&v);
}

/*
 * The merged group's non-optimized paths, failed in dm, come back once
 * multipathd has regrouped the map: dm's next group holds the optimized
 * paths alone and theirs is another.  Not while they share dm's next
 * group, nor when that group has a path the device says is not
 * optimized, nor without the device's word, nor with dm's groups unknown.
 */
static void test_merged_split(void **state)
{
	struct pw_view v;
	struct pw_map *m;
	size_t a = SIZE_MAX, o = SIZE_MAX;

	(void)state;
	load("merged", &v, true);
	m = &v.maps[0];
	for (size_t i = 0; i < m->mp->n_paths; i++) {
		if (of(&m->paths[i], "hpms01") && a == SIZE_MAX)
			a = i;
		if (of(&m->paths[i], "hpms02") && o == SIZE_MAX)
			o = i;
	}
	assert_true(a != SIZE_MAX && o != SIZE_MAX);
	/* still merged: all in dm's group 1 */
	dm_groups(m, 1, 1);
	assert_false(merged_group_split(m, a));
	/* regrouped: hpms02's optimized paths in group 1, dm's next,
	 * hpms01's in group 2, failed */
	for (size_t i = 0; i < m->mp->n_paths; i++) {
		m->paths[i].dm_kernel_group = of(&m->paths[i], "hpms02") ? 1 : 2;
		m->paths[i].dm_kernel_active = of(&m->paths[i], "hpms02");
	}
	assert_true(merged_group_split(m, a));
	/* an optimized path is never "split off" the group dm uses */
	assert_false(merged_group_split(m, o));
	/* dm uses hpms01's group: a non-optimized path in it */
	m->dm_next = 2;
	assert_false(merged_group_split(m, a));
	m->dm_next = 1;
	/* one of hpms01's still in dm's next group beside the optimized */
	for (size_t i = 0; i < m->mp->n_paths; i++)
		if (i != a && of(&m->paths[i], "hpms01"))
			m->paths[i].dm_kernel_group = 1;
	assert_false(merged_group_split(m, a));
	for (size_t i = 0; i < m->mp->n_paths; i++)
		m->paths[i].dm_kernel_group = of(&m->paths[i], "hpms02") ? 1 : 2;
	/* dm's groups not read */
	m->dm_next = 0;
	assert_false(merged_group_split(m, a));
	m->dm_next = 1;
	m->paths[a].dm_kernel_group = 0;
	assert_false(merged_group_split(m, a));
	view_free(&v);
	/* without RTPG answers the kernel's access_state is not the
	 * device's word */
	load("merged", &v, false);
	m = &v.maps[0];
	for (size_t i = 0; i < m->mp->n_paths; i++)
		m->paths[i].dm_kernel_group = of(&m->paths[i], "hpms02") ? 1 : 2;
	m->dm_next = 1;
	assert_false(merged_group_split(m, a));
	view_free(&v);
}

/* dm's status @line of @m (its one map) in @dir, where the capture reader
 * looks: "2 0 0 0 NGROUPS NEXT" in @head, the groups in @line. */
static void put_dm(const char *dir, const struct pw_map *m, const char *head,
		   const char *line)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/dmstatus/%s", dir, m->mp->name);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%s %s\n", head, line);
	fclose(f);
}

#define DEVT(m, i) ((m)->mp->paths[i].devt)

/*
 * The kernel's status read again into a view (the daemon, with the RTPG
 * answers): each path's group and A/F by devt, and dm's next group in its
 * own numbering also when dm's groups are not multipathd's (the merge a
 * reload made after the view); dm_group, in the view's numbering, only
 * where the counts agree.
 */
static void test_read_dm(void **state)
{
	char dir[] = "/tmp/pw-test-dm-XXXXXX", sub[64], cmd[96], line[256];
	struct pw_view v;
	struct pw_map *m;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/dmstatus", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	load("good", &v, true);
	m = &v.maps[0];
	assert_int_equal(m->mp->n_groups, 2);
	assert_int_equal(m->mp->n_paths, 4);

	/* merged: one group of four, the second path failed */
	snprintf(line, sizeof(line), "A 0 4 2 %s A 0 0 1 %s F 1 0 1 %s A 0 0 1 "
		 "%s A 0 0 1", DEVT(m, 0), DEVT(m, 1), DEVT(m, 2), DEVT(m, 3));
	put_dm(dir, m, "2 0 0 0 1 1", line);
	view_read_dm(&v, dir);
	assert_int_equal(m->dm_next, 1);
	assert_int_equal(m->dm_group, 0);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(m->paths[i].dm_kernel_group, 1);
		assert_int_equal(m->paths[i].dm_kernel_active, i != 1);
	}
	/* two groups again, dm on the second */
	snprintf(line, sizeof(line), "E 0 2 2 %s A 0 0 1 %s A 0 0 1 A 0 2 2 "
		 "%s A 0 0 1 %s A 0 0 1", DEVT(m, 0), DEVT(m, 1), DEVT(m, 2),
		 DEVT(m, 3));
	put_dm(dir, m, "2 0 0 0 2 2", line);
	view_read_dm(&v, dir);
	assert_int_equal(m->dm_next, 2);
	assert_int_equal(m->dm_group, 2);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(m->paths[i].dm_kernel_group, i < 2 ? 1 : 2);
		assert_true(m->paths[i].dm_kernel_active);
	}
	/* a path dm does not hold (the fourth's devt not in the table) */
	snprintf(line, sizeof(line), "A 0 3 2 %s A 0 0 1 %s A 0 0 1 %s A 0 0 1",
		 DEVT(m, 0), DEVT(m, 1), DEVT(m, 2));
	put_dm(dir, m, "2 0 0 0 1 1", line);
	view_read_dm(&v, dir);
	assert_int_equal(m->paths[3].dm_kernel_group, 0);
	assert_false(m->paths[3].dm_kernel_active);
	assert_int_equal(m->paths[2].dm_kernel_group, 1);
	/* no status to read: what was read stays */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	view_read_dm(&v, dir);
	assert_int_equal(m->dm_next, 1);
	assert_int_equal(m->paths[2].dm_kernel_group, 1);
	view_free(&v);
}

/* The kernel's dm status: every path of @m active (@on) or failed. */
static void dm_paths_active(struct pw_map *m, bool on)
{
	for (size_t i = 0; i < m->mp->n_paths; i++)
		m->paths[i].dm_kernel_active = on;
}

static void test_guard(void **state)
{
	struct pw_view v;
	struct switch_guard g = { 0 };
	struct pw_map *m;
	unsigned int grp;
	char why[160];
	uint64_t t = 100 * S;

	(void)state;
	load("misrouted", &v, true);
	m = &v.maps[0];
	dm_paths_active(m, true);
	/* multipathd accepted it: no revert */
	switch_note_sent(&g, m, 2, t);
	/* not sent again while dm has not been seen to take it */
	assert_int_equal(switch_decide(m, &g, t + S, &grp, why, sizeof(why)),
			 SW_NONE);
	assert_non_null(strstr(why, "already sent"));
	assert_int_equal(switch_decide(m, &g, t + SW_RESEND_NS + 1, &grp, why,
				       sizeof(why)), SW_SWITCH);
	m->active_group = 2;
	assert_false(switch_note_observed(&g, m, t + S));
	/* reverted three times within a minute: hold off */
	for (int i = 0; i < SW_REVERT_LIMIT; i++) {
		t += 5 * S;
		m->active_group = 1;
		assert_int_equal(switch_decide(m, &g, t, &grp, why,
					       sizeof(why)), SW_SWITCH);
		switch_note_sent(&g, m, grp, t);
		m->active_group = m->dm_group = 2;	/* dm took it */
		assert_false(switch_note_observed(&g, m, t));
		m->active_group = m->dm_group = 1;	/* failback undid it */
		assert_int_equal(switch_note_observed(&g, m, t + S),
			 SW_SEEN_REVERT);
	}
	assert_int_equal(switch_decide(m, &g, t + 2 * S, &grp, why,
				       sizeof(why)), SW_HELD);
	assert_int_equal(grp, 2);
	assert_non_null(strstr(why, "reverted 3"));
	assert_int_equal(switch_decide(m, &g, t + SW_HOLD_NS + 2 * S, &grp,
				       why, sizeof(why)), SW_SWITCH);
	/* dm leaving our group because its paths failed (a node's links
	 * lost) is dm's own failover, not a revert, and the group serving
	 * again later with dm still elsewhere is a failback to make, not a
	 * revert either (bookworm's standby scenario: three in a minute
	 * held the switch off); a path of it still active in dm when dm
	 * left makes it one. */
	g = (struct switch_guard){ 0 };
	switch_note_sent(&g, m, 2, t);
	m->active_group = m->dm_group = 1;
	for (size_t i = 0; i < m->mp->n_paths; i++)
		m->paths[i].dm_kernel_active = m->paths[i].mp->group != 2;
	assert_false(switch_note_observed(&g, m, t + S));
	dm_paths_active(m, true);
	assert_false(switch_note_observed(&g, m, t + 2 * S));
	assert_int_equal(g.reverts, 0);
	assert_int_equal(switch_decide(m, &g, t + 2 * S, &grp, why,
				       sizeof(why)), SW_SWITCH);
	/* ... the same with the group in standby meanwhile */
	g = (struct switch_guard){ 0 };
	switch_note_sent(&g, m, 2, t);
	for (size_t i = 0; i < m->mp->n_paths; i++)
		if (m->paths[i].mp->group == 2)
			m->paths[i].judge.class = PATH_CLASS_STANDBY;
	assert_false(switch_note_observed(&g, m, t + S));
	for (size_t i = 0; i < m->mp->n_paths; i++)
		if (m->paths[i].mp->group == 2)
			m->paths[i].judge.class = PATH_CLASS_USABLE;
	assert_false(switch_note_observed(&g, m, t + 2 * S));
	assert_int_equal(g.reverts, 0);
	g = (struct switch_guard){ 0 };
	switch_note_sent(&g, m, 2, t);
	assert_int_equal(switch_note_observed(&g, m, t + S),
			 SW_SEEN_REVERT);
	/* Without the kernel's status (multipathd's cache only) nothing
	 * is judged a revert. */
	g = (struct switch_guard){ 0 };
	switch_note_sent(&g, m, 2, t);
	m->dm_group = 0;
	m->active_group = 1;
	assert_false(switch_note_observed(&g, m, t + S));
	m->dm_group = 1;
	/* A change of the optimized group is not a revert. */
	g = (struct switch_guard){ 0 };
	switch_note_sent(&g, m, 2, t);
	m->ao_group = 1;
	assert_false(switch_note_observed(&g, m, t + S));
	/* Neither is a revert long after our switch. */
	m->ao_group = 2;
	assert_false(switch_note_observed(&g, m, t + SW_REVERT_SPAN_NS + S));
	view_free(&v);
}

/* Swap groups 1 and 2 of @mp: multipathd's reload by prio renumbering
 * them. */
static void swap_groups(struct mp_map *mp)
{
	struct mp_group g1 = mp->groups[0];

	mp->groups[0].first_path = mp->groups[1].first_path;
	mp->groups[0].n_paths = mp->groups[1].n_paths;
	mp->groups[1].first_path = g1.first_path;
	mp->groups[1].n_paths = g1.n_paths;
	for (unsigned int k = 0; k < 2; k++)
		for (size_t i = 0; i < mp->groups[k].n_paths; i++)
			mp->paths[mp->groups[k].first_path + i].group = k + 1;
}

/* @node's paths judged optimized, the other node's non-optimized. */
static void optimize_node(struct pw_map *m, const char *node)
{
	for (size_t i = 0; i < m->mp->n_paths; i++)
		m->paths[i].judge.state = strcmp(m->paths[i].node->name, node) ?
			ALUA_ACTIVE_NONOPTIMIZED : ALUA_ACTIVE_OPTIMIZED;
}

/*
 * The guard goes by the group's paths too.  In the lab multipathd
 * reloaded the map right after a switchover's switch, hpms02's group 2
 * becoming group 1; the failback 3 s later made hpms01's group, now
 * group 2, optimized while dm was on group 1.  By numbers that was "our
 * group 2 reverted" (a false warning, a step towards holding off), and
 * but for that revert's reset, "switch to group 2 already sent".
 */
static void test_guard_renumbered(void **state)
{
	struct pw_view v;
	struct switch_guard g = { 0 };
	struct pw_map *m;
	unsigned int grp;
	char why[160];
	uint64_t t = 100 * S;

	(void)state;
	load("misrouted", &v, true);
	m = &v.maps[0];
	dm_paths_active(m, true);
	switch_note_sent(&g, m, 2, t);
	assert_int_equal(g.sent.n, v.mp.maps[0].groups[1].n_paths);
	/* multipathd reloads: our group is group 1 now, dm on it */
	swap_groups(&v.mp.maps[0]);
	m->active_group = m->dm_group = 1;
	m->ao_group = 1;
	assert_int_equal(switch_group_now(m, &g.sent), 1);
	assert_false(switch_note_observed(&g, m, t + S));
	/* the failback: the other group, number 2 now, is optimized */
	optimize_node(m, "hpms01");
	m->ao_group = 2;
	assert_false(switch_note_observed(&g, m, t + 2 * S));
	assert_int_equal(g.reverts, 0);
	assert_int_equal(switch_decide(m, &g, t + 3 * S, &grp, why,
				       sizeof(why)), SW_SWITCH);
	assert_int_equal(grp, 2);
	/* whereas dm leaving our group (group 1 now) while it is still
	 * the optimized one is a revert, whatever the numbers */
	optimize_node(m, "hpms02");
	m->ao_group = 1;
	m->active_group = m->dm_group = 2;
	assert_int_equal(switch_decide(m, &g, t + 3 * S, &grp, why,
				       sizeof(why)), SW_NONE);
	assert_non_null(strstr(why, "already sent"));
	assert_int_equal(switch_note_observed(&g, m, t + 3 * S),
			 SW_SEEN_REVERT);
	assert_int_equal(g.reverts, 1);
	view_free(&v);

	/*
	 * Sent by a number multipathd gave the other group in between
	 * (the view the switch was decided on one look old): dm on the
	 * number sent, our paths never taken.  Not a revert; the switch
	 * goes again, to our group's number now.
	 */
	load("misrouted", &v, true);
	m = &v.maps[0];
	dm_paths_active(m, true);
	g = (struct switch_guard){ 0 };
	switch_note_sent(&g, m, 2, t);
	swap_groups(&v.mp.maps[0]);
	m->active_group = m->dm_group = 2;
	m->ao_group = 1;
	assert_int_equal(switch_note_observed(&g, m, t + S), SW_SEEN_MISSENT);
	assert_int_equal(g.reverts, 0);
	assert_int_equal(switch_decide(m, &g, t + S, &grp, why, sizeof(why)),
			 SW_SWITCH);
	assert_int_equal(grp, 1);
	/* ... but once dm was on our paths, leaving them for the number
	 * sent is a revert like any other */
	switch_note_sent(&g, m, 1, t + 2 * S);
	m->active_group = m->dm_group = 1;
	assert_int_equal(switch_note_observed(&g, m, t + 2 * S),
			 SW_SEEN_NOTHING);
	swap_groups(&v.mp.maps[0]);	/* ours is group 2 again */
	assert_int_equal(switch_note_observed(&g, m, t + 3 * S),
			 SW_SEEN_NOTHING);	/* ao_group 1 is not ours */
	m->ao_group = 2;
	assert_int_equal(switch_note_observed(&g, m, t + 3 * S),
			 SW_SEEN_REVERT);

	/* our group merged with the other (no group of its paths alone):
	 * no revert, no number */
	switch_note_sent(&g, m, 1, t + 4 * S);
	v.mp.maps[0].groups[0].first_path = 0;
	v.mp.maps[0].groups[0].n_paths = v.mp.maps[0].n_paths;
	v.mp.maps[0].n_groups = 1;
	m->ao_group = 0;
	m->active_group = m->dm_group = 1;
	assert_int_equal(switch_group_now(m, &g.sent), 0);
	assert_false(switch_note_observed(&g, m, t + 5 * S));
	view_free(&v);
}

/* A switch is seen by the group's paths: multipathd may renumber the
 * groups right after it (a reload by prio), or merge them. */
static void test_group_seen(void **state)
{
	struct pw_view v, mb;
	struct switch_group_id id, none;
	struct mp_map *mp;
	struct pw_map *m;
	unsigned int first;

	(void)state;
	load("misrouted", &v, true);
	m = &v.maps[0];
	mp = &v.mp.maps[0];
	assert_int_equal(mp->n_groups, 2);
	switch_group_id(m, 2, &id);
	assert_int_equal(id.n, mp->groups[1].n_paths);
	first = (unsigned int)mp->groups[1].first_path;
	assert_string_equal(id.dev[0], mp->paths[first].dev);
	/* dm still on group 1: not seen; on group 2: seen */
	m->active_group = 1;
	assert_false(switch_group_seen(m, &id));
	m->active_group = 2;
	assert_true(switch_group_seen(m, &id));
	/* renumbered: the same paths are group 1 now, dm uses it */
	swap_groups(mp);
	m->active_group = 1;
	assert_true(switch_group_seen(m, &id));
	/* and the old group 1's paths, now group 2, are not ours */
	m->active_group = 2;
	assert_false(switch_group_seen(m, &id));
	/* no group, no map on a group, a group number out of range */
	switch_group_id(m, 3, &none);
	assert_int_equal(none.n, 0);
	assert_false(switch_group_seen(m, &none));
	m->active_group = 0;
	assert_false(switch_group_seen(m, &id));
	m->active_group = 3;
	assert_false(switch_group_seen(m, &id));
	view_free(&v);
	/* all four paths merged into one group: ours are in it, but so are
	 * the other node's: not seen */
	load("multibus", &mb, true);
	assert_int_equal(mb.mp.maps[0].n_groups, 1);
	mb.maps[0].active_group = 1;
	assert_false(switch_group_seen(&mb.maps[0], &id));
	view_free(&mb);
}

/* One map's answers taken, the other map of the host left as it was
 * (the daemon as each map's answers come): its paths unanswered, and the
 * answered map judged with them, hpms02's group optimized. */
static void test_map_answers(void **state)
{
	struct pw_view v;
	struct rtpg_source rt;
	struct rtpg_batch b, one;
	struct fx_host h;
	size_t k;

	(void)state;
	fx_view("misrouted2", &conf, NULL, &v);
	assert_int_equal(v.n_maps, 2);
	assert_true(view_rtpg_batch(&v, &b, true));
	fx_host(&h, "misrouted2");
	rtpg_source_replay(&rt, h.replay);
	rtpg_batch_ask(&b, &rt, 1000);
	/* the first map's items only, as the daemon takes them */
	for (k = 0; k < b.n && !strcmp(b.items[k].map, b.items[0].map); k++)
		;
	one = (struct rtpg_batch){ .items = b.items, .n = k };
	assert_int_equal(k, 4);
	view_take_map_answers(&v, &v.maps[0], &one, &conf);
	for (size_t i = 0; i < v.maps[0].mp->n_paths; i++) {
		const struct pw_path *p = &v.maps[0].paths[i];

		assert_true(p->rtpg_done);
		assert_int_equal(p->judge.state,
				 of(p, "hpms02") ? ALUA_ACTIVE_OPTIMIZED
						 : ALUA_ACTIVE_NONOPTIMIZED);
	}
	for (size_t i = 0; i < v.maps[1].mp->n_paths; i++)
		assert_false(v.maps[1].paths[i].rtpg_done);
	rtpg_batch_free(&b);
	view_free(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decisions),
		cmocka_unit_test(test_no_usable),
		cmocka_unit_test(test_recheck_merged),
		cmocka_unit_test(test_ao_split),
		cmocka_unit_test(test_merged_split),
		cmocka_unit_test(test_fail_merged),
		cmocka_unit_test(test_read_dm),
		cmocka_unit_test(test_guard),
		cmocka_unit_test(test_guard_renumbered),
		cmocka_unit_test(test_group_seen),
		cmocka_unit_test(test_map_answers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
