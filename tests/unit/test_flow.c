/*
 * test_flow.c - unit tests for sensor/flow_table.c and sensor/flow_tcp.c:
 * lookup in both directions, SYN+ACK flip, per-direction counters, UDP and
 * ICMP state, the TCP state walk (handshake, FIN teardown either way,
 * simultaneous close, RST), PAWS, what SYN_SENT refuses (forged
 * timestamps, stray RSTs), RSTs with a signature and suspected RST
 * injection, port reuse, timeouts per class,
 * memcap -> emergency mode and forced eviction, and flush at shutdown.
 *
 * Packets are struct pkt filled field by field (what the decoders would
 * have set), plus a few hand-made frames run through dec_packet(). Time is
 * packet time only: nothing sleeps.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../../sensor/flow_table.c"
#include "../../sensor/flow_tcp.c"

#define SEC       1000000ull /* microseconds */
#define T0        (1000 * SEC)
#define MAX_ENDED 64
#define SEED      0x1234567u

/* 10.0.0.1:40000 is the client, 10.0.0.2:80 the server. */
static const uint8_t cli_addr[4] = {10, 0, 0, 1};
static const uint8_t srv_addr[4] = {10, 0, 0, 2};
#define CLI_PORT 40000
#define SRV_PORT 80

struct ended {
    struct flow f; /* a copy taken in the end callback */
    uint64_t now_us;
};

struct ffx {
    uint64_t ctr[STAT_ID_COUNT];
    struct flow_config cfg;
    struct flow_table ft;
    bool ft_up;
    struct ended ended[MAX_ENDED];
    unsigned n_ended;
    struct pkt p;
};

static void
on_end(void *ctx, struct flow *f, uint64_t now_us)
{
    struct ffx *x = ctx;

    assert_true(x->n_ended < MAX_ENDED);
    x->ended[x->n_ended].f = *f;
    x->ended[x->n_ended].now_us = now_us;
    x->n_ended++;
}

static void
ffx_table_up(struct ffx *x)
{
    if (x->ft_up)
        flow_table_fini(&x->ft);
    memset(x->ctr, 0, sizeof(x->ctr));
    x->n_ended = 0;
    assert_int_equal(flow_table_init(&x->ft, &x->cfg, x->ctr, on_end, x), 0);
    x->ft_up = true;
}

static int
ffx_setup(void **state)
{
    struct ffx *x = calloc(1, sizeof(*x));

    if (x == NULL)
        return -1;
    flow_config_defaults(&x->cfg);
    x->cfg.memcap = 1u << 20;
    x->cfg.hash_size = 1024;
    x->cfg.seed = SEED;
    if (flow_table_init(&x->ft, &x->cfg, x->ctr, on_end, x) != 0) {
        free(x);
        return -1;
    }
    x->ft_up = true;
    *state = x;
    return 0;
}

static int
ffx_teardown(void **state)
{
    struct ffx *x = *state;

    if (x->ft_up)
        flow_table_fini(&x->ft);
    free(x);
    return 0;
}

/* A decoded IPv4 packet as the decoders leave it. */
static struct pkt *
pkt4(struct ffx *x, uint8_t proto, const uint8_t src[4], uint16_t sp, const uint8_t dst[4],
     uint16_t dp, uint64_t ts_us)
{
    struct pkt *p = &x->p;

    memset(p, 0, sizeof(*p));
    p->ctr = x->ctr;
    p->ts_us = ts_us;
    p->caplen = p->wirelen = 60;
    p->linktype = DEC_DLT_EN10MB;
    p->ip_ver = 4;
    p->proto = proto;
    p->ttl = 64;
    memcpy(p->src, src, 4);
    memcpy(p->dst, dst, 4);
    p->sp = sp;
    p->dp = dp;
    p->tcp_wscale = 0xff;
    p->flags = PKT_HAS_L4;
    return p;
}

/* A TCP segment of the client/server connection. */
static struct pkt *
tcp(struct ffx *x, bool from_client, uint8_t flags, uint64_t ts_us)
{
    struct pkt *p = from_client ? pkt4(x, 6, cli_addr, CLI_PORT, srv_addr, SRV_PORT, ts_us)
                                : pkt4(x, 6, srv_addr, SRV_PORT, cli_addr, CLI_PORT, ts_us);

    p->tcp_flags = flags;
    p->tcp_hlen = 20;
    return p;
}

/* Handles p and checks the direction reported. */
static struct flow *
handle(struct ffx *x, struct pkt *p, int want_dir)
{
    int dir = -1;
    struct flow *f = flow_table_handle(&x->ft, p, &dir);

    assert_non_null(f);
    assert_int_equal(dir, want_dir);
    return f;
}

static void
assert_tcp_state(const struct flow *f, enum flow_tcp_state ts, enum flow_state fs, const char *name)
{
    assert_int_equal(f->tcp_state, ts);
    assert_int_equal(f->state, fs);
    assert_string_equal(flow_tcp_state_name(f->tcp_state), name);
}

/* SYN, SYN+ACK, ACK at T0, T0+1ms, T0+2ms. */
static struct flow *
handshake(struct ffx *x)
{
    struct flow *f = handle(x, tcp(x, true, TCP_SYN, T0), FLOW_TOSERVER);

    assert_ptr_equal(handle(x, tcp(x, false, TCP_SYN | TCP_ACK, T0 + 1000), FLOW_TOCLIENT), f);
    assert_ptr_equal(handle(x, tcp(x, true, TCP_ACK, T0 + 2000), FLOW_TOSERVER), f);
    return f;
}

/* ---- configuration and set-up ------------------------------------------ */

static void
test_config_defaults(void **state)
{
    struct flow_config c;
    static const uint32_t t[FLOW_PCLASS_COUNT][FLOW_STATE_COUNT] = {
            {60, 600, 60}, {30, 300, 0}, {30, 300, 0}, {30, 300, 0}};
    static const uint32_t e[FLOW_PCLASS_COUNT][FLOW_STATE_COUNT] = {
            {10, 100, 20}, {10, 100, 0}, {10, 100, 0}, {10, 100, 0}};

    (void)state;
    memset(&c, 0xa5, sizeof(c));
    flow_config_defaults(&c);
    /* Suricata's flow and flow-timeouts defaults */
    assert_int_equal(c.memcap, 32ull << 20);
    assert_int_equal(c.hash_size, 65536);
    assert_int_equal(c.prealloc, 10000);
    assert_int_equal(c.emergency_recovery, 30);
    assert_int_equal(c.seed, 0);
    assert_false(c.midstream);
    assert_memory_equal(c.timeouts.t, t, sizeof(t));
    assert_memory_equal(c.timeouts.emerg, e, sizeof(e));
}

static void
test_init_capacity_and_limits(void **state)
{
    struct ffx *x = *state;
    struct flow_table ft;
    struct flow_config c = x->cfg;
    uint64_t ctr[STAT_ID_COUNT];

    /* 1 MiB with 1024 buckets of 4 bytes */
    assert_int_equal(x->ft.capacity, ((1u << 20) - 4096) / sizeof(struct flow));
    assert_int_equal(x->ft.mask, 1023);
    assert_int_equal(x->ctr[STAT_FLOW_SPARE], x->ft.capacity);
    assert_int_equal(flow_table_bytes_per_flow(&x->ft),
                     sizeof(struct flow) + 4096 / x->ft.capacity);
    assert_int_equal(x->ft.seed, SEED);
    assert_false(x->ft.emergency);

    /* hash size rounded up to a power of two, 0 means one bucket */
    memset(ctr, 0, sizeof(ctr));
    c.hash_size = 1000;
    assert_int_equal(flow_table_init(&ft, &c, ctr, on_end, x), 0);
    assert_int_equal(ft.mask, 1023);
    flow_table_fini(&ft);
    c.hash_size = 0;
    assert_int_equal(flow_table_init(&ft, &c, ctr, on_end, x), 0);
    assert_int_equal(ft.mask, 0);
    flow_table_fini(&ft);

    /* memcap that does not hold the hash and one flow */
    c.hash_size = 1;
    c.memcap = 4 + sizeof(struct flow);
    assert_int_equal(flow_table_init(&ft, &c, ctr, on_end, x), NIDS_ENOMEM);
    flow_table_fini(&ft); /* safe after a failed init */
    c.memcap = 4 + sizeof(struct flow) + 1;
    assert_int_equal(flow_table_init(&ft, &c, ctr, on_end, x), 0);
    assert_int_equal(ft.capacity, 1);
    flow_table_fini(&ft);
    assert_null(ft.flows);
    assert_null(ft.buckets);
}

static void
test_hash_symmetric(void **state)
{
    static const uint16_t novlan[DEC_MAX_VLAN] = {0, 0, 0};
    static const uint16_t vlan7[DEC_MAX_VLAN] = {7, 0, 0};
    uint8_t a[16] = {10, 0, 0, 1}, b[16] = {10, 0, 0, 2};
    uint32_t h1, h2;

    (void)state;
    h1 = flow_hash(SEED, a, 1000, b, 80, 6, novlan, 0);
    h2 = flow_hash(SEED, b, 80, a, 1000, 6, novlan, 0);
    assert_int_equal(h1, h2);
    /* same address both ends: ports order it */
    assert_int_equal(flow_hash(SEED, a, 1000, a, 80, 6, novlan, 0),
                     flow_hash(SEED, a, 80, a, 1000, 6, novlan, 0));
    /* VLAN, protocol and seed are part of it */
    assert_int_not_equal(h1, flow_hash(SEED, a, 1000, b, 80, 6, vlan7, 1));
    assert_int_not_equal(h1, flow_hash(SEED, a, 1000, b, 80, 17, novlan, 0));
    assert_int_not_equal(h1, flow_hash(SEED + 1, a, 1000, b, 80, 6, novlan, 0));
}

