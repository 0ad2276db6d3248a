// SPDX-License-Identifier: GPL-2.0-or-later
/* Which uevents the daemon takes from which source (uevent_route.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "uevent_route.h"

/* A unit attention: the SCSI device's change, as the kernel sends it. */
static const struct uevent_fields ua = {
	.subsystem = "scsi", .action = "change", .sysname = "2:0:0:1",
	.sdev_ua = "ASYMMETRIC_ACCESS_STATE_CHANGED",
};
/* Another unit attention of the same device (capacity): not ALUA. */
static const struct uevent_fields ua_other = {
	.subsystem = "scsi", .action = "change", .sysname = "2:0:0:1",
	.sdev_ua = "CAPACITY_DATA_HAS_CHANGED",
};
/* dm failed a path of a map: a change of the map's dm-N. */
static const struct uevent_fields failed = {
	.subsystem = "block", .action = "change", .sysname = "dm-0",
	.dm_action = "PATH_FAILED", .dm_name = "mpatha", .dm_path = "8:16",
};
static const struct uevent_fields reinstated = {
	.subsystem = "block", .action = "change", .sysname = "dm-0",
	.dm_action = "PATH_REINSTATED", .dm_name = "mpatha",
	.dm_path = "8:16",
};
/* A map reloaded (multipathd's table change): dm-N's change, no action. */
static const struct uevent_fields reload = {
	.subsystem = "block", .action = "change", .sysname = "dm-0",
};
static const struct uevent_fields disk_add = {
	.subsystem = "block", .action = "add", .sysname = "sdc",
};
static const struct uevent_fields map_remove = {
	.subsystem = "block", .action = "remove", .sysname = "dm-3",
};
/* The disk's change 60-block.rules writes after a unit attention. */
static const struct uevent_fields disk_change = {
	.subsystem = "block", .action = "change", .sysname = "sdc",
};
static const struct uevent_fields loop_add = {
	.subsystem = "block", .action = "add", .sysname = "loop0",
};

/* With both groups open each uevent is acted on once, from the source
 * that has it first in the form the daemon needs. */
static void test_kernel_and_udev(void **state)
{
	(void)state;
	/* the kernel's copy of what needs no udev rule */
	assert_int_equal(uevent_route(UEV_SRC_KERNEL, &ua), UEV_ALUA_CHANGE);
	assert_int_equal(uevent_route(UEV_SRC_KERNEL, &failed),
			 UEV_PATH_FAILED);
	assert_int_equal(uevent_route(UEV_SRC_KERNEL, &reinstated),
			 UEV_PATH_REINSTATED);
	assert_int_equal(uevent_route(UEV_SRC_UDEV, &ua), UEV_IGNORE);
	assert_int_equal(uevent_route(UEV_SRC_UDEV, &failed), UEV_IGNORE);
	assert_int_equal(uevent_route(UEV_SRC_UDEV, &reinstated), UEV_IGNORE);
	/* udevd's copy of devices coming, going and maps reloaded */
	assert_int_equal(uevent_route(UEV_SRC_UDEV, &disk_add), UEV_DEVICES);
	assert_int_equal(uevent_route(UEV_SRC_UDEV, &map_remove),
			 UEV_DEVICES);
	assert_int_equal(uevent_route(UEV_SRC_UDEV, &reload), UEV_DEVICES);
	assert_int_equal(uevent_route(UEV_SRC_KERNEL, &disk_add), UEV_IGNORE);
	assert_int_equal(uevent_route(UEV_SRC_KERNEL, &map_remove),
			 UEV_IGNORE);
	assert_int_equal(uevent_route(UEV_SRC_KERNEL, &reload), UEV_IGNORE);
	/* a disk's forwarded change: from neither */
	assert_int_equal(uevent_route(UEV_SRC_UDEV, &disk_change),
			 UEV_IGNORE);
	assert_int_equal(uevent_route(UEV_SRC_KERNEL, &disk_change),
			 UEV_IGNORE);
}

/* udevd alone (no kernel group) and the tests' FIFO carry everything;
 * a disk's change is then a reason for a view, as before. */
static void test_one_source(void **state)
{
	static const enum uevent_source one[] = {
		UEV_SRC_UDEV_ALONE, UEV_SRC_FIFO,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(one) / sizeof(one[0]); i++) {
		assert_int_equal(uevent_route(one[i], &ua), UEV_ALUA_CHANGE);
		assert_int_equal(uevent_route(one[i], &failed),
				 UEV_PATH_FAILED);
		assert_int_equal(uevent_route(one[i], &reinstated),
				 UEV_PATH_REINSTATED);
		assert_int_equal(uevent_route(one[i], &disk_add), UEV_DEVICES);
		assert_int_equal(uevent_route(one[i], &reload), UEV_DEVICES);
		assert_int_equal(uevent_route(one[i], &disk_change),
				 UEV_DEVICES);
	}
}

/* A dm path event with no map name has nothing to say it of: it is a
 * change of the map like a reload, a view's reason from udevd's copy. */
static void test_path_event_unnamed(void **state)
{
	static const struct uevent_fields unnamed = {
		.subsystem = "block", .action = "change", .sysname = "dm-0",
		.dm_action = "PATH_FAILED", .dm_name = "",
	};

	(void)state;
	assert_int_equal(uevent_route(UEV_SRC_KERNEL, &unnamed), UEV_IGNORE);
	assert_int_equal(uevent_route(UEV_SRC_UDEV, &unnamed), UEV_DEVICES);
	assert_int_equal(uevent_route(UEV_SRC_FIFO, &unnamed), UEV_DEVICES);
}

/* What is none of these is ignored from every source. */
static void test_not_ours(void **state)
{
	static const enum uevent_source all[] = {
		UEV_SRC_KERNEL, UEV_SRC_UDEV, UEV_SRC_UDEV_ALONE, UEV_SRC_FIFO,
	};
	/* a SCSI device's change that is no unit attention */
	static const struct uevent_fields scsi_change = {
		.subsystem = "scsi", .action = "change", .sysname = "2:0:0:1",
	};
	static const struct uevent_fields empty = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		assert_int_equal(uevent_route(all[i], &ua_other), UEV_IGNORE);
		assert_int_equal(uevent_route(all[i], &loop_add), UEV_IGNORE);
		assert_int_equal(uevent_route(all[i], &scsi_change),
				 UEV_IGNORE);
		assert_int_equal(uevent_route(all[i], &empty), UEV_IGNORE);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_and_udev),
		cmocka_unit_test(test_one_source),
		cmocka_unit_test(test_path_event_unnamed),
		cmocka_unit_test(test_not_ours),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
