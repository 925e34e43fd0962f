/*
 * pcapgen - deterministic synthetic captures plus the EVE output they must
 * produce, for tools/run-e2e.
 *
 *   pcapgen --seed N --scenario NAME -o OUT.pcap --expect OUT.expect.json
 *   pcapgen --list
 *
 * Frames are assembled with libnet's builders (libnet_init(LIBNET_LINK_ADV)
 * is used as an assembler only: nothing is injected), culled with
 * libnet_adv_cull_packet() and written with pcap_dump() to a DLT_EN10MB
 * capture.  Bytes libnet cannot express (short frames, broken header fields,
 * inner VLAN tags) are written or patched by hand.  All checksums are turned
 * off in libnet and computed here, because libnet 1.1.6 puts the L4 checksum
 * right after the fixed IPv6 header even when extension headers sit between.
 *
 * Reproducible: timestamps start at 1700000000 s and advance by seeded steps
 * (long-flow also moves the clock to fixed instants between its bursts);
 * addresses, ports, ids and sequence numbers come from splitmix64 seeded with
 * the seed mixed with the scenario name.  Never time() or rand().
 *
 * Expectation model.  Every frame is accounted as it is written, from what was
 * written (Suricata 8 semantics, see tests/e2e/README.md):
 *  - decoder.pkts/bytes: every frame, captured length;
 *  - one counter per layer a frame has, counted even when that layer turns
 *    out to be broken (Suricata bumps the counter before validating);
 *  - decoder.invalid: frames that raise an "invalid" decoder event;
 *  - flows keyed on (vlan ids, proto, addresses, ports | echo id); the client
 *    is the sender of the first packet (flipped when that is a TCP SYN+ACK);
 *    bytes are whole frames;
 *  - IP fragments count in defrag.*.fragments and in no flow; a datagram is
 *    reassembled once the last fragment has been seen and every byte is
 *    covered, and then counts as one flow packet of length link header +
 *    IP header (IPv6: fixed header, no fragment header) + whole payload, and
 *    once more in decoder.ipv4/ipv6 and decoder.udp;
 *  - a fragment that overlaps bytes already received raises frag_overlap.
 */

#ifndef _DEFAULT_SOURCE
/* libnet-config --defines passes -D_BSD_SOURCE; defining _DEFAULT_SOURCE first
 * keeps glibc's deprecation #warning from failing the -Werror build. */
#define _DEFAULT_SOURCE 1
#endif

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gcrypt.h>
#include <libnet.h>
#include <pcap/pcap.h>

#define GEN_TS_BASE_SEC    1700000000ULL
#define GEN_TS_STEP_MIN    200   /* microseconds between frames, lower bound */
#define GEN_TS_STEP_MAX    20000 /* and upper bound */
#define GEN_SLOW_PER_MILLE 1     /* long-flow: its clock runs 0.1% slow */
#define GEN_SNAPLEN        262144
#define GEN_FRAME_MAX      4096
#define GEN_DGRAM_MAX      4096
#define GEN_MAX_FLOWS      32
#define GEN_MAX_EVENTS     32
#define GEN_MAX_TAGS       2
#define GEN_MAX_DNS        32
#define GEN_ETH_HLEN       14
#define GEN_VLAN_HLEN      4
#define GEN_IPV4_HLEN      20
#define GEN_IPV6_HLEN      40
#define GEN_TCP_HLEN       20
#define GEN_UDP_HLEN       8
#define GEN_ICMP_HLEN      8
#define GEN_IPV6_FRAG_HLEN 8
#define GEN_ETYPE_IPV4     0x0800
#define GEN_ETYPE_IPV6     0x86dd
#define GEN_ETYPE_VLAN     0x8100
#define GEN_ETYPE_QINQ     0x88a8
#define GEN_ETYPE_9100     0x9100
#define GEN_IP_MF          0x2000
#define GEN_TH_FIN         0x01
#define GEN_TH_SYN         0x02
#define GEN_TH_PSH         0x08
#define GEN_TH_ACK         0x10
#define GEN_PROTO_HOPOPTS  0
#define GEN_PROTO_ICMP     1
#define GEN_PROTO_TCP      6
#define GEN_PROTO_UDP      17
#define GEN_PROTO_ROUTING  43
#define GEN_PROTO_FRAG     44
#define GEN_PROTO_ICMPV6   58
#define GEN_PROTO_DSTOPTS  60

#define BIT(n) (1u << (n))

/* Stats counters the expectation carries, in output order. */
enum ctr {
    CTR_PKTS = 0,
    CTR_BYTES,
    CTR_ETHERNET,
    CTR_IPV4,
    CTR_IPV6,
    CTR_TCP,
    CTR_UDP,
    CTR_ICMPV4,
    CTR_ICMPV6,
    CTR_VLAN,
    CTR_VLAN_QINQ,
    CTR_UNKNOWN_ETHERTYPE,
    CTR_INVALID,
    CTR_DEFRAG4_FRAGS,
    CTR_DEFRAG4_REASM,
    CTR_DEFRAG6_FRAGS,
    CTR_DEFRAG6_REASM,
    CTR_COUNT
};

static const char *const ctr_names[CTR_COUNT] = {
        [CTR_PKTS] = "decoder.pkts",
        [CTR_BYTES] = "decoder.bytes",
        [CTR_ETHERNET] = "decoder.ethernet",
        [CTR_IPV4] = "decoder.ipv4",
        [CTR_IPV6] = "decoder.ipv6",
        [CTR_TCP] = "decoder.tcp",
        [CTR_UDP] = "decoder.udp",
        [CTR_ICMPV4] = "decoder.icmpv4",
        [CTR_ICMPV6] = "decoder.icmpv6",
        [CTR_VLAN] = "decoder.vlan",
        [CTR_VLAN_QINQ] = "decoder.vlan_qinq",
        [CTR_UNKNOWN_ETHERTYPE] = "decoder.unknown_ethertype",
        [CTR_INVALID] = "decoder.invalid",
        [CTR_DEFRAG4_FRAGS] = "defrag.ipv4.fragments",
        [CTR_DEFRAG4_REASM] = "defrag.ipv4.reassembled",
        [CTR_DEFRAG6_FRAGS] = "defrag.ipv6.fragments",
        [CTR_DEFRAG6_REASM] = "defrag.ipv6.reassembled",
};

struct rng {
    uint64_t state;
};

/* Flow key, oriented: src is the sender of the packet (or the client). */
struct flow_key {
    uint8_t proto;
    uint8_t af; /* 4 or 6 */
    uint8_t src[16];
    uint8_t dst[16];
    uint16_t sp; /* ports; ICMP echo: the echo id in both */
    uint16_t dp;
    uint8_t nvlan;
    uint16_t vlan[GEN_MAX_TAGS];
};

struct xflow {
    struct flow_key key;
    uint64_t pkts[2]; /* [0] toserver, [1] toclient */
    uint64_t bytes[2];
    bool has_app;          /* scenario app-id: app_proto is part of the expectation */
    const char *app_proto; /* expected app_proto, NULL: none */
    const char *app_extra; /* more expected members, JSON text ("\"tls\": {...}"), or NULL */
};

struct xevent {
    const char *name;
    uint32_t count;
};

struct expect {
    struct xflow flows[GEN_MAX_FLOWS];
    size_t nflows;
    struct xevent events[GEN_MAX_EVENTS];
    size_t nevents;
    uint64_t ctr[CTR_COUNT];
    const char *dns[GEN_MAX_DNS]; /* expected `dns` objects (JSON), scenario dns */
    size_t ndns;
    uint64_t dns_flows, dns_tx; /* app_layer.flow.dns_udp, app_layer.tx.dns_udp */
};

/* What one frame (or one reassembled datagram) adds to the expectation. */
struct acct {
    uint32_t ctrs;     /* BIT(ctr) for each counter bumped once */
    const char *event; /* decoder anomaly raised, or NULL */
    bool flow;         /* counts as a packet of a flow */
    struct flow_key key;
    uint8_t tcp_flags;
    uint32_t flow_len; /* bytes credited to the flow */
};

struct tags {
    uint8_t n;
    uint16_t tpid[GEN_MAX_TAGS];
    uint16_t vid[GEN_MAX_TAGS];
};

/* Two endpoints talking; index 0 is the client, 1 the server. */
struct conv {
    uint8_t af;
    uint8_t proto;
    uint8_t ip[2][16]; /* IPv4 uses the first 4 bytes */
    uint8_t mac[2][6];
    uint16_t port[2]; /* ICMP echo: both hold the echo id */
    uint32_t seq[2];  /* TCP: next sequence number each side sends */
    uint16_t ipid[2];
    struct tags tags;
};

/* One L4 segment to send. */
struct l4_spec {
    uint8_t flags; /* TCP flags */
    uint16_t echo_seq;
    const uint8_t *data;
    uint32_t data_len;
};

/* One IPv6 extension header: type plus the bytes after next-header and
 * length (so 2 + body_len is a multiple of 8).  Routing: body[0] = routing
 * type, body[1] = segments left, then 4 reserved bytes and the addresses. */
struct ext6 {
    uint8_t type;
    uint8_t body_len;
    uint8_t body[38];
};

/* One fragment: byte offset and length into the IP payload. */
struct piece {
    uint16_t off;
    uint16_t len;
    bool last;
};

struct gen {
    libnet_t *ln;
    pcap_t *pd;
    pcap_dumper_t *dump;
    struct rng rng;
    uint64_t ts_us;
    uint32_t frame_len;
    uint8_t frame[GEN_FRAME_MAX];
    uint8_t dgram[GEN_DGRAM_MAX];
    uint8_t seen[GEN_DGRAM_MAX];
    uint8_t scratch[GEN_FRAME_MAX];
    struct expect ex;
};

struct scenario {
    const char *name;
    const char *desc;
    int (*run)(struct gen *g);
};

/* ---- PRNG: splitmix64 (Steele, Lea, Flood 2014) ---- */

