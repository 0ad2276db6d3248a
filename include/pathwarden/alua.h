/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ALUA model shared by the checker, the prioritizer, the monitor and
 * the agent: target port group states with their SPC wire values, and the
 * descriptor of one target port group as REPORT TARGET PORT GROUPS gives it.
 */
#ifndef PATHWARDEN_ALUA_H
#define PATHWARDEN_ALUA_H

#include <stdbool.h>
#include <stdint.h>

/* Asymmetric access states, SPC-4 table 166; the values are on the wire. */
enum alua_state {
	ALUA_ACTIVE_OPTIMIZED = 0x0,
	ALUA_ACTIVE_NONOPTIMIZED = 0x1,
	ALUA_STANDBY = 0x2,
	ALUA_UNAVAILABLE = 0x3,
	ALUA_LBA_DEPENDENT = 0x4,
	ALUA_OFFLINE = 0xe,
	ALUA_TRANSITIONING = 0xf,
};

/* Supported-states bits of an RTPG descriptor (byte 1). */
enum alua_support {
	ALUA_SUP_AO = 0x01,
	ALUA_SUP_ANO = 0x02,
	ALUA_SUP_STANDBY = 0x04,
	ALUA_SUP_UNAVAILABLE = 0x08,
	ALUA_SUP_LBA_DEPENDENT = 0x10,
	ALUA_SUP_OFFLINE = 0x40,
	ALUA_SUP_TRANSITIONING = 0x80,
};

/* INQUIRY byte 5 TPGS field. */
enum alua_tpgs {
	ALUA_TPGS_NONE = 0,
	ALUA_TPGS_IMPLICIT = 1,
	ALUA_TPGS_EXPLICIT = 2,
	ALUA_TPGS_BOTH = 3,
};

/* Long name, as SPC spells it: "active/optimized". NULL for a reserved value. */
const char *alua_state_name(enum alua_state state);
/* Short name for tables: "AO", "ANO", "SBY", "UNAV", "LBD", "OFFL", "TRANS". */
const char *alua_state_abbrev(enum alua_state state);
/*
 * SCST's sysfs spelling: "active", "nonoptimized", "standby", ...; NULL
 * for a state SCST does not have (lba-dependent).
 */
const char *alua_state_scst_name(enum alua_state state);
/* True for the seven values SPC defines. */
bool alua_state_valid(unsigned int value);
/*
 * Parse a state given by a person or a config file: the SCST names, the
 * long names, the abbreviations, and the numbers 0-4, 14, 15.
 * Returns false and leaves *state alone for anything else.
 */
bool alua_state_parse(const char *text, enum alua_state *state);

/* I/O may be sent through a port in this state. */
bool alua_state_usable(enum alua_state state);

#define ALUA_MAX_LISTED_PORTS 16

/* One target port group, as one RTPG descriptor reports it. */
struct tpg_desc {
	uint16_t group_id;
	enum alua_state state;
	bool preferred;
	uint8_t supported;	/* enum alua_support bits */
	uint8_t status_code;	/* 0 none, 1 set by SET TPG, 2 implicit change */
	uint8_t vendor_specific;
	uint8_t port_count;	/* as reported; may be 0 for a peer's group */
	uint8_t ports_listed;	/* how many of rel_ports are filled */
	uint16_t rel_ports[ALUA_MAX_LISTED_PORTS];
};

#endif
