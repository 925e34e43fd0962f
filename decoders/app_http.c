/*
 * app_http.c - HTTP/1.x parser: RFC 9112 (messages, chunked coding,
 * message body length), RFC 9110 (methods, status codes, 100-continue,
 * CONNECT), RFC 1945 (HTTP/0.9 simple requests, 1.0 close-delimited
 * bodies), RFC 3986 5.2.4 (dot segments), RFC 7578 (multipart/form-data),
 * with the transaction model and the quirks of libhtp-rs as used by
 * Suricata 8 (request.rs, response.rs, headers.rs, parsers.rs).
 *
 *   request:   METHOD SP request-target SP HTTP/x.y CRLF     (0.9: no version)
 *              *( field-name ":" OWS field-value OWS CRLF    (obs-fold: CRLF 1*(SP/HT))
 *              CRLF
 *              [ body: Content-Length bytes | chunked ]
 *   response:  HTTP/x.y SP 3DIGIT SP reason CRLF   (CR alone and LF alone end lines too)
 *              *( header CRLF ) CRLF
 *              [ body: none (HEAD, 1xx, 204, 304) | chunked | Content-Length | until close ]
 *   chunked:   *( chunk-size [ ";" ext ] CRLF  chunk-data CRLF )  "0" CRLF  *( trailer CRLF )  CRLF
 *
 * Each direction is a state machine (d->state) fed any number of bytes at
 * a time; a step either consumes bytes or changes state, and the loop is
 * bounded by the input. Lines are assembled in the transaction's arena as
 * they arrive (a line never needs the bytes again); a few decisions that
 * libhtp takes on a whole line (is this a method, does this look like a
 * status line) only need its first bytes, held in d->look.
 */
#include "app_http.h"

#include <stdlib.h>
#include <string.h>

/* A broken invariant: abort in debug and fuzz builds, carry on otherwise. */
#if defined(NIDS_DEBUG) || defined(FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION)
#define HTTP_BUG_ON(cond)                                                                          \
    do {                                                                                           \
        if (cond)                                                                                  \
            abort();                                                                               \
    } while (0)
#else
#define HTTP_BUG_ON(cond) ((void)0)
#endif

const char *const http_event_names[HTTP_EV_COUNT] = {
#define HTTP_EVENT_NAME(id, name) name,
        HTTP_EVENT_TABLE(HTTP_EVENT_NAME)
#undef HTTP_EVENT_NAME
};

const char *const http_ctr_names[HTTP_CTR_COUNT] = {
#define HTTP_CTR_NAME(id, name) name,
        HTTP_CTR_TABLE(HTTP_CTR_NAME)
#undef HTTP_CTR_NAME
};

/* Request side states. */
enum http_rs {
    RS_IDLE = 0,
    RS_LINE,
    RS_09_PENDING, /* a request line without version: 0.9 unless headers follow */
    RS_HDR,
    RS_BODY_CL,
    RS_CHUNK_LEN,
    RS_CHUNK_DATA,
    RS_CHUNK_END,
    RS_FINALIZE,
    RS_FIN_BODYLINE, /* a line after the request that is body */
    RS_CONNECT_WAIT,
    RS_CONNECT_PROBE,
    RS_IGNORE, /* after HTTP/0.9, or a tunnel */
    RS_COUNT
};

/* Response side states. */
enum http_ss {
    SS_IDLE = 0,
    SS_LINE,
    SS_HDR,
    SS_BODY_CL,
    SS_BODY_CLOSE,
    SS_CHUNK_LEN,
    SS_CHUNK_DATA,
    SS_CHUNK_END,
    SS_FINALIZE,
    SS_FIN_BODYLINE,
    SS_IGNORE,
    SS_COUNT
};

/* Header-line sub-state (d->fold). */
#define HL_START    0 /* at the first byte of a line, no header pending */
#define HL_PENDING  1 /* at the first byte of a line, a header may continue */
#define HL_DATA     2 /* inside a header line */
#define HL_FOLD_LWS 3 /* skipping the whitespace of a continuation line */
#define HL_EMPTY_CR 4 /* a CR at line start: end of headers if a LF follows */

/* Request transfer coding. */
#define TE_UNKNOWN  0
#define TE_NO_BODY  1
#define TE_IDENTITY 2
#define TE_CHUNKED  3
#define TE_INVALID  4

/* Chunk-size line scanner (d->chunk_flags). */
#define CK_DIGITS 0x01 /* hex digits seen */
#define CK_AFTER  0x02 /* past the digits */
#define CK_EXT    0x04 /* a ';' after them */
#define CK_BAD    0x08 /* not a chunk-size line */
#define CK_BIG    0x10 /* larger than libhtp accepts (i32 max) */
#define CK_NONCTL 0x20 /* a byte other than CR LF SP HT VT FF */

/* Multipart scanner states (request side, d->mp_state). */
#define MP_OFF    0
#define MP_DELIM  1 /* looking for the delimiter (preamble or part data) */
#define MP_AFTER  2 /* just after a delimiter: "--" or CRLF */
#define MP_AFTER2 3
#define MP_HDRS   4 /* part headers */
#define MP_DONE   5

#define HTTP_NO_SLOT 0xffu

/* ---------------------------------------------------------------- pools */

/* Areas of the pool block, each rounded up to 16 bytes so that chunks stay aligned. */
static size_t
http_round16(size_t n)
{
    return (n + 15u) & ~(size_t)15u;
}

size_t
http_mem_size(uint32_t n_small, uint32_t n_large, uint32_t n_tx)
{
    return http_round16((size_t)n_tx * sizeof(struct http_tx)) +
           http_round16((size_t)n_small * sizeof(uint32_t)) +
           http_round16((size_t)n_large * sizeof(uint32_t)) + (size_t)n_small * HTTP_SMALL_CHUNK +
           (size_t)n_large * HTTP_LARGE_CHUNK;
}

void
http_mem_init(struct http_mem *m, void *mem, uint32_t n_small, uint32_t n_large, uint32_t n_tx)
{
    uint8_t *p = mem;

    memset(m, 0, sizeof(*m));
    /* The block is malloc-aligned; every area starts on 16 bytes. */
    m->txs = (struct http_tx *)(void *)p;
    p += http_round16((size_t)n_tx * sizeof(struct http_tx));
    m->small_next = (uint32_t *)(void *)p;
    p += http_round16((size_t)n_small * sizeof(uint32_t));
    m->large_next = (uint32_t *)(void *)p;
    p += http_round16((size_t)n_large * sizeof(uint32_t));
    m->small = p;
    p += (size_t)n_small * HTTP_SMALL_CHUNK;
    m->large = p;
    m->n_small = n_small;
    m->n_large = n_large;
    m->n_tx = n_tx;
    pool_list_init(&m->small_list, n_small);
    pool_list_init(&m->large_list, n_large);
    pool_list_init(&m->tx_list, n_tx);
}

void
http_parse_cfg_defaults(struct http_parse_cfg *c)
{
    c->max_line = 18000;
    c->max_headers = 1024;
    c->max_tx = 64;
    c->req_body_limit = 100u * 1024u;
    c->resp_body_limit = 100u * 1024u;
}

/* A chunk (HTTP_CHUNK_LARGE set for large), or UINT32_MAX when the pool is empty. */
static uint32_t
http_chunk_alloc(struct http_mem *m, bool large)
{
    uint32_t i;

    if (large) {
        i = pool_list_alloc(&m->large_list, m->large_next, sizeof(*m->large_next));
        if (i == 0)
            return UINT32_MAX;
        m->large_used++;
        return (i - 1) | HTTP_CHUNK_LARGE;
    }
    i = pool_list_alloc(&m->small_list, m->small_next, sizeof(*m->small_next));
    if (i == 0)
        return UINT32_MAX;
    m->small_used++;
    return i - 1;
}

static void
http_chunk_free(struct http_mem *m, uint32_t id)
{
    uint32_t i = id & ~HTTP_CHUNK_LARGE;

    if (id & HTTP_CHUNK_LARGE) {
        pool_list_free(&m->large_list, m->large_next, sizeof(*m->large_next), i + 1);
        m->large_used--;
    } else {
        pool_list_free(&m->small_list, m->small_next, sizeof(*m->small_next), i + 1);
        m->small_used--;
    }
}

static uint8_t *
http_chunk_ptr(const struct http_mem *m, uint32_t id)
{
    uint32_t i = id & ~HTTP_CHUNK_LARGE;

    return (id & HTTP_CHUNK_LARGE) ? m->large + (size_t)i * HTTP_LARGE_CHUNK
                                   : m->small + (size_t)i * HTTP_SMALL_CHUNK;
}

static uint32_t
http_chunk_size(uint32_t id)
{
    return (id & HTTP_CHUNK_LARGE) ? HTTP_LARGE_CHUNK : HTTP_SMALL_CHUNK;
}

/* ---------------------------------------------------------------- arena */

/* Take a chunk for direction dir of tx; false when no room or no memory. */
static bool
http_arena_grow(struct http_conn *c, struct http_tx *tx, int dir, bool large)
{
    struct http_arena *a = &tx->arena;
    uint32_t id;

    if (a->n >= HTTP_TX_CHUNKS) {
        c->mem->ctr[HTTP_CTR_ARENA_EMPTY]++;
        return false;
    }
    id = http_chunk_alloc(c->mem, large);
    if (id == UINT32_MAX && large)
        id = http_chunk_alloc(c->mem, false);
    if (id == UINT32_MAX) {
        c->mem->ctr[HTTP_CTR_ARENA_EMPTY]++;
        return false;
    }
    a->chunk[a->n] = id;
    a->cur[dir].slot = a->n;
    a->cur[dir].off = 0;
    a->n++;
    return true;
}

/* Room left in the direction's chunk, and where it starts. */
static uint32_t
http_arena_room(struct http_conn *c, struct http_tx *tx, int dir, uint8_t **at)
{
    struct http_arena *a = &tx->arena;
    uint32_t id;

    if (a->cur[dir].slot == HTTP_NO_SLOT) {
        *at = NULL;
        return 0;
    }
    id = a->chunk[a->cur[dir].slot];
    *at = http_chunk_ptr(c->mem, id) + a->cur[dir].off;
    return http_chunk_size(id) - a->cur[dir].off;
}

/*
 * n bytes aligned to 8 from the direction's chunk (a new one if needed).
 * Only while no line is being assembled there. NULL when out of memory.
 */
static void *
http_arena_alloc(struct http_conn *c, struct http_tx *tx, int dir, uint32_t n)
{
    struct http_arena *a = &tx->arena;
    uint8_t *at;
    uint32_t room, pad;

    if (n == 0 || n > HTTP_LARGE_CHUNK)
        return NULL;
    room = http_arena_room(c, tx, dir, &at);
    pad = (uint32_t)((8u - (a->cur[dir].off & 7u)) & 7u);
    if (at == NULL || room < pad || room - pad < n) {
        if (!http_arena_grow(c, tx, dir, n > HTTP_SMALL_CHUNK))
            return NULL;
        room = http_arena_room(c, tx, dir, &at);
        pad = 0;
        if (room < n)
            return NULL;
    }
    a->cur[dir].off += pad + n;
    return at + pad;
}

/* A copy of n bytes in the arena, as a view (empty view when out of memory). */
static struct http_str
http_arena_dup(struct http_conn *c, struct http_tx *tx, int dir, const uint8_t *s, uint32_t n)
{
    struct http_str v = {NULL, 0};
    uint8_t *p;

    if (n > HTTP_LARGE_CHUNK) {
        n = HTTP_LARGE_CHUNK;
        tx->flags |= HTTP_TXF_TRUNC;
        c->mem->ctr[HTTP_CTR_FIELD_TRUNCATED]++;
    }
    if (n == 0) {
        v.ptr = (const uint8_t *)"";
        return v;
    }
    p = http_arena_alloc(c, tx, dir, n);
    if (p == NULL)
        return v;
    memcpy(p, s, n);
    v.ptr = p;
    v.len = n;
    return v;
}

/* Start assembling a line for direction dir at the end of its chunk. */
static void
http_line_begin(struct http_conn *c, struct http_tx *tx, int dir)
{
    struct http_dir *d = &c->d[dir];
    uint8_t *at;
    uint32_t room = http_arena_room(c, tx, dir, &at);

    if (at == NULL || room == 0) {
        if (http_arena_grow(c, tx, dir, false))
            room = http_arena_room(c, tx, dir, &at);
        else
            at = NULL, room = 0;
    }
    d->line = at;
    d->line_cap = room;
    d->line_len = 0;
    d->line_kept = 0;
    d->trunc = 0;
}

/* Move the line to a bigger chunk; false when it cannot grow any more. */
static bool
http_line_move(struct http_conn *c, struct http_tx *tx, int dir)
{
    struct http_dir *d = &c->d[dir];
    struct http_arena *a = &tx->arena;
    uint8_t slot = a->cur[dir].slot;
    bool large;
    uint8_t *from = d->line, *at;
    uint32_t room;

    if (slot == HTTP_NO_SLOT || (a->chunk[slot] & HTTP_CHUNK_LARGE))
        return false;
    /* A line that already fills a whole small chunk goes to a large one. */
    large = a->cur[dir].off == 0;
    if (!http_arena_grow(c, tx, dir, large))
        return false;
    room = http_arena_room(c, tx, dir, &at);
    if (room <= d->line_kept)
        return false;
    if (d->line_kept > 0)
        memcpy(at, from, d->line_kept);
    d->line = at;
    d->line_cap = room;
    return true;
}

/* Append n bytes to the line being assembled; counts all, keeps what fits. */
static void
http_line_add(struct http_conn *c, struct http_tx *tx, int dir, const uint8_t *p, uint32_t n)
{
    struct http_dir *d = &c->d[dir];
    uint32_t k;

    d->line_len = n > UINT32_MAX - d->line_len ? UINT32_MAX : d->line_len + n;
    while (n > 0) {
        if (d->line == NULL)
            break;
        if (d->line_kept == d->line_cap && (d->trunc || !http_line_move(c, tx, dir))) {
            if (!d->trunc) {
                tx->flags |= HTTP_TXF_TRUNC;
                c->mem->ctr[HTTP_CTR_FIELD_TRUNCATED]++;
            }
            d->trunc = 1; /* the rest of the line is counted, not kept */
            break;
        }
        k = d->line_cap - d->line_kept;
        if (k > n)
            k = n;
        memcpy(d->line + d->line_kept, p, k);
        d->line_kept += k;
        p += k;
        n -= k;
    }
}