/* ---- lookup, direction, counters ------------------------------------------ */

static void
test_udp_both_directions(void **state)
{
    struct ffx *x = *state;
    struct pkt *p;
    struct flow *f, *g;

    p = pkt4(x, 17, cli_addr, 5353, srv_addr, 53, T0);
    p->caplen = 100;
    p->ttl = 64;
    f = handle(x, p, FLOW_TOSERVER);
    assert_memory_equal(f->key.src, cli_addr, 4);
    assert_memory_equal(f->key.dst, srv_addr, 4);
    assert_int_equal(f->key.sp, 5353);
    assert_int_equal(f->key.dp, 53);
    assert_int_equal(f->key.proto, 17);
    assert_int_equal(f->key.ip_ver, 4);
    assert_int_equal(f->state, FLOW_STATE_NEW);
    assert_int_equal(f->pkts[0], 1);
    assert_int_equal(f->bytes[0], 100);
    assert_int_equal(f->pkts[1], 0);
    assert_int_equal(f->ttl_min[1], 0xff); /* nothing seen that way yet */
    assert_int_equal(f->start_us, T0);
    assert_int_equal(x->ctr[STAT_FLOW_TOTAL], 1);
    assert_int_equal(x->ctr[STAT_FLOW_UDP], 1);
    assert_int_equal(x->ctr[STAT_FLOW_ACTIVE], 1);
    assert_int_equal(x->ctr[STAT_FLOW_SPARE], x->ft.capacity - 1);
    assert_int_equal(x->ctr[STAT_FLOW_MEMUSE], sizeof(struct flow));
    assert_int_equal(x->ft.in_use, 1);

    /* same direction again, lower TTL */
    p = pkt4(x, 17, cli_addr, 5353, srv_addr, 53, T0 + SEC);
    p->ttl = 60;
    assert_ptr_equal(handle(x, p, FLOW_TOSERVER), f);
    assert_int_equal(f->pkts[0], 2);
    assert_int_equal(f->bytes[0], 160);
    assert_int_equal(f->ttl_min[0], 60);
    assert_int_equal(f->ttl_max[0], 64);
    assert_int_equal(f->state, FLOW_STATE_NEW);

    /* the reply: same flow, to client, and the flow is established */
    p = pkt4(x, 17, srv_addr, 53, cli_addr, 5353, T0 + 2 * SEC);
    p->caplen = 200;
    p->ttl = 128;
    g = handle(x, p, FLOW_TOCLIENT);
    assert_ptr_equal(g, f);
    assert_int_equal(f->state, FLOW_STATE_ESTABLISHED);
    assert_int_equal(f->pkts[1], 1);
    assert_int_equal(f->bytes[1], 200);
    assert_int_equal(f->ttl_min[1], 128);
    assert_int_equal(f->ttl_max[1], 128);
    assert_int_equal(f->last_us, T0 + 2 * SEC);
    assert_int_equal(f->start_us, T0);
    assert_int_equal(x->ctr[STAT_FLOW_TOTAL], 1);
    assert_int_equal(f->tclass, FLOW_PCLASS_UDP * FLOW_STATE_COUNT + FLOW_STATE_ESTABLISHED);
    assert_true(f->flow_id != 0 && f->flow_id < (1ull << 51));
}

/*
 * flow_swap: a UDP flow whose first packet was the server's is turned
 * round; everything per direction changes sides, the next packets find
 * the flow in their new direction, and both ways seen make it established.
 */
static void
test_swap(void **state)
{
    struct ffx *x = *state;
    struct pkt *p;
    struct flow *f;
    uint64_t id;

    p = pkt4(x, 17, srv_addr, 53, cli_addr, 5353, T0);
    p->caplen = 200;
    p->ttl = 128;
    f = handle(x, p, FLOW_TOSERVER);
    id = f->flow_id;
    f->rs_next_seq[0] = 7;
    f->flags |= FLOW_F_SWAP;
    flow_swap(f);
    assert_false(f->flags & FLOW_F_SWAP);
    assert_memory_equal(f->key.src, cli_addr, 4);
    assert_memory_equal(f->key.dst, srv_addr, 4);
    assert_int_equal(f->key.sp, 5353);
    assert_int_equal(f->key.dp, 53);
    assert_int_equal(f->pkts[0], 0);
    assert_int_equal(f->pkts[1], 1);
    assert_int_equal(f->bytes[1], 200);
    assert_int_equal(f->ttl_min[1], 128);
    assert_int_equal(f->ttl_min[0], 0xff);
    assert_int_equal(f->rs_next_seq[1], 7);
    assert_int_equal(f->flow_id, id);
    assert_int_equal(f->state, FLOW_STATE_NEW);
    /* the client's query: to server now, and the flow is established */
    p = pkt4(x, 17, cli_addr, 5353, srv_addr, 53, T0 + SEC);
    assert_ptr_equal(handle(x, p, FLOW_TOSERVER), f);
    assert_int_equal(f->state, FLOW_STATE_ESTABLISHED);
    assert_int_equal(f->pkts[0], 1);
    p = pkt4(x, 17, srv_addr, 53, cli_addr, 5353, T0 + 2 * SEC);
    assert_ptr_equal(handle(x, p, FLOW_TOCLIENT), f);
    assert_int_equal(f->pkts[1], 2);
    assert_int_equal(x->ctr[STAT_FLOW_TOTAL], 1);
}

/* A TCP session picked up mid-stream is marked so (app_detect may turn it round). */
static void
test_swap_tcp_midstream(void **state)
{
    struct ffx *x = *state;
    struct flow *f;

    x->cfg.midstream = true;
    ffx_table_up(x);
    f = handle(x, tcp(x, false, TCP_ACK | TCP_PSH, T0), FLOW_TOSERVER);
    assert_true(f->flags & FLOW_F_MIDSTREAM);
    f->tcp_flags[0] |= TCP_PSH;
    flow_swap(f);
    assert_int_equal(f->key.sp, CLI_PORT);
    assert_int_equal(f->tcp_flags[1], TCP_ACK | TCP_PSH);
    assert_int_equal(f->tcp_flags[0], 0);
    assert_ptr_equal(handle(x, tcp(x, true, TCP_ACK, T0 + 1), FLOW_TOSERVER), f);
    assert_int_equal(f->tcp_flags[0], TCP_ACK);
    /* a handshake start is not mid-stream */
    struct pkt *p = pkt4(x, 6, cli_addr, 4444, srv_addr, 80, T0);
    p->tcp_flags = TCP_SYN;
    f = handle(x, p, FLOW_TOSERVER);
    assert_true(f->flags & FLOW_F_TCP_SESSION);
    assert_false(f->flags & FLOW_F_MIDSTREAM);
}

static void
test_ipv6_both_directions(void **state)
{
    struct ffx *x = *state;
    /* 2001:db8::1 and 2001:db8::2 */
    static const uint8_t a6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
    static const uint8_t b6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};
    struct pkt *p = pkt4(x, 17, cli_addr, 546, srv_addr, 547, T0);
    struct flow *f;

    p->ip_ver = 6;
    memcpy(p->src, a6, 16);
    memcpy(p->dst, b6, 16);
    f = handle(x, p, FLOW_TOSERVER);
    assert_int_equal(f->key.ip_ver, 6);
    p = pkt4(x, 17, cli_addr, 547, srv_addr, 546, T0 + 1);
    p->ip_ver = 6;
    memcpy(p->src, b6, 16);
    memcpy(p->dst, a6, 16);
    assert_ptr_equal(handle(x, p, FLOW_TOCLIENT), f);
    assert_int_equal(f->state, FLOW_STATE_ESTABLISHED);
}

static void
test_distinct_tuples(void **state)
{
    struct ffx *x = *state;
    struct pkt *p;
    struct flow *base, *f;

    base = handle(x, pkt4(x, 17, cli_addr, 1000, srv_addr, 53, T0), FLOW_TOSERVER);
    /* another source port */
    f = handle(x, pkt4(x, 17, cli_addr, 1001, srv_addr, 53, T0), FLOW_TOSERVER);
    assert_ptr_not_equal(f, base);
    /* same ports over TCP */
    f = handle(x, pkt4(x, 6, cli_addr, 1000, srv_addr, 53, T0), FLOW_TOSERVER);
    assert_ptr_not_equal(f, base);
    /* same tuple in VLAN 7 */
    p = pkt4(x, 17, cli_addr, 1000, srv_addr, 53, T0);
    p->vlan_idx = 1;
    p->vlan_id[0] = 7;
    f = handle(x, p, FLOW_TOSERVER);
    assert_ptr_not_equal(f, base);
    assert_int_equal(f->key.vlan_idx, 1);
    assert_int_equal(f->key.vlan_id[0], 7);
    /* ... and its reply in VLAN 7 finds it */
    p = pkt4(x, 17, srv_addr, 53, cli_addr, 1000, T0);
    p->vlan_idx = 1;
    p->vlan_id[0] = 7;
    assert_ptr_equal(handle(x, p, FLOW_TOCLIENT), f);
    /* same tuple as IPv6 (addresses 0a000001... in the first bytes) */
    p = pkt4(x, 17, cli_addr, 1000, srv_addr, 53, T0);
    p->ip_ver = 6;
    f = handle(x, p, FLOW_TOSERVER);
    assert_ptr_not_equal(f, base);
    /* the base flow is still found */
    assert_ptr_equal(handle(x, pkt4(x, 17, cli_addr, 1000, srv_addr, 53, T0), FLOW_TOSERVER), base);
    assert_int_equal(x->ctr[STAT_FLOW_TOTAL], 5);
    assert_int_equal(x->ctr[STAT_FLOW_UDP], 4);
    assert_int_equal(x->ctr[STAT_FLOW_TCP], 1);
}

