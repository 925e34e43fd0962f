/*
 * test_dns_tcp.c - unit tests for sensor/app_dns_tcp.c (DNS over TCP):
 * length-prefixed messages cut anywhere or several in one piece, parsed
 * when the other side's ACK covers them; gaps; parser errors; the end of
 * the flow and RST; pool caps and their counters.
 *
 * The harness plays tcp_reasm's part: it hands in-order bytes with
 * f->rs_next_seq[dir] at their first byte, then the ACK packet. Records
 * go to a temporary EVE file, read back as text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../sensor/app_dns_tcp.c"
#include "app_detect.h"
#include "eve_fixture.h"

/* ---- vectors ---------------------------------------------------------- */

/* Query id 0x1234, RD: www.example.com A IN. 33 bytes. */
static const uint8_t v_query[] = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
                                  0x00,
                                  /* 12: www.example.com */
                                  0x03, 0x77, 0x77, 0x77, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c,
                                  0x65, 0x03, 0x63, 0x6f, 0x6d, 0x00,
                                  /* 29: A IN */
                                  0x00, 0x01, 0x00, 0x01};

/* Response id 0x1234, QR RD RA: the question, then www.example.com A 93.184.216.34. 49 bytes. */
static const uint8_t v_response[] = {
        0x12, 0x34, 0x81, 0x80, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
        /* 12: www.example.com A IN */
        0x03, 0x77, 0x77, 0x77, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x03, 0x63, 0x6f,
        0x6d, 0x00, 0x00, 0x01, 0x00, 0x01,
        /* 33: ptr 12, A IN, ttl 60, rdlen 4, 93.184.216.34 */
        0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x04, 0x5d, 0xb8, 0xd8,
        0x22};

/* Query id 0x0002 with Z set and opcode 9: "z" A IN. 19 bytes. */
static const uint8_t v_odd[] = {0x00, 0x02, 0x48, 0x40, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
                                0x00, 0x00, 0x01, 0x7a, 0x00, 0x00, 0x01, 0x00, 0x01};

/* A stream under construction: frames (2-byte length, then the message). */
struct sb {
    uint8_t b[140000];
    size_t n;
};

static void
sb_frame(struct sb *s, const uint8_t *msg, size_t len, uint16_t id)
{
    assert_true(s->n + 2 + len <= sizeof(s->b));
    s->b[s->n++] = (uint8_t)(len >> 8);
    s->b[s->n++] = (uint8_t)len;
    memcpy(s->b + s->n, msg, len);
    if (len >= 2) {
        /* the message id, so records tell which message they are */
        s->b[s->n] = (uint8_t)(id >> 8);
        s->b[s->n + 1] = (uint8_t)id;
    }
    s->n += len;
}

/* ---- harness ------------------------------------------------------------ */

#define SEQ_C 1000u  /* client's first data byte */
#define SEQ_S 50000u /* server's */

static const uint8_t tcli[4] = {10, 0, 0, 1}, tsrv[4] = {10, 0, 0, 53};

struct tfx {
    struct eve_fx fx;
    struct app_dns_tcp_ctx *x;
    struct flow f;
    struct pkt p;
    uint64_t ctr[STAT_ID_COUNT];
};

static void
flow_reset(struct flow *f, uint64_t id)
{
    memset(f, 0, sizeof(*f));
    f->key.ip_ver = 4;
    f->key.proto = 6;
    memcpy(f->key.src, tcli, 4);
    memcpy(f->key.dst, tsrv, 4);
    f->key.sp = 40000;
    f->key.dp = 53;
    f->flow_id = id;
    f->app_proto = APP_PROTO_DNS;
    f->rs_next_seq[0] = SEQ_C;
    f->rs_next_seq[1] = SEQ_S;
}