/* The line becomes part of the arena; returns its view. */
static struct http_str
http_line_commit(struct http_conn *c, struct http_tx *tx, int dir)
{
    struct http_dir *d = &c->d[dir];
    struct http_str v = {d->line, d->line_kept};

    if (d->line != NULL)
        tx->arena.cur[dir].off =
                (uint32_t)(d->line -
                           http_chunk_ptr(c->mem, tx->arena.chunk[tx->arena.cur[dir].slot])) +
                d->line_kept;
    if (v.ptr == NULL)
        v.ptr = (const uint8_t *)"";
    d->line = NULL;
    d->line_len = d->line_kept = d->line_cap = 0;
    d->trunc = 0;
    return v;
}

/* Forget the line being assembled (its bytes are reused). */
static void
http_line_drop(struct http_conn *c, int dir)
{
    struct http_dir *d = &c->d[dir];

    d->line = NULL;
    d->line_len = d->line_kept = d->line_cap = 0;
    d->trunc = 0;
}

/* ------------------------------------------------------- character sets */

/* libhtp util::is_space: SP HT CR LF VT FF. */
static bool
http_is_space(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0x0b || c == 0x0c;
}

static bool
http_is_lws(uint8_t c)
{
    return c == ' ' || c == '\t';
}

/* RFC 9110 tchar. */
static bool
http_is_token(uint8_t c)
{
    if (c < 32 || c > 126)
        return false;
    return strchr("()<>@,;:\\\"/[]?={} \t", c) == NULL;
}

static uint8_t
http_lower(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
}

static bool
http_is_hex(uint8_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static uint8_t
http_hex_val(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return (uint8_t)(c - '0');
    return (uint8_t)(http_lower(c) - 'a' + 10);
}

static bool
http_eq_nocase(const uint8_t *s, uint32_t n, const char *lit)
{
    uint32_t i;

    for (i = 0; i < n; i++)
        if (lit[i] == '\0' || http_lower(s[i]) != (uint8_t)lit[i])
            return false;
    return lit[n] == '\0';
}

static bool
http_has_prefix_nocase(const uint8_t *s, uint32_t n, const char *lit)
{
    uint32_t i;

    for (i = 0; lit[i] != '\0'; i++)
        if (i >= n || http_lower(s[i]) != (uint8_t)lit[i])
            return false;
    return true;
}

static bool
http_contains_nocase(const uint8_t *s, uint32_t n, const char *lit)
{
    size_t l = strlen(lit);
    uint32_t i;

    for (i = 0; l <= n && i <= n - l; i++)
        if (http_has_prefix_nocase(s + i, n - i, lit))
            return true;
    return false;
}

static bool
http_eq_nocase2(struct http_str a, struct http_str b)
{
    uint32_t i;

    if (a.len != b.len)
        return false;
    for (i = 0; i < a.len; i++)
        if (http_lower(a.ptr[i]) != http_lower(b.ptr[i]))
            return false;
    return true;
}

/* Trim libhtp's whitespace (is_space) from both ends. */
static struct http_str
http_trim(struct http_str s)
{
    while (s.len > 0 && http_is_space(s.ptr[0]))
        s.ptr++, s.len--;
    while (s.len > 0 && http_is_space(s.ptr[s.len - 1]))
        s.len--;
    return s;
}

/* libhtp's method table (HtpMethod::new, exact case). */
static uint8_t
http_method_num(const uint8_t *s, uint32_t n)
{
    static const char *const other[] = {
            "DELETE",           "OPTIONS",         "TRACE",    "PATCH",       "PROPFIND",
            "PROPPATCH",        "MKCOL",           "COPY",     "MOVE",        "LOCK",
            "UNLOCK",           "VERSION-CONTROL", "CHECKOUT", "UNCHECKOUT",  "CHECKIN",
            "UPDATE",           "LABEL",           "REPORT",   "MKWORKSPACE", "MKACTIVITY",
            "BASELINE-CONTROL", "MERGE",           "INVALID"};
    size_t i;

#define HTTP_IS(lit) (n == sizeof(lit) - 1 && memcmp(s, lit, n) == 0)
    if (HTTP_IS("GET"))
        return HTTP_M_GET;
    if (HTTP_IS("HEAD"))
        return HTTP_M_HEAD;
    if (HTTP_IS("POST"))
        return HTTP_M_POST;
    if (HTTP_IS("PUT"))
        return HTTP_M_PUT;
    if (HTTP_IS("CONNECT"))
        return HTTP_M_CONNECT;
#undef HTTP_IS
    for (i = 0; i < sizeof(other) / sizeof(other[0]); i++)
        if (strlen(other[i]) == n && memcmp(s, other[i], n) == 0)
            return HTTP_M_OTHER_KNOWN;
    return HTTP_M_UNKNOWN;
}

/* ---------------------------------------------------------------- events */

static void
http_event(struct http_conn *c, struct http_tx *tx, uint8_t ev)
{
    if (c->messages >= HTTP_MAX_MESSAGES)
        return;
    c->messages++;
    if (tx != NULL && tx->n_events < HTTP_TX_EVENTS)
        tx->events[tx->n_events++] = ev;
    else
        c->mem->ctr[HTTP_CTR_EVENTS_DROPPED]++;
    if (c->messages == HTTP_MAX_MESSAGES) {
        if (tx != NULL && tx->n_events < HTTP_TX_EVENTS)
            tx->events[tx->n_events++] = HTTP_EV_TOO_MANY_WARNINGS;
        else
            c->mem->ctr[HTTP_CTR_EVENTS_DROPPED]++;
    }
}

/* libhtp's htp_warn_once: one event per transaction and flag. */
static void
http_event_once(struct http_conn *c, struct http_tx *tx, uint8_t ev, uint32_t key)
{
    if (tx->flags & key)
        return;
    tx->flags |= key;
    http_event(c, tx, ev);
}

static void
http_fatal(struct http_conn *c)
{
    if (!(c->flags & HTTP_CONN_ERROR))
        c->mem->ctr[HTTP_CTR_ERR_PARSER]++;
    c->flags |= HTTP_CONN_ERROR;
}

/* ---------------------------------------------------------- transactions */

static struct http_tx *
http_tx_at(const struct http_conn *c, uint32_t idx1)
{
    return idx1 == 0 ? NULL : &c->mem->txs[idx1 - 1];
}

struct http_tx *
http_conn_tx_first(struct http_conn *c)
{
    return http_tx_at(c, c->tx_head);
}

struct http_tx *
http_conn_tx_next(struct http_conn *c, const struct http_tx *tx)
{
    return http_tx_at(c, tx->next);
}

/* The live transaction with this id, or NULL. */
static struct http_tx *
http_tx_find(struct http_conn *c, uint64_t id)
{
    struct http_tx *tx;

    for (tx = http_conn_tx_first(c); tx != NULL; tx = http_conn_tx_next(c, tx))
        if (tx->id == id)
            return tx;
    return NULL;
}

/* The live transaction with this id; created when it is the next one. */
static struct http_tx *
http_tx_get(struct http_conn *c, uint64_t id)
{
    struct http_mem *m = c->mem;
    struct http_tx *tx;
    uint32_t i;

    for (tx = http_conn_tx_first(c); tx != NULL; tx = http_conn_tx_next(c, tx))
        if (tx->id == id)
            return tx;
    if (id != c->tx_cnt)
        return NULL;
    if (c->n_live >= c->cfg->max_tx) {
        m->ctr[HTTP_CTR_TX_LIMIT]++;
        http_fatal(c);
        return NULL;
    }
    i = pool_list_alloc(&m->tx_list, &m->txs[0].next, sizeof(m->txs[0]));
    if (i == 0) {
        m->ctr[HTTP_CTR_TX_POOL_EMPTY]++;
        http_fatal(c);
        return NULL;
    }
    i--;
    tx = &m->txs[i];
    m->tx_used++;
    memset(tx, 0, sizeof(*tx));
    tx->id = c->tx_cnt++;
    tx->port = -1;
    tx->req_cl = -1;
    tx->arena.cur[0].slot = tx->arena.cur[1].slot = HTTP_NO_SLOT;
    tx->cur_file[0] = tx->cur_file[1] = HTTP_NO_SLOT;
    if (c->tx_tail != 0)
        http_tx_at(c, c->tx_tail)->next = i + 1;
    else
        c->tx_head = i + 1;
    c->tx_tail = i + 1;
    c->n_live++;
    m->ctr[HTTP_CTR_TX]++;
    return tx;
}

void
http_tx_release(struct http_conn *c, struct http_tx *tx)
{
    struct http_mem *m = c->mem;
    uint32_t idx1 = (uint32_t)(tx - m->txs) + 1, prev = 0, cur;
    uint8_t k;

    for (cur = c->tx_head; cur != 0 && cur != idx1; cur = http_tx_at(c, cur)->next)
        prev = cur;
    if (cur == 0)
        return; /* not live here */
    if (prev == 0)
        c->tx_head = tx->next;
    else
        http_tx_at(c, prev)->next = tx->next;
    if (c->tx_tail == idx1)
        c->tx_tail = prev;
    c->n_live--;
    for (k = 0; k < tx->arena.n; k++)
        http_chunk_free(m, tx->arena.chunk[k]);
    /* A side still pointing into this arena forgets its line. */
    if (c->d[0].idx == tx->id)
        http_line_drop(c, 0);
    if (c->d[1].idx == tx->id)
        http_line_drop(c, 1);
    memset(tx, 0, sizeof(*tx));
    pool_list_free(&m->tx_list, &m->txs[0].next, sizeof(m->txs[0]), idx1);
    m->tx_used--;
}

bool
http_tx_is_complete(const struct http_tx *tx)
{
    return tx->progress[0] == HTTP_PROG_COMPLETE && tx->progress[1] == HTTP_PROG_COMPLETE;
}

const struct http_hdr *
http_tx_header(const struct http_tx *tx, int dir, const char *name)
{
    const struct http_hdr *h;

    for (h = tx->hdrs[dir].head; h != NULL; h = h->next)
        if (http_eq_nocase(h->name.ptr, h->name.len, name))
            return h;
    return NULL;
}

/* ------------------------------------------------------------ numbers */

/*
 * libhtp parse_content_length: SP/HT, any non-digits (warned), digits,
 * SP/HT, anything (warned). -1 when there are no digits or they overflow.
 */
static int64_t
http_parse_cl(struct http_conn *c, struct http_tx *tx, struct http_str v, bool warn)
{
    uint32_t i = 0, start;
    uint64_t val = 0;

    while (i < v.len && http_is_lws(v.ptr[i]))
        i++;
    start = i;
    while (i < v.len && !(v.ptr[i] >= '0' && v.ptr[i] <= '9'))
        i++;
    if (i == v.len)
        return -1;
    if (warn && i > start)
        http_event(c, tx, HTTP_EV_CL_EXTRA_DATA_START);
    for (; i < v.len && v.ptr[i] >= '0' && v.ptr[i] <= '9'; i++) {
        if (val > (UINT64_MAX - 9) / 10)
            return -1;
        val = val * 10 + (uint64_t)(v.ptr[i] - '0');
    }
    while (i < v.len && http_is_lws(v.ptr[i]))
        i++;
    if (warn && i < v.len)
        http_event(c, tx, HTTP_EV_CL_EXTRA_DATA_END);
    return val > INT64_MAX ? -1 : (int64_t)val;
}

/*
 * libhtp parse_protocol: [ws] "HTTP" [ws] "/" (ws|'0')* (".9"|"1.0"|"1.1") [ws],
 * nothing after. extra: whitespace around "/" or leading zeros (so "0.9"
 * always has it, as in libhtp-rs).
 */
static uint8_t
http_parse_proto(struct http_str v, bool *extra)
{
    uint32_t i = 0, j;
    uint8_t r;

    *extra = false;
#define HTTP_IS_AWS(ch)                                                                            \
    ((ch) == ' ' || (ch) == '\t' || (ch) == '\n' || (ch) == '\r' || (ch) == 0x0c)
    while (i < v.len && HTTP_IS_AWS(v.ptr[i]))
        i++;
    if (!http_has_prefix_nocase(v.ptr + i, v.len - i, "http"))
        return HTTP_PROTO_INVALID;
    i += 4;
    j = i;
    while (i < v.len && HTTP_IS_AWS(v.ptr[i]))
        i++;
    if (i > j)
        *extra = true;
    if (i >= v.len || v.ptr[i] != '/')
        return HTTP_PROTO_INVALID;
    i++;
    j = i;
    while (i < v.len && (HTTP_IS_AWS(v.ptr[i]) || v.ptr[i] == '0'))
        i++;
    if (i > j)
        *extra = true;
    if (v.len - i >= 2 && v.ptr[i] == '.' && v.ptr[i + 1] == '9') {
        r = HTTP_PROTO_0_9;
        i += 2;
    } else if (v.len - i >= 3 && memcmp(v.ptr + i, "1.0", 3) == 0) {
        r = HTTP_PROTO_1_0;
        i += 3;
    } else if (v.len - i >= 3 && memcmp(v.ptr + i, "1.1", 3) == 0) {
        r = HTTP_PROTO_1_1;
        i += 3;
    } else {
        return HTTP_PROTO_INVALID;
    }
    while (i < v.len && HTTP_IS_AWS(v.ptr[i]))
        i++;
#undef HTTP_IS_AWS
    return i == v.len ? r : HTTP_PROTO_INVALID;
}

/* 100..999 or -1 (libhtp parse_status: digits with only SP/HT around). */
static int32_t
http_parse_status(struct http_str v)
{
    uint32_t i = 0, val = 0, nd = 0;

    while (i < v.len && http_is_lws(v.ptr[i]))
        i++;
    for (; i < v.len && v.ptr[i] >= '0' && v.ptr[i] <= '9'; i++, nd++) {
        if (val > 100000)
            return -1;
        val = val * 10 + (uint32_t)(v.ptr[i] - '0');
    }
    while (i < v.len && http_is_lws(v.ptr[i]))
        i++;
    if (nd == 0 || i != v.len || val < 100 || val > 999)
        return -1;
    return (int32_t)val;
}

/* Port 1..65535 from digits only, -1 otherwise (libhtp convert_port). */
static int32_t
http_parse_port(const uint8_t *s, uint32_t n)
{
    uint32_t i, v = 0;

    if (n == 0 || n > 5)
        return -1;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (uint32_t)(s[i] - '0');
    }
    return v == 0 || v > 65535 ? -1 : (int32_t)v;
}

