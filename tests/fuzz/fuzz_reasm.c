/*
 * fuzz_reasm.c - libFuzzer target for the TCP stream reassembler
 * (sensor/tcp_reasm.c): segments in any order, with any flags, sequence
 * and acknowledgement numbers, on two flows that share one segment pool,
 * then the end of each flow.
 *
 * Input layout: one config byte, then records until the input ends.
 *
 *   cfg     bits 0-1 memcap: 0 none, 1 one segment, 2 eight, 3 256 segments
 *           bits 2-3 depth:  0 none, 1 16 bytes, 2 3000 bytes, 3 1 MiB
 *
 *   record  ctl     bit 0 direction (0 client, 1 server)
 *                   bit 1 flow (0 or 1)
 *                   bit 2 seq is 4 bytes absolute, else 2 bytes signed delta
 *                   bit 3 ack is 4 bytes absolute, else 2 bytes signed delta
 *                   bit 4 payload length is 2 bytes (& 0x3fff), else 1 byte
 *                   bit 5 payload generated from its sequence numbers
 *                         (same bytes for the same position), else read
 *                         from the input (cut at its end)
 *                   bit 6 the flow ends after this packet and starts over
 *           flags   TCP flags, as is
 *           seq     delta from the sender's next sequence number, or absolute
 *           ack     delta from the peer's next sequence number, or absolute
 *           len     payload length
 *           payload
 *
 * Multi-byte fields are big-endian. The sender's next sequence number is
 * where its last packet ended (SYN and FIN count one); it starts at
 * 1000 / 5000 on flow 0 and 0xffffff00 / 0x7ffffff0 on flow 1 (wraparound).
 * Every payload sits in a heap buffer of exactly header + payload bytes.
 * The reassembler is created per input, so inputs do not depend on each
 * other.
 *
 * Oracles besides ASan/UBSan, checked in the callback and at each flow
 * end (a violation aborts):
 *   - only 0, APP_FLAG_GAP or APP_FLAG_EOF; data non-NULL with len > 0,
 *     a gap NULL with len > 0, an EOF with len 0;
 *   - no call for a direction after its EOF;
 *   - data bytes given per direction never exceed the payload bytes the
 *     input sent that way, and each chunk given equals bytes a packet of
 *     that direction carried at that sequence number;
 *   - every data or gap call starts where the previous one ended (the
 *     reassembler's rs_next_seq), and EOF comes where the last one ended,
 *     so gaps + data account for the whole stream; with a depth, gaps +
 *     data stay within it;
 *   - at a flow end nothing stays stored, and every direction that started
 *     got its EOF (unless it reached the depth: see the known bugs);
 *   - at the end of the input tcp.reassembly_memuse is 0.
 *
 * Known bugs the oracles tolerate (tests/unit/test_tcp_reasm.c): a SYN
 * seen again moves the stream back (positions are re-learnt after it);
 * no EOF is given past the depth.
 *
 * Reproduce: build/fuzz/replay_reasm FILE; with FUZZ_REASM_TRACE=1 in
 * the environment every packet and call is printed to stderr.
 */
#include "fuzz.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "decode.h"
#include "flow.h"
#include "tcp_reasm.h"

#define FZ_HDR     40u /* bytes before the payload in its buffer */
#define FZ_MAX_LEN 0x3fffu

struct fz_seg {
    uint32_t seq; /* of the first payload byte */
    uint32_t len;
    const uint8_t *src; /* in the input, or NULL: generated */
};

struct fz_dir {
    uint32_t snd_next; /* model: where the sender's next segment starts */
    uint64_t in_bytes; /* payload bytes sent this way */
    uint64_t out_data, out_gap;
    uint32_t pos; /* where the next data or gap call must start */
    bool pos_known;
    bool eof;
    bool raw; /* bytes were given for raw inspection only: all later ones are too */
    struct fz_seg *segs; /* every payload sent this way, for the byte check */
    size_t n_segs, cap_segs;
};

struct fz_flow {
    struct flow f;
    struct fz_dir d[2];
};

static struct fz_state {
    int trace; /* FUZZ_REASM_TRACE is set */
    uint64_t ctr[STAT_ID_COUNT];
    struct tcp_reasm r;
    uint32_t depth;
    struct fz_flow fl[2];
} fz;