static int
tfx_make(void **state, uint32_t flows, uint32_t bufs)
{
    struct tfx *t = calloc(1, sizeof(*t));
    struct app_dns_tcp_cfg cfg;

    if (t == NULL || eve_fx_open(&t->fx, "test_dns_tcp", EVE_TYPE_DNS, 1 << 20) < 0)
        return -1;
    eve_dns_cfg_defaults(&t->fx.e.out[0].dns);
    app_dns_tcp_cfg_defaults(&cfg);
    if (flows > 0)
        cfg.flows = flows;
    if (bufs > 0)
        cfg.bufs = bufs;
    t->x = app_dns_tcp_ctx_create(&cfg, &t->fx.e, t->ctr);
    if (t->x == NULL)
        return -1;
    flow_reset(&t->f, 77);
    *state = t;
    return 0;
}

static int
tfx_setup(void **state)
{
    return tfx_make(state, 0, 0);
}

static int
tfx_setup_small(void **state)
{
    return tfx_make(state, 1, 1);
}

static int
tfx_teardown(void **state)
{
    struct tfx *t = *state;

    app_dns_tcp_ctx_destroy(t->x);
    eve_fx_close(&t->fx);
    free(t);
    return 0;
}

/* A TCP packet from the client (dir 0) or the server (dir 1). */
static struct pkt *
tpkt(struct tfx *t, int dir, uint8_t flags, uint32_t ack, uint64_t pcap_cnt)
{
    struct pkt *p = &t->p;

    memset(p, 0, sizeof(*p));
    p->ctr = t->ctr;
    p->ip_ver = 4;
    p->l3_len = 20;
    p->proto = 6;
    p->flags = PKT_HAS_L4;
    memcpy(p->src, dir ? tsrv : tcli, 4);
    memcpy(p->dst, dir ? tcli : tsrv, 4);
    p->sp = dir ? 53 : 40000;
    p->dp = dir ? 40000 : 53;
    p->tcp_flags = flags;
    p->tcp_ack = ack;
    p->pcap_cnt = pcap_cnt;
    p->ts_us = 1600000000000000ull + pcap_cnt;
    return p;
}

/* In-order bytes of direction dir, as tcp_reasm gives them. */
static void
tdata(struct tfx *t, struct flow *f, int dir, const uint8_t *data, size_t len)
{
    struct pkt *p = tpkt(t, dir, TCP_ACK | TCP_PSH, 0, 1);

    app_dns_tcp_data(t->x, f, dir, data, (uint32_t)len, 0, p, p->ts_us);
    f->rs_next_seq[dir] += (uint32_t)len;
}

/* The other side acknowledges direction dir up to its next sequence number minus back. */
static void
tack(struct tfx *t, struct flow *f, int dir, uint32_t back, uint64_t pcap_cnt)
{
    struct pkt *p = tpkt(t, dir ^ 1, TCP_ACK, f->rs_next_seq[dir] - back, pcap_cnt);

    app_dns_tcp_ack(t->x, f, p, dir ^ 1);
}

/* The EVE text written since the last call. */
static const char *
tread(struct tfx *t)
{
    return eve_fx_read_new(&t->fx);
}

/* ---- tests -------------------------------------------------------------- */

/*
 * Two queries cut in two at every byte boundary (and one byte at a time)
 * give the records of the stream given whole.
 */