/* ------------------------------------------------------ URI and host */

/* Relaxed hostname check (libhtp validate_hostname). */
static bool
http_hostname_is_valid(const uint8_t *s, uint32_t n)
{
    uint32_t i, label = 0;

    if (n == 0 || n > 255)
        return false;
    if (s[0] == '[') {
        if (s[n - 1] != ']' || n < 3)
            return false;
        for (i = 1; i + 1 < n; i++)
            if (!http_is_hex(s[i]) && s[i] != ':' && s[i] != '.')
                return false;
        return true;
    }
    if (s[0] == '.')
        return false;
    for (i = 0; i < n; i++) {
        uint8_t ch = s[i];
        if (ch == '.') {
            if (i + 1 < n && s[i + 1] == '.')
                return false;
            label = 0;
            continue;
        }
        if (++label > 63)
            return false;
        /* ASCII alphanumerics, '-', '_' and Latin-1 letters (Rust's char::is_alphanumeric) */
        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              ch == '-' || ch == '_' || ch == 0xaa || ch == 0xb5 || ch == 0xba ||
              (ch >= 0xc0 && ch != 0xd7 && ch != 0xf7)))
            return false;
    }
    return true;
}

/*
 * libhtp hostname() + port() over s: optional "//", spaces, "[v6]" or
 * bytes up to / ? # :, trailing spaces off; then ":" spaces port.
 * Returns the bytes consumed; *port_s is NULL when there is no ':'.
 */
static uint32_t
http_parse_hostport(const uint8_t *s, uint32_t n, struct http_str *host, const uint8_t **port_s,
                    uint32_t *port_n)
{
    uint32_t i = 0, h0, p0;

    host->ptr = NULL;
    host->len = 0;
    *port_s = NULL;
    *port_n = 0;
    if (n - i >= 2 && s[i] == '/' && s[i + 1] == '/')
        i += 2;
    if (i < n && s[i] == '/')
        return 0;
    while (i < n && s[i] == ' ')
        i++;
    h0 = i;
    if (i < n && s[i] == '[') {
        i++;
        while (i < n && !strchr("/?#]", s[i]))
            i++;
        if (i < n && s[i] == ']')
            i++;
    } else {
        while (i < n && !strchr("/?#:", s[i]))
            i++;
    }
    if (i == h0)
        return 0;
    host->ptr = s + h0;
    host->len = i - h0;
    while (host->len > 0 && host->ptr[host->len - 1] == ' ')
        host->len--;
    if (i < n && s[i] == ':') {
        uint32_t j = i + 1;
        while (j < n && s[j] == ' ')
            j++;
        p0 = j;
        while (j < n && !strchr("/?#", s[j]))
            j++;
        if (j > p0) {
            uint32_t e = p0;
            while (e < j && s[e] != ' ')
                e++;
            *port_s = s + p0;
            *port_n = e - p0;
            i = j;
        }
    }
    return i;
}

/* Lowercase copy with trailing dots removed (libhtp normalized_hostname). */
static struct http_str
http_host_norm(struct http_conn *c, struct http_tx *tx, struct http_str h, bool strip_dots)
{
    struct http_str v = http_arena_dup(c, tx, 0, h.ptr, h.len);
    uint8_t *p = (uint8_t *)(uintptr_t)v.ptr;
    uint32_t i;

    for (i = 0; i < v.len; i++)
        p[i] = http_lower(p[i]);
    while (strip_dots && v.len > 0 && v.ptr[v.len - 1] == '.')
        v.len--;
    return v;
}

/*
 * Path normalization for file names: %XX decoded (except NUL), '\' to
 * '/', repeated '/' compressed, dot segments removed (RFC 3986 5.2.4).
 */
static struct http_str
http_path_norm(struct http_conn *c, struct http_tx *tx, const uint8_t *s, uint32_t n)
{
    struct http_str v = http_arena_dup(c, tx, 0, s, n);
    uint8_t *p = (uint8_t *)(uintptr_t)v.ptr;
    uint32_t r, w = 0, len = v.len;

    if (len == 0)
        return v;
    for (r = 0; r < len; r++) {
        uint8_t ch = p[r];
        if (ch == '%' && r + 2 < len && http_is_hex(p[r + 1]) && http_is_hex(p[r + 2])) {
            uint8_t d = (uint8_t)(http_hex_val(p[r + 1]) << 4 | http_hex_val(p[r + 2]));
            if (d != 0) {
                ch = d;
                r += 2;
            }
        }
        if (ch == '\\')
            ch = '/';
        if (ch == '/' && w > 0 && p[w - 1] == '/')
            continue;
        p[w++] = ch;
    }
    len = w;
    /* remove dot segments in place */
    w = 0;
    for (r = 0; r < len;) {
        if (p[r] == '/' && r + 1 < len && p[r + 1] == '.' && (r + 2 == len || p[r + 2] == '/')) {
            r += 2; /* "/." */
            if (r == len)
                p[w++] = '/';
            continue;
        }
        if (p[r] == '/' && r + 2 < len && p[r + 1] == '.' && p[r + 2] == '.' &&
            (r + 3 == len || p[r + 3] == '/')) {
            r += 3; /* "/.." drops the last output segment */
            while (w > 0 && p[w - 1] != '/')
                w--;
            if (w > 0)
                w--;
            if (r == len)
                p[w++] = '/';
            continue;
        }
        p[w++] = p[r++];
    }
    v.len = w;
    return v;
}

/*
 * libhtp-rs Uri::parse_uri for a non-CONNECT request target: an optional
 * scheme (the target does not start with '/' and has a ':'), credentials
 * ("//" ... "@", the first '@' anywhere after), host and port, then the
 * path up to '?' or '#'. Sets hostname, port and path of tx.
 */
static void
http_uri_parse(struct http_conn *c, struct http_tx *tx)
{
    const uint8_t *s = tx->uri.ptr, *at, *port_s;
    uint32_t n = tx->uri.len, i = 0, port_n, k;
    struct http_str host = {NULL, 0};

    if (n > 0 && s[0] != '/' && (at = memchr(s, ':', n)) != NULL) {
        i = (uint32_t)(at - s) + 1; /* past "scheme:" */
        if (n - i >= 3 && s[i] == '/' && s[i + 1] == '/' && s[i + 2] != '/' &&
            (at = memchr(s + i + 2, '@', n - i - 2)) != NULL)
            i = (uint32_t)(at - s) + 1;
        k = http_parse_hostport(s + i, n - i, &host, &port_s, &port_n);
        i += k;
        if (host.ptr != NULL) {
            tx->hostname = http_host_norm(c, tx, host, true);
            if (!http_hostname_is_valid(tx->hostname.ptr, tx->hostname.len))
                tx->flags |= HTTP_TXF_HOSTU_INVALID;
            if (port_s != NULL) {
                tx->port = http_parse_port(port_s, port_n);
                if (tx->port < 0)
                    tx->flags |= HTTP_TXF_HOSTU_INVALID;
            }
        }
    }
    k = i;
    while (k < n && s[k] != '?' && s[k] != '#')
        k++;
    if (k > i)
        tx->path = http_path_norm(c, tx, s + i, k - i);
}

/* CONNECT authority "host:port" (libhtp parse_uri_hostport). */
static void
http_uri_parse_authority(struct http_conn *c, struct http_tx *tx)
{
    struct http_str host;
    const uint8_t *port_s;
    uint32_t port_n, k;

    k = http_parse_hostport(tx->uri.ptr, tx->uri.len, &host, &port_s, &port_n);
    if (host.ptr == NULL)
        return;
    tx->hostname = http_host_norm(c, tx, host, false);
    if (!http_hostname_is_valid(host.ptr, host.len) || (port_s == NULL && k < tx->uri.len))
        tx->flags |= HTTP_TXF_HOSTU_INVALID;
    if (port_s != NULL) {
        tx->port = http_parse_port(port_s, port_n);
        if (tx->port < 0)
            tx->flags |= HTTP_TXF_HOSTU_INVALID;
    }
}

/* ------------------------------------------------------------- headers */

/* Repeated header: value joined with ", " (Content-Length keeps the first). */
static void
http_hdr_merge(struct http_conn *c, struct http_tx *tx, int dir, struct http_hdr *old,
               struct http_str name, struct http_str value)
{
    uint8_t *p;
    uint32_t n;

    if (old->flags & HTTP_HDR_REPEATED) {
        if (tx->reps[dir] >= 64)
            return;
        tx->reps[dir]++;
    } else {
        http_event(c, tx,
                   dir == APP_DIR_TOSERVER ? HTTP_EV_REQUEST_HEADER_REPETITION
                                           : HTTP_EV_RESPONSE_HEADER_REPETITION);
    }
    old->flags |= HTTP_HDR_REPEATED;
    if (http_eq_nocase(name.ptr, name.len, "content-length")) {
        int64_t a = http_parse_cl(c, tx, old->value, false);
        int64_t b = http_parse_cl(c, tx, value, false);
        if (a < 0 || b < 0 || a != b)
            http_event(c, tx,
                       dir == APP_DIR_TOSERVER ? HTTP_EV_DUP_CL_REQUEST : HTTP_EV_DUP_CL_RESPONSE);
        return;
    }
    if (old->value.len > HTTP_LARGE_CHUNK - 2 - value.len) {
        tx->flags |= HTTP_TXF_TRUNC;
        c->mem->ctr[HTTP_CTR_FIELD_TRUNCATED]++;
        return;
    }
    n = old->value.len + 2 + value.len;
    p = http_arena_alloc(c, tx, dir, n);
    if (p == NULL)
        return;
    memcpy(p, old->value.ptr, old->value.len);
    p[old->value.len] = ',';
    p[old->value.len + 1] = ' ';
    memcpy(p + old->value.len + 2, value.ptr, value.len);
    old->value.ptr = p;
    old->value.len = n;
}

/* A header line is complete (folds joined): split, check, store. */
static void
http_hdr_commit(struct http_conn *c, struct http_tx *tx, int dir)
{
    bool req = dir == APP_DIR_TOSERVER;
    bool lost = c->d[dir].line == NULL && c->d[dir].line_len > 0;
    struct http_str line = http_line_commit(c, tx, dir), name, value;
    const uint8_t *colon = line.len ? memchr(line.ptr, ':', line.len) : NULL;
    struct http_hdr *h, *old;
    uint32_t i;

    if (lost)
        return; /* no memory held it: counted as arena_pool_empty */

    if (colon == NULL) {
        name.ptr = line.ptr;
        name.len = 0;
        value = http_trim(line);
        http_event_once(c, tx,
                        req ? HTTP_EV_REQUEST_FIELD_MISSING_COLON
                            : HTTP_EV_RESPONSE_FIELD_MISSING_COLON,
                        HTTP_TXF_UNPARSEABLE);
    } else {
        struct http_str raw = {line.ptr, (uint32_t)(colon - line.ptr)};
        value.ptr = colon + 1;
        value.len = line.len - raw.len - 1;
        value = http_trim(value);
        if (raw.len > 0 && http_is_space(raw.ptr[raw.len - 1]))
            http_event_once(c, tx,
                            req ? HTTP_EV_REQUEST_INVALID_LWS_AFTER_NAME
                                : HTTP_EV_RESPONSE_INVALID_LWS_AFTER_NAME,
                            HTTP_TXF_FIELD_INVALID);
        if (raw.len > 0 && http_is_space(raw.ptr[0]))
            http_event_once(c, tx,
                            req ? HTTP_EV_INVALID_REQUEST_FIELD_FOLDING
                                : HTTP_EV_INVALID_RESPONSE_FIELD_FOLDING,
                            HTTP_TXF_FOLDING);
        name = http_trim(raw);
        for (i = 0; i < name.len && http_is_token(name.ptr[i]); i++)
            ;
        if (i < name.len)
            http_event_once(c, tx,
                            req ? HTTP_EV_REQUEST_HEADER_INVALID
                                : HTTP_EV_RESPONSE_HEADER_NAME_NOT_TOKEN,
                            HTTP_TXF_FIELD_INVALID);
        if (name.len == 0)
            http_event_once(c, tx,
                            req ? HTTP_EV_REQUEST_INVALID_EMPTY_NAME
                                : HTTP_EV_RESPONSE_INVALID_EMPTY_NAME,
                            HTTP_TXF_FIELD_INVALID);
    }
    for (old = tx->hdrs[dir].head; old != NULL; old = old->next)
        if (old->name.len == name.len && (name.len == 0 || http_eq_nocase2(old->name, name)))
            break;
    if (old != NULL) {
        http_hdr_merge(c, tx, dir, old, name, value);
        return;
    }
    if (tx->hdrs[dir].count > c->cfg->max_headers) {
        if (!(tx->flags & HTTP_TXF_TOO_MANY_HDRS)) {
            tx->flags |= HTTP_TXF_TOO_MANY_HDRS;
            http_event(c, tx,
                       req ? HTTP_EV_REQUEST_TOO_MANY_HEADERS : HTTP_EV_RESPONSE_TOO_MANY_HEADERS);
        }
        c->mem->ctr[HTTP_CTR_HEADER_LIMIT]++;
        http_fatal(c);
        return;
    }
    h = http_arena_alloc(c, tx, dir, (uint32_t)sizeof(*h));
    if (h == NULL) {
        tx->hdrs[dir].count++;
        return;
    }
    h->name = name;
    h->value = value;
    h->next = NULL;
    h->flags = 0;
    if (tx->hdrs[dir].tail != NULL)
        tx->hdrs[dir].tail->next = h;
    else
        tx->hdrs[dir].head = h;
    tx->hdrs[dir].tail = h;
    tx->hdrs[dir].count++;
}

/* ------------------------------------------------------ files and body */

/*
 * Suricata's HTTPParseContentDispositionHeader: ';'-separated tokens (a
 * ';' inside quotes does not split), the first one starting with
 * "filename=" (any case) gives the value, quotes removed.
 */
