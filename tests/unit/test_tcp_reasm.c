/*
 * test_tcp_reasm.c - unit tests for sensor/tcp_reasm.c: in-order delivery
 * both ways, many small segments, out-of-order storage and drain,
 * retransmissions and overlaps (which bytes win), holes the peer ACKs
 * (gaps), holes left at flow end, FIN and RST as end of direction, TCP
 * Fast Open, sequence wraparound, midstream pickup, depth, memcap and
 * segments larger than one pool segment.
 *
 * Packets are struct pkt filled field by field (what the decoders would
 * have set) over a heap buffer of exactly header + payload bytes, so ASan
 * sees any read past the payload. The on_data callback writes every call
 * into a transcript, one word per call:
 *
 *   0:abcd    4 bytes "abcd" given for direction 0 (to server)
 *   1:#1472   1472 bytes given for direction 1 (over 16 or not printable)
 *   0:gap4    a gap of 4 bytes (APP_FLAG_GAP, data NULL)
 *   0:r:cccc  "r:" marks a call for raw inspection only (APP_FLAG_RAW)
 *   1:eof     end of direction 1 (APP_FLAG_EOF, len 0)
 *
 * and appends the data bytes per direction, so long streams are compared
 * byte for byte. Every test ends with the segment pool full again and
 * tcp.reassembly_memuse at 0.
 *
 * Policy observed (and documented by these tests): for stored
 * (out-of-order) segments with the same start the first received bytes
 * win and a difference counts tcp.overlap_diff_data; bytes already given
 * are never given again and are not kept, so a retransmission that differs
 * from them only counts tcp.overlap. The first packet of a direction
 * (SYN, or any packet midstream) fixes its start; an earlier segment seen
 * later is old. Gaps count against the depth.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../sensor/tcp_reasm.c"
#include "../../sensor/tcp_policy.c"

#define CLI FLOW_TOSERVER
#define SRV FLOW_TOCLIENT

/* Initial sequence numbers; C(n) and S(n) are stream offsets after the SYN. */
#define CISN 1000u
#define SISN 5000u
#define C(n) ((uint32_t)(CISN + 1u + (uint32_t)(n)))
#define S(n) ((uint32_t)(SISN + 1u + (uint32_t)(n)))

#define HDR        54u /* Ethernet + IPv4 + TCP headers before the payload */
#define LOG_MAX    4096
#define STREAM_MAX 65536
#define SEGSZ      ((uint64_t)sizeof(struct tcp_seg))
#define POOL_SEGS  64u /* the fixture's pool */

struct rfx {
    uint64_t ctr[STAT_ID_COUNT];
    struct tcp_reasm_cfg cfg;
    struct tcp_reasm r;
    bool r_up;
    struct flow f;
    struct pkt p; /* the last packet sent (its events stay readable) */
    char log[LOG_MAX];
    bool quiet; /* count and keep the bytes, log nothing (long runs) */
    size_t log_len;
    uint8_t stream[2][STREAM_MAX]; /* data bytes given, per direction */
    uint32_t stream_len[2];
    uint64_t gap_bytes[2];
    bool eof[2];
    bool auth; /* packets carry an MD5/TCP-AO option */
};

/* ---- the callback and its transcript ------------------------------------ */

static void
log_add(struct rfx *x, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (x->log_len > 0) {
        assert_true(x->log_len + 1 < LOG_MAX);
        x->log[x->log_len++] = ' ';
        x->log[x->log_len] = '\0';
    }
    va_start(ap, fmt);
    n = vsnprintf(x->log + x->log_len, LOG_MAX - x->log_len, fmt, ap);
    va_end(ap);
    assert_true(n > 0 && (size_t)n < LOG_MAX - x->log_len);
    x->log_len += (size_t)n;
}

static bool
printable(const uint8_t *b, uint32_t len)
{
    uint32_t i;

    if (len > 16)
        return false;
    for (i = 0; i < len; i++)
        if (b[i] <= ' ' || b[i] > '~')
            return false;
    return true;
}

static void
on_data(void *ctx, struct flow *f, int dir, const uint8_t *data, uint32_t len, uint32_t flags)
{
    struct rfx *x = ctx;
    const char *raw = (flags & APP_FLAG_RAW) ? "r:" : "";

    assert_ptr_equal(f, &x->f);
    assert_true(dir == CLI || dir == SRV);
    if (x->eof[dir])
        fail_msg("call for direction %d after its EOF (len %u, flags 0x%x)", dir, len, flags);
    if ((flags & (APP_FLAG_RAW | APP_FLAG_EOF)) == (APP_FLAG_RAW | APP_FLAG_EOF))
        fail_msg("EOF for raw inspection only: the parsers never see it");
    flags &= ~APP_FLAG_RAW;
    switch (flags) {
    case 0:
        assert_non_null(data);
        assert_true(len > 0);
        assert_true(x->stream_len[dir] + len <= STREAM_MAX);
        memcpy(x->stream[dir] + x->stream_len[dir], data, len);
        x->stream_len[dir] += len;
        if (x->quiet)
            break;
        if (printable(data, len))
            log_add(x, "%d:%s%.*s", dir, raw, (int)len, (const char *)data);
        else
            log_add(x, "%d:%s#%u", dir, raw, len);
        break;
    case APP_FLAG_GAP:
        assert_null(data);
        assert_true(len > 0);
        x->gap_bytes[dir] += len;
        log_add(x, "%d:%sgap%u", dir, raw, len);
        break;
    case APP_FLAG_EOF:
        assert_int_equal(len, 0);
        x->eof[dir] = true;
        log_add(x, "%d:eof", dir);
        break;
    default:
        fail_msg("unexpected flags 0x%x", flags);
    }
}

/* Forgets the transcript (not the EOF state). */
static void
log_clear(struct rfx *x)
{
    x->log[0] = '\0';
    x->log_len = 0;
}

#define assert_log(x, want) assert_string_equal((x)->log, (want))

/* ---- fixture --------------------------------------------------------------- */

/* (Re)creates the reassembler with memcap and depth, and a fresh flow. */
static void
rfx_reinit(struct rfx *x, uint64_t memcap, uint32_t depth)
{
    if (x->r_up)
        tcp_reasm_fini(&x->r);
    memset(x->ctr, 0, sizeof(x->ctr));
    x->cfg.memcap = memcap;
    x->cfg.depth = depth;
    assert_int_equal(tcp_reasm_init(&x->r, &x->cfg, x->ctr, on_data, x), 0);
    x->r_up = true;
    memset(&x->f, 0, sizeof(x->f));
    x->f.flags = FLOW_F_TCP_SESSION;
    x->f.key.proto = 6;
    log_clear(x);
    memset(x->stream_len, 0, sizeof(x->stream_len));
    memset(x->gap_bytes, 0, sizeof(x->gap_bytes));
    memset(x->eof, 0, sizeof(x->eof));
}

static int
rfx_setup(void **state)
{
    struct rfx *x = calloc(1, sizeof(*x));

    if (x == NULL)
        return -1;
    tcp_reasm_cfg_defaults(&x->cfg);
    x->cfg.memcap = POOL_SEGS * SEGSZ;
    if (tcp_reasm_init(&x->r, &x->cfg, x->ctr, on_data, x) != 0) {
        free(x);
        return -1;
    }
    x->r_up = true;
    x->f.flags = FLOW_F_TCP_SESSION;
    x->f.key.proto = 6;
    *state = x;
    return 0;
}

static int
rfx_teardown(void **state)
{
    struct rfx *x = *state;

    if (x->r_up)
        tcp_reasm_fini(&x->r);
    free(x);
    return 0;
}

/* ---- packets --------------------------------------------------------------- */

/*
 * One TCP segment of direction dir through tcp_reasm_packet. The payload
 * sits after HDR bytes of headers in a heap buffer of exactly that size.
 */
