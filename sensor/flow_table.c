/*
 * flow_table.c - the worker-private flow table: hash lookup, creation with
 * memcap and emergency eviction, per-packet counters, and the timeout-class
 * lists that expiry walks from their heads.
 */
#include "flow.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "flow_tcp.h"

void
flow_config_defaults(struct flow_config *cfg)
{
    /* Suricata's built-in defaults: flow-timeouts and flow sections. */
    static const uint32_t t[FLOW_PCLASS_COUNT][FLOW_STATE_COUNT] = {
        [FLOW_PCLASS_TCP] = {60, 600, 60},
        [FLOW_PCLASS_UDP] = {30, 300, 0},
        [FLOW_PCLASS_ICMP] = {30, 300, 0},
        [FLOW_PCLASS_DEFAULT] = {30, 300, 0},
    };
    static const uint32_t e[FLOW_PCLASS_COUNT][FLOW_STATE_COUNT] = {
        [FLOW_PCLASS_TCP] = {10, 100, 20},
        [FLOW_PCLASS_UDP] = {10, 100, 0},
        [FLOW_PCLASS_ICMP] = {10, 100, 0},
        [FLOW_PCLASS_DEFAULT] = {10, 100, 0},
    };

    memset(cfg, 0, sizeof(*cfg));
    cfg->memcap = 32ull << 20;
    cfg->hash_size = 65536;
    cfg->prealloc = 10000;
    cfg->emergency_recovery = 30;
    cfg->active_timeout = 1800;
    cfg->max_syn_queued = 10; /* Suricata's stream.max-syn-queued */
    memcpy(cfg->timeouts.t, t, sizeof(t));
    memcpy(cfg->timeouts.emerg, e, sizeof(e));
}

static uint32_t
flow_round_pow2(uint32_t v)
{
    uint32_t r = 1;

    while (r < v && r < (1u << 30))
        r <<= 1;
    return r;
}

int
flow_table_init(struct flow_table *ft, const struct flow_config *cfg, uint64_t *ctr,
                flow_end_fn on_end, void *ctx)
{
    uint32_t nbuckets = flow_round_pow2(cfg->hash_size ? cfg->hash_size : 1);
    uint64_t hash_bytes = (uint64_t)nbuckets * sizeof(uint32_t);
    uint64_t cap;

    memset(ft, 0, sizeof(*ft));
    ft->cfg = *cfg;
    if (cfg->memcap <= hash_bytes + sizeof(struct flow))
        return NIDS_ENOMEM;
    cap = (cfg->memcap - hash_bytes) / sizeof(struct flow);
    if (cap > (1u << 30))
        cap = 1u << 30;
    ft->capacity = (uint32_t)cap;
    ft->mask = nbuckets - 1;
    /* calloc leaves untouched pages unmapped: RSS grows with flows in use. */
    ft->flows = calloc(ft->capacity, sizeof(struct flow));
    ft->buckets = calloc(nbuckets, sizeof(uint32_t));
    if (ft->flows == NULL || ft->buckets == NULL) {
        flow_table_fini(ft);
        return NIDS_ENOMEM;
    }
    /* calloc + pool.h: flows never used stay untouched pages. */
    pool_list_init(&ft->free_list, ft->capacity);
    ft->seed = cfg->seed;
    if (ft->seed == 0 && getrandom(&ft->seed, sizeof(ft->seed), 0) != sizeof(ft->seed))
        ft->seed = 0x9e3779b9u;
    ft->ctr = ctr;
    ft->on_end = on_end;
    ft->on_end_ctx = ctx;
    ctr[STAT_FLOW_SPARE] = ft->capacity;
    return 0;
}

void
flow_table_fini(struct flow_table *ft)
{
    free(ft->flows);
    ft->flows = NULL;
    free(ft->buckets);
    ft->buckets = NULL;
}

uint64_t
flow_table_bytes_per_flow(const struct flow_table *ft)
{
    return sizeof(struct flow) + ((uint64_t)ft->mask + 1) * sizeof(uint32_t) / ft->capacity;
}

static inline uint64_t
flow_mix(uint64_t h, uint64_t v)
{
    h ^= v * 0x9e3779b97f4a7c15ull;
    h = (h ^ (h >> 29)) * 0xbf58476d1ce4e5b9ull;
    return h ^ (h >> 32);
}

static uint64_t
flow_mix_addr(uint64_t h, const uint8_t a[16])
{
    uint64_t w0, w1;

    memcpy(&w0, a, 8);
    memcpy(&w1, a + 8, 8);
    return flow_mix(flow_mix(h, w0), w1);
}