static void
test_split_every_byte(void **state)
{
    struct tfx *t = *state;
    static struct sb s;
    static char whole[8192];
    size_t k;

    s.n = 0;
    sb_frame(&s, v_query, sizeof(v_query), 0x1111);
    sb_frame(&s, v_query, sizeof(v_query), 0x2222);
    tdata(t, &t->f, 0, s.b, s.n);
    tack(t, &t->f, 0, 0, 7);
    app_dns_tcp_flow_end(t->x, &t->f, 0);
    snprintf(whole, sizeof(whole), "%s", tread(t));
    assert_int_equal(eve_fx_count(whole, "\"event_type\":\"dns\""), 2);
    assert_int_equal(eve_fx_count(whole, "\"pcap_cnt\":7,"), 2);
    assert_non_null(strstr(whole, "\"type\":\"request\",\"tx_id\":0,\"id\":4369,"));
    assert_non_null(strstr(whole, "\"type\":\"request\",\"tx_id\":1,\"id\":8738,"));
    assert_non_null(strstr(whole, "\"src_ip\":\"10.0.0.1\",\"src_port\":40000,"));
    for (k = 0; k <= s.n; k++) {
        flow_reset(&t->f, 77);
        tdata(t, &t->f, 0, s.b, k);
        tdata(t, &t->f, 0, s.b + k, s.n - k);
        tack(t, &t->f, 0, 0, 7);
        app_dns_tcp_flow_end(t->x, &t->f, 0);
        assert_string_equal(tread(t), whole);
    }
    flow_reset(&t->f, 77);
    for (k = 0; k < s.n; k++)
        tdata(t, &t->f, 0, s.b + k, 1);
    tack(t, &t->f, 0, 0, 7);
    app_dns_tcp_flow_end(t->x, &t->f, 0);
    assert_string_equal(tread(t), whole);
    assert_int_equal(app_dns_tcp_states_used(t->x), 0);
    assert_int_equal(app_dns_tcp_bufs_used(t->x), 0);
    assert_int_equal(t->ctr[STAT_APP_LAYER_TX_DNS_TCP], 2 * (s.n + 3));
}

/*
 * Several messages (and a zero length) in one piece: each is parsed once
 * an ACK covers it, with that packet; the buffer goes back when empty.
 */
static void
test_ack_covers(void **state)
{
    struct tfx *t = *state;
    static struct sb s;
    const char *text;

    s.n = 0;
    sb_frame(&s, v_query, sizeof(v_query), 1);
    sb_frame(&s, v_query, 0, 0); /* a zero length: two bytes skipped */
    sb_frame(&s, v_query, sizeof(v_query), 2);
    sb_frame(&s, v_query, sizeof(v_query), 3);
    tdata(t, &t->f, 0, s.b, s.n);
    assert_int_equal(eve_fx_count(tread(t), "\"event_type\":\"dns\""), 0);
    /* Acknowledged up to the middle of the third message. */
    tack(t, &t->f, 0, sizeof(v_query) - 5, 4);
    text = tread(t);
    assert_int_equal(eve_fx_count(text, "\"event_type\":\"dns\""), 2);
    assert_int_equal(eve_fx_count(text, "\"pcap_cnt\":4,"), 2);
    assert_non_null(strstr(text, "\"tx_id\":1,\"id\":2,"));
    assert_int_equal(app_dns_tcp_bufs_used(t->x), 1);
    /* A packet without ACK acknowledges nothing. */
    app_dns_tcp_ack(t->x, &t->f, tpkt(t, 1, TCP_SYN, t->f.rs_next_seq[0], 5), 1);
    assert_int_equal(eve_fx_count(tread(t), "\"event_type\":\"dns\""), 0);
    tack(t, &t->f, 0, 0, 6);
    text = tread(t);
    assert_int_equal(eve_fx_count(text, "\"event_type\":\"dns\""), 1);
    assert_non_null(strstr(text, "\"pcap_cnt\":6,"));
    assert_non_null(strstr(text, "\"tx_id\":2,\"id\":3,"));
    assert_int_equal(app_dns_tcp_bufs_used(t->x), 0);
    assert_int_equal(t->ctr[STAT_APP_LAYER_FLOW_DNS_TCP], 1);
}