static struct pkt *
seg_bytes(struct rfx *x, int dir, uint8_t flags, uint32_t seq, uint32_t ack, const void *payload,
          uint32_t len)
{
    struct pkt *p = &x->p;
    uint8_t *buf = malloc(HDR + len);

    assert_non_null(buf);
    memset(buf, 0xee, HDR);
    if (len > 0)
        memcpy(buf + HDR, payload, len);
    memset(p, 0, sizeof(*p));
    p->data = buf;
    p->caplen = p->wirelen = HDR + len;
    p->linktype = DEC_DLT_EN10MB;
    p->ctr = x->ctr;
    p->flags = PKT_HAS_L4;
    p->ip_ver = 4;
    p->proto = 6;
    p->l3_off = 14;
    p->l4_off = 34;
    p->tcp_hlen = 20;
    p->tcp_wscale = 0xff;
    p->tcp_flags = flags;
    p->tcp_seq = seq;
    p->tcp_ack = ack;
    p->tcp_has_auth = x->auth;
    p->payload_off = HDR;
    p->payload_len = len;
    tcp_reasm_packet(&x->r, &x->f, p, dir);
    free(buf);
    p->data = NULL;
    return p;
}

/* A segment with a text payload ("" for none). */
static struct pkt *
seg(struct rfx *x, int dir, uint8_t flags, uint32_t seq, uint32_t ack, const char *text)
{
    return seg_bytes(x, dir, flags, seq, ack, text, (uint32_t)strlen(text));
}

/* SYN, SYN+ACK, ACK. */
static void
handshake(struct rfx *x)
{
    seg(x, CLI, TCP_SYN, CISN, 0, "");
    seg(x, SRV, TCP_SYN | TCP_ACK, SISN, C(0), "");
    seg(x, CLI, TCP_ACK, C(0), S(0), "");
    assert_log(x, "");
}

static bool
has_event(const struct pkt *p, enum dec_event ev)
{
    unsigned i;

    for (i = 0; i < p->n_events; i++)
        if (p->events[i] == ev)
            return true;
    return false;
}

/* A long payload whose bytes depend on their stream offset: 'A' + off % 26. */
static void
pattern(uint8_t *b, uint32_t off, uint32_t len)
{
    uint32_t i;

    for (i = 0; i < len; i++)
        b[i] = (uint8_t)('A' + (off + i) % 26);
}

/* Segments on the free list plus those never handed out. */
static uint32_t
free_segs(const struct tcp_reasm *r)
{
    uint32_t s = r->seg_list.free, n = 0;

    while (s != 0 && n <= r->n_segs) {
        n++;
        s = r->segs[s - 1].next;
    }
    return n + (r->n_segs - r->seg_list.fresh);
}

/* Nothing stored: every pool segment is back on the free list. */
static void
assert_pool_full(struct rfx *x)
{
    assert_int_equal(x->f.rs_ooo[CLI], 0);
    assert_int_equal(x->f.rs_ooo[SRV], 0);
    assert_int_equal(x->ctr[STAT_TCP_REASSEMBLY_MEMUSE], 0);
    assert_int_equal(free_segs(&x->r), x->r.n_segs);
}

/* The flow ends, then the pool is checked. */
static void
flow_end(struct rfx *x)
{
    tcp_reasm_flow_end(&x->r, &x->f);
    assert_pool_full(x);
}

/* ---- configuration ----------------------------------------------------------- */

static void
test_cfg_defaults_and_init(void **state)
{
    struct rfx *x = *state;
    struct tcp_reasm_cfg c;
    struct tcp_reasm r;
    uint64_t ctr[STAT_ID_COUNT];

    memset(&c, 0xa5, sizeof(c));
    tcp_reasm_cfg_defaults(&c);
    /* Suricata's stream.reassembly.memcap 64mb and depth 1mb */
    assert_int_equal(c.memcap, 64ull << 20);
    assert_int_equal(c.depth, 1u << 20);

    assert_int_equal(x->r.n_segs, POOL_SEGS);
    assert_int_equal(free_segs(&x->r), POOL_SEGS);

    /* a memcap below one segment: no storage at all */
    memset(ctr, 0, sizeof(ctr));
    c.memcap = SEGSZ - 1;
    assert_int_equal(tcp_reasm_init(&r, &c, ctr, on_data, x), 0);
    assert_int_equal(r.n_segs, 0);
    assert_null(r.segs);
    assert_int_equal(r.seg_list.free, 0);
    tcp_reasm_fini(&r);
    tcp_reasm_fini(&r); /* twice is harmless */
}

/* ---- in-order delivery ------------------------------------------------------- */

static void
test_handshake_in_order_both_ways(void **state)
{
    struct rfx *x = *state;

    handshake(x);
    seg(x, CLI, TCP_ACK | TCP_PSH, C(0), S(0), "GET/index.html");
    seg(x, SRV, TCP_ACK, S(0), C(14), "");
    seg(x, SRV, TCP_ACK | TCP_PSH, S(0), C(14), "HTTP/1.1-200-OK");
    assert_log(x, "0:GET/index.html 1:HTTP/1.1-200-OK");
    /* the client closes; the server's ACK of the FIN (C(15)) is no gap */
    seg(x, CLI, TCP_FIN | TCP_ACK, C(14), S(15), "");
    seg(x, SRV, TCP_FIN | TCP_ACK, S(15), C(15), "");
    seg(x, CLI, TCP_ACK, C(15), S(16), "");
    assert_log(x, "0:GET/index.html 1:HTTP/1.1-200-OK 0:eof 1:eof");
    assert_int_equal(x->f.rs_flags[CLI], TCP_RS_SEQ_KNOWN | TCP_RS_FIN | TCP_RS_EOF);
    assert_int_equal(x->f.rs_flags[SRV], TCP_RS_SEQ_KNOWN | TCP_RS_FIN | TCP_RS_EOF);
    assert_int_equal(x->f.rs_next_seq[CLI], C(14));
    assert_int_equal(x->f.rs_next_seq[SRV], S(15));
    assert_int_equal(x->f.rs_delivered[CLI], 14);
    assert_int_equal(x->f.rs_delivered[SRV], 15);
    /* the flow end adds nothing once both directions ended */
    flow_end(x);
    assert_log(x, "0:GET/index.html 1:HTTP/1.1-200-OK 0:eof 1:eof");
    assert_int_equal(x->ctr[STAT_TCP_OVERLAP], 0);
    assert_int_equal(x->ctr[STAT_TCP_REASSEMBLY_GAP], 0);
    assert_int_equal(x->ctr[STAT_TCP_SEGMENT_FROM_POOL], 0);
}