/* Symmetric: both directions of a flow hash alike. */
static uint32_t
flow_hash(uint32_t seed, const uint8_t *a, uint16_t ap, const uint8_t *b, uint16_t bp,
          uint8_t proto, const uint16_t *vlan, uint8_t vlan_idx)
{
    int cmp = memcmp(a, b, 16);
    uint64_t h = seed;

    if (cmp > 0 || (cmp == 0 && ap > bp)) {
        const uint8_t *t = a;
        uint16_t tp = ap;
        a = b;
        ap = bp;
        b = t;
        bp = tp;
    }
    h = flow_mix_addr(h, a);
    h = flow_mix_addr(h, b);
    h = flow_mix(h, (uint64_t)ap << 32 | (uint64_t)bp << 16 | proto);
    h = flow_mix(h, (uint64_t)vlan[0] << 32 | (uint64_t)vlan[1] << 16 | vlan[2] | (uint64_t)vlan_idx << 48);
    return (uint32_t)(h ^ (h >> 32));
}

static enum flow_proto_class
flow_pclass(uint8_t proto)
{
    switch (proto) {
    case 6:
        return FLOW_PCLASS_TCP;
    case 17:
        return FLOW_PCLASS_UDP;
    case 1:
    case 58:
        return FLOW_PCLASS_ICMP;
    default:
        return FLOW_PCLASS_DEFAULT;
    }
}

static inline struct flow *
flow_at(struct flow_table *ft, uint32_t idx1)
{
    return idx1 ? &ft->flows[idx1 - 1] : NULL;
}

static inline uint32_t
flow_idx1(const struct flow_table *ft, const struct flow *f)
{
    return (uint32_t)(f - ft->flows) + 1;
}

static void
flow_list_remove(struct flow_table *ft, struct flow *f)
{
    uint8_t c = f->tclass;

    if (f->lprev)
        flow_at(ft, f->lprev)->lnext = f->lnext;
    else
        ft->lhead[c] = f->lnext;
    if (f->lnext)
        flow_at(ft, f->lnext)->lprev = f->lprev;
    else
        ft->ltail[c] = f->lprev;
    f->lprev = f->lnext = 0;
}

static void
flow_list_append(struct flow_table *ft, struct flow *f)
{
    uint32_t i = flow_idx1(ft, f);
    uint8_t c = (uint8_t)(flow_pclass(f->key.proto) * FLOW_STATE_COUNT + f->state);

    f->tclass = c;
    f->lnext = 0;
    f->lprev = ft->ltail[c];
    if (ft->ltail[c])
        flow_at(ft, ft->ltail[c])->lnext = i;
    else
        ft->lhead[c] = i;
    ft->ltail[c] = i;
}

/* The active-timeout list: flows in order of their last report. */
static void
flow_alist_remove(struct flow_table *ft, struct flow *f)
{
    if (f->aprev)
        flow_at(ft, f->aprev)->anext = f->anext;
    else
        ft->ahead = f->anext;
    if (f->anext)
        flow_at(ft, f->anext)->aprev = f->aprev;
    else
        ft->atail = f->aprev;
    f->aprev = f->anext = 0;
}

static void
flow_alist_append(struct flow_table *ft, struct flow *f)
{
    uint32_t i = flow_idx1(ft, f);

    f->anext = 0;
    f->aprev = ft->atail;
    if (ft->atail)
        flow_at(ft, ft->atail)->anext = i;
    else
        ft->ahead = i;
    ft->atail = i;
}

static void
flow_hash_remove(struct flow_table *ft, struct flow *f)
{
    uint32_t *pp = &ft->buckets[f->hash & ft->mask];
    uint32_t i = flow_idx1(ft, f);

    while (*pp && *pp != i)
        pp = &flow_at(ft, *pp)->hnext;
    if (*pp == i)
        *pp = f->hnext;
    f->hnext = 0;
}

