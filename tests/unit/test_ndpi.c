/*
 * test_ndpi.c - unit tests for sensor/app_ndpi.c: a TLS ClientHello gives
 * tls and its server name, SSH banners give ssh, a flow the HTTP probe
 * claims never reaches nDPI (and one claimed later gives its state back),
 * the state pool running out is counted, detection gives up after
 * max-packets, the heap serves nDPI's per-flow allocations (and refuses,
 * counted, past its cap), the flow record members (tls.sni, ndpi), and the
 * project's capture pcaps/appid/app-id.pcap (QUIC Initial, NTP) replayed
 * through the flow table.
 *
 * Packets are real IPv4 frames built here (raw IP link type) and run
 * through dec_packet(), so nDPI gets what the worker gives it: the IP
 * header onward, for the captured length. Outside sanitizer builds the
 * test also interposes malloc and friends to show that nothing reaches
 * libc's allocator while nDPI (and libgcrypt, for QUIC) inspects packets.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "../../sensor/app_ndpi.c"
#include "app_detect.h"
#include "flow.h"

#define T0_US 1700000000000000ull

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define TEST_MALLOC_AUDIT 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define TEST_MALLOC_AUDIT 0
#endif
#endif
#ifndef TEST_MALLOC_AUDIT
#define TEST_MALLOC_AUDIT 1
#endif

#if TEST_MALLOC_AUDIT
/*
 * libc allocations made by this thread while audit_on is set: malloc and
 * friends are interposed for the whole process (nDPI and libgcrypt call
 * them through the PLT) and forward to glibc's own entry points.
 */
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t m);
extern void *__libc_realloc(void *p, size_t n);
extern void *__libc_memalign(size_t a, size_t n);
extern void __libc_free(void *p);

static _Thread_local bool audit_on;
static unsigned long audit_libc_allocs;

void *
malloc(size_t n)
{
    audit_libc_allocs += audit_on;
    return __libc_malloc(n);
}

void *
calloc(size_t n, size_t m)
{
    audit_libc_allocs += audit_on;
    return __libc_calloc(n, m);
}

void *
realloc(void *p, size_t n)
{
    audit_libc_allocs += audit_on;
    return __libc_realloc(p, n);
}

int
posix_memalign(void **out, size_t a, size_t n)
{
    audit_libc_allocs += audit_on;
    *out = __libc_memalign(a, n);
    return *out != NULL ? 0 : 12; /* ENOMEM */
}

void *
aligned_alloc(size_t a, size_t n)
{
    audit_libc_allocs += audit_on;
    return __libc_memalign(a, n);
}

void
free(void *p)
{
    __libc_free(p);
}
#endif

struct nfx {
    uint64_t ctr[STAT_ID_COUNT];
    struct app_ndpi_cfg cfg;
    struct app_ndpi *x;
    uint8_t frame[2048];
    struct pkt p;
};

static int
nfx_setup(void **state)
{
    struct nfx *n = calloc(1, sizeof(*n));

    if (n == NULL)
        return -1;
    app_ndpi_cfg_defaults(&n->cfg);
    n->cfg.flows = 4;
    n->x = app_ndpi_create(&n->cfg, n->ctr);
    if (n->x == NULL) {
        free(n);
        return -1;
    }
    *state = n;
    return 0;
}

static int
nfx_teardown(void **state)
{
    struct nfx *n = *state;

    app_ndpi_destroy(n->x);
    free(n);
    return 0;
}

/* A fresh context with cfg changed by the test. */
static void
nfx_recreate(struct nfx *n)
{
    app_ndpi_destroy(n->x);
    memset(n->ctr, 0, sizeof(n->ctr));
    n->x = app_ndpi_create(&n->cfg, n->ctr);
    assert_non_null(n->x);
}

/* 10.0.0.1 (client) and 192.168.1.2 (server). */
static const uint8_t cli_ip[4] = {10, 0, 0, 1};
static const uint8_t srv_ip[4] = {192, 168, 1, 2};

struct conv {
    uint8_t proto;
    uint16_t cport, sport;
    uint32_t seq[2]; /* next sequence number of client [0], server [1] */
};