/* A response travels server to client: server first in the record, tx ids shared. */
static void
test_response(void **state)
{
    struct tfx *t = *state;
    static struct sb s;
    const char *text;

    s.n = 0;
    sb_frame(&s, v_query, sizeof(v_query), 0x1234);
    tdata(t, &t->f, 0, s.b, s.n);
    tack(t, &t->f, 0, 0, 5);
    s.n = 0;
    sb_frame(&s, v_response, sizeof(v_response), 0x1234);
    tdata(t, &t->f, 1, s.b, s.n);
    tack(t, &t->f, 1, 0, 7);
    text = tread(t);
    assert_int_equal(eve_fx_count(text, "\"event_type\":\"dns\""), 2);
    assert_non_null(strstr(text, "\"pcap_cnt\":7,\"event_type\":\"dns\",\"src_ip\":\"10.0.0.53\","
                                 "\"src_port\":53,\"dest_ip\":\"10.0.0.1\",\"dest_port\":40000,"));
    assert_non_null(strstr(text, "\"type\":\"response\",\"tx_id\":1,\"id\":4660,"));
    assert_non_null(strstr(text, "\"answers\":[{\"rrname\":\"www.example.com\",\"rrtype\":\"A\","
                                 "\"ttl\":60,\"rdata\":\"93.184.216.34\"}]"));
}

/*
 * A gap: the message it cuts is lost (counted), then pieces that do not
 * probe as DNS are dropped until one does.
 */
static void
test_gap(void **state)
{
    struct tfx *t = *state;
    static struct sb s;
    const char *text;
    static const uint8_t junk[] = "this is not dns at all, not even close";

    s.n = 0;
    sb_frame(&s, v_query, sizeof(v_query), 1);
    sb_frame(&s, v_query, sizeof(v_query), 2);
    tdata(t, &t->f, 0, s.b, 2 + sizeof(v_query) + 10);
    /* The rest of message 2 is lost: a gap the server's ACK proves. */
    t->p = *tpkt(t, 1, TCP_ACK, 0, 9);
    app_dns_tcp_data(t->x, &t->f, 0, NULL, (uint32_t)(s.n - (2 + sizeof(v_query) + 10)),
                     APP_FLAG_GAP, &t->p, t->p.ts_us);
    t->f.rs_next_seq[0] += (uint32_t)(s.n - (2 + sizeof(v_query) + 10));
    text = tread(t);
    assert_int_equal(eve_fx_count(text, "\"event_type\":\"dns\""), 1);
    assert_non_null(strstr(text, "\"pcap_cnt\":9,"));
    assert_int_equal(t->ctr[STAT_DNS_TCP_GAP], 1);
    assert_int_equal(t->ctr[STAT_DNS_TCP_TRUNCATED], 1);
    assert_int_equal(app_dns_tcp_bufs_used(t->x), 0);
    tdata(t, &t->f, 0, junk, sizeof(junk));
    assert_int_equal(t->ctr[STAT_DNS_TCP_GAP_SKIPPED], 1);
    s.n = 0;
    sb_frame(&s, v_query, sizeof(v_query), 3);
    tdata(t, &t->f, 0, s.b, s.n);
    tack(t, &t->f, 0, 0, 12);
    text = tread(t);
    assert_int_equal(eve_fx_count(text, "\"event_type\":\"dns\""), 1);
    assert_non_null(strstr(text, "\"tx_id\":1,\"id\":3,"));
    assert_int_equal(t->ctr[STAT_APP_LAYER_ERROR_DNS_TCP_PARSER], 0);
}

