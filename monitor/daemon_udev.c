// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The udev event source: SCSI ALUA-change uevents, dm path uevents,
 * sd/dm add and remove, from libudev or, in tests, from a FIFO.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>



#include "daemon_priv.h"
#include "view_pace.h"

/* A fresh view @delay_ns from @now, or later when the last one was
 * costly (view_pace.h); one armed sooner stands. */
static void refresh_paced(struct daemon *d, uint64_t now, uint64_t delay_ns)
{
	loop_timer_arm_before(&d->loop, d->t_refresh,
			      view_pace_at(now, delay_ns, d->view_end_ns,
					   d->view_cost_ns));
}

/* One uevent, from libudev or from the test FIFO. */
static void uevent(struct daemon *d, const char *sub, const char *act,
		   const char *name, const char *ua, const char *dma,
		   const char *dm_name, const char *dm_path)
{
	uint64_t now = d->loop.now();

	if (sub && !strcmp(sub, "scsi") && act && !strcmp(act, "change") &&
	    ua && !strcmp(ua, "ASYMMETRIC_ACCESS_STATE_CHANGED")) {
		d->alua_events++;
		d->last_alua_ns = now;
		event(d, map_of_hctl(d, name), now, FW_EV_ALUA_CHANGE,
		      name ? name : "");
		alua_changed(d, now);
	} else if (sub && !strcmp(sub, "block") && dma && dm_name &&
		   *dm_name && (!strcmp(dma, "PATH_FAILED") ||
		    !strcmp(dma, "PATH_REINSTATED"))) {
		event(d, dm_name, now, dma[5] == 'F' ? FW_EV_PATH_FAILED :
		      FW_EV_PATH_REINSTATED, dm_path ? dm_path : "");
		refresh_paced(d, now, 50 * MS);
	} else if (sub && !strcmp(sub, "block") && act &&
		   (!strcmp(act, "add") || !strcmp(act, "remove") ||
		    !strcmp(act, "change")) && name &&
		   (!strncmp(name, "sd", 2) || !strncmp(name, "dm-", 3))) {
		/* Coalesce: a login brings a burst of these. */
		refresh_paced(d, now, 300 * MS);
	}
}

static void on_udev(void *arg, int fd, short revents)
{
	struct daemon *d = arg;
	struct udev_device *dev;

	(void)fd;
	(void)revents;
	while ((dev = udev_monitor_receive_device(d->mon))) {
		uevent(d, udev_device_get_subsystem(dev),
		       udev_device_get_action(dev),
		       udev_device_get_sysname(dev),
		       udev_device_get_property_value(dev, "SDEV_UA"),
		       udev_device_get_property_value(dev, "DM_ACTION"),
		       udev_device_get_property_value(dev, "DM_NAME"),
		       udev_device_get_property_value(dev, "DM_PATH"));
		udev_device_unref(dev);
	}
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
			const char *ua = NULL, *dma = NULL, *dmn = NULL,
				   *dmp = NULL;
			int k = 0;

			for (char *t = strtok_r(line, " ", &s2); t && k < 16;
			     t = strtok_r(NULL, " ", &s2))
				w[k++] = t;
			if (k < 3)
				continue;
			for (int i = 3; i < k; i++) {
				if (!strncmp(w[i], "SDEV_UA=", 8))
					ua = w[i] + 8;
				else if (!strncmp(w[i], "DM_ACTION=", 10))
					dma = w[i] + 10;
				else if (!strncmp(w[i], "DM_NAME=", 8))
					dmn = w[i] + 8;
				else if (!strncmp(w[i], "DM_PATH=", 8))
					dmp = w[i] + 8;
			}
			uevent(d, w[0], w[1], w[2], ua, dma, dmn, dmp);
		}
	}
}

static int udev_start(struct daemon *d)
{
	d->udev = udev_new();
	if (!d->udev)
		return -ENOMEM;
	d->mon = udev_monitor_new_from_netlink(d->udev, "udev");
	if (!d->mon)
		return -EPERM;
	udev_monitor_filter_add_match_subsystem_devtype(d->mon, "scsi",
							"scsi_device");
	udev_monitor_filter_add_match_subsystem_devtype(d->mon, "block",
							"disk");
	if (udev_monitor_enable_receiving(d->mon))
		return -EPERM;
	udev_monitor_set_receive_buffer_size(d->mon, 4 << 20);
	return loop_add_fd(&d->loop, udev_monitor_get_fd(d->mon), POLLIN,
			   on_udev, d);
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
	if (d->mon)
		udev_monitor_unref(d->mon);
	if (d->udev)
		udev_unref(d->udev);
	d->mon = NULL;
	d->udev = NULL;
	if (d->fifo_fd >= 0)
		close(d->fifo_fd);
	d->fifo_fd = -1;
}