static void
test_many_flows_one_bucket(void **state)
{
    struct ffx *x = *state;
    struct flow *fl[32];
    unsigned i;

    /* one bucket: every flow shares a chain */
    x->cfg.hash_size = 1;
    ffx_table_up(x);
    for (i = 0; i < 32; i++)
        fl[i] = handle(x, pkt4(x, 17, cli_addr, (uint16_t)(2000 + i), srv_addr, 53, T0 + i),
                       FLOW_TOSERVER);
    for (i = 0; i < 32; i++)
        assert_ptr_equal(
                handle(x, pkt4(x, 17, srv_addr, 53, cli_addr, (uint16_t)(2000 + i), T0 + 100 + i),
                       FLOW_TOCLIENT),
                fl[i]);
    assert_int_equal(x->ctr[STAT_FLOW_TOTAL], 32);
    /* ending flows from the middle of the chain keeps the rest reachable */
    flow_table_timeout(&x->ft, T0 + 100 + 16 + 300 * SEC);
    assert_int_equal(x->n_ended, 17);
    for (i = 17; i < 32; i++)
        assert_ptr_equal(handle(x,
                                pkt4(x, 17, cli_addr, (uint16_t)(2000 + i), srv_addr, 53,
                                     T0 + 300 * SEC + 200),
                                FLOW_TOSERVER),
                         fl[i]);
    assert_int_equal(x->ctr[STAT_FLOW_TOTAL], 32);
}

static void
test_icmp_echo_decoded(void **state)
{
    struct ffx *x = *state;
    /*
     * Ethernet, IPv4 192.168.0.89 -> 192.168.0.1 TTL 64, ICMP echo request
     * id 0x0a0b seq 1, no data (checksums not checked here)
     */
    static const uint8_t req[] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa,
                                  0xbb, 0x08, 0x00, 0x45, 0x00, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00,
                                  0x40, 0x01, 0x00, 0x00, 0xc0, 0xa8, 0x00, 0x59, 0xc0, 0xa8, 0x00,
                                  0x01, 0x08, 0x00, 0x00, 0x00, 0x0a, 0x0b, 0x00, 0x01};
    /* its echo reply 192.168.0.1 -> 192.168.0.89 TTL 255, id 0x0a0b seq 1 */
    static const uint8_t rep[] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa,
                                  0xbb, 0x08, 0x00, 0x45, 0x00, 0x00, 0x1c, 0x00, 0x02, 0x00, 0x00,
                                  0xff, 0x01, 0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00,
                                  0x59, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x0b, 0x00, 0x01};
    struct pkt p;
    struct flow *f;
    int dir = -1;

    dec_pkt_init(&p, req, sizeof(req), sizeof(req), T0, DEC_DLT_EN10MB, x->ctr);
    assert_int_equal(dec_packet(&p), DEC_OK);
    assert_true(p.flags & PKT_HAS_L4);
    f = flow_table_handle(&x->ft, &p, &dir);
    assert_non_null(f);
    assert_int_equal(dir, FLOW_TOSERVER);
    assert_int_equal(f->key.sp, 0x0a0b);
    assert_int_equal(f->icmp_type[0], 8);
    assert_int_equal(f->state, FLOW_STATE_NEW);

    dec_pkt_init(&p, rep, sizeof(rep), sizeof(rep), T0 + 500, DEC_DLT_EN10MB, x->ctr);
    assert_int_equal(dec_packet(&p), DEC_OK);
    assert_ptr_equal(flow_table_handle(&x->ft, &p, &dir), f);
    assert_int_equal(dir, FLOW_TOCLIENT);
    assert_int_equal(f->icmp_type[1], 0);
    assert_int_equal(f->icmp_code[1], 0);
    assert_int_equal(f->ttl_max[1], 255);
    assert_int_equal(f->state, FLOW_STATE_ESTABLISHED);
    assert_int_equal(x->ctr[STAT_FLOW_ICMPV4], 1);
    assert_int_equal(f->tclass, FLOW_PCLASS_ICMP * FLOW_STATE_COUNT + FLOW_STATE_ESTABLISHED);
}

static void
test_flow_id_stable(void **state)
{
    struct ffx *x = *state;
    struct flow_table other;
    struct flow_config c = x->cfg;
    uint64_t ctr[STAT_ID_COUNT];
    struct flow *f, *g;
    uint64_t id;
    int dir;

    f = handle(x, pkt4(x, 17, cli_addr, 1000, srv_addr, 53, T0), FLOW_TOSERVER);
    id = f->flow_id;
    handle(x, pkt4(x, 17, srv_addr, 53, cli_addr, 1000, T0 + 1), FLOW_TOCLIENT);
    assert_int_equal(f->flow_id, id);
    /* another flow started at another time has another id */
    g = handle(x, pkt4(x, 17, cli_addr, 1001, srv_addr, 53, T0 + 7), FLOW_TOSERVER);
    assert_int_not_equal(g->flow_id, id);
    /* the id does not depend on the table's hash seed: runs reproduce */
    memset(ctr, 0, sizeof(ctr));
    c.seed = SEED ^ 0xffff;
    assert_int_equal(flow_table_init(&other, &c, ctr, on_end, x), 0);
    g = flow_table_handle(&other, pkt4(x, 17, cli_addr, 1000, srv_addr, 53, T0), &dir);
    assert_non_null(g);
    assert_int_equal(g->flow_id, id);
    flow_table_fini(&other);
}

/* ---- TCP ---------------------------------------------------------------- */

static void
test_tcp_handshake_client_closes(void **state)
{
    struct ffx *x = *state;
    struct flow *f = handle(x, tcp(x, true, TCP_SYN, T0), FLOW_TOSERVER);

    assert_tcp_state(f, FLOW_TCP_SYN_SENT, FLOW_STATE_NEW, "syn_sent");
    assert_true(f->flags & FLOW_F_TCP_SESSION);
    assert_int_equal(x->ctr[STAT_TCP_SYN], 1);
    assert_int_equal(x->ctr[STAT_TCP_SESSIONS], 1);
    assert_int_equal(x->ctr[STAT_TCP_ACTIVE_SESSIONS], 1);
    assert_int_equal(x->ctr[STAT_FLOW_TCP], 1);

    assert_ptr_equal(handle(x, tcp(x, false, TCP_SYN | TCP_ACK, T0 + 1), FLOW_TOCLIENT), f);
    assert_tcp_state(f, FLOW_TCP_SYN_RECV, FLOW_STATE_NEW, "syn_recv");
    assert_int_equal(x->ctr[STAT_TCP_SYNACK], 1);

    handle(x, tcp(x, true, TCP_ACK, T0 + 2), FLOW_TOSERVER);
    assert_tcp_state(f, FLOW_TCP_ESTABLISHED, FLOW_STATE_ESTABLISHED, "established");
    assert_string_equal(flow_state_name(f->state), "established");

    handle(x, tcp(x, true, TCP_PSH | TCP_ACK, T0 + 3), FLOW_TOSERVER);
    handle(x, tcp(x, false, TCP_PSH | TCP_ACK, T0 + 4), FLOW_TOCLIENT);
    assert_tcp_state(f, FLOW_TCP_ESTABLISHED, FLOW_STATE_ESTABLISHED, "established");

    handle(x, tcp(x, true, TCP_FIN | TCP_ACK, T0 + 5), FLOW_TOSERVER);
    assert_tcp_state(f, FLOW_TCP_FIN_WAIT1, FLOW_STATE_ESTABLISHED, "fin_wait1");
    handle(x, tcp(x, false, TCP_ACK, T0 + 6), FLOW_TOCLIENT);
    assert_tcp_state(f, FLOW_TCP_FIN_WAIT2, FLOW_STATE_ESTABLISHED, "fin_wait2");
    handle(x, tcp(x, false, TCP_FIN | TCP_ACK, T0 + 7), FLOW_TOCLIENT);
    assert_tcp_state(f, FLOW_TCP_TIME_WAIT, FLOW_STATE_CLOSED, "time_wait");
    assert_string_equal(flow_state_name(f->state), "closed");
    handle(x, tcp(x, true, TCP_ACK, T0 + 8), FLOW_TOSERVER);
    assert_tcp_state(f, FLOW_TCP_TIME_WAIT, FLOW_STATE_CLOSED, "time_wait");

    assert_int_equal(f->tcp_flags[0], TCP_SYN | TCP_ACK | TCP_PSH | TCP_FIN);
    assert_int_equal(f->tcp_flags[1], TCP_SYN | TCP_ACK | TCP_PSH | TCP_FIN);
    assert_int_equal(f->pkts[0], 5);
    assert_int_equal(f->pkts[1], 4);
    assert_int_equal(f->tclass, FLOW_PCLASS_TCP * FLOW_STATE_COUNT + FLOW_STATE_CLOSED);
    assert_int_equal(x->ctr[STAT_FLOW_TOTAL], 1);
}

