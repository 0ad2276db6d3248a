// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The uevent sources: SCSI ALUA-change uevents and dm path uevents from
 * the kernel's netlink group, sd/dm add, remove and dm change from
 * udevd's (uevent_route.h), or, in tests, all of them from a FIFO.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include "daemon_priv.h"
#include "uevent_route.h"
#include "view_pace.h"

/* A fresh view @delay_ns from @now, or later when the last one was
 * costly (view_pace.h); one armed sooner stands. */
static void refresh_paced(struct daemon *d, uint64_t now, uint64_t delay_ns)
{
	loop_timer_arm_before(&d->loop, d->t_refresh,
			      view_pace_at(now, delay_ns, d->view_end_ns,
					   d->view_cost_ns));
}

/* One uevent, from a libudev monitor or from the test FIFO: what it is
 * and whether this source's copy is the one to act on (uevent_route.h). */
static void uevent(struct daemon *d, enum uevent_source src,
		   const struct uevent_fields *f)
{
	uint64_t now = d->loop.now();
	enum uevent_act act = uevent_route(src, f);

	switch (act) {
	case UEV_ALUA_CHANGE:
		d->alua_events++;
		d->last_alua_ns = now;
		event(d, map_of_hctl(d, f->sysname), now, FW_EV_ALUA_CHANGE,
		      f->sysname ? f->sysname : "");
		alua_changed(d, now);
		break;
	case UEV_PATH_FAILED:
	case UEV_PATH_REINSTATED:
		event(d, f->dm_name, now,
		      act == UEV_PATH_FAILED ?
		      FW_EV_PATH_FAILED : FW_EV_PATH_REINSTATED,
		      f->dm_path ? f->dm_path : "");
		refresh_paced(d, now, 50 * MS);
		break;
	case UEV_DEVICES:
		/* Coalesce: a login brings a burst of these. */
		refresh_paced(d, now, 300 * MS);
		break;
	case UEV_IGNORE:
		break;
	}
}

static void drain(struct daemon *d, struct udev_monitor *mon,
		  enum uevent_source src)
{
	struct udev_device *dev;

	while ((dev = udev_monitor_receive_device(mon))) {
		struct uevent_fields f = {
			.subsystem = udev_device_get_subsystem(dev),
			.action = udev_device_get_action(dev),
			.sysname = udev_device_get_sysname(dev),
			.sdev_ua = udev_device_get_property_value(dev,
								  "SDEV_UA"),
			.dm_action = udev_device_get_property_value(dev,
								    "DM_ACTION"),
			.dm_name = udev_device_get_property_value(dev,
								  "DM_NAME"),
			.dm_path = udev_device_get_property_value(dev,
								  "DM_PATH"),
		};

		uevent(d, src, &f);
		udev_device_unref(dev);
	}
}

static void on_udev(void *arg, int fd, short revents)
{
	struct daemon *d = arg;

	(void)fd;
	(void)revents;
	drain(d, d->mon, d->kmon ? UEV_SRC_UDEV : UEV_SRC_UDEV_ALONE);
}

static void on_kernel(void *arg, int fd, short revents)
{
	struct daemon *d = arg;

	(void)fd;
	(void)revents;
	drain(d, d->kmon, UEV_SRC_KERNEL);
}

/*
 * Tests feed uevents through a FIFO, one per line:
 *   SUBSYSTEM ACTION SYSNAME [KEY=VALUE...]
 * and they take the same path as libudev's.
 */
static void on_uevent_fifo(void *arg, int fd, short revents)
{
	struct daemon *d = arg;
	char buf[4096];
	ssize_t n;

	(void)revents;
	while ((n = read(fd, buf, sizeof(buf) - 1)) > 0) {
		char *save = NULL, *line;

		buf[n] = '\0';
		for (line = strtok_r(buf, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			char *w[16], *s2 = NULL;
			struct uevent_fields f = { 0 };
			int k = 0;

			for (char *t = strtok_r(line, " ", &s2); t && k < 16;
			     t = strtok_r(NULL, " ", &s2))
				w[k++] = t;
			if (k < 3)
				continue;
			for (int i = 3; i < k; i++) {
				if (!strncmp(w[i], "SDEV_UA=", 8))
					f.sdev_ua = w[i] + 8;
				else if (!strncmp(w[i], "DM_ACTION=", 10))
					f.dm_action = w[i] + 10;
				else if (!strncmp(w[i], "DM_NAME=", 8))
					f.dm_name = w[i] + 8;
				else if (!strncmp(w[i], "DM_PATH=", 8))
					f.dm_path = w[i] + 8;
			}
			f.subsystem = w[0];
			f.action = w[1];
			f.sysname = w[2];
			uevent(d, UEV_SRC_FIFO, &f);
		}
	}
}

/* A monitor of @source's netlink group ("udev" or "kernel") for SCSI
 * devices and disks, polled by @cb; NULL with errno set. */
static struct udev_monitor *monitor_open(struct daemon *d, const char *source,
					 void (*cb)(void *, int, short))
{
	struct udev_monitor *mon;
	int rc = -EPERM;

	mon = udev_monitor_new_from_netlink(d->udev, source);
	if (!mon)
		return NULL;
	/* libudev applies the filter to the kernel's messages in user
	 * space, to udevd's in the socket */
	if (udev_monitor_filter_add_match_subsystem_devtype(mon, "scsi",
							    "scsi_device") ||
	    udev_monitor_filter_add_match_subsystem_devtype(mon, "block",
							    "disk") ||
	    (rc = udev_monitor_enable_receiving(mon)))
		goto fail;
	/* a promotion at 64 LUNs is hundreds of uevents at once */
	udev_monitor_set_receive_buffer_size(mon, 4 << 20);
	if ((rc = loop_add_fd(&d->loop, udev_monitor_get_fd(mon), POLLIN, cb,
			      d)))
		goto fail;
	return mon;
fail:
	udev_monitor_unref(mon);
	errno = rc < 0 ? -rc : EPERM;	/* after unref: it may set errno */
	return NULL;
}

static int udev_start(struct daemon *d)
{
	d->udev = udev_new();
	if (!d->udev)
		return -ENOMEM;
	d->mon = monitor_open(d, "udev", on_udev);
	if (!d->mon)
		return -errno;
	d->kmon = monitor_open(d, "kernel", on_kernel);
	if (!d->kmon)
		log_warn("cannot listen to the kernel's uevents (%s): unit "
			 "attentions and dm path events are taken from udevd, "
			 "after its rules", strerror(errno));
	return 0;
}

int udev_source_init(struct daemon *d)
{
	int rc;

	if (d->o->uevent_fifo) {
		d->fifo_fd = open(d->o->uevent_fifo,
				  O_RDWR | O_NONBLOCK | O_CLOEXEC);
		if (d->fifo_fd < 0 ||
		    loop_add_fd(&d->loop, d->fifo_fd, POLLIN, on_uevent_fifo,
				d)) {
			log_err("%s: %s", d->o->uevent_fifo, strerror(errno));
			return -1;
		}
	}
	if (!d->o->no_udev && (rc = udev_start(d))) {
		log_err("cannot listen to udev events: %s", strerror(-rc));
		return -1;
	}
	return 0;
}

void udev_source_fini(struct daemon *d)
{
	if (d->kmon)
		udev_monitor_unref(d->kmon);
	if (d->mon)
		udev_monitor_unref(d->mon);
	if (d->udev)
		udev_unref(d->udev);
	d->mon = NULL;
	d->kmon = NULL;
	d->udev = NULL;
	if (d->fifo_fd >= 0)
		close(d->fifo_fd);
	d->fifo_fd = -1;
}
