/*
 * pwlab-tcmu: a hostile logical unit for the lab (issue 8), as a TCMU
 * user-space handler.
 *
 * LIO answers REPORT TARGET PORT GROUPS itself for its own backstores, and
 * answers it right, so the lab cannot otherwise show what the rtpg checker
 * does with a bad answer through the real SG_IO path.  A "user" backstore
 * (target_core_user) hands every command but REPORT LUNS to user space
 * through a command ring in a UIO mapping; this handler answers them.  It is
 * an ordinary small disk (reads return zeros, writes are dropped) whose
 * INQUIRY claims implicit ALUA and whose VPD page 0x83 names target port
 * group 7 and relative port 1, and whose RTPG answer is whatever the mode
 * file says at the moment the command arrives:
 *
 *   ok        a well-formed answer: group 7 active/optimized
 *   garbage   pseudo-random bytes over the whole allocation length, under
 *             a header that claims just that length
 *   short     two bytes, less than the length header
 *   overlong  a header claiming 4096 bytes of descriptors, 12 sent
 *   badstate  a well-formed answer with a reserved state code (0xd)
 *   error     CHECK CONDITION, HARDWARE ERROR 44/00, every time
 *
 * Each RTPG is logged on stdout ("<epoch> rtpg <mode> alloc <n>"), so a test
 * can tell that the hostile answer really went out.
 *
 * Usage: pwlab-tcmu CONFIG MODE_FILE, CONFIG being the dev_config string the
 * backstore was created with (the UIO device is found by it).  Runs until
 * killed.  Exit status: 2 usage or set-up error, 1 the ring went wrong.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* <linux/uio.h>, which this includes, defines a struct iovec of its own:
 * renamed here so it does not clash with libc's */
#define iovec tcmu_iovec
#include <linux/target_core_user.h>
#undef iovec

enum {
	BLOCK_SIZE = 512,
	N_BLOCKS = 32768,		/* 16 MiB */
	GROUP_ID = 7,
	REL_PORT = 1,
};

/* SAM status and sense keys used here */
enum {
	ST_GOOD = 0x00,
	ST_CHECK = 0x02,
	SK_ILLEGAL_REQUEST = 0x05,
	SK_HARDWARE_ERROR = 0x04,
};

enum mode { M_OK, M_GARBAGE, M_SHORT, M_OVERLONG, M_BADSTATE, M_ERROR };
static const char *const mode_names[] = {
	[M_OK] = "ok", [M_GARBAGE] = "garbage", [M_SHORT] = "short",
	[M_OVERLONG] = "overlong", [M_BADSTATE] = "badstate", [M_ERROR] = "error",
};

struct ring {
	int fd;
	void *map;
	size_t map_len;
	struct tcmu_mailbox *mb;
	const char *mode_file;
	uint32_t rng;
};

/* One command's reply, built before it is copied into the ring entry. */
struct reply {
	uint8_t status;
	uint8_t sense_key, asc, ascq;
	uint8_t data[4096];
	size_t len;			/* bytes of data to return */
};

/* The first line of @path without its newline; false if it cannot be
 * opened (@buf then empty). */
static bool read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (!f)
		return false;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return true;
}

static enum mode read_mode(const char *path)
{
	char buf[32];

	read_line(path, buf, sizeof(buf));
	buf[strcspn(buf, " ")] = '\0';
	for (unsigned int m = 0; m < sizeof(mode_names) / sizeof(*mode_names); m++)
		if (!strcmp(buf, mode_names[m]))
			return m;
	return M_OK;
}

static void check_condition(struct reply *r, uint8_t key, uint8_t asc,
			    uint8_t ascq)
{
	r->status = ST_CHECK;
	r->sense_key = key;
	r->asc = asc;
	r->ascq = ascq;
	r->len = 0;
}

static void put_be16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v; }
static void put_be32(uint8_t *p, uint32_t v)
{
	put_be16(p, v >> 16);
	put_be16(p + 2, v);
}