static void
test_tcp_server_closes(void **state)
{
    struct ffx *x = *state;
    struct flow *f = handshake(x);

    handle(x, tcp(x, false, TCP_FIN | TCP_ACK, T0 + 10), FLOW_TOCLIENT);
    assert_tcp_state(f, FLOW_TCP_CLOSE_WAIT, FLOW_STATE_ESTABLISHED, "close_wait");
    /* a second FIN from the same side changes nothing */
    handle(x, tcp(x, false, TCP_FIN | TCP_ACK, T0 + 11), FLOW_TOCLIENT);
    assert_tcp_state(f, FLOW_TCP_CLOSE_WAIT, FLOW_STATE_ESTABLISHED, "close_wait");
    handle(x, tcp(x, true, TCP_FIN | TCP_ACK, T0 + 12), FLOW_TOSERVER);
    assert_tcp_state(f, FLOW_TCP_LAST_ACK, FLOW_STATE_CLOSED, "last_ack");
    /* the ACK of the first closer ends it */
    handle(x, tcp(x, false, TCP_ACK, T0 + 13), FLOW_TOCLIENT);
    assert_tcp_state(f, FLOW_TCP_CLOSED, FLOW_STATE_CLOSED, "closed");
}

static void
test_tcp_simultaneous_close(void **state)
{
    struct ffx *x = *state;
    struct flow *f = handshake(x);

    handle(x, tcp(x, true, TCP_FIN | TCP_ACK, T0 + 10), FLOW_TOSERVER);
    assert_tcp_state(f, FLOW_TCP_FIN_WAIT1, FLOW_STATE_ESTABLISHED, "fin_wait1");
    handle(x, tcp(x, false, TCP_FIN | TCP_ACK, T0 + 11), FLOW_TOCLIENT);
    assert_tcp_state(f, FLOW_TCP_CLOSING, FLOW_STATE_ESTABLISHED, "closing");
    handle(x, tcp(x, true, TCP_ACK, T0 + 12), FLOW_TOSERVER);
    assert_tcp_state(f, FLOW_TCP_TIME_WAIT, FLOW_STATE_CLOSED, "time_wait");
}

static void
test_tcp_rst(void **state)
{
    struct ffx *x = *state;
    struct flow *f = handshake(x);

    handle(x, tcp(x, false, TCP_RST | TCP_ACK, T0 + 10), FLOW_TOCLIENT);
    assert_tcp_state(f, FLOW_TCP_CLOSED, FLOW_STATE_CLOSED, "closed");
    assert_int_equal(x->ctr[STAT_TCP_RST], 1);
    assert_true(f->tcp_flags[1] & TCP_RST);
    /* the session is still counted active until the flow ends */
    assert_int_equal(x->ctr[STAT_TCP_ACTIVE_SESSIONS], 1);
}

static void
test_tcp_rst_first_no_session(void **state)
{
    struct ffx *x = *state;
    struct flow *f = handle(x, tcp(x, true, TCP_RST, T0), FLOW_TOSERVER);

    assert_tcp_state(f, FLOW_TCP_NONE, FLOW_STATE_NEW, "none");
    assert_false(f->flags & FLOW_F_TCP_SESSION);
    assert_int_equal(f->tcp_flags[0], 0); /* no session: no flags, as Suricata */
    assert_int_equal(x->ctr[STAT_TCP_RST], 1);
    assert_int_equal(x->ctr[STAT_TCP_SESSIONS], 0);
}

static void
test_tcp_synack_first_flips(void **state)
{
    struct ffx *x = *state;
    /* the server's SYN+ACK is the first packet seen */
    struct flow *f = handle(x, tcp(x, false, TCP_SYN | TCP_ACK, T0), FLOW_TOCLIENT);

    /* the key names the client as source anyway */
    assert_memory_equal(f->key.src, cli_addr, 4);
    assert_memory_equal(f->key.dst, srv_addr, 4);
    assert_int_equal(f->key.sp, CLI_PORT);
    assert_int_equal(f->key.dp, SRV_PORT);
    assert_int_equal(f->pkts[0], 0);
    assert_int_equal(f->pkts[1], 1);
    assert_tcp_state(f, FLOW_TCP_SYN_RECV, FLOW_STATE_NEW, "syn_recv");
    assert_int_equal(f->tcp_flags[1], TCP_SYN | TCP_ACK);
    handle(x, tcp(x, true, TCP_ACK, T0 + 1), FLOW_TOSERVER);
    assert_tcp_state(f, FLOW_TCP_ESTABLISHED, FLOW_STATE_ESTABLISHED, "established");
    assert_int_equal(x->ctr[STAT_TCP_SESSIONS], 1);
}

static void
test_tcp_midstream(void **state)
{
    struct ffx *x = *state;
    struct pkt *p;
    struct flow *f;

    /* without stream.midstream an ACK-only start carries no session */
    f = handle(x, tcp(x, true, TCP_ACK | TCP_PSH, T0), FLOW_TOSERVER);
    assert_tcp_state(f, FLOW_TCP_NONE, FLOW_STATE_NEW, "none");
    handle(x, tcp(x, false, TCP_ACK, T0 + 1), FLOW_TOCLIENT);
    /* TCP flows only get established through the session */
    assert_int_equal(f->state, FLOW_STATE_NEW);
    assert_int_equal(f->tcp_flags[0], 0);
    assert_int_equal(x->ctr[STAT_TCP_MIDSTREAM_PICKUPS], 0);

    /* with it, the same start is picked up as established */
    x->cfg.midstream = true;
    ffx_table_up(x);
    f = handle(x, tcp(x, true, TCP_ACK | TCP_PSH, T0), FLOW_TOSERVER);
    assert_tcp_state(f, FLOW_TCP_ESTABLISHED, FLOW_STATE_ESTABLISHED, "established");
    assert_true(f->flags & FLOW_F_TCP_SESSION);
    assert_int_equal(f->tcp_flags[0], TCP_ACK | TCP_PSH);
    assert_int_equal(x->ctr[STAT_TCP_MIDSTREAM_PICKUPS], 1);
    assert_int_equal(x->ctr[STAT_TCP_SESSIONS], 1);
    /* ... but never from a RST */
    p = pkt4(x, 6, cli_addr, 5555, srv_addr, 80, T0);
    p->tcp_flags = TCP_RST;
    f = handle(x, p, FLOW_TOSERVER);
    assert_tcp_state(f, FLOW_TCP_NONE, FLOW_STATE_NEW, "none");
    assert_int_equal(x->ctr[STAT_TCP_MIDSTREAM_PICKUPS], 1);
}

/* stream.async-oneside: a handshake seen from one side only still starts the session. */
static void
test_tcp_async_oneside(void **state)
{
    struct ffx *x = *state;
    struct flow *f;

    /* without it, SYN then the client's ACK stays syn_sent */
    f = handle(x, tcp(x, true, TCP_SYN, T0), FLOW_TOSERVER);
    handle(x, tcp(x, true, TCP_ACK | TCP_PSH, T0 + 1), FLOW_TOSERVER);
    assert_tcp_state(f, FLOW_TCP_SYN_SENT, FLOW_STATE_NEW, "syn_sent");

    x->cfg.async_oneside = true;
    ffx_table_up(x);
    /* client side only: SYN, ACK */
    f = handle(x, tcp(x, true, TCP_SYN, T0), FLOW_TOSERVER);
    handle(x, tcp(x, true, TCP_ACK | TCP_PSH, T0 + 1), FLOW_TOSERVER);
    assert_tcp_state(f, FLOW_TCP_ESTABLISHED, FLOW_STATE_ESTABLISHED, "established");
    handle(x, tcp(x, true, TCP_FIN | TCP_ACK, T0 + 2), FLOW_TOSERVER);
    assert_tcp_state(f, FLOW_TCP_FIN_WAIT1, FLOW_STATE_ESTABLISHED, "fin_wait1");

    /* server side only: SYN+ACK, ACK */
    ffx_table_up(x);
    f = handle(x, tcp(x, false, TCP_SYN | TCP_ACK, T0), FLOW_TOCLIENT);
    assert_tcp_state(f, FLOW_TCP_SYN_RECV, FLOW_STATE_NEW, "syn_recv");
    handle(x, tcp(x, false, TCP_ACK, T0 + 1), FLOW_TOCLIENT);
    assert_tcp_state(f, FLOW_TCP_ESTABLISHED, FLOW_STATE_ESTABLISHED, "established");
}

