/*
 * fuzz_dns_tcp.c - libFuzzer target for DNS over TCP (sensor/app_dns_tcp.c:
 * framing, acknowledgement, gaps, pools) with the DNS parser and the `dns`
 * and anomaly formatters behind it, as the generic app-layer driver of
 * STYLE.md section 9: a conversation cut into chunks by a 4-byte magic.
 *
 *   input   chunk0 [ MAGIC ctl chunk ]...
 *   MAGIC   "\x01DNT"
 *   chunk0  bytes to the server, before the first MAGIC
 *   ctl     bit 0   direction: 0 to the server, 1 to the client
 *           bit 1   a gap: the chunk's length (at most 64 KiB) is missing,
 *                   its bytes are not data
 *           bit 2   the direction ends after the chunk (FIN; with bit 4 an RST)
 *           bit 3   after the chunk, the other side acknowledges all of it
 *           bit 4   see bit 2
 *           bits 5-6 the chunk is given in pieces of: 0 whole, 1 one byte,
 *                   2 seven bytes, 3 bytes counted by the first byte
 *           bit 7   (first ctl only) one message buffer for the whole
 *                   input instead of four: the second direction finds the
 *                   buffer pool empty
 *
 * Every piece is copied into a heap buffer of exactly its size, so ASan
 * reports any read past it. Each input is one flow that ends (parsing
 * what is left) when the input ends; the contexts live across inputs.
 * Records go to /dev/null. Oracles besides ASan/UBSan: after the flow
 * end the state and every buffer are back in their pools, and no more
 * transactions were counted than the flow numbered.
 *
 * Reproduce: build/fuzz/replay_dns_tcp FILE.
 */
#include "fuzz.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "app_detect.h"
#include "app_dns_tcp.h"
#include "flow.h"

#define FUZZ_NAME "fuzz_dns_tcp" /* fuzz_fail()'s prefix */
#include "fuzz_app.h"

#define FUZZ_MAGIC     "\x01DNT"
#define FUZZ_MAGIC_LEN 4u

static struct fuzz_state {
    bool ready;
    struct eve eve;
    struct eve_writer out;
    struct app_dns_tcp_ctx *x[2]; /* four buffers, one buffer */
    uint64_t ctr[STAT_ID_COUNT];
    uint64_t n_inputs;
    struct pkt p;
} fuzz;

static void
fuzz_setup(void)
{
    static const enum eve_type types[] = {EVE_TYPE_DNS, EVE_TYPE_ANOMALY};
    struct app_dns_tcp_cfg cfg = {.flows = 1, .bufs = 4};
    struct eve_output *o;

    o = fuzz_eve_open(&fuzz.eve, &fuzz.out, types, NIDS_ARRAY_LEN(types));
    eve_dns_cfg_defaults(&o->dns);
    fuzz.x[0] = app_dns_tcp_ctx_create(&cfg, &fuzz.eve, fuzz.ctr);
    cfg.bufs = 1;
    fuzz.x[1] = app_dns_tcp_ctx_create(&cfg, &fuzz.eve, fuzz.ctr);
    if (fuzz.x[0] == NULL || fuzz.x[1] == NULL)
        fuzz_fail("out of memory");
    fuzz.ready = true;
}

/* A packet of direction dir (addresses of flow f), as the worker hands it over. */
static struct pkt *
fuzz_pkt(const struct flow *f, int dir, uint8_t flags, uint32_t ack)
{
    struct pkt *p = &fuzz.p;

    memset(p, 0, sizeof(*p));
    p->ctr = fuzz.ctr;
    p->ip_ver = 4;
    p->l3_len = 20;
    p->proto = 6;
    p->flags = PKT_HAS_L4;
    memcpy(p->src, dir ? f->key.dst : f->key.src, 16);
    memcpy(p->dst, dir ? f->key.src : f->key.dst, 16);
    p->sp = dir ? f->key.dp : f->key.sp;
    p->dp = dir ? f->key.sp : f->key.dp;
    p->tcp_flags = flags;
    p->tcp_ack = ack;
    p->pcap_cnt = fuzz.n_inputs;
    p->ts_us = fuzz.n_inputs;
    return p;
}