/* Ends f: reports it, unlinks it and returns it to the free list. */
static void
flow_end(struct flow_table *ft, struct flow *f, enum flow_end_reason reason, uint64_t now_us)
{
    static const enum stat_id end_ctr[FLOW_STATE_COUNT] = {
        STAT_FLOW_END_STATE_NEW, STAT_FLOW_END_STATE_ESTABLISHED, STAT_FLOW_END_STATE_CLOSED};

    f->end_reason = (uint8_t)reason;
    if (ft->emergency)
        f->flags |= FLOW_F_EMERGENCY;
    ft->ctr[end_ctr[f->state]]++;
    if (f->flags & FLOW_F_TCP_SESSION)
        ft->ctr[STAT_TCP_ACTIVE_SESSIONS]--;
    ft->on_end(ft->on_end_ctx, f, now_us);
    flow_list_remove(ft, f);
    flow_alist_remove(ft, f);
    flow_hash_remove(ft, f);
    pool_list_free(&ft->free_list, &ft->flows[0].hnext, sizeof(*ft->flows), flow_idx1(ft, f));
    ft->in_use--;
    ft->ctr[STAT_FLOW_ACTIVE]--;
    ft->ctr[STAT_FLOW_SPARE]++;
    ft->ctr[STAT_FLOW_MEMUSE] -= sizeof(struct flow);
    if (ft->emergency &&
        (uint64_t)(ft->capacity - ft->in_use) * 100 >=
                (uint64_t)ft->capacity * ft->cfg.emergency_recovery) {
        ft->emergency = false;
        ft->ctr[STAT_FLOW_EMERG_MODE_OVER]++;
    }
}

/* The least recently seen flow of all lists: the one to evict. */
static struct flow *
flow_oldest(struct flow_table *ft)
{
    struct flow *best = NULL;
    unsigned c;

    for (c = 0; c < FLOW_TCLASS_COUNT; c++) {
        struct flow *f = flow_at(ft, ft->lhead[c]);
        if (f && (best == NULL || f->last_us < best->last_us))
            best = f;
    }
    return best;
}

static struct flow *
flow_alloc(struct flow_table *ft, uint64_t now_us)
{
    struct flow *f;

    if (pool_list_is_empty(&ft->free_list)) {
        if (!ft->emergency) {
            ft->emergency = true;
            ft->ctr[STAT_FLOW_EMERG_MODE_ENTERED]++;
            /* Emergency timeouts may free flows right away. */
            flow_table_timeout(ft, now_us);
        }
        ft->ctr[STAT_FLOW_MEMCAP]++;
    }
    if (pool_list_is_empty(&ft->free_list)) {
        /* Bounded reclaim: evict exactly one flow for this packet. */
        f = flow_oldest(ft);
        if (f == NULL) {
            ft->ctr[STAT_FLOW_GET_USED_FAILED]++;
            return NULL;
        }
        ft->ctr[STAT_FLOW_GET_USED]++;
        ft->ctr[STAT_FLOW_WRK_FLOWS_EVICTED]++;
        flow_end(ft, f, FLOW_END_FORCED, now_us);
    }
    f = flow_at(ft, pool_list_alloc(&ft->free_list, &ft->flows[0].hnext, sizeof(*ft->flows)));
    ft->in_use++;
    ft->ctr[STAT_FLOW_ACTIVE]++;
    ft->ctr[STAT_FLOW_SPARE]--;
    ft->ctr[STAT_FLOW_MEMUSE] += sizeof(struct flow);
    return f;
}

static bool
flow_key_match(const struct flow_key *k, const struct pkt *p, int *dir)
{
    if (k->proto != p->proto || k->ip_ver != p->ip_ver || k->vlan_idx != p->vlan_idx ||
        memcmp(k->vlan_id, p->vlan_id, sizeof(k->vlan_id)) != 0)
        return false;
    if (k->sp == p->sp && k->dp == p->dp && memcmp(k->src, p->src, 16) == 0 &&
        memcmp(k->dst, p->dst, 16) == 0) {
        *dir = FLOW_TOSERVER;
        return true;
    }
    if (k->sp == p->dp && k->dp == p->sp && memcmp(k->src, p->dst, 16) == 0 &&
        memcmp(k->dst, p->src, 16) == 0) {
        *dir = FLOW_TOCLIENT;
        return true;
    }
    return false;
}

/* A stable id (not seeded, so runs are reproducible): 51 bits like Suricata. */
static uint64_t
flow_make_id(const struct flow *f)
{
    uint64_t h = flow_mix_addr(0, f->key.src);

    h = flow_mix_addr(h, f->key.dst);
    h = flow_mix(h, (uint64_t)f->key.sp << 32 | (uint64_t)f->key.dp << 16 | f->key.proto);
    h = flow_mix(h, f->start_us);
    h &= (1ull << 51) - 1;
    return h ? h : 1;
}