static void
test_tcp_reuse(void **state)
{
    struct ffx *x = *state;
    struct flow *f = handshake(x), *g;

    handle(x, tcp(x, true, TCP_FIN | TCP_ACK, T0 + 10), FLOW_TOSERVER);
    handle(x, tcp(x, false, TCP_FIN | TCP_ACK, T0 + 11), FLOW_TOCLIENT);
    handle(x, tcp(x, true, TCP_ACK, T0 + 12), FLOW_TOSERVER);
    assert_int_equal(f->tcp_state, FLOW_TCP_TIME_WAIT);
    assert_int_equal(x->n_ended, 0);

    /* a new SYN on the same tuple: the old flow ends, a new one starts */
    g = handle(x, tcp(x, true, TCP_SYN, T0 + 5 * SEC), FLOW_TOSERVER);
    assert_int_equal(x->n_ended, 1);
    assert_int_equal(x->ended[0].f.end_reason, FLOW_END_TCP_REUSE);
    assert_string_equal(flow_end_reason_name(x->ended[0].f.end_reason), "tcp_reuse");
    assert_int_equal(x->ended[0].f.state, FLOW_STATE_CLOSED);
    assert_int_equal(x->ended[0].f.pkts[0], 4);
    assert_int_equal(x->ended[0].now_us, T0 + 5 * SEC);
    assert_int_equal(g->start_us, T0 + 5 * SEC);
    assert_int_equal(g->pkts[0], 1);
    assert_int_equal(g->pkts[1], 0);
    assert_tcp_state(g, FLOW_TCP_SYN_SENT, FLOW_STATE_NEW, "syn_sent");
    assert_int_equal(x->ctr[STAT_FLOW_TOTAL], 2);
    assert_int_equal(x->ctr[STAT_FLOW_END_STATE_CLOSED], 1);
    assert_int_equal(x->ctr[STAT_TCP_SESSIONS], 2);
    assert_int_equal(x->ctr[STAT_TCP_ACTIVE_SESSIONS], 1);
    assert_int_equal(x->ctr[STAT_FLOW_ACTIVE], 1);

    /* a retransmitted SYN of a live handshake is not reuse */
    assert_ptr_equal(handle(x, tcp(x, true, TCP_SYN, T0 + 6 * SEC), FLOW_TOSERVER), g);
    assert_int_equal(x->n_ended, 1);
    /* a session closed by RST is reusable too */
    handle(x, tcp(x, false, TCP_RST, T0 + 7 * SEC), FLOW_TOCLIENT);
    assert_int_equal(g->tcp_state, FLOW_TCP_CLOSED);
    handle(x, tcp(x, true, TCP_SYN, T0 + 8 * SEC), FLOW_TOSERVER);
    assert_int_equal(x->n_ended, 2);
    assert_int_equal(x->ended[1].f.end_reason, FLOW_END_TCP_REUSE);
}

/*
 * SYNs with new ISNs before the SYN/ACK: each becomes the expected one;
 * past stream.max-syn-queued of them each is a 3whs_syn_flood event. A
 * retransmission (the same ISN) is neither.
 */
static void
test_tcp_syn_new_isn(void **state)
{
    struct ffx *x = *state;
    struct pkt *p;
    struct flow *f;
    uint32_t seq[] = {1000, 1000, 2000, 3000, 4000, 5000};
    unsigned i;

    x->cfg.max_syn_queued = 2;
    ffx_table_up(x);
    for (i = 0; i < 6; i++) {
        p = tcp(x, true, TCP_SYN, T0 + i);
        p->tcp_seq = seq[i];
        f = handle(x, p, FLOW_TOSERVER);
        if (i == 0) {
            /* what the reassembler records for the first SYN */
            f->rs_flags[FLOW_TOSERVER] |= TCP_RS_SEQ_KNOWN;
            f->rs_next_seq[FLOW_TOSERVER] = seq[0] + 1;
        }
        assert_int_equal(f->rs_next_seq[FLOW_TOSERVER], seq[i] + 1);
        assert_int_equal(p->n_events, i >= 4 ? 1 : 0);
        if (i >= 4)
            assert_int_equal(p->events[0], DEC_EV_STREAM_3WHS_SYN_FLOOD);
    }
    assert_int_equal(f->tcp_syns, 2);
    assert_int_equal(x->ctr[STAT_EVENT_BASE + DEC_EV_STREAM_3WHS_SYN_FLOOD], 2);
    assert_int_equal(f->tcp_state, FLOW_TCP_SYN_SENT);
    p = tcp(x, false, TCP_SYN | TCP_ACK, T0 + 10);
    p->tcp_ack = seq[5] + 1;
    handle(x, p, FLOW_TOCLIENT);
    assert_int_equal(f->tcp_state, FLOW_TCP_SYN_RECV);
}

static void
test_tcp_paws(void **state)
{
    struct ffx *x = *state;
    struct pkt *p;
    struct flow *f;

    /* SYN TSval 100, SYN+ACK TSval 5000: timestamps in use */
    p = tcp(x, true, TCP_SYN, T0);
    p->tcp_has_ts = true, p->tcp_tsval = 100;
    f = handle(x, p, FLOW_TOSERVER);
    p = tcp(x, false, TCP_SYN | TCP_ACK, T0 + 1);
    p->tcp_has_ts = true, p->tcp_tsval = 5000, p->tcp_tsecr = 100;
    handle(x, p, FLOW_TOCLIENT);
    assert_true(f->tcp_ts);
    p = tcp(x, true, TCP_ACK, T0 + 2);
    p->tcp_has_ts = true, p->tcp_tsval = 101;
    handle(x, p, FLOW_TOSERVER);
    assert_int_equal(f->tcp_state, FLOW_TCP_ESTABLISHED);
    assert_int_equal(x->p.n_events, 0);

    /* a FIN with TSval 99 < 101 is refused: event, no state change */
    p = tcp(x, true, TCP_FIN | TCP_ACK, T0 + 3);
    p->tcp_has_ts = true, p->tcp_tsval = 99;
    handle(x, p, FLOW_TOSERVER);
    assert_int_equal(p->n_events, 1);
    assert_int_equal(p->events[0], DEC_EV_STREAM_PKT_INVALID_TIMESTAMP);
    assert_int_equal(x->ctr[STAT_EVENT_BASE + DEC_EV_STREAM_PKT_INVALID_TIMESTAMP], 1);
    assert_int_equal(f->tcp_state, FLOW_TCP_ESTABLISHED);
    assert_true(p->flags & PKT_STREAM_SKIP); /* its bytes are not the stream's */
    /* equal TSval is fine, and the other direction has its own clock */
    p = tcp(x, false, TCP_ACK, T0 + 4);
    p->tcp_has_ts = true, p->tcp_tsval = 5000;
    handle(x, p, FLOW_TOCLIENT);
    assert_int_equal(p->n_events, 0);
    /* a segment without the option is not checked */
    p = tcp(x, true, TCP_ACK, T0 + 5);
    handle(x, p, FLOW_TOSERVER);
    assert_int_equal(p->n_events, 0);
    /* forward in steps below 2^31 up to 0xfffffff0, then across the wrap */
    static const uint32_t steps[] = {0x70000000u, 0xe0000000u, 0xfffffff0u};
    for (unsigned i = 0; i < 3; i++) {
        p = tcp(x, true, TCP_ACK, T0 + 6);
        p->tcp_has_ts = true, p->tcp_tsval = steps[i];
        handle(x, p, FLOW_TOSERVER);
        assert_int_equal(p->n_events, 0);
    }
    p = tcp(x, true, TCP_FIN | TCP_ACK, T0 + 7);
    p->tcp_has_ts = true, p->tcp_tsval = 0x10;
    handle(x, p, FLOW_TOSERVER);
    assert_int_equal(p->n_events, 0);
    assert_int_equal(f->tcp_state, FLOW_TCP_FIN_WAIT1);
}

/* The client's SYN as tcp_reasm records it (the tests run no reassembler). */
static struct flow *
syn_at(struct ffx *x, uint32_t isn, bool ts, uint32_t tsval)
{
    struct pkt *p = tcp(x, true, TCP_SYN, T0);
    struct flow *f;

    p->tcp_seq = isn;
    p->tcp_has_ts = ts, p->tcp_tsval = tsval;
    f = handle(x, p, FLOW_TOSERVER);
    f->rs_flags[FLOW_TOSERVER] |= TCP_RS_SEQ_KNOWN;
    f->rs_next_seq[FLOW_TOSERVER] = isn + 1u;
    return f;
}

/*
 * Before the SYN/ACK, a server packet must echo the SYN's TSval (bug
 * 3286: a forged RST and FIN with TSecr 100 come first). Refused packets
 * are pkt_invalid_timestamp, change nothing and are not reassembled; so
 * is a client RST that is not the one its stack sends for the SYN.
 */
