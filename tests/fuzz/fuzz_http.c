/*
 * fuzz_http.c - libFuzzer target for the HTTP/1.x parser
 * (decoders/app_http.c), its per-flow glue (sensor/app_http.c) and the
 * `http`, `fileinfo` and `anomaly` EVE formatters (sensor/out_eve_http.c),
 * as the generic app-layer driver of STYLE.md section 9: the input is a
 * conversation cut into chunks by a 4-byte magic, each chunk with a
 * direction bit (after Zeek's FuzzBuffer).
 *
 *   input   chunk0 [ MAGIC ctl chunk ]...
 *   MAGIC   "\x01HTP"
 *   chunk0  bytes to the server, before the first MAGIC
 *   ctl     bit 0   direction: 0 to the server, 1 to the client
 *           bit 1   a gap: the chunk's length (at most 64 KiB) in bytes is
 *                   missing, its bytes are not data
 *           bit 2   the direction ends (FIN) after the chunk
 *           bits 3-4 the chunk is given in pieces of: 0 whole, 1 one
 *                   byte, 2 seven bytes, 3 bytes counted by the first byte
 *           bit 5   small limits (max_line 300, 8 headers, 4 live
 *                   transactions, 64-byte body limits) for this input
 *
 * Every piece is copied into a heap buffer of exactly its size, so ASan
 * reports any read past it. Each input is one flow that ends (the flow
 * end logs what is open) when the input ends; the context and its pools
 * live across inputs. Records go to /dev/null with every option on.
 * Oracles besides ASan/UBSan (a violation aborts):
 *  - app_http_data never consumes more than it is given, and less only
 *    when the flow was handed back to detection (state released,
 *    app_proto unknown, app_proto_orig http);
 *  - every view of every live transaction lies inside the pools' memory
 *    (or is one of the parser's constant strings);
 *  - after the flow end, every transaction and arena chunk is back in
 *    its pool.
 *
 * Reproduce: build/fuzz/replay_http FILE.
 */
#include "fuzz.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../decoders/app_http.h"
#include "../../sensor/app_http.h"
#include "app_detect.h"
#include "flow.h"

#define FUZZ_NAME "fuzz_http" /* fuzz_fail()'s prefix */
#include "fuzz_app.h"

#define FUZZ_MAGIC     "\x01HTP"
#define FUZZ_MAGIC_LEN 4u

static struct fuzz_state {
    bool ready;
    struct eve eve;
    struct eve_writer out;
    struct app_http_ctx *x[2]; /* default limits, small limits */
    uint64_t ctr[STAT_ID_COUNT];
    uint64_t n_inputs;
} fuzz;

static void
fuzz_setup(void)
{
    static const enum eve_type types[] = {EVE_TYPE_HTTP, EVE_TYPE_FILES, EVE_TYPE_ANOMALY};
    struct app_http_cfg cfg;
    struct eve_output *o;

    o = fuzz_eve_open(&fuzz.eve, &fuzz.out, types, NIDS_ARRAY_LEN(types));
    o->http.dump_req = o->http.dump_resp = true;
    app_http_cfg_defaults(&cfg);
    cfg.flows = 2;
    cfg.tx_pool = 64;
    cfg.arena_small = 128;
    cfg.arena_large = 4;
    fuzz.x[0] = app_http_ctx_create(&cfg, &fuzz.eve, fuzz.ctr);
    cfg.max_line = 300;
    cfg.max_headers = 8;
    cfg.max_tx_per_flow = 4;
    cfg.req_body_limit = cfg.resp_body_limit = 64;
    cfg.tx_pool = 4;
    cfg.arena_small = 6;
    cfg.arena_large = 1;
    fuzz.x[1] = app_http_ctx_create(&cfg, &fuzz.eve, fuzz.ctr);
    if (fuzz.x[0] == NULL || fuzz.x[1] == NULL)
        fuzz_fail("out of memory");
    fuzz.ready = true;
}

static bool
fuzz_in(const uint8_t *p, uint32_t n, const uint8_t *base, size_t len)
{
    return p >= base && n <= len && (size_t)(p - base) <= len - n;
}

/* A view lies in the pools' chunks, or is a constant of the parser. */
static void
fuzz_check_view(const struct http_mem *m, struct http_str s)
{
    if (s.ptr == NULL || s.len == 0)
        return;
    if (fuzz_in(s.ptr, s.len, m->small, (size_t)m->n_small * HTTP_SMALL_CHUNK) ||
        fuzz_in(s.ptr, s.len, m->large, (size_t)m->n_large * HTTP_LARGE_CHUNK))
        return;
    if (s.len == 29 && memcmp(s.ptr, "/libhtp::request_uri_not_seen", 29) == 0)
        return;
    fuzz_fail("a view lies outside the arena");
}