static struct flow *
flow_create(struct flow_table *ft, const struct pkt *p, uint32_t hash)
{
    struct flow *f = flow_alloc(ft, p->ts_us);
    /* A TCP flow first seen with SYN+ACK: the sender is the server. */
    bool flip = p->proto == 6 && (p->tcp_flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK);

    if (f == NULL)
        return NULL;
    memset(f, 0, sizeof(*f));
    memcpy(f->key.src, flip ? p->dst : p->src, 16);
    memcpy(f->key.dst, flip ? p->src : p->dst, 16);
    f->key.sp = flip ? p->dp : p->sp;
    f->key.dp = flip ? p->sp : p->dp;
    memcpy(f->key.vlan_id, p->vlan_id, sizeof(f->key.vlan_id));
    f->key.vlan_idx = p->vlan_idx;
    f->key.proto = p->proto;
    f->key.ip_ver = p->ip_ver;
    f->hash = hash;
    f->start_us = f->last_us = p->ts_us;
    f->state = FLOW_STATE_NEW;
    f->ttl_min[0] = f->ttl_min[1] = 0xff;
    f->flow_id = flow_make_id(f);
    f->report_us = f->rep_start_us = p->ts_us;
    flow_alist_append(ft, f);
    f->hnext = ft->buckets[hash & ft->mask];
    ft->buckets[hash & ft->mask] = flow_idx1(ft, f);
    flow_list_append(ft, f);
    ft->ctr[STAT_FLOW_TOTAL]++;
    switch (p->proto) {
    case 6:
        ft->ctr[STAT_FLOW_TCP]++;
        break;
    case 17:
        ft->ctr[STAT_FLOW_UDP]++;
        break;
    case 1:
        ft->ctr[STAT_FLOW_ICMPV4]++;
        break;
    case 58:
        ft->ctr[STAT_FLOW_ICMPV6]++;
        break;
    default:
        break;
    }
    return f;
}

static void
flow_update(struct flow_table *ft, struct flow *f, struct pkt *p, int dir)
{
    uint8_t old_state = f->state;

    if ((flow_rep_pkts(f, 0) | flow_rep_pkts(f, 1)) == 0)
        f->rep_start_us = p->ts_us; /* first packet of a new report interval */
    f->pkts[dir]++;
    f->bytes[dir] += p->caplen;
    f->last_us = p->ts_us > f->last_us ? p->ts_us : f->last_us;
    if (p->ttl < f->ttl_min[dir])
        f->ttl_min[dir] = p->ttl;
    if (p->ttl > f->ttl_max[dir])
        f->ttl_max[dir] = p->ttl;
    if (f->pkts[dir] == 1 && (p->proto == 1 || p->proto == 58)) {
        f->icmp_type[dir] = p->icmp_type;
        f->icmp_code[dir] = p->icmp_code;
    }
    if (p->proto == 6)
        flow_tcp_update(f, p, dir, ft->ctr, ft->cfg.midstream, ft->cfg.async_oneside,
                        ft->cfg.max_syn_queued);
    else if (f->state == FLOW_STATE_NEW && f->pkts[dir ^ 1] > 0)
        f->state = FLOW_STATE_ESTABLISHED; /* both ways seen (in either order: flow_swap) */
    /* Move to the tail of its (possibly new) timeout list. */
    (void)old_state;
    flow_list_remove(ft, f);
    flow_list_append(ft, f);
}

struct flow *
flow_table_handle(struct flow_table *ft, struct pkt *p, int *dir)
{
    uint32_t hash = flow_hash(ft->seed, p->src, p->sp, p->dst, p->dp, p->proto, p->vlan_id,
                              p->vlan_idx);
    uint32_t i = ft->buckets[hash & ft->mask];
    struct flow *f = NULL;

    while (i) {
        struct flow *c = flow_at(ft, i);
        if (c->hash == hash && flow_key_match(&c->key, p, dir)) {
            f = c;
            break;
        }
        i = c->hnext;
    }
    if (f != NULL && p->proto == 6 && flow_tcp_is_reuse(f, p)) {
        flow_end(ft, f, FLOW_END_TCP_REUSE, p->ts_us);
        f = NULL;
    }
    if (f == NULL) {
        f = flow_create(ft, p, hash);
        if (f == NULL)
            return NULL;
        *dir = memcmp(f->key.src, p->src, 16) == 0 && f->key.sp == p->sp ? FLOW_TOSERVER
                                                                           : FLOW_TOCLIENT;
    }
    flow_update(ft, f, p, *dir);
    return f;
}

#define FLOW_SWAP2(a)                                                                              \
    do {                                                                                           \
        __typeof__((a)[0]) t_ = (a)[0];                                                            \
        (a)[0] = (a)[1];                                                                           \
        (a)[1] = t_;                                                                               \
    } while (0)