static void
test_tcp_syn_sent_forged_ts(void **state)
{
    struct ffx *x = *state;
    struct pkt *p;
    struct flow *f = syn_at(x, 5000, true, 1000);
    static const uint8_t forged[] = {TCP_RST | TCP_ACK, TCP_FIN | TCP_ACK, TCP_ACK};
    unsigned i;

    for (i = 0; i < 3; i++) {
        p = tcp(x, false, forged[i], T0 + 1 + i);
        p->tcp_ack = 5001;
        p->tcp_has_ts = true, p->tcp_tsval = 100, p->tcp_tsecr = 100;
        handle(x, p, FLOW_TOCLIENT);
        assert_int_equal(p->n_events, 1);
        assert_int_equal(p->events[0], DEC_EV_STREAM_PKT_INVALID_TIMESTAMP);
        assert_true(p->flags & PKT_STREAM_SKIP);
        assert_tcp_state(f, FLOW_TCP_SYN_SENT, FLOW_STATE_NEW, "syn_sent");
    }
    assert_int_equal(x->ctr[STAT_EVENT_BASE + DEC_EV_STREAM_PKT_INVALID_TIMESTAMP], 3);
    /* the client's RST at ISN + 1 without ACK: ignored, no event */
    p = tcp(x, true, TCP_RST, T0 + 5);
    p->tcp_seq = 5001;
    handle(x, p, FLOW_TOSERVER);
    assert_int_equal(p->n_events, 0);
    assert_true(p->flags & PKT_STREAM_SKIP);
    assert_tcp_state(f, FLOW_TCP_SYN_SENT, FLOW_STATE_NEW, "syn_sent");
    /* the client's ACK (no async-oneside) is no reason to refuse anything */
    p = tcp(x, true, TCP_ACK, T0 + 6);
    handle(x, p, FLOW_TOSERVER);
    assert_false(p->flags & PKT_STREAM_SKIP);
    /* the real SYN/ACK echoes 1000 (or nothing): accepted */
    p = tcp(x, false, TCP_SYN | TCP_ACK, T0 + 7);
    p->tcp_ack = 5001;
    p->tcp_has_ts = true, p->tcp_tsval = 77, p->tcp_tsecr = 1000;
    handle(x, p, FLOW_TOCLIENT);
    assert_int_equal(p->n_events, 0);
    assert_false(p->flags & PKT_STREAM_SKIP);
    assert_tcp_state(f, FLOW_TCP_SYN_RECV, FLOW_STATE_NEW, "syn_recv");

    /* a SYN without timestamps: a SYN/ACK echoing one anyway is accepted
     * (Suricata 8, bug 4702) */
    ffx_table_up(x);
    f = syn_at(x, 5000, false, 0);
    p = tcp(x, false, TCP_SYN | TCP_ACK, T0 + 1);
    p->tcp_ack = 5001;
    p->tcp_has_ts = true, p->tcp_tsval = 1000, p->tcp_tsecr = 9000;
    handle(x, p, FLOW_TOCLIENT);
    assert_int_equal(p->n_events, 0);
    assert_tcp_state(f, FLOW_TCP_SYN_RECV, FLOW_STATE_NEW, "syn_recv");
    /* the client's own RST for the SYN (ISN, window 0, ACK ISN + 1) closes */
    ffx_table_up(x);
    f = syn_at(x, 5000, false, 0);
    p = tcp(x, true, TCP_RST, T0 + 2);
    p->tcp_seq = 5000, p->tcp_ack = 5001, p->tcp_win = 0;
    handle(x, p, FLOW_TOSERVER);
    assert_false(p->flags & PKT_STREAM_SKIP);
    assert_tcp_state(f, FLOW_TCP_CLOSED, FLOW_STATE_CLOSED, "closed");
}

/* SYNs with different TSvals: the SYN/ACK may echo any, so none is refused. */
static void
test_tcp_syn_sent_ts_retransmit(void **state)
{
    struct ffx *x = *state;
    struct pkt *p;
    struct flow *f = syn_at(x, 5000, true, 1000);

    assert_false(f->tcp_syn_ts_multi);
    p = tcp(x, true, TCP_SYN, T0 + 1);
    p->tcp_seq = 5000;
    p->tcp_has_ts = true, p->tcp_tsval = 1000;
    handle(x, p, FLOW_TOSERVER);
    assert_false(f->tcp_syn_ts_multi); /* same TSval */
    p = tcp(x, true, TCP_SYN, T0 + 2);
    p->tcp_seq = 5000;
    p->tcp_has_ts = true, p->tcp_tsval = 2000;
    handle(x, p, FLOW_TOSERVER);
    assert_true(f->tcp_syn_ts_multi);
    p = tcp(x, false, TCP_SYN | TCP_ACK, T0 + 3);
    p->tcp_ack = 5001;
    p->tcp_has_ts = true, p->tcp_tsval = 77, p->tcp_tsecr = 1000;
    handle(x, p, FLOW_TOCLIENT);
    assert_int_equal(p->n_events, 0);
    assert_tcp_state(f, FLOW_TCP_SYN_RECV, FLOW_STATE_NEW, "syn_recv");
}

/*
 * An RST with a TCP-AO (or MD5) signature closes the session, but when its
 * sender goes on sending it looks injected (security 4710):
 * suspected_rst_inject once, and the session is back where it was while
 * the flow state stays closed, as Suricata's. A plain RST is final.
 */
static void
test_tcp_rst_inject(void **state)
{
    struct ffx *x = *state;
    struct pkt *p;
    struct flow *f = handshake(x);

    p = tcp(x, true, TCP_RST | TCP_ACK, T0 + 10);
    p->tcp_has_auth = true;
    handle(x, p, FLOW_TOSERVER);
    assert_int_equal(p->n_events, 0);
    assert_tcp_state(f, FLOW_TCP_CLOSED, FLOW_STATE_CLOSED, "closed");
    assert_true(f->tcp_rst_recv[FLOW_TOSERVER]);
    /* the server talking is no sign: only the RST's sender counts */
    p = tcp(x, false, TCP_ACK, T0 + 11);
    handle(x, p, FLOW_TOCLIENT);
    assert_int_equal(p->n_events, 0);
    assert_int_equal(f->tcp_state, FLOW_TCP_CLOSED);
    /* the client sends data after its own RST */
    p = tcp(x, true, TCP_ACK | TCP_PSH, T0 + 12);
    handle(x, p, FLOW_TOSERVER);
    assert_int_equal(p->n_events, 1);
    assert_int_equal(p->events[0], DEC_EV_STREAM_SUSPECTED_RST_INJECT);
    assert_false(p->flags & PKT_STREAM_SKIP);
    assert_tcp_state(f, FLOW_TCP_ESTABLISHED, FLOW_STATE_CLOSED, "established");
    assert_false(f->tcp_rst_recv[FLOW_TOSERVER]);
    p = tcp(x, true, TCP_ACK, T0 + 13);
    handle(x, p, FLOW_TOSERVER);
    assert_int_equal(p->n_events, 0);
    assert_int_equal(x->ctr[STAT_EVENT_BASE + DEC_EV_STREAM_SUSPECTED_RST_INJECT], 1);
    /* the session still closes normally */
    handle(x, tcp(x, true, TCP_FIN | TCP_ACK, T0 + 14), FLOW_TOSERVER);
    assert_int_equal(f->tcp_state, FLOW_TCP_FIN_WAIT1);

    /* both sides sent a signed RST: the session stays closed */
    ffx_table_up(x);
    f = handshake(x);
    p = tcp(x, true, TCP_RST | TCP_ACK, T0 + 10);
    p->tcp_has_auth = true;
    handle(x, p, FLOW_TOSERVER);
    p = tcp(x, false, TCP_RST | TCP_ACK, T0 + 11);
    p->tcp_has_auth = true;
    handle(x, p, FLOW_TOCLIENT);
    p = tcp(x, true, TCP_ACK | TCP_PSH, T0 + 12);
    handle(x, p, FLOW_TOSERVER);
    assert_int_equal(p->n_events, 1);
    assert_int_equal(f->tcp_state, FLOW_TCP_CLOSED);

    /* a plain RST: data after it is no event and changes nothing */
    ffx_table_up(x);
    f = handshake(x);
    handle(x, tcp(x, true, TCP_RST | TCP_ACK, T0 + 10), FLOW_TOSERVER);
    p = tcp(x, true, TCP_ACK | TCP_PSH, T0 + 11);
    handle(x, p, FLOW_TOSERVER);
    assert_int_equal(p->n_events, 0);
    assert_tcp_state(f, FLOW_TCP_CLOSED, FLOW_STATE_CLOSED, "closed");
}

static void
test_tcp_no_paws_without_negotiation(void **state)
{
    struct ffx *x = *state;
    struct pkt *p;
    struct flow *f;

    /* SYN with timestamps, SYN+ACK without: not in use */
    p = tcp(x, true, TCP_SYN, T0);
    p->tcp_has_ts = true, p->tcp_tsval = 1000;
    f = handle(x, p, FLOW_TOSERVER);
    handle(x, tcp(x, false, TCP_SYN | TCP_ACK, T0 + 1), FLOW_TOCLIENT);
    assert_false(f->tcp_ts);
    p = tcp(x, true, TCP_ACK, T0 + 2);
    p->tcp_has_ts = true, p->tcp_tsval = 1;
    handle(x, p, FLOW_TOSERVER);
    assert_int_equal(p->n_events, 0);
    assert_int_equal(f->tcp_state, FLOW_TCP_ESTABLISHED);
}

static void
test_tcp_decoded_syn(void **state)
{
    struct ffx *x = *state;
    /*
     * Ethernet, IPv4 192.0.2.1 -> 198.51.100.2 TTL 64, TCP 40000 -> 80 SYN
     * seq 0x01020304, data offset 5, no payload (checksums not checked)
     */
    static const uint8_t syn[] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa,
                                  0xbb, 0x08, 0x00, 0x45, 0x00, 0x00, 0x28, 0x12, 0x34, 0x40, 0x00,
                                  0x40, 0x06, 0x00, 0x00, 0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33, 0x64,
                                  0x02, 0x9c, 0x40, 0x00, 0x50, 0x01, 0x02, 0x03, 0x04, 0x00, 0x00,
                                  0x00, 0x00, 0x50, 0x02, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00};
    static const uint8_t src[16] = {192, 0, 2, 1};
    struct pkt p;
    struct flow *f;
    int dir = -1;

    dec_pkt_init(&p, syn, sizeof(syn), sizeof(syn), T0, DEC_DLT_EN10MB, x->ctr);
    assert_int_equal(dec_packet(&p), DEC_OK);
    f = flow_table_handle(&x->ft, &p, &dir);
    assert_non_null(f);
    assert_int_equal(dir, FLOW_TOSERVER);
    assert_memory_equal(f->key.src, src, 16);
    assert_int_equal(f->key.sp, 40000);
    assert_int_equal(f->key.dp, 80);
    assert_int_equal(f->bytes[0], sizeof(syn));
    assert_tcp_state(f, FLOW_TCP_SYN_SENT, FLOW_STATE_NEW, "syn_sent");
}

/* ---- timeouts ------------------------------------------------------------ */

