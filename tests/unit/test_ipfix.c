/*
 * test_ipfix.c - unit tests for the NetFlow v9 / IPFIX exporter
 * (sensor/ipfix_*.c).
 *
 * The exporter is driven through ipfix_exporter_init() with a capture
 * transport, so every datagram it would send lands in struct cap; a small
 * collector (col_*) below re-parses them independently of the encoder:
 * header, set lengths, padding, templates, data records, sequence numbers.
 * Encodings are also checked byte for byte against hand-built messages.
 * One test goes through a real UDP socket bound on 127.0.0.1.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../sensor/ipfix_ie.c"
#include "../../sensor/ipfix_msg.c"
#include "../../sensor/ipfix_tmpl.c"
#include "../../sensor/ipfix_session.c"
#include "../../sensor/ipfix_export.c"
#include "../../sensor/ipfix_cfg.c"

/* 2023-11-14T22:13:20.123Z etc. */
#define T_START 1700000000123ull
#define T_END   1700000001456ull
#define T_NOW   1700000002000ull

/* ---- capture transport ---------------------------------------------------- */

#define CAP_MAX_DG  512
#define CAP_DG_LEN  IPFIX_MSG_MAX

struct cap {
    size_t n;
    size_t len[CAP_MAX_DG];
    uint8_t *dg[CAP_MAX_DG];
    int fail; /* fail this many sends before succeeding again */
};

static int
cap_send(void *ctx, const uint8_t *buf, size_t len)
{
    struct cap *c = ctx;

    if (c->fail > 0) {
        c->fail--;
        return NIDS_EIO;
    }
    assert_true(c->n < CAP_MAX_DG);
    assert_true(len <= CAP_DG_LEN);
    c->dg[c->n] = malloc(len);
    assert_non_null(c->dg[c->n]);
    memcpy(c->dg[c->n], buf, len);
    c->len[c->n++] = len;
    return 0;
}

/* An exporter on the capture transport. */
struct tx {
    struct ipfix_exporter x;
    struct cap cap;
    uint64_t sent, errors;
    uint8_t buf[IPFIX_MSG_MAX];
};

static struct ipfix_collector_cfg
cfg_make(uint8_t version)
{
    struct ipfix_collector_cfg c;

    memset(&c, 0, sizeof(c));
    snprintf(c.host, sizeof(c.host), "127.0.0.1");
    c.port = 4739;
    c.version = version;
    c.template_refresh_s = 600;
    c.template_refresh_pkts = 20;
    c.observation_domain = 7;
    c.mtu = 1500;
    return c;
}

static struct tx *
tx_create(const struct ipfix_collector_cfg *cfg)
{
    struct tx *t = calloc(1, sizeof(*t));

    assert_non_null(t);
    assert_int_equal(ipfix_exporter_init(&t->x, cfg, t->buf, cap_send, &t->cap, &t->sent,
                                         &t->errors),
                     0);
    return t;
}

static void
tx_destroy(struct tx *t)
{
    size_t i;

    for (i = 0; i < t->cap.n; i++)
        free(t->cap.dg[i]);
    free(t);
}

/* The flow of the byte-for-byte tests: 10.0.0.1:40000 -> 10.0.0.2:80 TCP. */
static struct ipfix_flow_rec
rec_v4(void)
{
    struct ipfix_flow_rec r;

    memset(&r, 0, sizeof(r));
    r.ip_ver = 4;
    r.proto = 6;
    memcpy(r.src, "\x0a\x00\x00\x01", 4);
    memcpy(r.dst, "\x0a\x00\x00\x02", 4);
    r.sp = 40000;
    r.dp = 80;
    r.pkts[0] = 5;
    r.bytes[0] = 400;
    r.start_ms = T_START;
    r.end_ms = T_END;
    r.tcp_flags[0] = 0x02;
    r.tos = 0x10;
    r.vlan_id = 100;
    r.end_reason = IPFIX_END_OF_FLOW;
    return r;
}

/* 2001:db8::1 -> 2001:db8::2 UDP 5353 -> 53, answered. */
static struct ipfix_flow_rec
rec_v6(void)
{
    struct ipfix_flow_rec r;

    memset(&r, 0, sizeof(r));
    r.ip_ver = 6;
    r.proto = 17;
    assert_int_equal(inet_pton(AF_INET6, "2001:db8::1", r.src), 1);
    assert_int_equal(inet_pton(AF_INET6, "2001:db8::2", r.dst), 1);
    r.sp = 5353;
    r.dp = 53;
    r.pkts[0] = 1;
    r.bytes[0] = 70;
    r.pkts[1] = 2;
    r.bytes[1] = 300;
    r.start_ms = T_START;
    r.end_ms = T_END;
    r.end_reason = IPFIX_END_IDLE_TIMEOUT;
    return r;
}

/* Flow number i of the bulk tests: varied version, protocol, counters. */
static struct ipfix_flow_rec
rec_nth(unsigned i)
{
    struct ipfix_flow_rec r = i % 3 == 0 ? rec_v6() : rec_v4();

    r.proto = i % 5 == 0 ? (r.ip_ver == 6 ? 58 : 1) : r.proto;
    r.src[3] = (uint8_t)i;
    r.src[2] = (uint8_t)(i >> 8);
    r.sp = (uint16_t)(1024 + i);
    r.dp = r.proto == 1 || r.proto == 58 ? 0x0800 : 80;
    if (r.proto == 1 || r.proto == 58)
        r.sp = 0;
    r.pkts[0] = 1 + i;
    r.bytes[0] = 100 + i * 7;
    r.pkts[1] = i % 2 ? i : 0;
    r.bytes[1] = i % 2 ? 1000 + i : 0;
    r.start_ms = T_START + i;
    r.end_ms = T_END + 2 * i;
    r.tcp_flags[0] = (uint8_t)i;
    r.tcp_flags[1] = (uint8_t)(i >> 1);
    r.vlan_id = (uint16_t)(i % 4095);
    if (i % 4 == 1)
        snprintf(r.app_name, sizeof(r.app_name), "app%u", i);
    return r;
}

/* ---- a small independent collector ---------------------------------------- */

#define COL_MAX_FIELDS 32
#define COL_MAX_RECS   1024

struct col_field {
    uint16_t id, len;
    uint32_t pen;
};

struct col_tmpl {
    bool known;
    uint16_t n;
    struct col_field f[COL_MAX_FIELDS];
};

struct col_rec {
    uint16_t tmpl;
    uint8_t src[16], dst[16];
    uint16_t sp, dp, icmp, vlan;
    uint8_t proto, ipver, tos, flags, rflags, reason;
    uint64_t bytes, pkts, rbytes, rpkts, start, end;
    char app[64];
};

