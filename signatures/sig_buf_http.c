/*
 * sig_buf_http.c - HTTP inspection buffers over struct http_tx
 * (decoders/app_http.h), named as Suricata's sticky buffers with their
 * legacy content modifiers:
 *
 *   http.method http.uri http.uri.raw http.host http.host.raw
 *   http.user_agent http.header http.header.raw http.cookie
 *   http.request_line http.response_line http.stat_code http.stat_msg
 *   http.content_type http.content_len http.protocol http.referer
 *   http.accept http.accept_lang http.accept_enc http.connection
 *   http.server http.location http.header_names file.name
 *
 * http.uri is the normalised URI: the parser's normalised path (%XX
 * decoded, dot segments removed, '//' folded) followed by the raw query.
 * http.header is "Name: Value\r\n" per header without Cookie (request) or
 * Set-Cookie (response), as Suricata builds it. Buffers of a request are
 * complete once its headers are (stage REQ_HDR), of a response likewise
 * (RES_HDR); file names once the body is done.
 */
#include "sig_int.h"

#include <string.h>
#include <strings.h>

#include "../decoders/app_http.h"

static bool
sig_http_str(struct http_str s, struct sig_bytes *out)
{
    if (s.ptr == NULL)
        return false;
    out->p = s.ptr;
    out->len = s.len;
    return true;
}

static bool
sig_http_hdr(const struct sig_txv *v, int dir, const char *name, struct sig_bytes *out)
{
    const struct http_hdr *h = http_tx_header(v->tx, dir, name);

    return h != NULL && sig_http_str(h->value, out);
}

/* Appends pieces into scratch; false when it does not fit (counted by the caller). */
struct sig_http_b {
    uint8_t *p;
    uint32_t cap, len;
    bool full;
};