static bool
http_cd_filename(struct http_str v, struct http_str *out)
{
    static const char key[] = "filename=";
    const uint32_t klen = sizeof(key) - 1;
    const uint8_t *line;
    uint32_t x = 0, n, off = 0, quote = 0;

    while (x < v.len && http_is_space(v.ptr[x]))
        x++;
    if (x >= v.len)
        return false;
    line = v.ptr + x;
    n = v.len - x;
    for (x = 1; x < n; x++) {
        if (line[x - 1] != '\\' && line[x] == '"')
            quote++;
        if (((line[x - 1] != '\\' && line[x] == ';') || x + 1 == n) && quote % 2 == 0) {
            const uint8_t *tok = line + off;
            uint32_t tlen = x - off + (x + 1 == n ? 1u : 0u);
            off = x + 1;
            while (off < n && http_is_space(line[off]))
                x++, off++;
            if (tlen > klen && http_has_prefix_nocase(tok, tlen, key)) {
                const uint8_t *val = tok + klen;
                uint32_t vlen = tlen - klen;
                if (val[0] == '"')
                    val++, vlen--;
                if (vlen > 0 && val[vlen - 1] == '"')
                    vlen--;
                out->ptr = val;
                out->len = vlen;
                return true;
            }
        }
    }
    return false;
}

static int64_t
http_digits(const uint8_t *s, uint32_t n, uint32_t *i)
{
    uint64_t v = 0;
    uint32_t k = *i;

    if (k >= n || s[k] < '0' || s[k] > '9')
        return -2;
    for (; k < n && s[k] >= '0' && s[k] <= '9'; k++) {
        if (v > (uint64_t)INT64_MAX / 10 - 1)
            return -2;
        v = v * 10 + (uint64_t)(s[k] - '0');
    }
    *i = k;
    return (int64_t)v;
}

bool
http_parse_content_range(const uint8_t *s, uint32_t n, int64_t *start, int64_t *end, int64_t *size)
{
    uint32_t i = 0;

    while (i < n && s[i] == ' ')
        i++;
    while (i < n && s[i] != ' ')
        i++; /* the unit */
    while (i < n && s[i] == ' ')
        i++;
    if (i < n && s[i] == '*') {
        i++;
        if (i >= n || s[i] != '/')
            return false;
        i++;
        *start = *end = -1;
        *size = http_digits(s, n, &i);
        return *size >= 0;
    }
    *start = http_digits(s, n, &i);
    if (*start < 0 || i >= n || s[i] != '-')
        return false;
    i++;
    *end = http_digits(s, n, &i);
    if (*end < 0 || i >= n || s[i] != '/')
        return false;
    i++;
    if (i < n && s[i] == '*') {
        *size = -1;
        return true;
    }
    *size = http_digits(s, n, &i);
    return *size >= 0;
}

static struct http_file *
http_file_cur(struct http_tx *tx, int dir)
{
    return tx->cur_file[dir] < tx->n_files ? &tx->files[tx->cur_file[dir]] : NULL;
}

static struct http_file *
http_file_open(struct http_conn *c, struct http_tx *tx, int dir, struct http_str name)
{
    struct http_file *f;

    if (tx->n_files >= HTTP_TX_FILES) {
        c->mem->ctr[HTTP_CTR_FILES_LIMIT]++;
        return NULL;
    }
    f = &tx->files[tx->n_files];
    memset(f, 0, sizeof(*f));
    f->dir = (uint8_t)dir;
    f->state = HTTP_FILE_OPEN;
    f->name = name;
    if (f->name.len > HTTP_NAME_MAX) {
        f->name.len = HTTP_NAME_MAX;
        http_event(c, tx, HTTP_EV_FILE_NAME_TOO_LONG);
    }
    tx->cur_file[dir] = tx->n_files++;
    return f;
}

static void
http_file_close(struct http_tx *tx, int dir, bool truncated)
{
    struct http_file *f = http_file_cur(tx, dir);

    if (f != NULL && f->state == HTTP_FILE_OPEN)
        f->state = truncated || f->gaps ? HTTP_FILE_TRUNCATED : HTTP_FILE_CLOSED;
    tx->cur_file[dir] = HTTP_NO_SLOT;
}

/* The response file: named by Content-Disposition, else the URI path. */
static void
http_resp_file_open(struct http_conn *c, struct http_tx *tx)
{
    const struct http_hdr *h = http_tx_header(tx, APP_DIR_TOCLIENT, "content-disposition");
    struct http_str name = {NULL, 0};
    struct http_file *f;
    int64_t s, e, l;

    if (h == NULL || h->value.len == 0 || !http_cd_filename(h->value, &name))
        name = tx->path;
    if (name.ptr == NULL)
        return;
    f = http_file_open(c, tx, APP_DIR_TOCLIENT, name);
    h = http_tx_header(tx, APP_DIR_TOCLIENT, "content-range");
    if (f == NULL || h == NULL)
        return;
    /* Suricata's HTPParseAndCheckContentRange */
    if (!http_parse_content_range(h->value.ptr, h->value.len, &s, &e, &l) || s < 0 || e < s ||
        (l >= 0 && e >= l)) {
        http_event(c, tx, HTTP_EV_RANGE_INVALID);
        return;
    }
    f->has_range = true;
    f->start = s;
    f->end = e;
}

/*
 * Body bytes of dir that go to the direction's file, within the body
 * limit (Suricata's AppLayerHtpCheckDepth: past it the file is TRUNCATED).
 */
static void
http_file_bytes(struct http_conn *c, struct http_tx *tx, int dir, uint64_t n, bool gap)
{
    uint32_t lim = dir == APP_DIR_TOSERVER ? c->cfg->req_body_limit : c->cfg->resp_body_limit;
    struct http_file *f;

    if (n == 0)
        return;
    if (lim != 0 && tx->body_seen[dir] >= lim) {
        f = http_file_cur(tx, dir);
        if (f != NULL && f->state == HTTP_FILE_OPEN) {
            c->mem->ctr[HTTP_CTR_BODY_LIMIT]++;
            http_file_close(tx, dir, true);
        }
        return;
    }
    if (lim != 0 && n > lim - tx->body_seen[dir])
        n = lim - tx->body_seen[dir];
    tx->body_seen[dir] += n;
    if (!tx->file_done[dir]) {
        tx->file_done[dir] = true;
        if (dir == APP_DIR_TOCLIENT)
            http_resp_file_open(c, tx);
        else if ((tx->method_num == HTTP_M_POST || tx->method_num == HTTP_M_PUT) &&
                 tx->path.ptr != NULL)
            (void)http_file_open(c, tx, dir, tx->path);
    }
    f = http_file_cur(tx, dir);
    if (f == NULL || f->state != HTTP_FILE_OPEN)
        return;
    f->size += n;
    if (gap)
        f->gaps = true;
}

/* Multipart part data (the file of the part, if it has one). */
static void
http_mp_data(struct http_conn *c, struct http_tx *tx, uint64_t n, bool gap)
{
    struct http_file *f = http_file_cur(tx, APP_DIR_TOSERVER);

    (void)c;
    if (n == 0 || f == NULL || f->state != HTTP_FILE_OPEN)
        return;
    f->size += n;
    if (gap)
        f->gaps = true;
}

/* A part header line is complete: look for its file name. */
static void
http_mp_header(struct http_conn *c, struct http_tx *tx)
{
    struct http_str line = http_line_commit(c, tx, APP_DIR_TOSERVER), v;
    const uint8_t *colon;

    while (line.len > 0 && line.ptr[line.len - 1] == '\r')
        line.len--;
    colon = line.len ? memchr(line.ptr, ':', line.len) : NULL;
    if (colon == NULL)
        return;
    v.ptr = line.ptr;
    v.len = (uint32_t)(colon - line.ptr);
    if (!http_eq_nocase(http_trim(v).ptr, http_trim(v).len, "content-disposition"))
        return;
    v.ptr = colon + 1;
    v.len = line.len - (uint32_t)(colon - line.ptr) - 1;
    v = http_trim(v);
    (void)http_cd_filename(v, &tx->mp_name);
}

/*
 * multipart/form-data request body (RFC 7578): parts separated by
 * CRLF "--" boundary; a part whose Content-Disposition has a filename is
 * a file of its own, its size the bytes before the next delimiter. The
 * delimiter is matched a byte at a time (its only CR is its first byte,
 * so a mismatch never hides a restart inside it).
 */
static void
http_mp_feed(struct http_conn *c, struct http_tx *tx, const uint8_t *p, uint32_t n)
{
    struct http_dir *d = &c->d[APP_DIR_TOSERVER];
    const uint8_t *dl = tx->boundary.ptr;
    uint32_t dn = tx->boundary.len, i, run = 0;

    for (i = 0; i < n; i++) {
        uint8_t b = p[i];
        switch (d->mp_state) {
        case MP_DELIM:
            if (b == dl[d->mp_match]) {
                if (d->mp_match == 0 && run > 0) {
                    http_mp_data(c, tx, run, false);
                    run = 0;
                }
                if (++d->mp_match == dn) {
                    http_file_close(tx, APP_DIR_TOSERVER, false);
                    d->mp_state = MP_AFTER;
                    d->mp_match = 0;
                }
                break;
            }
            if (d->mp_match > 0) {
                http_mp_data(c, tx, d->mp_match, false);
                d->mp_match = 0;
                if (b == dl[0]) {
                    d->mp_match = 1;
                    break;
                }
            }
            run++;
            break;
        case MP_AFTER:
            if (b == '-')
                d->mp_state = MP_AFTER2;
            else if (b == '\n') {
                d->mp_state = MP_HDRS;
                tx->mp_name.ptr = NULL;
                tx->mp_name.len = 0;
                http_line_begin(c, tx, APP_DIR_TOSERVER);
            }
            break;
        case MP_AFTER2:
            d->mp_state = b == '-' ? MP_DONE : MP_AFTER;
            break;
        case MP_HDRS:
            if (b != '\n') {
                if (d->line_len < c->cfg->max_line)
                    http_line_add(c, tx, APP_DIR_TOSERVER, &b, 1);
                break;
            }
            if (d->line_kept == 0 || (d->line_kept == 1 && d->line[0] == '\r')) {
                http_line_drop(c, APP_DIR_TOSERVER);
                if (tx->mp_name.ptr != NULL)
                    (void)http_file_open(c, tx, APP_DIR_TOSERVER, tx->mp_name);
                d->mp_state = MP_DELIM;
                d->mp_match = 0;
                break;
            }
            http_mp_header(c, tx);
            http_line_begin(c, tx, APP_DIR_TOSERVER);
            break;
        default:
            break;
        }
    }
    if (run > 0)
        http_mp_data(c, tx, run, false);
}

/* Body bytes of a message (data NULL: a gap of n bytes). */
static void
http_body(struct http_conn *c, struct http_tx *tx, int dir, const uint8_t *data, uint64_t n)
{
    if (n == 0)
        return;
    tx->message_len[dir] += n;
    if (dir == APP_DIR_TOSERVER && (tx->flags & HTTP_TXF_MULTIPART)) {
        uint32_t lim = c->cfg->req_body_limit;
        if (lim != 0 && tx->body_seen[dir] >= lim) {
            struct http_file *f = http_file_cur(tx, dir);
            if (f != NULL && f->state == HTTP_FILE_OPEN)
                c->mem->ctr[HTTP_CTR_BODY_LIMIT]++;
            http_file_close(tx, dir, true);
            return;
        }
        if (lim != 0 && n > lim - tx->body_seen[dir])
            n = lim - tx->body_seen[dir];
        tx->body_seen[dir] += n;
        if (data == NULL) {
            if (c->d[dir].mp_state == MP_DELIM)
                http_mp_data(c, tx, n, true);
        } else {
            http_mp_feed(c, tx, data, (uint32_t)n);
        }
        return;
    }
    http_file_bytes(c, tx, dir, n, data == NULL);
}

/* ------------------------------------------------------- request side */

static void http_req_feed(struct http_conn *c, const uint8_t *p, uint32_t n, int depth);

static struct http_tx *
http_req_tx(struct http_conn *c)
{
    return http_tx_get(c, c->d[APP_DIR_TOSERVER].idx);
}

static void
http_req_complete(struct http_conn *c, struct http_tx *tx)
{
    struct http_dir *d = &c->d[APP_DIR_TOSERVER];

    if (tx->progress[0] != HTTP_PROG_COMPLETE) {
        tx->progress[0] = HTTP_PROG_COMPLETE;
        http_file_close(tx, APP_DIR_TOSERVER, false);
    }
    http_line_drop(c, APP_DIR_TOSERVER);
    d->state = tx->is_09 ? RS_IGNORE : RS_IDLE;
    d->look_len = 0;
    d->mp_state = MP_OFF;
    if (d->idx == tx->id)
        d->idx++;
}

/*
 * s cut at its first byte equal to sep (sep 0: any is_space byte): both
 * parts trimmed; no such byte gives all of s and an empty second part.
 */
static void
http_split_first(struct http_str s, uint8_t sep, struct http_str *a, struct http_str *b)
{
    uint32_t k = 0;

    while (k < s.len && (sep ? s.ptr[k] != sep : !http_is_space(s.ptr[k])))
        k++;
    a->ptr = s.ptr;
    a->len = k;
    b->ptr = s.ptr + (k < s.len ? k + 1 : k);
    b->len = k < s.len ? s.len - k - 1 : 0;
    *a = http_trim(*a);
    *b = http_trim(*b);
}