static const uint32_t fz_isn[2][2] = {{1000u, 5000u}, {0xffffff00u, 0x7ffffff0u}};

static void
fz_fail(const char *what, int flow, int dir)
{
    fprintf(stderr, "fuzz_reasm: flow %d dir %d: %s\n", flow, dir, what);
    abort();
}

/* Payload byte of a generated segment at sequence number pos. */
static inline uint8_t
fz_gen(uint32_t pos)
{
    return (uint8_t)((pos * 2654435761u) >> 24);
}

static inline uint8_t
fz_seg_byte(const struct fz_seg *s, uint32_t i)
{
    return s->src != NULL ? s->src[i] : fz_gen(s->seq + i);
}

/* True when segment s carried exactly data[0..len) at seq. */
static bool
fz_seg_matches(const struct fz_seg *s, uint32_t seq, const uint8_t *data, uint32_t len)
{
    uint32_t off = seq - s->seq, i;

    if (off >= s->len || s->len - off < len)
        return false;
    if (s->src != NULL)
        return memcmp(s->src + off, data, len) == 0;
    for (i = 0; i < len; i++)
        if (fz_gen(seq + i) != data[i])
            return false;
    return true;
}

/* Every byte given at seq came from some packet of that direction. */
static bool
fz_bytes_were_sent(const struct fz_dir *d, uint32_t seq, const uint8_t *data, uint32_t len)
{
    size_t k;
    uint32_t i;

    for (k = d->n_segs; k-- > 0;)
        if (fz_seg_matches(&d->segs[k], seq, data, len))
            return true;
    /* Not one packet: byte by byte (a reassembler may join pieces). */
    for (i = 0; i < len; i++) {
        bool found = false;
        for (k = d->n_segs; k-- > 0 && !found;) {
            const struct fz_seg *s = &d->segs[k];
            uint32_t off = seq + i - s->seq;
            found = off < s->len && fz_seg_byte(s, off) == data[i];
        }
        if (!found)
            return false;
    }
    return true;
}

static void
fz_on_data(void *ctx, struct flow *f, int dir, const uint8_t *data, uint32_t len, uint32_t flags)
{
    int fi = f == &fz.fl[0].f ? 0 : f == &fz.fl[1].f ? 1 : -1;
    struct fz_dir *d;

    (void)ctx;
    if (fi < 0 || (dir != 0 && dir != 1))
        fz_fail("callback for an unknown flow or direction", fi, dir);
    d = &fz.fl[fi].d[dir];
    if (fz.trace > 0)
        fprintf(stderr, "  -> flow %d dir %d at %u: %s %u\n", fi, dir, f->rs_next_seq[dir],
                flags == APP_FLAG_EOF   ? "eof"
                : flags == APP_FLAG_GAP ? "gap"
                                        : "data",
                len);
    if (d->eof)
        fz_fail("call after EOF", fi, dir);
    if (flags & APP_FLAG_RAW) {
        /* Past a hole nobody acknowledged: for raw stream inspection only. */
        if (flags & APP_FLAG_EOF)
            fz_fail("EOF marked raw", fi, dir);
        d->raw = true;
        flags &= ~APP_FLAG_RAW;
    } else if (d->raw && flags != APP_FLAG_EOF) {
        fz_fail("parser bytes after raw-only ones", fi, dir);
    }
    if (flags == APP_FLAG_EOF) {
        if (len != 0 || data != NULL)
            fz_fail("EOF with bytes", fi, dir);
        /* Everything up to the end was given (past the depth is not). */
        if (d->pos_known && !(f->rs_flags[dir] & TCP_RS_DEPTH) && f->rs_next_seq[dir] != d->pos)
            fz_fail("EOF where the stream position differs from what was given", fi, dir);
        d->eof = true;
        return;
    }
    if (flags != 0 && flags != APP_FLAG_GAP)
        fz_fail("unknown flags", fi, dir);
    if (len == 0)
        fz_fail("empty data or gap call", fi, dir);
    /* Where this call starts in sequence space: the reassembler's
     * rs_next_seq, which moves after the call. */
    if (d->pos_known && f->rs_next_seq[dir] != d->pos)
        fz_fail("call does not start where the previous one ended", fi, dir);
    if (flags == APP_FLAG_GAP) {
        if (data != NULL)
            fz_fail("gap with data", fi, dir);
        d->out_gap += len;
    } else {
        if (data == NULL)
            fz_fail("data call without data", fi, dir);
        d->out_data += len;
        if (d->out_data > d->in_bytes)
            fz_fail("more bytes given than the input sent", fi, dir);
        if (!fz_bytes_were_sent(d, f->rs_next_seq[dir], data, len))
            fz_fail("bytes given that no packet carried there", fi, dir);
    }
    if (fz.depth > 0 && d->out_data + d->out_gap > fz.depth)
        fz_fail("more than the depth given", fi, dir);
    d->pos = f->rs_next_seq[dir] + len;
    d->pos_known = true;
}

