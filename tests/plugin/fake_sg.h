/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A fake SCSI device behind a real file descriptor: the harness defines
 * ioctl() and exports it, so SG_IO from the plugins, libsgutils2 and the
 * stock multipath-tools plugins lands here and is answered from a replay
 * script.  Every other fd goes to the kernel.
 */
#ifndef FAKE_SG_H
#define FAKE_SG_H

#include "pathwarden/replay.h"

/* Returns a new fd (a memfd) answered by the script at @fixture. */
int fake_sg_open(const char *fixture);
/* Swap the script of a fake fd: the device changed its answers. */
void fake_sg_set(int fd, const char *fixture);
void fake_sg_close(int fd);

/* SG_IO commands served on @fd, by opcode class, since open. */
unsigned int fake_sg_count(int fd, const char *cmd);
unsigned int fake_sg_total(int fd);

#endif
