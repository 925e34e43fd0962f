/*
 * flow.h - a bidirectional flow and the worker-private flow table.
 *
 * Flows are preallocated at start-up up to flow.memcap, found through a
 * hash with a random seed (chains of indices), and kept on one list per
 * timeout class (protocol x state), each ordered by last packet time, so
 * that expiry only ever looks at list heads. The client ("to server"
 * side) is the sender of the first packet, except that a TCP flow first
 * seen with SYN+ACK is flipped.
 */
#ifndef FLOW_H
#define FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"
#include "nids.h"
#include "pool.h"

enum flow_state {
    FLOW_STATE_NEW = 0,
    FLOW_STATE_ESTABLISHED,
    FLOW_STATE_CLOSED,
    FLOW_STATE_COUNT
};

enum flow_proto_class {
    FLOW_PCLASS_TCP = 0,
    FLOW_PCLASS_UDP,
    FLOW_PCLASS_ICMP,
    FLOW_PCLASS_DEFAULT,
    FLOW_PCLASS_COUNT
};

/* Suricata's TCP session states, in its order (names in flow_tcp_state_name). */
enum flow_tcp_state {
    FLOW_TCP_NONE = 0,
    FLOW_TCP_SYN_SENT,
    FLOW_TCP_SYN_RECV,
    FLOW_TCP_ESTABLISHED,
    FLOW_TCP_FIN_WAIT1,
    FLOW_TCP_FIN_WAIT2,
    FLOW_TCP_TIME_WAIT,
    FLOW_TCP_LAST_ACK,
    FLOW_TCP_CLOSE_WAIT,
    FLOW_TCP_CLOSING,
    FLOW_TCP_CLOSED,
    FLOW_TCP_STATE_COUNT
};

enum flow_end_reason {
    FLOW_END_TIMEOUT = 0,
    FLOW_END_FORCED,
    FLOW_END_SHUTDOWN,
    FLOW_END_TCP_REUSE,
    FLOW_END_ACTIVE, /* an interim report: the flow goes on */
    FLOW_END_REASON_COUNT
};

#define FLOW_TOSERVER 0
#define FLOW_TOCLIENT 1

/* Flow flags. */
#define FLOW_F_TCP_SESSION 0x01 /* a TCP session is tracked (SYN seen or midstream) */
#define FLOW_F_EMERGENCY   0x02 /* ended while the table was in emergency mode */
#define FLOW_F_ALERTED     0x04
#define FLOW_F_MIDSTREAM   0x08 /* the TCP session was picked up mid-stream */
#define FLOW_F_SWAP        0x10 /* protocol detection turned the flow round: flow_swap() due */
/* app_proto came from stream bytes (ending at app_det_seq) the other side
 * has not acknowledged yet: packet rules don't see it (app_layer.c). */
#define FLOW_F_APP_PENDING 0x20
#define FLOW_F_APP_DET_TC  0x40 /* those bytes went to the client */

/* App-layer parser flags (sensor/app_dns_udp.c). */
#define FLOW_APP_F_SEEN 0x01 /* the parser has had a packet: counted in app_layer.flow */

struct flow_key {
    uint8_t src[16]; /* client address */
    uint8_t dst[16];
    uint16_t sp, dp;
    uint16_t vlan_id[DEC_MAX_VLAN];
    uint8_t proto;
    uint8_t ip_ver;
    uint8_t vlan_idx;
    uint8_t pad;
};