static void
fz_flow_reset(int fi)
{
    struct fz_flow *x = &fz.fl[fi];
    int dir;

    for (dir = 0; dir < 2; dir++)
        free(x->d[dir].segs);
    memset(x, 0, sizeof(*x));
    x->f.flags = FLOW_F_TCP_SESSION;
    x->f.key.proto = 6;
    for (dir = 0; dir < 2; dir++)
        x->d[dir].snd_next = fz_isn[fi][dir];
}

/* The flow ends: everything given, EOF both ways, nothing stored. */
static void
fz_flow_end(int fi)
{
    struct fz_flow *x = &fz.fl[fi];
    int dir;

    tcp_reasm_flow_end(&fz.r, &x->f);
    for (dir = 0; dir < 2; dir++) {
        const struct fz_dir *d = &x->d[dir];
        uint8_t rs = x->f.rs_flags[dir];
        if (x->f.rs_ooo[dir] != 0)
            fz_fail("segments stored after the flow end", fi, dir);
        if ((rs & TCP_RS_SEQ_KNOWN) && !(rs & TCP_RS_DEPTH) && !d->eof)
            fz_fail("no EOF at the flow end", fi, dir);
        if (fz.depth > 0 && x->f.rs_delivered[dir] > fz.depth)
            fz_fail("rs_delivered past the depth", fi, dir);
    }
}

static void
fz_seg_add(struct fz_dir *d, uint32_t seq, uint32_t len, const uint8_t *src)
{
    if (d->n_segs == d->cap_segs) {
        size_t cap = d->cap_segs ? d->cap_segs * 2 : 64;
        struct fz_seg *n = realloc(d->segs, cap * sizeof(*n));
        if (n == NULL)
            abort();
        d->segs = n;
        d->cap_segs = cap;
    }
    d->segs[d->n_segs].seq = seq;
    d->segs[d->n_segs].len = len;
    d->segs[d->n_segs].src = src;
    d->n_segs++;
}

/* Big-endian field of n bytes at *pos, or false at the end of the input. */
static bool
fz_take(const uint8_t *data, size_t size, size_t *pos, unsigned n, uint32_t *out)
{
    uint32_t v = 0;
    unsigned i;

    if (size - *pos < n)
        return false;
    for (i = 0; i < n; i++)
        v = v << 8 | data[*pos + i];
    *pos += n;
    *out = v;
    return true;
}

