/*
 * ipfix_session.h - per-observation-domain export state: sequence numbers,
 * the export clock and the template refresh schedule.
 *
 * Sequence numbers (both modulo 2^32):
 *   v9    (RFC 3954 §5.1): export packets sent before this one;
 *   IPFIX (RFC 7011 §3.1): data records sent before this message.
 * Clock: every time comes from the caller's now_ms (packet time when
 * reading a pcap), never from the wall clock. The first now_ms seen is the
 * exporter's boot: v9 sysUptime = now_ms - boot; unix secs and the IPFIX
 * export time are now_ms / 1000.
 * Templates (RFC 7011 §8.4, RFC 3954 §9 over UDP) are due in the first
 * message, then when refresh_s seconds have passed since they were last sent
 * or when refresh_pkts packets (counting the one that carried them) have
 * been sent since; a message that carries them starts with them.
 * Only messages that were sent count: after a send error the same sequence
 * number is used again and templates stay due.
 */
#ifndef IPFIX_SESSION_H
#define IPFIX_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "ipfix_msg.h"

struct ipfix_session {
    uint8_t version;  /* 9 or 10 */
    uint32_t domain;  /* observation domain id / v9 source id */
    uint32_t seq;     /* sequence number of the next message */
    uint64_t boot_ms; /* first now_ms seen */
    bool booted;
    bool tmpl_sent;        /* templates sent at least once */
    uint64_t tmpl_ms;      /* when they were last sent */
    uint32_t pkts_since;   /* messages sent since, counting the one with them */
    uint32_t refresh_s;    /* 0 = no time-based refresh */
    uint32_t refresh_pkts; /* 0 = no packet-based refresh */
};

/* Start a session: sequence 0, templates due, clock not started. */
void ipfix_session_init(struct ipfix_session *s, uint8_t version, uint32_t domain,
                        uint32_t refresh_s, uint32_t refresh_pkts);

/* Start the clock at now_ms if it has not started. */
void ipfix_session_clock(struct ipfix_session *s, uint64_t now_ms);

/* True when the next message must carry the templates. */
bool ipfix_session_tmpl_is_due(const struct ipfix_session *s, uint64_t now_ms);

/*
 * Write the header of `m` for sending at now_ms with the session's next
 * sequence number. Returns the datagram length.
 */
size_t ipfix_session_hdr_emit(struct ipfix_session *s, struct ipfix_msg *m, uint64_t now_ms);

/*
 * Account for `m` having been sent at now_ms: advance the sequence number
 * and the template schedule.
 */
void ipfix_session_put(struct ipfix_session *s, const struct ipfix_msg *m, uint64_t now_ms);

#endif /* IPFIX_SESSION_H */