/* A response sent to the server, or a non-DNS message, ends the flow's parsing. */
static void
test_parser_error(void **state)
{
    struct tfx *t = *state;
    static struct sb s;

    s.n = 0;
    sb_frame(&s, v_query, sizeof(v_query), 1);
    sb_frame(&s, v_response, sizeof(v_response), 2);
    sb_frame(&s, v_query, sizeof(v_query), 3);
    tdata(t, &t->f, 0, s.b, s.n);
    tack(t, &t->f, 0, 0, 5);
    assert_int_equal(eve_fx_count(tread(t), "\"event_type\":\"dns\""), 1);
    assert_int_equal(t->ctr[STAT_DNS_TCP_NOT_REQUEST], 1);
    assert_int_equal(t->ctr[STAT_APP_LAYER_ERROR_DNS_TCP_PARSER], 1);
    assert_int_equal(app_dns_tcp_bufs_used(t->x), 0);
    /* Nothing more, either way. */
    s.n = 0;
    sb_frame(&s, v_response, sizeof(v_response), 1);
    tdata(t, &t->f, 1, s.b, s.n);
    tack(t, &t->f, 1, 0, 6);
    assert_int_equal(eve_fx_count(tread(t), "\"event_type\":\"dns\""), 0);
    app_dns_tcp_flow_end(t->x, &t->f, 0);

    /* A message that fails the header check (no questions in a query). */
    flow_reset(&t->f, 78);
    s.n = 0;
    sb_frame(&s, v_query, 12, 1);
    s.b[2 + 5] = 0; /* qdcount 0 */
    tdata(t, &t->f, 0, s.b, s.n);
    tack(t, &t->f, 0, 0, 7);
    assert_int_equal(t->ctr[STAT_DNS_TCP_NOT_DNS], 1);
    assert_int_equal(t->ctr[STAT_APP_LAYER_ERROR_DNS_TCP_PARSER], 2);
    app_dns_tcp_flow_end(t->x, &t->f, 0);
    assert_int_equal(app_dns_tcp_states_used(t->x), 0);
}

/* Unacknowledged messages at the end of the flow; a cut one is counted. */
static void
test_flow_end(void **state)
{
    struct tfx *t = *state;
    static struct sb s;
    const char *text;

    s.n = 0;
    sb_frame(&s, v_query, sizeof(v_query), 1);
    sb_frame(&s, v_query, sizeof(v_query), 2);
    tdata(t, &t->f, 0, s.b, s.n - 4);
    app_dns_tcp_flow_end(t->x, &t->f, 1600000000000000ull);
    text = tread(t);
    assert_int_equal(eve_fx_count(text, "\"event_type\":\"dns\""), 1);
    assert_non_null(strstr(text, "\"pkt_src\":\"stream (flow timeout)\""));
    assert_null(strstr(text, "pcap_cnt"));
    assert_int_equal(t->ctr[STAT_DNS_TCP_TRUNCATED], 1);
    assert_int_equal(t->f.app_state, 0);
    assert_int_equal(app_dns_tcp_states_used(t->x), 0);
    assert_int_equal(app_dns_tcp_bufs_used(t->x), 0);
}

/* An RST ends the direction: what is there is parsed with the RST. A FIN waits for the ACK. */
static void
test_eof(void **state)
{
    struct tfx *t = *state;
    static struct sb s;
    struct pkt *p;

    s.n = 0;
    sb_frame(&s, v_query, sizeof(v_query), 1);
    tdata(t, &t->f, 0, s.b, s.n);
    p = tpkt(t, 0, TCP_FIN | TCP_ACK, 0, 3);
    app_dns_tcp_data(t->x, &t->f, 0, NULL, 0, APP_FLAG_EOF, p, p->ts_us);
    assert_int_equal(eve_fx_count(tread(t), "\"event_type\":\"dns\""), 0);
    tack(t, &t->f, 0, 0, 4);
    assert_int_equal(eve_fx_count(tread(t), "\"pcap_cnt\":4,"), 1);

    s.n = 0;
    sb_frame(&s, v_response, sizeof(v_response), 1);
    tdata(t, &t->f, 1, s.b, s.n);
    p = tpkt(t, 1, TCP_RST, 0, 5);
    app_dns_tcp_data(t->x, &t->f, 1, NULL, 0, APP_FLAG_EOF, p, p->ts_us);
    assert_int_equal(eve_fx_count(tread(t), "\"pcap_cnt\":5,"), 1);
    assert_int_equal(app_dns_tcp_bufs_used(t->x), 0);
}