static uint64_t
rng_next(struct rng *r)
{
    uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform-enough value in [lo, hi]. */
static uint32_t
rng_range(struct rng *r, uint32_t lo, uint32_t hi)
{
    return lo + (uint32_t)(rng_next(r) % ((uint64_t)hi - lo + 1));
}

static uint64_t
fnv1a64(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;

    for (; *s != '\0'; s++) {
        h ^= (uint8_t)*s;
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* ---- Internet checksum (RFC 1071) ---- */

static uint32_t
csum_add(uint32_t acc, const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i + 1 < n; i += 2)
        acc += (uint32_t)p[i] << 8 | p[i + 1];
    if (i < n)
        acc += (uint32_t)p[i] << 8;
    return acc;
}

static uint16_t
csum_fold(uint32_t acc)
{
    while (acc >> 16)
        acc = (acc & 0xffff) + (acc >> 16);
    return (uint16_t)~acc;
}

static void
put_be16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* Sets the IPv4 header checksum over hlen bytes. */
static void
ipv4_csum_set(uint8_t *ip, size_t hlen)
{
    put_be16(ip + 10, 0);
    put_be16(ip + 10, csum_fold(csum_add(0, ip, hlen)));
}

/* Sets the checksum of the L4 segment l4[0..len) (TCP, UDP, ICMP, ICMPv6);
 * src/dst are the pseudo-header addresses (4 or 16 bytes by af). */
static void
l4_csum_set(uint8_t *l4, uint32_t len, uint8_t proto, uint8_t af, const uint8_t *src,
            const uint8_t *dst)
{
    size_t off;
    uint32_t acc = 0;
    uint16_t sum;

    switch (proto) {
    case GEN_PROTO_TCP:
        off = 16;
        break;
    case GEN_PROTO_UDP:
        off = 6;
        break;
    case GEN_PROTO_ICMP:
    case GEN_PROTO_ICMPV6:
        off = 2;
        break;
    default:
        return;
    }
    if (len < off + 2)
        return;
    put_be16(l4 + off, 0);
    if (proto != GEN_PROTO_ICMP) {
        /* IPv6 pseudo-header tail: 32-bit length, 3 zero bytes, next
         * header.  Summed as 16-bit words it equals IPv4's (0, proto,
         * 16-bit length) for lengths below 65536. */
        uint8_t ph[8] = {0};
        size_t alen = af == 4 ? 4 : 16;

        put_be16(ph + 2, (uint16_t)len);
        ph[7] = proto;

        acc = csum_add(acc, src, alen);
        acc = csum_add(acc, dst, alen);
        acc = csum_add(acc, ph, sizeof(ph));
    }
    sum = csum_fold(csum_add(acc, l4, len));
    if (proto == GEN_PROTO_UDP && sum == 0)
        sum = 0xffff;
    put_be16(l4 + off, sum);
}

/* ---- Expectation bookkeeping ---- */

static bool
key_same_scope(const struct flow_key *a, const struct flow_key *b)
{
    return a->proto == b->proto && a->af == b->af && a->nvlan == b->nvlan &&
           memcmp(a->vlan, b->vlan, sizeof(a->vlan)) == 0;
}

/* Returns 0 if k goes client->server in flow f, 1 if server->client, -1 if
 * k is not part of f. */
static int
key_dir(const struct flow_key *f, const struct flow_key *k)
{
    if (!key_same_scope(f, k))
        return -1;
    if (memcmp(f->src, k->src, 16) == 0 && memcmp(f->dst, k->dst, 16) == 0 && f->sp == k->sp &&
        f->dp == k->dp)
        return 0;
    if (memcmp(f->src, k->dst, 16) == 0 && memcmp(f->dst, k->src, 16) == 0 && f->sp == k->dp &&
        f->dp == k->sp)
        return 1;
    return -1;
}

static void
key_swap(struct flow_key *k)
{
    uint8_t tmp[16];
    uint16_t port = k->sp;

    memcpy(tmp, k->src, 16);
    memcpy(k->src, k->dst, 16);
    memcpy(k->dst, tmp, 16);
    k->sp = k->dp;
    k->dp = port;
}

static int
expect_flow_add(struct expect *ex, const struct flow_key *k, uint8_t tcp_flags, uint32_t len)
{
    struct xflow *f;
    int dir = -1;
    size_t i;

    for (i = 0; i < ex->nflows && dir < 0; i++) {
        f = &ex->flows[i];
        dir = key_dir(&f->key, k);
    }
    if (dir < 0) {
        if (ex->nflows == GEN_MAX_FLOWS) {
            fprintf(stderr, "pcapgen: too many flows in one scenario\n");
            return -1;
        }
        f = &ex->flows[ex->nflows++];
        memset(f, 0, sizeof(*f));
        f->key = *k;
        dir = 0;
        /* A TCP flow first seen with SYN+ACK belongs to the other side. */
        if (k->proto == GEN_PROTO_TCP &&
            (tcp_flags & (GEN_TH_SYN | GEN_TH_ACK)) == (GEN_TH_SYN | GEN_TH_ACK)) {
            key_swap(&f->key);
            dir = 1;
        }
    }
    f->pkts[dir]++;
    f->bytes[dir] += len;
    return 0;
}

static int
expect_event_add(struct expect *ex, const char *name)
{
    size_t i;

    for (i = 0; i < ex->nevents; i++) {
        if (strcmp(ex->events[i].name, name) == 0) {
            ex->events[i].count++;
            return 0;
        }
    }
    if (ex->nevents == GEN_MAX_EVENTS) {
        fprintf(stderr, "pcapgen: too many event kinds in one scenario\n");
        return -1;
    }
    ex->events[ex->nevents].name = name;
    ex->events[ex->nevents].count = 1;
    ex->nevents++;
    return 0;
}

static int
expect_account(struct expect *ex, const struct acct *a)
{
    int c;

    for (c = 0; c < CTR_COUNT; c++) {
        if (a->ctrs & BIT(c))
            ex->ctr[c]++;
    }
    if (a->event != NULL && expect_event_add(ex, a->event) < 0)
        return -1;
    if (a->flow)
        return expect_flow_add(ex, &a->key, a->tcp_flags, a->flow_len);
    return 0;
}

/* ---- Frame assembly ---- */

static int
gen_fail(struct gen *g, const char *what)
{
    fprintf(stderr, "pcapgen: %s: %s\n", what, libnet_geterror(g->ln));
    return -1;
}

/* Switches libnet's checksum off for ptag t: we compute checksums below. */
static int
nocsum(struct gen *g, libnet_ptag_t t, const char *what)
{
    if (t == -1 || libnet_toggle_checksum(g->ln, t, LIBNET_OFF) == -1)
        return gen_fail(g, what);
    return 0;
}

static uint32_t
l2_len(const struct conv *c)
{
    return GEN_ETH_HLEN + GEN_VLAN_HLEN * (uint32_t)c->tags.n;
}

/* Builds the L4 header and payload of one segment from side dir.  Returns
 * the L4 length or -1. */
static int
build_l4(struct gen *g, struct conv *c, int dir, const struct l4_spec *s)
{
    libnet_ptag_t t;
    uint16_t sp = c->port[dir];
    uint16_t dp = c->port[!dir];
    uint32_t hlen;

    switch (c->proto) {
    case GEN_PROTO_TCP: {
        uint32_t ack = (s->flags & GEN_TH_ACK) ? c->seq[!dir] : 0;

        hlen = GEN_TCP_HLEN;
        t = libnet_build_tcp(sp, dp, c->seq[dir], ack, s->flags, dir ? 65160 : 64240, 0, 0,
                             (uint16_t)(hlen + s->data_len), s->data, s->data_len, g->ln, 0);
        c->seq[dir] +=
                s->data_len + ((s->flags & GEN_TH_SYN) ? 1 : 0) + ((s->flags & GEN_TH_FIN) ? 1 : 0);
        break;
    }
    case GEN_PROTO_UDP:
        hlen = GEN_UDP_HLEN;
        t = libnet_build_udp(sp, dp, (uint16_t)(hlen + s->data_len), 0, s->data, s->data_len, g->ln,
                             0);
        break;
    case GEN_PROTO_ICMP:
        hlen = GEN_ICMP_HLEN;
        t = libnet_build_icmpv4_echo(dir == 0 ? 8 : 0, 0, 0, c->port[0], s->echo_seq, s->data,
                                     s->data_len, g->ln, 0);
        break;
    case GEN_PROTO_ICMPV6:
        hlen = GEN_ICMP_HLEN;
        if (s->data_len > sizeof(g->scratch))
            return -1;
        /* libnet_build_icmpv6_echo() takes a non-const payload. */
        memcpy(g->scratch, s->data, s->data_len);
        t = libnet_build_icmpv6_echo(dir == 0 ? 128 : 129, 0, 0, c->port[0], s->echo_seq,
                                     g->scratch, s->data_len, g->ln, 0);
        break;
    default:
        return -1;
    }
    if (nocsum(g, t, "build L4") < 0)
        return -1;
    return (int)(hlen + s->data_len);
}

static int
build_ext6(struct gen *g, const struct ext6 *e, uint8_t nh)
{
    uint8_t len8 = (uint8_t)((e->body_len + 2) / 8 - 1);
    libnet_ptag_t t;

    switch (e->type) {
    case GEN_PROTO_HOPOPTS:
        t = libnet_build_ipv6_hbhopts(nh, len8, e->body, e->body_len, g->ln, 0);
        break;
    case GEN_PROTO_DSTOPTS:
        t = libnet_build_ipv6_destopts(nh, len8, e->body, e->body_len, g->ln, 0);
        break;
    case GEN_PROTO_ROUTING:
        t = libnet_build_ipv6_routing(nh, len8, e->body[0], e->body[1], e->body + 2,
                                      (uint32_t)e->body_len - 2, g->ln, 0);
        break;
    default:
        return -1;
    }
    return t == -1 ? gen_fail(g, "build IPv6 extension header") : 0;
}

/* Builds the IP header from side dir; plen is the length of what follows
 * the (fixed) IP header, payload is optional raw bytes carried directly. */
static int
build_ip(struct gen *g, struct conv *c, int dir, uint8_t nh, uint32_t plen, uint16_t id,
         uint16_t frag, const uint8_t *payload, uint32_t payload_s)
{
    libnet_ptag_t t;

    if (c->af == 4) {
        uint32_t src;
        uint32_t dst;

        memcpy(&src, c->ip[dir], 4);
        memcpy(&dst, c->ip[!dir], 4);
        t = libnet_build_ipv4((uint16_t)(GEN_IPV4_HLEN + plen), 0, id, frag, 64, nh, 0, src, dst,
                              payload, payload_s, g->ln, 0);
    } else {
        struct libnet_in6_addr src;
        struct libnet_in6_addr dst;

        memcpy(&src, c->ip[dir], 16);
        memcpy(&dst, c->ip[!dir], 16);
        t = libnet_build_ipv6(0, 0, (uint16_t)plen, nh, 64, src, dst, payload, payload_s, g->ln, 0);
    }
    return nocsum(g, t, "build IP");
}

/* Builds Ethernet (plus 802.1Q/QinQ tags: the outer one with libnet's 802.1q
 * builder, inner ones as 4 raw bytes) from side dir. */
static int
build_l2(struct gen *g, const struct conv *c, int dir, uint16_t etype)
{
    const struct tags *tg = &c->tags;
    libnet_ptag_t t;
    int i;

    if (tg->n > GEN_MAX_TAGS)
        return -1;
    for (i = (int)tg->n - 1; i >= 1; i--) {
        uint16_t next = (i + 1 < (int)tg->n && i + 1 < GEN_MAX_TAGS) ? tg->tpid[i + 1] : etype;
        uint8_t tag[4];

        put_be16(tag, tg->vid[i] & 0x0fff);
        put_be16(tag + 2, next);
        if (libnet_build_data(tag, sizeof(tag), g->ln, 0) == -1)
            return gen_fail(g, "build inner VLAN tag");
    }
    if (tg->n == 0)
        t = libnet_build_ethernet(c->mac[!dir], c->mac[dir], etype, NULL, 0, g->ln, 0);
    else
        t = libnet_build_802_1q(c->mac[!dir], c->mac[dir], tg->tpid[0], 0, 0, tg->vid[0],
                                tg->n > 1 ? tg->tpid[1] : etype, NULL, 0, g->ln, 0);
    return t == -1 ? gen_fail(g, "build link layer") : 0;
}

/* Moves the assembled frame out of libnet into g->frame. */
static int
frame_cull(struct gen *g)
{
    uint8_t *buf = NULL;
    uint32_t len = 0;

    if (libnet_adv_cull_packet(g->ln, &buf, &len) == -1)
        return gen_fail(g, "cull packet");
    if (len > sizeof(g->frame)) {
        libnet_adv_free_packet(g->ln, buf);
        fprintf(stderr, "pcapgen: frame of %" PRIu32 " bytes too large\n", len);
        return -1;
    }
    memcpy(g->frame, buf, len);
    g->frame_len = len;
    libnet_adv_free_packet(g->ln, buf);
    libnet_clear_packet(g->ln);
    return 0;
}

/* Writes g->frame with the next timestamp and accounts it. */
static int
frame_write(struct gen *g, const struct acct *a)
{
    struct pcap_pkthdr h;

    g->ts_us += rng_range(&g->rng, GEN_TS_STEP_MIN, GEN_TS_STEP_MAX);
    memset(&h, 0, sizeof(h));
    h.ts.tv_sec = (time_t)(g->ts_us / 1000000);
    h.ts.tv_usec = (suseconds_t)(g->ts_us % 1000000);
    h.caplen = g->frame_len;
    h.len = g->frame_len;
    pcap_dump((u_char *)g->dump, &h, g->frame);
    g->ex.ctr[CTR_PKTS]++;
    g->ex.ctr[CTR_BYTES] += g->frame_len;
    return expect_account(&g->ex, a);
}

static enum ctr
l4_ctr(uint8_t proto)
{
    switch (proto) {
    case GEN_PROTO_TCP:
        return CTR_TCP;
    case GEN_PROTO_UDP:
        return CTR_UDP;
    case GEN_PROTO_ICMP:
        return CTR_ICMPV4;
    default:
        return CTR_ICMPV6;
    }
}

static uint32_t
l2_ctrs(const struct conv *c)
{
    uint32_t m = BIT(CTR_ETHERNET);

    if (c->tags.n >= 1)
        m |= BIT(CTR_VLAN);
    if (c->tags.n >= 2)
        m |= BIT(CTR_VLAN_QINQ);
    return m;
}

static void
key_from_conv(const struct conv *c, int dir, struct flow_key *k)
{
    memset(k, 0, sizeof(*k));
    k->proto = c->proto;
    k->af = c->af;
    memcpy(k->src, c->ip[dir], c->af == 4 ? 4 : 16);
    memcpy(k->dst, c->ip[!dir], c->af == 4 ? 4 : 16);
    k->sp = c->port[dir];
    k->dp = c->port[!dir];
    k->nvlan = c->tags.n;
    memcpy(k->vlan, c->tags.vid, sizeof(k->vlan));
}

/* The accounting of a well-formed, unfragmented frame of conv c. */
static void
acct_std(const struct conv *c, int dir, uint8_t flags, uint32_t len, struct acct *a)
{
    memset(a, 0, sizeof(*a));
    a->ctrs = l2_ctrs(c) | BIT(c->af == 4 ? CTR_IPV4 : CTR_IPV6) | BIT(l4_ctr(c->proto));
    a->flow = true;
    key_from_conv(c, dir, &a->key);
    a->tcp_flags = flags;
    a->flow_len = len;
}

/* The address the L4 pseudo-header uses: the final destination, i.e. the
 * last address of a routing header with segments left (RFC 8200 8.1). */
static const uint8_t *
final_dst(const struct conv *c, int dir, const struct ext6 *ext, size_t next)
{
    const uint8_t *dst = c->ip[!dir];
    size_t i;

    for (i = 0; i < next; i++) {
        const struct ext6 *e = &ext[i];

        if (e->type == GEN_PROTO_ROUTING && e->body[1] > 0 && e->body_len >= 22)
            dst = e->body + e->body_len - 16;
    }
    return dst;
}

/* The source address the L4 pseudo-header uses: the home address when a
 * destination options header carries one (RFC 6275 6.3). */
static const uint8_t *
pseudo_src(const struct conv *c, int dir, const struct ext6 *ext, size_t next)
{
    const uint8_t *src = c->ip[dir];
    size_t i;

    for (i = 0; i < next; i++) {
        const struct ext6 *e = &ext[i];
        uint32_t off = 0;

        while (e->type == GEN_PROTO_DSTOPTS && off + 2 <= e->body_len) {
            if (e->body[off] == 0) { /* Pad1 */
                off++;
                continue;
            }
            if (e->body[off] == 0xc9 && e->body[off + 1] == 16 && off + 18 <= e->body_len)
                src = e->body + off + 2;
            off += 2u + e->body[off + 1];
        }
    }
    return src;
}

/* Assembles one well-formed frame of conv c from side dir into g->frame,
 * with IPv6 extension headers ext[0..next) (outermost first), and fills
 * the accounting for it.  Does not write it. */
static int
frame_build(struct gen *g, struct conv *c, int dir, const struct l4_spec *s, const struct ext6 *ext,
            size_t next, struct acct *a)
{
    uint8_t nh = c->proto;
    uint32_t plen;
    int l4len;
    size_t i;

    libnet_clear_packet(g->ln);
    l4len = build_l4(g, c, dir, s);
    if (l4len < 0)
        return -1;
    plen = (uint32_t)l4len;
    for (i = next; i-- > 0;) {
        if (build_ext6(g, &ext[i], nh) < 0)
            return -1;
        nh = ext[i].type;
        plen += 2u + ext[i].body_len;
    }
    if (build_ip(g, c, dir, nh, plen, c->ipid[dir]++, 0, NULL, 0) < 0 ||
        build_l2(g, c, dir, c->af == 4 ? GEN_ETYPE_IPV4 : GEN_ETYPE_IPV6) < 0 || frame_cull(g) < 0)
        return -1;
    if (c->af == 4)
        ipv4_csum_set(g->frame + l2_len(c), GEN_IPV4_HLEN);
    l4_csum_set(g->frame + g->frame_len - (uint32_t)l4len, (uint32_t)l4len, c->proto, c->af,
                pseudo_src(c, dir, ext, next), final_dst(c, dir, ext, next));
    acct_std(c, dir, s->flags, g->frame_len, a);
    return 0;
}

/* Sends one well-formed frame; event is a non-fatal anomaly it raises. */
static int
send_pkt_ext(struct gen *g, struct conv *c, int dir, const struct l4_spec *s,
             const struct ext6 *ext, size_t next, const char *event)
{
    struct acct a;

    if (frame_build(g, c, dir, s, ext, next, &a) < 0)
        return -1;
    a.event = event;
    return frame_write(g, &a);
}

static int
send_pkt(struct gen *g, struct conv *c, int dir, const struct l4_spec *s)
{
    return send_pkt_ext(g, c, dir, s, NULL, 0, NULL);
}

static int
send_data(struct gen *g, struct conv *c, int dir, const char *text, uint16_t echo_seq)
{
    struct l4_spec s = {.echo_seq = echo_seq,
                        .data = (const uint8_t *)text,
                        .data_len = (uint32_t)strlen(text)};

    if (c->proto == GEN_PROTO_TCP)
        s.flags = GEN_TH_PSH | GEN_TH_ACK;
    return send_pkt(g, c, dir, &s);
}

/* Assembles an IP packet of conv c whose payload is raw bytes (no L4
 * builder), for headers that are broken on purpose. */
static int
frame_build_ip_raw(struct gen *g, struct conv *c, int dir, uint8_t nh, const uint8_t *payload,
                   uint32_t len)
{
    libnet_clear_packet(g->ln);
    if (build_ip(g, c, dir, nh, len, c->ipid[dir]++, 0, payload, len) < 0 ||
        build_l2(g, c, dir, c->af == 4 ? GEN_ETYPE_IPV4 : GEN_ETYPE_IPV6) < 0 || frame_cull(g) < 0)
        return -1;
    if (c->af == 4)
        ipv4_csum_set(g->frame + l2_len(c), GEN_IPV4_HLEN);
    return 0;
}

/* Assembles Ethernet with an arbitrary ethertype and raw payload. */
static int
frame_build_eth_raw(struct gen *g, const struct conv *c, uint16_t etype, const uint8_t *payload,
                    uint32_t len)
{
    libnet_clear_packet(g->ln);
    if (libnet_build_ethernet(c->mac[1], c->mac[0], etype, payload, len, g->ln, 0) == -1)
        return gen_fail(g, "build ethernet");
    return frame_cull(g);
}

/* Writes g->frame as a broken frame: counters ctrs, anomaly event, no flow. */
static int
send_broken(struct gen *g, uint32_t ctrs, const char *event)
{
    struct acct a;

    memset(&a, 0, sizeof(a));
    a.ctrs = ctrs;
    a.event = event;
    return frame_write(g, &a);
}

/* ---- Fragmentation ---- */

/* Assembles one fragment carrying g->dgram[p->off .. p->off + p->len). */
static int
frame_build_frag(struct gen *g, struct conv *c, int dir, uint32_t id, const struct piece *p)
{
    const uint8_t *chunk = g->dgram + p->off;

    libnet_clear_packet(g->ln);
    if (c->af == 4) {
        uint16_t frag = (uint16_t)((p->last ? 0 : GEN_IP_MF) | (p->off >> 3));

        if (build_ip(g, c, dir, GEN_PROTO_UDP, p->len, (uint16_t)id, frag, chunk, p->len) < 0)
            return -1;
    } else {
        /* Fragment header by hand: libnet 1.1.6's libnet_build_ipv6_frag()
         * stores the offset and id fields in host byte order. */
        uint8_t *fh = g->scratch;
        uint32_t flen = GEN_IPV6_FRAG_HLEN + (uint32_t)p->len;

        if (flen > sizeof(g->scratch))
            return -1;
        fh[0] = GEN_PROTO_UDP;
        fh[1] = 0;
        put_be16(fh + 2, (uint16_t)(p->off | (p->last ? 0 : 1)));
        put_be16(fh + 4, (uint16_t)(id >> 16));
        put_be16(fh + 6, (uint16_t)id);
        memcpy(fh + GEN_IPV6_FRAG_HLEN, chunk, p->len);
        if (build_ip(g, c, dir, GEN_PROTO_FRAG, flen, 0, 0, fh, flen) < 0)
            return -1;
    }
    if (build_l2(g, c, dir, c->af == 4 ? GEN_ETYPE_IPV4 : GEN_ETYPE_IPV6) < 0 || frame_cull(g) < 0)
        return -1;
    if (c->af == 4)
        ipv4_csum_set(g->frame + l2_len(c), GEN_IPV4_HLEN);
    return 0;
}

/* Marks [off, off+len) received; returns true if any byte already was. */
static bool
seen_mark(uint8_t *seen, uint16_t off, uint16_t len)
{
    bool overlap = false;
    uint32_t i;

    for (i = off; i < (uint32_t)off + len; i++) {
        overlap = overlap || seen[i] != 0;
        seen[i] = 1;
    }
    return overlap;
}

static bool
seen_all(const uint8_t *seen, uint32_t len)
{
    uint32_t i;

    for (i = 0; i < len; i++) {
        if (seen[i] == 0)
            return false;
    }
    return true;
}

/* Lays out a UDP datagram of conv c from side dir in g->dgram. */
static uint16_t
dgram_build(struct gen *g, const struct conv *c, int dir, uint16_t payload_len)
{
    uint16_t len = (uint16_t)(GEN_UDP_HLEN + payload_len);
    uint32_t i;

    put_be16(g->dgram, c->port[dir]);
    put_be16(g->dgram + 2, c->port[!dir]);
    put_be16(g->dgram + 4, len);
    put_be16(g->dgram + 6, 0);
    for (i = 0; i < payload_len; i++)
        g->dgram[GEN_UDP_HLEN + i] = (uint8_t)('a' + i % 26);
    l4_csum_set(g->dgram, len, GEN_PROTO_UDP, c->af, c->ip[dir], c->ip[!dir]);
    return len;
}

/* The accounting of the datagram once reassembled: a pseudo packet that is
 * decoded again from the IP layer and counts once in its flow. */
static int
account_reassembled(struct gen *g, const struct conv *c, int dir, uint16_t dlen)
{
    struct acct a;
    uint32_t iphlen = c->af == 4 ? GEN_IPV4_HLEN : GEN_IPV6_HLEN;

    acct_std(c, dir, 0, l2_len(c) + iphlen + dlen, &a);
    a.ctrs = BIT(c->af == 4 ? CTR_IPV4 : CTR_IPV6) | BIT(CTR_UDP) |
             BIT(c->af == 4 ? CTR_DEFRAG4_REASM : CTR_DEFRAG6_REASM);
    return expect_account(&g->ex, &a);
}

/* Sends a UDP datagram of 8 + payload_len bytes from side dir as the
 * fragments pc[0..npc), in that order. */
static int
send_fragmented(struct gen *g, struct conv *c, int dir, uint16_t payload_len,
                const struct piece *pc, size_t npc)
{
    uint16_t dlen = dgram_build(g, c, dir, payload_len);
    uint32_t id = c->af == 4 ? rng_range(&g->rng, 1, 0xffff) : (uint32_t)rng_next(&g->rng);
    bool seen_last = false;
    bool done = false;
    size_t i;

    memset(g->seen, 0, sizeof(g->seen));
    for (i = 0; i < npc; i++) {
        const struct piece *p = &pc[i];
        bool overlap;
        struct acct a;

        if ((uint32_t)p->off + p->len > dlen || (p->last && p->off + p->len != dlen)) {
            fprintf(stderr, "pcapgen: fragment outside its datagram\n");
            return -1;
        }
        overlap = seen_mark(g->seen, p->off, p->len);
        seen_last = seen_last || p->last;
        if (frame_build_frag(g, c, dir, id, p) < 0)
            return -1;
        memset(&a, 0, sizeof(a));
        a.ctrs = l2_ctrs(c) | (c->af == 4 ? BIT(CTR_IPV4) | BIT(CTR_DEFRAG4_FRAGS)
                                          : BIT(CTR_IPV6) | BIT(CTR_DEFRAG6_FRAGS));
        if (overlap)
            a.event = c->af == 4 ? "decoder.ipv4.frag_overlap" : "decoder.ipv6.frag_overlap";
        if (frame_write(g, &a) < 0)
            return -1;
        if (!done && seen_last && seen_all(g->seen, dlen)) {
            done = true;
            if (account_reassembled(g, c, dir, dlen) < 0)
                return -1;
        }
    }
    return 0;
}

/* ---- Endpoints ---- */

static void
pick_mac(struct gen *g, uint8_t *mac)
{
    uint64_t r = rng_next(&g->rng);
    int i;

    mac[0] = 0x02; /* locally administered, unicast */
    for (i = 1; i < 6; i++)
        mac[i] = (uint8_t)(r >> (8 * i));
}

/* side 0 (client): 10.x.y.z or 2001:db8:0:x::y
 * side 1 (server): 192.168.y.z or 2001:db8:x:y::z:w */
static void
pick_ip(struct gen *g, uint8_t af, int side, uint8_t *ip)
{
    memset(ip, 0, 16);
    if (af == 4) {
        ip[0] = side == 0 ? 10 : 192;
        ip[1] = side == 0 ? (uint8_t)rng_range(&g->rng, 0, 255) : 168;
        ip[2] = (uint8_t)rng_range(&g->rng, 0, 255);
        ip[3] = (uint8_t)rng_range(&g->rng, 1, 254);
        return;
    }
    put_be16(ip, 0x2001);
    put_be16(ip + 2, 0x0db8);
    if (side == 0) {
        put_be16(ip + 6, (uint16_t)rng_range(&g->rng, 1, 0xffff));
        put_be16(ip + 14, (uint16_t)rng_range(&g->rng, 1, 0xffff));
    } else {
        put_be16(ip + 4, (uint16_t)rng_range(&g->rng, 1, 0xffff));
        put_be16(ip + 6, (uint16_t)rng_range(&g->rng, 1, 0xffff));
        put_be16(ip + 12, (uint16_t)rng_range(&g->rng, 1, 0xffff));
        put_be16(ip + 14, (uint16_t)rng_range(&g->rng, 1, 0xffff));
    }
}

/* A fresh conversation.  Ports: client 49152-65535; server 80 for TCP,
 * 30000-38999 for UDP (clear of the ports Suricata decodes as tunnels or
 * probes app-layer parsers on); ICMP echo: a random id in both. */
static void
conv_init(struct gen *g, struct conv *c, uint8_t af, uint8_t proto)
{
    int side;

    memset(c, 0, sizeof(*c));
    c->af = af;
    c->proto = proto;
    for (side = 0; side < 2; side++) {
        pick_ip(g, af, side, c->ip[side]);
        pick_mac(g, c->mac[side]);
        c->seq[side] = (uint32_t)rng_next(&g->rng);
        c->ipid[side] = (uint16_t)rng_range(&g->rng, 1, 0xffff);
    }
    c->port[0] = (uint16_t)rng_range(&g->rng, 49152, 65535);
    if (proto == GEN_PROTO_TCP)
        c->port[1] = 80;
    else if (proto == GEN_PROTO_UDP)
        c->port[1] = (uint16_t)rng_range(&g->rng, 30000, 38999);
    else
        c->port[0] = c->port[1] = (uint16_t)rng_range(&g->rng, 1, 0xffff);
}

static void
conv_tag(struct conv *c, uint16_t tpid0, uint16_t vid0, uint16_t tpid1, uint16_t vid1)
{
    c->tags.n = tpid1 != 0 ? 2 : 1;
    c->tags.tpid[0] = tpid0;
    c->tags.vid[0] = vid0;
    c->tags.tpid[1] = tpid1;
    c->tags.vid[1] = vid1;
}

/* ---- Scenarios ---- */

static const char http_req[] = "GET /index.html HTTP/1.1\r\n"
                               "Host: example.com\r\n"
                               "User-Agent: pcapgen/1\r\n"
                               "Accept: */*\r\n"
                               "\r\n";
static const char http_resp[] = "HTTP/1.1 200 OK\r\n"
                                "Content-Type: text/plain\r\n"
                                "Content-Length: 13\r\n"
                                "Connection: close\r\n"
                                "\r\n"
                                "hello, world\n";

/* Handshake, request, ACK, response, ACK, FIN/ACK, FIN/ACK, ACK: 10 frames,
 * 5 each way, with exact sequence numbers so no stream event fires. */
static int
tcp_session(struct gen *g, struct conv *c)
{
    static const struct {
        int dir;
        uint8_t flags;
        int data; /* 0 none, 1 request, 2 response */
    } steps[] = {
            {0, GEN_TH_SYN, 0},
            {1, GEN_TH_SYN | GEN_TH_ACK, 0},
            {0, GEN_TH_ACK, 0},
            {0, GEN_TH_PSH | GEN_TH_ACK, 1},
            {1, GEN_TH_ACK, 0},
            {1, GEN_TH_PSH | GEN_TH_ACK, 2},
            {0, GEN_TH_ACK, 0},
            {0, GEN_TH_FIN | GEN_TH_ACK, 0},
            {1, GEN_TH_FIN | GEN_TH_ACK, 0},
            {0, GEN_TH_ACK, 0},
    };
    size_t i;

    for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        struct l4_spec s = {.flags = steps[i].flags};

        if (steps[i].data == 1) {
            s.data = (const uint8_t *)http_req;
            s.data_len = sizeof(http_req) - 1;
        } else if (steps[i].data == 2) {
            s.data = (const uint8_t *)http_resp;
            s.data_len = sizeof(http_resp) - 1;
        }
        if (send_pkt(g, c, steps[i].dir, &s) < 0)
            return -1;
    }
    return 0;
}

static int
scen_tcp_basic(struct gen *g)
{
    struct conv c4;
    struct conv c6;

    conv_init(g, &c4, 4, GEN_PROTO_TCP);
    conv_init(g, &c6, 6, GEN_PROTO_TCP);
    if (tcp_session(g, &c4) < 0 || tcp_session(g, &c6) < 0)
        return -1;
    return 0;
}

static int
scen_udp_icmp(struct gen *g)
{
    struct conv ua, ub, ic4, ic6, oneway;
    int i;

    conv_init(g, &ua, 4, GEN_PROTO_UDP);
    conv_init(g, &ub, 4, GEN_PROTO_UDP);
    conv_init(g, &ic4, 4, GEN_PROTO_ICMP);
    conv_init(g, &ic6, 6, GEN_PROTO_ICMPV6);
    conv_init(g, &oneway, 4, GEN_PROTO_UDP);
    /* Two request/response pairs on each of two ports, interleaved. */
    for (i = 0; i < 2; i++) {
        if (send_data(g, &ua, 0, "pcapgen request on port a", 0) < 0 ||
            send_data(g, &ub, 0, "pcapgen request on port b", 0) < 0 ||
            send_data(g, &ua, 1, "pcapgen response on port a, a bit longer", 0) < 0 ||
            send_data(g, &ub, 1, "pcapgen response on port b, a bit longer", 0) < 0)
            return -1;
    }
    if (send_data(g, &ic4, 0, "pcapgen echo payload....", 1) < 0 ||
        send_data(g, &ic4, 1, "pcapgen echo payload....", 1) < 0 ||
        send_data(g, &ic6, 0, "pcapgen echo payload v6..", 1) < 0 ||
        send_data(g, &ic6, 1, "pcapgen echo payload v6..", 1) < 0)
        return -1;
    for (i = 0; i < 3; i++) {
        if (send_data(g, &oneway, 0, "pcapgen one-way datagram", 0) < 0)
            return -1;
    }
    return 0;
}

static int
scen_vlan(struct gen *g)
{
    struct conv tcp;
    struct conv qinq;
    struct conv q9100;

    conv_init(g, &tcp, 4, GEN_PROTO_TCP);
    conv_tag(&tcp, GEN_ETYPE_VLAN, 6, 0, 0);
    conv_init(g, &qinq, 4, GEN_PROTO_UDP);
    conv_tag(&qinq, GEN_ETYPE_QINQ, 1, GEN_ETYPE_VLAN, 10);
    /* The same 5-tuple again, told apart only by its tags. */
    q9100 = qinq;
    conv_tag(&q9100, GEN_ETYPE_9100, 100, GEN_ETYPE_VLAN, 200);
    if (tcp_session(g, &tcp) < 0 || send_data(g, &qinq, 0, "pcapgen request in 88a8/8100", 0) < 0 ||
        send_data(g, &qinq, 1, "pcapgen response in 88a8/8100", 0) < 0 ||
        send_data(g, &q9100, 0, "pcapgen request in 9100/8100", 0) < 0 ||
        send_data(g, &q9100, 1, "pcapgen response in 9100/8100", 0) < 0)
        return -1;
    return 0;
}

/* The four datagrams of the fragment scenarios; sizes in bytes of IP
 * payload (8-byte UDP header + payload), first fragments of mtu_chunk. */
static int
frag_scenario(struct gen *g, uint8_t af, uint16_t chunk)
{
    const uint16_t dlen = 3000;
    const uint16_t tail = (uint16_t)(dlen - 2 * chunk);
    const struct piece in_order[] = {
            {0, chunk, false}, {chunk, chunk, false}, {(uint16_t)(2 * chunk), tail, true}};
    const struct piece out_of_order[] = {
            {(uint16_t)(2 * chunk), tail, true}, {0, chunk, false}, {chunk, chunk, false}};
    /* The third fragment re-sends bytes 1000..1999, already covered. */
    const struct piece overlap[] = {{0, chunk, false},
                                    {chunk, chunk, false},
                                    {1000, 1000, false},
                                    {(uint16_t)(2 * chunk), tail, true}};
    const struct piece incomplete[] = {{0, chunk, false}, {chunk, chunk, false}};
    const uint16_t plen = (uint16_t)(dlen - GEN_UDP_HLEN);
    struct conv a, b, c, d;

    conv_init(g, &a, af, GEN_PROTO_UDP);
    conv_init(g, &b, af, GEN_PROTO_UDP);
    conv_init(g, &c, af, GEN_PROTO_UDP);
    conv_init(g, &d, af, GEN_PROTO_UDP);
    if (send_fragmented(g, &a, 0, plen, in_order, 3) < 0 ||
        send_data(g, &a, 1, "pcapgen reply to a reassembled datagram", 0) < 0 ||
        send_fragmented(g, &b, 0, plen, out_of_order, 3) < 0 ||
        send_fragmented(g, &c, 0, plen, overlap, 4) < 0 ||
        send_fragmented(g, &d, 0, plen, incomplete, 2) < 0)
        return -1;
    return 0;
}

static int
scen_frag_ipv4(struct gen *g)
{
    return frag_scenario(g, 4, 1480);
}

static int
scen_frag_ipv6(struct gen *g)
{
    return frag_scenario(g, 6, 1448);
}

/* Broken IPv4 packets built valid, then patched. */
static int
malformed_ipv4(struct gen *g, struct conv *u, struct conv *t)
{
    const uint32_t v4 = BIT(CTR_ETHERNET) | BIT(CTR_IPV4) | BIT(CTR_INVALID);
    const uint8_t eight[8] = {0};
    struct l4_spec s8 = {.data = eight, .data_len = 8};
    struct l4_spec ack = {.flags = GEN_TH_ACK};
    const uint32_t ip = GEN_ETH_HLEN;
    const uint32_t l4 = GEN_ETH_HLEN + GEN_IPV4_HLEN;
    uint8_t big[64];
    struct l4_spec s64 = {.data = big, .data_len = sizeof(big)};
    struct acct a;

    memset(big, 'x', sizeof(big));
    /* IHL 4 (16 bytes) < 20. */
    if (frame_build(g, u, 0, &s8, NULL, 0, &a) < 0)
        return -1;
    g->frame[ip] = 0x44;
    if (send_broken(g, v4, "decoder.ipv4.hlen_too_small") < 0)
        return -1;
    /* Total length 92, 44 bytes captured. */
    if (frame_build(g, u, 0, &s64, NULL, 0, &a) < 0)
        return -1;
    g->frame_len = l4 + GEN_UDP_HLEN + 16;
    if (send_broken(g, v4, "decoder.ipv4.trunc_pkt") < 0)
        return -1;
    /* Version 6 under ethertype 0x0800. */
    if (frame_build(g, u, 0, &s8, NULL, 0, &a) < 0)
        return -1;
    g->frame[ip] = 0x65;
    if (send_broken(g, v4, "decoder.ipv4.wrong_ip_version") < 0)
        return -1;
    /* TCP data offset 15 (60 bytes), only 20 there. */
    if (frame_build(g, t, 0, &ack, NULL, 0, &a) < 0)
        return -1;
    g->frame[l4 + 12] = 0xf0;
    if (send_broken(g, v4 | BIT(CTR_TCP), "decoder.tcp.hlen_too_small") < 0)
        return -1;
    /* TCP data offset 4 (16 bytes) < 20: option length wraps, Suricata
     * reports invalid_optlen. */
    if (frame_build(g, t, 0, &ack, NULL, 0, &a) < 0)
        return -1;
    g->frame[l4 + 12] = 0x40;
    if (send_broken(g, v4 | BIT(CTR_TCP), "decoder.tcp.invalid_optlen") < 0)
        return -1;
    /* UDP length 100 > 12 bytes of IP payload. */
    s8.data_len = 4;
    if (frame_build(g, u, 0, &s8, NULL, 0, &a) < 0)
        return -1;
    put_be16(g->frame + l4 + 4, 100);
    if (send_broken(g, v4 | BIT(CTR_UDP), "decoder.udp.pkt_too_small") < 0)
        return -1;
    /* UDP length 5 < 8. */
    s8.data_len = 8;
    if (frame_build(g, u, 0, &s8, NULL, 0, &a) < 0)
        return -1;
    put_be16(g->frame + l4 + 4, 5);
    return send_broken(g, v4 | BIT(CTR_UDP), "decoder.udp.len_invalid");
}

/* Broken layers carried as raw IP payload. */
static int
malformed_raw_l4(struct gen *g, struct conv *u, struct conv *u6)
{
    const uint32_t v4 = BIT(CTR_ETHERNET) | BIT(CTR_IPV4) | BIT(CTR_INVALID);
    /* sport 49999, dport 80, seq, first half of ack: 10 of 20 bytes */
    const uint8_t tcp10[10] = {0xc3, 0x4f, 0x00, 0x50, 0x12, 0x34, 0x56, 0x78, 0x00, 0x00};
    /* sport, dport: 4 of 8 bytes */
    const uint8_t udp4[4] = {0xc3, 0x4f, 0x75, 0x30};
    /* echo request type and code only */
    const uint8_t icmp2[2] = {8, 0};
    /* hop-by-hop header claiming 24 bytes (len 2) in an 8-byte payload */
    const uint8_t hbh8[8] = {GEN_PROTO_UDP, 2, 0x05, 0x02, 0x00, 0x00, 0x01, 0x00};

    if (frame_build_ip_raw(g, u, 0, GEN_PROTO_TCP, tcp10, sizeof(tcp10)) < 0 ||
        send_broken(g, v4 | BIT(CTR_TCP), "decoder.tcp.pkt_too_small") < 0)
        return -1;
    if (frame_build_ip_raw(g, u, 0, GEN_PROTO_UDP, udp4, sizeof(udp4)) < 0 ||
        send_broken(g, v4 | BIT(CTR_UDP), "decoder.udp.hlen_too_small") < 0)
        return -1;
    if (frame_build_ip_raw(g, u, 0, GEN_PROTO_ICMP, icmp2, sizeof(icmp2)) < 0 ||
        send_broken(g, v4 | BIT(CTR_ICMPV4), "decoder.icmpv4.pkt_too_small") < 0)
        return -1;
    if (frame_build_ip_raw(g, u6, 0, GEN_PROTO_HOPOPTS, hbh8, sizeof(hbh8)) < 0)
        return -1;
    return send_broken(g, BIT(CTR_ETHERNET) | BIT(CTR_IPV6) | BIT(CTR_INVALID),
                       "decoder.ipv6.trunc_exthdr");
}

/* Broken link layers and a truncated IPv6 fixed header. */
static int
malformed_l2(struct gen *g, struct conv *u, struct conv *u6)
{
    uint8_t pad[46];
    const uint8_t tag2[2] = {0x00, 0x05};
    const uint8_t eight[8] = {0};
    struct l4_spec s8 = {.data = eight, .data_len = 8};
    struct acct a;

    memset(pad, 0xa5, sizeof(pad));
    /* 10 bytes: both MAC addresses are not even complete. */
    memcpy(g->frame, u->mac[1], 6);
    memcpy(g->frame + 6, u->mac[0], 4);
    g->frame_len = 10;
    if (send_broken(g, BIT(CTR_ETHERNET) | BIT(CTR_INVALID), "decoder.ethernet.pkt_too_small") < 0)
        return -1;
    /* IPv6 cut after 20 of its 40 header bytes. */
    if (frame_build(g, u6, 0, &s8, NULL, 0, &a) < 0)
        return -1;
    g->frame_len = GEN_ETH_HLEN + 20;
    if (send_broken(g, BIT(CTR_ETHERNET) | BIT(CTR_IPV6) | BIT(CTR_INVALID),
                    "decoder.ipv6.pkt_too_small") < 0)
        return -1;
    /* Ethertype 0x1234: counted, and an event in Suricata 8, not invalid. */
    if (frame_build_eth_raw(g, u, 0x1234, pad, sizeof(pad)) < 0 ||
        send_broken(g, BIT(CTR_ETHERNET) | BIT(CTR_UNKNOWN_ETHERTYPE),
                    "decoder.ethernet.unknown_ethertype") < 0)
        return -1;
    /* 802.1Q ethertype followed by 2 of the 4 tag bytes. */
    if (frame_build_eth_raw(g, u, GEN_ETYPE_VLAN, tag2, sizeof(tag2)) < 0)
        return -1;
    return send_broken(g, BIT(CTR_ETHERNET) | BIT(CTR_VLAN) | BIT(CTR_INVALID),
                       "decoder.vlan.header_too_small");
}

static int
scen_malformed(struct gen *g)
{
    struct conv u, t, u6, ok;

    conv_init(g, &u, 4, GEN_PROTO_UDP);
    conv_init(g, &t, 4, GEN_PROTO_TCP);
    conv_init(g, &u6, 6, GEN_PROTO_UDP);
    conv_init(g, &ok, 4, GEN_PROTO_UDP);
    if (malformed_l2(g, &u, &u6) < 0 || malformed_ipv4(g, &u, &t) < 0 ||
        malformed_raw_l4(g, &u, &u6) < 0)
        return -1;
    /* The sensor must keep going after all of that. */
    return send_data(g, &ok, 0, "pcapgen still alive after malformed frames", 0);
}

/* Hop-by-hop: Router Alert (RFC 2711) + two Pad1, 8 bytes.  Only-padding
 * or zero-length PadN would raise their own Suricata events. */
static void
ext_hbh(struct ext6 *e)
{
    static const uint8_t body[6] = {0x05, 0x02, 0x00, 0x00, 0x00, 0x00};

    memset(e, 0, sizeof(*e));
    e->type = GEN_PROTO_HOPOPTS;
    e->body_len = sizeof(body);
    memcpy(e->body, body, sizeof(body));
}

/* Destination options: PadN(2) + Home Address (RFC 6275 6.3, 8n+6
 * aligned), 24 bytes. */
static void
ext_dst(struct gen *g, struct ext6 *e)
{
    memset(e, 0, sizeof(*e));
    e->type = GEN_PROTO_DSTOPTS;
    e->body_len = 22;
    e->body[0] = 0x01; /* PadN, 2 bytes of padding */
    e->body[1] = 0x02;
    e->body[4] = 0xc9; /* Home Address, 16 bytes */
    e->body[5] = 16;
    pick_ip(g, 6, 0, e->body + 6);
}

/* Routing header of type rtype with one address and segments left 1. */
static void
ext_rh(struct gen *g, struct ext6 *e, uint8_t rtype)
{
    memset(e, 0, sizeof(*e));
    e->type = GEN_PROTO_ROUTING;
    e->body_len = 22;
    e->body[0] = rtype;
    e->body[1] = 1;
    pick_ip(g, 6, 1, e->body + 6);
}

static int
scen_ipv6_ext(struct gen *g)
{
    struct conv hbh, rh2, rh0, dst, chain;
    struct ext6 e[3];
    const char *req = "pcapgen request behind extension headers";
    struct l4_spec s = {.data = (const uint8_t *)req, .data_len = (uint32_t)strlen(req)};

    conv_init(g, &hbh, 6, GEN_PROTO_UDP);
    conv_init(g, &rh2, 6, GEN_PROTO_UDP);
    conv_init(g, &rh0, 6, GEN_PROTO_UDP);
    conv_init(g, &dst, 6, GEN_PROTO_UDP);
    conv_init(g, &chain, 6, GEN_PROTO_UDP);
    ext_hbh(&e[0]);
    if (send_pkt_ext(g, &hbh, 0, &s, e, 1, NULL) < 0 ||
        send_data(g, &hbh, 1, "pcapgen reply, no extension headers", 0) < 0)
        return -1;
    ext_rh(g, &e[0], 2);
    if (send_pkt_ext(g, &rh2, 0, &s, e, 1, NULL) < 0 ||
        send_data(g, &rh2, 1, "pcapgen reply, no extension headers", 0) < 0)
        return -1;
    /* Type 0 is deprecated (RFC 5095): one packet, one event. */
    ext_rh(g, &e[0], 0);
    if (send_pkt_ext(g, &rh0, 0, &s, e, 1, "decoder.ipv6.rh_type_0") < 0)
        return -1;
    ext_dst(g, &e[0]);
    if (send_pkt_ext(g, &dst, 0, &s, e, 1, NULL) < 0 ||
        send_data(g, &dst, 1, "pcapgen reply, no extension headers", 0) < 0)
        return -1;
    ext_hbh(&e[0]);
    ext_rh(g, &e[1], 2);
    ext_dst(g, &e[2]);
    if (send_pkt_ext(g, &chain, 0, &s, e, 3, NULL) < 0 ||
        send_pkt_ext(g, &chain, 1, &s, e, 1, NULL) < 0)
        return -1;
    return 0;
}

/* ---- long-flow: interim (active-timeout) reports ---- */

/* Moves the clock to nominal_ms after the start, stretched by
 * GEN_SLOW_PER_MILLE; the next frame then adds its usual seeded step. */
static int
clock_at(struct gen *g, uint64_t nominal_ms)
{
    uint64_t us = GEN_TS_BASE_SEC * 1000000ULL + nominal_ms * (1000 + GEN_SLOW_PER_MILLE);

    if (us < g->ts_us) {
        fprintf(stderr, "pcapgen: clock_at(%" PRIu64 " ms) goes backwards\n", nominal_ms);
        return -1;
    }
    g->ts_us = us;
    return 0;
}

static const char poll_req[] = "GET /poll HTTP/1.1\r\n"
                               "Host: example.com\r\n"
                               "\r\n";
static const char poll_resp[] = "HTTP/1.1 204 No Content\r\n"
                                "\r\n";

#define LONG_TCP_SLOTS 30 /* 10-s slots of the TCP session */

/* One burst of the long TCP session: slot 0 the handshake, slots 1-29 a
 * request and its response, slot 30 FIN, FIN, ACK. */
static int
long_tcp_burst(struct gen *g, struct conv *c, unsigned slot)
{
    const struct l4_spec req = {.flags = GEN_TH_PSH | GEN_TH_ACK,
                                .data = (const uint8_t *)poll_req,
                                .data_len = sizeof(poll_req) - 1};
    const struct l4_spec resp = {.flags = GEN_TH_PSH | GEN_TH_ACK,
                                 .data = (const uint8_t *)poll_resp,
                                 .data_len = sizeof(poll_resp) - 1};
    const struct l4_spec syn = {.flags = GEN_TH_SYN};
    const struct l4_spec synack = {.flags = GEN_TH_SYN | GEN_TH_ACK};
    const struct l4_spec fin = {.flags = GEN_TH_FIN | GEN_TH_ACK};
    const struct l4_spec ack = {.flags = GEN_TH_ACK};
    /* Client, server, client: exact sequence numbers, no stream event. */
    const struct l4_spec *step[3] = {&req, &resp, NULL};
    size_t i;

    if (slot == 0) {
        step[0] = &syn;
        step[1] = &synack;
        step[2] = &ack;
    } else if (slot == LONG_TCP_SLOTS) {
        step[0] = &fin;
        step[1] = &fin;
        step[2] = &ack;
    }
    for (i = 0; i < 3 && step[i] != NULL; i++) {
        if (send_pkt(g, c, (int)(i & 1), step[i]) < 0)
            return -1;
    }
    return 0;
}

/*
 * Nominal schedule (seconds after the start; each frame adds its seeded
 * 0.2-20 ms step):
 *   TCP  x.3 for x = 0, 10, ..., 300: handshake, 29 request/response
 *        pairs, FIN teardown (33 frames to the server, 31 back);
 *   UDP  3.3: one request and its reply, nothing more;
 *   UDP  5.3, 25.3, ..., 205.3: a datagram each way (11 + 11).
 * Every burst stays inside one second.  The clock runs 0.1% slow, so the
 * burst that comes 60 nominal seconds after another is 60.06 s after it:
 * with flow.active-timeout 60, an interim report that was due at a burst
 * (report time + 60 s) comes at the burst 60 nominal seconds later with
 * 60 ms to spare (40 ms after the steps), never on a tie.  With the
 * default active timeout (1800 s) nothing is reported before the end.
 */
static int
scen_long_flow(struct gen *g)
{
    struct conv tcp, brief, udp;
    unsigned slot;

    conv_init(g, &tcp, 4, GEN_PROTO_TCP);
    conv_init(g, &brief, 4, GEN_PROTO_UDP);
    conv_init(g, &udp, 4, GEN_PROTO_UDP);
    for (slot = 0; slot <= LONG_TCP_SLOTS; slot++) {
        uint64_t ms = slot * 10000ULL;

        if (clock_at(g, ms + 300) < 0 || long_tcp_burst(g, &tcp, slot) < 0)
            return -1;
        if (slot == 0 && (clock_at(g, ms + 3300) < 0 ||
                          send_data(g, &brief, 0, "pcapgen short request", 0) < 0 ||
                          send_data(g, &brief, 1, "pcapgen short reply", 0) < 0))
            return -1;
        if (slot % 2 == 0 && slot <= 20 &&
            (clock_at(g, ms + 5300) < 0 ||
             send_data(g, &udp, 0, "pcapgen long-flow datagram", 0) < 0 ||
             send_data(g, &udp, 1, "pcapgen long-flow datagram back", 0) < 0))
            return -1;
    }
    return 0;
}

/* ---- Scenario dns: DNS over UDP ----
 *
 * Queries and responses of every record type the sensor decodes, names
 * compressed (pointers to the question, into names, into RDATA), an
 * IPv6 flow, NXDOMAIN with an SOA authority, a malformed response (an
 * RDLENGTH past the end: no transaction) and a query with the Z bit
 * (an applayer anomaly). The expected `dns` objects below are written
 * out by hand from Suricata 8's rust/src/dns/log.rs rules, not derived
 * from the bytes, and one transaction is one message, numbered per flow.
 */

static const char *const dns_expect[] = {
        /* flow a, tx 0: request www.example.net A */
        "{\"version\":3,\"type\":\"request\",\"tx_id\":0,\"id\":2561,\"flags\":\"100\","
        "\"rd\":true,\"opcode\":0,\"rcode\":\"NOERROR\","
        "\"queries\":[{\"rrname\":\"www.example.net\",\"rrtype\":\"A\"}]}",
        /* flow a, tx 1: response www.example.net A */
        "{\"version\":3,\"type\":\"response\",\"tx_id\":1,\"id\":2561,\"flags\":\"8180\","
        "\"qr\":true,\"rd\":true,\"ra\":true,\"opcode\":0,\"rcode\":\"NOERROR\","
        "\"queries\":[{\"rrname\":\"www.example.net\",\"rrtype\":\"A\"}],"
        "\"answers\":[{\"rrname\":\"www.example.net\",\"rrtype\":\"CNAME\",\"ttl\":300,"
        "\"rdata\":\"web.example.net\"},{\"rrname\":\"web.example.net\",\"rrtype\":\"A\","
        "\"ttl\":60,\"rdata\":\"198.51.100.7\"},{\"rrname\":\"web.example.net\","
        "\"rrtype\":\"A\",\"ttl\":60,\"rdata\":\"198.51.100.8\"}],"
        "\"grouped\":{\"CNAME\":[\"web.example.net\"],\"A\":[\"198.51.100.7\","
        "\"198.51.100.8\"]}}",
        /* flow a, tx 2: request example.net MX */
        "{\"version\":3,\"type\":\"request\",\"tx_id\":2,\"id\":2562,\"flags\":\"100\","
        "\"rd\":true,\"opcode\":0,\"rcode\":\"NOERROR\","
        "\"queries\":[{\"rrname\":\"example.net\",\"rrtype\":\"MX\"}]}",
        /* flow a, tx 3: response example.net MX */
        "{\"version\":3,\"type\":\"response\",\"tx_id\":3,\"id\":2562,\"flags\":\"8180\","
        "\"qr\":true,\"rd\":true,\"ra\":true,\"opcode\":0,\"rcode\":\"NOERROR\","
        "\"queries\":[{\"rrname\":\"example.net\",\"rrtype\":\"MX\"}],"
        "\"answers\":[{\"rrname\":\"example.net\",\"rrtype\":\"MX\",\"ttl\":3600,"
        "\"rdata\":\"mx1.example.net\"},{\"rrname\":\"example.net\",\"rrtype\":\"MX\","
        "\"ttl\":3600,\"rdata\":\"mx2.example.net\"}],"
        "\"grouped\":{\"MX\":[\"mx1.example.net\",\"mx2.example.net\"]},"
        "\"additionals\":[{\"rrname\":\"mx1.example.net\",\"rrtype\":\"A\",\"ttl\":3600,"
        "\"rdata\":\"198.51.100.25\"}]}",
        /* flow a, tx 4: request example.net TXT */
        "{\"version\":3,\"type\":\"request\",\"tx_id\":4,\"id\":2563,\"flags\":\"100\","
        "\"rd\":true,\"opcode\":0,\"rcode\":\"NOERROR\","
        "\"queries\":[{\"rrname\":\"example.net\",\"rrtype\":\"TXT\"}]}",
        /* flow a, tx 5: response example.net TXT */
        "{\"version\":3,\"type\":\"response\",\"tx_id\":5,\"id\":2563,\"flags\":\"8180\","
        "\"qr\":true,\"rd\":true,\"ra\":true,\"opcode\":0,\"rcode\":\"NOERROR\","
        "\"queries\":[{\"rrname\":\"example.net\",\"rrtype\":\"TXT\"}],"
        "\"answers\":[{\"rrname\":\"example.net\",\"rrtype\":\"TXT\",\"ttl\":300,"
        "\"rdata\":\"v=spf1 -all\"},{\"rrname\":\"example.net\",\"rrtype\":\"TXT\","
        "\"ttl\":300,\"rdata\":\"second string\"}],\"grouped\":{\"TXT\":[\"v=spf1 -all\","
        "\"second string\"]}}",
        /* flow a, tx 6: request _xmpp._tcp.example.net SRV */
        "{\"version\":3,\"type\":\"request\",\"tx_id\":6,\"id\":2564,\"flags\":\"100\","
        "\"rd\":true,\"opcode\":0,\"rcode\":\"NOERROR\","
        "\"queries\":[{\"rrname\":\"_xmpp._tcp.example.net\",\"rrtype\":\"SRV\"}]}",
        /* flow a, tx 7: response _xmpp._tcp.example.net SRV */
        "{\"version\":3,\"type\":\"response\",\"tx_id\":7,\"id\":2564,\"flags\":\"8180\","
        "\"qr\":true,\"rd\":true,\"ra\":true,\"opcode\":0,\"rcode\":\"NOERROR\","
        "\"queries\":[{\"rrname\":\"_xmpp._tcp.example.net\",\"rrtype\":\"SRV\"}],"
        "\"answers\":[{\"rrname\":\"_xmpp._tcp.example.net\",\"rrtype\":\"SRV\",\"ttl\":600,"
        "\"srv\":{\"priority\":5,\"weight\":0,\"port\":5269,\"name\":\"xmpp.example.net\"}}],"
        "\"grouped\":{\"SRV\":[{\"priority\":5,\"weight\":0,\"port\":5269,"
        "\"name\":\"xmpp.example.net\"}]}}",
        /* flow a, tx 8: request host.example.net SSHFP */
        "{\"version\":3,\"type\":\"request\",\"tx_id\":8,\"id\":2565,\"flags\":\"100\","
        "\"rd\":true,\"opcode\":0,\"rcode\":\"NOERROR\","
        "\"queries\":[{\"rrname\":\"host.example.net\",\"rrtype\":\"SSHFP\"}]}",
        /* flow a, tx 9: response host.example.net SSHFP */
        "{\"version\":3,\"type\":\"response\",\"tx_id\":9,\"id\":2565,\"flags\":\"8180\","
        "\"qr\":true,\"rd\":true,\"ra\":true,\"opcode\":0,\"rcode\":\"NOERROR\","
        "\"queries\":[{\"rrname\":\"host.example.net\",\"rrtype\":\"SSHFP\"}],"
        "\"answers\":[{\"rrname\":\"host.example.net\",\"rrtype\":\"SSHFP\",\"ttl\":600,"
        "\"sshfp\":{\"fingerprint\":\"a0:a1:a2:a3:a4:a5:a6:a7:a8:a9:aa:ab:ac:ad:ae:af:b0:b1:b2:b3:"
        "b4:b5:b6:b7:b8:b9:ba:bb:bc:bd:be:bf\","
        "\"algo\":4,\"type\":2}}],"
        "\"grouped\":{\"SSHFP\":[{\"fingerprint\":\"a0:a1:a2:a3:a4:a5:a6:a7:a8:a9:aa:ab:ac:ad:ae:"
        "af:b0:b1:b2:b3:b4:b5:b6:b7:b8:b9:ba:bb:bc:bd:be:bf\","
        "\"algo\":4,\"type\":2}]}}",
        /* flow a, tx 10: request 7.100.51.198.in-addr.arpa PTR */
        "{\"version\":3,\"type\":\"request\",\"tx_id\":10,\"id\":2566,\"flags\":\"100\","
        "\"rd\":true,\"opcode\":0,\"rcode\":\"NOERROR\","
        "\"queries\":[{\"rrname\":\"7.100.51.198.in-addr.arpa\",\"rrtype\":\"PTR\"}]}",
        /* flow a, tx 11: response 7.100.51.198.in-addr.arpa PTR */
        "{\"version\":3,\"type\":\"response\",\"tx_id\":11,\"id\":2566,\"flags\":\"8180\","
        "\"qr\":true,\"rd\":true,\"ra\":true,\"opcode\":0,\"rcode\":\"NOERROR\","
        "\"queries\":[{\"rrname\":\"7.100.51.198.in-addr.arpa\",\"rrtype\":\"PTR\"}],"
        "\"answers\":[{\"rrname\":\"7.100.51.198.in-addr.arpa\",\"rrtype\":\"PTR\","
        "\"ttl\":86400,\"rdata\":\"web.example.net\"}],"
        "\"grouped\":{\"PTR\":[\"web.example.net\"]}}",
        /* flow a, tx 12: request example.net NS */
        "{\"version\":3,\"type\":\"request\",\"tx_id\":12,\"id\":2567,\"flags\":\"100\","
        "\"rd\":true,\"opcode\":0,\"rcode\":\"NOERROR\","
        "\"queries\":[{\"rrname\":\"example.net\",\"rrtype\":\"NS\"}]}",
        /* flow a, tx 13: response example.net NS */
        "{\"version\":3,\"type\":\"response\",\"tx_id\":13,\"id\":2567,\"flags\":\"8580\","
        "\"qr\":true,\"aa\":true,\"rd\":true,\"ra\":true,\"opcode\":0,\"rcode\":\"NOERROR\","
        "\"queries\":[{\"rrname\":\"example.net\",\"rrtype\":\"NS\"}],"
        "\"answers\":[{\"rrname\":\"example.net\",\"rrtype\":\"NS\",\"ttl\":86400,"
        "\"rdata\":\"ns1.example.net\"},{\"rrname\":\"example.net\",\"rrtype\":\"NS\","
        "\"ttl\":86400,\"rdata\":\"ns2.example.net\"}],"
        "\"grouped\":{\"NS\":[\"ns1.example.net\",\"ns2.example.net\"]}}",
        /* flow a, tx 14: request www.example.net HTTPS */
        "{\"version\":3,\"type\":\"request\",\"tx_id\":14,\"id\":2568,\"flags\":\"100\","
        "\"rd\":true,\"opcode\":0,\"rcode\":\"NOERROR\","
        "\"queries\":[{\"rrname\":\"www.example.net\",\"rrtype\":\"HTTPS\"}]}",
        /* flow a, tx 15: response www.example.net HTTPS */
        "{\"version\":3,\"type\":\"response\",\"tx_id\":15,\"id\":2568,\"flags\":\"8180\","
        "\"qr\":true,\"rd\":true,\"ra\":true,\"opcode\":0,\"rcode\":\"NOERROR\","
        "\"queries\":[{\"rrname\":\"www.example.net\",\"rrtype\":\"HTTPS\"}],"
        "\"answers\":[{\"rrname\":\"www.example.net\",\"rrtype\":\"HTTPS\",\"ttl\":300}],"
        "\"grouped\":{}}",
        /* flow a, tx 16: request null.example.net NULL */
        "{\"version\":3,\"type\":\"request\",\"tx_id\":16,\"id\":2569,\"flags\":\"100\","
        "\"rd\":true,\"opcode\":0,\"rcode\":\"NOERROR\","
        "\"queries\":[{\"rrname\":\"null.example.net\",\"rrtype\":\"NULL\"}]}",
        /* flow a, tx 17: response null.example.net NULL */
        "{\"version\":3,\"type\":\"response\",\"tx_id\":17,\"id\":2569,\"flags\":\"8180\","
        "\"qr\":true,\"rd\":true,\"ra\":true,\"opcode\":0,\"rcode\":\"NOERROR\","
        "\"queries\":[{\"rrname\":\"null.example.net\",\"rrtype\":\"NULL\"}],"
        "\"answers\":[{\"rrname\":\"null.example.net\",\"rrtype\":\"NULL\",\"ttl\":0,"
        "\"rdata\":\"hello\"}],\"grouped\":{\"NULL\":[\"hello\"]}}",
        /* flow a, tx 18: request private.example.net 65280 */
        "{\"version\":3,\"type\":\"request\",\"tx_id\":18,\"id\":2570,\"flags\":\"100\","
        "\"rd\":true,\"opcode\":0,\"rcode\":\"NOERROR\","
        "\"queries\":[{\"rrname\":\"private.example.net\",\"rrtype\":\"65280\"}]}",
        /* flow a, tx 19: response private.example.net 65280 */
        "{\"version\":3,\"type\":\"response\",\"tx_id\":19,\"id\":2570,\"flags\":\"8180\","
        "\"qr\":true,\"rd\":true,\"ra\":true,\"opcode\":0,\"rcode\":\"NOERROR\","
        "\"queries\":[{\"rrname\":\"private.example.net\",\"rrtype\":\"65280\"}],"
        "\"answers\":[{\"rrname\":\"private.example.net\",\"rrtype\":\"65280\",\"ttl\":30}],"
        "\"grouped\":{}}",
        /* flow b, tx 0: request www.example.net AAAA */
        "{\"version\":3,\"type\":\"request\",\"tx_id\":0,\"id\":2817,\"flags\":\"100\","
        "\"rd\":true,\"opcode\":0,\"rcode\":\"NOERROR\","
        "\"queries\":[{\"rrname\":\"www.example.net\",\"rrtype\":\"AAAA\"}]}",
        /* flow b, tx 1: response www.example.net AAAA */
        "{\"version\":3,\"type\":\"response\",\"tx_id\":1,\"id\":2817,\"flags\":\"8180\","
        "\"qr\":true,\"rd\":true,\"ra\":true,\"opcode\":0,\"rcode\":\"NOERROR\","
        "\"queries\":[{\"rrname\":\"www.example.net\",\"rrtype\":\"AAAA\"}],"
        "\"answers\":[{\"rrname\":\"www.example.net\",\"rrtype\":\"AAAA\",\"ttl\":300,"
        "\"rdata\":\"2001:0db8:0000:0000:0000:0000:0000:0007\"}],"
        "\"grouped\":{\"AAAA\":[\"2001:0db8:0000:0000:0000:0000:0000:0007\"]}}",
        /* flow c, tx 0: request nxdomain.example.net A */
        "{\"version\":3,\"type\":\"request\",\"tx_id\":0,\"id\":3073,\"flags\":\"100\","
        "\"rd\":true,\"opcode\":0,\"rcode\":\"NOERROR\","
        "\"queries\":[{\"rrname\":\"nxdomain.example.net\",\"rrtype\":\"A\"}]}",
        /* flow c, tx 1: response nxdomain.example.net A */
        "{\"version\":3,\"type\":\"response\",\"tx_id\":1,\"id\":3073,\"flags\":\"8183\","
        "\"qr\":true,\"rd\":true,\"ra\":true,\"opcode\":0,\"rcode\":\"NXDOMAIN\","
        "\"queries\":[{\"rrname\":\"nxdomain.example.net\",\"rrtype\":\"A\"}],"
        "\"authorities\":[{\"rrname\":\"example.net\",\"rrtype\":\"SOA\",\"ttl\":900,"
        "\"soa\":{\"mname\":\"ns1.example.net\",\"rname\":\"hostmaster.example.net\","
        "\"serial\":2024060101,\"refresh\":7200,\"retry\":900,\"expire\":1209600,"
        "\"minimum\":300}}]}",
        /* flow d, tx 0: request malformed.example.net A */
        "{\"version\":3,\"type\":\"request\",\"tx_id\":0,\"id\":3329,\"flags\":\"100\","
        "\"rd\":true,\"opcode\":0,\"rcode\":\"NOERROR\","
        "\"queries\":[{\"rrname\":\"malformed.example.net\",\"rrtype\":\"A\"}]}",
        /* flow d, tx 1: request zbit.example.net A */
        "{\"version\":3,\"type\":\"request\",\"tx_id\":1,\"id\":3330,\"flags\":\"140\","
        "\"rd\":true,\"z\":true,\"opcode\":0,\"rcode\":\"NOERROR\","
        "\"queries\":[{\"rrname\":\"zbit.example.net\",\"rrtype\":\"A\"}]}",
};

/* A DNS message under construction; overflow (never expected) is sticky. */
struct dnsw {
    uint8_t b[512];
    size_t n;
    size_t rd; /* offset of the open record's RDATA */
    bool over;
};

static void
dw_u8(struct dnsw *w, unsigned v)
{
    if (w->n >= sizeof(w->b)) {
        w->over = true;
        return;
    }
    w->b[w->n++] = (uint8_t)v;
}

static void
dw_u16(struct dnsw *w, unsigned v)
{
    dw_u8(w, (v >> 8) & 0xff);
    dw_u8(w, v & 0xff);
}

static void
dw_u32(struct dnsw *w, uint32_t v)
{
    dw_u16(w, v >> 16);
    dw_u16(w, v & 0xffff);
}

static void
dw_bytes(struct dnsw *w, const void *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        dw_u8(w, ((const uint8_t *)p)[i]);
}

static void
dw_hdr(struct dnsw *w, unsigned id, unsigned flags, unsigned qd, unsigned an, unsigned ns,
       unsigned ar)
{
    memset(w, 0, sizeof(*w));
    dw_u16(w, id);
    dw_u16(w, flags);
    dw_u16(w, qd);
    dw_u16(w, an);
    dw_u16(w, ns);
    dw_u16(w, ar);
}

/* Labels of a dotted name, then a pointer to ptr (or the root if ptr is 0).
 * Returns the offset of the name. */
static size_t
dw_name(struct dnsw *w, const char *dotted, unsigned ptr)
{
    size_t at = w->n;

    while (*dotted != '\0') {
        const char *dot = strchr(dotted, '.');
        size_t l = dot != NULL ? (size_t)(dot - dotted) : strlen(dotted);
        dw_u8(w, (unsigned)l);
        dw_bytes(w, dotted, l);
        dotted += l + (dot != NULL ? 1 : 0);
    }
    if (ptr != 0)
        dw_u16(w, 0xc000u | ptr);
    else
        dw_u8(w, 0);
    return at;
}

static void
dw_question(struct dnsw *w, const char *qname, unsigned type)
{
    dw_name(w, qname, 0);
    dw_u16(w, type);
    dw_u16(w, 1);
}

/* Opens a record owned by a pointer to owner; dw_rr_end() closes it. */
static void
dw_rr(struct dnsw *w, unsigned owner, unsigned type, uint32_t ttl)
{
    dw_u16(w, 0xc000u | owner);
    dw_u16(w, type);
    dw_u16(w, 1);
    dw_u32(w, ttl);
    dw_u16(w, 0);
    w->rd = w->n;
}

static void
dw_rr_end(struct dnsw *w)
{
    size_t len = w->n - w->rd;

    if (w->rd < 2 || w->over)
        return;
    w->b[w->rd - 2] = (uint8_t)(len >> 8);
    w->b[w->rd - 1] = (uint8_t)len;
}

/* Sends the message from side dir; expect: its `dns` object, or NULL. */
static int
send_dns(struct gen *g, struct conv *c, int dir, const struct dnsw *w, const char *expect)
{
    struct l4_spec s = {.data = w->b, .data_len = (uint32_t)w->n};

    if (w->over)
        return -1;
    if (expect != NULL) {
        if (g->ex.ndns == GEN_MAX_DNS)
            return -1;
        g->ex.dns[g->ex.ndns++] = expect;
        g->ex.dns_tx++;
    }
    return send_pkt(g, c, dir, &s);
}

/* A query for qname/type and its response, built by fill (answers and
 * more after the question at offset 12), with header counts an/ns/ar. */
static int
dns_exchange(struct gen *g, struct conv *c, unsigned id, const char *qname, unsigned type,
             unsigned rflags, unsigned an, unsigned ns, unsigned ar, void (*fill)(struct dnsw *w),
             size_t *next)
{
    struct dnsw w;

    dw_hdr(&w, id, 0x0100, 1, 0, 0, 0);
    dw_question(&w, qname, type);
    if (send_dns(g, c, 0, &w, dns_expect[(*next)++]) < 0)
        return -1;
    dw_hdr(&w, id, rflags, 1, an, ns, ar);
    dw_question(&w, qname, type);
    fill(&w);
    return send_dns(g, c, 1, &w, dns_expect[(*next)++]);
}

/* www.example.net (12, example.net at 16): CNAME web, two A by a pointer
 * into the CNAME's RDATA. */
static void
dns_fill_a(struct dnsw *w)
{
    size_t web;

    dw_rr(w, 12, 5, 300);
    web = dw_name(w, "web", 16);
    dw_rr_end(w);
    dw_rr(w, (unsigned)web, 1, 60);
    dw_bytes(w, "\xc6\x33\x64\x07", 4);
    dw_rr_end(w);
    dw_rr(w, (unsigned)web, 1, 60);
    dw_bytes(w, "\xc6\x33\x64\x08", 4);
    dw_rr_end(w);
}

/* example.net (12): MX 10 mx1, MX 20 mx2; additional A of mx1. */
static void
dns_fill_mx(struct dnsw *w)
{
    size_t mx1;

    dw_rr(w, 12, 15, 3600);
    dw_u16(w, 10);
    mx1 = dw_name(w, "mx1", 12);
    dw_rr_end(w);
    dw_rr(w, 12, 15, 3600);
    dw_u16(w, 20);
    dw_name(w, "mx2", 12);
    dw_rr_end(w);
    dw_rr(w, (unsigned)mx1, 1, 3600);
    dw_bytes(w, "\xc6\x33\x64\x19", 4);
    dw_rr_end(w);
}

static void
dns_fill_txt(struct dnsw *w)
{
    dw_rr(w, 12, 16, 300);
    dw_bytes(w, "\x0bv=spf1 -all\x0dsecond string", 26);
    dw_rr_end(w);
}

/* _xmpp._tcp.example.net (12, example.net at 23). */
static void
dns_fill_srv(struct dnsw *w)
{
    dw_rr(w, 12, 33, 600);
    dw_u16(w, 5);
    dw_u16(w, 0);
    dw_u16(w, 5269);
    dw_name(w, "xmpp", 23);
    dw_rr_end(w);
}

static void
dns_fill_sshfp(struct dnsw *w)
{
    unsigned i;

    dw_rr(w, 12, 44, 600);
    dw_u8(w, 4);
    dw_u8(w, 2);
    for (i = 0; i < 32; i++)
        dw_u8(w, 0xa0 + i);
    dw_rr_end(w);
}

/* A PTR target written out in full, no pointer. */
static void
dns_fill_ptr(struct dnsw *w)
{
    dw_rr(w, 12, 12, 86400);
    dw_name(w, "web.example.net", 0);
    dw_rr_end(w);
}

static void
dns_fill_ns(struct dnsw *w)
{
    dw_rr(w, 12, 2, 86400);
    dw_name(w, "ns1", 12);
    dw_rr_end(w);
    dw_rr(w, 12, 2, 86400);
    dw_name(w, "ns2", 12);
    dw_rr_end(w);
}

/* HTTPS 1 . alpn=h2 (RFC 9460): logged without its RDATA. */
static void
dns_fill_https(struct dnsw *w)
{
    dw_rr(w, 12, 65, 300);
    dw_bytes(w, "\x00\x01\x00\x00\x01\x00\x03\x02h2", 10);
    dw_rr_end(w);
}

static void
dns_fill_null(struct dnsw *w)
{
    dw_rr(w, 12, 10, 0);
    dw_bytes(w, "hello", 5);
    dw_rr_end(w);
}

/* Type 65280 (private use): logged by number, without its RDATA. */
static void
dns_fill_private(struct dnsw *w)
{
    dw_rr(w, 12, 65280, 30);
    dw_bytes(w, "\x01\x02\x03", 3);
    dw_rr_end(w);
}

static void
dns_fill_aaaa(struct dnsw *w)
{
    dw_rr(w, 12, 28, 300);
    dw_bytes(w, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x07", 16);
    dw_rr_end(w);
}

/* nxdomain.example.net (12, example.net at 21): the zone's SOA. */
static void
dns_fill_soa(struct dnsw *w)
{
    dw_rr(w, 21, 6, 900);
    dw_name(w, "ns1", 21);
    dw_name(w, "hostmaster", 21);
    dw_u32(w, 2024060101u);
    dw_u32(w, 7200);
    dw_u32(w, 900);
    dw_u32(w, 1209600);
    dw_u32(w, 300);
    dw_rr_end(w);
}

static int
scen_dns(struct gen *g)
{
    static const struct {
        unsigned id;
        const char *qname;
        unsigned type, rflags, an, ns, ar;
        void (*fill)(struct dnsw *w);
    } ex_a[] = {
            {0x0a01, "www.example.net", 1, 0x8180, 3, 0, 0, dns_fill_a},
            {0x0a02, "example.net", 15, 0x8180, 2, 0, 1, dns_fill_mx},
            {0x0a03, "example.net", 16, 0x8180, 1, 0, 0, dns_fill_txt},
            {0x0a04, "_xmpp._tcp.example.net", 33, 0x8180, 1, 0, 0, dns_fill_srv},
            {0x0a05, "host.example.net", 44, 0x8180, 1, 0, 0, dns_fill_sshfp},
            {0x0a06, "7.100.51.198.in-addr.arpa", 12, 0x8180, 1, 0, 0, dns_fill_ptr},
            {0x0a07, "example.net", 2, 0x8580, 2, 0, 0, dns_fill_ns},
            {0x0a08, "www.example.net", 65, 0x8180, 1, 0, 0, dns_fill_https},
            {0x0a09, "null.example.net", 10, 0x8180, 1, 0, 0, dns_fill_null},
            {0x0a0a, "private.example.net", 65280, 0x8180, 1, 0, 0, dns_fill_private},
    };
    struct conv a, b, nx, bad;
    struct dnsw w;
    size_t next = 0, i;

    conv_init(g, &a, 4, GEN_PROTO_UDP);
    conv_init(g, &b, 6, GEN_PROTO_UDP);
    conv_init(g, &nx, 4, GEN_PROTO_UDP);
    conv_init(g, &bad, 4, GEN_PROTO_UDP);
    a.port[1] = b.port[1] = nx.port[1] = bad.port[1] = 53;
    g->ex.dns_flows = 4;
    for (i = 0; i < sizeof(ex_a) / sizeof(ex_a[0]); i++) {
        if (dns_exchange(g, &a, ex_a[i].id, ex_a[i].qname, ex_a[i].type, ex_a[i].rflags, ex_a[i].an,
                         ex_a[i].ns, ex_a[i].ar, ex_a[i].fill, &next) < 0)
            return -1;
    }
    if (dns_exchange(g, &b, 0x0b01, "www.example.net", 28, 0x8180, 1, 0, 0, dns_fill_aaaa, &next) <
                0 ||
        dns_exchange(g, &nx, 0x0c01, "nxdomain.example.net", 1, 0x8183, 0, 1, 0, dns_fill_soa,
                     &next) < 0)
        return -1;
    /* A query, then a response whose only answer claims 4 RDATA bytes and
     * has 2: malformed, no transaction, nothing logged. */
    dw_hdr(&w, 0x0d01, 0x0100, 1, 0, 0, 0);
    dw_question(&w, "malformed.example.net", 1);
    if (send_dns(g, &bad, 0, &w, dns_expect[next++]) < 0)
        return -1;
    dw_hdr(&w, 0x0d01, 0x8180, 1, 1, 0, 0);
    dw_question(&w, "malformed.example.net", 1);
    dw_rr(&w, 12, 1, 60);
    dw_bytes(&w, "\xc6\x33", 2);
    dw_rr_end(&w);
    w.b[w.rd - 1] = 4;
    if (send_dns(g, &bad, 1, &w, NULL) < 0)
        return -1;
    /* The Z bit on a query: logged, and an applayer anomaly. */
    dw_hdr(&w, 0x0d02, 0x0140, 1, 0, 0, 0);
    dw_question(&w, "zbit.example.net", 1);
    if (send_dns(g, &bad, 0, &w, dns_expect[next++]) < 0 ||
        expect_event_add(&g->ex, "z_flag_set") < 0)
        return -1;
    return next == sizeof(dns_expect) / sizeof(dns_expect[0]) ? 0 : -1;
}

/* ---- Scenario app-id: TLS, SSH, QUIC and NTP for protocol identification ----
 *
 * A TLS 1.3 handshake on 443 (ClientHello with SNI, ServerHello, then
 * records that stand for the encrypted rest), an SSH-2 session start on 22
 * (banners and KEXINIT both ways), a QUIC version 1 Initial exchange on
 * UDP 443 over IPv6 (RFC 9000 17.2.2: protected as RFC 9001 5 says, so a
 * dissector can remove the protection and read the ClientHello, SNI
 * included), and an NTPv4 client/server exchange on UDP 123.  The flows
 * expect the app_proto Suricata names them by, and the SNI where a TLS or
 * QUIC ClientHello carries one.
 */

/* A byte writer with length-prefixed blocks (TLS vectors, SSH packets). */
struct bw {
    uint8_t b[1400];
    size_t n;
    size_t open[8]; /* offset of each open block's length field */
    uint8_t width[8];
    int depth;
    bool over;
};

static void
bw_u8(struct bw *w, unsigned v)
{
    if (w->n >= sizeof(w->b)) {
        w->over = true;
        return;
    }
    w->b[w->n++] = (uint8_t)v;
}

static void
bw_u16(struct bw *w, unsigned v)
{
    bw_u8(w, (v >> 8) & 0xff);
    bw_u8(w, v & 0xff);
}

static void
bw_u32(struct bw *w, uint32_t v)
{
    bw_u16(w, v >> 16);
    bw_u16(w, v & 0xffff);
}

static void
bw_put(struct bw *w, const void *p, size_t n)
{
    if (n == 0)
        return;
    if (n > sizeof(w->b) - w->n) {
        w->over = true;
        return;
    }
    memcpy(w->b + w->n, p, n);
    w->n += n;
}

static void
bw_str(struct bw *w, const char *s)
{
    bw_put(w, s, strlen(s));
}

static void
bw_rand(struct bw *w, struct rng *r, size_t n)
{
    while (n-- > 0)
        bw_u8(w, (unsigned)rng_next(r) & 0xff);
}

/* Opens a block whose length (of `width` bytes, big endian) is patched in
 * by bw_end. */
static void
bw_begin(struct bw *w, uint8_t width)
{
    if (w->depth == 8) {
        w->over = true;
        return;
    }
    w->open[w->depth] = w->n;
    w->width[w->depth++] = width;
    while (width-- > 0)
        bw_u8(w, 0);
}

static void
bw_end(struct bw *w)
{
    size_t at, len;
    uint8_t k;

    if (w->depth == 0 || w->over) {
        w->over = true;
        return;
    }
    w->depth--;
    at = w->open[w->depth];
    len = w->n - at - w->width[w->depth];
    for (k = w->width[w->depth]; k > 0; k--) {
        w->b[at + k - 1] = (uint8_t)len;
        len >>= 8;
    }
}

/* One TLS extension: type, then its body as a block. */
static void
bw_ext(struct bw *w, unsigned type)
{
    bw_u16(w, type);
    bw_begin(w, 2);
}

/*
 * A TLS 1.3 ClientHello handshake message (RFC 8446 4.1.2) for server
 * name sni; quic adds the transport parameters (RFC 9001 8.2) and offers
 * only TLS 1.3 suites and ALPN h3.
 */
static void
tls_client_hello(struct bw *w, struct rng *r, const char *sni, bool quic)
{
    static const uint8_t suites[] = {0x13, 0x01, 0x13, 0x02, 0x13, 0x03, 0xc0, 0x2b, 0xc0,
                                     0x2f, 0xc0, 0x2c, 0xc0, 0x30, 0xcc, 0xa9, 0xcc, 0xa8};

    bw_u8(w, 1); /* client_hello */
    bw_begin(w, 3);
    bw_u16(w, 0x0303);
    bw_rand(w, r, 32);
    if (quic) {
        bw_u8(w, 0); /* no legacy session id over QUIC */
    } else {
        bw_u8(w, 32);
        bw_rand(w, r, 32);
    }
    bw_begin(w, 2);
    bw_put(w, suites, quic ? 6 : sizeof(suites));
    bw_end(w);
    bw_u8(w, 1); /* compression methods: null */
    bw_u8(w, 0);
    bw_begin(w, 2); /* extensions */
    bw_ext(w, 0x0000); /* server_name (RFC 6066 3) */
    bw_begin(w, 2);
    bw_u8(w, 0); /* host_name */
    bw_begin(w, 2);
    bw_str(w, sni);
    bw_end(w);
    bw_end(w);
    bw_end(w);
    bw_ext(w, 0x000a); /* supported_groups: x25519, secp256r1 */
    bw_begin(w, 2);
    bw_u16(w, 0x001d);
    bw_u16(w, 0x0017);
    bw_end(w);
    bw_end(w);
    bw_ext(w, 0x000d); /* signature_algorithms */
    bw_begin(w, 2);
    bw_u16(w, 0x0403);
    bw_u16(w, 0x0804);
    bw_u16(w, 0x0401);
    bw_end(w);
    bw_end(w);
    bw_ext(w, 0x0010); /* ALPN */
    bw_begin(w, 2);
    bw_begin(w, 1);
    bw_str(w, quic ? "h3" : "h2");
    bw_end(w);
    if (!quic) {
        bw_begin(w, 1);
        bw_str(w, "http/1.1");
        bw_end(w);
    }
    bw_end(w);
    bw_end(w);
    bw_ext(w, 0x002b); /* supported_versions: TLS 1.3 (and 1.2 over TCP) */
    bw_begin(w, 1);
    bw_u16(w, 0x0304);
    if (!quic)
        bw_u16(w, 0x0303);
    bw_end(w);
    bw_end(w);
    bw_ext(w, 0x002d); /* psk_key_exchange_modes: psk_dhe_ke */
    bw_u8(w, 1);
    bw_u8(w, 1);
    bw_end(w);
    bw_ext(w, 0x0033); /* key_share: one x25519 share */
    bw_begin(w, 2);
    bw_u16(w, 0x001d);
    bw_begin(w, 2);
    bw_rand(w, r, 32);
    bw_end(w);
    bw_end(w);
    bw_end(w);
    if (quic) {
        bw_ext(w, 0x0039); /* quic_transport_parameters (RFC 9000 18.2) */
        bw_u8(w, 0x04);    /* initial_max_data = 1048576 */
        bw_u8(w, 4);
        bw_u32(w, 0x80100000);
        bw_u8(w, 0x08); /* initial_max_streams_bidi = 100 */
        bw_u8(w, 2);
        bw_u16(w, 0x4064);
        bw_u8(w, 0x01); /* max_idle_timeout = 30000 ms */
        bw_u8(w, 4);
        bw_u32(w, 0x80007530);
        bw_end(w);
    }
    bw_end(w); /* extensions */
    bw_end(w); /* handshake body */
}

/* A TLS 1.3 ServerHello (RFC 8446 4.1.3) echoing session id sid. */
static void
tls_server_hello(struct bw *w, struct rng *r, const uint8_t *sid, size_t sid_len)
{
    bw_u8(w, 2); /* server_hello */
    bw_begin(w, 3);
    bw_u16(w, 0x0303);
    bw_rand(w, r, 32);
    bw_u8(w, (unsigned)sid_len);
    bw_put(w, sid, sid_len);
    bw_u16(w, 0x1301);
    bw_u8(w, 0);
    bw_begin(w, 2);
    bw_ext(w, 0x002b);
    bw_u16(w, 0x0304);
    bw_end(w);
    bw_ext(w, 0x0033);
    bw_u16(w, 0x001d);
    bw_begin(w, 2);
    bw_rand(w, r, 32);
    bw_end(w);
    bw_end(w);
    bw_end(w);
    bw_end(w);
}

/* One TLS record of content type ct around the bytes in `body`. */
static void
tls_record(struct bw *w, unsigned ct, const uint8_t *body, size_t len)
{
    bw_u8(w, ct);
    bw_u16(w, ct == 22 ? 0x0301 : 0x0303);
    bw_begin(w, 2);
    bw_put(w, body, len);
    bw_end(w);
}

/* A TLS record of content type ct with n random bytes (encrypted records). */
static void
tls_record_rand(struct bw *w, struct rng *r, unsigned ct, size_t n)
{
    bw_u8(w, ct);
    bw_u16(w, 0x0303);
    bw_begin(w, 2);
    bw_rand(w, r, n);
    bw_end(w);
}

static int
send_bw(struct gen *g, struct conv *c, int dir, const struct bw *w)
{
    struct l4_spec s = {.data = w->b, .data_len = (uint32_t)w->n};

    if (w->over || w->depth != 0) {
        fprintf(stderr, "pcapgen: app-id message does not fit\n");
        return -1;
    }
    if (c->proto == GEN_PROTO_TCP)
        s.flags = GEN_TH_PSH | GEN_TH_ACK;
    return send_pkt(g, c, dir, &s);
}

static int
tcp_step(struct gen *g, struct conv *c, int dir, uint8_t flags)
{
    struct l4_spec s = {.flags = flags};

    return send_pkt(g, c, dir, &s);
}

/* Marks the flow of conv c with what the sensor must say about it. */
static int
expect_app(struct gen *g, const struct conv *c, const char *app_proto, const char *extra)
{
    struct flow_key k;
    size_t i;

    key_from_conv(c, 0, &k);
    for (i = 0; i < g->ex.nflows; i++) {
        if (key_dir(&g->ex.flows[i].key, &k) == 0) {
            g->ex.flows[i].has_app = true;
            g->ex.flows[i].app_proto = app_proto;
            g->ex.flows[i].app_extra = extra;
            return 0;
        }
    }
    fprintf(stderr, "pcapgen: app-id flow not found\n");
    return -1;
}

static int
scen_tls(struct gen *g, struct conv *c)
{
    struct bw hs, w;
    uint8_t sid[32];

    c->port[1] = 443;
    if (tcp_step(g, c, 0, GEN_TH_SYN) < 0 || tcp_step(g, c, 1, GEN_TH_SYN | GEN_TH_ACK) < 0 ||
        tcp_step(g, c, 0, GEN_TH_ACK) < 0)
        return -1;
    memset(&hs, 0, sizeof(hs));
    tls_client_hello(&hs, &g->rng, "www.example.org", false);
    memcpy(sid, hs.b + 4 + 2 + 32 + 1, sizeof(sid));
    memset(&w, 0, sizeof(w));
    tls_record(&w, 22, hs.b, hs.n);
    if (hs.over || send_bw(g, c, 0, &w) < 0 || tcp_step(g, c, 1, GEN_TH_ACK) < 0)
        return -1;
    /* ServerHello, change_cipher_spec, then the encrypted extensions,
     * certificate, verify and finished in application_data records. */
    memset(&hs, 0, sizeof(hs));
    tls_server_hello(&hs, &g->rng, sid, sizeof(sid));
    memset(&w, 0, sizeof(w));
    tls_record(&w, 22, hs.b, hs.n);
    tls_record(&w, 20, (const uint8_t *)"\x01", 1);
    tls_record_rand(&w, &g->rng, 23, 1020);
    if (hs.over || send_bw(g, c, 1, &w) < 0)
        return -1;
    memset(&w, 0, sizeof(w));
    tls_record(&w, 20, (const uint8_t *)"\x01", 1);
    tls_record_rand(&w, &g->rng, 23, 53);
    if (send_bw(g, c, 0, &w) < 0)
        return -1;
    memset(&w, 0, sizeof(w));
    tls_record_rand(&w, &g->rng, 23, 120);
    if (send_bw(g, c, 0, &w) < 0)
        return -1;
    memset(&w, 0, sizeof(w));
    tls_record_rand(&w, &g->rng, 23, 640);
    if (send_bw(g, c, 1, &w) < 0 || tcp_step(g, c, 0, GEN_TH_ACK) < 0 ||
        tcp_step(g, c, 0, GEN_TH_FIN | GEN_TH_ACK) < 0 ||
        tcp_step(g, c, 1, GEN_TH_FIN | GEN_TH_ACK) < 0 || tcp_step(g, c, 0, GEN_TH_ACK) < 0)
        return -1;
    return expect_app(g, c, "tls", "\"tls\": {\"sni\": \"www.example.org\"}");
}

/* An SSH binary packet (RFC 4253 6) holding KEXINIT (RFC 4253 7.1). */
static void
ssh_kexinit(struct bw *w, struct rng *r, bool server)
{
    static const char *const lists[10] = {
            "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256",
            "ssh-ed25519,rsa-sha2-512,rsa-sha2-256",
            "chacha20-poly1305@openssh.com,aes128-ctr,aes256-gcm@openssh.com",
            "chacha20-poly1305@openssh.com,aes128-ctr,aes256-gcm@openssh.com",
            "umac-64-etm@openssh.com,hmac-sha2-256-etm@openssh.com",
            "umac-64-etm@openssh.com,hmac-sha2-256-etm@openssh.com",
            "none,zlib@openssh.com",
            "none,zlib@openssh.com",
            "",
            ""};
    size_t start, body, pad;
    unsigned i;

    start = w->n;
    bw_begin(w, 4);
    bw_u8(w, 0); /* padding length, patched below */
    body = w->n;
    bw_u8(w, 20); /* SSH_MSG_KEXINIT */
    bw_rand(w, r, 16);
    for (i = 0; i < 10; i++) {
        bw_begin(w, 4);
        bw_str(w, lists[i]);
        if (i == 0)
            bw_str(w, server ? ",kex-strict-s-v00@openssh.com" : ",ext-info-c");
        bw_end(w);
    }
    bw_u8(w, 0);  /* first_kex_packet_follows */
    bw_u32(w, 0); /* reserved */
    /* 4 to 11 bytes of padding make length + padding a multiple of 8. */
    pad = 8 - ((w->n - start) % 8);
    if (pad < 4)
        pad += 8;
    bw_rand(w, r, pad);
    if (!w->over)
        w->b[body - 1] = (uint8_t)pad;
    bw_end(w);
}

static int
scen_ssh(struct gen *g, struct conv *c)
{
    struct bw w;

    c->port[1] = 22;
    if (tcp_step(g, c, 0, GEN_TH_SYN) < 0 || tcp_step(g, c, 1, GEN_TH_SYN | GEN_TH_ACK) < 0 ||
        tcp_step(g, c, 0, GEN_TH_ACK) < 0 ||
        send_data(g, c, 1, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n", 0) < 0 ||
        send_data(g, c, 0, "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", 0) < 0)
        return -1;
    memset(&w, 0, sizeof(w));
    ssh_kexinit(&w, &g->rng, true);
    if (send_bw(g, c, 1, &w) < 0)
        return -1;
    memset(&w, 0, sizeof(w));
    ssh_kexinit(&w, &g->rng, false);
    if (send_bw(g, c, 0, &w) < 0 || tcp_step(g, c, 1, GEN_TH_ACK) < 0 ||
        tcp_step(g, c, 0, GEN_TH_FIN | GEN_TH_ACK) < 0 ||
        tcp_step(g, c, 1, GEN_TH_FIN | GEN_TH_ACK) < 0 || tcp_step(g, c, 0, GEN_TH_ACK) < 0)
        return -1;
    return expect_app(g, c, "ssh", NULL);
}

/* ---- QUIC Initial packet protection (RFC 9001 5.2-5.4) over libgcrypt ---- */

static int
hmac_sha256(const uint8_t *key, size_t klen, const uint8_t *msg, size_t mlen, uint8_t out[32])
{
    gcry_md_hd_t h;

    if (gcry_md_open(&h, GCRY_MD_SHA256, GCRY_MD_FLAG_HMAC) != 0)
        return -1;
    if (gcry_md_setkey(h, key, klen) != 0) {
        gcry_md_close(h);
        return -1;
    }
    gcry_md_write(h, msg, mlen);
    memcpy(out, gcry_md_read(h, GCRY_MD_SHA256), 32);
    gcry_md_close(h);
    return 0;
}

/* HKDF-Expand-Label (RFC 8446 7.1) with an empty context, len <= 32. */
static int
hkdf_expand_label(const uint8_t secret[32], const char *label, uint8_t *out, size_t len)
{
    uint8_t info[64], t[32];
    size_t n = 0, l = strlen(label);

    if (len > 32 || l > 40)
        return -1;
    info[n++] = 0;
    info[n++] = (uint8_t)len;
    info[n++] = (uint8_t)(6 + l);
    memcpy(info + n, "tls13 ", 6);
    n += 6;
    memcpy(info + n, label, l);
    n += l;
    info[n++] = 0;    /* context length */
    info[n++] = 0x01; /* T(1) */
    if (hmac_sha256(secret, 32, info, n, t) < 0)
        return -1;
    memcpy(out, t, len);
    return 0;
}

struct quic_keys {
    uint8_t key[16], iv[12], hp[16];
};

/* The Initial keys of one side ("client in" / "server in") for the
 * client's first destination connection id (RFC 9001 5.2). */
static int
quic_initial_keys(const uint8_t *dcid, size_t dcid_len, const char *side, struct quic_keys *k)
{
    static const uint8_t salt[20] = {0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
                                     0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a};
    uint8_t initial[32], secret[32];

    if (hmac_sha256(salt, sizeof(salt), dcid, dcid_len, initial) < 0 ||
        hkdf_expand_label(initial, side, secret, 32) < 0 ||
        hkdf_expand_label(secret, "quic key", k->key, 16) < 0 ||
        hkdf_expand_label(secret, "quic iv", k->iv, 12) < 0 ||
        hkdf_expand_label(secret, "quic hp", k->hp, 16) < 0)
        return -1;
    return 0;
}

/* RFC 9001 A.1: the client keys of connection id 8394c8f03e515708. */
static int
quic_keys_selftest(void)
{
    static const uint8_t dcid[8] = {0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08};
    static const uint8_t key[16] = {0x1f, 0x36, 0x96, 0x13, 0xdd, 0x76, 0xd5, 0x46,
                                    0x77, 0x30, 0xef, 0xcb, 0xe3, 0xb1, 0xa2, 0x2d};
    static const uint8_t iv[12] = {0xfa, 0x04, 0x4b, 0x2f, 0x42, 0xa3,
                                   0xfd, 0x3b, 0x46, 0xfb, 0x25, 0x5c};
    static const uint8_t hp[16] = {0x9f, 0x50, 0x44, 0x9e, 0x04, 0xa0, 0xe8, 0x10,
                                   0x28, 0x3a, 0x1e, 0x99, 0x33, 0xad, 0xed, 0xd2};
    struct quic_keys k;

    if (gcry_check_version(NULL) == NULL) {
        fprintf(stderr, "pcapgen: libgcrypt does not initialise\n");
        return -1;
    }
    if (quic_initial_keys(dcid, sizeof(dcid), "client in", &k) < 0 ||
        memcmp(k.key, key, 16) != 0 || memcmp(k.iv, iv, 12) != 0 || memcmp(k.hp, hp, 16) != 0) {
        fprintf(stderr, "pcapgen: QUIC key derivation does not match RFC 9001 A.1\n");
        return -1;
    }
    return 0;
}

/*
 * Protects a long-header packet in place: pkt[0..hdr_len) is the header
 * up to and including a 4-byte packet number pn, pkt[hdr_len..hdr_len+len)
 * the plaintext; 16 bytes of room after it take the AEAD tag.
 */
static int
quic_protect(const struct quic_keys *k, uint8_t *pkt, size_t hdr_len, size_t len, uint32_t pn)
{
    gcry_cipher_hd_t h;
    uint8_t nonce[12], mask[16];
    size_t i;
    int rc = -1;

    memcpy(nonce, k->iv, 12);
    for (i = 0; i < 4; i++)
        nonce[11 - i] ^= (uint8_t)(pn >> (8 * i));
    if (gcry_cipher_open(&h, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_GCM, 0) != 0)
        return -1;
    if (gcry_cipher_setkey(h, k->key, 16) == 0 && gcry_cipher_setiv(h, nonce, 12) == 0 &&
        gcry_cipher_authenticate(h, pkt, hdr_len) == 0 &&
        gcry_cipher_encrypt(h, pkt + hdr_len, len, NULL, 0) == 0 &&
        gcry_cipher_gettag(h, pkt + hdr_len + len, 16) == 0)
        rc = 0;
    gcry_cipher_close(h);
    if (rc < 0 || len + 16 < 20)
        return -1;
    /* Header protection: the sample starts 4 bytes after the packet number's start. */
    if (gcry_cipher_open(&h, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_ECB, 0) != 0)
        return -1;
    rc = gcry_cipher_setkey(h, k->hp, 16) == 0 &&
                         gcry_cipher_encrypt(h, mask, 16, pkt + hdr_len, 16) == 0
                 ? 0
                 : -1;
    gcry_cipher_close(h);
    if (rc < 0)
        return -1;
    pkt[0] ^= mask[0] & 0x0f;
    for (i = 0; i < 4; i++)
        pkt[hdr_len - 4 + i] ^= mask[1 + i];
    return 0;
}

/*
 * One Initial packet (RFC 9000 17.2.2) with packet number pn carrying
 * frames[0..flen) (padded with PADDING frames to `size` bytes when size
 * is not 0), into w.
 */
static int
quic_initial(struct bw *w, const struct quic_keys *k, const uint8_t *dcid, const uint8_t *scid,
             uint32_t pn, const uint8_t *frames, size_t flen, size_t size)
{
    size_t hdr_len, plen;

    memset(w, 0, sizeof(*w));
    bw_u8(w, 0xc3); /* long header, Initial, 4-byte packet number */
    bw_u32(w, 1);   /* QUIC version 1 */
    bw_u8(w, 8);
    bw_put(w, dcid, 8);
    bw_u8(w, 8);
    bw_put(w, scid, 8);
    bw_u8(w, 0); /* no token */
    hdr_len = w->n + 2 + 4;
    plen = flen;
    if (size > hdr_len + 16 + flen)
        plen = size - hdr_len - 16;
    if (hdr_len + plen + 16 > sizeof(w->b) || 4 + plen + 16 > 0x3fff)
        return -1;
    bw_u16(w, 0x4000 | (unsigned)(4 + plen + 16)); /* Length: 2-byte varint */
    bw_u32(w, pn);
    bw_put(w, frames, flen);
    while (w->n < hdr_len + plen)
        bw_u8(w, 0); /* PADDING */
    w->n += 16;
    if (w->over)
        return -1;
    return quic_protect(k, w->b, hdr_len, plen, pn);
}

/* A CRYPTO frame (RFC 9000 19.6) at offset 0 holding the handshake message hs. */
static void
quic_crypto_frame(struct bw *f, const struct bw *hs)
{
    bw_u8(f, 0x06);
    bw_u8(f, 0); /* offset */
    bw_u16(f, 0x4000 | (unsigned)hs->n);
    bw_put(f, hs->b, hs->n);
}

static int
scen_quic(struct gen *g, struct conv *c)
{
    struct quic_keys ck, sk;
    uint8_t dcid[8], scid[8], srv[8];
    struct bw hs, fr, w;
    unsigned i;

    c->port[1] = 443;
    for (i = 0; i < 8; i++) {
        dcid[i] = (uint8_t)rng_next(&g->rng);
        scid[i] = (uint8_t)rng_next(&g->rng);
        srv[i] = (uint8_t)rng_next(&g->rng);
    }
    if (quic_keys_selftest() < 0 || quic_initial_keys(dcid, 8, "client in", &ck) < 0 ||
        quic_initial_keys(dcid, 8, "server in", &sk) < 0)
        return -1;
    /* Client Initial: the ClientHello, padded to 1200 bytes (RFC 9000 14.1). */
    memset(&hs, 0, sizeof(hs));
    tls_client_hello(&hs, &g->rng, "quic.example.org", true);
    memset(&fr, 0, sizeof(fr));
    quic_crypto_frame(&fr, &hs);
    if (hs.over || fr.over || quic_initial(&w, &ck, dcid, scid, 0, fr.b, fr.n, 1200) < 0 ||
        send_bw(g, c, 0, &w) < 0)
        return -1;
    /* Server Initial: ACK of packet 0, then the ServerHello. */
    memset(&hs, 0, sizeof(hs));
    tls_server_hello(&hs, &g->rng, NULL, 0);
    memset(&fr, 0, sizeof(fr));
    bw_u8(&fr, 0x02); /* ACK: largest 0, delay 0, no ranges, first range 0 */
    bw_u8(&fr, 0);
    bw_u8(&fr, 0);
    bw_u8(&fr, 0);
    bw_u8(&fr, 0);
    quic_crypto_frame(&fr, &hs);
    if (hs.over || fr.over || quic_initial(&w, &sk, scid, srv, 0, fr.b, fr.n, 0) < 0 ||
        send_bw(g, c, 1, &w) < 0)
        return -1;
    return expect_app(g, c, "quic", "\"quic\": {\"sni\": \"quic.example.org\"}");
}

/* NTPv4 (RFC 5905 7.3): a client request (mode 3) and the server's reply (mode 4). */
static int
scen_ntp(struct gen *g, struct conv *c)
{
    struct bw w;
    unsigned i;

    c->port[0] = 123;
    c->port[1] = 123;
    memset(&w, 0, sizeof(w));
    bw_u8(&w, 0x23); /* LI 0, version 4, mode 3 */
    bw_u8(&w, 0);
    bw_u8(&w, 6);
    bw_u8(&w, 0xe9);
    for (i = 0; i < 9; i++)
        bw_u32(&w, 0); /* root delay, dispersion, reference id and timestamps */
    bw_u32(&w, 0xe8f0a1b2); /* transmit timestamp */
    bw_rand(&w, &g->rng, 4);
    if (send_bw(g, c, 0, &w) < 0)
        return -1;
    memset(&w, 0, sizeof(w));
    bw_u8(&w, 0x24); /* LI 0, version 4, mode 4 */
    bw_u8(&w, 2);    /* stratum */
    bw_u8(&w, 6);
    bw_u8(&w, 0xe9);
    bw_u32(&w, 0x00000b2e);
    bw_u32(&w, 0x00000d5f);
    bw_put(&w, "\xc0\x00\x02\x7b", 4); /* reference id: 192.0.2.123 */
    bw_u32(&w, 0xe8f0a0c4);
    bw_rand(&w, &g->rng, 4);
    bw_u32(&w, 0xe8f0a1b2); /* origin = the client's transmit time */
    bw_rand(&w, &g->rng, 4);
    bw_u32(&w, 0xe8f0a1b2);
    bw_rand(&w, &g->rng, 4);
    bw_u32(&w, 0xe8f0a1b2);
    bw_rand(&w, &g->rng, 4);
    if (send_bw(g, c, 1, &w) < 0)
        return -1;
    return expect_app(g, c, "ntp", NULL);
}

static int
scen_app_id(struct gen *g)
{
    struct conv tls, ssh, quic, ntp;

    conv_init(g, &tls, 4, GEN_PROTO_TCP);
    conv_init(g, &ssh, 4, GEN_PROTO_TCP);
    conv_init(g, &quic, 6, GEN_PROTO_UDP);
    conv_init(g, &ntp, 4, GEN_PROTO_UDP);
    if (scen_tls(g, &tls) < 0 || scen_ssh(g, &ssh) < 0 || scen_quic(g, &quic) < 0 ||
        scen_ntp(g, &ntp) < 0)
        return -1;
    return 0;
}

static const struct scenario scenarios[] = {
        {"tcp-basic", "IPv4 and IPv6 TCP sessions: handshake, HTTP request/response, FIN teardown",
         scen_tcp_basic},
        {"udp-icmp", "UDP request/response on two ports, ICMPv4 and ICMPv6 echo, one-way UDP",
         scen_udp_icmp},
        {"vlan", "TCP in 802.1Q VLAN 6; UDP in QinQ 88a8:1/8100:10 and 9100:100/8100:200",
         scen_vlan},
        {"frag-ipv4", "IPv4 fragments: in order, out of order, overlapping, incomplete",
         scen_frag_ipv4},
        {"frag-ipv6", "IPv6 fragments: in order, out of order, overlapping, incomplete",
         scen_frag_ipv6},
        {"malformed", "one broken frame per decoder anomaly, then one valid UDP packet",
         scen_malformed},
        {"ipv6-ext",
         "IPv6 UDP behind hop-by-hop, routing (type 2, one type 0), destination options",
         scen_ipv6_ext},
        {"long-flow",
         "IPv4 TCP polled every 10 s for 300 s, UDP every 20 s for 200 s, one short UDP pair",
         scen_long_flow},
        {"dns", "DNS over UDP: every decoded record type, compression, NXDOMAIN, malformed, Z bit",
         scen_dns},
        {"app-id", "TLS, SSH on TCP, QUIC (IPv6) and NTP on UDP: protocol identification",
         scen_app_id},
};

#define N_SCENARIOS (sizeof(scenarios) / sizeof(scenarios[0]))

/* ---- Expectation output ---- */

static const char *
proto_name(uint8_t proto)
{
    switch (proto) {
    case GEN_PROTO_TCP:
        return "TCP";
    case GEN_PROTO_UDP:
        return "UDP";
    case GEN_PROTO_ICMP:
        return "ICMP";
    default:
        return "IPv6-ICMP";
    }
}

/* Writes s as a JSON string; the names we write are plain ASCII, but
 * escape anyway. */
static void
json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s != '\0'; s++) {
        unsigned char ch = (unsigned char)*s;

        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(f, "\\u%04x", ch);
        else
            fputc(ch, f);
    }
    fputc('"', f);
}

static int
json_flow(FILE *f, const struct xflow *x)
{
    const struct flow_key *k = &x->key;
    int af = k->af == 4 ? AF_INET : AF_INET6;
    char src[INET6_ADDRSTRLEN];
    char dst[INET6_ADDRSTRLEN];
    bool icmp = k->proto == GEN_PROTO_ICMP || k->proto == GEN_PROTO_ICMPV6;
    uint8_t i;

    if (inet_ntop(af, k->src, src, sizeof(src)) == NULL ||
        inet_ntop(af, k->dst, dst, sizeof(dst)) == NULL)
        return -1;
    fprintf(f, "    {\"proto\": \"%s\", \"src_ip\": \"%s\", ", proto_name(k->proto), src);
    if (!icmp)
        fprintf(f, "\"src_port\": %u, ", k->sp);
    fprintf(f, "\"dest_ip\": \"%s\", ", dst);
    if (!icmp)
        fprintf(f, "\"dest_port\": %u, ", k->dp);
    if (k->nvlan > 0) {
        fputs("\"vlan\": [", f);
        for (i = 0; i < k->nvlan; i++)
            fprintf(f, "%s%u", i ? ", " : "", k->vlan[i]);
        fputs("], ", f);
    }
    fprintf(f,
            "\"pkts_toserver\": %" PRIu64 ", \"pkts_toclient\": %" PRIu64
            ", \"bytes_toserver\": %" PRIu64 ", \"bytes_toclient\": %" PRIu64,
            x->pkts[0], x->pkts[1], x->bytes[0], x->bytes[1]);
    if (x->has_app) {
        fputs(", \"app_proto\": ", f);
        if (x->app_proto != NULL)
            json_str(f, x->app_proto);
        else
            fputs("null", f);
    }
    if (x->app_extra != NULL)
        fprintf(f, ", %s", x->app_extra);
    fputc('}', f);
    return 0;
}

static int
expect_write(const struct expect *ex, const char *path, const char *scenario, uint64_t seed)
{
    FILE *f = fopen(path, "w");
    size_t i;
    int rc = 0;

    if (f == NULL) {
        fprintf(stderr, "pcapgen: %s: %s\n", path, strerror(errno));
        return -1;
    }
    fputs("{\n  \"scenario\": ", f);
    json_str(f, scenario);
    fprintf(f, ",\n  \"seed\": %" PRIu64 ",\n  \"flows\": [", seed);
    for (i = 0; i < ex->nflows && rc == 0; i++) {
        fputs(i ? ",\n" : "\n", f);
        rc = json_flow(f, &ex->flows[i]);
    }
    fputs(ex->nflows ? "\n  ],\n  \"anomalies\": {" : "],\n  \"anomalies\": {", f);
    for (i = 0; i < ex->nevents; i++) {
        fputs(i ? ",\n    " : "\n    ", f);
        json_str(f, ex->events[i].name);
        fprintf(f, ": %" PRIu32, ex->events[i].count);
    }
    fputs(ex->nevents ? "\n  },\n  \"stats\": {" : "},\n  \"stats\": {", f);
    for (i = 0; i < CTR_COUNT; i++) {
        fputs(i ? ",\n    " : "\n    ", f);
        json_str(f, ctr_names[i]);
        fprintf(f, ": %" PRIu64, ex->ctr[i]);
    }
    /* Only the dns scenario has these (the others' files stay as they were). */
    if (ex->dns_flows > 0)
        fprintf(f,
                ",\n    \"app_layer.flow.dns_udp\": %" PRIu64
                ",\n    \"app_layer.tx.dns_udp\": %" PRIu64,
                ex->dns_flows, ex->dns_tx);
    fputs("\n  }", f);
    for (i = 0; i < ex->ndns; i++)
        fprintf(f, "%s%s", i ? ",\n    " : ",\n  \"dns\": [\n    ", ex->dns[i]);
    fputs(ex->ndns ? "\n  ]\n}\n" : "\n}\n", f);
    if (fclose(f) != 0 || rc != 0) {
        fprintf(stderr, "pcapgen: writing %s failed\n", path);
        return -1;
    }
    return 0;
}

/* ---- Main ---- */

static void
usage(FILE *f)
{
    fputs("usage: pcapgen --seed N --scenario NAME -o OUT.pcap --expect OUT.expect.json\n"
          "       pcapgen --list\n",
          f);
}

static const struct scenario *
scenario_find(const char *name)
{
    size_t i;

    for (i = 0; i < N_SCENARIOS; i++) {
        if (strcmp(scenarios[i].name, name) == 0)
            return &scenarios[i];
    }
    return NULL;
}

static int
parse_seed(const char *s, uint64_t *out)
{
    char *end = NULL;
    unsigned long long v;

    if (s[0] < '0' || s[0] > '9')
        return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0')
        return -1;
    *out = v;
    return 0;
}

struct opts {
    uint64_t seed;
    bool have_seed;
    bool list;
    const char *scenario;
    const char *out;
    const char *expect;
};

static int
parse_args(int argc, char **argv, struct opts *o)
{
    int i;

    memset(o, 0, sizeof(*o));
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (strcmp(a, "--list") == 0) {
            o->list = true;
            continue;
        }
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
            return 1;
        if (v == NULL) {
            fprintf(stderr, "pcapgen: %s needs a value\n", a);
            return -1;
        }
        i++;
        if (strcmp(a, "--seed") == 0) {
            if (parse_seed(v, &o->seed) < 0) {
                fprintf(stderr, "pcapgen: bad seed '%s'\n", v);
                return -1;
            }
            o->have_seed = true;
        } else if (strcmp(a, "--scenario") == 0) {
            o->scenario = v;
        } else if (strcmp(a, "-o") == 0) {
            o->out = v;
        } else if (strcmp(a, "--expect") == 0) {
            o->expect = v;
        } else {
            fprintf(stderr, "pcapgen: unknown option '%s'\n", a);
            return -1;
        }
    }
    if (!o->list && (!o->have_seed || o->scenario == NULL || o->out == NULL || o->expect == NULL))
        return -1;
    return 0;
}

