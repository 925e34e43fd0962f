/*
 * app_dns_tcp.h - DNS over TCP for a worker (RFC 1035 4.2.2, RFC 7766):
 * the in-order bytes of each direction are 2-byte length-prefixed
 * messages, each parsed by decoders/app_dns.c and logged like DNS over
 * UDP (one transaction per message, per-flow tx ids, EVE `dns` records,
 * applayer anomalies), as Suricata 8's rust/src/dns/dns.rs
 * (parse_request_tcp, parse_response_tcp) does.
 *
 * Suricata's app layer runs on acknowledged data: a message is parsed
 * when the other side's ACK covers it, and its records carry that packet
 * (pcap_cnt, time). So the bytes of a direction are copied into a buffer
 * until acknowledged; the end of the flow (or an RST) parses what is
 * left.
 *
 * Memory, all allocated by app_dns_tcp_ctx_create() at start-up: a pool
 * of per-flow states (the flow holds one as f->app_state, index + 1), a
 * pool of message buffers a direction holds only while it has bytes not
 * yet parsed, the parse result and scratch. Caps and their counters:
 * state pool empty (the flow is not parsed: dns.tcp.state_pool_empty),
 * buffer pool empty (messages are parsed at once from the packet, a
 * message cut by the packet's end is skipped: dns.tcp.buf_pool_empty,
 * dns.tcp.skipped), a buffer full of unacknowledged messages (parsed at
 * once: dns.tcp.unacked_parsed).
 */
#ifndef APP_DNS_TCP_H
#define APP_DNS_TCP_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"
#include "flow.h"
#include "nids.h"

struct eve;

/* A buffer holds at least one whole framed message (2 + 65535 bytes). */
#define APP_DNS_TCP_BUF (2u + 65535u + 1u)

struct app_dns_tcp_cfg {
    uint32_t flows; /* per-flow states preallocated */
    uint32_t bufs;  /* message buffers preallocated (APP_DNS_TCP_BUF bytes each) */
};

/* 1024 flows, 32 buffers. */
void app_dns_tcp_cfg_defaults(struct app_dns_tcp_cfg *c);

struct app_dns_tcp_ctx; /* one per worker; opaque */

/*
 * Allocate a context (start-up only). eve: the worker's records; ctr: the
 * worker's counters. NULL when out of memory.
 */
struct app_dns_tcp_ctx *app_dns_tcp_ctx_create(const struct app_dns_tcp_cfg *cfg, struct eve *eve,
                                               uint64_t *ctr);
void app_dns_tcp_ctx_destroy(struct app_dns_tcp_ctx *x);

/*
 * In-order stream bytes of flow f (app_proto dns) in direction dir, flags
 * APP_FLAG_GAP / APP_FLAG_EOF (data NULL for a gap of len bytes), from
 * the reassembly of packet p (NULL when the flow ends). During the call
 * f->rs_next_seq[flow_dir_slot(f, dir)] is the sequence number of data[0]
 * (tcp_reasm.h). Takes a per-flow state on first use. Worker; no
 * allocation.
 */
void app_dns_tcp_data(struct app_dns_tcp_ctx *x, struct flow *f, int dir, const uint8_t *data,
                      uint32_t len, uint32_t flags, const struct pkt *p, uint64_t now_us);

/*
 * Packet p of flow f, direction dir, is through reassembly: the messages
 * of the other direction that its ACK covers are parsed and logged with
 * p. Worker.
 */
void app_dns_tcp_ack(struct app_dns_tcp_ctx *x, struct flow *f, const struct pkt *p, int dir);

/* The flow ends: what is buffered is parsed and logged, the state goes back. */
void app_dns_tcp_flow_end(struct app_dns_tcp_ctx *x, struct flow *f, uint64_t now_us);

/*
 * Detection of each new transaction (the rule engine): called before its
 * records are written, with the packet they are logged with (NULL at flow
 * end), the parsed message (valid during the call only), its direction
 * and tx id.
 */
struct dns_msg;
typedef void (*app_dns_tcp_detect_fn)(void *ctx, const struct pkt *p, struct flow *f,
                                      const struct dns_msg *m, bool response, uint64_t tx_id);
void app_dns_tcp_set_detect(struct app_dns_tcp_ctx *x, app_dns_tcp_detect_fn fn, void *ctx);

/* For tests: states and buffers in use. */
uint32_t app_dns_tcp_states_used(const struct app_dns_tcp_ctx *x);
uint32_t app_dns_tcp_bufs_used(const struct app_dns_tcp_ctx *x);

#endif /* APP_DNS_TCP_H */