/* Events of a transaction are applayer anomalies, on the acknowledging packet. */
static void
test_events(void **state)
{
    struct tfx *t = *state;
    static struct sb s;
    const char *text;

    s.n = 0;
    sb_frame(&s, v_odd, sizeof(v_odd), 2);
    tdata(t, &t->f, 0, s.b, s.n);
    tack(t, &t->f, 0, 0, 3);
    text = tread(t);
    assert_int_equal(eve_fx_count(text, "\"event_type\":\"dns\""), 1);
    assert_int_equal(eve_fx_count(text, "\"event\":\"z_flag_set\""), 1);
    assert_int_equal(eve_fx_count(text, "\"event\":\"invalid_opcode\""), 1);
    /* LOG_DIR_PACKET: the acknowledging packet went server to client. */
    assert_non_null(strstr(text, "\"event_type\":\"anomaly\",\"src_ip\":\"10.0.0.53\""));
    assert_non_null(strstr(text, "\"tx_id\":0,\"anomaly\":{\"app_proto\":\"dns\","));
}

/* More unacknowledged bytes than a buffer holds: parsed at once, nothing lost. */
static void
test_buffer_full(void **state)
{
    struct tfx *t = *state;
    static struct sb s;
    size_t i, n = 0;

    s.n = 0;
    while (s.n + 2 + sizeof(v_query) <= 70000) {
        sb_frame(&s, v_query, sizeof(v_query), (uint16_t)n);
        n++;
    }
    for (i = 0; i < s.n; i += 1460)
        tdata(t, &t->f, 0, s.b + i, s.n - i < 1460 ? s.n - i : 1460);
    assert_true(t->ctr[STAT_DNS_TCP_UNACKED_PARSED] >= 1);
    tack(t, &t->f, 0, 0, 9);
    assert_int_equal(t->ctr[STAT_APP_LAYER_TX_DNS_TCP], n);
    assert_int_equal(eve_fx_count(tread(t), "\"event_type\":\"dns\""), n);
    assert_int_equal(app_dns_tcp_bufs_used(t->x), 0);
}

/* One state and one buffer: a second flow finds the state pool empty, then the buffer pool. */
static void
test_pools(void **state)
{
    struct tfx *t = *state;
    static struct sb s;
    struct flow *g = calloc(1, sizeof(*g));

    assert_non_null(g);
    s.n = 0;
    sb_frame(&s, v_query, sizeof(v_query), 1);
    tdata(t, &t->f, 0, s.b, s.n); /* holds the state and the buffer */
    flow_reset(g, 99);
    tdata(t, g, 0, s.b, s.n);
    assert_int_equal(g->app_state, APP_STATE_UNFOLLOWED);
    assert_int_equal(t->ctr[STAT_DNS_TCP_STATE_POOL_EMPTY], 1);
    assert_int_equal(t->ctr[STAT_APP_LAYER_FLOW_DNS_TCP], 2);
    tack(t, g, 0, 0, 3);
    app_dns_tcp_flow_end(t->x, g, 0);
    assert_int_equal(g->app_state, 0);
    tack(t, &t->f, 0, 0, 4);
    assert_int_equal(eve_fx_count(tread(t), "\"event_type\":\"dns\""), 1);
    app_dns_tcp_flow_end(t->x, &t->f, 0);

    /* The buffer held by flow f while g, with a state, has bytes to keep. */
    flow_reset(&t->f, 77);
    tdata(t, &t->f, 0, s.b, s.n - 1);
    app_dns_tcp_flow_end(t->x, &t->f, 0);
    assert_int_equal(app_dns_tcp_bufs_used(t->x), 0);
    flow_reset(&t->f, 77);
    tdata(t, &t->f, 0, s.b, 3); /* holds the buffer again, the state too */
    flow_reset(g, 99);
    tdata(t, g, 0, s.b, s.n); /* no state left */
    assert_int_equal(t->ctr[STAT_DNS_TCP_STATE_POOL_EMPTY], 2);
    app_dns_tcp_flow_end(t->x, g, 0);
    app_dns_tcp_flow_end(t->x, &t->f, 0);
    free(g);
}