/* Split the request line (libhtp parse_request_line, IDS personality). */
static void
http_req_line_parse(struct http_conn *c, struct http_tx *tx, struct http_str line)
{
    const uint8_t *s = line.ptr;
    uint32_t n = line.len, i = 0, m0, m1, w1;
    struct http_str rest, uri, proto;
    bool extra, odd_ws = false;

    while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--; /* chomp */
    while (i < n && http_is_space(s[i]))
        i++;
    if (i > 0)
        http_event(c, tx, HTTP_EV_REQUEST_LINE_LEADING_WHITESPACE);
    m0 = i;
    while (i < n && !http_is_space(s[i]))
        i++;
    m1 = i;
    w1 = i;
    while (i < n && http_is_space(s[i])) {
        if (s[i] != ' ')
            odd_ws = true;
        i++;
    }
    tx->method.ptr = s + m0;
    tx->method.len = m1 - m0;
    tx->method_num = http_method_num(s + m0, m1 - m0);
    if (odd_ws && i > w1)
        http_event(c, tx, HTTP_EV_METHOD_DELIM_NON_COMPLIANT);
    if (i == n) {
        tx->is_09 = true;
        tx->req_proto = HTTP_PROTO_0_9;
        if (tx->method_num == HTTP_M_UNKNOWN)
            http_event(c, tx, HTTP_EV_REQUEST_LINE_UNKNOWN_METHOD);
        return;
    }
    rest.ptr = s + i;
    rest.len = n - i;
    rest = http_trim(rest);
    /* URI up to the first space, the version after it (libhtp-rs
     * split_on_predicate; allow_space_uri is off, its default) */
    http_split_first(rest, ' ', &uri, &proto);
    {
        uint32_t k;
        bool bad = false;
        for (k = 0; k < uri.len; k++)
            if (http_is_space(uri.ptr[k]) && uri.ptr[k] != ' ')
                bad = true;
        if (bad) {
            http_event(c, tx, HTTP_EV_URI_DELIM_NON_COMPLIANT);
            if (uri.len == rest.len) /* no space at all: split at any whitespace */
                http_split_first(rest, 0, &uri, &proto);
        }
    }
    tx->uri = uri;
    if (proto.len == 0) {
        tx->is_09 = true;
        tx->req_proto = HTTP_PROTO_0_9;
        if (tx->method_num == HTTP_M_UNKNOWN)
            http_event(c, tx, HTTP_EV_UNKNOWN_METHOD_NO_PROTOCOL);
        return;
    }
    tx->protocol = proto;
    tx->req_proto = http_parse_proto(proto, &extra);
    if (extra)
        http_event(c, tx, HTTP_EV_PROTOCOL_CONTAINS_EXTRA_DATA);
    if (tx->method_num == HTTP_M_UNKNOWN && tx->req_proto == HTTP_PROTO_INVALID)
        http_event(c, tx, HTTP_EV_UNKNOWN_METHOD_INVALID_PROTOCOL);
}

/* A request line ended: ignore it if empty, else parse it. */
static void
http_req_line_done(struct http_conn *c, struct http_tx *tx)
{
    struct http_dir *d = &c->d[APP_DIR_TOSERVER];
    struct http_str line;

    /* libhtp is_line_ignorable: "", "\r" (the LF is not stored) */
    if (d->line_len == 0 || (d->line_len == 1 && d->line_kept == 1 && d->line[0] == '\r')) {
        http_line_drop(c, APP_DIR_TOSERVER);
        http_line_begin(c, tx, APP_DIR_TOSERVER);
        return;
    }
    line = http_line_commit(c, tx, APP_DIR_TOSERVER);
    http_req_line_parse(c, tx, line);
    if (tx->uri.ptr != NULL) {
        if (tx->method_num == HTTP_M_CONNECT)
            http_uri_parse_authority(c, tx);
        else
            http_uri_parse(c, tx);
    }
    if (tx->is_09) {
        d->state = RS_09_PENDING;
        d->look_len = 0;
    } else {
        tx->progress[0] = HTTP_PROG_HEADERS;
        d->state = RS_HDR;
        d->fold = HL_START;
    }
}

/* multipart/form-data boundary of a POST (Content-Type "boundary=..."). */
static void
http_req_multipart(struct http_conn *c, struct http_tx *tx)
{
    const struct http_hdr *h = http_tx_header(tx, APP_DIR_TOSERVER, "content-type");
    const uint8_t *s;
    uint32_t n, i, b0, b1;
    uint8_t *p;

    if (h == NULL || tx->method_num != HTTP_M_POST ||
        !http_has_prefix_nocase(h->value.ptr, h->value.len, "multipart/form-data"))
        return;
    s = h->value.ptr;
    n = h->value.len;
    for (i = 0; i + 9 <= n; i++)
        if (http_has_prefix_nocase(s + i, n - i, "boundary="))
            break;
    if (i + 9 > n)
        return;
    b0 = i + 9;
    b1 = b0;
    while (b1 < n && s[b1] != ';' && s[b1] != ',')
        b1++;
    while (b1 > b0 && http_is_space(s[b1 - 1]))
        b1--;
    if (b1 > b0 && s[b0] == '"')
        b0++;
    if (b1 > b0 && s[b1 - 1] == '"')
        b1--;
    if (b1 == b0 || b1 - b0 > 200)
        return;
    p = http_arena_alloc(c, tx, APP_DIR_TOSERVER, b1 - b0 + 4);
    if (p == NULL)
        return;
    memcpy(p, "\r\n--", 4);
    memcpy(p + 4, s + b0, b1 - b0);
    tx->boundary.ptr = p;
    tx->boundary.len = b1 - b0 + 4;
    tx->flags |= HTTP_TXF_MULTIPART;
}

/* Host header and URI host (libhtp process_request_headers). */
static void
http_req_host(struct http_conn *c, struct http_tx *tx)
{
    const struct http_hdr *h = http_tx_header(tx, APP_DIR_TOSERVER, "host");
    struct http_str host;
    const uint8_t *port_s;
    uint32_t port_n, k;
    int32_t port = -1;
    bool valid;

    if (h == NULL) {
        if (tx->req_proto == HTTP_PROTO_1_1)
            tx->flags |= HTTP_TXF_HOST_MISSING;
        return;
    }
    k = http_parse_hostport(h->value.ptr, h->value.len, &host, &port_s, &port_n);
    if (host.ptr == NULL) {
        if (tx->hostname.ptr != NULL)
            tx->flags |= HTTP_TXF_HOST_AMBIGUOUS;
        return;
    }
    valid = http_hostname_is_valid(host.ptr, host.len);
    if (port_s != NULL) {
        port = http_parse_port(port_s, port_n);
        if (port < 0)
            valid = false;
    } else if (k < h->value.len) {
        valid = false;
    }
    if (!valid)
        tx->flags |= HTTP_TXF_HOSTH_INVALID;
    if (tx->hostname.ptr == NULL) {
        tx->hostname = http_host_norm(c, tx, host, false);
        if (port_s != NULL)
            tx->port = port;
        return;
    }
    {
        struct http_str lh = {host.ptr, host.len};
        if (!http_eq_nocase2(lh, tx->hostname))
            tx->flags |= HTTP_TXF_HOST_AMBIGUOUS;
    }
    if (port_s != NULL && tx->port >= 0 && tx->port != port)
        tx->flags |= HTTP_TXF_HOST_AMBIGUOUS;
}

/* Request headers are all in: body coding, host, then what comes next. */
static void
http_req_headers_done(struct http_conn *c, struct http_tx *tx)
{
    struct http_dir *d = &c->d[APP_DIR_TOSERVER];
    const struct http_hdr *te = http_tx_header(tx, APP_DIR_TOSERVER, "transfer-encoding");
    const struct http_hdr *cl = http_tx_header(tx, APP_DIR_TOSERVER, "content-length");
    const struct http_hdr *auth = http_tx_header(tx, APP_DIR_TOSERVER, "authorization");

    if (te != NULL) {
        if (!http_contains_nocase(te->value.ptr, te->value.len, "chunked")) {
            tx->req_te = TE_INVALID;
            tx->flags |= HTTP_TXF_INVALID_TE;
        } else {
            if (tx->req_proto != HTTP_PROTO_1_1)
                tx->flags |= HTTP_TXF_INVALID_TE;
            tx->req_te = TE_CHUNKED;
        }
    } else if (cl != NULL) {
        tx->req_cl = http_parse_cl(c, tx, cl->value, true);
        if (tx->req_cl >= 0) {
            tx->req_te = TE_IDENTITY;
        } else {
            tx->req_te = TE_INVALID;
            tx->flags |= HTTP_TXF_INVALID_CL;
        }
    } else {
        tx->req_te = TE_NO_BODY;
    }
    http_req_host(c, tx);
    http_req_multipart(c, tx);
    if (auth != NULL && !http_has_prefix_nocase(auth->value.ptr, auth->value.len, "basic") &&
        !http_has_prefix_nocase(auth->value.ptr, auth->value.len, "digest") &&
        !http_has_prefix_nocase(auth->value.ptr, auth->value.len, "bearer"))
        http_event(c, tx, HTTP_EV_AUTH_UNRECOGNIZED);
    /* Suricata's HTPErrorCheckTxRequestFlags */
    if (tx->flags & HTTP_TXF_INVALID_TE)
        http_event(c, tx, HTTP_EV_INVALID_TE_REQUEST);
    if (tx->flags & HTTP_TXF_INVALID_CL)
        http_event(c, tx, HTTP_EV_INVALID_CL_REQUEST);
    if (tx->flags & HTTP_TXF_HOST_MISSING)
        http_event(c, tx, HTTP_EV_MISSING_HOST_HEADER);
    if (tx->flags & HTTP_TXF_HOST_AMBIGUOUS)
        http_event(c, tx, HTTP_EV_HOST_HEADER_AMBIGUOUS);
    if (tx->flags & HTTP_TXF_HOSTU_INVALID)
        http_event(c, tx, HTTP_EV_URI_HOST_INVALID);
    if (tx->flags & HTTP_TXF_HOSTH_INVALID)
        http_event(c, tx, HTTP_EV_HEADER_HOST_INVALID);

    if (tx->method_num == HTTP_M_CONNECT) {
        d->state = RS_CONNECT_WAIT;
        return;
    }
    switch (tx->req_te) {
    case TE_CHUNKED:
        tx->progress[0] = HTTP_PROG_BODY;
        d->state = RS_CHUNK_LEN;
        d->chunk_flags = 0;
        d->chunk_len = 0;
        break;
    case TE_IDENTITY:
        if (tx->req_cl > 0) {
            tx->progress[0] = HTTP_PROG_BODY;
            d->left = (uint64_t)tx->req_cl;
            d->state = RS_BODY_CL;
        } else {
            d->state = RS_FINALIZE;
        }
        break;
    case TE_NO_BODY:
        d->state = RS_FINALIZE;
        break;
    default:
        http_fatal(c); /* libhtp: request body coding invalid */
        break;
    }
    d->look_len = 0;
    if (tx->flags & HTTP_TXF_MULTIPART) {
        d->mp_state = MP_DELIM;
        d->mp_match = 2; /* the first delimiter has no CRLF before it */
    }
}

/*
 * Header lines of side dir into tx (RFC 9112 5, obs-fold joined with the
 * first whitespace byte as libhtp). Returns the bytes consumed; *end is
 * set at the empty line (or EOF). The response side also ends lines at a
 * lone CR.
 */
static uint32_t
http_hdr_feed(struct http_conn *c, struct http_tx *tx, int dir, const uint8_t *p, uint32_t n,
              bool *end)
{
    struct http_dir *d = &c->d[dir];
    bool resp = dir == APP_DIR_TOCLIENT;
    uint32_t i = 0;

    *end = false;
    while (i < n && !*end && !(c->flags & HTTP_CONN_ERROR)) {
        uint8_t b = p[i];
        if (d->cr) {
            d->cr = 0;
            if (b == '\n') {
                i++;
                continue;
            }
        }
        switch (d->fold) {
        case HL_START:
        case HL_PENDING:
            if (b == '\n') {
                if (d->fold == HL_PENDING)
                    http_hdr_commit(c, tx, dir);
                d->fold = HL_START;
                i++;
                *end = true;
                break;
            }
            if (b == '\r') {
                d->fold = d->fold == HL_PENDING ? (uint8_t)(HL_EMPTY_CR | 0x80) : HL_EMPTY_CR;
                i++;
                break;
            }
            if (http_is_lws(b) && d->fold == HL_PENDING) {
                /* obs-fold: continue the pending value after one whitespace */
                uint8_t sp = b;
                if (d->line_kept > 0)
                    http_line_add(c, tx, dir, &sp, 1);
                d->fold = HL_FOLD_LWS;
                i++;
                break;
            }
            if (d->fold == HL_PENDING)
                http_hdr_commit(c, tx, dir);
            if (c->flags & HTTP_CONN_ERROR)
                break;
            http_line_begin(c, tx, dir);
            d->fold = HL_DATA;
            break;
        case HL_FOLD_LWS:
            if (http_is_lws(b)) {
                i++;
                break;
            }
            d->fold = HL_DATA;
            break;
        case HL_DATA: {
            uint32_t k = i;
            while (k < n && p[k] != '\n' && !(resp && p[k] == '\r'))
                k++;
            http_line_add(c, tx, dir, p + i, k - i);
            if (d->line_len > c->cfg->max_line) {
                http_event(c, tx,
                           resp ? HTTP_EV_RESPONSE_FIELD_TOO_LONG : HTTP_EV_REQUEST_FIELD_TOO_LONG);
                c->mem->ctr[HTTP_CTR_LINE_LIMIT]++;
                http_fatal(c);
                return n;
            }
            i = k;
            if (k == n)
                break;
            if (p[k] == '\r')
                d->cr = 1;
            /* request side: a CR before the LF is not part of the value */
            while (!resp && d->line_kept > 0 && d->line[d->line_kept - 1] == '\r')
                d->line_kept--;
            d->fold = HL_PENDING;
            i++;
            break;
        }
        default: /* HL_EMPTY_CR, bit 7: a header is pending */
            if (b == '\n' || resp) {
                if (d->fold & 0x80)
                    http_hdr_commit(c, tx, dir);
                if (b == '\n')
                    i++;
                d->fold = HL_START;
                *end = true;
                break;
            }
            /* request side "\rX": a line that starts with CR */
            if (d->fold & 0x80)
                http_hdr_commit(c, tx, dir);
            http_line_begin(c, tx, dir);
            {
                uint8_t cr = '\r';
                http_line_add(c, tx, dir, &cr, 1);
            }
            d->fold = HL_DATA;
            break;
        }
    }
    return i;
}

/* Any pending header line at EOF. */
static void
http_hdr_close(struct http_conn *c, struct http_tx *tx, int dir)
{
    struct http_dir *d = &c->d[dir];

    if (d->fold == HL_PENDING || d->fold == HL_DATA || d->fold == HL_FOLD_LWS || (d->fold & 0x80))
        if (d->line != NULL || d->line_len > 0)
            http_hdr_commit(c, tx, dir);
    d->fold = HL_START;
    d->cr = 0;
}

