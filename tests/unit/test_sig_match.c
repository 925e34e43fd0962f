/*
 * test_sig_match.c - unit tests for the matcher: content inspection
 * (signatures/sig_content.c: depth, offset, distance, within, negation,
 * nocase, startswith/endswith, backtracking of relative matches, pcre
 * and its relative/negated forms), and the worker path on decoded
 * packets (sig_match.c, sig_state.c, sig_thresh.c, sig_alert.c):
 * flowbits, thresholds and detection_filter, IP-only once per
 * direction, pass, packet-alert-max, stream windows inspected at flow
 * end, the EVE alert record (sensor/out_eve_alert.c), and the hand-over of
 * per-flow state to a new rule set on reload (sig_thread_adopt).
 *
 * Packets are raw IPv4 frames (DLT 12) built here and decoded by the
 * real decoders; flows are entries of a small array standing for the
 * worker's flow table.
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

#include "decode.h"
#include "flow.h"
#include "out_eve.h"
#include "../decoders/app_smtp.h"
#include "out_eve_writer.h"
#include "sig_int.h"

struct tx {
    struct sig_db db;
    struct sig_thread *t;
    struct eve eve;
    struct eve_writer w;
    char path[64];
    uint64_t ctr[STAT_ID_COUNT];
    struct flow flows[4];
    uint8_t frame[2048];
    struct pkt pkt;
    char out[65536];
};

/* A set built from rules (NULL-terminated), a worker context and an EVE file. */
static struct tx *
tx_new(const char *const *rules)
{
    struct tx *x = calloc(1, sizeof(*x));
    struct sig_parse *ps;
    char err[256];
    int fd;

    assert_non_null(x);
    assert_int_equal(sig_db_init(&x->db), 0);
    ps = sig_parse_create(&x->db, NULL);
    assert_non_null(ps);
    for (; *rules != NULL; rules++)
        if (sig_parse_rule(ps, *rules) < 0)
            fail_msg("%s: %s", *rules, ps->err);
    sig_parse_destroy(ps);
    assert_int_equal(sig_db_build(&x->db, err, sizeof(err)), 0);
    assert_int_equal(eve_init(&x->eve), 0);
    x->eve.n_out = 1;
    x->eve.out[0].types[EVE_TYPE_ALERT] = true;
    eve_alert_cfg_defaults(&x->eve.out[0].alert);
    snprintf(x->path, sizeof(x->path), "/tmp/test_sig_match.XXXXXX");
    fd = mkstemp(x->path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(eve_writer_open(&x->w, x->path, false), 0);
    x->eve.writers = &x->w;
    x->t = sig_thread_create(&x->db, x->flows, 4, &x->eve, x->ctr);
    assert_non_null(x->t);
    return x;
}

static void
tx_free(struct tx *x)
{
    sig_thread_destroy(x->t);
    eve_writer_close(&x->w);
    unlink(x->path);
    eve_fini(&x->eve);
    sig_db_fini(&x->db);
    free(x);
}

/* The EVE file so far. */
static const char *
tx_eve(struct tx *x)
{
    FILE *fp;
    size_t n;

    eve_writer_flush(&x->w);
    fp = fopen(x->path, "r");
    assert_non_null(fp);
    n = fread(x->out, 1, sizeof(x->out) - 1, fp);
    x->out[n] = '\0';
    fclose(fp);
    return x->out;
}

static unsigned
count_str(const char *hay, const char *needle)
{
    unsigned n = 0;

    while ((hay = strstr(hay, needle)) != NULL) {
        n++;
        hay += strlen(needle);
    }
    return n;
}

/* ---- content inspection ---- */

/* Does the payload list of the one rule match buf? */
static bool
lm(const char *rule, const char *buf, size_t len)
{
    const char *rules[] = {rule, NULL};
    struct tx *x = tx_new(rules);
    bool r;

    assert_int_equal(x->db.n_sigs, 1);
    r = sig_list_match(x->t, &x->db.sigs[0]->payload, (const uint8_t *)buf, (uint32_t)len);
    tx_free(x);
    return r;
}

#define LM(rule, s) lm("alert tcp any any -> any any (" rule " sid:1;)", s, strlen(s))

static void
test_content_basic(void **state)
{
    (void)state;
    assert_true(LM("content:\"abc\";", "xxabcxx"));
    assert_false(LM("content:\"abc\";", "ab"));
    assert_true(LM("content:\"|61 62|c\";", "abc"));
    assert_true(LM("content:\"a\\;b\";", "xa;b"));
    assert_true(LM("content:\"ABC\"; nocase;", "xaBc"));
    assert_false(LM("content:\"ABC\";", "xaBc"));
    /* an empty buffer matches nothing, not even a negated content */
    assert_false(LM("content:!\"x\";", ""));
    assert_true(LM("content:!\"evil\";", "good"));
    assert_false(LM("content:!\"evil\";", "so evil"));
}

static void
test_content_absolute(void **state)
{
    (void)state;
    assert_true(LM("content:\"abc\"; depth:4;", "xabc"));
    assert_false(LM("content:\"abc\"; depth:4;", "xxabc"));
    assert_true(LM("content:\"abc\"; offset:2;", "xxabc"));
    assert_false(LM("content:\"abc\"; offset:2;", "xabcx"));
    assert_true(LM("content:\"abc\"; offset:1; depth:3;", "xabc"));
    assert_false(LM("content:\"abc\"; offset:1; depth:3;", "xxabc"));
    assert_true(LM("content:\"GET\"; startswith;", "GET /"));
    assert_false(LM("content:\"GET\"; startswith;", " GET /"));
    assert_true(LM("content:\".exe\"; endswith;", "a.exe"));
    assert_false(LM("content:\".exe\"; endswith;", "a.exe "));
    /* a later occurrence can still end the buffer */
    assert_true(LM("content:\"ab\"; endswith;", "abxab"));
    /* negated endswith: present, but not at the end, still holds */
    assert_true(LM("content:!\".com\"; endswith;", "a.net"));
    assert_false(LM("content:!\".com\"; endswith;", "a.com"));
    assert_true(LM("content:!\".com\"; endswith;", "a.comx"));
}

static void
test_content_relative(void **state)
{
    (void)state;
    assert_true(LM("content:\"a\"; content:\"b\"; distance:1; within:1;", "axb"));
    assert_false(LM("content:\"a\"; content:\"b\"; distance:1; within:1;", "ab"));
    assert_false(LM("content:\"a\"; content:\"b\"; distance:1; within:1;", "axxb"));
    /* the first "a" fails the window; the search goes on to the second one */
    assert_true(LM("content:\"a\"; content:\"b\"; distance:0; within:1;", "axab"));
    /* negative distance looks back */
    assert_true(LM("content:\"bc\"; content:\"a\"; distance:-3; within:1;", "abc"));
    /* relative negation: no "b" right after the "a" */
    assert_true(LM("content:\"a\"; content:!\"b\"; distance:0; within:1;", "ac"));
    assert_false(LM("content:\"a\"; content:!\"b\"; distance:0; within:1;", "ab"));
    /* three levels, the middle one backtracking */
    assert_true(LM("content:\"x\"; content:\"y\"; distance:0; content:\"z\"; distance:0; "
                   "within:1;",
                   "xyqyz"));
    /* Suricata's bug-docs-5030 rule: 35 bytes match, 39 do not */
    assert_true(LM("content:\"yYYYYYYYYYYYYYYYY\"; distance:9; within:29; endswith;",
                   "012345678901234567yYYYYYYYYYYYYYYYY"));
    assert_false(LM("content:\"yYYYYYYYYYYYYYYYY\"; distance:9; within:29; endswith;",
                    "0123456789012345678901yYYYYYYYYYYYYYYYY"));
}

static void
test_pcre(void **state)
{
    (void)state;
    assert_true(LM("pcre:\"/^gEt/i\";", "GET /"));
    assert_false(LM("pcre:\"/^gEt/\";", "GET /"));
    assert_true(LM("content:\"GET\"; pcre:\"/^\\s+\\//R\";", "GET /x"));
    assert_false(LM("content:\"GET\"; pcre:\"/^\\s+\\//R\";", "GET x/"));
    assert_true(LM("pcre:!\"/two/\";", "one"));
    assert_false(LM("pcre:!\"/two/\";", "one two"));
    /* a content relative to a pcre: the pcre's later match is tried */
    assert_true(LM("pcre:\"/a./\"; content:\"z\"; distance:0; within:1;", "abcadz"));
}

/* ---- packets ---- */

static uint16_t
csum16(const uint8_t *p, size_t n)
{
    uint32_t s = 0;
    size_t i;

    for (i = 0; i + 1 < n; i += 2)
        s += (uint32_t)p[i] << 8 | p[i + 1];
    if (n & 1)
        s += (uint32_t)p[n - 1] << 8;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

/* Decode an IPv4 UDP (proto 17), TCP (6) or ICMP echo (1) packet into x->pkt. */
static struct pkt *
mkpkt(struct tx *x, uint8_t proto, const uint8_t src[4], const uint8_t dst[4], uint16_t sp,
      uint16_t dp, const char *payload, uint8_t tcp_flags, uint64_t ts_us)
{
    uint8_t *b = x->frame;
    size_t plen = strlen(payload), l4 = proto == 6 ? 20 : 8, n = 20 + l4 + plen;
    uint16_t c;

    memset(b, 0, n);
    b[0] = 0x45;
    b[2] = (uint8_t)(n >> 8);
    b[3] = (uint8_t)n;
    b[8] = 64;
    b[9] = proto;
    memcpy(b + 12, src, 4);
    memcpy(b + 16, dst, 4);
    c = csum16(b, 20);
    b[10] = (uint8_t)(c >> 8);
    b[11] = (uint8_t)c;
    if (proto == 1) {
        b[20] = 8; /* echo request, id sp, seq dp */
        b[24] = (uint8_t)(sp >> 8);
        b[25] = (uint8_t)sp;
        b[26] = (uint8_t)(dp >> 8);
        b[27] = (uint8_t)dp;
    } else {
        b[20] = (uint8_t)(sp >> 8);
        b[21] = (uint8_t)sp;
        b[22] = (uint8_t)(dp >> 8);
        b[23] = (uint8_t)dp;
        if (proto == 17) {
            b[24] = (uint8_t)((8 + plen) >> 8);
            b[25] = (uint8_t)(8 + plen);
        } else {
            b[32] = 0x50;
            b[33] = tcp_flags;
            b[34] = 0xff;
        }
    }
    memcpy(b + 20 + l4, payload, plen);
    dec_pkt_init(&x->pkt, b, (uint32_t)n, (uint32_t)n, ts_us, DEC_DLT_RAW, x->ctr);
    x->pkt.pcap_cnt = 1;
    (void)dec_packet(&x->pkt);
    assert_true(x->pkt.flags & PKT_HAS_L4);
    return &x->pkt;
}

static const uint8_t A[4] = {10, 0, 0, 1}, B[4] = {10, 0, 0, 2};

/* Flow i of x: UDP A:1000 -> B:53 (or proto), established. */
static struct flow *
mkflow(struct tx *x, unsigned i, uint8_t proto)
{
    struct flow *f = &x->flows[i];

    memset(f, 0, sizeof(*f));
    memcpy(f->key.src, A, 4);
    memcpy(f->key.dst, B, 4);
    f->key.sp = 1000;
    f->key.dp = 53;
    f->key.proto = proto;
    f->key.ip_ver = 4;
    f->flow_id = 1000 + i;
    f->state = FLOW_STATE_ESTABLISHED;
    return f;
}

/* Flow i as an established TCP session: the state every stream test starts from. */
static struct flow *
mkflow_tcp(struct tx *x, unsigned i)
{
    struct flow *f = mkflow(x, i, 6);

    f->flags |= FLOW_F_TCP_SESSION;
    f->tcp_state = FLOW_TCP_ESTABLISHED;
    return f;
}

/* A packet of mkflow's A:1000 <-> B:53 going dir, so the tuple is written once. */
static struct pkt *
flow_pkt(struct tx *x, uint8_t proto, int dir, const char *payload, uint8_t tcp_flags, uint64_t ts)
{
    return dir == FLOW_TOSERVER ? mkpkt(x, proto, A, B, 1000, 53, payload, tcp_flags, ts)
                                : mkpkt(x, proto, B, A, 53, 1000, payload, tcp_flags, ts);
}

/* One packet of flow f (direction dir) through the worker's detection. */
static void
run(struct tx *x, struct flow *f, int dir, const char *payload, uint64_t ts)
{
    struct pkt *p = flow_pkt(x, 17, dir, payload, 0, ts);

    sig_packet_begin(x->t, p, f, dir);
    sig_packet(x->t, p, f, dir);
}

/* TCP data of flow f going dir, fed to the stream as the worker does between begin and end. */
static struct pkt *
stream_bytes(struct tx *x, struct flow *f, int dir, const char *payload, uint64_t ts)
{
    struct pkt *p = flow_pkt(x, 6, dir, payload, TCP_ACK | TCP_PSH, ts);

    sig_packet_begin(x->t, p, f, dir);
    sig_stream_data(x->t, f, dir, p->data + p->payload_off, p->payload_len, 0);
    sig_packet(x->t, p, f, dir);
    return p;
}

static void
test_flowbits(void **state)
{
    const char *rules[] = {
            "alert udp any any -> any any (content:\"login\"; flowbits:set,auth; "
            "flowbits:noalert; sid:1;)",
            "alert udp any any -> any any (content:\"secret\"; flowbits:isset,auth; sid:2;)",
            "alert udp any any -> any any (content:\"bye\"; flowbits:unset,auth; noalert; sid:3;)",
            NULL};
    struct tx *x = tx_new(rules);
    struct flow *f = mkflow(x, 0, 17), *g = mkflow(x, 1, 17);

    (void)state;
    run(x, f, FLOW_TOSERVER, "secret", 1);
    assert_int_equal(x->ctr[STAT_DETECT_ALERT], 0);
    run(x, f, FLOW_TOSERVER, "login", 2);
    assert_int_equal(x->ctr[STAT_DETECT_ALERT], 0);
    assert_int_equal(x->ctr[STAT_DETECT_ALERTS_SUPPRESSED], 1); /* noalert */
    run(x, g, FLOW_TOSERVER, "secret", 3);                      /* other flow: no bit */
    assert_int_equal(x->ctr[STAT_DETECT_ALERT], 0);
    run(x, f, FLOW_TOCLIENT, "secret", 4);
    assert_int_equal(x->ctr[STAT_DETECT_ALERT], 1);
    assert_true(f->flags & FLOW_F_ALERTED);
    run(x, f, FLOW_TOSERVER, "bye", 5);
    run(x, f, FLOW_TOSERVER, "secret", 6);
    assert_int_equal(x->ctr[STAT_DETECT_ALERT], 1);
    assert_int_equal(count_str(tx_eve(x), "\"signature_id\":2"), 1);
    sig_flow_end(x->t, f, 7);
    sig_flow_end(x->t, g, 7);
    tx_free(x);
}

/* Alerts of rule sid for n identical packets of one flow, 1 s apart. */
static unsigned
alerts_for(const char *rule, unsigned n)
{
    const char *rules[] = {rule, NULL};
    struct tx *x = tx_new(rules);
    struct flow *f = mkflow(x, 0, 17);
    unsigned i, a;

    for (i = 0; i < n; i++)
        run(x, f, FLOW_TOSERVER, "ping", 1000000ull * (i + 1));
    a = (unsigned)x->ctr[STAT_DETECT_ALERT];
    assert_int_equal(a + x->ctr[STAT_DETECT_ALERTS_SUPPRESSED], n);
    sig_flow_end(x->t, f, 0);
    tx_free(x);
    return a;
}

static void
test_thresholds(void **state)
{
    (void)state;
    assert_int_equal(alerts_for("alert udp any any -> any any (content:\"ping\"; threshold:type "
                                "limit, track by_flow, count 2, seconds 60; sid:1;)",
                                5),
                     2);
    assert_int_equal(alerts_for("alert udp any any -> any any (content:\"ping\"; threshold:type "
                                "threshold, track by_src, count 2, seconds 60; sid:1;)",
                                5),
                     2);
    assert_int_equal(alerts_for("alert udp any any -> any any (content:\"ping\"; threshold:type "
                                "both, track by_dst, count 3, seconds 60; sid:1;)",
                                5),
                     1);
    assert_int_equal(alerts_for("alert udp any any -> any any (content:\"ping\"; threshold:type "
                                "backoff, track by_flow, count 1, multiplier 2; sid:1;)",
                                9),
                     4); /* hits 1, 2, 4, 8 */
    assert_int_equal(alerts_for("alert udp any any -> any any (content:\"ping\"; "
                                "detection_filter:track by_rule, count 2, seconds 60; sid:1;)",
                                5),
                     3);
    /* the window ends: limit counts again */
    assert_int_equal(alerts_for("alert udp any any -> any any (content:\"ping\"; threshold:type "
                                "limit, track by_both, count 1, seconds 2; sid:1;)",
                                6),
                     2);
}

static void
test_iponly_pass_max(void **state)
{
    const char *iponly[] = {"alert ip 10.0.0.1 any -> any any (sid:1;)", NULL};
    const char *pass[] = {"pass udp any any -> any any (content:\"ok\"; sid:1;)",
                          "alert udp any any -> any any (content:\"o\"; sid:2;)", NULL};
    const char *many[] = {"alert udp any any -> any any (content:\"x\"; sid:1;)",
                          "alert udp any any -> any any (content:\"x\"; sid:2;)",
                          "alert udp any any -> any any (content:\"x\"; sid:3;)", NULL};
    struct tx *x;
    struct flow *f;

    (void)state;
    x = tx_new(iponly);
    f = mkflow(x, 0, 17);
    run(x, f, FLOW_TOSERVER, "a", 1);
    run(x, f, FLOW_TOSERVER, "b", 2);
    run(x, f, FLOW_TOCLIENT, "c", 3); /* other direction: 10.0.0.1 is the destination */
    assert_int_equal(x->ctr[STAT_DETECT_ALERT], 1);
    sig_flow_end(x->t, f, 4);
    tx_free(x);

    x = tx_new(pass);
    f = mkflow(x, 0, 17);
    run(x, f, FLOW_TOSERVER, "o", 1);
    assert_int_equal(x->ctr[STAT_DETECT_ALERT], 1);
    run(x, f, FLOW_TOSERVER, "ok", 2); /* pass: no alert, the flow is passed */
    run(x, f, FLOW_TOSERVER, "o", 3);
    assert_int_equal(x->ctr[STAT_DETECT_ALERT], 1);
    sig_flow_end(x->t, f, 4);
    tx_free(x);

    x = tx_new(many);
    x->db.packet_alert_max = 2;
    f = mkflow(x, 0, 17);
    run(x, f, FLOW_TOSERVER, "x", 1);
    assert_int_equal(x->ctr[STAT_DETECT_ALERT], 2);
    assert_int_equal(x->ctr[STAT_DETECT_ALERT_QUEUE_OVERFLOW], 1);
    assert_int_equal(count_str(tx_eve(x), "\"signature_id\":3"), 0); /* the last in order */
    sig_flow_end(x->t, f, 2);
    tx_free(x);
}

static void
test_alert_record(void **state)
{
    const char *rules[] = {NULL, NULL};
    struct tx *x;
    struct flow *f;
    const char *e;

    (void)state;
    rules[0] = "alert udp any any -> any 53 (msg:\"dns \\\"probe\\\"\"; content:\"|01|q\"; "
               "classtype:trojan-activity; metadata:tag a, tag b, x y; target:dest_ip; sid:7; "
               "rev:3;)";
    x = tx_new(rules);
    x->eve.out[0].alert.payload_printable = true;
    x->eve.out[0].alert.payload_b64 = true;
    f = mkflow(x, 0, 17);
    run(x, f, FLOW_TOSERVER, "\x01qz", 1500000);
    e = tx_eve(x);
    assert_non_null(strstr(e, "\"event_type\":\"alert\",\"src_ip\":\"10.0.0.1\",\"src_port\":1000,"
                              "\"dest_ip\":\"10.0.0.2\",\"dest_port\":53,\"ip_v\":4,\"proto\":"
                              "\"UDP\",\"pkt_src\":\"wire/pcap\""));
    assert_non_null(strstr(e, "\"alert\":{\"action\":\"allowed\",\"gid\":1,\"signature_id\":7,"
                              "\"rev\":3,\"signature\":\"dns \\\"probe\\\"\",\"category\":\"A "
                              "Network Trojan was detected\",\"severity\":1,"
                              "\"source\":{\"ip\":\"10.0.0.1\",\"port\":1000},"
                              "\"target\":{\"ip\":\"10.0.0.2\",\"port\":53},"
                              "\"metadata\":{\"tag\":[\"a\",\"b\"],\"x\":[\"y\"]}}"));
    assert_non_null(strstr(e, "\"direction\":\"to_server\",\"flow\":{\"pkts_toserver\":0"));
    assert_non_null(strstr(e, "\"payload\":\"AXF6\",\"payload_printable\":\".qz\",\"stream\":0"));
    sig_flow_end(x->t, f, 2);
    tx_free(x);
}

/* Stream bytes in two pieces, never acknowledged: inspected when the flow ends. */
static void
test_stream_flow_end(void **state)
{
    const char *rules[] = {"alert tcp any any -> any any (content:\"Please Let Me In!\"; sid:4;)",
                           "alert tcp-pkt any any -> any any (content:\"Let\"; sid:5;)", NULL};
    struct tx *x = tx_new(rules);
    struct flow *f = mkflow_tcp(x, 0);
    const char *e;

    (void)state;
    f->rs_next_seq[FLOW_TOCLIENT] = 100;
    stream_bytes(x, f, FLOW_TOCLIENT, "Please Let", 1);
    /* the packet rule saw the packet; the stream rule waits for the rest */
    assert_int_equal(x->ctr[STAT_DETECT_ALERT], 1);
    f->rs_next_seq[FLOW_TOCLIENT] = 110;
    stream_bytes(x, f, FLOW_TOCLIENT, " Me In!", 2);
    assert_int_equal(x->ctr[STAT_DETECT_ALERT], 1);
    sig_flow_end(x->t, f, 3);
    assert_int_equal(x->ctr[STAT_DETECT_ALERT], 2);
    e = tx_eve(x);
    assert_non_null(strstr(e, "\"pkt_src\":\"stream (flow timeout)\""));
    assert_non_null(strstr(e, "\"signature_id\":4"));
    assert_non_null(strstr(e, "\"src_ip\":\"10.0.0.2\",\"src_port\":53,\"dest_ip\":\"10.0.0.1\""));
    assert_non_null(strstr(e, "\"direction\":\"to_client\""));
    tx_free(x);
}

/* Client bytes of flow f at its next sequence number, through one packet. */
static void
client_bytes(struct tx *x, struct flow *f, const char *payload, uint64_t ts)
{
    struct pkt *p = stream_bytes(x, f, FLOW_TOSERVER, payload, ts);

    f->rs_next_seq[FLOW_TOSERVER] += p->payload_len;
}

/*
 * An SMTP transaction that ends (here STARTTLS) makes the client's stream
 * bytes so far due for inspection, so the TLS handshake after it starts a
 * window of its own: a content anchored at depth 0 finds the ClientHello.
 */
static void
test_smtp_tx_triggers_stream(void **state)
{
    const char *rules[] = {"alert tcp any any -> any any (content:\"|16 03|\"; depth:2; sid:6;)",
                           NULL};
    struct tx *x = tx_new(rules);
    struct flow *f = mkflow_tcp(x, 0);
    struct smtp_tx stx;
    struct pkt *p;

    (void)state;
    memset(&stx, 0, sizeof(stx));
    f->app_proto = APP_PROTO_SMTP;
    f->rs_next_seq[FLOW_TOSERVER] = 100;
    client_bytes(x, f, "STARTTLS\r\n", 1);
    /* the server acknowledges it and replies: the transaction ends */
    p = flow_pkt(x, 6, FLOW_TOCLIENT, "220 go ahead\r\n", TCP_ACK | TCP_PSH, 2);
    p->tcp_ack = 110;
    sig_packet_begin(x->t, p, f, FLOW_TOCLIENT);
    sig_smtp_tx(x->t, f, NULL, &stx, false);
    sig_packet(x->t, p, f, FLOW_TOCLIENT);
    /* the client's next packet inspects its 10 acknowledged bytes now */
    client_bytes(x, f, "\x16\x03\x01\x02\x05\x01hello", 3);
    assert_int_equal(x->ctr[STAT_DETECT_ALERT], 0);
    sig_flow_end(x->t, f, 4);
    assert_int_equal(x->ctr[STAT_DETECT_ALERT], 1);
    assert_non_null(strstr(tx_eve(x), "\"signature_id\":6"));
    tx_free(x);
}

/* One TCP packet of flow f to the server with the given flags. */
static void
run_tcp(struct tx *x, struct flow *f, uint8_t fl, uint64_t ts)
{
    struct pkt *p = flow_pkt(x, 6, FLOW_TOSERVER, "GET / HTTP/1.0\r\n\r\n", fl, ts);

    sig_packet_begin(x->t, p, f, FLOW_TOSERVER);
    sig_packet(x->t, p, f, FLOW_TOSERVER);
}

/*
 * A TCP packet sees its flow's protocol once the session is established
 * and the bytes that identified it were acknowledged (Suricata: alproto
 * only with PKT_STREAM_EST, app layer on ACK). TCP Fast Open: the SYN
 * carrying the request does not match "alert http" (detect-engine-proto).
 */
static void
test_app_proto_tcp_seen(void **state)
{
    const char *rules[] = {"alert http any any -> any any (flow:to_server; sid:4;)", NULL};
    struct tx *x = tx_new(rules);
    struct flow *f = mkflow(x, 0, 6);

    (void)state;
    f->flags |= FLOW_F_TCP_SESSION | FLOW_F_APP_PENDING;
    f->app_proto = APP_PROTO_HTTP;
    f->tcp_state = FLOW_TCP_SYN_SENT;
    run_tcp(x, f, TCP_SYN, 1);
    assert_int_equal(x->ctr[STAT_DETECT_ALERT], 0);
    f->tcp_state = FLOW_TCP_ESTABLISHED; /* not acknowledged yet */
    run_tcp(x, f, TCP_ACK, 2);
    assert_int_equal(x->ctr[STAT_DETECT_ALERT], 0);
    f->flags &= (uint8_t)~FLOW_F_APP_PENDING;
    f->tcp_state = FLOW_TCP_SYN_RECV; /* acknowledged, handshake not done */
    run_tcp(x, f, TCP_ACK, 3);
    assert_int_equal(x->ctr[STAT_DETECT_ALERT], 0);
    f->tcp_state = FLOW_TCP_CLOSE_WAIT; /* past the handshake: any later state */
    run_tcp(x, f, TCP_ACK | TCP_FIN, 4);
    assert_int_equal(x->ctr[STAT_DETECT_ALERT], 1);
    f->app_proto = APP_PROTO_DNS; /* another protocol */
    run_tcp(x, f, TCP_ACK, 5);
    assert_int_equal(x->ctr[STAT_DETECT_ALERT], 1);
    sig_flow_end(x->t, f, 6);
    tx_free(x);
}

/* x's worker switches to the set of y (a reload): y's thread, x's flows and output. */
static void
switch_to(struct tx *x, struct tx *y)
{
    struct sig_thread *nt = sig_thread_create(&y->db, x->flows, 4, &x->eve, x->ctr);

    assert_non_null(nt);
    sig_thread_adopt(nt, x->t);
    sig_thread_destroy(y->t);
    y->t = x->t; /* freed with y */
    x->t = nt;
}

static void
test_reload_adopt(void **state)
{
    const char *old_rules[] = {
            "alert udp any any -> any any (content:\"login\"; flowbits:set,auth; "
            "flowbits:set,gone; noalert; sid:1;)",
            "pass udp any any -> any any (content:\"ok\"; sid:3;)", NULL};
    /* The new set numbers its flowbits differently (zzz 0, auth 1, gone 2). */
    const char *new_rules[] = {
            "alert udp any any -> any any (content:\"secret\"; flowbits:isset,zzz; sid:4;)",
            "alert udp any any -> any any (content:\"secret\"; flowbits:isset,auth; sid:2;)",
            "alert udp any any -> any any (content:\"secret\"; flowbits:isset,gone; sid:5;)",
            "alert udp any any -> any any (content:\"o\"; sid:6;)", NULL};
    const char *old_stream[] = {"alert tcp any any -> any any (content:\"Let\"; sid:7;)", NULL};
    const char *new_stream[] = {
            "alert tcp any any -> any any (content:\"Please Let Me In!\"; sid:8;)", NULL};
    struct tx *x = tx_new(old_rules), *y = tx_new(new_rules);
    struct flow *f = mkflow(x, 0, 17), *g = mkflow(x, 1, 17), *h = mkflow(x, 2, 17);
    const char *e;

    (void)state;
    run(x, f, FLOW_TOSERVER, "login", 1);
    run(x, g, FLOW_TOSERVER, "ok", 2);
    assert_int_equal(x->ctr[STAT_DETECT_ALERT], 0);
    switch_to(x, y);
    run(x, f, FLOW_TOSERVER, "secret", 3); /* bits carried over by name: 2 and 5 */
    run(x, g, FLOW_TOSERVER, "o", 4);      /* the flow stays passed */
    run(x, h, FLOW_TOSERVER, "o", 5);      /* a flow of its own: the new rules apply */
    e = tx_eve(x);
    assert_int_equal(count_str(e, "\"signature_id\":2,"), 1);
    assert_int_equal(count_str(e, "\"signature_id\":5,"), 1);
    assert_int_equal(count_str(e, "\"signature_id\":4,"), 0);
    assert_int_equal(count_str(e, "\"signature_id\":6,"), 1);
    assert_int_equal(x->ctr[STAT_DETECT_ALERT], 3);
    sig_flow_end(x->t, f, 6);
    sig_flow_end(x->t, g, 6);
    sig_flow_end(x->t, h, 6);
    tx_free(x);
    tx_free(y);

    /* A stream window half filled under the old set is inspected whole by the new one. */
    x = tx_new(old_stream);
    y = tx_new(new_stream);
    f = mkflow_tcp(x, 0);
    f->rs_next_seq[FLOW_TOCLIENT] = 100;
    stream_bytes(x, f, FLOW_TOCLIENT, "Please Let", 1);
    switch_to(x, y);
    f->rs_next_seq[FLOW_TOCLIENT] = 110;
    stream_bytes(x, f, FLOW_TOCLIENT, " Me In!", 2);
    sig_flow_end(x->t, f, 3);
    e = tx_eve(x);
    assert_int_equal(count_str(e, "\"signature_id\":8,"), 1);
    assert_int_equal(count_str(e, "\"signature_id\":7,"), 0);
    tx_free(x);
    tx_free(y);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_content_basic),      cmocka_unit_test(test_content_absolute),
            cmocka_unit_test(test_content_relative),   cmocka_unit_test(test_pcre),
            cmocka_unit_test(test_flowbits),           cmocka_unit_test(test_thresholds),
            cmocka_unit_test(test_iponly_pass_max),    cmocka_unit_test(test_alert_record),
            cmocka_unit_test(test_stream_flow_end),
            cmocka_unit_test(test_smtp_tx_triggers_stream),    cmocka_unit_test(test_reload_adopt),
            cmocka_unit_test(test_app_proto_tcp_seen),
    };

    return cmocka_run_group_tests_name("sig_match", tests, NULL, NULL);
}
