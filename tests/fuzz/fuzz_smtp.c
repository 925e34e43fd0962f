/*
 * fuzz_smtp.c - libFuzzer target for the SMTP parser
 * (decoders/app_smtp.c, with decoders/app_mime.c under it), its per-flow
 * glue (sensor/app_smtp.c: hashes, acknowledgement-driven records) and
 * the `smtp`, `fileinfo` and `anomaly` formatters (sensor/out_eve_smtp.c),
 * as the generic app-layer driver of STYLE.md section 9: the input is a
 * conversation cut into chunks by a 4-byte magic, each chunk with a
 * control byte (after Zeek's FuzzBuffer).
 *
 *   input   chunk0 [ MAGIC ctl chunk ]...
 *   MAGIC   "\x01SMT"
 *   chunk0  bytes to the server, before the first MAGIC
 *   ctl     bit 0   direction: 0 to the server, 1 to the client
 *           bit 1   a gap: the chunk's length (at most 64 KiB) is missing
 *           bit 2   the direction ends (FIN) after the chunk
 *           bits 3-4 pieces: 0 whole, 1 one byte, 2 seven bytes, 3 counted by the first byte
 *           bit 5   small limits (2 transactions, 3 recipients, 4 headers and URLs,
 *                   few pool objects) for this input (first separator only)
 *           bit 6   a packet of the other direction acknowledges the chunk
 *
 * Every piece is copied into a heap buffer of exactly its size. Each
 * input is one flow that ends when the input ends; contexts and pools
 * live across inputs. Records go to /dev/null with every option on
 * (hashes, extended and custom email fields, md5s). Oracles besides
 * ASan/UBSan (a violation aborts):
 *  - app_smtp_data never consumes more than given, and less only when
 *    STARTTLS was accepted (state released, app_proto tls, orig smtp);
 *  - every view of every live transaction lies inside the pools' chunks;
 *  - caps hold (files, events); after the flow end every transaction,
 *    chunk and MIME state is back in its pool.
 *
 * Reproduce: build/fuzz/replay_smtp FILE.
 */
#include "fuzz.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../decoders/app_smtp.h"
#include "../../sensor/app_smtp.h"
#include "app_detect.h"
#include "flow.h"

#define FUZZ_NAME "fuzz_smtp" /* fuzz_fail()'s prefix */
#include "fuzz_app.h"

#define FUZZ_MAGIC     "\x01SMT"
#define FUZZ_MAGIC_LEN 4u

static struct fuzz_state {
    bool ready;
    struct eve eve;
    struct eve_writer out;
    struct app_smtp_ctx *x[2]; /* default limits, small limits */
    uint64_t ctr[STAT_ID_COUNT];
    uint64_t n_inputs;
    struct pkt pkt;
} fuzz;

static void
fuzz_setup(void)
{
    static const enum eve_type types[] = {EVE_TYPE_SMTP, EVE_TYPE_FILES, EVE_TYPE_ANOMALY};
    struct app_smtp_cfg cfg;
    struct eve_output *o;

    o = fuzz_eve_open(&fuzz.eve, &fuzz.out, types, NIDS_ARRAY_LEN(types));
    o->files.md5 = o->files.sha1 = o->files.sha256 = true;
    o->smtp.extended = true;
    o->smtp.custom = UINT32_MAX;
    o->smtp.md5_body = o->smtp.md5_subject = true;
    app_smtp_cfg_defaults(&cfg);
    cfg.body_md5 = true;
    cfg.flows = 2;
    cfg.tx_pool = 32;
    cfg.chunks = 96;
    cfg.mimes = 2;
    (void)mime_cfg_add_scheme(&cfg.parse.mime, "https");
    fuzz.x[0] = app_smtp_ctx_create(&cfg, &fuzz.eve, fuzz.ctr);
    cfg.parse.max_tx = 2;
    cfg.parse.max_rcpt = 3;
    cfg.parse.max_headers = 4;
    cfg.parse.max_urls = 4;
    cfg.parse.mime.max_depth = 2;
    cfg.parse.mime.log_url_scheme = true;
    cfg.charsets = false;
    cfg.tx_pool = 3;
    cfg.chunks = 5;
    cfg.mimes = 1;
    fuzz.x[1] = app_smtp_ctx_create(&cfg, &fuzz.eve, fuzz.ctr);
    if (fuzz.x[0] == NULL || fuzz.x[1] == NULL)
        fuzz_fail("out of memory");
    fuzz.ready = true;
}

static bool
fuzz_in(const uint8_t *p, uint32_t n, const uint8_t *base, size_t len)
{
    return p >= base && n <= len && (size_t)(p - base) <= len - n;
}

/* A view lies in the pools' chunks (or is the empty string of a failed copy). */
static void
fuzz_check_view(const struct smtp_mem *m, struct smtp_str s)
{
    if (s.ptr == NULL || s.len == 0)
        return;
    if (!fuzz_in(s.ptr, s.len, m->chunks, (size_t)m->n_chunks * SMTP_CHUNK))
        fuzz_fail("a view lies outside the arena");
}

