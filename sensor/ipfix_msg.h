/*
 * ipfix_msg.h - MTU-bounded NetFlow v9 / IPFIX message builder.
 *
 * A message is a header followed by sets (v9: "FlowSets"), each a 4-byte
 * set header {set id, length} and records. The builder owns no memory: it
 * writes into a caller buffer of `cap` bytes, never past it, and refuses a
 * record that would not fit, so a datagram never exceeds the MTU. It knows
 * nothing of templates or sockets; see ipfix_tmpl.h and ipfix_export.c.
 *
 *   NetFlow v9 header (RFC 3954 §5.1)      IPFIX header (RFC 7011 §3.1)
 *   0       2       4               8      0       2       4               8
 *   +-------+-------+---------------+      +-------+-------+---------------+
 *   |ver = 9| count |  sysUptime ms |      |ver=10 |length |  export time  |
 *   +-------+-------+---------------+      +-------+-------+---------------+
 *   |   unix secs   |  sequence     |      |   sequence    | obs. domain   |
 *   +---------------+---------------+      +---------------+---------------+
 *   |   source id   |  20 bytes             16 bytes
 *   +---------------+
 *   Set: | set id (2) | length (2) | records ... | padding |
 *   v9 template flowset id 0, IPFIX template set id 2, data sets use the
 *   template id (>= 256). v9 counts records of every kind in `count` and
 *   pads each FlowSet to 4 bytes (RFC 3954 §5.3, padding included in the
 *   FlowSet length); IPFIX carries the message length and is sent unpadded
 *   (padding is optional, RFC 7011 §3.3.1).
 */
#ifndef IPFIX_MSG_H
#define IPFIX_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nids.h"

#define IPFIX_V9_HDR_LEN      20
#define IPFIX_HDR_LEN         16
#define IPFIX_SET_HDR_LEN     4
#define IPFIX_V9_SET_TEMPLATE 0
#define IPFIX_SET_TEMPLATE    2
#define IPFIX_SET_DATA_MIN    256   /* data set ids are template ids, >= 256 */
#define IPFIX_IP_UDP_OVERHEAD 28    /* IPv4 + UDP headers, taken off the MTU */
#define IPFIX_MSG_MAX         65535 /* the IPFIX length field; also v9's cap */
#define IPFIX_MTU_MAX         65535 /* payload 65507: the largest UDP/IPv4 datagram */

struct ipfix_msg {
    uint8_t *buf;    /* caller's buffer, at least cap bytes */
    size_t cap;      /* payload limit (v9: rounded down to a multiple of 4) */
    size_t len;      /* bytes used, header included */
    size_t set_off;  /* offset of the open set's header; 0 = no set open */
    uint16_t set_id; /* id of the open set */
    uint8_t version; /* 9 or 10 */
    uint16_t n_recs; /* records of every kind (v9 header count) */
    uint16_t n_tmpl; /* template records */
    uint32_t n_data; /* data records */
};

/* Big-endian stores into a builder-owned buffer (never packet memory). */
static inline void
ipfix_put_be16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void
ipfix_put_be32(uint8_t *p, uint32_t v)
{
    ipfix_put_be16(p, (uint16_t)(v >> 16));
    ipfix_put_be16(p + 2, (uint16_t)v);
}

static inline void
ipfix_put_be64(uint8_t *p, uint64_t v)
{
    ipfix_put_be32(p, (uint32_t)(v >> 32));
    ipfix_put_be32(p + 4, (uint32_t)v);
}

/* Header length of `version` (9: 20, 10: 16). */
size_t ipfix_msg_hdr_len(uint8_t version);

/* Id of the template set in `version` (9: 0, 10: 2). */
uint16_t ipfix_msg_tmpl_set_id(uint8_t version);

/*
 * Attach `m` to buf[0..cap-1] for `version` and reset it. cap is the UDP
 * payload limit (MTU - 28), at most IPFIX_MSG_MAX; `buf` stays the caller's.
 * Returns 0, or NIDS_EINVAL when the version is not 9 or 10 or cap cannot
 * hold a header and an empty set.
 */
int ipfix_msg_init(struct ipfix_msg *m, uint8_t version, uint8_t *buf, size_t cap) NIDS_MUST_CHECK;

/* Empty the message: header space reserved, no set, counters zero. */
void ipfix_msg_reset(struct ipfix_msg *m);

/* True when no record has been added since the last reset. */
bool ipfix_msg_is_empty(const struct ipfix_msg *m);

/*
 * Room for one record of n bytes in set `set_id`: the open set when it has
 * that id, else a new set (closing the open one, with v9 padding). Counts
 * the record (template or data by set id). Returns where to write the n
 * bytes (the caller must fill all of them), or NULL when the record would
 * pass cap; the message is then unchanged.
 */
uint8_t *ipfix_msg_reserve(struct ipfix_msg *m, uint16_t set_id, size_t n);

/*
 * Close the open set and write the header: v9 {9, n_recs, sys_uptime_ms,
 * export_secs, seq, domain}, IPFIX {10, len, export_secs, seq, domain}.
 * Returns the datagram length (m->len, <= cap). The message stays intact
 * until the next reset.
 */
size_t ipfix_msg_hdr_emit(struct ipfix_msg *m, uint32_t sys_uptime_ms, uint32_t export_secs,
                          uint32_t seq, uint32_t domain);

#endif /* IPFIX_MSG_H */