/* A state but no buffer: the flow stops (counted); the buffer's holder goes on. */
static void
test_buf_pool(void **state)
{
    struct tfx *t = *state;
    static struct sb s;
    struct flow *g = calloc(1, sizeof(*g));
    struct app_dns_tcp_cfg cfg = {.flows = 2, .bufs = 1};

    assert_non_null(g);
    app_dns_tcp_ctx_destroy(t->x);
    t->x = app_dns_tcp_ctx_create(&cfg, &t->fx.e, t->ctr);
    assert_non_null(t->x);
    s.n = 0;
    sb_frame(&s, v_query, sizeof(v_query), 1);
    tdata(t, &t->f, 0, s.b, s.n);
    flow_reset(g, 99);
    tdata(t, g, 0, s.b, s.n);
    assert_int_equal(t->ctr[STAT_DNS_TCP_BUF_POOL_EMPTY], 1);
    tack(t, g, 0, 0, 3);
    tack(t, &t->f, 0, 0, 4);
    assert_int_equal(eve_fx_count(tread(t), "\"event_type\":\"dns\""), 1);
    /* g stays stopped even with the buffer free again. */
    tdata(t, g, 0, s.b, s.n);
    tack(t, g, 0, 0, 5);
    assert_int_equal(eve_fx_count(tread(t), "\"event_type\":\"dns\""), 0);
    app_dns_tcp_flow_end(t->x, g, 0);
    app_dns_tcp_flow_end(t->x, &t->f, 0);
    assert_int_equal(app_dns_tcp_states_used(t->x), 0);
    assert_int_equal(app_dns_tcp_bufs_used(t->x), 0);
    free(g);
}

/* A pending swap: the sequence numbers come from the other slot. */
static void
test_swap_pending(void **state)
{
    struct tfx *t = *state;
    static struct sb s;
    struct pkt *p;

    /* The flow's "client" is the DNS server; detection asked for a swap. */
    t->f.flags |= FLOW_F_SWAP;
    t->f.rs_next_seq[0] = SEQ_S; /* the server's bytes, still in slot 0 */
    t->f.rs_next_seq[1] = SEQ_C;
    s.n = 0;
    sb_frame(&s, v_response, sizeof(v_response), 1);
    p = tpkt(t, 1, TCP_ACK | TCP_PSH, 0, 2);
    app_dns_tcp_data(t->x, &t->f, 1, s.b, (uint32_t)s.n, 0, p, p->ts_us);
    t->f.rs_next_seq[0] += (uint32_t)s.n;
    /* The worker swaps the flow after the packet; the client then acknowledges. */
    t->f.flags &= (uint8_t)~FLOW_F_SWAP;
    t->f.rs_next_seq[1] = t->f.rs_next_seq[0];
    t->f.rs_next_seq[0] = SEQ_C;
    tack(t, &t->f, 1, 1, 3);
    assert_int_equal(eve_fx_count(tread(t), "\"event_type\":\"dns\""), 0);
    tack(t, &t->f, 1, 0, 4);
    assert_int_equal(eve_fx_count(tread(t), "\"type\":\"response\""), 1);
}

/* What the detection hook was given. */
struct seen {
    unsigned n;
    uint64_t pcap_cnt[16]; /* 0: no packet (end of flow) */
    uint64_t tx_id[16];
    bool response[16];
};

static void
on_detect(void *ctx, const struct pkt *p, struct flow *f, const struct dns_msg *m, bool response,
          uint64_t tx_id)
{
    struct seen *s = ctx;

    (void)f;
    assert_non_null(m);
    assert_true(s->n < 16);
    s->pcap_cnt[s->n] = p != NULL ? p->pcap_cnt : 0;
    s->tx_id[s->n] = tx_id;
    s->response[s->n] = response;
    s->n++;
}

/*
 * Detection of a message waits for the next packet of its own direction
 * (the record goes out with the peer's ACK); past APP_DNS_TCP_PENDING
 * waiting messages it runs with the ACK; at the end of the flow, with no
 * packet.
 */