/*
 * chunk-size line scanner (libhtp parse_chunked_length): CR LF SP HT VT FF
 * first, then hex digits, then SP/HT, then anything (an extension if it
 * has ';'). Returns the bytes taken, *eol at the LF.
 */
static uint32_t
http_chunk_scan(struct http_dir *d, const uint8_t *p, uint32_t n, bool *eol)
{
    uint32_t i;

    *eol = false;
    for (i = 0; i < n; i++) {
        uint8_t b = p[i];
        if (b == '\n') {
            *eol = true;
            return i + 1;
        }
        if (!(d->chunk_flags & CK_NONCTL)) {
            if (b == '\r' || b == ' ' || b == '\t' || b == 0x0b || b == 0x0c)
                continue;
            d->chunk_flags |= CK_NONCTL;
            if (!http_is_hex(b)) {
                d->chunk_flags |= CK_BAD;
                return i + 1;
            }
        }
        if (!(d->chunk_flags & CK_AFTER) && http_is_hex(b)) {
            d->chunk_flags |= CK_DIGITS;
            if (d->chunk_len > (uint64_t)INT32_MAX)
                d->chunk_flags |= CK_BIG;
            else
                d->chunk_len = d->chunk_len * 16 + http_hex_val(b);
            continue;
        }
        d->chunk_flags |= CK_AFTER;
        if (b == ';')
            d->chunk_flags |= CK_EXT;
    }
    return n;
}

/*
 * After a request: a LF ends it (the LF starts the next one); a line of
 * whitespace or one that does not start with a known method is body
 * (REQUEST_BODY_UNEXPECTED); a known method starts the next request.
 * Decided on the first bytes, held in d->look.
 */
static uint32_t
http_req_finalize(struct http_conn *c, struct http_tx *tx, const uint8_t *p, uint32_t n, int depth)
{
    struct http_dir *d = &c->d[APP_DIR_TOSERVER];
    uint32_t i;

    if (d->look_len == 0 && p[0] == '\n') {
        http_req_complete(c, tx);
        return 0;
    }
    for (i = 0; i < n; i++) {
        uint8_t b = p[i];
        uint32_t ws = 0, tok;
        while (ws < d->look_len && http_is_space(d->look[ws]))
            ws++;
        tok = d->look_len - ws;
        if (b == '\n' || (http_is_space(b) && tok > 0)) {
            uint8_t m = tok > 0 ? http_method_num(d->look + ws, tok) : HTTP_M_UNKNOWN;
            if (tok > 0 && m != HTTP_M_UNKNOWN) {
                uint8_t again[HTTP_LOOKAHEAD];
                uint8_t k = d->look_len;
                memcpy(again, d->look, k);
                http_req_complete(c, tx);
                http_req_feed(c, again, k, depth + 1);
                return i;
            }
            if (tok > 0)
                http_event(c, tx, HTTP_EV_REQUEST_BODY_UNEXPECTED);
            http_body(c, tx, APP_DIR_TOSERVER, d->look, d->look_len);
            d->look_len = 0;
            if (b == '\n') {
                http_body(c, tx, APP_DIR_TOSERVER, p + i, 1);
                return i + 1;
            }
            d->state = RS_FIN_BODYLINE;
            return i;
        }
        if (d->look_len >= 17 + 4) { /* no method is that long */
            if (tok > 0)
                http_event(c, tx, HTTP_EV_REQUEST_BODY_UNEXPECTED);
            http_body(c, tx, APP_DIR_TOSERVER, d->look, d->look_len);
            d->look_len = 0;
            d->state = RS_FIN_BODYLINE;
            return i;
        }
        d->look[d->look_len++] = b;
    }
    return n;
}

/* A request line had no version: HTTP/0.9 unless a header follows. */
static void
http_req_09_decide(struct http_conn *c, struct http_tx *tx, bool is09, int depth)
{
    struct http_dir *d = &c->d[APP_DIR_TOSERVER];
    uint8_t again[HTTP_LOOKAHEAD];
    uint8_t k = d->look_len;

    d->look_len = 0;
    if (is09) {
        http_req_complete(c, tx);
        return;
    }
    tx->is_09 = false;
    tx->req_proto = HTTP_PROTO_UNKNOWN;
    http_event(c, tx, HTTP_EV_REQUEST_LINE_MISSING_PROTOCOL);
    tx->progress[0] = HTTP_PROG_HEADERS;
    d->state = RS_HDR;
    d->fold = HL_START;
    memcpy(again, d->look, k);
    if (k > 0)
        http_req_feed(c, again, k, depth + 1);
}

/* One step of the request side; returns bytes consumed, or 0 with a state change. */
static uint32_t
http_req_step(struct http_conn *c, const uint8_t *p, uint32_t n, int depth, bool *progress)
{
    struct http_dir *d = &c->d[APP_DIR_TOSERVER];
    struct http_tx *tx;
    uint32_t k;
    bool end;

    *progress = true;
    if (d->state == RS_IGNORE)
        return n;
    if (d->state == RS_IDLE) {
        if (n == 0) {
            *progress = false;
            return 0;
        }
        tx = http_req_tx(c);
        if (tx == NULL)
            return 0;
        if (tx->progress[0] == HTTP_PROG_COMPLETE) {
            d->idx++; /* a response without request took this one */
            return 0;
        }
        tx->progress[0] = HTTP_PROG_LINE;
        d->state = RS_LINE;
        http_line_begin(c, tx, APP_DIR_TOSERVER);
        return 0;
    }
    tx = http_req_tx(c);
    if (tx == NULL) {
        *progress = false;
        return 0;
    }
    if (n == 0 && d->state != RS_FINALIZE) {
        *progress = false;
        return 0;
    }
    switch (d->state) {
    case RS_LINE: {
        const uint8_t *lf = memchr(p, '\n', n);
        k = lf ? (uint32_t)(lf - p) : n;
        http_line_add(c, tx, APP_DIR_TOSERVER, p, k);
        if (d->line_len > c->cfg->max_line) {
            http_event(c, tx, HTTP_EV_REQUEST_FIELD_TOO_LONG);
            c->mem->ctr[HTTP_CTR_LINE_LIMIT]++;
            http_fatal(c);
            return n;
        }
        if (lf == NULL)
            return n;
        http_req_line_done(c, tx);
        return k + 1;
    }
    case RS_09_PENDING:
        /* libhtp: whitespace only (at most 16 bytes) after the line keeps it 0.9 */
        for (k = 0; k < n; k++) {
            if (!http_is_space(p[k])) {
                http_req_09_decide(c, tx, false, depth);
                return k;
            }
            d->look[d->look_len++] = p[k];
            if (d->look_len > 16) {
                http_req_09_decide(c, tx, false, depth);
                return k + 1;
            }
        }
        return n;
    case RS_HDR:
        k = http_hdr_feed(c, tx, APP_DIR_TOSERVER, p, n, &end);
        if (end) {
            if (tx->progress[0] == HTTP_PROG_TRAILER)
                d->state = RS_FINALIZE;
            else
                http_req_headers_done(c, tx);
        }
        return k;
    case RS_BODY_CL:
        k = d->left < n ? (uint32_t)d->left : n;
        http_body(c, tx, APP_DIR_TOSERVER, p, k);
        d->left -= k;
        if (d->left == 0)
            d->state = RS_FINALIZE;
        return k;
    case RS_CHUNK_LEN:
        k = http_chunk_scan(d, p, n, &end);
        tx->message_len[0] += k;
        if (d->chunk_flags & CK_BAD) {
            http_event(c, tx, HTTP_EV_INVALID_REQUEST_CHUNK_LEN);
            http_fatal(c);
            return n;
        }
        if (!end)
            return k;
        if (!(d->chunk_flags & CK_NONCTL)) {
            d->chunk_flags = 0; /* a line of CR LF SP HT only: skipped */
            return k;
        }
        if (d->chunk_flags & CK_EXT)
            http_event(c, tx, HTTP_EV_REQUEST_CHUNK_EXTENSION);
        if (d->chunk_flags & CK_BIG) {
            http_event(c, tx, HTTP_EV_INVALID_REQUEST_CHUNK_LEN);
            http_fatal(c);
            return n;
        }
        if (d->chunk_len == 0) {
            tx->progress[0] = HTTP_PROG_TRAILER;
            d->state = RS_HDR;
            d->fold = HL_START;
        } else {
            d->left = d->chunk_len;
            d->state = RS_CHUNK_DATA;
        }
        d->chunk_flags = 0;
        d->chunk_len = 0;
        return k;
    case RS_CHUNK_DATA:
        k = d->left < n ? (uint32_t)d->left : n;
        http_body(c, tx, APP_DIR_TOSERVER, p, k);
        d->left -= k;
        if (d->left == 0)
            d->state = RS_CHUNK_END;
        return k;
    case RS_CHUNK_END: {
        const uint8_t *lf = memchr(p, '\n', n);
        k = lf ? (uint32_t)(lf - p) + 1 : n;
        tx->message_len[0] += k;
        if (lf != NULL) {
            d->state = RS_CHUNK_LEN;
            d->chunk_flags = 0;
            d->chunk_len = 0;
        }
        return k;
    }
    case RS_FINALIZE:
        if (n == 0) {
            if (d->look_len > 0) { /* a line being decided: wait for its end */
                *progress = false;
                return 0;
            }
            http_req_complete(c, tx);
            return 0;
        }
        return http_req_finalize(c, tx, p, n, depth);
    case RS_FIN_BODYLINE: {
        const uint8_t *lf = memchr(p, '\n', n);
        k = lf ? (uint32_t)(lf - p) + 1 : n;
        http_body(c, tx, APP_DIR_TOSERVER, p, k);
        if (lf != NULL)
            d->state = RS_FINALIZE;
        return k;
    }
    case RS_CONNECT_WAIT:
        if (tx->progress[1] <= HTTP_PROG_LINE)
            return n; /* held by libhtp as DATA_OTHER, dropped by Suricata */
        if (tx->status_num >= 200 && tx->status_num <= 299) {
            d->state = RS_CONNECT_PROBE;
            d->look_len = 0;
        } else {
            d->state = RS_FINALIZE;
        }
        return 0;
    case RS_CONNECT_PROBE:
        for (k = 0; k < n; k++) {
            uint32_t ws = 0;
            while (ws < d->look_len && http_is_space(d->look[ws]))
                ws++;
            if ((http_is_space(p[k]) && d->look_len > ws) || p[k] == '\n' || p[k] == 0 ||
                d->look_len >= 17 + 4) {
                uint8_t again[HTTP_LOOKAHEAD], kk = d->look_len;
                if (d->look_len > ws &&
                    http_method_num(d->look + ws, d->look_len - ws) != HTTP_M_UNKNOWN) {
                    memcpy(again, d->look, kk);
                    http_req_complete(c, tx);
                    http_req_feed(c, again, kk, depth + 1);
                    return k;
                }
                c->flags |= HTTP_CONN_TUNNEL;
                c->mem->ctr[HTTP_CTR_TUNNEL]++;
                http_req_complete(c, tx);
                d->state = RS_IGNORE;
                return n;
            }
            d->look[d->look_len++] = p[k];
        }
        return n;
    default:
        return n;
    }
}

static void
http_req_feed(struct http_conn *c, const uint8_t *p, uint32_t n, int depth)
{
    uint32_t guard = 0;
    bool progress;

    if (depth > 2)
        return;
    while (!(c->flags & (HTTP_CONN_ERROR | HTTP_CONN_PROTO_CHANGE | HTTP_CONN_TUNNEL))) {
        uint32_t k = http_req_step(c, p, n, depth, &progress);
        HTTP_BUG_ON(k > n);
        if (k > n)
            k = n;
        p += k;
        n -= k;
        if (!progress)
            break;
        /* every step consumes a byte or changes state; states cannot cycle without input */
        if (k == 0 && ++guard > 16)
            break;
        if (k > 0)
            guard = 0;
    }
}

/* ------------------------------------------------------ response side */

static uint32_t http_resp_feed(struct http_conn *c, const uint8_t *p, uint32_t n, int depth);

static const uint8_t http_uri_not_seen[] = "/libhtp::request_uri_not_seen";

static void
http_resp_complete(struct http_conn *c, struct http_tx *tx)
{
    struct http_dir *d = &c->d[APP_DIR_TOCLIENT];

    if (tx->progress[1] != HTTP_PROG_COMPLETE) {
        tx->progress[1] = HTTP_PROG_COMPLETE;
        http_file_close(tx, APP_DIR_TOCLIENT, false);
    }
    http_line_drop(c, APP_DIR_TOCLIENT);
    d->state = SS_IDLE;
    d->look_len = 0;
    if (d->idx == tx->id)
        d->idx++;
    if ((tx->flags & HTTP_TXF_CONNECT_TUNNEL) && tx->id == 0) {
        /* Suricata: AppLayerRequestProtocolChange after the first CONNECT 2xx */
        c->flags |= HTTP_CONN_PROTO_CHANGE;
        c->mem->ctr[HTTP_CTR_PROTO_CHANGE]++;
        if (tx->progress[0] != HTTP_PROG_COMPLETE)
            tx->progress[0] = HTTP_PROG_COMPLETE;
    }
    if (tx->status_num == 101 && tx->progress[1] == HTTP_PROG_COMPLETE &&
        !(c->flags & HTTP_CONN_TUNNEL) && http_tx_header(tx, 1, "content-length") == NULL &&
        http_tx_header(tx, 1, "transfer-encoding") == NULL) {
        c->flags |= HTTP_CONN_TUNNEL;
        c->mem->ctr[HTTP_CTR_TUNNEL]++;
    }
}

/* libhtp treat_response_line_as_body: false when, after SP/CTL/NUL, "http" starts it. */
static bool
http_looks_http(const uint8_t *s, uint32_t n)
{
    uint32_t i = 0;

    if (s == NULL) /* a line no arena could hold */
        return false;
    while (i < n && (http_is_space(s[i]) || s[i] == 0))
        i++;
    return http_has_prefix_nocase(s + i, n - i, "http");
}

