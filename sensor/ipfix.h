/*
 * ipfix.h - NetFlow v9 (RFC 3954) and IPFIX (RFC 7011/7012, RFC 5103
 * biflow) flow export over UDP: the public interface.
 *
 * The module is split like libfixbuf (STYLE.md §8):
 *   ipfix_ie.c       the information elements, one table (IANA ids)
 *   ipfix_tmpl.c     template registry: the IPv4/IPv6 templates an exporter
 *                    uses, their template records and their data records
 *   ipfix_session.c  per-observation-domain state: sequence numbers, export
 *                    clock, template refresh schedule
 *   ipfix_msg.c      MTU-bounded message builder (header, sets, padding)
 *   ipfix_export.c   the exporter below: builder + session + UDP transport
 *   ipfix_cfg.c      `outputs: - ipfix:` configuration entries
 *
 * Threads: an exporter has one owner (the IPFIX output thread); nothing here
 * locks. ipfix_config_parse and ipfix_exporter_create run at start-up and
 * may allocate and log; add/flush never allocate and never log (errors are
 * counted in *ctr_errors), but do make the send() syscall, so workers hand
 * records to the exporter's thread rather than calling it themselves.
 */
#ifndef IPFIX_H
#define IPFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cfg.h"
#include "nids.h"

#define IPFIX_MAX_COLLECTORS 4 /* outputs[].ipfix entries honoured */

/* flowEndReason values (IANA IE 136). */
#define IPFIX_END_IDLE_TIMEOUT   1
#define IPFIX_END_ACTIVE_TIMEOUT 2
#define IPFIX_END_OF_FLOW        3
#define IPFIX_END_FORCED         4
#define IPFIX_END_LACK_RESOURCES 5

/* One flow, both directions, as the sensor tracked it. */
struct ipfix_flow_rec {
    uint8_t ip_ver; /* 4 or 6 */
    uint8_t proto;
    uint8_t src[16], dst[16];   /* client, server; IPv4 in the first 4 bytes */
    uint16_t sp, dp;            /* ICMP: 0 and type<<8|code (NetFlow convention) */
    uint64_t pkts[2], bytes[2]; /* [0] client->server, [1] server->client */
    uint64_t start_ms, end_ms;  /* epoch milliseconds */
    uint8_t tcp_flags[2];
    uint8_t tos;
    uint16_t vlan_id;   /* outer VLAN id, 0 = none */
    uint8_t end_reason; /* IPFIX flowEndReason: IPFIX_END_* */
    char app_name[32];  /* "" when unknown; need not be NUL-terminated at 32 */
};

struct ipfix_collector_cfg {
    char host[256];
    uint16_t port;
    uint8_t version;                /* 9 or 10 */
    uint32_t template_refresh_s;    /* re-send templates every N seconds (default 600; 0 = off) */
    uint32_t template_refresh_pkts; /* ... or every N export packets (default 20; 0 = off) */
    uint32_t observation_domain;    /* v9: source id */
    uint32_t mtu;  /* max UDP payload + 28 IP/UDP header (default 1500 -> payload 1472) */
    bool biflow;   /* RFC 5103 reverse IEs in one record (IPFIX only; v9 sends two) */
    bool app_name; /* add applicationName (IE 96; variable length in IPFIX, 32 bytes in v9) */
};

struct ipfix_exporter; /* opaque */

/*
 * Parse every `outputs[].ipfix` entry of `c` into out[0..max-1]. Keys (all
 * optional but host): enabled (yes), host, port (4739 for IPFIX, 2055 for
 * v9), version (10), template-refresh (seconds, 600), template-refresh-packets
 * (20), observation-domain (0), mtu (1500), biflow (no), app-name (no).
 * Entries with `enabled: no` are skipped; entries past `max` are skipped with
 * a warning. Start-up thread only (the cfg getters mark nodes used).
 * Returns the number of collectors stored (0..max), or a negative enum
 * nids_err with err = "FILE:LINE: key 'outputs.2.ipfix.port': ...".
 */
int ipfix_config_parse(struct cfg *c, struct ipfix_collector_cfg *out, int max, char *err,
                       size_t errlen) NIDS_MUST_CHECK;

/*
 * Resolve cfg->host, open a UDP socket connect()ed to it and preallocate the
 * message buffer. ctr_sent counts data records sent, ctr_errors failed
 * datagrams; both belong to the caller, outlive the exporter and are only
 * written by the exporter's thread. Start-up only. Returns the exporter, or
 * NULL after log_error() (bad config, resolution or socket failure).
 */
struct ipfix_exporter *ipfix_exporter_create(const struct ipfix_collector_cfg *cfg,
                                             uint64_t *ctr_sent, uint64_t *ctr_errors);

/*
 * Buffer the record `r` (one data record, or two for v9 and uni-directional
 * IPFIX when the server answered) into the current message; the message is
 * sent first when the record would make it exceed the MTU. now_ms is the
 * sensor's clock (packet time when reading a pcap) and stamps the headers.
 * Owner thread only; never allocates.
 */
void ipfix_exporter_add(struct ipfix_exporter *x, const struct ipfix_flow_rec *r, uint64_t now_ms);

/*
 * Send what is buffered. With nothing buffered, sends a templates-only
 * message when templates are due (never sent, or the refresh time passed),
 * so calling it periodically keeps an idle collector's templates fresh.
 * Owner thread only.
 */
void ipfix_exporter_flush(struct ipfix_exporter *x, uint64_t now_ms);

/*
 * Flush (at the last now_ms seen), close the socket and free `x`. NULL is
 * a no-op. Shutdown only.
 */
void ipfix_exporter_destroy(struct ipfix_exporter *x);

#endif /* IPFIX_H */