/* The ended record for a flow whose client port is sp, or NULL. */
static const struct ended *
ended_sp(const struct ffx *x, uint16_t sp)
{
    unsigned i;

    for (i = 0; i < x->n_ended; i++)
        if (x->ended[i].f.key.sp == sp)
            return &x->ended[i];
    return NULL;
}

static void
test_timeouts_per_class(void **state)
{
    struct ffx *x = *state;
    struct pkt *p;
    const struct ended *e;

    /* TCP new (SYN only), client port 1: 60 s */
    p = pkt4(x, 6, cli_addr, 1, srv_addr, 80, T0);
    p->tcp_flags = TCP_SYN;
    handle(x, p, FLOW_TOSERVER);
    /* TCP established, port 2: 600 s */
    p = pkt4(x, 6, cli_addr, 2, srv_addr, 80, T0);
    p->tcp_flags = TCP_SYN;
    handle(x, p, FLOW_TOSERVER);
    p = pkt4(x, 6, srv_addr, 80, cli_addr, 2, T0);
    p->tcp_flags = TCP_SYN | TCP_ACK;
    handle(x, p, FLOW_TOCLIENT);
    p = pkt4(x, 6, cli_addr, 2, srv_addr, 80, T0);
    p->tcp_flags = TCP_ACK;
    handle(x, p, FLOW_TOSERVER);
    /* TCP closed by RST, port 3: 60 s */
    p = pkt4(x, 6, cli_addr, 3, srv_addr, 80, T0);
    p->tcp_flags = TCP_SYN;
    handle(x, p, FLOW_TOSERVER);
    p = pkt4(x, 6, srv_addr, 80, cli_addr, 3, T0);
    p->tcp_flags = TCP_RST | TCP_ACK;
    handle(x, p, FLOW_TOCLIENT);
    /* UDP new, port 4: 30 s */
    handle(x, pkt4(x, 17, cli_addr, 4, srv_addr, 53, T0), FLOW_TOSERVER);
    /* UDP established, port 5: 300 s */
    handle(x, pkt4(x, 17, cli_addr, 5, srv_addr, 53, T0), FLOW_TOSERVER);
    handle(x, pkt4(x, 17, srv_addr, 53, cli_addr, 5, T0), FLOW_TOCLIENT);
    /* ICMP echo request, id 6: 30 s */
    p = pkt4(x, 1, cli_addr, 6, srv_addr, 6, T0);
    p->icmp_type = 8;
    handle(x, p, FLOW_TOSERVER);
    /* GRE (default class), "port" 7: 30 s */
    handle(x, pkt4(x, 47, cli_addr, 7, srv_addr, 0, T0), FLOW_TOSERVER);
    assert_int_equal(x->ctr[STAT_FLOW_ACTIVE], 7);
    assert_int_equal(x->ctr[STAT_TCP_ACTIVE_SESSIONS], 3);

    flow_table_timeout(&x->ft, T0 + 30 * SEC - 1);
    assert_int_equal(x->n_ended, 0);
    flow_table_timeout(&x->ft, T0 + 30 * SEC);
    assert_int_equal(x->n_ended, 3);
    assert_non_null(ended_sp(x, 4));
    assert_non_null(ended_sp(x, 6));
    assert_non_null(ended_sp(x, 7));
    for (e = x->ended; e < x->ended + 3; e++) {
        assert_int_equal(e->f.end_reason, FLOW_END_TIMEOUT);
        assert_string_equal(flow_end_reason_name(e->f.end_reason), "timeout");
        assert_int_equal(e->now_us, T0 + 30 * SEC);
        assert_false(e->f.flags & FLOW_F_EMERGENCY);
    }
    flow_table_timeout(&x->ft, T0 + 60 * SEC - 1);
    assert_int_equal(x->n_ended, 3);
    flow_table_timeout(&x->ft, T0 + 60 * SEC);
    assert_int_equal(x->n_ended, 5);
    assert_non_null(ended_sp(x, 1));
    e = ended_sp(x, 3);
    assert_non_null(e);
    assert_int_equal(e->f.state, FLOW_STATE_CLOSED);
    flow_table_timeout(&x->ft, T0 + 300 * SEC - 1);
    assert_int_equal(x->n_ended, 5);
    flow_table_timeout(&x->ft, T0 + 300 * SEC);
    assert_int_equal(x->n_ended, 6);
    assert_int_equal(ended_sp(x, 5)->f.state, FLOW_STATE_ESTABLISHED);
    flow_table_timeout(&x->ft, T0 + 600 * SEC - 1);
    assert_int_equal(x->n_ended, 6);
    flow_table_timeout(&x->ft, T0 + 600 * SEC);
    assert_int_equal(x->n_ended, 7);
    assert_int_equal(ended_sp(x, 2)->f.tcp_state, FLOW_TCP_ESTABLISHED);

    assert_int_equal(x->ctr[STAT_FLOW_MGR_FLOWS_TIMEOUT], 7);
    assert_int_equal(x->ctr[STAT_FLOW_END_STATE_NEW], 4);
    assert_int_equal(x->ctr[STAT_FLOW_END_STATE_ESTABLISHED], 2);
    assert_int_equal(x->ctr[STAT_FLOW_END_STATE_CLOSED], 1);
    assert_int_equal(x->ctr[STAT_FLOW_ACTIVE], 0);
    assert_int_equal(x->ctr[STAT_FLOW_SPARE], x->ft.capacity);
    assert_int_equal(x->ctr[STAT_FLOW_MEMUSE], 0);
    assert_int_equal(x->ctr[STAT_TCP_ACTIVE_SESSIONS], 0);
    assert_int_equal(x->ft.in_use, 0);
}

static void
test_timeout_refreshed_by_traffic(void **state)
{
    struct ffx *x = *state;
    struct flow *a;

    a = handle(x, pkt4(x, 17, cli_addr, 1, srv_addr, 53, T0), FLOW_TOSERVER);
    handle(x, pkt4(x, 17, cli_addr, 2, srv_addr, 53, T0 + SEC), FLOW_TOSERVER);
    /* flow 1 seen again: it moves behind flow 2 in its timeout list */
    assert_ptr_equal(handle(x, pkt4(x, 17, cli_addr, 1, srv_addr, 53, T0 + 2 * SEC), FLOW_TOSERVER),
                     a);
    flow_table_timeout(&x->ft, T0 + 31 * SEC);
    assert_int_equal(x->n_ended, 1);
    assert_int_equal(x->ended[0].f.key.sp, 2);
    flow_table_timeout(&x->ft, T0 + 32 * SEC);
    assert_int_equal(x->n_ended, 2);
    assert_int_equal(x->ended[1].f.key.sp, 1);
    assert_int_equal(x->ended[1].f.last_us, T0 + 2 * SEC);
}

/* ---- memcap, emergency, eviction ------------------------------------------ */

/* Re-creates the table with room for exactly n flows and one bucket. */
static void
tiny_table(struct ffx *x, uint32_t n)
{
    x->cfg.hash_size = 1;
    x->cfg.memcap = 4 + (uint64_t)n * sizeof(struct flow) + 1;
    x->cfg.emergency_recovery = 30;
    ffx_table_up(x);
    assert_int_equal(x->ft.capacity, n);
}

static void
test_memcap_forced_eviction(void **state)
{
    struct ffx *x = *state;
    struct flow *f;
    unsigned i;

    tiny_table(x, 4);
    for (i = 0; i < 4; i++)
        handle(x, pkt4(x, 17, cli_addr, (uint16_t)(100 + i), srv_addr, 53, T0 + i * SEC),
               FLOW_TOSERVER);
    assert_int_equal(x->ctr[STAT_FLOW_SPARE], 0);
    assert_false(x->ft.emergency);

    /* a fifth flow 4 s later: no free entry, nothing old enough even for
     * the emergency timeout (10 s), so the oldest flow is evicted */
    f = handle(x, pkt4(x, 17, cli_addr, 104, srv_addr, 53, T0 + 4 * SEC), FLOW_TOSERVER);
    assert_int_equal(f->key.sp, 104);
    assert_true(x->ft.emergency);
    assert_int_equal(x->ctr[STAT_FLOW_EMERG_MODE_ENTERED], 1);
    assert_int_equal(x->ctr[STAT_FLOW_MEMCAP], 1);
    assert_int_equal(x->ctr[STAT_FLOW_GET_USED], 1);
    assert_int_equal(x->ctr[STAT_FLOW_WRK_FLOWS_EVICTED], 1);
    assert_int_equal(x->n_ended, 1);
    assert_int_equal(x->ended[0].f.key.sp, 100);
    assert_int_equal(x->ended[0].f.end_reason, FLOW_END_FORCED);
    assert_string_equal(flow_end_reason_name(FLOW_END_FORCED), "forced");
    assert_true(x->ended[0].f.flags & FLOW_F_EMERGENCY);
    /* 1 of 4 free after the eviction is below the 30 % recovery mark */
    assert_int_equal(x->ctr[STAT_FLOW_EMERG_MODE_OVER], 0);
    assert_int_equal(x->ctr[STAT_FLOW_ACTIVE], 4);

    /* a sixth: still in emergency, one more eviction (bounded: one) */
    handle(x, pkt4(x, 17, cli_addr, 105, srv_addr, 53, T0 + 5 * SEC), FLOW_TOSERVER);
    assert_int_equal(x->ctr[STAT_FLOW_EMERG_MODE_ENTERED], 1);
    assert_int_equal(x->ctr[STAT_FLOW_MEMCAP], 2);
    assert_int_equal(x->n_ended, 2);
    assert_int_equal(x->ended[1].f.key.sp, 101);

    /* the evicted flow's tuple comes back as a new flow */
    handle(x, pkt4(x, 17, cli_addr, 100, srv_addr, 53, T0 + 6 * SEC), FLOW_TOSERVER);
    assert_int_equal(x->ended[2].f.key.sp, 102);
    assert_int_equal(x->ctr[STAT_FLOW_TOTAL], 7);

    /* emergency timeouts (10 s for new UDP) apply while in emergency */
    flow_table_timeout(&x->ft, T0 + 14 * SEC);
    /* flows seen at 3, 4 s end; 5 and 6 s do not */
    assert_int_equal(x->n_ended, 5);
    assert_int_equal(x->ended[3].f.key.sp, 103);
    assert_int_equal(x->ended[3].f.end_reason, FLOW_END_TIMEOUT);
    assert_true(x->ended[3].f.flags & FLOW_F_EMERGENCY);
    assert_int_equal(x->ended[4].f.key.sp, 104);
    /* 2 of 4 free: emergency is over */
    assert_false(x->ft.emergency);
    assert_int_equal(x->ctr[STAT_FLOW_EMERG_MODE_OVER], 1);
    flow_table_timeout(&x->ft, T0 + 20 * SEC);
    assert_int_equal(x->n_ended, 5); /* back to 30 s */
}