struct col {
    uint8_t version;
    struct col_tmpl t[2]; /* ids 256, 257 */
    size_t n;
    struct col_rec r[COL_MAX_RECS];
    unsigned msgs;         /* messages parsed */
    unsigned tmpl_msgs;    /* ... of which carried templates */
    uint64_t data_recs;    /* data records parsed */
    uint32_t seq[CAP_MAX_DG];
    uint32_t export_time[CAP_MAX_DG];
    uint32_t uptime[CAP_MAX_DG];
    bool has_tmpl[CAP_MAX_DG];
};

static uint64_t
col_be(const uint8_t *p, size_t n)
{
    uint64_t v = 0;

    while (n-- > 0)
        v = v << 8 | *p++;
    return v;
}

static size_t
col_tmpl_parse(struct col *c, const uint8_t *p, size_t n)
{
    size_t off = 0, k = 0;

    while (n - off >= 4) {
        uint16_t id = (uint16_t)col_be(p + off, 2), cnt = (uint16_t)col_be(p + off + 2, 2), i;
        struct col_tmpl *t;
        off += 4;
        assert_true(id == 256 || id == 257);
        assert_true(cnt > 0 && cnt <= COL_MAX_FIELDS);
        t = &c->t[id - 256];
        memset(t, 0, sizeof(*t));
        for (i = 0; i < cnt; i++) {
            assert_true(n - off >= 4);
            t->f[i].id = (uint16_t)col_be(p + off, 2);
            t->f[i].len = (uint16_t)col_be(p + off + 2, 2);
            off += 4;
            if (t->f[i].id & 0x8000) {
                assert_int_equal(c->version, 10); /* no enterprise fields in v9 */
                assert_true(n - off >= 4);
                t->f[i].id &= 0x7fff;
                t->f[i].pen = (uint32_t)col_be(p + off, 4);
                off += 4;
            }
            /* v9 has no variable-length fields */
            assert_true(c->version == 10 || t->f[i].len != IPFIX_VARLEN);
        }
        t->n = cnt;
        t->known = true;
        k++;
    }
    assert_int_equal(off, n); /* template sets are not padded by this exporter */
    return k;
}

static void
col_field_store(struct col_rec *r, const struct col_field *f, const uint8_t *v, size_t len,
                uint8_t ipver)
{
    uint64_t x = len <= 8 ? col_be(v, len) : 0;

    if (f->pen == IPFIX_PEN_REVERSE) {
        switch (f->id) {
        case 1: r->rbytes = x; break;
        case 2: r->rpkts = x; break;
        case 6: r->rflags = (uint8_t)x; break;
        default: fail_msg("unexpected reverse element %u", f->id);
        }
        return;
    }
    assert_int_equal(f->pen, 0);
    switch (f->id) {
    case 8: case 27: assert_int_equal(len, ipver == 6 ? 16 : 4); memcpy(r->src, v, len); break;
    case 12: case 28: assert_int_equal(len, ipver == 6 ? 16 : 4); memcpy(r->dst, v, len); break;
    case 7: r->sp = (uint16_t)x; break;
    case 11: r->dp = (uint16_t)x; break;
    case 32: case 139: r->icmp = (uint16_t)x; break;
    case 4: r->proto = (uint8_t)x; break;
    case 60: r->ipver = (uint8_t)x; break;
    case 5: r->tos = (uint8_t)x; break;
    case 6: r->flags = (uint8_t)x; break;
    case 1: r->bytes = x; break;
    case 2: r->pkts = x; break;
    case 152: r->start = x; break;
    case 153: r->end = x; break;
    case 136: r->reason = (uint8_t)x; break;
    case 58: r->vlan = (uint16_t)x; break;
    case 96:
        assert_true(len < sizeof(r->app));
        memcpy(r->app, v, len);
        r->app[len] = '\0';
        break;
    default: fail_msg("unexpected element %u", f->id);
    }
}

/* Parse the data records of set `id` (p, n: the set body). Returns the count. */
static size_t
col_data_parse(struct col *c, uint16_t id, const uint8_t *p, size_t n)
{
    const struct col_tmpl *t;
    size_t off = 0, k = 0, min = 0, i;

    assert_true(id == 256 || id == 257);
    t = &c->t[id - 256];
    assert_true(t->known); /* templates always precede their data */
    for (i = 0; i < t->n; i++)
        min += t->f[i].len == IPFIX_VARLEN ? 1 : t->f[i].len;
    while (n - off >= min && n - off > 0) {
        struct col_rec *r;
        assert_true(c->n < COL_MAX_RECS);
        r = &c->r[c->n++];
        memset(r, 0, sizeof(*r));
        r->tmpl = id;
        for (i = 0; i < t->n; i++) {
            size_t len = t->f[i].len;
            if (len == IPFIX_VARLEN) {
                assert_true(n - off >= 1);
                len = p[off++];
                assert_true(len < 255);
            }
            assert_true(n - off >= len);
            col_field_store(r, &t->f[i], p + off, len, id == 257 ? 6 : 4);
            off += len;
        }
        k++;
    }
    /* what is left is v9 padding: fewer than 4 zero bytes */
    assert_true(n - off < 4);
    assert_true(c->version == 9 || off == n);
    for (; off < n; off++)
        assert_int_equal(p[off], 0);
    return k;
}

/* Parse one datagram; check_seq: the sequence number follows from what came before. */
static void
col_parse(struct col *c, const uint8_t *dg, size_t len, bool check_seq)
{
    size_t hdr = c->version == 9 ? 20 : 16, off = hdr, recs = 0, data = 0;
    uint32_t seq;
    uint16_t tmpl_id = c->version == 9 ? 0 : 2;

    assert_true(len >= hdr);
    assert_true(c->msgs < CAP_MAX_DG);
    assert_int_equal(col_be(dg, 2), c->version);
    if (c->version == 9) {
        c->uptime[c->msgs] = (uint32_t)col_be(dg + 4, 4);
        c->export_time[c->msgs] = (uint32_t)col_be(dg + 8, 4);
        seq = (uint32_t)col_be(dg + 12, 4);
    } else {
        assert_int_equal(col_be(dg + 2, 2), len);
        c->export_time[c->msgs] = (uint32_t)col_be(dg + 4, 4);
        seq = (uint32_t)col_be(dg + 8, 4);
    }
    if (check_seq)
        assert_int_equal(seq, c->version == 9 ? c->msgs : (uint32_t)c->data_recs);
    c->seq[c->msgs] = seq;
    c->has_tmpl[c->msgs] = false;
    while (off < len) {
        uint16_t id, slen;
        assert_true(len - off >= 4);
        id = (uint16_t)col_be(dg + off, 2);
        slen = (uint16_t)col_be(dg + off + 2, 2);
        assert_true(slen > 4 && slen <= len - off);
        if (c->version == 9)
            assert_int_equal(slen % 4, 0);
        if (id == tmpl_id) {
            assert_int_equal(off, hdr); /* templates only at the front */
            recs += col_tmpl_parse(c, dg + off + 4, slen - 4u);
            c->has_tmpl[c->msgs] = true;
        } else {
            size_t k = col_data_parse(c, id, dg + off + 4, slen - 4u);
            recs += k;
            data += k;
        }
        off += slen;
    }
    if (c->version == 9)
        assert_int_equal(col_be(dg + 2, 2), recs);
    c->data_recs += data;
    c->tmpl_msgs += c->has_tmpl[c->msgs];
    c->msgs++;
}