/* One record: false once the input ends. */
static bool
fz_record(const uint8_t *data, size_t size, size_t *pos)
{
    uint32_t ctl, flags, seqf, ackf, len, seq, ack, eff, i;
    int dir, fi;
    struct fz_flow *x;
    struct fz_dir *d;
    const uint8_t *src = NULL;
    uint8_t *buf;
    struct pkt p;

    if (!fz_take(data, size, pos, 1, &ctl) || !fz_take(data, size, pos, 1, &flags) ||
        !fz_take(data, size, pos, ctl & 0x04 ? 4 : 2, &seqf) ||
        !fz_take(data, size, pos, ctl & 0x08 ? 4 : 2, &ackf) ||
        !fz_take(data, size, pos, ctl & 0x10 ? 2 : 1, &len))
        return false;
    dir = (int)(ctl & 1u);
    fi = (int)((ctl >> 1) & 1u);
    x = &fz.fl[fi];
    d = &x->d[dir];
    seq = ctl & 0x04 ? seqf : d->snd_next + (uint32_t)(int32_t)(int16_t)seqf;
    ack = ctl & 0x08 ? ackf : x->d[dir ^ 1].snd_next + (uint32_t)(int32_t)(int16_t)ackf;
    len &= FZ_MAX_LEN;
    if (!(ctl & 0x20)) {
        if (size - *pos < len)
            len = (uint32_t)(size - *pos);
        src = data + *pos;
        *pos += len;
    }
    eff = seq + ((flags & TCP_SYN) ? 1u : 0u); /* first payload byte */

    buf = malloc(FZ_HDR + len);
    if (buf == NULL)
        abort();
    memset(buf, 0xee, FZ_HDR);
    for (i = 0; i < len; i++)
        buf[FZ_HDR + i] = src != NULL ? src[i] : fz_gen(eff + i);

    memset(&p, 0, sizeof(p));
    p.data = buf;
    p.caplen = p.wirelen = FZ_HDR + len;
    p.ctr = fz.ctr;
    p.flags = PKT_HAS_L4;
    p.proto = 6;
    p.tcp_flags = (uint8_t)flags;
    p.tcp_seq = seq;
    p.tcp_ack = ack;
    p.payload_off = FZ_HDR;
    p.payload_len = len;

    if (len > 0) {
        fz_seg_add(d, eff, len, src);
        d->in_bytes += len;
    }
    /* Known bug: a SYN seen again moves rs_next_seq: learn the position anew. */
    if ((flags & TCP_SYN) && (x->f.rs_flags[dir] & TCP_RS_SEQ_KNOWN) &&
        x->f.rs_next_seq[dir] != seq + 1)
        d->pos_known = false;
    if (fz.trace > 0)
        fprintf(stderr, "flow %d dir %d flags 0x%02x seq %u ack %u len %u%s\n", fi, dir,
                (unsigned)flags, seq, ack, len, ctl & 0x40 ? " (flow end)" : "");
    tcp_reasm_packet(&fz.r, &x->f, &p, dir);
    free(buf);
    d->snd_next = eff + len + ((flags & TCP_FIN) ? 1u : 0u);

    if (ctl & 0x40) {
        if (fz.trace > 0)
            fprintf(stderr, "flow %d ends\n", fi);
        fz_flow_end(fi);
        fz_flow_reset(fi);
    }
    return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint32_t n_segs[4] = {0, 1, 8, 256};
    static const uint32_t depths[4] = {0, 16, 3000, 1u << 20};
    static int trace = -1;
    struct tcp_reasm_cfg cfg;
    size_t pos = 1;
    int fi;

    if (size == 0)
        return 0;
    if (trace < 0)
        trace = getenv("FUZZ_REASM_TRACE") != NULL;
    memset(&fz, 0, sizeof(fz));
    fz.trace = trace;
    tcp_reasm_cfg_defaults(&cfg);
    /* sizeof(struct tcp_seg) is private: TCP_SEG_DATA + 12 is its size
     * today (seq, len, next and the data, 4-byte aligned). */
    cfg.memcap = (uint64_t)n_segs[data[0] & 3u] * (TCP_SEG_DATA + 12u);
    cfg.depth = depths[(data[0] >> 2) & 3u];
    fz.depth = cfg.depth;
    if (tcp_reasm_init(&fz.r, &cfg, fz.ctr, fz_on_data, NULL) != 0)
        return 0;
    fz_flow_reset(0);
    fz_flow_reset(1);

    while (fz_record(data, size, &pos))
        ;

    for (fi = 0; fi < 2; fi++) {
        if (fz.trace > 0)
            fprintf(stderr, "flow %d ends\n", fi);
        fz_flow_end(fi);
    }
    if (fz.ctr[STAT_TCP_REASSEMBLY_MEMUSE] != 0)
        fz_fail("tcp.reassembly_memuse is not 0 after every flow ended", -1, -1);
    if (fz.ctr[STAT_TCP_SEGMENT_FROM_POOL] > 0 && fz.r.n_segs == 0)
        fz_fail("segments taken from an empty pool", -1, -1);
    for (fi = 0; fi < 2; fi++) {
        free(fz.fl[fi].d[0].segs);
        free(fz.fl[fi].d[1].segs);
    }
    tcp_reasm_fini(&fz.r);
    return 0;
}