void
flow_swap(struct flow *f)
{
    uint8_t addr[16];
    uint16_t port;

    memcpy(addr, f->key.src, 16);
    memcpy(f->key.src, f->key.dst, 16);
    memcpy(f->key.dst, addr, 16);
    port = f->key.sp;
    f->key.sp = f->key.dp;
    f->key.dp = port;
    FLOW_SWAP2(f->pkts);
    FLOW_SWAP2(f->bytes);
    FLOW_SWAP2(f->tcp_flags);
    FLOW_SWAP2(f->ttl_min);
    FLOW_SWAP2(f->ttl_max);
    if (f->key.proto == 6) {
        FLOW_SWAP2(f->tcp_rst_recv);
    } else {
        FLOW_SWAP2(f->icmp_type);
        FLOW_SWAP2(f->icmp_code);
    }
    FLOW_SWAP2(f->rs_flags);
    FLOW_SWAP2(f->rs_next_seq);
    FLOW_SWAP2(f->rs_ooo);
    FLOW_SWAP2(f->rs_fin_seq);
    FLOW_SWAP2(f->rs_delivered);
    FLOW_SWAP2(f->rep_pkts);
    FLOW_SWAP2(f->rep_bytes);
    FLOW_SWAP2(f->rep_tcp_flags);
    FLOW_SWAP2(f->tcp_last_ts);
    f->flags ^= FLOW_F_APP_DET_TC;
    /* The closing side only means something once a FIN was seen. */
    if (f->tcp_state >= FLOW_TCP_FIN_WAIT1)
        f->tcp_closer ^= 1;
    f->flags &= (uint8_t)~FLOW_F_SWAP;
}

/*
 * Interim reports: a flow tracked for flow.active-timeout seconds since it
 * started (or since its last report) is reported and goes on.
 */
static void
flow_table_active(struct flow_table *ft, uint64_t now_us)
{
    uint64_t t = (uint64_t)ft->cfg.active_timeout * 1000000u;
    struct flow *f;

    if (t == 0)
        return;
    while ((f = flow_at(ft, ft->ahead)) != NULL && f->report_us + t <= now_us) {
        uint8_t saved = f->end_reason;
        /* A flow with no packet since its last report has nothing new to say. */
        if ((flow_rep_pkts(f, 0) | flow_rep_pkts(f, 1)) != 0) {
            f->end_reason = FLOW_END_ACTIVE;
            ft->on_end(ft->on_end_ctx, f, now_us);
            f->end_reason = saved;
        }
        f->rep_tcp_flags[0] = f->rep_tcp_flags[1] = 0;
        f->rep_pkts[0] = (uint32_t)f->pkts[0];
        f->rep_pkts[1] = (uint32_t)f->pkts[1];
        memcpy(f->rep_bytes, f->bytes, sizeof(f->bytes));
        f->report_us = now_us;
        flow_alist_remove(ft, f);
        flow_alist_append(ft, f);
    }
}

void
flow_table_timeout(struct flow_table *ft, uint64_t now_us)
{
    unsigned c;

    for (c = 0; c < FLOW_TCLASS_COUNT; c++) {
        unsigned pc = c / FLOW_STATE_COUNT, st = c % FLOW_STATE_COUNT;
        uint64_t t = (uint64_t)(ft->emergency ? ft->cfg.timeouts.emerg[pc][st]
                                              : ft->cfg.timeouts.t[pc][st]) * 1000000u;
        struct flow *f;

        while ((f = flow_at(ft, ft->lhead[c])) != NULL && f->last_us + t <= now_us &&
               (t > 0 || f->last_us < now_us)) {
            ft->ctr[STAT_FLOW_MGR_FLOWS_TIMEOUT]++;
            flow_end(ft, f, FLOW_END_TIMEOUT, now_us);
        }
    }
    flow_table_active(ft, now_us);
}

void
flow_table_flush(struct flow_table *ft, uint64_t now_us)
{
    unsigned c;

    for (c = 0; c < FLOW_TCLASS_COUNT; c++) {
        struct flow *f;
        while ((f = flow_at(ft, ft->lhead[c])) != NULL)
            flow_end(ft, f, FLOW_END_SHUTDOWN, now_us);
    }
}

const char *
flow_state_name(uint8_t s)
{
    static const char *const names[FLOW_STATE_COUNT] = {"new", "established", "closed"};

    return s < FLOW_STATE_COUNT ? names[s] : "unknown";
}

const char *
flow_end_reason_name(uint8_t r)
{
    static const char *const names[FLOW_END_REASON_COUNT] = {"timeout", "forced", "shutdown",
                                                             "tcp_reuse", "active"};

    return r < FLOW_END_REASON_COUNT ? names[r] : "unknown";
}