static struct col *
col_create(uint8_t version)
{
    struct col *c = calloc(1, sizeof(*c));

    assert_non_null(c);
    c->version = version;
    return c;
}

/* Parse every captured datagram, checking size <= mtu - 28 and sequence numbers. */
static void
col_parse_cap(struct col *c, const struct cap *cap, uint32_t mtu)
{
    size_t i;

    for (i = 0; i < cap->n; i++) {
        assert_true(cap->len[i] <= mtu - 28u);
        col_parse(c, cap->dg[i], cap->len[i], true);
    }
}

/* Check decoded record `d` against flow `r` in direction `dir`. */
static void
col_rec_check(const struct col_rec *d, const struct ipfix_flow_rec *r, int dir, bool biflow)
{
    size_t alen = r->ip_ver == 6 ? 16 : 4;
    bool icmp = r->proto == 1 || r->proto == 58;

    assert_int_equal(d->tmpl, r->ip_ver == 6 ? 257 : 256);
    assert_memory_equal(d->src, dir ? r->dst : r->src, alen);
    assert_memory_equal(d->dst, dir ? r->src : r->dst, alen);
    assert_int_equal(d->sp, dir && !icmp ? r->dp : r->sp);
    assert_int_equal(d->dp, dir && !icmp ? r->sp : r->dp);
    assert_int_equal(d->icmp, icmp ? r->dp : 0);
    assert_int_equal(d->proto, r->proto);
    assert_int_equal(d->ipver, r->ip_ver);
    assert_int_equal(d->tos, r->tos);
    assert_int_equal(d->flags, r->tcp_flags[dir]);
    assert_int_equal(d->bytes, r->bytes[dir]);
    assert_int_equal(d->pkts, r->pkts[dir]);
    assert_int_equal(d->start, r->start_ms);
    assert_int_equal(d->end, r->end_ms);
    assert_int_equal(d->reason, r->end_reason);
    assert_int_equal(d->vlan, r->vlan_id);
    if (biflow) {
        assert_int_equal(d->rbytes, r->bytes[1]);
        assert_int_equal(d->rpkts, r->pkts[1]);
        assert_int_equal(d->rflags, r->tcp_flags[1]);
    }
}

/* ---- byte for byte --------------------------------------------------------- */

/*
 * Template record bodies after {id, count}: v9 and IPFIX share these
 * (id, length) pairs; the IPv6 template of IPFIX has icmpTypeCodeIPv6 (139)
 * where v9 keeps ICMP_TYPE (32).
 */
#define TMPL_TAIL                                                                                  \
    0x00, 0x07, 0x00, 0x02, /* sourceTransportPort */                                             \
    0x00, 0x0b, 0x00, 0x02, /* destinationTransportPort */                                        \
    0x00, 0x04, 0x00, 0x01, /* protocolIdentifier */                                              \
    0x00, 0x3c, 0x00, 0x01, /* ipVersion */                                                       \
    0x00, 0x05, 0x00, 0x01, /* ipClassOfService */                                                \
    0x00, 0x06, 0x00, 0x01, /* tcpControlBits (reduced size) */                                   \
    0x00, 0x01, 0x00, 0x08, /* octetDeltaCount */                                                 \
    0x00, 0x02, 0x00, 0x08, /* packetDeltaCount */                                                \
    0x00, 0x98, 0x00, 0x08, /* flowStartMilliseconds */                                           \
    0x00, 0x99, 0x00, 0x08, /* flowEndMilliseconds */                                             \
    0x00, 0x88, 0x00, 0x01, /* flowEndReason */                                                   \
    0x00, 0x3a, 0x00, 0x02  /* vlanId */

#define TMPL_V4                                                                                    \
    0x01, 0x00, 0x00, 0x0f, /* template 256, 15 fields */                                         \
    0x00, 0x08, 0x00, 0x04, /* sourceIPv4Address */                                               \
    0x00, 0x0c, 0x00, 0x04, /* destinationIPv4Address */                                          \
    0x00, 0x20, 0x00, 0x02, /* icmpTypeCodeIPv4 */                                                \
    TMPL_TAIL

#define TMPL_V6(icmp_id)                                                                           \
    0x01, 0x01, 0x00, 0x0f, /* template 257, 15 fields */                                         \
    0x00, 0x1b, 0x00, 0x10, /* sourceIPv6Address */                                               \
    0x00, 0x1c, 0x00, 0x10, /* destinationIPv6Address */                                          \
    0x00, (icmp_id), 0x00, 0x02, /* icmpTypeCodeIPv6 (IPFIX 139) / ICMP_TYPE (v9 32) */          \
    TMPL_TAIL

/* Data record of rec_v4(): 53 bytes. */
#define DATA_V4                                                                                    \
    0x0a, 0x00, 0x00, 0x01,                         /* 10.0.0.1 */                                \
    0x0a, 0x00, 0x00, 0x02,                         /* 10.0.0.2 */                                \
    0x00, 0x00,                                     /* icmp type/code: not ICMP */                \
    0x9c, 0x40, 0x00, 0x50,                         /* 40000 -> 80 */                             \
    0x06, 0x04, 0x10, 0x02,                         /* TCP, IPv4, tos 0x10, SYN */                \
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x90, /* 400 octets */                              \
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, /* 5 packets */                               \
    0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x7b, /* start 1700000000123 */                     \
    0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x6d, 0xb0, /* end 1700000001456 */                       \
    0x03,                                           /* end of flow */                             \
    0x00, 0x64                                      /* vlan 100 */