struct flow {
    struct flow_key key;
    /* Two bytes here fill the key's tail padding (the table stays within 256 bytes a flow). */
    uint8_t app_flags;           /* FLOW_APP_F_*: app-layer parser state */
    uint8_t tcp_syns;            /* SYNs with a new ISN before the SYN/ACK (flow_tcp.c) */
    uint32_t hash;
    uint32_t hnext;              /* next in hash chain: index + 1, 0 = end */
    uint32_t lprev, lnext;       /* timeout-class list: index + 1, 0 = end */
    uint64_t start_us, last_us;
    uint64_t pkts[2], bytes[2];  /* [FLOW_TOSERVER], [FLOW_TOCLIENT] */
    uint64_t flow_id;
    uint8_t state;               /* enum flow_state */
    uint8_t tcp_state;           /* enum flow_tcp_state */
    uint8_t tcp_flags[2];        /* flags seen per direction */
    uint8_t ttl_min[2], ttl_max[2];
    /* A flow is ICMP or TCP: their per-protocol bytes share the space. */
    union {
        struct {
            uint8_t icmp_type[2], icmp_code[2]; /* ICMP: first packet's, per direction */
        };
        struct {
            uint8_t tcp_pstate;      /* state before an unverifiable RST closed the session */
            bool tcp_syn_ts_multi;   /* SYNs came with different TSvals (flow_tcp.c) */
            bool tcp_rst_recv[2];    /* [dir]: an RST went this way with a signature nobody can check */
        };
    };
    uint8_t tclass;              /* list the flow is on */
    uint8_t flags;               /* FLOW_F_* */
    uint8_t end_reason;          /* enum flow_end_reason, set when it ends */
    uint8_t app_proto;           /* enum app_proto */
    uint8_t app_tries;           /* payload packets probed so far */
    uint8_t app_proto_orig;      /* protocol before a change (HTTP CONNECT tunnel) */
    uint8_t rs_flags[2];         /* TCP_RS_* per direction (tcp_reasm.c) */
    uint32_t app_state;          /* parser state in its protocol's pool: index + 1 */
    uint32_t rs_next_seq[2];     /* next in-order sequence number per direction */
    uint32_t rs_ooo[2];          /* out-of-order segments: first, index + 1 */
    uint32_t rs_fin_seq[2];      /* sequence number of the FIN per direction (valid with TCP_RS_FIN) */
    uint32_t rs_delivered[2];    /* bytes handed to the app layer (depth) */
    uint32_t aprev, anext;       /* active-timeout list, by report time: index + 1 */
    uint64_t report_us;          /* start, or time of the last interim report */
    uint64_t rep_bytes[2];       /* bytes[] at the last report (IPFIX deltas) */
    uint32_t rep_pkts[2];        /* pkts[] at the last report, low 32 bits: flow_rep_pkts() */
    uint64_t rep_start_us;       /* first packet after the last report */
    uint8_t rep_tcp_flags[2];    /* TCP flags since the last report (export records) */
    uint8_t tcp_closer;          /* direction that sent the first FIN */
    bool tcp_ts;                 /* both sides negotiated timestamps (RFC 7323) */
    uint32_t tcp_last_ts[2];     /* last TCP timestamp value per direction */
    uint32_t app_tx;             /* app-layer transactions so far (DNS tx_id); wraps */
    uint32_t ndpi_ref;           /* nDPI state or result in the worker's pools (app_ndpi.c) */
    uint32_t app_det_seq;        /* end of the stream bytes that identified app_proto */
};

/* Timeouts in seconds, per protocol class and state, normal and emergency. */
struct flow_timeouts {
    uint32_t t[FLOW_PCLASS_COUNT][FLOW_STATE_COUNT];
    uint32_t emerg[FLOW_PCLASS_COUNT][FLOW_STATE_COUNT];
};

struct flow_config {
    uint64_t memcap;       /* bytes for flow entries and the hash */
    uint32_t hash_size;    /* buckets, rounded up to a power of two */
    uint32_t prealloc;     /* informative: flows are all preallocated up to memcap */
    uint32_t emergency_recovery; /* percent of free flows that ends emergency mode */
    uint32_t seed;         /* hash seed; 0 = pick a random one */
    bool midstream;        /* stream.midstream: track TCP picked up mid-session */
    bool async_oneside;    /* stream.async-oneside: one side of the handshake is enough */
    uint8_t max_syn_queued; /* stream.max-syn-queued: new-ISN SYNs before 3whs_syn_flood */
    uint32_t active_timeout; /* flow.active-timeout: interim reports every N s; 0 = off */
    struct flow_timeouts timeouts;
};

