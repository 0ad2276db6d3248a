/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Cost of one multipathd check cycle (path checker + prioritizer) on a
 * replayed active/optimized path: SCSI commands sent, by kind.  Run under
 * callgrind by `make bench-check` to count instructions as well.
 *
 *   bench_plugins rtpg|stock CYCLES
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


#include "fake_sg.h"
#include "mp_loader.h"

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { 0, (long)ms * 1000000L };

	nanosleep(&ts, NULL);
}

static int check_settled(struct mp_checker *mc)
{
	int st;

	for (int i = 0; i < 2000; i++) {
		st = mp_checker_check(mc, PATH_UP);
		if (st != PATH_PENDING)
			return st;
		sleep_ms(1);
	}
	return st;
}

int main(int argc, char **argv)
{
	const char *checker_so, *prio_so;
	struct mp_checker mc;
	struct mp_prio mp;
	struct path *pp;
	char err[256];
	long cycles;
	int fd, st = PATH_UP, prio = 0;
	unsigned int before[4];
	static const char *const kinds[4] = { "tur", "inq", "inq83", "rtpg" };

	if (argc != 3 || (strcmp(argv[1], "rtpg") && strcmp(argv[1], "stock"))) {
		fprintf(stderr, "usage: %s rtpg|stock CYCLES\n", argv[0]);
		return 2;
	}
	cycles = strtol(argv[2], NULL, 10);
	if (!strcmp(argv[1], "rtpg")) {
		checker_so = PLUGIN_DIR "/libcheckrtpg.so";
		prio_so = PRIO_DIR "/libpriortpg.so";
	} else {
		checker_so = MPT_PLUGIN_DIR "/libchecktur.so";
		prio_so = MPT_PLUGIN_DIR "/libprioalua.so";
	}
	if (mp_checker_load(checker_so, &mc, err, sizeof(err)) ||
	    mp_prio_load(prio_so, &mp, err, sizeof(err))) {
		fprintf(stderr, "bench: %s\n", err);
		return 1;
	}
	mp_checker_set_async(&mc, 1);
	fd = fake_sg_open("lio-hpms01-ao");
	pp = mp_path_new(fd, "sdbench");
	if (mp_checker_init(&mc, fd, 5) != 0)
		return 1;
	/* warm-up: the rtpg checker reads the path's identity once */
	check_settled(&mc);
	mp_prio_get(&mp, pp, "", 5000);
	for (int k = 0; k < 4; k++)
		before[k] = fake_sg_count(fd, kinds[k]);

	for (long i = 0; i < cycles; i++) {
		st = check_settled(&mc);
		prio = mp_prio_get(&mp, pp, "", 5000);
	}

	printf("config=%s cycles=%ld state=%d prio=%d", argv[1], cycles, st,
	       prio);
	for (int k = 0; k < 4; k++)
		printf(" %s=%u", kinds[k], fake_sg_count(fd, kinds[k]) - before[k]);
	printf("\n");
	mp_checker_free(&mc);
	mp_path_free(pp);
	fake_sg_close(fd);
	return (st == PATH_UP && prio == 50) ? 0 : 1;
}