static void
test_v9_ipv4_message(void **state)
{
    static const uint8_t want[] = {
            /* header */
            0x00, 0x09, 0x00, 0x03, /* v9, 3 records (2 templates + 1 data) */
            0x00, 0x00, 0x01, 0xf4, /* sysUptime 500 ms (boot = first add) */
            0x65, 0x53, 0xf1, 0x02, /* unix secs 1700000002 */
            0x00, 0x00, 0x00, 0x00, /* sequence 0 */
            0x00, 0x00, 0x00, 0x07, /* source id 7 */
            /* template flowset: id 0, 4 + 64 + 64 = 132 bytes */
            0x00, 0x00, 0x00, 0x84, TMPL_V4, TMPL_V6(0x20),
            /* data flowset 256: 4 + 53 + 3 padding = 60 bytes */
            0x01, 0x00, 0x00, 0x3c, DATA_V4, 0x00, 0x00, 0x00};
    struct ipfix_collector_cfg cfg = cfg_make(9);
    struct tx *t = tx_create(&cfg);
    struct ipfix_flow_rec r = rec_v4();

    (void)state;
    ipfix_exporter_add(&t->x, &r, T_NOW);
    assert_int_equal(t->cap.n, 0); /* buffered */
    ipfix_exporter_flush(&t->x, T_NOW + 500);
    assert_int_equal(t->cap.n, 1);
    assert_int_equal(t->cap.len[0], sizeof(want));
    assert_memory_equal(t->cap.dg[0], want, sizeof(want));
    assert_int_equal(t->sent, 1);
    assert_int_equal(t->errors, 0);
    tx_destroy(t);
}

static void
test_ipfix_ipv4_message(void **state)
{
    static const uint8_t want[] = {
            /* header */
            0x00, 0x0a, 0x00, 0xcd, /* IPFIX, length 16 + 132 + 57 = 205 */
            0x65, 0x53, 0xf1, 0x02, /* export time 1700000002 */
            0x00, 0x00, 0x00, 0x00, /* sequence 0: no data record before */
            0x00, 0x00, 0x00, 0x07, /* observation domain 7 */
            /* template set: id 2, 132 bytes */
            0x00, 0x02, 0x00, 0x84, TMPL_V4, TMPL_V6(0x8b),
            /* data set 256, 4 + 53 bytes, no padding */
            0x01, 0x00, 0x00, 0x39, DATA_V4};
    struct ipfix_collector_cfg cfg = cfg_make(10);
    struct tx *t = tx_create(&cfg);
    struct ipfix_flow_rec r = rec_v4();

    (void)state;
    ipfix_exporter_add(&t->x, &r, T_NOW);
    ipfix_exporter_flush(&t->x, T_NOW + 500);
    assert_int_equal(t->cap.n, 1);
    assert_int_equal(t->cap.len[0], sizeof(want));
    assert_memory_equal(t->cap.dg[0], want, sizeof(want));
    tx_destroy(t);
}

/* IPv6, answered: two records (swapped), here in the second message (no templates). */
static void
test_ipv6_records(void **state)
{
#define ADDR1 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01 /* 2001:db8::1 */
#define ADDR2 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02 /* 2001:db8::2 */
#define V6_TIMES_TAIL                                                                              \
    0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x7b, /* start */                                   \
    0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x6d, 0xb0, /* end */                                     \
    0x01, 0x00, 0x00                                /* idle timeout, no vlan */
    static const uint8_t set[] = {
            0x01, 0x01, 0x00, 0xa0, /* data set 257: 4 + 2 * 77 = 158, v9 pads to 160 */
            ADDR1, ADDR2, 0x00, 0x00, 0x14, 0xe9, 0x00, 0x35, /* 5353 -> 53 */
            0x11, 0x06, 0x00, 0x00,                           /* UDP, IPv6 */
            0, 0, 0, 0, 0, 0, 0, 70,                          /* 70 octets */
            0, 0, 0, 0, 0, 0, 0, 1,                           /* 1 packet */
            V6_TIMES_TAIL,
            ADDR2, ADDR1, 0x00, 0x00, 0x00, 0x35, 0x14, 0xe9, /* reply 53 -> 5353 */
            0x11, 0x06, 0x00, 0x00,
            0, 0, 0, 0, 0, 0, 0x01, 0x2c,                     /* 300 octets */
            0, 0, 0, 0, 0, 0, 0, 2,                           /* 2 packets */
            V6_TIMES_TAIL,
            0x00, 0x00};                                      /* padding */
    uint8_t version;

    (void)state;
    for (version = 9; version <= 10; version++) {
        struct ipfix_collector_cfg cfg = cfg_make(version);
        struct tx *t = tx_create(&cfg);
        struct ipfix_flow_rec r4 = rec_v4(), r6 = rec_v6();
        size_t hdr = version == 9 ? 20 : 16, setlen = version == 9 ? sizeof(set) : sizeof(set) - 2;
        uint8_t want_set[sizeof(set)];

        ipfix_exporter_add(&t->x, &r4, T_NOW);
        ipfix_exporter_flush(&t->x, T_NOW);
        ipfix_exporter_add(&t->x, &r6, T_NOW);
        ipfix_exporter_flush(&t->x, T_NOW);
        assert_int_equal(t->cap.n, 2);
        assert_int_equal(t->cap.len[1], hdr + setlen);
        memcpy(want_set, set, sizeof(set));
        want_set[3] = (uint8_t)setlen; /* IPFIX: unpadded */
        assert_memory_equal(t->cap.dg[1] + hdr, want_set, setlen);
        if (version == 9) {
            assert_int_equal(col_be(t->cap.dg[1] + 2, 2), 2);  /* count: two data records */
            assert_int_equal(col_be(t->cap.dg[1] + 12, 4), 1); /* second export packet */
        } else {
            assert_int_equal(col_be(t->cap.dg[1] + 8, 4), 1); /* one data record before */
        }
        assert_int_equal(t->sent, 3);
        tx_destroy(t);
    }
#undef ADDR1
#undef ADDR2
#undef V6_TIMES_TAIL
}