static void
put16(uint8_t *b, unsigned v)
{
    b[0] = (uint8_t)(v >> 8);
    b[1] = (uint8_t)v;
}

static void
put32(uint8_t *b, uint32_t v)
{
    put16(b, v >> 16);
    put16(b + 2, v & 0xffff);
}

/*
 * One IPv4 packet of conversation c from the client (from_client) or the
 * server with payload data[0..len): TCP PSH+ACK with exact sequence
 * numbers, or UDP. Decoded into n->p (raw IP link type).
 */
static struct pkt *
conv_pkt(struct nfx *n, struct conv *c, bool from_client, const void *data, size_t len,
         uint64_t ts_us)
{
    uint8_t *b = n->frame;
    size_t l4 = c->proto == 6 ? 20 : 8, total = 20 + l4 + len;
    int d = from_client ? 0 : 1;

    assert_true(total <= sizeof(n->frame));
    memset(b, 0, 20 + l4);
    b[0] = 0x45;
    put16(b + 2, (unsigned)total);
    b[8] = 64;
    b[9] = c->proto;
    memcpy(b + 12, from_client ? cli_ip : srv_ip, 4);
    memcpy(b + 16, from_client ? srv_ip : cli_ip, 4);
    put16(b + 20, from_client ? c->cport : c->sport);
    put16(b + 22, from_client ? c->sport : c->cport);
    if (c->proto == 6) {
        put32(b + 24, c->seq[d]);
        put32(b + 28, c->seq[!d]);
        b[32] = 0x50;
        b[33] = TCP_PSH | TCP_ACK;
        put16(b + 34, 64240);
        c->seq[d] += (uint32_t)len;
    } else {
        put16(b + 24, (unsigned)(8 + len));
    }
    memcpy(b + 20 + l4, data, len);
    dec_pkt_init(&n->p, b, (uint32_t)total, (uint32_t)total, ts_us, DEC_DLT_RAW, n->ctr);
    assert_int_equal(dec_packet(&n->p), DEC_OK);
    assert_true(n->p.flags & PKT_HAS_L4);
    assert_int_equal(n->p.payload_len, len);
    return &n->p;
}

/* A flow as the flow table leaves it: TCP with a tracked session, or UDP. */
static void
flow_setup(struct flow *f, const struct conv *c)
{
    memset(f, 0, sizeof(*f));
    f->key.proto = c->proto;
    f->key.ip_ver = 4;
    memcpy(f->key.src, cli_ip, 4);
    memcpy(f->key.dst, srv_ip, 4);
    f->key.sp = c->cport;
    f->key.dp = c->sport;
    if (c->proto == 6)
        f->flags = FLOW_F_TCP_SESSION;
}

/* app_ndpi_packet with the malloc audit on. */
static void
feed(struct nfx *n, struct flow *f, struct pkt *p, bool from_client)
{
#if TEST_MALLOC_AUDIT
    audit_on = true;
#endif
    app_ndpi_packet(n->x, f, p, from_client ? FLOW_TOSERVER : FLOW_TOCLIENT);
#if TEST_MALLOC_AUDIT
    audit_on = false;
#endif
}

/*
 * A TLS 1.2 record holding a ClientHello (RFC 8446 4.1.2) for
 * www.example.org:
 *   16 03 01 00 50                record: handshake, 80 bytes
 *   01 00 00 4c 03 03             client_hello, 76 bytes, version 1.2
 *   00 01 .. 1f                   random
 *   00                            no session id
 *   00 04 13 01 c0 2f             two cipher suites
 *   01 00                         null compression
 *   00 1f                         31 bytes of extensions:
 *   00 00 00 14 00 12 00 00 0f "www.example.org"   server_name
 *   00 2b 00 03 02 03 04          supported_versions: TLS 1.3
 */