static void inquiry(const uint8_t *cdb, struct reply *r)
{
	uint8_t *d = r->data;

	if (!(cdb[1] & 0x01)) {
		if (cdb[2]) {
			check_condition(r, SK_ILLEGAL_REQUEST, 0x24, 0);
			return;
		}
		d[2] = 0x06;		/* SPC-4 */
		d[3] = 0x02;		/* response data format 2 */
		d[4] = 36 - 5;
		d[5] = 0x10;		/* TPGS 01b: implicit ALUA */
		d[7] = 0x02;		/* CmdQue */
		memcpy(d + 8, "LIO-ORG pwlab-hostile   0001", 28);
		r->len = 36;
		return;
	}
	d[1] = cdb[2];
	switch (cdb[2]) {
	case 0x00:
		d[3] = 3;
		d[4] = 0x00;
		d[5] = 0x80;
		d[6] = 0x83;
		r->len = 7;
		break;
	case 0x80:
		d[3] = 15;
		memcpy(d + 4, "pwlab-hostile-1", 15);
		r->len = 19;
		break;
	case 0x83: {
		uint8_t *p = d + 4;
		/* NAA 6, LIO's IEEE company id: the LU's name */
		static const uint8_t naa[16] = {
			0x60, 0x01, 0x40, 0x5f, 0x00, 0x0d, 0x15, 0xea,
			0x5e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
		};

		p[0] = 0x01;		/* binary */
		p[1] = 0x03;		/* LU, NAA */
		p[3] = sizeof(naa);
		memcpy(p + 4, naa, sizeof(naa));
		p += 4 + sizeof(naa);
		p[0] = 0x01;
		p[1] = 0x14;		/* target port, relative target port */
		p[3] = 4;
		put_be32(p + 4, REL_PORT);
		p += 8;
		p[0] = 0x01;
		p[1] = 0x15;		/* target port, target port group */
		p[3] = 4;
		put_be32(p + 4, GROUP_ID);
		p += 8;
		put_be16(d + 2, (uint16_t)(p - d - 4));
		r->len = (size_t)(p - d);
		break;
	}
	default:
		check_condition(r, SK_ILLEGAL_REQUEST, 0x24, 0);
	}
}

/* The answer a good target gives: one group, one port. */
static size_t rtpg_good(uint8_t *d, bool extended, uint8_t state)
{
	size_t h = extended ? 8 : 4;

	if (extended) {
		d[4] = 0x10;		/* format 1: extended header */
		d[5] = 10;		/* implicit transition time */
	}
	d[h] = state;
	d[h + 1] = 0xcf;		/* T O U S AN AO supported */
	put_be16(d + h + 2, GROUP_ID);
	d[h + 7] = 1;
	put_be16(d + h + 10, REL_PORT);
	put_be32(d, (uint32_t)(h + 12 - 4));
	return h + 12;
}