/* RFC 5103 biflow: enterprise bit + PEN 29305 in the template, one record. */
static void
test_biflow_message(void **state)
{
    static const uint8_t tmpl_v4[] = {
            0x01, 0x00, 0x00, 0x12,             /* template 256, 18 fields */
            0x00, 0x08, 0x00, 0x04, 0x00, 0x0c, 0x00, 0x04, 0x00, 0x20, 0x00, 0x02,
            0x00, 0x07, 0x00, 0x02, 0x00, 0x0b, 0x00, 0x02, 0x00, 0x04, 0x00, 0x01,
            0x00, 0x3c, 0x00, 0x01, 0x00, 0x05, 0x00, 0x01,
            0x80, 0x06, 0x00, 0x01, 0x00, 0x00, 0x72, 0x79, /* reverseTcpControlBits, PEN 29305 */
            0x00, 0x06, 0x00, 0x01, 0x00, 0x01, 0x00, 0x08, 0x00, 0x02, 0x00, 0x08,
            0x00, 0x98, 0x00, 0x08, 0x00, 0x99, 0x00, 0x08, 0x00, 0x88, 0x00, 0x01,
            0x00, 0x3a, 0x00, 0x02,
            0x80, 0x01, 0x00, 0x08, 0x00, 0x00, 0x72, 0x79, /* reverseOctetDeltaCount */
            0x80, 0x02, 0x00, 0x08, 0x00, 0x00, 0x72, 0x79, /* reversePacketDeltaCount */
    };
    static const uint8_t data[] = {
            0x01, 0x00, 0x00, 0x4a, /* data set 256: 4 + 70 */
            0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02, 0x00, 0x00, 0x9c, 0x40, 0x00, 0x50,
            0x06, 0x04, 0x10,
            0x12,                                           /* reverse flags SYN|ACK */
            0x02,                                           /* forward flags SYN */
            0, 0, 0, 0, 0, 0, 0x01, 0x90, 0, 0, 0, 0, 0, 0, 0, 5,
            0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x7b,
            0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x6d, 0xb0, 0x03, 0x00, 0x64,
            0, 0, 0, 0, 0, 0, 0x0b, 0xb8,                   /* reverse 3000 octets */
            0, 0, 0, 0, 0, 0, 0, 4,                         /* reverse 4 packets */
    };
    struct ipfix_collector_cfg cfg = cfg_make(10);
    struct ipfix_flow_rec r = rec_v4();
    struct tx *t;
    const uint8_t *dg;

    (void)state;
    cfg.biflow = true;
    t = tx_create(&cfg);
    r.pkts[1] = 4;
    r.bytes[1] = 3000;
    r.tcp_flags[1] = 0x12;
    ipfix_exporter_add(&t->x, &r, T_NOW);
    ipfix_exporter_flush(&t->x, T_NOW);
    assert_int_equal(t->cap.n, 1);
    dg = t->cap.dg[0];
    /* template set: 4 + 2 * (4 + 15 * 4 + 3 * 8) = 180 */
    assert_int_equal(col_be(dg + 16, 2), 2);
    assert_int_equal(col_be(dg + 18, 2), 180);
    assert_memory_equal(dg + 20, tmpl_v4, sizeof(tmpl_v4));
    assert_int_equal(t->cap.len[0], 16 + 180 + sizeof(data));
    assert_memory_equal(dg + 16 + 180, data, sizeof(data));
    assert_int_equal(t->sent, 1); /* one record for both directions */
    tx_destroy(t);

    /* v9 ignores biflow: no enterprise element, two records */
    cfg = cfg_make(9);
    cfg.biflow = true;
    t = tx_create(&cfg);
    ipfix_exporter_add(&t->x, &r, T_NOW);
    ipfix_exporter_flush(&t->x, T_NOW);
    assert_int_equal(t->sent, 2);
    assert_int_equal(col_be(t->cap.dg[0] + 20 + 4 + 2, 2), 15); /* fields of template 256 */
    tx_destroy(t);
}

/* applicationName: IPFIX variable length (RFC 7011 §7), v9 fixed 32 bytes. */
static void
test_app_name(void **state)
{
    struct ipfix_flow_rec r = rec_v4();
    uint8_t version;

    (void)state;
    for (version = 9; version <= 10; version++) {
        struct ipfix_collector_cfg cfg = cfg_make(version);
        struct tx *t;
        struct col *c = col_create(version);
        const uint8_t *d;
        size_t hdr = version == 9 ? 20 : 16, tset = 4 + 2 * 68;

        cfg.app_name = true;
        t = tx_create(&cfg);
        snprintf(r.app_name, sizeof(r.app_name), "http");
        ipfix_exporter_add(&t->x, &r, T_NOW);
        memset(r.app_name, 'x', sizeof(r.app_name)); /* 32 bytes, no NUL */
        ipfix_exporter_add(&t->x, &r, T_NOW);
        ipfix_exporter_flush(&t->x, T_NOW);
        assert_int_equal(t->cap.n, 1);
        d = t->cap.dg[0];
        /* last field of template 256: applicationName */
        assert_memory_equal(d + hdr + 4 + 4 + 15 * 4,
                            version == 9 ? "\x00\x60\x00\x20" : "\x00\x60\xff\xff", 4);
        d += hdr + tset + 4; /* first data record */
        if (version == 9) {
            assert_memory_equal(d + 53, "http\0\0\0", 7);
            assert_int_equal(d[53 + 31], 0);
            assert_memory_equal(d + 53 + 32 + 53, "xxxxxxxx", 8); /* cut at 32, no NUL needed */
            assert_int_equal(t->cap.len[0], hdr + tset + 176); /* 4 + 2 * 85 + 2 padding */
        } else {
            assert_memory_equal(d + 53, "\x04http", 5);
            assert_int_equal(d[53 + 5 + 53], 32);
            assert_int_equal(t->cap.len[0], hdr + tset + 4 + 53 + 5 + 53 + 33);
        }
        col_parse_cap(c, &t->cap, cfg.mtu);
        assert_int_equal(c->n, 2);
        assert_string_equal(c->r[0].app, "http");
        assert_int_equal(strlen(c->r[1].app), 32);
        free(c);
        tx_destroy(t);
    }
}

/* ---- sessions -------------------------------------------------------------- */

/*
 * Records that fill exactly k per message at this MTU: header + set header
 * + k * 53 (v4 record), templates only where due.
 */
static void
test_tmpl_refresh_packets(void **state)
{
    uint8_t version;

    (void)state;
    for (version = 9; version <= 10; version++) {
        struct ipfix_collector_cfg cfg = cfg_make(version);
        struct ipfix_flow_rec r = rec_v4();
        struct col *c = col_create(version);
        struct tx *t;
        unsigned i;

        cfg.template_refresh_pkts = 3;
        t = tx_create(&cfg);
        for (i = 0; i < 7; i++) {
            ipfix_exporter_add(&t->x, &r, T_NOW + i);
            ipfix_exporter_flush(&t->x, T_NOW + i);
        }
        assert_int_equal(t->cap.n, 7);
        col_parse_cap(c, &t->cap, cfg.mtu);
        for (i = 0; i < 7; i++)
            assert_int_equal(c->has_tmpl[i], i % 3 == 0); /* packets 0, 3, 6 */
        assert_int_equal(c->n, 7);
        free(c);
        tx_destroy(t);
    }
}

static void
test_tmpl_refresh_time(void **state)
{
    struct ipfix_collector_cfg cfg = cfg_make(10);
    struct ipfix_flow_rec r = rec_v4();
    static const uint64_t at[] = {0, 5000, 9999, 10000, 12000, 19999, 20000};
    static const bool want[] = {true, false, false, true, false, false, true};
    struct col *c = col_create(10);
    struct tx *t;
    unsigned i;

    (void)state;
    cfg.template_refresh_s = 10;
    cfg.template_refresh_pkts = 0;
    t = tx_create(&cfg);
    for (i = 0; i < NIDS_ARRAY_LEN(at); i++) {
        ipfix_exporter_add(&t->x, &r, T_NOW + at[i]);
        ipfix_exporter_flush(&t->x, T_NOW + at[i]);
    }
    col_parse_cap(c, &t->cap, cfg.mtu);
    for (i = 0; i < NIDS_ARRAY_LEN(at); i++) {
        assert_int_equal(c->has_tmpl[i], want[i]);
        assert_int_equal(c->export_time[i], (T_NOW + at[i]) / 1000);
    }
    /* idle: a flush with nothing buffered sends the templates when due */
    ipfix_exporter_flush(&t->x, T_NOW + 25000);
    assert_int_equal(t->cap.n, NIDS_ARRAY_LEN(at));
    ipfix_exporter_flush(&t->x, T_NOW + 30000);
    assert_int_equal(t->cap.n, NIDS_ARRAY_LEN(at) + 1);
    col_parse(c, t->cap.dg[t->cap.n - 1], t->cap.len[t->cap.n - 1], true);
    assert_true(c->has_tmpl[c->msgs - 1]);
    assert_int_equal(c->n, NIDS_ARRAY_LEN(at));
    free(c);
    tx_destroy(t);
}