static size_t
tls_client_hello(uint8_t *b)
{
    static const uint8_t head[] = {0x16, 0x03, 0x01, 0x00, 0x50, 0x01,
                                   0x00, 0x00, 0x4c, 0x03, 0x03};
    static const uint8_t mid[] = {0x00, 0x00, 0x04, 0x13, 0x01, 0xc0, 0x2f, 0x01, 0x00, 0x00,
                                  0x1f, 0x00, 0x00, 0x00, 0x14, 0x00, 0x12, 0x00, 0x00, 0x0f};
    static const uint8_t tail[] = {0x00, 0x2b, 0x00, 0x03, 0x02, 0x03, 0x04};
    size_t n = 0;
    unsigned i;

    memcpy(b, head, sizeof(head));
    n += sizeof(head);
    for (i = 0; i < 32; i++)
        b[n++] = (uint8_t)i;
    memcpy(b + n, mid, sizeof(mid));
    n += sizeof(mid);
    memcpy(b + n, "www.example.org", 15);
    n += 15;
    memcpy(b + n, tail, sizeof(tail));
    n += sizeof(tail);
    return n; /* 85 = 5 + 80 */
}

/* The flow record members app_ndpi adds for f, as JSON text. */
static const char *
emit_members(struct nfx *n, const struct flow *f, char *buf, size_t cap)
{
    struct json_buf j;

    json_init(&j, buf, cap - 1);
    json_open_object(&j, NULL);
    app_ndpi_flow_emit(n->x, &j, f);
    json_close(&j);
    assert_true(json_is_ok(&j));
    buf[j.len] = '\0';
    return buf;
}

static void
test_tls_client_hello_gives_tls_and_sni(void **state)
{
    struct nfx *n = *state;
    struct conv c = {.proto = 6, .cport = 51000, .sport = 443, .seq = {1000, 5000}};
    struct flow f;
    uint8_t ch[128];
    size_t len = tls_client_hello(ch);
    char out[512];

    assert_int_equal(len, 85);
    flow_setup(&f, &c);
    feed(n, &f, conv_pkt(n, &c, true, ch, len, T0_US), true);
    /* Named on the ClientHello: the state is back, the result holds the name. */
    assert_int_equal(f.app_proto, APP_PROTO_TLS);
    assert_false(app_ndpi_flow_is_detecting(n->x, &f));
    assert_int_equal(n->ctr[STAT_NDPI_FLOWS], 1);
    assert_int_equal(n->ctr[STAT_NDPI_DETECTED], 1);
    assert_int_equal(n->ctr[STAT_NDPI_GIVEUP], 0);
    assert_int_equal(n->ctr[STAT_NDPI_MEMUSE], 0);
    assert_string_equal(emit_members(n, &f, out, sizeof(out)),
                        "{\"tls\":{\"sni\":\"www.example.org\"}}");
    /* Later packets do not go to nDPI again. */
    feed(n, &f, conv_pkt(n, &c, false, "\x17\x03\x03\x00\x01\x00", 6, T0_US + 1000), false);
    assert_int_equal(n->ctr[STAT_NDPI_FLOWS], 1);
    app_ndpi_flow_end(n->x, &f);
    app_ndpi_flow_put(n->x, &f);
    assert_int_equal(f.ndpi_ref, 0);
    assert_string_equal(emit_members(n, &f, out, sizeof(out)), "{}");
#if TEST_MALLOC_AUDIT
    assert_int_equal(audit_libc_allocs, 0);
#endif
}

/* The probe said tls first (as app_detect does on the record header): nDPI keeps it, adds the name.
 */
static void
test_tls_probed_keeps_probe_answer(void **state)
{
    struct nfx *n = *state;
    struct conv c = {.proto = 6, .cport = 51001, .sport = 8443, .seq = {7, 9}};
    struct flow f;
    uint8_t ch[128];
    size_t len = tls_client_hello(ch);
    char out[512];

    flow_setup(&f, &c);
    f.app_proto = APP_PROTO_TLS;
    feed(n, &f, conv_pkt(n, &c, true, ch, len, T0_US), true);
    assert_int_equal(f.app_proto, APP_PROTO_TLS);
    assert_string_equal(emit_members(n, &f, out, sizeof(out)),
                        "{\"tls\":{\"sni\":\"www.example.org\"}}");
    app_ndpi_flow_end(n->x, &f);
    app_ndpi_flow_put(n->x, &f);
}