static uint32_t next_rand(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

static void rtpg(struct ring *g, const uint8_t *cdb, struct reply *r)
{
	bool extended = (cdb[1] & 0xe0) == 0x20;
	size_t alloc = (size_t)cdb[6] << 24 | (size_t)cdb[7] << 16 |
		       (size_t)cdb[8] << 8 | cdb[9];
	enum mode m = read_mode(g->mode_file);
	struct timespec ts;

	if (alloc > sizeof(r->data))
		alloc = sizeof(r->data);
	clock_gettime(CLOCK_REALTIME, &ts);
	printf("%lld.%06ld rtpg %s alloc %zu\n", (long long)ts.tv_sec,
	       ts.tv_nsec / 1000, mode_names[m], alloc);
	fflush(stdout);
	switch (m) {
	case M_OK:
		r->len = rtpg_good(r->data, extended, 0x00);
		break;
	case M_BADSTATE:
		r->len = rtpg_good(r->data, extended, 0x0d);
		break;
	case M_GARBAGE:
		/*
		 * Random descriptors under a header that claims what is sent.
		 * A random length as well sent the initiator's kernel down:
		 * scsi_dh_alua (6.1) believes the header, re-sends RTPG with
		 * each new claim and walks what it was not sent, and one run
		 * ended in an out-of-memory panic during a map reload.  The
		 * plugins' handling of lengths is the overlong and short
		 * modes' business; this one is about content.
		 */
		for (size_t i = 0; i < alloc; i++)
			r->data[i] = (uint8_t)next_rand(&g->rng);
		r->len = alloc;
		if (alloc >= 4)
			put_be32(r->data, (uint32_t)(alloc - 4));
		break;
	case M_SHORT:
		r->len = 2;
		break;
	case M_OVERLONG:
		rtpg_good(r->data, extended, 0x00);
		put_be32(r->data, 4096);
		r->len = extended ? 20 : 16;
		break;
	case M_ERROR:
		check_condition(r, SK_HARDWARE_ERROR, 0x44, 0x00);
		break;
	}
	if (r->len > alloc)
		r->len = alloc;
}

static void execute(struct ring *g, const uint8_t *cdb, struct reply *r)
{
	switch (cdb[0]) {
	case 0x00:			/* TEST UNIT READY */
	case 0x0a: case 0x2a: case 0x8a:	/* WRITE 6/10/16: dropped */
	case 0x35: case 0x91:		/* SYNCHRONIZE CACHE */
		break;
	case 0x08: case 0x28: case 0x88:	/* READ 6/10/16: zeros */
		r->len = SIZE_MAX;
		break;
	case 0x12:
		inquiry(cdb, r);
		break;
	case 0x25:			/* READ CAPACITY (10) */
		put_be32(r->data, N_BLOCKS - 1);
		put_be32(r->data + 4, BLOCK_SIZE);
		r->len = 8;
		break;
	case 0x9e:			/* SERVICE ACTION IN (16) */
		if ((cdb[1] & 0x1f) != 0x10) {
			check_condition(r, SK_ILLEGAL_REQUEST, 0x24, 0);
			break;
		}
		put_be32(r->data + 4, N_BLOCKS - 1);
		put_be32(r->data + 8, BLOCK_SIZE);
		r->len = 32;
		break;
	case 0x1a:			/* MODE SENSE (6): header only */
		r->data[0] = 3;
		r->len = 4;
		break;
	case 0xa3:			/* MAINTENANCE IN */
		if ((cdb[1] & 0x1f) == 0x0a) {
			rtpg(g, cdb, r);
			break;
		}
		check_condition(r, SK_ILLEGAL_REQUEST, 0x24, 0);
		break;
	default:
		check_condition(r, SK_ILLEGAL_REQUEST, 0x20, 0);
	}
}

/* Copy the reply's data into the command's data-in buffers (the iov bases
 * are offsets into the mapping); SIZE_MAX means zeros over all of them.
 * The iovecs sit unaligned in the packed entry: copied out one by one. */
static size_t fill_iov(struct ring *g, const struct tcmu_cmd_entry *e,
		       const struct reply *r)
{
	const char *iovs = (const char *)e + offsetof(struct tcmu_cmd_entry,
						      req.iov);
	uint32_t n = e->req.iov_cnt;
	size_t done = 0;

	for (uint32_t i = 0; i < n; i++) {
		struct tcmu_iovec v;
		size_t off, len, chunk;

		memcpy(&v, iovs + i * sizeof(v), sizeof(v));
		off = (size_t)(uintptr_t)v.iov_base;
		len = v.iov_len;
		if (off > g->map_len || len > g->map_len - off)
			return done;
		if (r->len == SIZE_MAX) {
			memset((char *)g->map + off, 0, len);
			done += len;
			continue;
		}
		if (done >= r->len)
			break;
		chunk = r->len - done < len ? r->len - done : len;
		memcpy((char *)g->map + off, r->data + done, chunk);
		done += chunk;
	}
	return done;
}

static void handle(struct ring *g, struct tcmu_cmd_entry *e)
{
	struct reply r;
	uint8_t cdb[16] = { 0 };
	size_t cdb_off = e->req.cdb_off, sent;

	memset(&r, 0, sizeof(r));
	if (cdb_off < g->map_len && g->map_len - cdb_off >= sizeof(cdb))
		memcpy(cdb, (char *)g->map + cdb_off, sizeof(cdb));
	execute(g, cdb, &r);
	sent = r.status == ST_GOOD ? fill_iov(g, e, &r) : 0;
	/* req and rsp share the entry: everything read above, now reply */
	e->rsp.scsi_status = r.status;
	if (r.status == ST_CHECK) {
		uint8_t *s = (uint8_t *)e->rsp.sense_buffer;

		memset(s, 0, TCMU_SENSE_BUFFERSIZE);
		s[0] = 0x70;		/* fixed format, current */
		s[2] = r.sense_key;
		s[7] = 10;
		s[12] = r.asc;
		s[13] = r.ascq;
	} else if (r.len != SIZE_MAX &&
		   (g->mb->flags & TCMU_MAILBOX_FLAG_CAP_READ_LEN)) {
		e->hdr.uflags |= TCMU_UFLAG_READ_LEN;
		e->rsp.read_len = (uint32_t)sent;
	}
}

/* Every entry between our tail and the kernel's head; returns how many
 * commands were answered. */
static unsigned int drain(struct ring *g)
{
	struct tcmu_mailbox *mb = g->mb;
	char *cmdr = (char *)mb + mb->cmdr_off;
	unsigned int n = 0;

	__sync_synchronize();
	while (mb->cmd_tail != *(volatile uint32_t *)&mb->cmd_head) {
		struct tcmu_cmd_entry *e = (void *)(cmdr + mb->cmd_tail);
		uint32_t len = tcmu_hdr_get_len(e->hdr.len_op);

		if (!len || len > mb->cmdr_size)
			return UINT32_MAX;
		if (tcmu_hdr_get_op(e->hdr.len_op) == TCMU_OP_CMD) {
			handle(g, e);
			n++;
		}
		__sync_synchronize();
		mb->cmd_tail = (mb->cmd_tail + len) % mb->cmdr_size;
		__sync_synchronize();
	}
	return n;
}

/* The UIO device whose name ends in "/CONFIG": "tcm-user/HBA/DEV/CONFIG". */
static int open_uio(const char *config, struct ring *g)
{
	glob_t gl;
	int rc = -1;

	if (glob("/sys/class/uio/uio*", 0, NULL, &gl))
		return -1;
	for (size_t i = 0; i < gl.gl_pathc && rc; i++) {
		char path[256], name[256], size[64];
		const char *base = strrchr(gl.gl_pathv[i], '/') + 1;
		size_t nl = strlen(config), len;

		snprintf(path, sizeof(path), "%s/name", gl.gl_pathv[i]);
		if (!read_line(path, name, sizeof(name)))
			continue;
		len = strlen(name);
		if (strncmp(name, "tcm-user/", 9) || len <= nl ||
		    name[len - nl - 1] != '/' || strcmp(name + len - nl, config))
			continue;
		snprintf(path, sizeof(path), "%s/maps/map0/size", gl.gl_pathv[i]);
		if (!read_line(path, size, sizeof(size)))
			continue;
		g->map_len = strtoull(size, NULL, 0);
		snprintf(path, sizeof(path), "/dev/%s", base);
		g->fd = open(path, O_RDWR | O_CLOEXEC);
		if (g->fd < 0 || !g->map_len) {
			fprintf(stderr, "pwlab-tcmu: %s: %s\n", path,
				strerror(errno));
			break;
		}
		g->map = mmap(NULL, g->map_len, PROT_READ | PROT_WRITE,
			      MAP_SHARED, g->fd, 0);
		if (g->map == MAP_FAILED) {
			fprintf(stderr, "pwlab-tcmu: mmap %s: %s\n", path,
				strerror(errno));
			break;
		}
		g->mb = g->map;
		fprintf(stderr, "pwlab-tcmu: %s (%s), ring %" PRIu32 " bytes\n",
			path, name, g->mb->cmdr_size);
		rc = 0;
	}
	globfree(&gl);
	return rc;
}

int main(int argc, char **argv)
{
	struct ring g = { .fd = -1, .rng = 0x5eed };

	if (argc != 3) {
		fprintf(stderr, "usage: pwlab-tcmu CONFIG MODE_FILE\n");
		return 2;
	}
	g.mode_file = argv[2];
	if (open_uio(argv[1], &g)) {
		fprintf(stderr, "pwlab-tcmu: no TCMU device with config '%s'\n",
			argv[1]);
		return 2;
	}
	if (g.mb->version != TCMU_MAILBOX_VERSION)
		fprintf(stderr, "pwlab-tcmu: mailbox version %u, written for %u\n",
			g.mb->version, TCMU_MAILBOX_VERSION);
	for (;;) {
		uint32_t events = 0;
		unsigned int n = drain(&g);

		if (n == UINT32_MAX) {
			fprintf(stderr, "pwlab-tcmu: bad ring entry\n");
			return 1;
		}
		if (n && write(g.fd, &events, sizeof(events)) < 0)
			fprintf(stderr, "pwlab-tcmu: kick: %s\n", strerror(errno));
		/* blocks until the kernel queues more */
		if (read(g.fd, &events, sizeof(events)) != sizeof(events) &&
		    errno != EINTR) {
			fprintf(stderr, "pwlab-tcmu: read: %s\n", strerror(errno));
			return 1;
		}
	}
}