/* A fresh exporter flushed before any record announces its templates. */
static void
test_flush_templates_only(void **state)
{
    struct ipfix_collector_cfg cfg = cfg_make(9);
    struct tx *t = tx_create(&cfg);
    struct col *c = col_create(9);

    (void)state;
    ipfix_exporter_flush(&t->x, T_NOW);
    ipfix_exporter_flush(&t->x, T_NOW + 1);
    assert_int_equal(t->cap.n, 1);
    col_parse_cap(c, &t->cap, cfg.mtu);
    assert_true(c->has_tmpl[0]);
    assert_int_equal(col_be(t->cap.dg[0] + 2, 2), 2); /* count: the two templates */
    assert_int_equal(t->sent, 0);
    free(c);
    tx_destroy(t);
}

/* Sequence numbers over several messages of different sizes. */
static void
test_sequence_numbers(void **state)
{
    static const unsigned per_msg[] = {1, 3, 2, 5, 1};
    uint8_t version;

    (void)state;
    for (version = 9; version <= 10; version++) {
        struct ipfix_collector_cfg cfg = cfg_make(version);
        struct col *c = col_create(version);
        struct tx *t = tx_create(&cfg);
        uint32_t want = 0;
        unsigned m, k, n = 0;

        for (m = 0; m < NIDS_ARRAY_LEN(per_msg); m++) {
            for (k = 0; k < per_msg[m]; k++) {
                struct ipfix_flow_rec r = rec_v4();
                r.sp = (uint16_t)n++;
                ipfix_exporter_add(&t->x, &r, T_NOW + m * 1000);
            }
            ipfix_exporter_flush(&t->x, T_NOW + m * 1000);
        }
        col_parse_cap(c, &t->cap, cfg.mtu); /* checks each sequence number too */
        for (m = 0; m < NIDS_ARRAY_LEN(per_msg); m++) {
            assert_int_equal(c->seq[m], want);
            want += version == 9 ? 1 : per_msg[m];
            if (version == 9) {
                assert_int_equal(c->uptime[m], m * 1000); /* boot = first add */
                assert_int_equal(c->export_time[m], (T_NOW + m * 1000) / 1000);
            }
        }
        assert_int_equal(t->sent, n);
        free(c);
        tx_destroy(t);
    }
}

/* A failed send: counted, sequence not advanced, templates still due. */
static void
test_send_error(void **state)
{
    uint8_t version;

    (void)state;
    for (version = 9; version <= 10; version++) {
        struct ipfix_collector_cfg cfg = cfg_make(version);
        struct tx *t = tx_create(&cfg);
        struct ipfix_flow_rec r = rec_v4();
        struct col *c = col_create(version);

        t->cap.fail = 1;
        ipfix_exporter_add(&t->x, &r, T_NOW);
        ipfix_exporter_flush(&t->x, T_NOW);
        assert_int_equal(t->errors, 1);
        assert_int_equal(t->sent, 0);
        assert_int_equal(t->cap.n, 0);
        ipfix_exporter_add(&t->x, &r, T_NOW + 1);
        ipfix_exporter_flush(&t->x, T_NOW + 1);
        assert_int_equal(t->sent, 1);
        col_parse_cap(c, &t->cap, cfg.mtu); /* sequence 0 again */
        assert_true(c->has_tmpl[0]);
        free(c);
        tx_destroy(t);
    }
}

/* Packet time stepping back before the first record: sysUptime clamps to 0. */
static void
test_clock_backwards(void **state)
{
    struct ipfix_collector_cfg cfg = cfg_make(9);
    struct tx *t = tx_create(&cfg);
    struct ipfix_flow_rec r = rec_v4();

    (void)state;
    ipfix_exporter_add(&t->x, &r, T_NOW);
    ipfix_exporter_flush(&t->x, T_NOW - 3000);
    assert_int_equal(t->cap.n, 1);
    assert_int_equal(col_be(t->cap.dg[0] + 4, 4), 0);
    assert_int_equal(col_be(t->cap.dg[0] + 8, 4), (T_NOW - 3000) / 1000);
    tx_destroy(t);
}

/* ---- MTU ----------------------------------------------------------------- */

static void
mtu_run(uint8_t version, uint32_t mtu, bool biflow, bool app)
{
    struct ipfix_collector_cfg cfg = cfg_make(version);
    struct col *c = col_create(version);
    struct tx *t;
    unsigned i, k = 0, want = 0;
    size_t max = 0;

    cfg.mtu = mtu;
    cfg.biflow = biflow;
    cfg.app_name = app;
    cfg.template_refresh_pkts = 4;
    t = tx_create(&cfg);
    for (i = 0; i < 100; i++) {
        struct ipfix_flow_rec r = rec_nth(i);
        ipfix_exporter_add(&t->x, &r, T_NOW + i);
        want += version == 10 && biflow ? 1 : (r.pkts[1] > 0 ? 2 : 1);
    }
    ipfix_exporter_flush(&t->x, T_NOW + 100);
    for (i = 0; i < t->cap.n; i++)
        max = t->cap.len[i] > max ? t->cap.len[i] : max;
    assert_true(max <= mtu - 28u);
    col_parse_cap(c, &t->cap, mtu);
    assert_int_equal(c->n, want);
    assert_int_equal(t->sent, want);
    for (i = 0; i < 100; i++) {
        struct ipfix_flow_rec r = rec_nth(i);
        bool two = !(version == 10 && biflow) && r.pkts[1] > 0;
        col_rec_check(&c->r[k], &r, 0, version == 10 && biflow);
        if (app)
            assert_string_equal(c->r[k].app, r.app_name);
        k++;
        if (two)
            col_rec_check(&c->r[k++], &r, 1, false);
    }
    /* each datagram filled until the next record did not fit */
    for (i = 0; i + 1 < t->cap.n; i++)
        assert_true(t->cap.len[i] + 4 + 127 + 3 > mtu - 28u); /* 127: largest record */
    assert_true(mtu > 7000 || t->cap.n > 1);
    free(c);
    tx_destroy(t);
}