/* Give one chunk as tcp_reasm would, then what ctl asks for. */
static void
fuzz_chunk(struct app_dns_tcp_ctx *x, struct flow *f, uint8_t ctl, const uint8_t *s, size_t n)
{
    int dir = ctl & 1;
    size_t piece, o = 0;
    struct pkt *p;

    if (ctl & 0x02) {
        uint32_t gap = n > 65536 ? 65536u : (uint32_t)n;
        p = fuzz_pkt(f, dir ^ 1, TCP_ACK, f->rs_next_seq[dir] + gap);
        if (gap > 0)
            app_dns_tcp_data(x, f, dir, NULL, gap, APP_FLAG_GAP, p, p->ts_us);
        f->rs_next_seq[dir] += gap;
        n = 0;
    }
    piece = fuzz_piece(ctl >> 5, s, n);
    while (o < n) {
        size_t k = n - o < piece ? n - o : piece;
        uint8_t *cp = fuzz_copy(s + o, k);
        p = fuzz_pkt(f, dir, TCP_ACK | TCP_PSH, f->rs_next_seq[dir ^ 1]);
        app_dns_tcp_data(x, f, dir, cp, (uint32_t)k, 0, p, p->ts_us);
        free(cp);
        f->rs_next_seq[dir] += (uint32_t)k;
        o += k;
    }
    if (ctl & 0x04) {
        p = fuzz_pkt(f, dir, (ctl & 0x10) ? TCP_RST : (TCP_FIN | TCP_ACK), 0);
        app_dns_tcp_data(x, f, dir, NULL, 0, APP_FLAG_EOF, p, p->ts_us);
    }
    if (ctl & 0x08) {
        p = fuzz_pkt(f, dir ^ 1, TCP_ACK, f->rs_next_seq[dir]);
        app_dns_tcp_ack(x, f, p, dir ^ 1);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t a[4] = {192, 0, 2, 1}, b[4] = {192, 0, 2, 53};
    struct app_dns_tcp_ctx *x;
    struct flow f;
    uint8_t ctl = 0;
    size_t o = 0;
    uint64_t tx_before;

    if (!fuzz.ready)
        fuzz_setup();
    fuzz.n_inputs++;
    memset(&f, 0, sizeof(f));
    f.key.ip_ver = 4;
    f.key.proto = 6;
    memcpy(f.key.src, a, 4);
    memcpy(f.key.dst, b, 4);
    f.key.sp = 40000;
    f.key.dp = 53;
    f.flow_id = fuzz.n_inputs;
    f.app_proto = APP_PROTO_DNS;
    /* Sequence numbers that wrap within the input. */
    f.rs_next_seq[0] = 0xffffff00u;
    f.rs_next_seq[1] = 0x7fffffffu;
    {
        const uint8_t *mg = memmem(data, size, FUZZ_MAGIC, FUZZ_MAGIC_LEN);
        size_t at = mg != NULL ? (size_t)(mg - data) + FUZZ_MAGIC_LEN : size;
        x = fuzz.x[at < size && (data[at] & 0x80) ? 1 : 0];
    }
    tx_before = fuzz.ctr[STAT_APP_LAYER_TX_DNS_TCP];
    while (o <= size) {
        const uint8_t *mg = memmem(data + o, size - o, FUZZ_MAGIC, FUZZ_MAGIC_LEN);
        size_t end = mg != NULL ? (size_t)(mg - data) : size;
        fuzz_chunk(x, &f, ctl, data + o, end - o);
        if (mg == NULL || end + FUZZ_MAGIC_LEN >= size)
            break;
        ctl = data[end + FUZZ_MAGIC_LEN];
        o = end + FUZZ_MAGIC_LEN + 1;
    }
    app_dns_tcp_flow_end(x, &f, fuzz.n_inputs);
    if (f.app_state != 0)
        fuzz_fail("the flow still holds a state");
    if (app_dns_tcp_states_used(x) != 0 || app_dns_tcp_bufs_used(x) != 0)
        fuzz_fail("a state or a buffer was not returned");
    if (fuzz.ctr[STAT_APP_LAYER_TX_DNS_TCP] - tx_before != f.app_tx)
        fuzz_fail("transactions counted and numbered differ");
    return 0;
}