static void
sig_http_b_add(struct sig_http_b *b, const void *s, uint32_t n)
{
    if (n > b->cap - b->len) {
        n = b->cap - b->len;
        b->full = true;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void
sig_http_b_start(struct sig_thread *t, struct sig_http_b *b)
{
    b->p = sig_scratch_get(t, &b->cap);
    b->len = 0;
    b->full = false;
}

static bool
sig_http_b_end(struct sig_thread *t, struct sig_http_b *b, struct sig_bytes *out)
{
    sig_scratch_put(t, b->len);
    out->p = b->p;
    out->len = b->len;
    return true;
}

static bool
sig_http_method(struct sig_thread *t, const struct sig_txv *v, int dir, uint32_t idx,
                struct sig_bytes *out)
{
    const struct http_tx *tx = v->tx;

    (void)t;
    (void)dir;
    return idx == 0 && sig_http_str(tx->method, out);
}

static bool
sig_http_uri(struct sig_thread *t, const struct sig_txv *v, int dir, uint32_t idx,
             struct sig_bytes *out)
{
    const struct http_tx *tx = v->tx;
    struct sig_http_b b;
    const uint8_t *q;

    (void)dir;
    if (idx != 0 || tx->uri.ptr == NULL)
        return false;
    if (tx->path.ptr == NULL)
        return sig_http_str(tx->uri, out);
    sig_http_b_start(t, &b);
    sig_http_b_add(&b, tx->path.ptr, tx->path.len);
    q = tx->uri.len > 0 ? memchr(tx->uri.ptr, '?', tx->uri.len) : NULL;
    if (q != NULL)
        sig_http_b_add(&b, q, (uint32_t)(tx->uri.len - (uint32_t)(q - tx->uri.ptr)));
    return sig_http_b_end(t, &b, out);
}

static bool
sig_http_uri_raw(struct sig_thread *t, const struct sig_txv *v, int dir, uint32_t idx,
                 struct sig_bytes *out)
{
    const struct http_tx *tx = v->tx;

    (void)t;
    (void)dir;
    return idx == 0 && sig_http_str(tx->uri, out);
}

static bool
sig_http_host(struct sig_thread *t, const struct sig_txv *v, int dir, uint32_t idx,
              struct sig_bytes *out)
{
    const struct http_tx *tx = v->tx;

    (void)t;
    (void)dir;
    return idx == 0 && sig_http_str(tx->hostname, out);
}

#define SIG_HTTP_HDR_GETTER(fn, side, hname)                                                       \
    static bool fn(struct sig_thread *t, const struct sig_txv *v, int dir, uint32_t idx,           \
                   struct sig_bytes *out)                                                          \
    {                                                                                              \
        (void)t;                                                                                   \
        (void)dir;                                                                                 \
        return idx == 0 && sig_http_hdr(v, side < 0 ? dir : side, hname, out);                     \
    }

SIG_HTTP_HDR_GETTER(sig_http_host_raw, APP_DIR_TOSERVER, "host")
SIG_HTTP_HDR_GETTER(sig_http_ua, APP_DIR_TOSERVER, "user-agent")
SIG_HTTP_HDR_GETTER(sig_http_referer, APP_DIR_TOSERVER, "referer")
SIG_HTTP_HDR_GETTER(sig_http_accept, APP_DIR_TOSERVER, "accept")
SIG_HTTP_HDR_GETTER(sig_http_accept_lang, APP_DIR_TOSERVER, "accept-language")
SIG_HTTP_HDR_GETTER(sig_http_accept_enc, APP_DIR_TOSERVER, "accept-encoding")
SIG_HTTP_HDR_GETTER(sig_http_server, APP_DIR_TOCLIENT, "server")
SIG_HTTP_HDR_GETTER(sig_http_location, APP_DIR_TOCLIENT, "location")
SIG_HTTP_HDR_GETTER(sig_http_ctype, -1, "content-type")
SIG_HTTP_HDR_GETTER(sig_http_clen, -1, "content-length")
SIG_HTTP_HDR_GETTER(sig_http_connection, -1, "connection")

static bool
sig_http_cookie(struct sig_thread *t, const struct sig_txv *v, int dir, uint32_t idx,
                struct sig_bytes *out)
{
    (void)t;
    return idx == 0 && sig_http_hdr(v, dir, dir == APP_DIR_TOSERVER ? "cookie" : "set-cookie", out);
}

/* "Name: Value\r\n" per header; raw: every header and a closing "\r\n". */
static bool
sig_http_headers(struct sig_thread *t, const struct sig_txv *v, int dir, bool raw,
                 struct sig_bytes *out)
{
    const struct http_tx *tx = v->tx;
    const struct http_hdr *h = tx->hdrs[dir].head;
    const char *skip = dir == APP_DIR_TOSERVER ? "cookie" : "set-cookie";
    struct sig_http_b b;

    if (h == NULL)
        return false;
    sig_http_b_start(t, &b);
    for (; h != NULL; h = h->next) {
        if (!raw && h->name.len == strlen(skip) &&
            strncasecmp((const char *)h->name.ptr, skip, h->name.len) == 0)
            continue;
        sig_http_b_add(&b, h->name.ptr, h->name.len);
        sig_http_b_add(&b, ": ", 2);
        sig_http_b_add(&b, h->value.ptr, h->value.len);
        sig_http_b_add(&b, "\r\n", 2);
    }
    if (raw)
        sig_http_b_add(&b, "\r\n", 2);
    if (b.len == 0) {
        sig_scratch_put(t, 0);
        return false;
    }
    return sig_http_b_end(t, &b, out);
}

static bool
sig_http_header(struct sig_thread *t, const struct sig_txv *v, int dir, uint32_t idx,
                struct sig_bytes *out)
{
    return idx == 0 && sig_http_headers(t, v, dir, false, out);
}

static bool
sig_http_header_raw(struct sig_thread *t, const struct sig_txv *v, int dir, uint32_t idx,
                    struct sig_bytes *out)
{
    return idx == 0 && sig_http_headers(t, v, dir, true, out);
}

static bool
sig_http_header_names(struct sig_thread *t, const struct sig_txv *v, int dir, uint32_t idx,
                      struct sig_bytes *out)
{
    const struct http_tx *tx = v->tx;
    const struct http_hdr *h = tx->hdrs[dir].head;
    struct sig_http_b b;

    if (idx != 0 || h == NULL)
        return false;
    sig_http_b_start(t, &b);
    sig_http_b_add(&b, "\r\n", 2);
    for (; h != NULL; h = h->next) {
        sig_http_b_add(&b, h->name.ptr, h->name.len);
        sig_http_b_add(&b, "\r\n", 2);
    }
    sig_http_b_add(&b, "\r\n", 2);
    return sig_http_b_end(t, &b, out);
}

static bool
sig_http_request_line(struct sig_thread *t, const struct sig_txv *v, int dir, uint32_t idx,
                      struct sig_bytes *out)
{
    const struct http_tx *tx = v->tx;
    struct sig_http_b b;

    (void)dir;
    if (idx != 0 || tx->method.ptr == NULL)
        return false;
    sig_http_b_start(t, &b);
    sig_http_b_add(&b, tx->method.ptr, tx->method.len);
    if (tx->uri.ptr != NULL) {
        sig_http_b_add(&b, " ", 1);
        sig_http_b_add(&b, tx->uri.ptr, tx->uri.len);
    }
    if (tx->protocol.ptr != NULL && tx->protocol.len > 0) {
        sig_http_b_add(&b, " ", 1);
        sig_http_b_add(&b, tx->protocol.ptr, tx->protocol.len);
    }
    return sig_http_b_end(t, &b, out);
}

static bool
sig_http_response_line(struct sig_thread *t, const struct sig_txv *v, int dir, uint32_t idx,
                       struct sig_bytes *out)
{
    const struct http_tx *tx = v->tx;
    struct sig_http_b b;

    (void)dir;
    if (idx != 0 || tx->resp_protocol.ptr == NULL)
        return false;
    sig_http_b_start(t, &b);
    sig_http_b_add(&b, tx->resp_protocol.ptr, tx->resp_protocol.len);
    if (tx->status.ptr != NULL) {
        sig_http_b_add(&b, " ", 1);
        sig_http_b_add(&b, tx->status.ptr, tx->status.len);
    }
    if (tx->message.ptr != NULL && tx->message.len > 0) {
        sig_http_b_add(&b, " ", 1);
        sig_http_b_add(&b, tx->message.ptr, tx->message.len);
    }
    return sig_http_b_end(t, &b, out);
}

static bool
sig_http_stat_code(struct sig_thread *t, const struct sig_txv *v, int dir, uint32_t idx,
                   struct sig_bytes *out)
{
    const struct http_tx *tx = v->tx;

    (void)t;
    (void)dir;
    return idx == 0 && sig_http_str(tx->status, out);
}

static bool
sig_http_stat_msg(struct sig_thread *t, const struct sig_txv *v, int dir, uint32_t idx,
                  struct sig_bytes *out)
{
    const struct http_tx *tx = v->tx;

    (void)t;
    (void)dir;
    return idx == 0 && sig_http_str(tx->message, out);
}

static bool
sig_http_protocol(struct sig_thread *t, const struct sig_txv *v, int dir, uint32_t idx,
                  struct sig_bytes *out)
{
    const struct http_tx *tx = v->tx;

    (void)t;
    return idx == 0 &&
           sig_http_str(dir == APP_DIR_TOSERVER ? tx->protocol : tx->resp_protocol, out);
}

static bool
sig_http_file_name(struct sig_thread *t, const struct sig_txv *v, int dir, uint32_t idx,
                   struct sig_bytes *out)
{
    const struct http_tx *tx = v->tx;
    uint32_t i, k = 0;

    (void)t;
    for (i = 0; i < tx->n_files && i < HTTP_TX_FILES; i++) {
        if (tx->files[i].dir != dir || tx->files[i].name.ptr == NULL)
            continue;
        if (k++ == idx)
            return sig_http_str(tx->files[i].name, out);
    }
    return false;
}

bool
sig_http_has_event(const struct sig_txv *v, uint16_t id)
{
    const struct http_tx *tx = v->tx;
    uint8_t i;

    for (i = 0; i < tx->n_events && i < HTTP_TX_EVENTS; i++)
        if (tx->events[i] == id)
            return true;
    return false;
}

#define TS   SIG_DIR_TS
#define TC   SIG_DIR_TC
#define BOTH (SIG_DIR_TS | SIG_DIR_TC)
#define RQ   SIG_STAGE_HTTP_REQ_HDR
#define RQD  SIG_STAGE_HTTP_REQ_DONE
#define RS   SIG_STAGE_HTTP_RES_HDR
#define RSD  SIG_STAGE_HTTP_RES_DONE

const struct sig_buf_def sig_buf_http[] = {
        {"http.method", NULL, "http_method", APP_PROTO_HTTP, TS, {RQ, RS}, sig_http_method},
        {"http.uri", "http.uri.normalized", "http_uri", APP_PROTO_HTTP, TS, {RQ, RS}, sig_http_uri},
        {"http.uri.raw", NULL, "http_raw_uri", APP_PROTO_HTTP, TS, {RQ, RS}, sig_http_uri_raw},
        {"http.host", NULL, "http_host", APP_PROTO_HTTP, TS, {RQ, RS}, sig_http_host},
        {"http.host.raw", NULL, "http_raw_host", APP_PROTO_HTTP, TS, {RQ, RS}, sig_http_host_raw},
        {"http.user_agent", NULL, "http_user_agent", APP_PROTO_HTTP, TS, {RQ, RS}, sig_http_ua},
        {"http.header", NULL, "http_header", APP_PROTO_HTTP, BOTH, {RQ, RS}, sig_http_header},
        {"http.header.raw",
         NULL,
         "http_raw_header",
         APP_PROTO_HTTP,
         BOTH,
         {RQ, RS},
         sig_http_header_raw},
        {"http.cookie", NULL, "http_cookie", APP_PROTO_HTTP, BOTH, {RQ, RS}, sig_http_cookie},
        {"http.request_line",
         "http_request_line",
         NULL,
         APP_PROTO_HTTP,
         TS,
         {RQ, RS},
         sig_http_request_line},
        {"http.response_line",
         "http_response_line",
         NULL,
         APP_PROTO_HTTP,
         TC,
         {RQ, RS},
         sig_http_response_line},
        {"http.stat_code",
         NULL,
         "http_stat_code",
         APP_PROTO_HTTP,
         TC,
         {RQ, RS},
         sig_http_stat_code},
        {"http.stat_msg", NULL, "http_stat_msg", APP_PROTO_HTTP, TC, {RQ, RS}, sig_http_stat_msg},
        {"http.content_type", NULL, NULL, APP_PROTO_HTTP, BOTH, {RQ, RS}, sig_http_ctype},
        {"http.content_len", NULL, NULL, APP_PROTO_HTTP, BOTH, {RQ, RS}, sig_http_clen},
        {"http.protocol", NULL, NULL, APP_PROTO_HTTP, BOTH, {RQ, RS}, sig_http_protocol},
        {"http.referer", NULL, NULL, APP_PROTO_HTTP, TS, {RQ, RS}, sig_http_referer},
        {"http.accept", NULL, NULL, APP_PROTO_HTTP, TS, {RQ, RS}, sig_http_accept},
        {"http.accept_lang", NULL, NULL, APP_PROTO_HTTP, TS, {RQ, RS}, sig_http_accept_lang},
        {"http.accept_enc", NULL, NULL, APP_PROTO_HTTP, TS, {RQ, RS}, sig_http_accept_enc},
        {"http.connection", NULL, NULL, APP_PROTO_HTTP, BOTH, {RQ, RS}, sig_http_connection},
        {"http.server", NULL, NULL, APP_PROTO_HTTP, TC, {RQ, RS}, sig_http_server},
        {"http.location", NULL, NULL, APP_PROTO_HTTP, TC, {RQ, RS}, sig_http_location},
        {"http.header_names", NULL, NULL, APP_PROTO_HTTP, BOTH, {RQ, RS}, sig_http_header_names},
        {"file.name", "file_name", NULL, APP_PROTO_HTTP, BOTH, {RQD, RSD}, sig_http_file_name},
};
const unsigned sig_buf_http_count = NIDS_ARRAY_LEN(sig_buf_http);