static void
test_mtu_split(void **state)
{
    static const uint32_t mtus[] = {333, 401, 576, 1500, 9000};
    unsigned i;
    uint8_t v;

    (void)state;
    for (v = 9; v <= 10; v++) {
        for (i = 0; i < NIDS_ARRAY_LEN(mtus); i++) {
            if (mtus[i] >= 576)
                mtu_run(v, mtus[i], true, true);
            mtu_run(v, mtus[i], false, false);
            mtu_run(v, mtus[i], v == 10, false);
        }
    }
}

/* The smallest MTU is accepted, one less is not; a datagram never passes it. */
static void
test_mtu_min(void **state)
{
    uint8_t v;

    (void)state;
    for (v = 9; v <= 10; v++) {
        struct ipfix_collector_cfg cfg = cfg_make(v);
        struct ipfix_tmpl_reg reg;
        struct tx *t = calloc(1, sizeof(*t));

        assert_non_null(t);
        cfg.app_name = true;
        cfg.biflow = true;
        ipfix_tmpl_reg_init(&reg, v, true, true);
        cfg.mtu = ipfix_tmpl_reg_mtu_min(&reg) - 1;
        assert_int_equal(ipfix_exporter_init(&t->x, &cfg, t->buf, cap_send, &t->cap, &t->sent,
                                             &t->errors),
                         NIDS_ERANGE);
        free(t);
        cfg.mtu++;
        mtu_run(v, cfg.mtu, true, true);
    }
}

/* The builder alone: bounds, set switching, v9 padding. */
static void
test_msg_builder(void **state)
{
    uint8_t buf[64];
    struct ipfix_msg m;
    uint8_t *p;

    (void)state;
    assert_int_equal(ipfix_msg_init(&m, 8, buf, sizeof(buf)), NIDS_EINVAL);
    assert_int_equal(ipfix_msg_init(&m, 9, buf, 23), NIDS_EINVAL);
    /* v9, cap 63 -> 60 */
    assert_int_equal(ipfix_msg_init(&m, 9, buf, 63), 0);
    assert_int_equal(m.cap, 60);
    assert_true(ipfix_msg_is_empty(&m));
    p = ipfix_msg_reserve(&m, 256, 5); /* 20 + 4 + 5 = 29 */
    assert_non_null(p);
    memset(p, 0xaa, 5);
    p = ipfix_msg_reserve(&m, 257, 24); /* pad 3, 32 + 4 + 24 = 60: exactly full */
    assert_non_null(p);
    memset(p, 0xbb, 24);
    assert_null(ipfix_msg_reserve(&m, 257, 1));
    assert_null(ipfix_msg_reserve(&m, 256, 1));
    assert_int_equal(ipfix_msg_hdr_emit(&m, 1, 2, 3, 4), 60);
    assert_memory_equal(buf + 20, "\x01\x00\x00\x0c\xaa\xaa\xaa\xaa\xaa\x00\x00\x00", 12);
    assert_memory_equal(buf + 32, "\x01\x01\x00\x1c\xbb", 5);
    assert_memory_equal(buf, "\x00\x09\x00\x02\x00\x00\x00\x01\x00\x00\x00\x02\x00\x00\x00\x03"
                             "\x00\x00\x00\x04",
                        20);
    ipfix_msg_reset(&m);
    assert_true(ipfix_msg_is_empty(&m));
    assert_int_equal(m.len, 20);
    /* a set that does not fit once padding and a set header are counted */
    assert_non_null(ipfix_msg_reserve(&m, 256, 5));
    assert_null(ipfix_msg_reserve(&m, 257, 25));
    assert_int_equal(m.len, 29); /* unchanged */
    assert_non_null(ipfix_msg_reserve(&m, 256, 31)); /* same set: no header, no pad */
    assert_int_equal(m.len, 60);
    /* IPFIX: no padding, length in the header */
    assert_int_equal(ipfix_msg_init(&m, 10, buf, 63), 0);
    assert_int_equal(m.cap, 63);
    assert_non_null(ipfix_msg_reserve(&m, 256, 5));
    assert_non_null(ipfix_msg_reserve(&m, 257, 34)); /* 16 + 9 + 4 + 34 = 63 */
    assert_null(ipfix_msg_reserve(&m, 257, 1));
    assert_int_equal(ipfix_msg_hdr_emit(&m, 0, 2, 3, 4), 63);
    assert_memory_equal(buf, "\x00\x0a\x00\x3f", 4);
    assert_memory_equal(buf + 16, "\x01\x00\x00\x09", 4);
    assert_memory_equal(buf + 25, "\x01\x01\x00\x26", 4);
    assert_int_equal(m.n_data, 2);
    assert_null(ipfix_msg_reserve(&m, 256, 0));
}

/* ---- config ---------------------------------------------------------------- */

static int
cfg_parse_text(const char *yaml, struct ipfix_collector_cfg *out, int max, char *err, size_t len)
{
    struct cfg c;
    int rc;

    cfg_init(&c);
    rc = cfg_load_string(&c, yaml, "test.yaml");
    if (rc < 0)
        print_error("yaml: %s\n", c.err);
    assert_int_equal(rc, 0);
    rc = ipfix_config_parse(&c, out, max, err, len);
    cfg_fini(&c);
    return rc;
}

static void
test_config_ok(void **state)
{
    static const char yaml[] = "outputs:\n"
                               "  - eve-log:\n"
                               "      enabled: yes\n"
                               "  - ipfix:\n"
                               "      host: 127.0.0.1\n"
                               "      port: 9995\n"
                               "      version: 9\n"
                               "  - ipfix:\n"
                               "      enabled: no\n"
                               "      host: nowhere\n"
                               "  - ipfix:\n"
                               "      host: collector.example\n"
                               "      template-refresh: 60\n"
                               "      template-refresh-packets: 0\n"
                               "      observation-domain: 4294967295\n"
                               "      mtu: 9000\n"
                               "      biflow: yes\n"
                               "      app-name: true\n";
    struct ipfix_collector_cfg out[4];
    char err[256];

    (void)state;
    assert_int_equal(cfg_parse_text(yaml, out, 4, err, sizeof(err)), 2);
    assert_string_equal(out[0].host, "127.0.0.1");
    assert_int_equal(out[0].port, 9995);
    assert_int_equal(out[0].version, 9);
    assert_int_equal(out[0].template_refresh_s, 600);
    assert_int_equal(out[0].template_refresh_pkts, 20);
    assert_int_equal(out[0].observation_domain, 0);
    assert_int_equal(out[0].mtu, 1500);
    assert_false(out[0].biflow);
    assert_false(out[0].app_name);
    assert_string_equal(out[1].host, "collector.example");
    assert_int_equal(out[1].port, 4739);
    assert_int_equal(out[1].version, 10);
    assert_int_equal(out[1].template_refresh_s, 60);
    assert_int_equal(out[1].template_refresh_pkts, 0);
    assert_int_equal(out[1].observation_domain, UINT32_MAX);
    assert_int_equal(out[1].mtu, 9000);
    assert_true(out[1].biflow);
    assert_true(out[1].app_name);
    /* v9 default port; max caps what is stored */
    assert_int_equal(cfg_parse_text("outputs:\n  - ipfix: {host: a, version: 9}\n"
                                    "  - ipfix: {host: b}\n",
                                    out, 1, err, sizeof(err)),
                     1);
    assert_int_equal(out[0].port, 2055);
    assert_int_equal(cfg_parse_text("stats:\n  enabled: yes\n", out, 4, err, sizeof(err)), 0);
}