static void
test_memcap_emergency_timeout_frees(void **state)
{
    struct ffx *x = *state;

    tiny_table(x, 4);
    handle(x, pkt4(x, 17, cli_addr, 100, srv_addr, 53, T0), FLOW_TOSERVER);
    handle(x, pkt4(x, 17, cli_addr, 101, srv_addr, 53, T0 + 1 * SEC), FLOW_TOSERVER);
    handle(x, pkt4(x, 17, cli_addr, 102, srv_addr, 53, T0 + 2 * SEC), FLOW_TOSERVER);
    handle(x, pkt4(x, 17, cli_addr, 103, srv_addr, 53, T0 + 9 * SEC), FLOW_TOSERVER);
    /* at 12 s the table is full; emergency timeouts end the flows of 0, 1
     * and 2 s (10 s old or more) instead of evicting any */
    handle(x, pkt4(x, 17, cli_addr, 104, srv_addr, 53, T0 + 12 * SEC), FLOW_TOSERVER);
    assert_int_equal(x->ctr[STAT_FLOW_EMERG_MODE_ENTERED], 1);
    assert_int_equal(x->ctr[STAT_FLOW_MEMCAP], 1);
    assert_int_equal(x->ctr[STAT_FLOW_GET_USED], 0);
    assert_int_equal(x->n_ended, 3);
    assert_int_equal(x->ended[0].f.end_reason, FLOW_END_TIMEOUT);
    assert_int_equal(x->ended[2].f.key.sp, 102);
    assert_int_equal(x->ctr[STAT_FLOW_MGR_FLOWS_TIMEOUT], 3);
    assert_false(x->ft.emergency);
    assert_int_equal(x->ctr[STAT_FLOW_EMERG_MODE_OVER], 1);
    assert_int_equal(x->ctr[STAT_FLOW_ACTIVE], 2);
}

static void
test_memcap_single_flow(void **state)
{
    struct ffx *x = *state;
    struct flow *a, *b;

    /* one flow of room: each new tuple evicts the previous one */
    tiny_table(x, 1);
    a = handle(x, pkt4(x, 17, cli_addr, 1, srv_addr, 53, T0), FLOW_TOSERVER);
    b = handle(x, pkt4(x, 17, cli_addr, 2, srv_addr, 53, T0 + 1), FLOW_TOSERVER);
    assert_ptr_equal(a, b); /* the same entry, reused */
    assert_int_equal(b->key.sp, 2);
    assert_int_equal(x->n_ended, 1);
    assert_int_equal(x->ended[0].f.key.sp, 1);
    assert_int_equal(x->ctr[STAT_FLOW_ACTIVE], 1);
    /* the reply of the new flow finds it; the old tuple does not */
    assert_ptr_equal(handle(x, pkt4(x, 17, srv_addr, 53, cli_addr, 2, T0 + 2), FLOW_TOCLIENT), b);
}

/* ---- flush ---------------------------------------------------------------- */

static void
test_flush_at_shutdown(void **state)
{
    struct ffx *x = *state;
    struct pkt *p;
    unsigned i;

    handshake(x);
    handle(x, pkt4(x, 17, cli_addr, 9, srv_addr, 53, T0), FLOW_TOSERVER);
    p = pkt4(x, 58, cli_addr, 9, srv_addr, 9, T0);
    p->icmp_type = 128;
    handle(x, p, FLOW_TOSERVER);
    assert_int_equal(x->ctr[STAT_FLOW_ICMPV6], 1);
    assert_int_equal(x->ctr[STAT_FLOW_ACTIVE], 3);

    flow_table_flush(&x->ft, T0 + SEC);
    assert_int_equal(x->n_ended, 3);
    for (i = 0; i < 3; i++) {
        assert_int_equal(x->ended[i].f.end_reason, FLOW_END_SHUTDOWN);
        assert_string_equal(flow_end_reason_name(x->ended[i].f.end_reason), "shutdown");
        assert_int_equal(x->ended[i].now_us, T0 + SEC);
    }
    assert_int_equal(x->ctr[STAT_FLOW_ACTIVE], 0);
    assert_int_equal(x->ctr[STAT_FLOW_SPARE], x->ft.capacity);
    assert_int_equal(x->ctr[STAT_FLOW_MEMUSE], 0);
    assert_int_equal(x->ctr[STAT_TCP_ACTIVE_SESSIONS], 0);
    assert_int_equal(x->ctr[STAT_FLOW_END_STATE_ESTABLISHED], 1);
    assert_int_equal(x->ctr[STAT_FLOW_END_STATE_NEW], 2);
    assert_int_equal(x->ctr[STAT_FLOW_MGR_FLOWS_TIMEOUT], 0);

    /* nothing left: a second flush ends nothing, the table is reusable */
    flow_table_flush(&x->ft, T0 + 2 * SEC);
    assert_int_equal(x->n_ended, 3);
    handle(x, pkt4(x, 17, cli_addr, 9, srv_addr, 53, T0 + 3 * SEC), FLOW_TOSERVER);
    assert_int_equal(x->ctr[STAT_FLOW_ACTIVE], 1);
    assert_int_equal(x->ctr[STAT_FLOW_TOTAL], 4);
}

static void
test_names(void **state)
{
    static const char *const tcp_names[FLOW_TCP_STATE_COUNT] = {
            "none",      "syn_sent", "syn_recv",   "established", "fin_wait1", "fin_wait2",
            "time_wait", "last_ack", "close_wait", "closing",     "closed"};
    unsigned i;

    (void)state;
    for (i = 0; i < FLOW_TCP_STATE_COUNT; i++)
        assert_string_equal(flow_tcp_state_name((uint8_t)i), tcp_names[i]);
    assert_string_equal(flow_tcp_state_name(FLOW_TCP_STATE_COUNT), "unknown");
    assert_string_equal(flow_state_name(FLOW_STATE_NEW), "new");
    assert_string_equal(flow_state_name(FLOW_STATE_ESTABLISHED), "established");
    assert_string_equal(flow_state_name(FLOW_STATE_CLOSED), "closed");
    assert_string_equal(flow_state_name(FLOW_STATE_COUNT), "unknown");
    assert_string_equal(flow_end_reason_name(FLOW_END_TIMEOUT), "timeout");
    assert_string_equal(flow_end_reason_name(FLOW_END_FORCED), "forced");
    assert_string_equal(flow_end_reason_name(FLOW_END_SHUTDOWN), "shutdown");
    assert_string_equal(flow_end_reason_name(FLOW_END_TCP_REUSE), "tcp_reuse");
    assert_string_equal(flow_end_reason_name(FLOW_END_REASON_COUNT), "unknown");
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, ffx_setup, ffx_teardown)
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_config_defaults),
            T(test_init_capacity_and_limits),
            cmocka_unit_test(test_hash_symmetric),
            T(test_udp_both_directions),
            T(test_swap),
            T(test_swap_tcp_midstream),
            T(test_ipv6_both_directions),
            T(test_distinct_tuples),
            T(test_many_flows_one_bucket),
            T(test_icmp_echo_decoded),
            T(test_flow_id_stable),
            T(test_tcp_handshake_client_closes),
            T(test_tcp_server_closes),
            T(test_tcp_simultaneous_close),
            T(test_tcp_rst),
            T(test_tcp_rst_first_no_session),
            T(test_tcp_synack_first_flips),
            T(test_tcp_midstream),
            T(test_tcp_async_oneside),
            T(test_tcp_reuse),
            T(test_tcp_syn_new_isn),
            T(test_tcp_paws),
            T(test_tcp_syn_sent_forged_ts),
            T(test_tcp_syn_sent_ts_retransmit),
            T(test_tcp_rst_inject),
            T(test_tcp_no_paws_without_negotiation),
            T(test_tcp_decoded_syn),
            T(test_timeouts_per_class),
            T(test_timeout_refreshed_by_traffic),
            T(test_memcap_forced_eviction),
            T(test_memcap_emergency_timeout_frees),
            T(test_memcap_single_flow),
            T(test_flush_at_shutdown),
            cmocka_unit_test(test_names),
    };
#undef T

    return cmocka_run_group_tests_name("flow", tests, NULL, NULL);
}
