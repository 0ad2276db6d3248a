/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Results, diagnostics and name rules shared by the agent's modules. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "agent.h"

const char *agent_result_name(enum agent_result res)
{
	switch (res) {
	case AGENT_OK:
		return "ok";
	case AGENT_ERR:
		return "error";
	case AGENT_USAGE:
		return "usage";
	case AGENT_NOT_FOUND:
		return "not-found";
	case AGENT_PERM:
		return "permission";
	case AGENT_BAD_DATA:
		return "bad-data";
	case AGENT_WRITE_RESTORED:
		return "write-failed-restored";
	case AGENT_WRITE_INCONSISTENT:
		return "write-failed-inconsistent";
	case AGENT_UNSUPPORTED:
		return "unsupported";
	}
	return "unknown";
}

enum agent_result agent_fail(struct agent_ctx *ctx, enum agent_result res,
			     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->err, sizeof(ctx->err), fmt, ap);
	va_end(ap);
	return res;
}

/*
 * Device groups, target groups, devices and targets: what SCST and LIO
 * names look like in practice (IQNs, WWNs, "esos", "fileio_1").  No '/',
 * no blank, no shell or control character, never "." or "..", so a name
 * can neither leave its directory nor surprise a script that prints it.
 */
bool agent_name_valid(const char *name)
{
	size_t n;

	if (!name)
		return false;
	n = strlen(name);
	if (n == 0 || n > AGENT_NAME_MAX)
		return false;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9'))
			continue;
		if (!strchr("._:-+@,", c))
			return false;
	}
	return true;
}

const struct backend *backend_by_name(const char *name)
{
	if (!name)
		return NULL;
	if (!strcmp(name, "scst"))
		return &backend_scst;
	if (!strcmp(name, "lio"))
		return &backend_lio;
	return NULL;
}
