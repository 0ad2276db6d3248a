/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Replay backend: a fake SCSI device that answers from captured responses.
 *
 * A script is a text file of rules, one per line, matched in order against
 * each command; "#" starts a comment:
 *
 *   rtpg   good  <hex bytes...>           data returned for the command
 *   inq83  good  <hex bytes...>
 *   inq    good  <hex bytes...>           standard INQUIRY
 *   tur    good
 *   rtpg   sense 06 2a 06                 CHECK CONDITION, fixed format
 *   rtpg   transport                      host status DID_NO_CONNECT
 *   rtpg   timeout                        no answer
 *   rtpg   status 08                      BUSY
 *   any    ...                            matches every command
 *
 * A rule with "once" after the command name is consumed by its first match,
 * so sequences (UA then good) can be played.  Long data may continue on
 * following lines that start with whitespace.
 */
#ifndef PATHWARDEN_REPLAY_H
#define PATHWARDEN_REPLAY_H

#include <stdio.h>

#include "pathwarden/scsi.h"

struct replay_dev;

extern const struct scsi_backend scsi_replay_backend;

/* Returns NULL and sets errno; @err gets "line N: what" on a parse error. */
struct replay_dev *replay_load(const char *path, char *err, size_t errlen);
struct replay_dev *replay_load_string(const char *text, char *err,
				      size_t errlen);
void replay_free(struct replay_dev *rd);

void replay_attach(struct scsi_dev *dev, struct replay_dev *rd);

/* How many commands of each kind were served. */
unsigned int replay_count(const struct replay_dev *rd, const char *cmd);

/*
 * Turn one rule's answer into the fields of an io (status, sense, data,
 * outcome).  Shared with the plugin harness, which serves the same scripts
 * from a faked ioctl().  Returns 0, or -ENOENT when no rule matches.
 * @delay_ms gets a rule's "delay N" (0 when none).
 */
int replay_answer(struct replay_dev *rd, struct scsi_io *io,
		  unsigned int *delay_ms);

#endif