static void
fuzz_check_list(const struct smtp_mem *m, const struct smtp_strlist *l)
{
    const struct smtp_strnode *n;
    uint32_t k = 0;

    for (n = l->head; n != NULL; n = n->next, k++)
        fuzz_check_view(m, n->s);
    if (k != l->count)
        fuzz_fail("a list's count is wrong");
}

static void
fuzz_check_conn(struct app_smtp_ctx *x, const struct flow *f)
{
    const struct smtp_mem *m = app_smtp_ctx_mem(x);
    struct smtp_conn *c = app_smtp_conn_of(x, f);
    const struct smtp_hdr *h;
    struct smtp_tx *tx;
    uint8_t i;

    if (c == NULL)
        return;
    fuzz_check_view(m, smtp_conn_helo(c));
    for (tx = smtp_conn_tx_first(c); tx != NULL; tx = smtp_conn_tx_next(c, tx)) {
        fuzz_check_view(m, tx->mail_from);
        fuzz_check_list(m, &tx->rcpt);
        fuzz_check_list(m, &tx->attachments);
        fuzz_check_list(m, &tx->urls);
        for (h = tx->hdrs.head; h != NULL; h = h->next) {
            fuzz_check_view(m, h->name);
            fuzz_check_view(m, h->value);
        }
        for (i = 0; i < tx->n_files; i++)
            fuzz_check_view(m, tx->files[i].name);
        if (tx->n_files > SMTP_TX_FILES || tx->n_events > SMTP_TX_EVENTS ||
            tx->n_events_logged > tx->n_events)
            fuzz_fail("a transaction holds more than its caps");
    }
    if (c->q_len > SMTP_CMDQ)
        fuzz_fail("the command queue outgrew its cap");
}

/* Give one chunk; false when the flow became TLS. */
static bool
fuzz_chunk(struct app_smtp_ctx *x, struct flow *f, uint8_t ctl, const uint8_t *s, size_t n)
{
    int dir = ctl & 1;
    size_t piece, o = 0;

    fuzz.pkt.pcap_cnt++;
    fuzz.pkt.ts_us += 1000;
    fuzz.pkt.tcp_flags = 0x10;
    if (ctl & 0x02) {
        uint32_t gap = n > 65536 ? 65536u : (uint32_t)n;
        if (gap > 0)
            (void)app_smtp_data(x, f, dir, NULL, gap, APP_FLAG_GAP, &fuzz.pkt, fuzz.pkt.ts_us);
        n = 0;
    }
    piece = fuzz_piece(ctl >> 3, s, n);
    while (o < n) {
        size_t k = n - o < piece ? n - o : piece;
        uint8_t *cp = fuzz_copy(s + o, k);
        uint32_t used;
        used = app_smtp_data(x, f, dir, cp, (uint32_t)k, 0, &fuzz.pkt, fuzz.pkt.ts_us);
        free(cp);
        if (used > k)
            fuzz_fail("consumed more than given");
        fuzz_check_conn(x, f);
        if (used < k) {
            if (f->app_state != 0 || f->app_proto != APP_PROTO_TLS ||
                f->app_proto_orig != APP_PROTO_SMTP)
                fuzz_fail("bytes handed back without STARTTLS");
            return false;
        }
        o += k;
    }
    if (ctl & 0x04)
        (void)app_smtp_data(x, f, dir, NULL, 0, APP_FLAG_EOF, &fuzz.pkt, fuzz.pkt.ts_us);
    if (f->app_proto != APP_PROTO_SMTP)
        return false;
    if (ctl & 0x40) {
        /* the other side's ACK: what this chunk did is written */
        fuzz.pkt.pcap_cnt++;
        fuzz.pkt.ts_us += 1000;
        app_smtp_ack(x, f, &fuzz.pkt, dir ^ 1);
    }
    fuzz_check_conn(x, f);
    return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t a[4] = {192, 0, 2, 1}, b[4] = {192, 0, 2, 25};
    struct app_smtp_ctx *x;
    const struct smtp_mem *m;
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
    f.key.dp = 25;
    f.flow_id = fuzz.n_inputs;
    f.app_proto = APP_PROTO_SMTP;
    /* the packets the records are written with: this flow's addresses */
    memcpy(fuzz.pkt.src, b, 4);
    memcpy(fuzz.pkt.dst, a, 4);
    fuzz.pkt.sp = 25;
    fuzz.pkt.dp = 40000;
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
    app_smtp_flow_end(x, &f, fuzz.pkt.ts_us);
    if (f.app_state != 0)
        fuzz_fail("the flow still holds a state");
    m = app_smtp_ctx_mem(x);
    if (m->tx_used != 0 || m->chunk_used != 0 || m->mime_used != 0)
        fuzz_fail("a transaction, chunk or MIME state was not returned");
    return 0;
}