static void
test_config_errors(void **state)
{
    static const struct {
        const char *entry; /* the ipfix mapping, flow style, as outputs.1 */
        const char *key;   /* the key the message must name */
    } bad[] = {
            {"{port: 1}", "outputs.1.ipfix.host"},
            {"{host: h, port: 0}", "outputs.1.ipfix.port"},
            {"{host: h, port: 65536}", "outputs.1.ipfix.port"},
            {"{host: h, port: http}", "outputs.1.ipfix.port"},
            {"{host: h, version: 5}", "outputs.1.ipfix.version"},
            {"{host: h, version: ipfix}", "outputs.1.ipfix.version"},
            {"{host: h, template-refresh: 86401}", "outputs.1.ipfix.template-refresh"},
            {"{host: h, template-refresh: -1}", "outputs.1.ipfix.template-refresh"},
            {"{host: h, template-refresh-packets: 4294967296}",
             "outputs.1.ipfix.template-refresh-packets"},
            {"{host: h, template-refresh: 0, template-refresh-packets: 0}",
             "outputs.1.ipfix.template-refresh"},
            {"{host: h, observation-domain: 4294967296}", "outputs.1.ipfix.observation-domain"},
            {"{host: h, mtu: 100}", "outputs.1.ipfix.mtu"},
            {"{host: h, mtu: 65536}", "outputs.1.ipfix.mtu"},
            {"{host: h, mtu: 200, biflow: yes, app-name: yes}", "outputs.1.ipfix.mtu"},
            {"{host: h, biflow: maybe}", "outputs.1.ipfix.biflow"},
            {"{host: h, app-name: 2}", "outputs.1.ipfix.app-name"},
            {"{host: h, enabled: perhaps}", "outputs.1.ipfix.enabled"},
            {"{host: [a, b]}", "outputs.1.ipfix.host"},
            {"[a, b]", "outputs.1.ipfix"},
            {"collector", "outputs.1.ipfix"},
    };
    struct ipfix_collector_cfg out[4];
    char yaml[512], err[512], want[128];
    unsigned i;

    (void)state;
    for (i = 0; i < NIDS_ARRAY_LEN(bad); i++) {
        snprintf(yaml, sizeof(yaml), "outputs:\n  - eve-log: {enabled: yes}\n  - ipfix: %s\n",
                 bad[i].entry);
        snprintf(want, sizeof(want), "key '%s'", bad[i].key);
        assert_true(cfg_parse_text(yaml, out, 4, err, sizeof(err)) < 0);
        if (strstr(err, want) == NULL || strncmp(err, "test.yaml:", 10) != 0)
            fail_msg("%s: got \"%s\", want \"%s\"", bad[i].entry, err, want);
    }
    /* the message is complete: value and bound */
    assert_true(cfg_parse_text("outputs:\n  - ipfix: {host: h, port: 70000}\n", out, 4, err,
                               sizeof(err)) < 0);
    assert_string_equal(err, "test.yaml:2: key 'outputs.0.ipfix.port': value 70000 out of range "
                             "1..65535");
}

/* ---- real socket ----------------------------------------------------------- */

static void
test_udp_socket(void **state)
{
    struct sockaddr_in sa;
    socklen_t salen = sizeof(sa);
    struct ipfix_collector_cfg cfg = cfg_make(10);
    struct ipfix_exporter *x;
    struct col *c = col_create(10);
    uint64_t sent = 0, errors = 0;
    uint8_t dg[IPFIX_MSG_MAX];
    unsigned i;
    ssize_t n;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

    (void)state;
    assert_true(fd >= 0);
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &salen), 0);
    cfg.port = ntohs(sa.sin_port);
    cfg.mtu = 400; /* a few datagrams */
    x = ipfix_exporter_create(&cfg, &sent, &errors);
    assert_non_null(x);
    for (i = 0; i < 20; i++) {
        struct ipfix_flow_rec r = rec_nth(i);
        ipfix_exporter_add(x, &r, T_NOW + i);
    }
    ipfix_exporter_destroy(x); /* flush + close */
    assert_int_equal(errors, 0);
    /* loopback delivery is synchronous: everything is queued already */
    while ((n = recv(fd, dg, sizeof(dg), MSG_DONTWAIT)) > 0) {
        assert_true((size_t)n <= 400 - 28);
        col_parse(c, dg, (size_t)n, true);
    }
    assert_true(c->msgs > 1);
    assert_int_equal(c->data_recs, sent);
    assert_int_equal(sent, 30); /* 20 flows, 10 answered */
    for (i = 0; i < 20; i++) {
        struct ipfix_flow_rec r = rec_nth(i);
        unsigned k = i + i / 2; /* records before flow i: i + answered ones (odd i) */
        col_rec_check(&c->r[k], &r, 0, false);
    }
    close(fd);
    free(c);
    /* an MTU too small for the templates: NULL */
    cfg.mtu = 100;
    assert_null(ipfix_exporter_create(&cfg, &sent, &errors));
    ipfix_exporter_destroy(NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_v9_ipv4_message),
            cmocka_unit_test(test_ipfix_ipv4_message),
            cmocka_unit_test(test_ipv6_records),
            cmocka_unit_test(test_biflow_message),
            cmocka_unit_test(test_app_name),
            cmocka_unit_test(test_tmpl_refresh_packets),
            cmocka_unit_test(test_tmpl_refresh_time),
            cmocka_unit_test(test_flush_templates_only),
            cmocka_unit_test(test_sequence_numbers),
            cmocka_unit_test(test_send_error),
            cmocka_unit_test(test_clock_backwards),
            cmocka_unit_test(test_mtu_split),
            cmocka_unit_test(test_mtu_min),
            cmocka_unit_test(test_msg_builder),
            cmocka_unit_test(test_config_ok),
            cmocka_unit_test(test_config_errors),
            cmocka_unit_test(test_udp_socket),
    };

    return cmocka_run_group_tests_name("ipfix", tests, NULL, NULL);
}