static void
test_detect_waits_for_own_direction(void **state)
{
    struct tfx *t = *state;
    static struct sb s;
    static struct seen seen;
    const char *text;
    unsigned i;

    memset(&seen, 0, sizeof(seen));
    app_dns_tcp_set_detect(t->x, on_detect, &seen);
    s.n = 0;
    for (i = 0; i < 3; i++)
        sb_frame(&s, v_query, sizeof(v_query), (uint16_t)(i + 1));
    tdata(t, &t->f, 0, s.b, s.n);
    tack(t, &t->f, 0, 0, 4);
    text = tread(t);
    assert_int_equal(eve_fx_count(text, "\"event_type\":\"dns\""), 3);
    assert_int_equal(eve_fx_count(text, "\"pcap_cnt\":4,"), 3);
    assert_int_equal(seen.n, 0);
    /* another server packet: still waiting */
    app_dns_tcp_ack(t->x, &t->f, tpkt(t, 1, TCP_ACK, t->f.rs_next_seq[0], 5), 1);
    assert_int_equal(seen.n, 0);
    /* the client's next packet (here a FIN) */
    app_dns_tcp_ack(t->x, &t->f, tpkt(t, 0, TCP_ACK | TCP_FIN, t->f.rs_next_seq[1], 6), 0);
    assert_int_equal(seen.n, 3);
    for (i = 0; i < 3; i++) {
        assert_int_equal(seen.pcap_cnt[i], 6);
        assert_int_equal(seen.tx_id[i], i);
        assert_false(seen.response[i]);
    }
    assert_int_equal(app_dns_tcp_bufs_used(t->x), 0);

    /* More waiting messages than there is room for: all with the ACK. */
    memset(&seen, 0, sizeof(seen));
    s.n = 0;
    for (i = 0; i < APP_DNS_TCP_PENDING + 2; i++)
        sb_frame(&s, v_query, sizeof(v_query), (uint16_t)(i + 10));
    tdata(t, &t->f, 0, s.b, s.n);
    tack(t, &t->f, 0, 0, 7);
    assert_int_equal(seen.n, APP_DNS_TCP_PENDING + 2);
    for (i = 0; i < seen.n; i++) {
        assert_int_equal(seen.pcap_cnt[i], 7);
        assert_int_equal(seen.tx_id[i], 3 + i);
    }
    assert_int_equal(eve_fx_count(tread(t), "\"event_type\":\"dns\""), APP_DNS_TCP_PENDING + 2);

    /* Waiting when the flow ends: inspected without a packet. */
    memset(&seen, 0, sizeof(seen));
    s.n = 0;
    sb_frame(&s, v_query, sizeof(v_query), 99);
    tdata(t, &t->f, 0, s.b, s.n);
    tack(t, &t->f, 0, 0, 8);
    assert_int_equal(seen.n, 0);
    app_dns_tcp_flow_end(t->x, &t->f, 1600000000000000ull);
    assert_int_equal(seen.n, 1);
    assert_int_equal(seen.pcap_cnt[0], 0);
    assert_int_equal(seen.tx_id[0], 3 + APP_DNS_TCP_PENDING + 2);
    assert_int_equal(app_dns_tcp_bufs_used(t->x), 0);
    assert_int_equal(app_dns_tcp_states_used(t->x), 0);
}

int
main(void)
{
#define T(fn)  cmocka_unit_test_setup_teardown(fn, tfx_setup, tfx_teardown)
#define TS(fn) cmocka_unit_test_setup_teardown(fn, tfx_setup_small, tfx_teardown)
    const struct CMUnitTest tests[] = {
            T(test_split_every_byte), T(test_ack_covers), T(test_response), T(test_gap),
            T(test_parser_error),     T(test_flow_end),   T(test_eof),      T(test_events),
            T(test_buffer_full),      TS(test_pools),     T(test_buf_pool), T(test_swap_pending),
            T(test_detect_waits_for_own_direction),
    };
    return cmocka_run_group_tests_name("dns_tcp", tests, NULL, NULL);
}
