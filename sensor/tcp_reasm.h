/*
 * tcp_reasm.h - per-direction TCP stream reassembly for the app layer.
 *
 * In-order payload goes straight from the packet to the parser (no copy);
 * segments that arrive ahead of a hole are copied into fixed-size
 * segments from a worker-private pool (stream.reassembly.memcap) until the
 * hole is filled or known lost. When a segment overlaps stored data with
 * different bytes, the receiving host's policy (host-os-policy,
 * tcp_policy.h) says which bytes are kept, and the packet gets
 * stream.reassembly_overlap_different_data. Bytes already given are never
 * replaced. A hole the peer has
 * acknowledged is handed to the parser as a gap; one nobody acknowledged,
 * left at the end of the flow, ends the parser's stream there, and what
 * follows it goes to raw inspection only (APP_FLAG_RAW), as in Suricata.
 * stream.reassembly.depth bounds what a direction gives.
 */
#ifndef TCP_REASM_H
#define TCP_REASM_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"
#include "flow.h"
#include "nids.h"
#include "pool.h"
#include "tcp_policy.h"

#define TCP_SEG_DATA 1472u
/* Stored segments a new one may be placed behind (per direction, per packet). */
#define TCP_SEG_MAX_WALK 4096u

/* rs_flags bits. */
#define TCP_RS_SEQ_KNOWN 0x01 /* next_seq is set */
#define TCP_RS_EOF       0x02 /* end of direction given to the app layer */
#define TCP_RS_DEPTH     0x04 /* depth reached: nothing more is given */
#define TCP_RS_FIN       0x08 /* FIN seen; its sequence number is fin_seq */
#define TCP_RS_GAP       0x10 /* a gap was given at least once */
#define TCP_RS_RAW       0x20 /* past an unacknowledged hole: raw inspection only */

struct tcp_reasm_cfg {
    uint64_t memcap; /* bytes of out-of-order segment storage */
    uint32_t depth;  /* bytes per direction given to the app layer; 0 = no limit */
    struct tcp_policy_table hosts; /* host-os-policy: overlap policy of each receiver */
};

/*
 * Receives the in-order bytes: the app-layer dispatch (sensor/app_layer.c).
 * During the call f->rs_next_seq[dir] is the sequence number of data[0]
 * (of the first missing byte for a gap); it moves past them afterwards.
 */
typedef void (*tcp_reasm_data_fn)(void *ctx, struct flow *f, int dir, const uint8_t *data,
                                  uint32_t len, uint32_t flags);

struct tcp_seg;

struct tcp_reasm {
    struct tcp_reasm_cfg cfg;
    struct tcp_seg *segs;
    uint32_t n_segs;
    struct pool_list seg_list; /* free ones linked by next */
    uint64_t *ctr;
    tcp_reasm_data_fn on_data;
    void *ctx;
    struct pkt *cur; /* the packet being processed (its events), NULL at flow end */
};

void tcp_reasm_cfg_defaults(struct tcp_reasm_cfg *c);
int tcp_reasm_init(struct tcp_reasm *r, const struct tcp_reasm_cfg *cfg, uint64_t *ctr,
                   tcp_reasm_data_fn on_data, void *ctx) NIDS_MUST_CHECK;
void tcp_reasm_fini(struct tcp_reasm *r);

/*
 * A TCP packet of flow f in direction dir (the flow has a session):
 * sequence tracking, in-order delivery, out-of-order storage, gaps the
 * other side's ACK proves, FIN/RST as end of direction. Worker only.
 */
void tcp_reasm_packet(struct tcp_reasm *r, struct flow *f, struct pkt *p, int dir);

/* The flow ends: what is stored is given (holes as gaps), then EOF both ways. */
void tcp_reasm_flow_end(struct tcp_reasm *r, struct flow *f);

#endif /* TCP_REASM_H */
