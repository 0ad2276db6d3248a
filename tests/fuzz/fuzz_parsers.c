/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target over every parser that reads device data: the first
 * byte picks the parser, the rest is the response.  Built with ASan and
 * UBSan; seeded from the replay fixtures.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pathwarden/replay.h"
#include "pathwarden/rtpg.h"
#include "pathwarden/sense.h"
#include "pathwarden/tpg_query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The whole query path, with the device answering RTPG with @data. */
static void fuzz_query(const uint8_t *data, size_t size)
{
	static const char head[] =
		"inq good 00 00 05 02 1f 10 00 02\n"
		"inq83 good 00 83 00 08 61 95 00 04 00 00 00 01\n"
		"rtpg good";
	char *script = malloc(sizeof(head) + size * 3 + 2);
	struct replay_dev *rd;
	struct scsi_dev dev;
	struct tpg_identity id = { 0 };
	struct tpg_answer ans;
	char err[64];
	size_t n = sizeof(head) - 1;

	if (!script)
		return;
	memcpy(script, head, n);
	for (size_t i = 0; i < size; i++) {
		static const char hex[] = "0123456789abcdef";

		script[n++] = ' ';
		script[n++] = hex[data[i] >> 4];
		script[n++] = hex[data[i] & 15];
	}
	script[n++] = '\n';
	script[n] = '\0';
	rd = replay_load_string(script, err, sizeof(err));
	free(script);
	if (!rd)
		return;
	replay_attach(&dev, rd);
	tpg_query(&dev, 1000, &id, &ans, NULL);
	(void)tpg_verdict(&ans);
	replay_free(rd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtpg_report rep;
	struct vpd83_ids ids;
	struct std_inquiry inq;
	struct sense_info si;

	if (size < 1)
		return 0;
	switch (data[0] % 6) {
	case 0:
		rtpg_parse(data + 1, size - 1, &rep);
		(void)rtpg_wanted_len(data + 1, size - 1);
		break;
	case 1:
		vpd83_parse(data + 1, size - 1, &ids);
		break;
	case 2:
		inquiry_parse(data + 1, size - 1, &inq);
		break;
	case 3:
		sense_judge(data + 1, size - 1, &si);
		break;
	case 4:
		fuzz_query(data + 1, size - 1);
		break;
	case 5: {
		/* the replay script parser itself */
		char *text = malloc(size);
		char err[64];
		struct replay_dev *rd;

		if (!text)
			return 0;
		memcpy(text, data + 1, size - 1);
		text[size - 1] = '\0';
		rd = replay_load_string(text, err, sizeof(err));
		replay_free(rd);
		free(text);
		break;
	}
	}
	return 0;
}