/*
 * Called for every flow that ends (timeout, eviction, reuse, shutdown) and
 * for interim reports of long flows (end_reason FLOW_END_ACTIVE: the flow
 * stays in the table). The report counters are advanced after it returns.
 */
typedef void (*flow_end_fn)(void *ctx, struct flow *f, uint64_t now_us);

#define FLOW_TCLASS_COUNT (FLOW_PCLASS_COUNT * FLOW_STATE_COUNT)

struct flow_table {
    struct flow *flows;      /* capacity entries */
    uint32_t *buckets;       /* hash_size heads: index + 1 */
    uint32_t capacity;
    uint32_t mask;
    struct pool_list free_list; /* free flows linked through hnext (pool.h) */
    uint32_t in_use;
    uint32_t seed;
    bool emergency;
    uint32_t lhead[FLOW_TCLASS_COUNT], ltail[FLOW_TCLASS_COUNT];
    uint32_t ahead, atail; /* active-timeout list */
    struct flow_config cfg;
    uint64_t *ctr;
    flow_end_fn on_end;
    void *on_end_ctx;
    uint64_t last_timeout_check_us;
};

/* Suricata's default timeouts (flow-timeouts in suricata.yaml). */
void flow_config_defaults(struct flow_config *cfg);

/*
 * Allocate the table (start-up only). ctr: the worker's counters. on_end is
 * called for every flow that ends. Returns 0 or NIDS_ENOMEM.
 */
int flow_table_init(struct flow_table *ft, const struct flow_config *cfg, uint64_t *ctr,
                    flow_end_fn on_end, void *ctx) NIDS_MUST_CHECK;
void flow_table_fini(struct flow_table *ft);

/*
 * Find or create the flow of a decoded packet (PKT_HAS_L4), update its
 * counters and state (stream events are recorded on p), and report the
 * packet's direction in *dir. Returns
 * NULL when no flow can be had (memcap and nothing to evict): counted.
 */
struct flow *flow_table_handle(struct flow_table *ft, struct pkt *p, int *dir);

/*
 * Turn flow f round, as Suricata's FlowSwap() when protocol detection
 * finds the first payload went from server to client: the client becomes
 * the server, and every per-direction field (counters, TCP flags and
 * timestamps, reassembly state) changes sides. The hash and flow_id stay.
 * Clears FLOW_F_SWAP. Worker; call it between packets, never from inside
 * tcp_reasm (whose callers hold direction indexes).
 */
void flow_swap(struct flow *f);

/*
 * Packets of direction d since the last report. Kept as 32-bit
 * differences (a flow table entry stays within 256 bytes): exact unless
 * a direction carries 2^32 packets between two reports.
 */
static inline uint32_t
flow_rep_pkts(const struct flow *f, int d)
{
    return (uint32_t)f->pkts[d] - f->rep_pkts[d];
}

/*
 * The index of direction dir in f's per-direction arrays: dir, or the
 * other one while a swap is pending (FLOW_F_SWAP: parsers already see
 * the turned-round directions, the arrays are swapped after the packet).
 */
static inline int
flow_dir_slot(const struct flow *f, int dir)
{
    return (f->flags & FLOW_F_SWAP) ? dir ^ 1 : dir;
}

/* End flows whose timeout has passed at time now_us. */
void flow_table_timeout(struct flow_table *ft, uint64_t now_us);

/* End every flow (end of input), reason shutdown. */
void flow_table_flush(struct flow_table *ft, uint64_t now_us);

/* Bytes of memory per flow entry including its share of the hash. */
uint64_t flow_table_bytes_per_flow(const struct flow_table *ft);

const char *flow_tcp_state_name(uint8_t s);
const char *flow_state_name(uint8_t s);
const char *flow_end_reason_name(uint8_t r);

#endif /* FLOW_H */