static void
fuzz_check_conn(struct app_http_ctx *x, const struct flow *f)
{
    const struct http_mem *m = app_http_ctx_mem(x);
    struct http_conn *c = app_http_conn_of(x, f);
    const struct http_hdr *h;
    struct http_tx *tx;
    uint8_t i;
    int d;

    if (c == NULL)
        return;
    for (tx = http_conn_tx_first(c); tx != NULL; tx = http_conn_tx_next(c, tx)) {
        fuzz_check_view(m, tx->method);
        fuzz_check_view(m, tx->uri);
        fuzz_check_view(m, tx->protocol);
        fuzz_check_view(m, tx->path);
        fuzz_check_view(m, tx->hostname);
        fuzz_check_view(m, tx->resp_protocol);
        fuzz_check_view(m, tx->status);
        fuzz_check_view(m, tx->message);
        fuzz_check_view(m, tx->boundary);
        for (d = 0; d < 2; d++)
            for (h = tx->hdrs[d].head; h != NULL; h = h->next) {
                fuzz_check_view(m, h->name);
                fuzz_check_view(m, h->value);
            }
        for (i = 0; i < tx->n_files; i++)
            fuzz_check_view(m, tx->files[i].name);
        if (tx->n_files > HTTP_TX_FILES || tx->n_events > HTTP_TX_EVENTS)
            fuzz_fail("a transaction holds more than its caps");
    }
}

/* Give one chunk; false when the flow went back to detection. */
static bool
fuzz_chunk(struct app_http_ctx *x, struct flow *f, uint8_t ctl, const uint8_t *s, size_t n)
{
    int dir = ctl & 1;
    size_t piece, o = 0;

    if (ctl & 0x02) {
        uint32_t gap = n > 65536 ? 65536u : (uint32_t)n;
        if (gap > 0)
            (void)app_http_data(x, f, dir, NULL, gap, APP_FLAG_GAP, fuzz.n_inputs);
        n = 0;
    }
    piece = fuzz_piece(ctl >> 3, s, n);
    while (o < n) {
        size_t k = n - o < piece ? n - o : piece;
        uint8_t *cp = fuzz_copy(s + o, k);
        uint32_t used;
        used = app_http_data(x, f, dir, cp, (uint32_t)k, 0, fuzz.n_inputs);
        free(cp);
        if (used > k)
            fuzz_fail("consumed more than given");
        fuzz_check_conn(x, f);
        if (used < k) {
            if (f->app_state != 0 || f->app_proto != APP_PROTO_UNKNOWN ||
                f->app_proto_orig != APP_PROTO_HTTP)
                fuzz_fail("bytes handed back without a protocol change");
            return false;
        }
        o += k;
    }
    if (ctl & 0x04)
        (void)app_http_data(x, f, dir, NULL, 0, APP_FLAG_EOF, fuzz.n_inputs);
    fuzz_check_conn(x, f);
    return f->app_proto == APP_PROTO_HTTP;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t a[4] = {192, 0, 2, 1}, b[4] = {192, 0, 2, 80};
    struct app_http_ctx *x;
    const struct http_mem *m;
    struct flow f;
    uint8_t ctl = 0;
    size_t o = 0;

    if (!fuzz.ready)
        fuzz_setup();
    fuzz.n_inputs++;
    memset(&f, 0, sizeof(f));
    f.key.ip_ver = 4;
    f.key.proto = 6;
    memcpy(f.key.src, a, 4);
    memcpy(f.key.dst, b, 4);
    f.key.sp = 40000;
    f.key.dp = 80;
    f.flow_id = fuzz.n_inputs;
    f.app_proto = APP_PROTO_HTTP;
    /* the ctl of the first separator picks the limits for the whole input */
    {
        const uint8_t *mg = memmem(data, size, FUZZ_MAGIC, FUZZ_MAGIC_LEN);
        size_t at = mg != NULL ? (size_t)(mg - data) + FUZZ_MAGIC_LEN : size;
        x = fuzz.x[at < size && (data[at] & 0x20) ? 1 : 0];
    }
    while (o <= size) {
        const uint8_t *mg = memmem(data + o, size - o, FUZZ_MAGIC, FUZZ_MAGIC_LEN);
        size_t end = mg != NULL ? (size_t)(mg - data) : size;
        if (!fuzz_chunk(x, &f, ctl, data + o, end - o))
            break;
        if (mg == NULL || end + FUZZ_MAGIC_LEN >= size)
            break;
        ctl = data[end + FUZZ_MAGIC_LEN];
        o = end + FUZZ_MAGIC_LEN + 1;
    }
    app_http_flow_end(x, &f, fuzz.n_inputs);
    if (f.app_state != 0)
        fuzz_fail("the flow still holds a state");
    m = app_http_ctx_mem(x);
    if (m->tx_used != 0 || m->small_used != 0 || m->large_used != 0)
        fuzz_fail("a transaction or an arena chunk was not returned");
    return 0;
}