/* The ClientHello in two segments: nDPI reassembles it in a buffer from the heap. */
static void
test_tls_split_hello_uses_heap(void **state)
{
    struct nfx *n = *state;
    struct conv c = {.proto = 6, .cport = 51002, .sport = 443, .seq = {100, 200}};
    struct flow f;
    uint8_t ch[128];
    size_t len = tls_client_hello(ch);
    char out[512];

    flow_setup(&f, &c);
    feed(n, &f, conv_pkt(n, &c, true, ch, 40, T0_US), true);
    assert_true(app_ndpi_flow_is_detecting(n->x, &f));
    assert_int_equal(f.app_proto, APP_PROTO_UNKNOWN);
    /* The first part is held in nDPI's TLS buffer, taken from the worker's heap. */
    assert_true(n->ctr[STAT_NDPI_MEMUSE] >= 40);
    assert_true(n->x->heap.top > 0);
    feed(n, &f, conv_pkt(n, &c, true, ch + 40, len - 40, T0_US + 100), true);
    assert_int_equal(f.app_proto, APP_PROTO_TLS);
    assert_false(app_ndpi_flow_is_detecting(n->x, &f));
    assert_int_equal(n->ctr[STAT_NDPI_MEMUSE], 0);
    assert_string_equal(emit_members(n, &f, out, sizeof(out)),
                        "{\"tls\":{\"sni\":\"www.example.org\"}}");
    app_ndpi_flow_end(n->x, &f);
    app_ndpi_flow_put(n->x, &f);
#if TEST_MALLOC_AUDIT
    assert_int_equal(audit_libc_allocs, 0);
#endif
}

/* A heap too small for nDPI's TLS buffer: the allocation is refused and counted. */
static void
test_heap_cap_counted(void **state)
{
    struct nfx *n = *state;
    struct conv c = {.proto = 6, .cport = 51003, .sport = 443, .seq = {100, 200}};
    struct flow f;
    uint8_t ch[128];

    n->cfg.memcap = 1024; /* below the 2 KiB buffer */
    nfx_recreate(n);
    (void)tls_client_hello(ch);
    flow_setup(&f, &c);
    feed(n, &f, conv_pkt(n, &c, true, ch, 40, T0_US), true);
    assert_true(n->ctr[STAT_NDPI_MEMCAP] >= 1);
    assert_int_equal(n->ctr[STAT_NDPI_MEMUSE], 0);
    app_ndpi_flow_end(n->x, &f);
    app_ndpi_flow_put(n->x, &f);
    assert_false(app_ndpi_flow_is_detecting(n->x, &f));
}

static void
test_ssh_banners_give_ssh(void **state)
{
    struct nfx *n = *state;
    struct conv c = {.proto = 6, .cport = 52000, .sport = 22, .seq = {1, 1}};
    static const char srv[] = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n";
    static const char cli[] = "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n";
    struct flow f;
    char out[256];

    flow_setup(&f, &c);
    feed(n, &f, conv_pkt(n, &c, false, srv, sizeof(srv) - 1, T0_US), false);
    feed(n, &f, conv_pkt(n, &c, true, cli, sizeof(cli) - 1, T0_US + 500), true);
    assert_int_equal(f.app_proto, APP_PROTO_SSH);
    assert_false(app_ndpi_flow_is_detecting(n->x, &f));
    assert_int_equal(n->ctr[STAT_NDPI_DETECTED], 1);
    /* Nothing to log beyond app_proto without metadata: no result kept. */
    assert_string_equal(emit_members(n, &f, out, sizeof(out)), "{}");
    app_ndpi_flow_end(n->x, &f);
    app_ndpi_flow_put(n->x, &f);
#if TEST_MALLOC_AUDIT
    assert_int_equal(audit_libc_allocs, 0);
#endif
}

static const char http_req[] = "GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n";