static int
gen_open(struct gen *g, const struct opts *o)
{
    char errbuf[LIBNET_ERRBUF_SIZE];

    g->rng.state = o->seed ^ fnv1a64(o->scenario);
    g->ts_us = GEN_TS_BASE_SEC * 1000000ULL;
    g->ln = libnet_init(LIBNET_LINK_ADV, NULL, errbuf);
    if (g->ln == NULL) {
        fprintf(stderr, "pcapgen: libnet_init: %s\n", errbuf);
        return -1;
    }
    g->pd = pcap_open_dead(DLT_EN10MB, GEN_SNAPLEN);
    if (g->pd == NULL) {
        fprintf(stderr, "pcapgen: pcap_open_dead failed\n");
        return -1;
    }
    g->dump = pcap_dump_open(g->pd, o->out);
    if (g->dump == NULL) {
        fprintf(stderr, "pcapgen: %s\n", pcap_geterr(g->pd)); /* names the file */
        return -1;
    }
    return 0;
}

static void
gen_close(struct gen *g)
{
    if (g->dump != NULL)
        pcap_dump_close(g->dump);
    if (g->pd != NULL)
        pcap_close(g->pd);
    if (g->ln != NULL)
        libnet_destroy(g->ln);
    g->dump = NULL;
    g->pd = NULL;
    g->ln = NULL;
}

int
main(int argc, char **argv)
{
    const struct scenario *sc;
    struct opts o;
    struct gen *g;
    int rc;
    size_t i;

    rc = parse_args(argc, argv, &o);
    if (rc != 0) {
        usage(rc > 0 ? stdout : stderr);
        return rc > 0 ? 0 : 2;
    }
    if (o.list) {
        for (i = 0; i < N_SCENARIOS; i++)
            printf("%s\t%s\n", scenarios[i].name, scenarios[i].desc);
        return 0;
    }
    sc = scenario_find(o.scenario);
    if (sc == NULL) {
        fprintf(stderr, "pcapgen: unknown scenario '%s' (see --list)\n", o.scenario);
        return 2;
    }
    g = calloc(1, sizeof(*g));
    if (g == NULL) {
        fprintf(stderr, "pcapgen: out of memory\n");
        return 1;
    }
    rc = gen_open(g, &o);
    if (rc == 0)
        rc = sc->run(g);
    gen_close(g);
    if (rc == 0)
        rc = expect_write(&g->ex, o.expect, sc->name, o.seed);
    free(g);
    if (rc != 0) {
        remove(o.out);
        remove(o.expect);
        return 1;
    }
    return 0;
}