static void
test_many_small_segments(void **state)
{
    struct rfx *x = *state;
    static const char msg[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    uint32_t off = 0, n;

    handshake(x);
    /* 36 bytes as segments of 1, 2, ..., 8 bytes */
    for (n = 1; off < sizeof(msg) - 1; n++) {
        seg_bytes(x, CLI, TCP_ACK, C(off), S(0), msg + off, n);
        off += n;
    }
    seg(x, SRV, TCP_ACK, S(0), C(36), "O");
    seg(x, SRV, TCP_ACK, S(1), C(36), "K");
    assert_log(x, "0:a 0:bc 0:def 0:ghij 0:klmno 0:pqrstu 0:vwxyz01 0:23456789 1:O 1:K");
    assert_int_equal(x->stream_len[CLI], 36);
    assert_memory_equal(x->stream[CLI], msg, 36);
    flow_end(x);
    assert_int_equal(x->ctr[STAT_TCP_SEGMENT_FROM_POOL], 0);
}

/* ---- out of order, retransmission, overlap --------------------------------- */

static void
test_out_of_order_given_once_in_order(void **state)
{
    struct rfx *x = *state;

    handshake(x);
    /* client: 8..12 and 12..16 first, then 4..8, then 0..4 fills the hole */
    seg(x, CLI, TCP_ACK, C(8), S(0), "cccc");
    seg(x, CLI, TCP_ACK, C(12), S(0), "dddd");
    seg(x, CLI, TCP_ACK, C(4), S(0), "bbbb");
    assert_log(x, "");
    assert_int_equal(x->ctr[STAT_TCP_SEGMENT_FROM_POOL], 3);
    assert_int_equal(x->ctr[STAT_TCP_REASSEMBLY_MEMUSE], 3 * SEGSZ);
    assert_int_equal(free_segs(&x->r), POOL_SEGS - 3);
    seg(x, CLI, TCP_ACK, C(0), S(0), "aaaa");
    assert_log(x, "0:aaaa 0:bbbb 0:cccc 0:dddd");
    assert_pool_full(x);
    seg(x, CLI, TCP_ACK, C(16), S(0), "eeee");
    /* server: three segments in reverse order */
    seg(x, SRV, TCP_ACK, S(6), C(20), "zz");
    seg(x, SRV, TCP_ACK, S(3), C(20), "yyy");
    seg(x, SRV, TCP_ACK, S(0), C(20), "xxx");
    assert_log(x, "0:aaaa 0:bbbb 0:cccc 0:dddd 0:eeee 1:xxx 1:yyy 1:zz");
    assert_memory_equal(x->stream[CLI], "aaaabbbbccccddddeeee", 20);
    assert_memory_equal(x->stream[SRV], "xxxyyyzz", 8);
    assert_int_equal(x->ctr[STAT_TCP_OVERLAP], 0);
    assert_int_equal(x->ctr[STAT_TCP_REASSEMBLY_GAP], 0);
    flow_end(x);
    assert_log(x, "0:aaaa 0:bbbb 0:cccc 0:dddd 0:eeee 1:xxx 1:yyy 1:zz 0:eof 1:eof");
}

static void
test_retransmission_not_given_twice(void **state)
{
    struct rfx *x = *state;

    handshake(x);
    seg(x, CLI, TCP_ACK, C(0), S(0), "aaaa");
    seg(x, CLI, TCP_ACK, C(0), S(0), "aaaa"); /* given already */
    assert_int_equal(x->ctr[STAT_TCP_OVERLAP], 1);
    seg(x, CLI, TCP_ACK, C(8), S(0), "cccc");
    seg(x, CLI, TCP_ACK, C(8), S(0), "cccc"); /* stored already, same bytes */
    assert_int_equal(x->ctr[STAT_TCP_OVERLAP], 2);
    assert_int_equal(x->ctr[STAT_TCP_OVERLAP_DIFF_DATA], 0);
    assert_int_equal(x->ctr[STAT_TCP_SEGMENT_FROM_POOL], 1);
    seg(x, CLI, TCP_ACK, C(4), S(0), "bbbb");
    assert_log(x, "0:aaaa 0:bbbb 0:cccc");
    /* every old segment again */
    seg(x, CLI, TCP_ACK, C(4), S(0), "bbbb");
    seg(x, CLI, TCP_ACK, C(8), S(0), "cccc");
    seg(x, CLI, TCP_ACK, C(0), S(0), "aaaabbbbcccc");
    assert_int_equal(x->ctr[STAT_TCP_OVERLAP], 5);
    /* a retransmission that carries new bytes too: only those are given */
    seg(x, CLI, TCP_ACK, C(8), S(0), "ccccdddd");
    assert_int_equal(x->ctr[STAT_TCP_OVERLAP], 6);
    assert_log(x, "0:aaaa 0:bbbb 0:cccc 0:dddd");
    assert_int_equal(x->stream_len[CLI], 16);
    assert_int_equal(x->f.rs_delivered[CLI], 16);
    assert_int_equal(x->ctr[STAT_TCP_OVERLAP_DIFF_DATA], 0);
    flow_end(x);
}

static void
test_overlap_different_data(void **state)
{
    struct rfx *x = *state;

    handshake(x);
    seg(x, CLI, TCP_ACK, C(0), S(0), "aaaa");
    /* stored segment, then a retransmission with other bytes at the same
     * start: the first received is kept and the difference counted */
    seg(x, CLI, TCP_ACK, C(8), S(0), "XXXX");
    seg(x, CLI, TCP_ACK, C(8), S(0), "cccc");
    assert_int_equal(x->ctr[STAT_TCP_OVERLAP], 1);
    assert_int_equal(x->ctr[STAT_TCP_OVERLAP_DIFF_DATA], 1);
    assert_int_equal(x->ctr[STAT_TCP_SEGMENT_FROM_POOL], 1);
    /* a shorter one with the same start: compared on its length */
    seg(x, CLI, TCP_ACK, C(8), S(0), "XX");
    assert_int_equal(x->ctr[STAT_TCP_OVERLAP], 2);
    assert_int_equal(x->ctr[STAT_TCP_OVERLAP_DIFF_DATA], 1);
    /* bytes given already are not kept: other bytes there are only an
     * overlap, never given again */
    seg(x, CLI, TCP_ACK, C(0), S(0), "ZZZZ");
    assert_int_equal(x->ctr[STAT_TCP_OVERLAP], 3);
    assert_int_equal(x->ctr[STAT_TCP_OVERLAP_DIFF_DATA], 1);
    seg(x, CLI, TCP_ACK, C(4), S(0), "bbbb");
    assert_log(x, "0:aaaa 0:bbbb 0:XXXX");
    /* partly old, partly new: the old part is skipped whatever it holds */
    seg(x, CLI, TCP_ACK, C(10), S(0), "YYdddd");
    assert_int_equal(x->ctr[STAT_TCP_OVERLAP], 4);
    assert_log(x, "0:aaaa 0:bbbb 0:XXXX 0:dddd");
    assert_memory_equal(x->stream[CLI], "aaaabbbbXXXXdddd", 16);
    flow_end(x);
}

/* A new reassembler with x->cfg.hosts; the flow is 10.0.0.1 -> 10.0.0.2. */
static void
policy_flow(struct rfx *x)
{
    rfx_reinit(x, POOL_SEGS * SEGSZ, 0);
    x->f.key.ip_ver = 4;
    memcpy(x->f.key.src, "\x0a\x00\x00\x01", 4);
    memcpy(x->f.key.dst, "\x0a\x00\x00\x02", 4);
}

/* The receiver of the client's bytes (10.0.0.2) gets policy pol. */
static void
set_server_policy(struct rfx *x, const char *net, enum tcp_os_policy pol)
{
    const char *why = NULL;

    x->cfg.hosts.n = 0;
    assert_int_equal(tcp_policy_add(&x->cfg.hosts, net, (uint8_t)pol, &why), 0);
    policy_flow(x);
}

/* 8..12 stored first, then 6..12 with other bytes: the new segment starts first. */
static void
overlap_starting_earlier(struct rfx *x)
{
    handshake(x);
    seg(x, CLI, TCP_ACK, C(0), S(0), "aaaa");
    seg(x, CLI, TCP_ACK, C(8), S(0), "XXXX");
    seg(x, CLI, TCP_ACK, C(6), S(0), "YYYYYY");
    seg(x, CLI, TCP_ACK, C(4), S(0), "bb");
    flow_end(x);
    assert_int_equal(x->stream_len[CLI], 12);
    assert_int_equal(x->ctr[STAT_TCP_OVERLAP_DIFF_DATA], 1);
}

/* Policy first: the stored bytes win. */
static void
test_overlap_policy_first(void **state)
{
    struct rfx *x = *state;

    set_server_policy(x, "0.0.0.0/0", TCP_POL_FIRST);
    overlap_starting_earlier(x);
    assert_memory_equal(x->stream[CLI], "aaaabbYYXXXX", 12);
}

/* No table: bsd, Suricata's default, keeps a segment that starts earlier. */
static void
test_overlap_policy_bsd_default(void **state)
{
    struct rfx *x = *state;

    overlap_starting_earlier(x);
    assert_memory_equal(x->stream[CLI], "aaaabbYYYYYY", 12);
}

/*
 * Same start, longer retransmission with other bytes: linux takes the new
 * bytes, bsd keeps the old; the policy is the receiver's (the server's
 * for the client's bytes, by longest prefix).
 */
static void
test_overlap_policy_per_receiver(void **state)
{
    struct rfx *x = *state;
    const char *why = NULL;

    set_server_policy(x, "10.0.0.0/8", TCP_POL_BSD);
    assert_int_equal(tcp_policy_add(&x->cfg.hosts, "10.0.0.2/32", TCP_POL_LINUX, &why), 0);
    policy_flow(x);
    handshake(x);
    seg(x, CLI, TCP_ACK, C(4), S(0), "XXXX");
    seg(x, CLI, TCP_ACK, C(4), S(0), "YYYYYY");
    seg(x, SRV, TCP_ACK, S(4), C(0), "xxxx");
    seg(x, SRV, TCP_ACK, S(4), C(0), "yyyyyy");
    seg(x, CLI, TCP_ACK, C(0), S(0), "aaaa");
    seg(x, SRV, TCP_ACK, S(0), C(0), "bbbb");
    flow_end(x);
    assert_memory_equal(x->stream[CLI], "aaaaYYYYYY", 10); /* to 10.0.0.2: linux */
    assert_memory_equal(x->stream[SRV], "bbbbxxxxyy", 10); /* to 10.0.0.1: bsd */
    assert_int_equal(x->ctr[STAT_TCP_OVERLAP_DIFF_DATA], 2);
}

/* Policy last: a later segment inside stored data still wins; bsd keeps the old. */
static void
test_overlap_policy_last(void **state)
{
    struct rfx *x = *state;

    set_server_policy(x, "10.0.0.2", TCP_POL_LAST);
    handshake(x);
    seg(x, CLI, TCP_ACK, C(4), S(0), "XXXXXX");
    seg(x, CLI, TCP_ACK, C(6), S(0), "YY");
    seg(x, CLI, TCP_ACK, C(0), S(0), "aaaa");
    flow_end(x);
    assert_memory_equal(x->stream[CLI], "aaaaXXYYXX", 10);
    set_server_policy(x, "10.0.0.2", TCP_POL_BSD);
    handshake(x);
    seg(x, CLI, TCP_ACK, C(4), S(0), "XXXXXX");
    seg(x, CLI, TCP_ACK, C(6), S(0), "YY");
    seg(x, CLI, TCP_ACK, C(0), S(0), "aaaa");
    flow_end(x);
    assert_memory_equal(x->stream[CLI], "aaaaXXXXXX", 10);
}

/*
 * An in-order packet that runs into stored data: the bytes before it are
 * given from the packet, the overlap follows the policy, then the rest.
 */
static void
test_in_order_runs_into_stored(void **state)
{
    struct rfx *x = *state;

    set_server_policy(x, "10.0.0.2", TCP_POL_FIRST);
    handshake(x);
    seg(x, CLI, TCP_ACK, C(0), S(0), "aaaa");
    seg(x, CLI, TCP_ACK, C(8), S(0), "XXXX");
    seg(x, CLI, TCP_ACK, C(4), S(0), "bbbbYYYYcc");
    assert_log(x, "0:aaaa 0:bbbb 0:XXXX 0:cc");
    assert_int_equal(x->ctr[STAT_TCP_OVERLAP_DIFF_DATA], 1);
    flow_end(x);
    assert_pool_full(x);
    set_server_policy(x, "10.0.0.2", TCP_POL_BSD);
    handshake(x);
    seg(x, CLI, TCP_ACK, C(0), S(0), "aaaa");
    seg(x, CLI, TCP_ACK, C(8), S(0), "XXXX");
    seg(x, CLI, TCP_ACK, C(4), S(0), "bbbbYYYYcc");
    assert_log(x, "0:aaaa 0:bbbb 0:YYYY 0:cc");
    flow_end(x);
    assert_pool_full(x);
}

/* The overlap rules of each policy, and the table's parsing and lookup. */
static void
test_policy_rules_and_table(void **state)
{
    struct tcp_policy_table t = {.n = 0};
    const char *why = NULL;
    uint8_t a4[4] = {192, 168, 1, 7}, a6[16] = {0x20, 0x01, 0x0d, 0xb8};

    (void)state;
    /* same start, new ends beyond: linux, old-linux, solaris, hpux11 take the new bytes */
    assert_true(tcp_policy_new_wins(TCP_POL_LINUX, 10, 20, 10, 15));
    assert_true(tcp_policy_new_wins(TCP_POL_OLD_LINUX, 10, 20, 10, 15));
    assert_false(tcp_policy_new_wins(TCP_POL_BSD, 10, 20, 10, 15));
    assert_false(tcp_policy_new_wins(TCP_POL_WINDOWS, 10, 20, 10, 15));
    /* same start and end: old-linux, solaris, hpux11 */
    assert_false(tcp_policy_new_wins(TCP_POL_LINUX, 10, 15, 10, 15));
    assert_true(tcp_policy_new_wins(TCP_POL_SOLARIS, 10, 15, 10, 15));
    /* new starts first */
    assert_true(tcp_policy_new_wins(TCP_POL_WINDOWS, 5, 12, 10, 15));
    assert_true(tcp_policy_new_wins(TCP_POL_MACOS, 5, 12, 10, 15));
    assert_false(tcp_policy_new_wins(TCP_POL_VISTA, 5, 12, 10, 15));
    assert_false(tcp_policy_new_wins(TCP_POL_BSD_RIGHT, 5, 20, 10, 15));
    assert_true(tcp_policy_new_wins(TCP_POL_HPUX11, 5, 20, 10, 15));
    /* old starts first */
    assert_true(tcp_policy_new_wins(TCP_POL_SOLARIS, 12, 20, 10, 15));
    assert_false(tcp_policy_new_wins(TCP_POL_BSD, 12, 20, 10, 15));
    assert_false(tcp_policy_new_wins(TCP_POL_FIRST, 5, 20, 10, 15));
    assert_true(tcp_policy_new_wins(TCP_POL_LAST, 12, 13, 10, 15));
    /* sequence numbers wrap */
    assert_true(tcp_policy_new_wins(TCP_POL_BSD, 0xfffffff0u, 5, 0xfffffff8u, 10));
    /* names */
    assert_int_equal(tcp_policy_by_name("old-linux"), TCP_POL_OLD_LINUX);
    assert_int_equal(tcp_policy_by_name("windows2k3"), TCP_POL_WINDOWS2K3);
    assert_int_equal(tcp_policy_by_name("plan9"), -1);
    assert_string_equal(tcp_policy_name(TCP_POL_HPUX10), "hpux10");
    /* table: longest prefix wins, families apart, default bsd */
    assert_int_equal(tcp_policy_add(&t, "0.0.0.0/0", TCP_POL_WINDOWS, &why), 0);
    assert_int_equal(tcp_policy_add(&t, "192.168.1.0/24", TCP_POL_LINUX, &why), 0);
    assert_int_equal(tcp_policy_add(&t, "192.168.0.0/16", TCP_POL_SOLARIS, &why), 0);
    assert_int_equal(tcp_policy_add(&t, "2001:db8::/32", TCP_POL_MACOS, &why), 0);
    assert_int_equal(tcp_policy_lookup(&t, a4, 4), TCP_POL_LINUX);
    a4[2] = 2;
    assert_int_equal(tcp_policy_lookup(&t, a4, 4), TCP_POL_SOLARIS);
    a4[0] = 10;
    assert_int_equal(tcp_policy_lookup(&t, a4, 4), TCP_POL_WINDOWS);
    assert_int_equal(tcp_policy_lookup(&t, a6, 6), TCP_POL_MACOS);
    a6[3] = 0xb9;
    assert_int_equal(tcp_policy_lookup(&t, a6, 6), TCP_POL_BSD);
    /* bad input is refused with a reason */
    assert_int_equal(tcp_policy_add(&t, "10.0.0.0/33", TCP_POL_BSD, &why), -1);
    assert_string_equal(why, "bad prefix length");
    assert_int_equal(tcp_policy_add(&t, "10.0.0.0/", TCP_POL_BSD, &why), -1);
    assert_int_equal(tcp_policy_add(&t, "host.example", TCP_POL_BSD, &why), -1);
    assert_string_equal(why, "not an IPv4 or IPv6 address");
    assert_int_equal(tcp_policy_add(&t, "", TCP_POL_BSD, &why), -1);
    assert_int_equal(t.n, 4);
    while (t.n < TCP_POLICY_MAX_NETS)
        assert_int_equal(tcp_policy_add(&t, "10.1.2.3", TCP_POL_BSD, &why), 0);
    assert_int_equal(tcp_policy_add(&t, "10.1.2.4", TCP_POL_BSD, &why), -1);
    assert_string_equal(why, "more than 256 networks");
}

/*
 * A repacketised retransmission with the same start but a longer tail:
 * the tail is new data and is kept, no gap.
 */
static void
test_longer_retransmission_same_start(void **state)
{
    struct rfx *x = *state;

    handshake(x);
    seg(x, CLI, TCP_ACK, C(0), S(0), "aaaa");
    seg(x, CLI, TCP_ACK, C(8), S(0), "cc");   /* 8..10 */
    seg(x, CLI, TCP_ACK, C(8), S(0), "ccdd"); /* 8..12: the tail is new */
    seg(x, CLI, TCP_ACK, C(4), S(0), "bbbb");
    seg(x, CLI, TCP_ACK, C(12), S(0), "eeee");
    flow_end(x);
    assert_int_equal(x->gap_bytes[CLI], 0);
    assert_int_equal(x->stream_len[CLI], 16);
    assert_memory_equal(x->stream[CLI], "aaaabbbbccddeeee", 16);
}

/* ---- gaps ------------------------------------------------------------------ */

static void
test_acked_hole_gives_gap(void **state)
{
    struct rfx *x = *state;
    struct pkt *p;

    handshake(x);
    seg(x, CLI, TCP_ACK, C(0), S(0), "aaaa");
    /* 4..8 is lost; 8..12 waits */
    seg(x, CLI, TCP_ACK, C(8), S(0), "cccc");
    p = seg(x, SRV, TCP_ACK, S(0), C(4), ""); /* acks what was given: no gap */
    assert_false(has_event(p, DEC_EV_STREAM_REASSEMBLY_SEQ_GAP));
    assert_log(x, "0:aaaa");
    /* the server acks 12: 4..8 can never come */
    p = seg(x, SRV, TCP_ACK, S(0), C(12), "");
    assert_log(x, "0:aaaa 0:gap4 0:cccc");
    assert_true(has_event(p, DEC_EV_STREAM_REASSEMBLY_SEQ_GAP));
    assert_int_equal(x->ctr[STAT_EVENT_BASE + DEC_EV_STREAM_REASSEMBLY_SEQ_GAP], 1);
    assert_int_equal(x->ctr[STAT_TCP_REASSEMBLY_GAP], 1);
    assert_true(x->f.rs_flags[CLI] & TCP_RS_GAP);
    assert_false(x->f.rs_flags[SRV] & TCP_RS_GAP);
    assert_int_equal(x->f.rs_next_seq[CLI], C(12));
    assert_int_equal(x->f.rs_delivered[CLI], 12); /* the gap counts */
    assert_pool_full(x);
    /* the stream goes on; the lost segment arriving late is old */
    seg(x, CLI, TCP_ACK, C(12), S(0), "dddd");
    seg(x, CLI, TCP_ACK, C(4), S(0), "bbbb");
    assert_log(x, "0:aaaa 0:gap4 0:cccc 0:dddd");
    assert_int_equal(x->ctr[STAT_TCP_OVERLAP], 1);
    flow_end(x);
    assert_log(x, "0:aaaa 0:gap4 0:cccc 0:dddd 0:eof 1:eof");
}

static void
test_ack_inside_hole(void **state)
{
    struct rfx *x = *state;

    handshake(x);
    seg(x, SRV, TCP_ACK, S(0), C(0), "xxxx");
    seg(x, SRV, TCP_ACK, S(12), C(0), "zzzz");
    /* the client acks 6: 4..6 is lost, 6..12 may still come; the ACK
     * rides on client data */
    seg(x, CLI, TCP_ACK, C(0), S(6), "q");
    assert_log(x, "1:xxxx 0:q 1:gap2");
    seg(x, SRV, TCP_ACK, S(6), C(1), "yyyyyy");
    assert_log(x, "1:xxxx 0:q 1:gap2 1:yyyyyy 1:zzzz");
    assert_int_equal(x->ctr[STAT_TCP_REASSEMBLY_GAP], 1);
    flow_end(x);
}

/* One ACK past two holes resolves both. */
static void
test_one_ack_two_holes(void **state)
{
    struct rfx *x = *state;

    handshake(x);
    seg(x, CLI, TCP_ACK, C(0), S(0), "aaaa");
    seg(x, CLI, TCP_ACK, C(8), S(0), "cccc");
    seg(x, CLI, TCP_ACK, C(16), S(0), "eeee");
    seg(x, SRV, TCP_ACK, S(0), C(20), "");
    assert_log(x, "0:aaaa 0:gap4 0:cccc 0:gap4 0:eeee");
    flow_end(x);
}

static void
test_flow_end_gives_holes_both_ways(void **state)
{
    struct rfx *x = *state;

    handshake(x);
    seg(x, CLI, TCP_ACK, C(0), S(0), "aaaa");
    seg(x, CLI, TCP_ACK, C(8), S(0), "cccc");
    seg(x, SRV, TCP_ACK, S(0), C(4), "xx");
    seg(x, SRV, TCP_ACK, S(4), C(4), "yy");
    seg(x, SRV, TCP_ACK, S(8), C(4), "zz");
    assert_log(x, "0:aaaa 1:xx");
    assert_int_equal(x->ctr[STAT_TCP_REASSEMBLY_MEMUSE], 3 * SEGSZ);
    flow_end(x);
    /* nobody acked the holes: no gaps for the parsers (nor counted), the
     * bytes after them go to raw inspection only */
    assert_log(x, "0:aaaa 1:xx 0:r:gap4 0:r:cccc 0:eof 1:r:gap2 1:r:yy 1:r:gap2 1:r:zz 1:eof");
    assert_int_equal(x->ctr[STAT_TCP_REASSEMBLY_GAP], 0);
    /* a second flow end is a no-op */
    flow_end(x);
    assert_log(x, "0:aaaa 1:xx 0:r:gap4 0:r:cccc 0:eof 1:r:gap2 1:r:yy 1:r:gap2 1:r:zz 1:eof");
}

static void
test_flow_end_unseen_direction(void **state)
{
    struct rfx *x = *state;

    /* only a SYN: the server direction never started, so no EOF for it */
    seg(x, CLI, TCP_SYN, CISN, 0, "");
    flow_end(x);
    assert_log(x, "0:eof");
    /* nothing ever seen: nothing at all */
    rfx_reinit(x, POOL_SEGS * SEGSZ, 0);
    flow_end(x);
    assert_log(x, "");
}

/* ---- FIN and RST ------------------------------------------------------------- */

static void
test_fin_after_hole_waits(void **state)
{
    struct rfx *x = *state;
    struct pkt *p;

    handshake(x);
    seg(x, CLI, TCP_ACK, C(0), S(0), "aaaa");
    seg(x, CLI, TCP_ACK, C(8), S(0), "cccc");
    /* the FIN at 12 while 4..8 is missing: no EOF yet */
    seg(x, CLI, TCP_FIN | TCP_ACK, C(12), S(0), "");
    assert_log(x, "0:aaaa");
    assert_true(x->f.rs_flags[CLI] & TCP_RS_FIN);
    assert_false(x->f.rs_flags[CLI] & TCP_RS_EOF);
    /* a FIN carrying the last bytes in order: the bytes, then EOF */
    p = seg(x, SRV, TCP_FIN | TCP_ACK | TCP_PSH, S(0), C(4), "bye");
    assert_log(x, "0:aaaa 1:bye 1:eof");
    assert_int_equal(p->n_events, 0);
    /* data after the server's FIN is not given */
    seg(x, SRV, TCP_ACK, S(4), C(4), "late");
    /* a FIN seen again after its data is given */
    seg(x, SRV, TCP_FIN | TCP_ACK, S(3), C(4), "");
    assert_log(x, "0:aaaa 1:bye 1:eof");
    /* the end of the flow gives the hole and the stored bytes (raw only:
     * the hole was never acked), then EOF */
    flow_end(x);
    assert_log(x, "0:aaaa 1:bye 1:eof 0:r:gap4 0:r:cccc 0:eof");
}

/*
 * A FIN that arrives while a hole is open ends the direction once the
 * hole is filled: its sequence number is kept (rs_fin_seq).
 */
static void
test_fin_eof_when_hole_filled(void **state)
{
    struct rfx *x = *state;

    handshake(x);
    seg(x, CLI, TCP_ACK, C(0), S(0), "aaaa");
    seg(x, CLI, TCP_FIN | TCP_ACK, C(8), S(0), "cccc"); /* FIN at 12 */
    seg(x, SRV, TCP_FIN | TCP_ACK, S(0), C(4), "");
    seg(x, SRV, TCP_ACK, S(4), C(4), "x"); /* past the FIN: ignored */
    assert_log(x, "0:aaaa 1:eof");
    seg(x, CLI, TCP_ACK, C(4), S(1), "bbbb");
    assert_log(x, "0:aaaa 1:eof 0:bbbb 0:cccc 0:eof");
    flow_end(x);
}

/*
 * A FIN behind the bytes already given is old or forged (the receiver
 * drops it): it must not end the direction, or what follows escapes
 * inspection.
 */
static void
test_old_fin_does_not_end_direction(void **state)
{
    struct rfx *x = *state;

    handshake(x);
    seg(x, CLI, TCP_ACK, C(0), S(0), "aaaa");
    seg(x, CLI, TCP_ACK, C(4), S(0), "bbbb");
    seg(x, CLI, TCP_FIN | TCP_ACK, C(0), S(0), ""); /* FIN at 0, behind 8 */
    seg(x, CLI, TCP_ACK, C(8), S(0), "cccc");
    flow_end(x);
    assert_log(x, "0:aaaa 0:bbbb 0:cccc 0:eof 1:eof");
}

/*
 * An RST with a signature nobody can check may be injected: the streams
 * stay open (the sender may go on, flow_tcp.c) until the flow ends.
 */
static void
test_rst_with_signature_keeps_streams(void **state)
{
    struct rfx *x = *state;

    handshake(x);
    seg(x, CLI, TCP_ACK, C(0), S(0), "aaaa");
    x->auth = true;
    seg(x, CLI, TCP_RST | TCP_ACK, C(4), S(0), "");
    x->auth = false;
    assert_log(x, "0:aaaa");
    assert_false(x->f.rs_flags[CLI] & TCP_RS_EOF);
    assert_false(x->f.rs_flags[SRV] & TCP_RS_EOF);
    seg(x, CLI, TCP_ACK | TCP_PSH, C(4), S(0), "bbbb");
    seg(x, SRV, TCP_ACK | TCP_PSH, S(0), C(8), "xx");
    assert_log(x, "0:aaaa 0:bbbb 1:xx");
    flow_end(x);
    assert_log(x, "0:aaaa 0:bbbb 1:xx 0:eof 1:eof");
}

static void
test_rst_gives_everything_then_eof(void **state)
{
    struct rfx *x = *state;

    handshake(x);
    seg(x, CLI, TCP_ACK, C(0), S(0), "aaaa");
    seg(x, CLI, TCP_ACK, C(8), S(0), "cccc");
    seg(x, SRV, TCP_ACK, S(0), C(4), "xxxx");
    seg(x, SRV, TCP_ACK, S(8), C(4), "zzzz");
    assert_log(x, "0:aaaa 1:xxxx");
    seg(x, SRV, TCP_RST, S(12), 0, "");
    assert_log(x, "0:aaaa 1:xxxx 0:r:gap4 0:r:cccc 0:eof 1:r:gap4 1:r:zzzz 1:eof");
    assert_pool_full(x);
    /* nothing after the RST is given or stored */
    seg(x, CLI, TCP_ACK, C(4), S(4), "bbbb");
    seg(x, CLI, TCP_ACK, C(20), S(4), "ffff");
    seg(x, SRV, TCP_RST | TCP_ACK, S(12), C(24), "");
    assert_pool_full(x);
    assert_int_equal(x->ctr[STAT_TCP_SEGMENT_FROM_POOL], 2);
    flow_end(x);
    assert_log(x, "0:aaaa 1:xxxx 0:r:gap4 0:r:cccc 0:eof 1:r:gap4 1:r:zzzz 1:eof");
}

static void
test_rst_with_data_in_order(void **state)
{
    struct rfx *x = *state;

    handshake(x);
    /* an RST carrying bytes (RFC 9293 3.5.3 allows diagnostic text) */
    seg(x, SRV, TCP_RST | TCP_ACK, S(0), C(0), "reset");
    assert_log(x, "1:reset 0:eof 1:eof");
    flow_end(x);
}

/* ---- SYN ------------------------------------------------------------------- */

static void
test_syn_with_data_tfo(void **state)
{
    struct rfx *x = *state;

    /* TFO: the SYN carries "hello" at CISN + 1 */
    seg(x, CLI, TCP_SYN, CISN, 0, "hello");
    assert_log(x, "0:hello");
    assert_int_equal(x->f.rs_next_seq[CLI], C(5));
    seg(x, SRV, TCP_SYN | TCP_ACK, SISN, C(5), "");
    seg(x, CLI, TCP_ACK, C(5), S(0), "world");
    seg(x, SRV, TCP_ACK, S(0), C(10), "ok");
    assert_log(x, "0:hello 0:world 1:ok");
    flow_end(x);
    /* a SYN+ACK with data */
    rfx_reinit(x, POOL_SEGS * SEGSZ, 0);
    seg(x, CLI, TCP_SYN, CISN, 0, "");
    seg(x, SRV, TCP_SYN | TCP_ACK, SISN, C(0), "hi");
    assert_log(x, "1:hi");
    flow_end(x);
    assert_log(x, "1:hi 0:eof 1:eof");
}

/*
 * A retransmitted SYN (TFO data included) or a late duplicate does not
 * move the stream back to the ISN: nothing is given twice.
 */
static void
test_syn_retransmission_not_given_twice(void **state)
{
    struct rfx *x = *state;

    seg(x, CLI, TCP_SYN, CISN, 0, "hello");
    seg(x, CLI, TCP_SYN, CISN, 0, "hello"); /* retransmitted TFO SYN */
    seg(x, SRV, TCP_SYN | TCP_ACK, SISN, C(5), "");
    seg(x, CLI, TCP_ACK, C(5), S(0), "aaaa");
    seg(x, CLI, TCP_SYN, CISN, 0, ""); /* a late duplicate of the SYN */
    seg(x, CLI, TCP_ACK, C(5), S(0), "aaaa");
    flow_end(x);
    assert_log(x, "0:hello 0:aaaa 0:eof 1:eof");
}

/* ---- sequence space ---------------------------------------------------------- */

static void
test_seq_wraparound(void **state)
{
    struct rfx *x = *state;

    /* client ISN 0xfffffff8: data from 0xfffffff9, wrapping in "bbbb" */
    seg(x, CLI, TCP_SYN, 0xfffffff8u, 0, "");
    seg(x, SRV, TCP_SYN | TCP_ACK, 0xfffffff0u, 0xfffffff9u, "");
    /* stored after the wrap, then the bytes before it */
    seg(x, CLI, TCP_ACK, 0x00000001u, 0xfffffff1u, "cccc");
    seg(x, CLI, TCP_ACK, 0x00000005u, 0xfffffff1u, "dddd");
    seg(x, CLI, TCP_ACK, 0xfffffff9u, 0xfffffff1u, "aaaa");
    assert_log(x, "0:aaaa");
    seg(x, CLI, TCP_ACK, 0xfffffffdu, 0xfffffff1u, "bbbb"); /* 0xfffffffd..0x1 */
    assert_log(x, "0:aaaa 0:bbbb 0:cccc 0:dddd");
    assert_int_equal(x->f.rs_next_seq[CLI], 0x00000009u);
    /* old bytes from before the wrap are old after it */
    seg(x, CLI, TCP_ACK, 0xfffffff9u, 0xfffffff1u, "aaaabbbb");
    assert_int_equal(x->ctr[STAT_TCP_OVERLAP], 1);
    /* server: a hole across the wrap, acked by the client */
    seg(x, SRV, TCP_ACK, 0xfffffff1u, 0x9u, "xxxx");
    seg(x, SRV, TCP_ACK, 0x00000005u, 0x9u, "yyyy");
    seg(x, CLI, TCP_ACK, 0x9u, 0x00000009u, "");
    assert_log(x, "0:aaaa 0:bbbb 0:cccc 0:dddd 1:xxxx 1:gap16 1:yyyy");
    flow_end(x);
}

/*
 * A segment starting just under 2^31 ahead and ending past it is compared
 * in sequence space (no signed overflow): by its end it is old.
 * Found by fuzz_reasm (tests/fuzz/crashes/reasm/).
 */
static void
test_seq_far_ahead_no_overflow(void **state)
{
    struct rfx *x = *state;

    handshake(x);
    seg(x, CLI, TCP_ACK, C(0x7ffffffe), S(0), "zzzz"); /* ends 2^31 + 2 ahead */
    assert_int_equal(x->ctr[STAT_TCP_OVERLAP], 1);
    assert_int_equal(x->ctr[STAT_TCP_SEGMENT_FROM_POOL], 0);
    seg(x, CLI, TCP_ACK, C(0), S(0), "aaaa");
    flow_end(x);
    assert_log(x, "0:aaaa 0:eof 1:eof");
}

static void
test_midstream_pickup(void **state)
{
    struct rfx *x = *state;

    /* no SYN: the first packet of each direction fixes its start */
    seg(x, CLI, TCP_ACK | TCP_PSH, 0x12345678u, 0x9abcdef0u, "ABCD");
    assert_true(x->f.rs_flags[CLI] & TCP_RS_SEQ_KNOWN);
    assert_false(x->f.rs_flags[SRV] & TCP_RS_SEQ_KNOWN);
    seg(x, SRV, TCP_ACK, 0x9abcdef0u, 0x1234567cu, "wxyz");
    seg(x, CLI, TCP_ACK, 0x1234567cu, 0x9abcdef4u, "EFGH");
    /* an earlier segment seen afterwards is old: not given */
    seg(x, CLI, TCP_ACK, 0x12345674u, 0x9abcdef4u, "0123");
    assert_int_equal(x->ctr[STAT_TCP_OVERLAP], 1);
    /* out of order after the pickup */
    seg(x, CLI, TCP_ACK, 0x12345684u, 0x9abcdef4u, "MNOP");
    seg(x, CLI, TCP_ACK, 0x12345680u, 0x9abcdef4u, "IJKL");
    assert_log(x, "0:ABCD 1:wxyz 0:EFGH 0:IJKL 0:MNOP");
    flow_end(x);
    assert_log(x, "0:ABCD 1:wxyz 0:EFGH 0:IJKL 0:MNOP 0:eof 1:eof");
}

/* ---- limits ------------------------------------------------------------------ */

static void
test_depth(void **state)
{
    struct rfx *x = *state;
    struct pkt *p;

    rfx_reinit(x, POOL_SEGS * SEGSZ, 10);
    handshake(x);
    /* client: the drain crosses the depth */
    seg(x, CLI, TCP_ACK, C(0), S(0), "aaaa");
    seg(x, CLI, TCP_ACK, C(8), S(0), "cccc");
    seg(x, CLI, TCP_ACK, C(16), S(0), "eeee");
    p = seg(x, CLI, TCP_ACK, C(4), S(0), "bbbb");
    assert_log(x, "0:aaaa 0:bbbb 0:cc");
    assert_true(has_event(p, DEC_EV_STREAM_REASSEMBLY_DEPTH_REACHED));
    assert_int_equal(x->ctr[STAT_TCP_STREAM_DEPTH_REACHED], 1);
    assert_true(x->f.rs_flags[CLI] & TCP_RS_DEPTH);
    assert_int_equal(x->f.rs_delivered[CLI], 10);
    /* past the depth: nothing given, nothing stored, counted once */
    seg(x, CLI, TCP_ACK, C(12), S(0), "dddd");
    seg(x, CLI, TCP_ACK, C(24), S(0), "gggg");
    assert_int_equal(x->ctr[STAT_TCP_SEGMENT_FROM_POOL], 2);
    assert_int_equal(x->ctr[STAT_TCP_REASSEMBLY_MEMUSE], 1 * SEGSZ); /* "eeee" from before */
    assert_int_equal(x->ctr[STAT_TCP_STREAM_DEPTH_REACHED], 1);
    /* server: exactly the depth in one segment, then more */
    p = seg(x, SRV, TCP_ACK, S(0), C(4), "0123456789");
    assert_true(has_event(p, DEC_EV_STREAM_REASSEMBLY_DEPTH_REACHED));
    seg(x, SRV, TCP_ACK, S(10), C(4), "AB");
    seg(x, SRV, TCP_ACK, S(20), C(4), "CD");
    assert_log(x, "0:aaaa 0:bbbb 0:cc 1:0123456789");
    assert_int_equal(x->ctr[STAT_TCP_STREAM_DEPTH_REACHED], 2);
    assert_int_equal(x->ctr[STAT_TCP_SEGMENT_FROM_POOL], 2);
    assert_int_equal(x->stream_len[CLI], 10);
    assert_int_equal(x->stream_len[SRV], 10);
    /* what was stored before the depth is freed at the end; no EOF is
     * given to a direction past its depth (see test_depth_then_eof) */
    flow_end(x);
    assert_int_equal(x->ctr[STAT_TCP_STREAM_DEPTH_REACHED], 2);
    assert_int_equal(x->stream_len[CLI], 10);
    assert_int_equal(x->gap_bytes[CLI], 0);

    /* a gap counts against the depth too */
    rfx_reinit(x, POOL_SEGS * SEGSZ, 10);
    handshake(x);
    seg(x, CLI, TCP_ACK, C(0), S(0), "aa");
    seg(x, CLI, TCP_ACK, C(8), S(0), "cccc");
    seg(x, SRV, TCP_ACK, S(0), C(12), "");
    assert_log(x, "0:aa 0:gap6 0:cc");
    assert_int_equal(x->ctr[STAT_TCP_STREAM_DEPTH_REACHED], 1);
    flow_end(x);
}

/*
 * Past the depth the parser still gets the end of the direction (as
 * Suricata's NOREASSEMBLY still sends EOF), on FIN without waiting for
 * the sequence number.
 */
static void
test_depth_then_eof(void **state)
{
    struct rfx *x = *state;

    rfx_reinit(x, POOL_SEGS * SEGSZ, 4);
    handshake(x);
    seg(x, CLI, TCP_ACK, C(0), S(0), "aaaaaa");
    seg(x, CLI, TCP_FIN | TCP_ACK, C(6), S(0), "");
    flow_end(x);
    assert_log(x, "0:aaaa 0:eof 1:eof");
}

static void
test_memcap_drop_then_gap(void **state)
{
    struct rfx *x = *state;
    uint8_t big[3000];

    /* two segments of storage */
    rfx_reinit(x, 2 * SEGSZ + SEGSZ / 2, 0);
    assert_int_equal(x->r.n_segs, 2);
    handshake(x);
    seg(x, CLI, TCP_ACK, C(0), S(0), "aaaa");
    seg(x, CLI, TCP_ACK, C(8), S(0), "cccc");
    seg(x, CLI, TCP_ACK, C(12), S(0), "dddd");
    seg(x, CLI, TCP_ACK, C(16), S(0), "eeee"); /* no room */
    seg(x, CLI, TCP_ACK, C(20), S(0), "ffff"); /* no room */
    assert_int_equal(x->ctr[STAT_TCP_SEGMENT_MEMCAP_DROP], 2);
    assert_int_equal(x->ctr[STAT_TCP_SEGMENT_FROM_POOL], 2);
    assert_int_equal(free_segs(&x->r), 0);
    /* the server acks the stored bytes: the hole before them, then them */
    seg(x, SRV, TCP_ACK, S(0), C(16), "");
    assert_log(x, "0:aaaa 0:gap4 0:cccc 0:dddd");
    assert_int_equal(free_segs(&x->r), 2);
    /* what was dropped comes back as a gap once later data is stored and
     * acked */
    seg(x, CLI, TCP_ACK, C(24), S(0), "gggg");
    seg(x, SRV, TCP_ACK, S(0), C(28), "");
    seg(x, CLI, TCP_ACK, C(28), S(0), "hhhh");
    assert_log(x, "0:aaaa 0:gap4 0:cccc 0:dddd 0:gap8 0:gggg 0:hhhh");
    assert_int_equal(x->ctr[STAT_TCP_REASSEMBLY_GAP], 2);
    assert_pool_full(x);
    /* a large segment with room for two of its three pieces */
    pattern(big, 0, sizeof(big));
    seg_bytes(x, CLI, TCP_ACK, C(100), S(0), big, sizeof(big));
    assert_int_equal(x->ctr[STAT_TCP_SEGMENT_MEMCAP_DROP], 3);
    assert_int_equal(x->ctr[STAT_TCP_SEGMENT_FROM_POOL], 5);
    assert_int_equal(x->ctr[STAT_TCP_REASSEMBLY_MEMUSE], 2 * SEGSZ);
    flow_end(x);
    assert_log(x, "0:aaaa 0:gap4 0:cccc 0:dddd 0:gap8 0:gggg 0:hhhh 0:r:gap68 0:r:#1472 "
                  "0:r:#1472 0:eof 1:eof");
    assert_int_equal(x->ctr[STAT_TCP_REASSEMBLY_GAP], 2);
    assert_memory_equal(x->stream[CLI] + 20, big, 2 * TCP_SEG_DATA);
}

/*
 * Without segment storage (memcap below one segment, or the pool used up
 * by other flows) the peer's ACK past a hole still gives a gap, capped at
 * a FIN the ACK covers, so the direction goes on.
 */
static void
test_no_storage_hole_becomes_gap(void **state)
{
    struct rfx *x = *state;

    rfx_reinit(x, 0, 0);
    assert_int_equal(x->r.n_segs, 0);
    handshake(x);
    seg(x, CLI, TCP_ACK, C(0), S(0), "aaaa");
    seg(x, CLI, TCP_ACK, C(8), S(0), "cccc"); /* dropped: no storage */
    assert_int_equal(x->ctr[STAT_TCP_SEGMENT_MEMCAP_DROP], 1);
    seg(x, SRV, TCP_ACK, S(0), C(12), "");
    seg(x, CLI, TCP_ACK, C(12), S(0), "dddd");
    flow_end(x);
    assert_log(x, "0:aaaa 0:gap8 0:dddd 0:eof 1:eof");
}

static void
test_large_segments_out_of_order(void **state)
{
    struct rfx *x = *state;
    static uint8_t b[5500];
    uint8_t other[3000];

    pattern(b, 0, sizeof(b));
    handshake(x);
    /* 1000..4000 and 4000..5500 first: 1472 + 1472 + 56 and 1472 + 28 */
    seg_bytes(x, CLI, TCP_ACK, C(1000), S(0), b + 1000, 3000);
    seg_bytes(x, CLI, TCP_ACK, C(4000), S(0), b + 4000, 1500);
    assert_int_equal(x->ctr[STAT_TCP_SEGMENT_FROM_POOL], 5);
    assert_int_equal(x->ctr[STAT_TCP_REASSEMBLY_MEMUSE], 5 * SEGSZ);
    /* the same again: five pieces with equal starts, nothing stored */
    seg_bytes(x, CLI, TCP_ACK, C(1000), S(0), b + 1000, 3000);
    seg_bytes(x, CLI, TCP_ACK, C(4000), S(0), b + 4000, 1500);
    assert_int_equal(x->ctr[STAT_TCP_OVERLAP], 5);
    assert_int_equal(x->ctr[STAT_TCP_OVERLAP_DIFF_DATA], 0);
    /* other bytes in the middle piece only */
    memcpy(other, b + 1000, sizeof(other));
    other[TCP_SEG_DATA + 7] ^= 0xff;
    seg_bytes(x, CLI, TCP_ACK, C(1000), S(0), other, sizeof(other));
    assert_int_equal(x->ctr[STAT_TCP_OVERLAP], 8);
    assert_int_equal(x->ctr[STAT_TCP_OVERLAP_DIFF_DATA], 1);
    assert_int_equal(x->ctr[STAT_TCP_SEGMENT_FROM_POOL], 5);
    assert_log(x, "");
    seg_bytes(x, CLI, TCP_ACK, C(0), S(0), b, 1000);
    assert_log(x, "0:#1000 0:#1472 0:#1472 0:#56 0:#1472 0:#28");
    assert_int_equal(x->stream_len[CLI], sizeof(b));
    assert_memory_equal(x->stream[CLI], b, sizeof(b));
    assert_pool_full(x);
    /* in order, a large segment is given whole from the packet */
    seg_bytes(x, SRV, TCP_ACK, S(0), C(5500), b, 5000);
    assert_log(x, "0:#1000 0:#1472 0:#1472 0:#56 0:#1472 0:#28 1:#5000");
    /* a large segment after an ACKed hole */
    seg_bytes(x, SRV, TCP_ACK, S(6000), C(5500), b, 4000);
    seg(x, CLI, TCP_ACK, C(5500), S(10000), "");
    assert_log(x, "0:#1000 0:#1472 0:#1472 0:#56 0:#1472 0:#28 1:#5000 "
                  "1:gap1000 1:#1472 1:#1472 1:#1056");
    assert_memory_equal(x->stream[SRV] + 5000, b, 4000);
    flow_end(x);
}

/*
 * A stream of tiny out-of-order segments, each behind the last: a new one
 * is placed behind at most TCP_SEG_MAX_WALK stored ones, so the work per
 * packet stays bounded; the one past that is dropped and counted.
 */
static void
test_walk_bound(void **state)
{
    struct rfx *x = *state;
    uint32_t k;

    rfx_reinit(x, (TCP_SEG_MAX_WALK + 8) * SEGSZ, 0);
    handshake(x);
    x->quiet = true;
    for (k = 0; k <= TCP_SEG_MAX_WALK; k++)
        seg(x, CLI, TCP_ACK, C(1 + k), S(0), "z");
    assert_int_equal(x->ctr[STAT_TCP_SEGMENT_FROM_POOL], TCP_SEG_MAX_WALK + 1);
    assert_int_equal(x->ctr[STAT_TCP_SEGMENT_MEMCAP_DROP], 0);
    seg(x, CLI, TCP_ACK, C(TCP_SEG_MAX_WALK + 2), S(0), "y");
    assert_int_equal(x->ctr[STAT_TCP_SEGMENT_MEMCAP_DROP], 1);
    assert_int_equal(x->ctr[STAT_TCP_SEGMENT_FROM_POOL], TCP_SEG_MAX_WALK + 1);
    /* filling the hole gives everything stored, in order */
    seg(x, CLI, TCP_ACK, C(0), S(0), "a");
    assert_int_equal(x->stream_len[CLI], TCP_SEG_MAX_WALK + 2);
    assert_int_equal(x->stream[CLI][0], 'a');
    assert_int_equal(x->stream[CLI][TCP_SEG_MAX_WALK + 1], 'z');
    assert_int_equal(x->gap_bytes[CLI], 0);
    assert_pool_full(x);
    flow_end(x);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, rfx_setup, rfx_teardown)
    const struct CMUnitTest tests[] = {
            T(test_cfg_defaults_and_init),
            T(test_handshake_in_order_both_ways),
            T(test_many_small_segments),
            T(test_out_of_order_given_once_in_order),
            T(test_retransmission_not_given_twice),
            T(test_overlap_different_data),
            T(test_overlap_policy_first),
            T(test_overlap_policy_bsd_default),
            T(test_overlap_policy_per_receiver),
            T(test_overlap_policy_last),
            T(test_in_order_runs_into_stored),
            cmocka_unit_test(test_policy_rules_and_table),
            T(test_longer_retransmission_same_start),
            T(test_acked_hole_gives_gap),
            T(test_ack_inside_hole),
            T(test_one_ack_two_holes),
            T(test_flow_end_gives_holes_both_ways),
            T(test_flow_end_unseen_direction),
            T(test_fin_after_hole_waits),
            T(test_fin_eof_when_hole_filled),
            T(test_old_fin_does_not_end_direction),
            T(test_rst_gives_everything_then_eof),
            T(test_rst_with_signature_keeps_streams),
            T(test_rst_with_data_in_order),
            T(test_syn_with_data_tfo),
            T(test_syn_retransmission_not_given_twice),
            T(test_seq_wraparound),
            T(test_seq_far_ahead_no_overflow),
            T(test_midstream_pickup),
            T(test_depth),
            T(test_depth_then_eof),
            T(test_memcap_drop_then_gap),
            T(test_no_storage_hole_becomes_gap),
            T(test_large_segments_out_of_order),
            T(test_walk_bound),
    };
#undef T

    return cmocka_run_group_tests_name("tcp_reasm", tests, NULL, NULL);
}