/* The HTTP probe claimed the flow on its first bytes: nDPI never sees it. */
static void
test_http_claimed_never_reaches_ndpi(void **state)
{
    struct nfx *n = *state;
    struct conv c = {.proto = 6, .cport = 53000, .sport = 80, .seq = {1, 1}};
    static const char resp[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    struct flow f;

    flow_setup(&f, &c);
    f.app_proto = APP_PROTO_HTTP;
    feed(n, &f, conv_pkt(n, &c, true, http_req, sizeof(http_req) - 1, T0_US), true);
    feed(n, &f, conv_pkt(n, &c, false, resp, sizeof(resp) - 1, T0_US + 100), false);
    assert_int_equal(n->ctr[STAT_NDPI_FLOWS], 0);
    assert_int_equal(n->ctr[STAT_NDPI_DETECTED], 0);
    assert_int_equal(n->x->heap.top, 0); /* nDPI allocated nothing */
    assert_int_equal(f.app_proto, APP_PROTO_HTTP);
    assert_false(app_ndpi_flow_is_detecting(n->x, &f));
    app_ndpi_flow_end(n->x, &f);
    app_ndpi_flow_put(n->x, &f);
    assert_int_equal(n->ctr[STAT_NDPI_GIVEUP], 0);
}

/* Claimed after nDPI started (the probe saw its bytes later): the state goes back. */
static void
test_claimed_later_gives_state_back(void **state)
{
    struct nfx *n = *state;
    struct conv c = {.proto = 6, .cport = 53001, .sport = 8080, .seq = {1, 1}};
    static const uint8_t junk[16] = {0x8a, 0x01, 0x77, 0x3c, 0x02, 0x9f, 0x10, 0x00,
                                     0xee, 0x42, 0x42, 0x05, 0x61, 0xc3, 0x00, 0x7e};
    struct flow f;

    flow_setup(&f, &c);
    feed(n, &f, conv_pkt(n, &c, false, junk, sizeof(junk), T0_US), false);
    assert_true(app_ndpi_flow_is_detecting(n->x, &f));
    f.app_proto = APP_PROTO_HTTP;
    feed(n, &f, conv_pkt(n, &c, true, http_req, sizeof(http_req) - 1, T0_US + 100), true);
    assert_false(app_ndpi_flow_is_detecting(n->x, &f));
    assert_int_equal(n->ctr[STAT_NDPI_CLAIMED], 1);
    assert_int_equal(n->x->slot_list.free, 1); /* back on the free list */
    assert_int_equal(f.app_proto, APP_PROTO_HTTP);
    app_ndpi_flow_end(n->x, &f);
    app_ndpi_flow_put(n->x, &f);
}

/* Unknown payload (a random-looking protocol on a random port). */
static void
feed_junk(struct nfx *n, struct flow *f, struct conv *c, unsigned i)
{
    uint8_t junk[24];
    unsigned k;

    for (k = 0; k < sizeof(junk); k++)
        junk[k] = (uint8_t)(0x9d * (k + 1) + 31 * i);
    junk[0] = 0xf1; /* no text protocol starts so */
    feed(n, f, conv_pkt(n, c, (i & 1) == 0, junk, sizeof(junk), T0_US + i * 1000u), (i & 1) == 0);
}

static void
test_pool_empty_counted(void **state)
{
    struct nfx *n = *state;
    struct conv c[6];
    struct flow f[6];
    unsigned i;

    for (i = 0; i < 6; i++) {
        memset(&c[i], 0, sizeof(c[i]));
        c[i].proto = 6;
        c[i].cport = (uint16_t)(54000 + i);
        c[i].sport = 7001;
        flow_setup(&f[i], &c[i]);
        feed_junk(n, &f[i], &c[i], 0);
    }
    /* Four states (cfg.flows): the fifth and sixth flow find the pool empty. */
    for (i = 0; i < 4; i++)
        assert_true(app_ndpi_flow_is_detecting(n->x, &f[i]));
    assert_false(app_ndpi_flow_is_detecting(n->x, &f[4]));
    assert_int_equal(n->ctr[STAT_NDPI_POOL_EMPTY], 2);
    assert_int_equal(n->ctr[STAT_NDPI_FLOWS], 4);
    /* Counted once: a flow that found the pool empty is not retried. */
    feed_junk(n, &f[4], &c[4], 1);
    assert_int_equal(n->ctr[STAT_NDPI_POOL_EMPTY], 2);
    /* A flow ends: its state serves the next new flow. */
    app_ndpi_flow_end(n->x, &f[0]);
    app_ndpi_flow_put(n->x, &f[0]);
    flow_setup(&f[5], &c[5]);
    feed_junk(n, &f[5], &c[5], 2);
    assert_true(app_ndpi_flow_is_detecting(n->x, &f[5]));
    for (i = 1; i < 6; i++) {
        app_ndpi_flow_end(n->x, &f[i]);
        app_ndpi_flow_put(n->x, &f[i]);
    }
    assert_int_equal(n->ctr[STAT_NDPI_FLOWS], 5);
    assert_int_equal(n->ctr[STAT_NDPI_MEMUSE], 0);
}

static void
test_giveup_after_max_packets(void **state)
{
    struct nfx *n = *state;
    struct conv c = {.proto = 17, .cport = 40001, .sport = 33333};
    struct flow f;
    unsigned i;

    n->cfg.max_packets = 3;
    nfx_recreate(n);
    flow_setup(&f, &c);
    for (i = 0; i < 2; i++)
        feed_junk(n, &f, &c, i);
    assert_true(app_ndpi_flow_is_detecting(n->x, &f));
    assert_int_equal(n->ctr[STAT_NDPI_GIVEUP], 0);
    feed_junk(n, &f, &c, 2);
    assert_false(app_ndpi_flow_is_detecting(n->x, &f));
    assert_int_equal(n->ctr[STAT_NDPI_GIVEUP], 1);
    assert_int_equal(f.app_proto, APP_PROTO_UNKNOWN);
    feed_junk(n, &f, &c, 3);
    assert_int_equal(n->ctr[STAT_NDPI_GIVEUP], 1);
    app_ndpi_flow_end(n->x, &f);
    app_ndpi_flow_put(n->x, &f);
    assert_int_equal(n->ctr[STAT_NDPI_GIVEUP], 1);
}

/* Packets without payload (handshakes, ACKs) take no state. */
static void
test_no_payload_takes_no_state(void **state)
{
    struct nfx *n = *state;
    struct conv c = {.proto = 6, .cport = 55000, .sport = 443, .seq = {1, 1}};
    struct flow f;

    flow_setup(&f, &c);
    feed(n, &f, conv_pkt(n, &c, true, "", 0, T0_US), true);
    assert_int_equal(f.ndpi_ref, 0);
    /* Nor does TCP without a tracked session. */
    f.flags = 0;
    feed(n, &f, conv_pkt(n, &c, true, "x", 1, T0_US + 1), true);
    assert_int_equal(f.ndpi_ref, 0);
    assert_int_equal(n->ctr[STAT_NDPI_FLOWS], 0);
}

static void
test_metadata_object(void **state)
{
    struct nfx *n = *state;
    struct conv c = {.proto = 6, .cport = 51004, .sport = 443, .seq = {1000, 5000}};
    struct flow f;
    uint8_t ch[128];
    size_t len = tls_client_hello(ch);
    char out[1024];

    n->cfg.metadata = true;
    nfx_recreate(n);
    flow_setup(&f, &c);
    feed(n, &f, conv_pkt(n, &c, true, ch, len, T0_US), true);
    assert_int_equal(f.app_proto, APP_PROTO_TLS);
    /* With metadata nDPI may read on (the server's certificate): end the flow. */
    app_ndpi_flow_end(n->x, &f);
    assert_int_equal(n->ctr[STAT_NDPI_GIVEUP], 0); /* it had named the flow */
    assert_int_equal(n->ctr[STAT_NDPI_DETECTED], 1);
    emit_members(n, &f, out, sizeof(out));
    assert_non_null(strstr(out, "\"tls\":{\"sni\":\"www.example.org\"}"));
    assert_non_null(strstr(out, "\"ndpi\":{\"proto\":\"TLS\",\"confidence\":\"DPI\""));
    assert_non_null(strstr(out, "\"category\":\"Web\""));
    app_ndpi_flow_put(n->x, &f);
}

static void
test_map_names(void **state)
{
    (void)state;
    assert_int_equal(app_ndpi_map_proto(NDPI_PROTOCOL_UNKNOWN, NDPI_PROTOCOL_TLS, 6),
                     APP_PROTO_TLS);
    /* TLS.Google: the master protocol decides. */
    assert_int_equal(app_ndpi_map_proto(NDPI_PROTOCOL_TLS, NDPI_PROTOCOL_GOOGLE, 6), APP_PROTO_TLS);
    /* NetBIOS carrying SMBv1: the app protocol, Suricata has no netbios; and
     * Suricata's smb is TCP only (a NetBIOS datagram on UDP 138 is no smb). */
    assert_int_equal(app_ndpi_map_proto(NDPI_PROTOCOL_NETBIOS, NDPI_PROTOCOL_SMBV1, 6),
                     APP_PROTO_SMB);
    assert_int_equal(app_ndpi_map_proto(NDPI_PROTOCOL_NETBIOS, NDPI_PROTOCOL_SMBV1, 17),
                     APP_PROTO_UNKNOWN);
    assert_int_equal(app_ndpi_map_proto(NDPI_PROTOCOL_UNKNOWN, NDPI_PROTOCOL_QUIC, 17),
                     APP_PROTO_QUIC);
    assert_int_equal(app_ndpi_map_proto(NDPI_PROTOCOL_UNKNOWN, NDPI_PROTOCOL_BITTORRENT, 6),
                     APP_PROTO_UNKNOWN);
    assert_int_equal(app_ndpi_map_proto(0xffff, 0xffff, 6), APP_PROTO_UNKNOWN);
    assert_true(app_ndpi_is_own(app_ndpi_map_proto(NDPI_PROTOCOL_DNS, NDPI_PROTOCOL_GOOGLE, 17)));
    assert_string_equal(app_proto_name(APP_PROTO_QUIC), "quic");
    assert_string_equal(app_proto_name(APP_PROTO_RFB), "rfb");
    assert_string_equal(app_proto_name(APP_PROTO_KRB5), "krb5");
    assert_string_equal(app_proto_name(APP_PROTO_MDNS), "mdns");
    assert_string_equal(app_proto_name(APP_PROTO_FAILED), "failed");
}

static void
test_heap_classes(void **state)
{
    struct nfx *n = *state;
    uint8_t *a, *b, *c;

    app_ndpi_enter(n->x);
    a = app_ndpi_hook_malloc(1);
    b = app_ndpi_hook_malloc(48); /* 48 + 16 -> a 64-byte chunk */
    assert_non_null(a);
    assert_non_null(b);
    assert_true(app_ndpi_heap_owns(&n->x->heap, a));
    assert_int_equal(app_ndpi_heap_cap(a), 16);
    assert_int_equal(app_ndpi_heap_cap(b), 48);
    memset(b, 0x5a, 48);
    c = app_ndpi_hook_realloc(b, 100);
    assert_non_null(c);
    assert_int_equal(c[47], 0x5a);
    assert_int_equal(app_ndpi_heap_cap(c), 112);
    /* The freed 64-byte chunk is reused. */
    assert_ptr_equal(app_ndpi_hook_malloc(40), b);
    assert_null(app_ndpi_hook_malloc((size_t)1 << 20)); /* past the largest class */
    assert_int_equal(n->ctr[STAT_NDPI_MEMCAP], 1);
    app_ndpi_hook_free(a);
    app_ndpi_hook_free(b);
    app_ndpi_hook_free(c);
    assert_int_equal(n->ctr[STAT_NDPI_MEMUSE], 0);
    app_ndpi_leave(NULL);
}

/* ---- The project's capture through the flow table ---- */

struct replay {
    struct nfx *n;
    struct flow_table ft;
    char members[4][256];
    uint8_t app[4];
    uint16_t dport[4];
    unsigned ended;
};

static void
replay_end(void *ctx, struct flow *f, uint64_t now_us)
{
    struct replay *r = ctx;

    (void)now_us;
    app_ndpi_flow_end(r->n->x, f);
    if (r->ended < 4) {
        emit_members(r->n, f, r->members[r->ended], sizeof(r->members[0]));
        r->app[r->ended] = f->app_proto;
        r->dport[r->ended] = f->key.dp;
    }
    r->ended++;
    app_ndpi_flow_put(r->n->x, f);
}

static const char *
replay_find(const struct replay *r, uint8_t app)
{
    unsigned i;

    for (i = 0; i < r->ended && i < 4; i++)
        if (r->app[i] == app)
            return r->members[i];
    return NULL;
}

static void
test_capture_quic_ntp_tls_ssh(void **state)
{
    struct nfx *n = *state;
    struct replay *r = calloc(1, sizeof(*r));
    struct flow_config fc;
    char err[PCAP_ERRBUF_SIZE];
    struct pcap_pkthdr *h;
    const u_char *data;
    pcap_t *pc;
    const char *m;

    assert_non_null(r);
    r->n = n;
    pc = pcap_open_offline("pcaps/appid/app-id.pcap", err);
    assert_non_null(pc);
    flow_config_defaults(&fc);
    fc.memcap = 1u << 20;
    fc.hash_size = 64;
    fc.seed = 7;
    assert_int_equal(flow_table_init(&r->ft, &fc, n->ctr, replay_end, r), 0);
    while (pcap_next_ex(pc, &h, &data) == 1) {
        struct pkt *p = &n->p;
        struct flow *f;
        int dir = 0;
        dec_pkt_init(p, data, h->caplen, h->len,
                     (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec, pcap_datalink(pc),
                     n->ctr);
        (void)dec_packet(p);
        if (!(p->flags & PKT_HAS_L4))
            continue;
        f = flow_table_handle(&r->ft, p, &dir);
        assert_non_null(f);
        feed(n, f, p, dir == FLOW_TOSERVER);
    }
    pcap_close(pc);
    flow_table_flush(&r->ft, T0_US);
    flow_table_fini(&r->ft);
    assert_int_equal(r->ended, 4);
    m = replay_find(r, APP_PROTO_QUIC);
    assert_non_null(m);
    assert_string_equal(m, "{\"quic\":{\"sni\":\"quic.example.org\"}}");
    m = replay_find(r, APP_PROTO_TLS);
    assert_non_null(m);
    assert_string_equal(m, "{\"tls\":{\"sni\":\"www.example.org\"}}");
    assert_non_null(replay_find(r, APP_PROTO_SSH));
    assert_non_null(replay_find(r, APP_PROTO_NTP));
    assert_int_equal(n->ctr[STAT_NDPI_FLOWS], 4);
    assert_int_equal(n->ctr[STAT_NDPI_DETECTED], 4);
    assert_int_equal(n->ctr[STAT_NDPI_MEMUSE], 0);
#if TEST_MALLOC_AUDIT
    /* QUIC Initial decryption included: libgcrypt's handles came from the heap. */
    assert_int_equal(audit_libc_allocs, 0);
#endif
    free(r);
}

static void
test_malloc_audit_works(void **state)
{
    (void)state;
#if TEST_MALLOC_AUDIT
    {
        /* Called through a volatile pointer so the compiler cannot fold them away. */
        char *(*volatile dup)(const char *) = strdup;
        unsigned long before = audit_libc_allocs;
        char *p;
        audit_on = true;
        p = dup("seen by the interposer"); /* libc's own malloc call, as nDPI's would be */
        audit_on = false;
        assert_non_null(p);
        free(p);
        /* The interposer sees libc-internal allocations: the zero counts above mean something. */
        assert_int_equal(audit_libc_allocs, before + 1);
        audit_libc_allocs = before;
    }
#else
    skip(); /* sanitizers own malloc here */
#endif
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, nfx_setup, nfx_teardown)
    const struct CMUnitTest tests[] = {
            T(test_tls_client_hello_gives_tls_and_sni),
            T(test_tls_probed_keeps_probe_answer),
            T(test_tls_split_hello_uses_heap),
            T(test_heap_cap_counted),
            T(test_ssh_banners_give_ssh),
            T(test_http_claimed_never_reaches_ndpi),
            T(test_claimed_later_gives_state_back),
            T(test_pool_empty_counted),
            T(test_giveup_after_max_packets),
            T(test_no_payload_takes_no_state),
            T(test_metadata_object),
            cmocka_unit_test(test_map_names),
            T(test_heap_classes),
            T(test_capture_quic_ntp_tls_ssh),
            cmocka_unit_test(test_malloc_audit_works),
    };
#undef T

    return cmocka_run_group_tests_name("ndpi", tests, NULL, NULL);
}