/* libhtp parse_response_line + validate_response_line. */
static void
http_resp_line_parse(struct http_conn *c, struct http_tx *tx, struct http_str line)
{
    const uint8_t *s = line.ptr;
    uint32_t n = line.len, i = 0, a, w;
    struct http_str v;
    bool extra;

    tx->resp_protocol.ptr = tx->status.ptr = tx->message.ptr = NULL;
    tx->resp_protocol.len = tx->status.len = tx->message.len = 0;
    tx->resp_proto = HTTP_PROTO_INVALID;
    tx->status_num = -1;
    while (i < n && (http_is_space(s[i]) || s[i] == 0))
        i++;
    a = i;
    while (i < n && !http_is_space(s[i]))
        i++;
    if (i > a) {
        tx->resp_protocol.ptr = s + a;
        tx->resp_protocol.len = i - a;
        tx->resp_proto = http_parse_proto(tx->resp_protocol, &extra);
        if (extra)
            http_event(c, tx, HTTP_EV_PROTOCOL_CONTAINS_EXTRA_DATA);
        w = i;
        while (i < n && http_is_space(s[i]))
            i++;
        a = i;
        while (i < n && !http_is_space(s[i]))
            i++;
        if (a > w && i > a) {
            tx->status.ptr = s + a;
            tx->status.len = i - a;
            tx->status_num = http_parse_status(tx->status);
            w = i;
            while (i < n && http_is_space(s[i]) && s[i] != 0x0b)
                i++;
            if (i > w) {
                v.ptr = s + i;
                v.len = n - i;
                while (v.len > 0 && (v.ptr[v.len - 1] == '\r' || v.ptr[v.len - 1] == '\n'))
                    v.len--;
                tx->message = v;
            }
        }
    }
    if (tx->resp_proto == HTTP_PROTO_INVALID)
        http_event(c, tx, HTTP_EV_RESPONSE_INVALID_PROTOCOL);
    if (tx->status_num < 0)
        http_event(c, tx, HTTP_EV_RESPONSE_INVALID_STATUS);
}

/*
 * A response line ended (eol bytes of line end; rest: what follows in
 * this input). Empty lines are skipped; a line that does not start with
 * "http" is skipped or taken as body as libhtp does; else it is the
 * status line.
 */
static void
http_resp_line_done(struct http_conn *c, struct http_tx *tx, uint32_t eol, const uint8_t *rest,
                    uint32_t rest_n)
{
    struct http_dir *d = &c->d[APP_DIR_TOCLIENT];
    struct http_str line;

    if (d->line_len == 0) {
        http_line_drop(c, APP_DIR_TOCLIENT);
        http_line_begin(c, tx, APP_DIR_TOCLIENT);
        return;
    }
    if (!http_looks_http(d->line, d->line_kept)) {
        uint64_t len = (uint64_t)d->line_len + eol;
        http_line_drop(c, APP_DIR_TOCLIENT);
        http_line_begin(c, tx, APP_DIR_TOCLIENT);
        if (rest_n > 1 && (rest[0] == 'H' || len - eol <= 2))
            return;
        http_body(c, tx, APP_DIR_TOCLIENT, (const uint8_t *)"", len);
        if (rest_n == 0) {
            tx->progress[1] = HTTP_PROG_BODY;
            d->state = SS_FINALIZE;
            d->look_len = 0;
        }
        return;
    }
    line = http_line_commit(c, tx, APP_DIR_TOCLIENT);
    http_resp_line_parse(c, tx, line);
    tx->progress[1] = HTTP_PROG_HEADERS;
    d->state = SS_HDR;
    d->fold = HL_START;
}

/* Does the response have a body, and how is it framed (libhtp response_body_determine). */
static void
http_resp_body_determine(struct http_conn *c, struct http_tx *tx)
{
    struct http_dir *d = &c->d[APP_DIR_TOCLIENT];
    const struct http_hdr *te = http_tx_header(tx, APP_DIR_TOCLIENT, "transfer-encoding");
    const struct http_hdr *cl = http_tx_header(tx, APP_DIR_TOCLIENT, "content-length");
    const struct http_hdr *ct;
    int32_t st = tx->status_num;
    bool te_chunked = te != NULL && http_contains_nocase(te->value.ptr, te->value.len, "chunked");
    int64_t v;

    d->look_len = 0;
    if (tx->method_num == HTTP_M_CONNECT && st >= 200 && st <= 299) {
        tx->flags |= HTTP_TXF_CONNECT_TUNNEL;
        d->state = SS_FINALIZE;
        return;
    }
    if (st == 101) {
        if (te == NULL && cl == NULL) {
            /* libhtp: both sides become a tunnel right after the headers */
            http_resp_complete(c, tx);
            return;
        }
        http_event(c, tx, HTTP_EV_SWITCHING_PROTO_WITH_CL);
    } else if (st == 100 && te == NULL) {
        v = cl != NULL ? http_parse_cl(c, tx, cl->value, true) : -1;
        if (v <= 0) {
            if (tx->seen_100)
                http_event(c, tx, HTTP_EV_CONTINUE_ALREADY_SEEN);
            tx->seen_100 = true;
            tx->hdrs[1].head = tx->hdrs[1].tail = NULL;
            tx->hdrs[1].count = 0;
            tx->progress[1] = HTTP_PROG_LINE;
            d->state = SS_LINE;
            http_line_begin(c, tx, APP_DIR_TOCLIENT);
            return;
        }
    } else if (st >= 400 && st <= 499 && tx->req_cl > 0 && c->d[APP_DIR_TOSERVER].idx == tx->id &&
               c->d[APP_DIR_TOSERVER].state == RS_BODY_CL &&
               c->d[APP_DIR_TOSERVER].left == (uint64_t)tx->req_cl) {
        const struct http_hdr *ex = http_tx_header(tx, APP_DIR_TOSERVER, "expect");
        if (ex != NULL && ex->value.len == 12 && memcmp(ex->value.ptr, "100-continue", 12) == 0)
            c->d[APP_DIR_TOSERVER].state = RS_FINALIZE;
    }
    if (tx->method_num == HTTP_M_HEAD) {
        d->state = SS_FINALIZE;
        return;
    }
    if ((st >= 100 && st <= 199) || st == 204 || st == 304) {
        if (te == NULL && cl == NULL) {
            d->state = SS_FINALIZE;
            return;
        }
        http_event(c, tx, HTTP_EV_RESPONSE_BODY_UNEXPECTED);
    }
    if (te_chunked) {
        if (!http_eq_nocase(te->value.ptr, te->value.len, "chunked"))
            http_event(c, tx, HTTP_EV_RESPONSE_ABNORMAL_TE);
        if (tx->resp_proto != HTTP_PROTO_1_1)
            http_event(c, tx, HTTP_EV_RESPONSE_CHUNKED_OLD_PROTO);
        tx->progress[1] = HTTP_PROG_BODY;
        d->state = SS_CHUNK_LEN;
        d->chunk_flags = 0;
        d->chunk_len = 0;
        d->left = 0;
        return;
    }
    if (cl != NULL) {
        v = http_parse_cl(c, tx, cl->value, true);
        if (v < 0) {
            http_event(c, tx, HTTP_EV_INVALID_CL_RESPONSE);
            http_fatal(c);
            return;
        }
        if (v > 0) {
            tx->progress[1] = HTTP_PROG_BODY;
            d->left = (uint64_t)v;
            d->state = SS_BODY_CL;
        } else {
            d->state = SS_FINALIZE;
        }
        return;
    }
    ct = http_tx_header(tx, APP_DIR_TOCLIENT, "content-type");
    if (ct != NULL) {
        uint32_t k = 0;
        while (k < ct->value.len && ct->value.ptr[k] != ';' && !http_is_space(ct->value.ptr[k]))
            k++;
        if (http_contains_nocase(ct->value.ptr, k, "multipart/byteranges")) {
            http_event(c, tx, HTTP_EV_RESPONSE_MULTIPART_BYTERANGES);
            http_fatal(c);
            return;
        }
    }
    tx->progress[1] = HTTP_PROG_BODY;
    d->state = SS_BODY_CLOSE;
}

/*
 * After a response (libhtp response_finalize): a LF first means the whole
 * input is looked at (body unless "http" follows the whitespace); else
 * each line that does not start with "http" is body
 * (RESPONSE_BODY_UNEXPECTED) and one that does is the next response.
 */
static uint32_t
http_resp_finalize(struct http_conn *c, struct http_tx *tx, const uint8_t *p, uint32_t n, int depth)
{
    struct http_dir *d = &c->d[APP_DIR_TOCLIENT];
    uint32_t i, ws;

    if ((tx->flags & HTTP_TXF_CONNECT_TUNNEL) && tx->id == 0) {
        /* the rest is the tunnel: only CR/LF left over from HTTP is taken */
        for (i = 0; i < n && (p[i] == '\r' || p[i] == '\n'); i++)
            ;
        if (i > 0) {
            http_event(c, tx, HTTP_EV_RESPONSE_BODY_UNEXPECTED);
            http_body(c, tx, APP_DIR_TOCLIENT, p, i);
        }
        http_resp_complete(c, tx);
        return i;
    }
    if (d->look_len == 0 && p[0] == '\n') {
        for (i = 0; i < n && (http_is_space(p[i]) || p[i] == 0); i++)
            ;
        if (i < n && http_has_prefix_nocase(p + i, n - i, "http")) {
            http_resp_complete(c, tx);
            return i;
        }
        http_event(c, tx, HTTP_EV_RESPONSE_BODY_UNEXPECTED);
        http_body(c, tx, APP_DIR_TOCLIENT, p, n);
        http_resp_complete(c, tx);
        return n;
    }
    for (i = 0; i < n; i++) {
        uint8_t b = p[i];
        for (ws = 0; ws < d->look_len && (http_is_space(d->look[ws]) || d->look[ws] == 0); ws++)
            ;
        if (b == '\n' && (ws == d->look_len || d->look_len - ws < 4)) {
            http_event(c, tx, HTTP_EV_RESPONSE_BODY_UNEXPECTED);
            http_body(c, tx, APP_DIR_TOCLIENT, d->look, (uint64_t)d->look_len + 1);
            d->look_len = 0;
            return i + 1;
        }
        if (ws == d->look_len && (http_is_space(b) || b == 0)) {
            if (d->look_len < HTTP_LOOKAHEAD - 4) {
                d->look[d->look_len++] = b;
                continue;
            }
        } else if (d->look_len - ws < 4 && http_lower(b) == (uint8_t) "http"[d->look_len - ws]) {
            d->look[d->look_len++] = b;
            if (d->look_len - ws == 4) {
                uint8_t again[4];
                memcpy(again, d->look + ws, 4);
                http_resp_complete(c, tx);
                (void)http_resp_feed(c, again, 4, depth + 1);
                return i + 1;
            }
            continue;
        }
        /* not a status line: the line is body */
        http_event(c, tx, HTTP_EV_RESPONSE_BODY_UNEXPECTED);
        http_body(c, tx, APP_DIR_TOCLIENT, d->look, (uint64_t)d->look_len + 1);
        d->look_len = 0;
        d->state = SS_FIN_BODYLINE;
        return i + 1;
    }
    return n;
}

