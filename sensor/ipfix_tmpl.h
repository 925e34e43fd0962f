/*
 * ipfix_tmpl.h - template registry: the templates an exporter uses, their
 * template records and the data records that follow them.
 *
 * An exporter has two templates, fixed at start-up from its config: one for
 * IPv4 flows (id 256) and one for IPv6 flows (id 257). Fields, in order:
 *
 *   sourceIPv4Address (8), destinationIPv4Address (12), icmpTypeCodeIPv4 (32)
 *   | sourceIPv6Address (27), destinationIPv6Address (28), icmpTypeCodeIPv6
 *     (139; v9: 32, its ICMP_TYPE serves both versions)
 *   sourceTransportPort (7), destinationTransportPort (11)   ICMP: 0, type<<8|code
 *   protocolIdentifier (4), ipVersion (60), ipClassOfService (5),
 *   [biflow: reverseTcpControlBits (29305/6)], tcpControlBits (6), 1 byte each
 *   octetDeltaCount (1), packetDeltaCount (2)                 unsigned64
 *   flowStartMilliseconds (152), flowEndMilliseconds (153)    dateTimeMilliseconds
 *   flowEndReason (136), vlanId (58)
 *   [biflow: reverseOctetDeltaCount (29305/1), reversePacketDeltaCount (29305/2)]
 *   [app-name: applicationName (96): IPFIX variable length; v9 has no
 *     variable-length fields, so there it is 32 bytes, NUL padded]
 * Biflow (RFC 5103) is IPFIX only; v9 and uni-directional IPFIX send a
 * second record, addresses and ports swapped, when the server answered.
 * icmpTypeCode is 0 for other protocols, and comes before the ports so that
 * a collector storing it as the destination port (nfdump) is then corrected.
 *
 * v9 takes the absolute millisecond times 152/153 rather than the
 * sysUptime-relative FIRST_SWITCHED/LAST_SWITCHED (22/21): a collector
 * turns the latter into wall time through the header's unix_secs, which has
 * one-second resolution, so they would lose up to 999 ms; nfdump's v9
 * decoder stores 152/153 as they are.
 *
 * Template record (v9 and IPFIX; an IPFIX enterprise field sets bit 15 of
 * the id and appends the 4-byte PEN):
 *   | template id (2) | field count (2) | { id (2) | length (2) [| PEN (4)] }... |
 * Variable-length value (IPFIX, RFC 7011 §7): | len (1) | bytes |, len < 255.
 */
#ifndef IPFIX_TMPL_H
#define IPFIX_TMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipfix.h"
#include "ipfix_ie.h"

#define IPFIX_TMPL_ID_IPV4    256
#define IPFIX_TMPL_ID_IPV6    257
#define IPFIX_TMPL_MAX_FIELDS 24
#define IPFIX_V9_APP_NAME_LEN 32 /* fixed applicationName length in v9 */
#define IPFIX_APP_NAME_MAX    32 /* bytes of ipfix_flow_rec.app_name */

enum ipfix_tmpl_kind {
    IPFIX_TMPL_IPV4 = 0,
    IPFIX_TMPL_IPV6,
    IPFIX_TMPL_COUNT
};

/* Record direction: as tracked (client -> server) or swapped. */
enum ipfix_dir {
    IPFIX_DIR_FWD = 0,
    IPFIX_DIR_REV,
    IPFIX_DIR_COUNT
};

struct ipfix_tmpl_field {
    uint8_t ie;   /* enum ipfix_ie */
    uint16_t len; /* wire length, or IPFIX_VARLEN */
};

struct ipfix_tmpl {
    uint16_t id;
    uint8_t n_fields;
    struct ipfix_tmpl_field f[IPFIX_TMPL_MAX_FIELDS];
    uint16_t def_len;     /* bytes of the template record */
    uint16_t max_rec_len; /* largest data record (variable fields at their maximum) */
};

struct ipfix_tmpl_reg {
    uint8_t version; /* 9 or 10 */
    bool biflow;     /* as configured, but always false for v9 */
    struct ipfix_tmpl t[IPFIX_TMPL_COUNT];
};

/*
 * Build the templates for an exporter of `version` (9 or 10) with the
 * options biflow (ignored for v9) and app_name. Start-up; never fails.
 */
void ipfix_tmpl_reg_init(struct ipfix_tmpl_reg *reg, uint8_t version, bool biflow, bool app_name);

/* Template for flows of IP version ip_ver (6: IPv6, anything else IPv4). */
const struct ipfix_tmpl *ipfix_tmpl_reg_lookup(const struct ipfix_tmpl_reg *reg, uint8_t ip_ver);

/* Data records a flow becomes: 1 for biflow; else 1 + (server answered). */
unsigned ipfix_tmpl_reg_rec_count(const struct ipfix_tmpl_reg *reg, const struct ipfix_flow_rec *r);

/*
 * Smallest MTU (UDP payload + 28) with which one message holds the
 * templates of `reg` and a largest data record (v9 padding included), so
 * that a record always fits in a new message, templates due or not.
 */
uint32_t ipfix_tmpl_reg_mtu_min(const struct ipfix_tmpl_reg *reg);

/*
 * Write the template record of `t` into buf (exactly t->def_len bytes, which
 * the caller has reserved).
 */
void ipfix_tmpl_emit(const struct ipfix_tmpl *t, uint8_t *buf);

/* Bytes of the data record of `r` under `t` (<= t->max_rec_len). */
size_t ipfix_tmpl_rec_len(const struct ipfix_tmpl *t, const struct ipfix_flow_rec *r);

/*
 * Write the data record of `r` in direction `dir` under `t` into buf,
 * exactly ipfix_tmpl_rec_len(t, r) bytes, which the caller has reserved.
 * IPFIX_DIR_REV swaps addresses, ports (not for ICMP: type/code stays in the
 * destination port), and takes the [1] counters and flags.
 */
void ipfix_tmpl_rec_emit(const struct ipfix_tmpl *t, const struct ipfix_flow_rec *r,
                         enum ipfix_dir dir, uint8_t *buf);

#endif /* IPFIX_TMPL_H */