static uint32_t
http_resp_step(struct http_conn *c, const uint8_t *p, uint32_t n, int depth, bool *progress)
{
    struct http_dir *d = &c->d[APP_DIR_TOCLIENT];
    struct http_dir *rq = &c->d[APP_DIR_TOSERVER];
    struct http_tx *tx;
    uint32_t k;
    bool end;

    *progress = true;
    if (d->state == SS_IGNORE)
        return n;
    if (d->state == SS_IDLE) {
        if (n == 0) {
            *progress = false;
            return 0;
        }
        if (d->cr) {
            d->cr = 0;
            if (p[0] == '\n')
                return 1;
        }
        tx = http_tx_get(c, d->idx);
        if (tx == NULL)
            return 0;
        if (rq->state == RS_09_PENDING && rq->idx == tx->id)
            http_req_09_decide(c, tx, true, depth);
        if (tx->progress[0] == HTTP_PROG_NOT_STARTED) {
            http_event(c, tx, HTTP_EV_UNABLE_TO_MATCH_RESPONSE);
            tx->uri.ptr = tx->path.ptr = http_uri_not_seen;
            tx->uri.len = tx->path.len = (uint32_t)sizeof(http_uri_not_seen) - 1;
            tx->progress[0] = HTTP_PROG_COMPLETE;
            if (rq->idx == tx->id)
                rq->idx++;
        }
        if (tx->method.ptr == NULL && tx->uri.ptr == NULL && rq->state == RS_LINE &&
            rq->idx == tx->id)
            http_event(c, tx, HTTP_EV_REQUEST_LINE_INCOMPLETE);
        if (tx->is_09) {
            tx->progress[1] = HTTP_PROG_BODY;
            d->state = SS_BODY_CLOSE;
        } else {
            tx->progress[1] = HTTP_PROG_LINE;
            d->state = SS_LINE;
            http_line_begin(c, tx, APP_DIR_TOCLIENT);
        }
        return 0;
    }
    tx = http_tx_get(c, d->idx);
    if (tx == NULL) {
        *progress = false;
        return 0;
    }
    if (n == 0 && d->state != SS_FINALIZE) {
        *progress = false;
        return 0;
    }
    switch (d->state) {
    case SS_LINE:
        if (d->cr) {
            d->cr = 0;
            if (p[0] == '\n')
                return 1;
        }
        for (k = 0; k < n && p[k] != '\n' && p[k] != '\r'; k++)
            ;
        http_line_add(c, tx, APP_DIR_TOCLIENT, p, k);
        if (d->line_len > c->cfg->max_line) {
            http_event(c, tx, HTTP_EV_RESPONSE_FIELD_TOO_LONG);
            c->mem->ctr[HTTP_CTR_LINE_LIMIT]++;
            http_fatal(c);
            return n;
        }
        if (k == n)
            return n;
        {
            uint32_t eol = 1;
            if (p[k] == '\r') {
                if (k + 1 < n && p[k + 1] == '\n')
                    eol = 2;
                else if (k + 1 == n)
                    d->cr = 1;
            }
            http_resp_line_done(c, tx, eol, p + k + eol, n - k - eol);
            return k + eol;
        }
    case SS_HDR:
        k = http_hdr_feed(c, tx, APP_DIR_TOCLIENT, p, n, &end);
        if (end) {
            if (tx->progress[1] == HTTP_PROG_TRAILER)
                d->state = SS_FINALIZE;
            else
                http_resp_body_determine(c, tx);
            d->look_len = 0;
        }
        return k;
    case SS_BODY_CL:
        k = d->left < n ? (uint32_t)d->left : n;
        http_body(c, tx, APP_DIR_TOCLIENT, p, k);
        d->left -= k;
        if (d->left == 0) {
            d->state = SS_FINALIZE;
            d->look_len = 0;
        }
        return k;
    case SS_BODY_CLOSE:
        http_body(c, tx, APP_DIR_TOCLIENT, p, n);
        return n;
    case SS_CHUNK_LEN:
        k = http_chunk_scan(d, p, n, &end);
        tx->message_len[1] += k;
        d->left += k; /* bytes of this chunk-size line */
        if (d->chunk_flags & CK_BAD) {
            /* libhtp: not chunked after all, the line and the rest are body */
            http_event(c, tx, HTTP_EV_INVALID_RESPONSE_CHUNK_LEN);
            tx->message_len[1] -= d->left;
            http_body(c, tx, APP_DIR_TOCLIENT, p, d->left);
            d->left = 0;
            d->state = SS_BODY_CLOSE;
            return k;
        }
        if (!end)
            return k;
        d->left = 0;
        if (!(d->chunk_flags & CK_NONCTL) || (d->chunk_flags & CK_BIG)) {
            d->chunk_flags = 0; /* skipped, as libhtp does */
            d->chunk_len = 0;
            return k;
        }
        if (d->chunk_flags & CK_EXT)
            http_event(c, tx, HTTP_EV_RESPONSE_CHUNK_EXTENSION);
        if (d->chunk_len == 0) {
            tx->progress[1] = HTTP_PROG_TRAILER;
            d->state = SS_HDR;
            d->fold = HL_START;
        } else {
            d->left = d->chunk_len;
            d->state = SS_CHUNK_DATA;
        }
        d->chunk_flags = 0;
        d->chunk_len = 0;
        return k;
    case SS_CHUNK_DATA:
        k = d->left < n ? (uint32_t)d->left : n;
        http_body(c, tx, APP_DIR_TOCLIENT, p, k);
        d->left -= k;
        if (d->left == 0)
            d->state = SS_CHUNK_END;
        return k;
    case SS_CHUNK_END: {
        const uint8_t *lf = memchr(p, '\n', n);
        k = lf ? (uint32_t)(lf - p) + 1 : n;
        tx->message_len[1] += k;
        if (lf != NULL) {
            d->state = SS_CHUNK_LEN;
            d->chunk_flags = 0;
            d->chunk_len = 0;
            d->left = 0;
        }
        return k;
    }
    case SS_FINALIZE:
        if (n == 0) {
            if (d->look_len > 0) { /* a line being decided: wait for its end */
                *progress = false;
                return 0;
            }
            http_resp_complete(c, tx);
            return 0;
        }
        return http_resp_finalize(c, tx, p, n, depth);
    case SS_FIN_BODYLINE: {
        const uint8_t *lf = memchr(p, '\n', n);
        k = lf ? (uint32_t)(lf - p) + 1 : n;
        http_body(c, tx, APP_DIR_TOCLIENT, p, k);
        if (lf != NULL)
            d->state = SS_FINALIZE;
        return k;
    }
    default:
        return n;
    }
}

static uint32_t
http_resp_feed(struct http_conn *c, const uint8_t *p, uint32_t n, int depth)
{
    uint32_t guard = 0, used = 0;
    bool progress;

    if (depth > 2)
        return n;
    while (!(c->flags & (HTTP_CONN_ERROR | HTTP_CONN_PROTO_CHANGE | HTTP_CONN_TUNNEL))) {
        uint32_t k = http_resp_step(c, p, n, depth, &progress);
        HTTP_BUG_ON(k > n);
        if (k > n)
            k = n;
        p += k;
        n -= k;
        used += k;
        if (!progress)
            break;
        if (k == 0 && ++guard > 16)
            break;
        if (k > 0)
            guard = 0;
    }
    if (c->flags & HTTP_CONN_PROTO_CHANGE)
        return used;
    return used + n; /* errors and tunnels swallow the rest */
}

/* ---------------------------------------------------------- gaps, EOF */

static void
http_req_gap(struct http_conn *c, uint64_t len)
{
    struct http_dir *d = &c->d[APP_DIR_TOSERVER];
    struct http_tx *tx = http_tx_find(c, d->idx);
    uint64_t k;

    if (d->state == RS_IGNORE)
        return;
    if (d->idx == 0 && (tx == NULL || tx->progress[0] == HTTP_PROG_NOT_STARTED))
        return; /* leading gap on the first request: libhtp ignores it */
    if (tx != NULL)
        tx->flags |= HTTP_TXF_REQ_GAP;
    while (len > 0 && !(c->flags & HTTP_CONN_ERROR)) {
        if (tx != NULL && d->state == RS_BODY_CL) {
            k = d->left < len ? d->left : len;
            http_body(c, tx, APP_DIR_TOSERVER, NULL, k);
            d->left -= k;
            len -= k;
            if (d->left == 0)
                d->state = RS_FINALIZE;
            continue;
        }
        if (tx != NULL && d->state == RS_FINALIZE) {
            http_req_complete(c, tx);
            tx = NULL;
            continue;
        }
        if (d->state == RS_IGNORE)
            return;
        /* libhtp: "Gaps are not allowed during this state", the gap is skipped */
        tx = c->tx_tail != 0 ? http_tx_at(c, c->tx_tail) : NULL;
        http_event(c, tx, HTTP_EV_INVALID_GAP);
        c->mem->ctr[HTTP_CTR_GAP_IGNORED]++;
        return;
    }
}

static void
http_resp_gap(struct http_conn *c, uint64_t len)
{
    struct http_dir *d = &c->d[APP_DIR_TOCLIENT];
    struct http_tx *tx = http_tx_find(c, d->idx);
    uint64_t k;

    if (d->state == SS_IGNORE)
        return;
    if (c->d[APP_DIR_TOSERVER].idx == 0 &&
        (tx == NULL || tx->progress[1] == HTTP_PROG_NOT_STARTED)) {
        /* libhtp: leading gap on the first response is an error */
        http_fatal(c);
        return;
    }
    if (tx == NULL)
        return;
    tx->flags |= HTTP_TXF_RESP_GAP;
    while (len > 0 && !(c->flags & HTTP_CONN_ERROR)) {
        if (d->state == SS_BODY_CL) {
            k = d->left < len ? d->left : len;
            http_body(c, tx, APP_DIR_TOCLIENT, NULL, k);
            d->left -= k;
            len -= k;
            if (d->left == 0)
                d->state = SS_FINALIZE;
            continue;
        }
        if (d->state == SS_BODY_CLOSE)
            return; /* libhtp-rs passes no data on: not counted, no file gap */
        if (d->state == SS_FINALIZE) {
            http_resp_complete(c, tx);
            if (c->flags & (HTTP_CONN_PROTO_CHANGE | HTTP_CONN_TUNNEL))
                return;
            continue;
        }
        http_event(c, tx, HTTP_EV_INVALID_GAP);
        c->mem->ctr[HTTP_CTR_GAP_IGNORED]++;
        return;
    }
}

/* The request side ended: finish what libhtp finishes on a closed stream. */
static void
http_req_close(struct http_conn *c)
{
    struct http_dir *d = &c->d[APP_DIR_TOSERVER];
    struct http_tx *tx;
    int guard;

    for (guard = 0; guard < 8 && !(c->flags & (HTTP_CONN_ERROR | HTTP_CONN_PROTO_CHANGE));
         guard++) {
        if (d->state == RS_IDLE || d->state == RS_IGNORE)
            return;
        tx = http_req_tx(c);
        if (tx == NULL)
            return;
        switch (d->state) {
        case RS_LINE:
            if (d->line_len == 0)
                return;
            http_req_line_done(c, tx);
            if (d->state == RS_LINE)
                return;
            break;
        case RS_09_PENDING:
            http_req_09_decide(c, tx, true, 0);
            break;
        case RS_HDR:
            http_hdr_close(c, tx, APP_DIR_TOSERVER);
            if (tx->progress[0] == HTTP_PROG_TRAILER)
                d->state = RS_FINALIZE;
            else
                http_req_headers_done(c, tx);
            break;
        case RS_FINALIZE: {
            uint32_t ws = 0, tok;
            while (ws < d->look_len && http_is_space(d->look[ws]))
                ws++;
            tok = d->look_len - ws;
            if (tok > 0 && http_method_num(d->look + ws, tok) != HTTP_M_UNKNOWN) {
                uint8_t again[HTTP_LOOKAHEAD], k = d->look_len;
                memcpy(again, d->look, k);
                http_req_complete(c, tx);
                http_req_feed(c, again, k, 1);
                break;
            }
            if (d->look_len > 0) {
                if (tok > 0)
                    http_event(c, tx, HTTP_EV_REQUEST_BODY_UNEXPECTED);
                http_body(c, tx, APP_DIR_TOSERVER, d->look, d->look_len);
            }
            http_req_complete(c, tx);
            break;
        }
        case RS_FIN_BODYLINE:
            http_req_complete(c, tx);
            break;
        default:
            return; /* a body, chunk or CONNECT left incomplete */
        }
    }
}

/* The response side ended (libhtp close: both sides are closed). */
static void
http_resp_close(struct http_conn *c)
{
    struct http_dir *d = &c->d[APP_DIR_TOCLIENT];
    struct http_tx *tx;
    int guard;

    for (guard = 0; guard < 8 && !(c->flags & (HTTP_CONN_ERROR | HTTP_CONN_PROTO_CHANGE));
         guard++) {
        if (d->state == SS_IDLE || d->state == SS_IGNORE)
            return;
        tx = http_tx_get(c, d->idx);
        if (tx == NULL)
            return;
        switch (d->state) {
        case SS_LINE:
            if (d->line_len == 0)
                return;
            http_resp_line_done(c, tx, 0, NULL, 0);
            if (d->state == SS_LINE)
                return;
            break;
        case SS_HDR:
            http_hdr_close(c, tx, APP_DIR_TOCLIENT);
            d->state = SS_FINALIZE;
            d->look_len = 0;
            break;
        case SS_BODY_CL:
        case SS_BODY_CLOSE:
        case SS_CHUNK_DATA:
            d->state = SS_FINALIZE;
            d->look_len = 0;
            break;
        case SS_FINALIZE:
            if (d->look_len > 0 && !http_looks_http(d->look, d->look_len)) {
                http_event(c, tx, HTTP_EV_RESPONSE_BODY_UNEXPECTED);
                http_body(c, tx, APP_DIR_TOCLIENT, d->look, d->look_len);
            }
            http_resp_complete(c, tx);
            break;
        case SS_FIN_BODYLINE:
            http_resp_complete(c, tx);
            break;
        default:
            return; /* a chunk-size line left incomplete */
        }
    }
}

/* ---------------------------------------------------------------- API */

void
http_conn_init(struct http_conn *c, struct http_mem *m, const struct http_parse_cfg *cfg)
{
    memset(c, 0, sizeof(*c));
    c->mem = m;
    c->cfg = cfg;
    c->d[0].state = RS_IDLE;
    c->d[1].state = SS_IDLE;
}

struct app_res
http_parse(struct http_conn *c, int dir, const uint8_t *data, uint32_t len, uint32_t flags)
{
    struct app_res r = {APP_OK, len, 0};

    if (c->flags & HTTP_CONN_ERROR) {
        r.status = APP_ERROR;
        return r;
    }
    if (c->flags & HTTP_CONN_PROTO_CHANGE) {
        r.consumed = 0;
        return r;
    }
    if (dir != APP_DIR_TOSERVER && dir != APP_DIR_TOCLIENT)
        return r;
    if (flags & APP_FLAG_GAP) {
        if (!(c->flags & HTTP_CONN_TUNNEL) && len > 0) {
            if (dir == APP_DIR_TOSERVER)
                http_req_gap(c, len);
            else
                http_resp_gap(c, len);
        }
    } else if (data != NULL && len > 0 && !(c->flags & HTTP_CONN_TUNNEL)) {
        if (dir == APP_DIR_TOSERVER)
            http_req_feed(c, data, len, 0);
        else
            r.consumed = http_resp_feed(c, data, len, 0);
    }
    if ((flags & APP_FLAG_EOF) && !(c->flags & (HTTP_CONN_TUNNEL | HTTP_CONN_PROTO_CHANGE))) {
        if (!(c->flags & HTTP_CONN_CLOSED_TS)) {
            c->flags |= HTTP_CONN_CLOSED_TS;
            http_req_close(c);
        }
        if (dir == APP_DIR_TOCLIENT && !(c->flags & HTTP_CONN_CLOSED_TC)) {
            c->flags |= HTTP_CONN_CLOSED_TC;
            http_resp_close(c);
        }
    }
    if (c->flags & HTTP_CONN_ERROR)
        r.status = APP_ERROR;
    return r;
}

void
http_conn_finish(struct http_conn *c)
{
    struct http_tx *tx;
    uint8_t i;

    if (!(c->flags & (HTTP_CONN_ERROR | HTTP_CONN_TUNNEL | HTTP_CONN_PROTO_CHANGE))) {
        if (!(c->flags & HTTP_CONN_CLOSED_TS)) {
            c->flags |= HTTP_CONN_CLOSED_TS;
            http_req_close(c);
        }
        if (!(c->flags & HTTP_CONN_CLOSED_TC)) {
            c->flags |= HTTP_CONN_CLOSED_TC;
            http_resp_close(c);
        }
    }
    for (tx = http_conn_tx_first(c); tx != NULL; tx = http_conn_tx_next(c, tx))
        for (i = 0; i < tx->n_files; i++)
            if (tx->files[i].state == HTTP_FILE_OPEN)
                tx->files[i].state = HTTP_FILE_TRUNCATED;
}

void
http_conn_fini(struct http_conn *c)
{
    struct http_tx *tx;

    while ((tx = http_conn_tx_first(c)) != NULL)
        http_tx_release(c, tx);
    http_line_drop(c, 0);
    http_line_drop(c, 1);
}
