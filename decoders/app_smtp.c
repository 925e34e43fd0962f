/*
 * app_smtp.c - SMTP parser: RFC 5321 (commands, replies, DATA with
 * dot-stuffing 4.5.2, RSET 4.1.1.5, HELO/EHLO resets 4.1.4), RFC 2920
 * (PIPELINING), RFC 3030 (CHUNKING: BDAT), RFC 3207 (STARTTLS), RFC 4954
 * (AUTH), with the transaction model and event names of Suricata 8.0.7
 * (src/app-layer-smtp.c; the 8.0.7 fixes are read from its
 * suricata-verify tests smtp-bdat-*, smtp-*-reset-*, smtp-no-helo-*,
 * smtp-pipelined-rset-after-complete).
 *
 *   client:  command SP args CRLF             (LF alone ends a line too)
 *            DATA CRLF ... content ... CRLF "." CRLF     ("." at a line start doubled)
 *            BDAT SP size [SP LAST] CRLF <size octets>
 *            AUTH SP mechanism [SP initial-response] CRLF  *( sasl-line CRLF )
 *   server:  code ( "-" / SP ) text CRLF     ("-": more lines of the same reply follow)
 *
 * Client commands are queued (struct smtp_cmd) and each complete server
 * reply answers the oldest one. A command line is read into look[] (its
 * first SMTP_LOOK bytes, enough to classify it) and, for HELO, MAIL FROM
 * and RCPT TO, its value into a scratch chunk of the connection; all of
 * its effects happen at its end, as Suricata handles a whole line.
 *
 * Transactions (Suricata 8.0.7): a command opens one when there is none
 * or the current one has ended (its message is over, or a reply ended
 * it), except RSET and QUIT, which belong to the ended one. A transaction
 * ends on the reply to the end of its message (DATA's "." or the last
 * BDAT chunk), on the 250 to RSET, on an accepted HELO/EHLO that repeats
 * the greeting while an envelope is open (RFC 5321 4.1.4), on the 220 to
 * STARTTLS, or when both directions have ended.
 *
 * Where this parser knowingly differs from Suricata: lines are cut at
 * SMTP_LINE_MAX bytes wherever the segment boundaries fall (Suricata
 * also drops the rest of the segment); an unknown reply code is an
 * INVALID_REPLY event and the line is skipped (Suricata stops parsing);
 * the client's SASL lines after a 334 are skipped, not read as commands;
 * DATA content is dot-unstuffed and BDAT content is MIME parsed too (so a
 * file sent with BDAT is seen); NO_SERVER_WELCOME_MESSAGE is raised per
 * command line, not per content line.
 */
#include "app_smtp.h"

#include <stdlib.h>
#include <string.h>

/* A broken invariant: abort in debug and fuzz builds, carry on otherwise. */
#if defined(NIDS_DEBUG) || defined(FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION)
#define SMTP_BUG_ON(cond)                                                                          \
    do {                                                                                           \
        if (cond)                                                                                  \
            abort();                                                                               \
    } while (0)
#else
#define SMTP_BUG_ON(cond) ((void)0)
#endif

const char *const smtp_event_names[SMTP_EV_COUNT] = {
#define SMTP_EVENT_NAME(id, name) name,
        SMTP_EVENT_TABLE(SMTP_EVENT_NAME)
#undef SMTP_EVENT_NAME
};

const char *const smtp_ctr_names[SMTP_CTR_COUNT] = {
#define SMTP_CTR_NAME(id, name) name,
        SMTP_CTR_TABLE(SMTP_CTR_NAME)
#undef SMTP_CTR_NAME
};

/* Commands (smtp_dir.kind, smtp_cmd.kind). */
#define SMTP_CMD_NONE      0
#define SMTP_CMD_OTHER     1 /* anything else: EHLO's reply etc. need no action */
#define SMTP_CMD_STARTTLS  2
#define SMTP_CMD_DATA      3
#define SMTP_CMD_BDAT      4 /* a chunk that is not the last, or an invalid BDAT */
#define SMTP_CMD_BDAT_LAST 5 /* the last chunk: its reply ends the transaction */
#define SMTP_CMD_DATA_MODE 6 /* the end of DATA content: its reply ends the transaction */
#define SMTP_CMD_RSET      7
#define SMTP_CMD_HELO      8
#define SMTP_CMD_MAIL      9
#define SMTP_CMD_RCPT      10
#define SMTP_CMD_QUIT      11
#define SMTP_CMD_AUTH      12
#define SMTP_CMD_SASL      13 /* a line answering an AUTH challenge */

/* smtp_cmd.flags */
#define SMTP_CMDF_RESET 0x01 /* HELO/EHLO that resets an open envelope when accepted */

/* Where a command's value is read into (smtp_dir.cap). */
#define SMTP_CAP_NONE  0
#define SMTP_CAP_CHUNK 1 /* HELO, MAIL FROM, RCPT TO: the connection's scratch chunk */
#define SMTP_CAP_BDAT  2 /* the BDAT arguments: c->arg */
#define SMTP_CAP_AUTH  3 /* the AUTH mechanism: c->auth_mech */

/* Value scanner (smtp_dir.cap_st), Suricata's SMTPParseCommandWithParam. */
#define SMTP_CS_SPACE 0 /* leading spaces are skipped */
#define SMTP_CS_VALUE 1 /* the value, up to a space */
#define SMTP_CS_DONE  2
#define SMTP_CS_RAW   3 /* everything (BDAT arguments) */

/* DATA line start scanner (smtp_conn.dot). */
#define SMTP_DOT_BOL 0 /* at the start of a line */
#define SMTP_DOT_DOT 1 /* "." at the start of a line */
#define SMTP_DOT_CR  2 /* "." CR */
#define SMTP_DOT_MID 3 /* inside a line */

/* ---------------------------------------------------------------- pools */

static size_t
smtp_round16(size_t n)
{
    return (n + 15u) & ~(size_t)15u;
}

size_t
smtp_mem_size(uint32_t n_chunks, uint32_t n_tx, uint32_t n_mime)
{
    return smtp_round16((size_t)n_tx * sizeof(struct smtp_tx)) +
           smtp_round16((size_t)n_mime * sizeof(struct mime_state)) +
           smtp_round16((size_t)n_chunks * sizeof(uint32_t)) +
           smtp_round16((size_t)n_mime * sizeof(uint32_t)) + (size_t)n_chunks * SMTP_CHUNK;
}

void
smtp_mem_init(struct smtp_mem *m, void *mem, uint32_t n_chunks, uint32_t n_tx, uint32_t n_mime)
{
    uint8_t *p = mem;

    memset(m, 0, sizeof(*m));
    /* The block is malloc-aligned; every area starts on 16 bytes. */
    m->txs = (struct smtp_tx *)(void *)p;
    p += smtp_round16((size_t)n_tx * sizeof(struct smtp_tx));
    m->mimes = (struct mime_state *)(void *)p;
    p += smtp_round16((size_t)n_mime * sizeof(struct mime_state));
    m->chunk_next = (uint32_t *)(void *)p;
    p += smtp_round16((size_t)n_chunks * sizeof(uint32_t));
    m->mime_next = (uint32_t *)(void *)p;
    p += smtp_round16((size_t)n_mime * sizeof(uint32_t));
    m->chunks = p;
    m->n_chunks = n_chunks;
    m->n_tx = n_tx;
    m->n_mime = n_mime;
    pool_list_init(&m->chunk_list, n_chunks);
    pool_list_init(&m->mime_list, n_mime);
    pool_list_init(&m->tx_list, n_tx);
}

void
smtp_parse_cfg_defaults(struct smtp_parse_cfg *c)
{
    memset(c, 0, sizeof(*c));
    c->max_tx = 256;
    c->max_rcpt = 1024;
    c->max_headers = 256;
    c->max_urls = 256;
    c->decode_mime = true;
    mime_cfg_defaults(&c->mime);
}

/* A chunk index, or UINT32_MAX when the pool is empty (counted). */
static uint32_t
smtp_chunk_alloc(struct smtp_mem *m)
{
    uint32_t i;

    i = pool_list_alloc(&m->chunk_list, m->chunk_next, sizeof(*m->chunk_next));
    if (i == 0) {
        m->ctr[SMTP_CTR_ARENA_EMPTY]++;
        return UINT32_MAX;
    }
    m->chunk_used++;
    return i - 1;
}

static void
smtp_chunk_free(struct smtp_mem *m, uint32_t i)
{
    SMTP_BUG_ON(i >= m->n_chunks || m->chunk_used == 0);
    pool_list_free(&m->chunk_list, m->chunk_next, sizeof(*m->chunk_next), i + 1);
    m->chunk_used--;
}

static uint8_t *
smtp_chunk_ptr(const struct smtp_mem *m, uint32_t i)
{
    return m->chunks + (size_t)i * SMTP_CHUNK;
}

/* n bytes (8-aligned) from tx's arena, NULL when n > SMTP_CHUNK or no chunk is left (counted). */
static uint8_t *
smtp_arena_alloc(struct smtp_conn *c, struct smtp_tx *tx, uint32_t n)
{
    struct smtp_arena *a = &tx->arena;
    uint8_t *p;

    n = (n + 7u) & ~7u;
    if (n > SMTP_CHUNK)
        return NULL;
    if (a->n == 0 || a->off + n > SMTP_CHUNK) {
        uint32_t ch;
        if (a->n == SMTP_TX_CHUNKS) {
            c->mem->ctr[SMTP_CTR_ARENA_EMPTY]++;
            return NULL;
        }
        ch = smtp_chunk_alloc(c->mem);
        if (ch == UINT32_MAX)
            return NULL;
        a->chunk[a->n++] = ch;
        a->off = 0;
    }
    p = smtp_chunk_ptr(c->mem, a->chunk[a->n - 1]) + a->off;
    a->off += n;
    return p;
}

/* A copy of s in tx's arena (cut at SMTP_CHUNK bytes: flagged and counted). */
static struct smtp_str
smtp_arena_dup(struct smtp_conn *c, struct smtp_tx *tx, const uint8_t *s, uint32_t n)
{
    struct smtp_str r = {NULL, 0};
    uint8_t *p;

    if (n > SMTP_CHUNK) {
        n = SMTP_CHUNK;
        tx->flags |= SMTP_TXF_TRUNC;
        c->mem->ctr[SMTP_CTR_FIELD_TRUNCATED]++;
    }
    p = smtp_arena_alloc(c, tx, n > 0 ? n : 1);
    if (p == NULL)
        return r;
    if (n > 0)
        memcpy(p, s, n);
    r.ptr = p;
    r.len = n;
    return r;
}

static bool
smtp_strlist_add(struct smtp_conn *c, struct smtp_tx *tx, struct smtp_strlist *l, const uint8_t *s,
                 uint32_t n)
{
    struct smtp_strnode *node =
            (struct smtp_strnode *)(void *)smtp_arena_alloc(c, tx, sizeof(*node));

    if (node == NULL)
        return false;
    node->s = smtp_arena_dup(c, tx, s, n);
    node->next = NULL;
    if (node->s.ptr == NULL)
        return false; /* the node's bytes stay in the arena until the tx goes */
    if (l->tail != NULL)
        l->tail->next = node;
    else
        l->head = node;
    l->tail = node;
    l->count++;
    return true;
}

/* ---------------------------------------------------------------- helpers */

static uint8_t
smtp_lower(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
}

/* s starts with lit (lower-case ASCII), any case. */
static bool
smtp_prefix(const uint8_t *s, uint32_t n, const char *lit)
{
    uint32_t i;

    for (i = 0; lit[i] != '\0'; i++)
        if (i >= n || smtp_lower(s[i]) != (uint8_t)lit[i])
            return false;
    return true;
}

static struct smtp_tx *
smtp_tx_at(const struct smtp_conn *c, uint32_t idx1)
{
    return idx1 != 0 ? &c->mem->txs[idx1 - 1] : NULL;
}

static uint32_t
smtp_tx_idx1(const struct smtp_conn *c, const struct smtp_tx *tx)
{
    return (uint32_t)(tx - c->mem->txs) + 1;
}

struct smtp_tx *
smtp_conn_tx_first(struct smtp_conn *c)
{
    return smtp_tx_at(c, c->tx_head);
}

struct smtp_tx *
smtp_conn_tx_next(struct smtp_conn *c, const struct smtp_tx *tx)
{
    return smtp_tx_at(c, tx->next);
}

static struct smtp_tx *
smtp_tx_find(struct smtp_conn *c, uint64_t id)
{
    struct smtp_tx *tx;

    for (tx = smtp_conn_tx_first(c); tx != NULL; tx = smtp_conn_tx_next(c, tx))
        if (tx->id == id)
            return tx;
    return NULL;
}

bool
smtp_tx_is_complete(const struct smtp_tx *tx)
{
    return (tx->flags & SMTP_TXF_COMPLETE) != 0;
}

/* The current transaction if it is still open for commands, else NULL. */
static struct smtp_tx *
smtp_cur_open(struct smtp_conn *c)
{
    struct smtp_tx *tx = smtp_tx_at(c, c->cur);

    if (tx == NULL || (tx->flags & (SMTP_TXF_MSG_DONE | SMTP_TXF_COMPLETE)))
        return NULL;
    return tx;
}

/* An event of the current transaction (dropped, counted, when there is none open). */
static void
smtp_event_tx(struct smtp_conn *c, struct smtp_tx *tx, enum smtp_event ev)
{
    if (tx == NULL || (tx->flags & SMTP_TXF_COMPLETE) || tx->n_events >= SMTP_TX_EVENTS) {
        c->mem->ctr[SMTP_CTR_EVENTS_DROPPED]++;
        return;
    }
    tx->events[tx->n_events++] = (uint8_t)ev;
}

static void
smtp_event(struct smtp_conn *c, enum smtp_event ev)
{
    struct smtp_tx *tx = smtp_tx_at(c, c->cur);

    smtp_event_tx(c, tx, ev);
}

static void
smtp_fatal(struct smtp_conn *c)
{
    if (!(c->flags & SMTP_CONN_ERROR))
        c->mem->ctr[SMTP_CTR_ERR_PARSER]++;
    c->flags |= SMTP_CONN_ERROR;
}

/* ---------------------------------------------------------------- MIME glue */

static struct smtp_tx *
smtp_mime_tx(struct smtp_conn *c)
{
    return smtp_tx_at(c, c->mime_tx);
}

static void
smtp_mime_header(void *ctx, const uint8_t *name, uint32_t nlen, const uint8_t *value, uint32_t vlen)
{
    struct smtp_conn *c = ctx;
    struct smtp_tx *tx = smtp_mime_tx(c);
    struct smtp_hdr *hd;

    if (tx == NULL)
        return;
    if (tx->hdrs.count >= c->cfg->max_headers) {
        c->mem->ctr[SMTP_CTR_HEADER_LIMIT]++;
        return;
    }
    hd = (struct smtp_hdr *)(void *)smtp_arena_alloc(c, tx, sizeof(*hd));
    if (hd == NULL)
        return;
    hd->name = smtp_arena_dup(c, tx, name, nlen);
    hd->value = smtp_arena_dup(c, tx, value, vlen);
    hd->next = NULL;
    if (hd->name.ptr == NULL || hd->value.ptr == NULL)
        return;
    if (tx->hdrs.tail != NULL)
        tx->hdrs.tail->next = hd;
    else
        tx->hdrs.head = hd;
    tx->hdrs.tail = hd;
    tx->hdrs.count++;
}

static void
smtp_mime_file_open(void *ctx, const uint8_t *name, uint32_t len)
{
    struct smtp_conn *c = ctx;
    struct smtp_tx *tx = smtp_mime_tx(c);
    struct smtp_file *f;

    c->mime_file = 0xff;
    if (tx == NULL)
        return;
    (void)smtp_strlist_add(c, tx, &tx->attachments, name, len);
    if (tx->n_files >= SMTP_TX_FILES) {
        c->mem->ctr[SMTP_CTR_FILES_LIMIT]++;
        return;
    }
    f = &tx->files[tx->n_files];
    memset(f, 0, sizeof(*f));
    f->state = SMTP_FILE_OPEN;
    f->name = tx->attachments.tail != NULL ? tx->attachments.tail->s
                                           : smtp_arena_dup(c, tx, name, len);
    c->mime_file = tx->n_files++;
    if (c->hooks != NULL && c->hooks->file_open != NULL)
        c->hooks->file_open(c->hooks->ctx, c, tx, f);
}

static void
smtp_mime_file_data(void *ctx, const uint8_t *p, uint32_t n)
{
    struct smtp_conn *c = ctx;
    struct smtp_tx *tx = smtp_mime_tx(c);
    struct smtp_file *f;

    if (tx == NULL || c->mime_file >= tx->n_files)
        return;
    f = &tx->files[c->mime_file];
    f->size += n;
    if (c->hooks != NULL && c->hooks->file_data != NULL)
        c->hooks->file_data(c->hooks->ctx, c, tx, f, p, n);
}

static void
smtp_mime_file_close(void *ctx, bool truncated)
{
    struct smtp_conn *c = ctx;
    struct smtp_tx *tx = smtp_mime_tx(c);
    struct smtp_file *f;

    if (tx == NULL || c->mime_file >= tx->n_files) {
        c->mime_file = 0xff;
        return;
    }
    f = &tx->files[c->mime_file];
    c->mime_file = 0xff;
    f->state = truncated ? SMTP_FILE_TRUNCATED : SMTP_FILE_CLOSED;
    if (c->hooks != NULL && c->hooks->file_close != NULL)
        c->hooks->file_close(c->hooks->ctx, c, tx, f);
}

static void
smtp_mime_url(void *ctx, const uint8_t *p, uint32_t n)
{
    struct smtp_conn *c = ctx;
    struct smtp_tx *tx = smtp_mime_tx(c);

    if (tx == NULL)
        return;
    if (tx->urls.count >= c->cfg->max_urls) {
        c->mem->ctr[SMTP_CTR_URL_LIMIT]++;
        return;
    }
    (void)smtp_strlist_add(c, tx, &tx->urls, p, n);
}

static void
smtp_mime_body(void *ctx, const uint8_t *p, uint32_t n)
{
    struct smtp_conn *c = ctx;
    struct smtp_tx *tx = smtp_mime_tx(c);

    if (tx != NULL && c->hooks != NULL && c->hooks->body != NULL)
        c->hooks->body(c->hooks->ctx, c, tx, p, n);
}

static void
smtp_mime_event(void *ctx, enum mime_event ev)
{
    static const uint8_t map[MIME_EV_COUNT] = {
            [MIME_EV_INVALID_BASE64] = SMTP_EV_MIME_INVALID_BASE64,
            [MIME_EV_INVALID_QP] = SMTP_EV_MIME_INVALID_QP,
            [MIME_EV_LONG_LINE] = SMTP_EV_MIME_LONG_LINE,
            [MIME_EV_LONG_ENC_LINE] = SMTP_EV_MIME_LONG_ENC_LINE,
            [MIME_EV_LONG_HEADER_NAME] = SMTP_EV_MIME_LONG_HEADER_NAME,
            [MIME_EV_LONG_HEADER_VALUE] = SMTP_EV_MIME_LONG_HEADER_VALUE,
            [MIME_EV_LONG_BOUNDARY] = SMTP_EV_MIME_LONG_BOUNDARY,
            [MIME_EV_LONG_FILENAME] = SMTP_EV_MIME_LONG_FILENAME,
    };
    struct smtp_conn *c = ctx;

    if ((unsigned)ev < MIME_EV_COUNT)
        smtp_event_tx(c, smtp_mime_tx(c), (enum smtp_event)map[ev]);
}

static const struct mime_hooks smtp_mime_hooks = {
        .ctx = NULL, /* set per call */
        .header = smtp_mime_header,
        .file_open = smtp_mime_file_open,
        .file_data = smtp_mime_file_data,
        .file_close = smtp_mime_file_close,
        .url = smtp_mime_url,
        .body = smtp_mime_body,
        .event = smtp_mime_event,
};

static struct mime_state *
smtp_mime_state(struct smtp_conn *c)
{
    return c->mime != 0 ? &c->mem->mimes[c->mime - 1] : NULL;
}

static void
smtp_mime_feed(struct smtp_conn *c, const uint8_t *p, uint32_t n)
{
    struct mime_state *m = smtp_mime_state(c);
    struct mime_hooks h = smtp_mime_hooks;

    if (m == NULL || n == 0)
        return;
    h.ctx = c;
    mime_parse(m, p, n, &h);
}

/* The message of the MIME state ends (truncated: cut short); the state goes back. */
static void
smtp_msg_end(struct smtp_conn *c, bool truncated)
{
    struct mime_state *m = smtp_mime_state(c);
    struct smtp_tx *tx = smtp_mime_tx(c);
    struct mime_hooks h = smtp_mime_hooks;

    if (m == NULL)
        return;
    h.ctx = c;
    mime_finish(m, &h, truncated);
    c->mem->ctr[SMTP_CTR_MIME_HEADER_TRUNCATED] += m->hdr_truncated;
    c->mem->ctr[SMTP_CTR_MIME_DEPTH_LIMIT] += m->depth_limited;
    c->mem->ctr[SMTP_CTR_URL_TRUNCATED] += m->urls_truncated;
    if (tx != NULL && c->hooks != NULL && c->hooks->body_end != NULL)
        c->hooks->body_end(c->hooks->ctx, c, tx);
    pool_list_free(&c->mem->mime_list, c->mem->mime_next, sizeof(*c->mem->mime_next), c->mime);
    c->mem->mime_used--;
    c->mime = 0;
    c->mime_tx = 0;
    c->mime_file = 0xff;
}

/* A message begins for tx (DATA or the first BDAT): a MIME state when decode-mime is on. */
static void
smtp_msg_begin(struct smtp_conn *c, struct smtp_tx *tx)
{
    struct smtp_mem *m = c->mem;
    uint32_t i;

    if (!c->cfg->decode_mime || tx == NULL)
        return;
    if (c->mime != 0 && c->mime_tx == smtp_tx_idx1(c, tx))
        return; /* the next BDAT chunk of the same message */
    smtp_msg_end(c, false);
    i = pool_list_alloc(&m->mime_list, m->mime_next, sizeof(*m->mime_next));
    if (i == 0) {
        m->ctr[SMTP_CTR_MIME_POOL_EMPTY]++;
        return;
    }
    i--;
    m->mime_used++;
    mime_init(&m->mimes[i], &c->cfg->mime);
    c->mime = i + 1;
    c->mime_tx = smtp_tx_idx1(c, tx);
    c->mime_file = 0xff;
    tx->flags |= SMTP_TXF_MIME;
}

/* ---------------------------------------------------------------- transactions */

static void
smtp_tx_complete(struct smtp_conn *c, struct smtp_tx *tx)
{
    if (tx == NULL || (tx->flags & SMTP_TXF_COMPLETE))
        return;
    if (c->mime != 0 && c->mime_tx == smtp_tx_idx1(c, tx))
        smtp_msg_end(c, false);
    tx->flags |= SMTP_TXF_COMPLETE;
}

static void
smtp_complete_all(struct smtp_conn *c, bool truncated)
{
    struct smtp_tx *tx;

    smtp_msg_end(c, truncated);
    for (tx = smtp_conn_tx_first(c); tx != NULL; tx = smtp_conn_tx_next(c, tx))
        smtp_tx_complete(c, tx);
}

/*
 * The transaction a command goes to: the current one while it is open;
 * else a new one, except for RSET and QUIT after one ended (they belong
 * to it: NULL). NULL with SMTP_CONN_ERROR when none can be had.
 */
static struct smtp_tx *
smtp_cmd_tx(struct smtp_conn *c, uint8_t kind)
{
    struct smtp_mem *m = c->mem;
    struct smtp_tx *tx = smtp_cur_open(c);
    uint32_t i;

    if (tx != NULL)
        return tx;
    if ((kind == SMTP_CMD_RSET || kind == SMTP_CMD_QUIT) && c->tx_cnt > 0)
        return NULL;
    if (c->tx_cnt >= c->cfg->max_tx) {
        m->ctr[SMTP_CTR_TX_LIMIT]++;
        smtp_fatal(c);
        return NULL;
    }
    i = pool_list_alloc(&m->tx_list, &m->txs[0].next, sizeof(m->txs[0]));
    if (i == 0) {
        m->ctr[SMTP_CTR_TX_POOL_EMPTY]++;
        smtp_fatal(c);
        return NULL;
    }
    i--;
    m->tx_used++;
    tx = &m->txs[i];
    memset(tx, 0, sizeof(*tx));
    tx->id = c->tx_cnt++;
    if (c->tx_tail != 0)
        m->txs[c->tx_tail - 1].next = i + 1;
    else
        c->tx_head = i + 1;
    c->tx_tail = i + 1;
    c->n_live++;
    c->cur = i + 1;
    c->last_id = tx->id;
    m->ctr[SMTP_CTR_TX]++;
    return tx;
}

void
smtp_tx_release(struct smtp_conn *c, struct smtp_tx *tx)
{
    struct smtp_mem *m = c->mem;
    uint32_t idx1 = smtp_tx_idx1(c, tx), prev = 0, it;
    uint8_t i;

    if (c->mime != 0 && c->mime_tx == idx1)
        smtp_msg_end(c, true);
    for (it = c->tx_head; it != 0 && it != idx1; it = m->txs[it - 1].next)
        prev = it;
    SMTP_BUG_ON(it == 0);
    if (it == 0)
        return;
    if (prev != 0)
        m->txs[prev - 1].next = tx->next;
    else
        c->tx_head = tx->next;
    if (c->tx_tail == idx1)
        c->tx_tail = prev;
    if (c->cur == idx1)
        c->cur = 0;
    c->n_live--;
    for (i = 0; i < tx->arena.n; i++)
        smtp_chunk_free(m, tx->arena.chunk[i]);
    memset(tx, 0, sizeof(*tx));
    pool_list_free(&m->tx_list, &m->txs[0].next, sizeof(m->txs[0]), idx1);
    m->tx_used--;
}

const struct smtp_hdr *
smtp_tx_header(const struct smtp_tx *tx, const char *name)
{
    const struct smtp_hdr *h;
    size_t n = strlen(name), i;

    for (h = tx->hdrs.head; h != NULL; h = h->next) {
        if (h->name.len != n)
            continue;
        for (i = 0; i < n; i++)
            if (smtp_lower(h->name.ptr[i]) != smtp_lower((uint8_t)name[i]))
                break;
        if (i == n)
            return h;
    }
    return NULL;
}

struct smtp_str
smtp_conn_helo(const struct smtp_conn *c)
{
    return c->helo;
}

/* ---------------------------------------------------------------- command queue */

static void
smtp_queue(struct smtp_conn *c, uint8_t kind, uint8_t flags, const struct smtp_tx *tx)
{
    struct smtp_cmd *last = NULL;
    uint64_t id = tx != NULL ? tx->id : c->last_id;
    bool has_tx = tx != NULL || c->tx_cnt > 0;

    if (c->q_len > 0) {
        last = &c->q[(c->q_head + c->q_len - 1) % SMTP_CMDQ];
        /* RFC 2920 3.1: DATA and STARTTLS end a pipelined group */
        if (last->kind == SMTP_CMD_STARTTLS || last->kind == SMTP_CMD_DATA)
            smtp_event(c, SMTP_EV_INVALID_PIPELINED_SEQUENCE);
        if (kind == SMTP_CMD_OTHER && last->kind == SMTP_CMD_OTHER && last->tx_id == id &&
            last->has_tx == has_tx && last->count < UINT16_MAX) {
            last->count++;
            return;
        }
    }
    if (c->q_len == SMTP_CMDQ) {
        c->mem->ctr[SMTP_CTR_CMDQ_FULL]++;
        return;
    }
    last = &c->q[(c->q_head + c->q_len) % SMTP_CMDQ];
    last->kind = kind;
    last->flags = flags;
    last->count = 1;
    last->tx_id = id;
    last->has_tx = has_tx;
    c->q_len++;
}

static void
smtp_dequeue(struct smtp_conn *c)
{
    struct smtp_cmd *e = &c->q[c->q_head];

    if (e->count > 1) {
        e->count--;
        return;
    }
    c->q_head = (uint8_t)((c->q_head + 1) % SMTP_CMDQ);
    c->q_len--;
}

/* ---------------------------------------------------------------- client commands */

static uint8_t
smtp_classify(const struct smtp_conn *c, const uint8_t *s, uint32_t n)
{
    if (c->mode == SMTP_MODE_SASL)
        return SMTP_CMD_SASL;
    if (smtp_prefix(s, n, "starttls"))
        return SMTP_CMD_STARTTLS;
    if (smtp_prefix(s, n, "data"))
        return SMTP_CMD_DATA;
    if (smtp_prefix(s, n, "bdat"))
        return SMTP_CMD_BDAT;
    if (smtp_prefix(s, n, "helo") || smtp_prefix(s, n, "ehlo"))
        return SMTP_CMD_HELO;
    if (smtp_prefix(s, n, "mail from"))
        return SMTP_CMD_MAIL;
    if (smtp_prefix(s, n, "rcpt to"))
        return SMTP_CMD_RCPT;
    if (smtp_prefix(s, n, "rset"))
        return SMTP_CMD_RSET;
    if (smtp_prefix(s, n, "quit"))
        return SMTP_CMD_QUIT;
    if (smtp_prefix(s, n, "auth"))
        return SMTP_CMD_AUTH;
    return SMTP_CMD_OTHER;
}

static uint8_t *
smtp_cap_buf(struct smtp_conn *c, const struct smtp_dir *d, uint32_t *room)
{
    switch (d->cap) {
    case SMTP_CAP_CHUNK:
        *room = SMTP_CHUNK;
        return smtp_chunk_ptr(c->mem, c->cap_chunk - 1);
    case SMTP_CAP_BDAT:
        *room = SMTP_ARG_MAX;
        return c->arg;
    case SMTP_CAP_AUTH:
        *room = SMTP_ARG_MAX;
        return c->auth_mech;
    default:
        *room = 0;
        return NULL;
    }
}

/* Byte b at offset pos of the line, through the value scanner. */
static void
smtp_cap_byte(struct smtp_conn *c, struct smtp_dir *d, uint8_t b, uint32_t pos)
{
    uint32_t room;
    uint8_t *buf;

    if (d->cap == SMTP_CAP_NONE || pos < d->cap_skip || d->cap_st == SMTP_CS_DONE)
        return;
    if (d->cap_st == SMTP_CS_SPACE) {
        if (b == ' ')
            return;
        d->cap_st = SMTP_CS_VALUE;
    }
    if (d->cap_st == SMTP_CS_VALUE && b == ' ') {
        d->cap_st = SMTP_CS_DONE;
        return;
    }
    buf = smtp_cap_buf(c, d, &room);
    if (d->cap_len >= room) {
        d->cap_cut = true;
        return;
    }
    buf[d->cap_len++] = b;
}

/* The line's command is known (look[] is full, or the line ended): set up its value. */
static void
smtp_cmd_classify(struct smtp_conn *c, struct smtp_dir *d)
{
    uint32_t i;

    d->kind = smtp_classify(c, d->look, d->look_len);
    d->cap = SMTP_CAP_NONE;
    d->cap_st = SMTP_CS_SPACE;
    d->cap_len = 0;
    d->cap_cut = false;
    switch (d->kind) {
    case SMTP_CMD_HELO:
    case SMTP_CMD_MAIL:
    case SMTP_CMD_RCPT:
        /* Suricata's prefix_len + 1: "helo", "mail from", "rcpt to" and one byte */
        d->cap_skip = d->kind == SMTP_CMD_HELO ? 5 : d->kind == SMTP_CMD_MAIL ? 10 : 8;
        if (c->cap_chunk == 0) {
            uint32_t ch = smtp_chunk_alloc(c->mem);
            if (ch == UINT32_MAX)
                break;
            c->cap_chunk = ch + 1;
        }
        d->cap = SMTP_CAP_CHUNK;
        break;
    case SMTP_CMD_BDAT:
        d->cap = SMTP_CAP_BDAT;
        d->cap_skip = 4;
        d->cap_st = SMTP_CS_RAW;
        break;
    case SMTP_CMD_AUTH:
        d->cap = SMTP_CAP_AUTH;
        d->cap_skip = 5;
        break;
    default:
        break;
    }
    for (i = 0; i < d->look_len; i++)
        smtp_cap_byte(c, d, d->look[i], i);
}

/* RFC 3030 2: "BDAT" 1*SP size [1*SP "LAST"]; false when it does not parse. */
static bool
smtp_bdat_parse(const uint8_t *s, uint32_t n, bool cut, uint64_t *size, bool *last)
{
    uint32_t i = 0;
    uint64_t v = 0;

    if (cut || n == 0 || s[0] != ' ')
        return false;
    while (i < n && s[i] == ' ')
        i++;
    if (i == n || s[i] < '0' || s[i] > '9')
        return false;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
        if (v > (UINT64_MAX - 9) / 10)
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *size = v;
    *last = false;
    if (i == n)
        return true;
    if (s[i] != ' ')
        return false;
    while (i < n && s[i] == ' ')
        i++;
    if (i + 4 > n || !smtp_prefix(s + i, 4, "last"))
        return false;
    i += 4;
    while (i < n && s[i] == ' ')
        i++;
    *last = true;
    return i == n;
}

/* The end of a message sent with DATA or BDAT: its reply ends the transaction. */
static void
smtp_msg_done(struct smtp_conn *c, uint8_t kind)
{
    struct smtp_tx *tx = smtp_tx_at(c, c->cur);

    c->mode = SMTP_MODE_CMD;
    if (tx != NULL && c->mime_tx == smtp_tx_idx1(c, tx))
        smtp_msg_end(c, false);
    if (kind == SMTP_CMD_DATA_MODE)
        smtp_queue(c, SMTP_CMD_DATA_MODE, 0, tx);
    if (tx != NULL)
        tx->flags |= SMTP_TXF_MSG_DONE;
}

static void
smtp_cmd_bdat(struct smtp_conn *c, struct smtp_tx *tx, const struct smtp_dir *d)
{
    uint64_t size = 0;
    bool last = false;

    if (!smtp_bdat_parse(c->arg, d->cap_len, d->cap_cut, &size, &last)) {
        /* 8.0.7: an event, and the command still waits for its reply */
        smtp_event(c, SMTP_EV_INVALID_BDAT);
        smtp_queue(c, SMTP_CMD_BDAT, 0, tx);
        return;
    }
    if (tx == NULL)
        return;
    tx->flags |= SMTP_TXF_BDAT;
    smtp_msg_begin(c, tx);
    smtp_queue(c, last ? SMTP_CMD_BDAT_LAST : SMTP_CMD_BDAT, 0, tx);
    if (size > 0) {
        c->mode = SMTP_MODE_BDAT;
        c->bdat_left = size;
        c->bdat_last = last;
    } else if (last) {
        smtp_msg_done(c, SMTP_CMD_BDAT_LAST);
    }
}

/* HELO/EHLO: the first name is kept; a repeat may reset the envelope when accepted. */
static void
smtp_cmd_helo(struct smtp_conn *c, struct smtp_tx *tx, const struct smtp_dir *d)
{
    uint8_t flags = 0;

    if (c->helo.ptr != NULL) {
        smtp_event(c, SMTP_EV_DUPLICATE_FIELDS);
        if (tx != NULL && (tx->mail_from.ptr != NULL || tx->rcpt.count > 0 ||
                           (tx->flags & (SMTP_TXF_DATA | SMTP_TXF_BDAT))))
            flags = SMTP_CMDF_RESET;
    } else if (d->cap == SMTP_CAP_CHUNK) {
        /* the scratch chunk becomes the HELO chunk */
        c->helo_chunk = c->cap_chunk;
        c->cap_chunk = 0;
        c->helo.ptr = smtp_chunk_ptr(c->mem, c->helo_chunk - 1);
        c->helo.len = d->cap_len;
    }
    smtp_queue(c, SMTP_CMD_HELO, flags, tx);
}

/* A complete command line (cut: it reached SMTP_LINE_MAX). */
static void
smtp_cmd_line(struct smtp_conn *c, bool cut)
{
    struct smtp_dir *d = &c->d[APP_DIR_TOSERVER];
    const uint8_t *val;
    struct smtp_tx *tx;
    uint8_t kind;

    if (!cut && d->line_len > 0 && d->last == '\r') {
        /* the CR of CRLF is not content */
        d->line_len--;
        if (d->look_len > d->line_len)
            d->look_len = (uint8_t)d->line_len;
        if (d->cap != SMTP_CAP_NONE && d->cap_len > 0 && d->cap_st != SMTP_CS_DONE && !d->cap_cut &&
            d->line_len >= d->cap_skip) {
            uint32_t room;
            const uint8_t *b = smtp_cap_buf(c, d, &room);
            if (b[d->cap_len - 1] == '\r')
                d->cap_len--;
        }
    }
    if (d->kind == SMTP_CMD_NONE)
        smtp_cmd_classify(c, d);
    kind = d->kind;
    tx = smtp_cmd_tx(c, kind);
    if (c->flags & SMTP_CONN_ERROR)
        goto out;
    if (cut)
        smtp_event(c, SMTP_EV_TRUNCATED_LINE);
    if (!(c->flags & SMTP_CONN_FIRST_REPLY))
        smtp_event(c, SMTP_EV_NO_SERVER_WELCOME_MESSAGE);
    val = d->cap == SMTP_CAP_CHUNK ? smtp_chunk_ptr(c->mem, c->cap_chunk - 1) : NULL;
    switch (kind) {
    case SMTP_CMD_STARTTLS:
        smtp_queue(c, SMTP_CMD_STARTTLS, 0, tx);
        break;
    case SMTP_CMD_DATA:
        if (tx == NULL)
            break;
        if (tx->flags & SMTP_TXF_DATA) {
            /* DATA again without its reply: Suricata drops the command */
            smtp_event(c, SMTP_EV_UNPARSABLE_CONTENT);
            break;
        }
        tx->flags |= SMTP_TXF_DATA;
        smtp_msg_begin(c, tx);
        if (c->flags & SMTP_CONN_PIPELINING) {
            /* Suricata enters data mode at once when the server pipelines */
            c->mode = SMTP_MODE_DATA;
            c->dot = SMTP_DOT_BOL;
        }
        smtp_queue(c, SMTP_CMD_DATA, 0, tx);
        break;
    case SMTP_CMD_BDAT:
        smtp_cmd_bdat(c, tx, d);
        break;
    case SMTP_CMD_HELO:
        smtp_cmd_helo(c, tx, d);
        break;
    case SMTP_CMD_MAIL:
        if (tx != NULL && tx->mail_from.ptr != NULL)
            smtp_event(c, SMTP_EV_DUPLICATE_FIELDS);
        else if (tx != NULL)
            tx->mail_from = smtp_arena_dup(c, tx, val != NULL ? val : (const uint8_t *)"",
                                           val != NULL ? d->cap_len : 0);
        smtp_queue(c, SMTP_CMD_OTHER, 0, tx);
        break;
    case SMTP_CMD_RCPT:
        if (tx != NULL && tx->rcpt.count >= c->cfg->max_rcpt)
            c->mem->ctr[SMTP_CTR_RCPT_LIMIT]++;
        else if (tx != NULL)
            (void)smtp_strlist_add(c, tx, &tx->rcpt, val != NULL ? val : (const uint8_t *)"",
                                   val != NULL ? d->cap_len : 0);
        smtp_queue(c, SMTP_CMD_OTHER, 0, tx);
        break;
    case SMTP_CMD_RSET:
        smtp_queue(c, SMTP_CMD_RSET, 0, tx);
        break;
    case SMTP_CMD_AUTH:
        c->auth_len = (uint8_t)d->cap_len;
        smtp_queue(c, SMTP_CMD_AUTH, 0, tx);
        break;
    case SMTP_CMD_SASL:
        /* credentials: counted, never kept */
        c->mem->ctr[SMTP_CTR_SASL_LINES]++;
        c->mode = SMTP_MODE_CMD;
        smtp_queue(c, SMTP_CMD_SASL, 0, tx);
        break;
    default:
        smtp_queue(c, SMTP_CMD_OTHER, 0, tx);
        break;
    }
out:
    if (kind == SMTP_CMD_SASL || kind == SMTP_CMD_AUTH)
        memset(d->look, 0, sizeof(d->look));
    d->line_len = 0;
    d->look_len = 0;
    d->kind = SMTP_CMD_NONE;
    d->cap = SMTP_CAP_NONE;
    d->cap_len = 0;
    d->last = 0;
    if (cut) {
        c->mem->ctr[SMTP_CTR_LINE_LIMIT]++;
        d->discard = 1;
    }
}

/* Command (or SASL) lines; returns the bytes used (less when the mode changed). */
static uint32_t
smtp_cmd_bytes(struct smtp_conn *c, const uint8_t *p, uint32_t n)
{
    struct smtp_dir *d = &c->d[APP_DIR_TOSERVER];
    uint32_t i;

    for (i = 0; i < n; i++) {
        uint8_t b = p[i];
        if (c->mode != SMTP_MODE_CMD && c->mode != SMTP_MODE_SASL)
            return i;
        if (c->flags & (SMTP_CONN_ERROR | SMTP_CONN_TLS))
            return n;
        if (d->discard) {
            if (b == '\n')
                d->discard = 0;
            continue;
        }
        if (b == '\n') {
            smtp_cmd_line(c, false);
            continue;
        }
        d->last = b;
        if (d->look_len < SMTP_LOOK) {
            d->look[d->look_len++] = b;
            d->line_len++;
            if (d->look_len == SMTP_LOOK && d->kind == SMTP_CMD_NONE)
                smtp_cmd_classify(c, d);
        } else {
            smtp_cap_byte(c, d, b, d->line_len);
            d->line_len++;
        }
        if (d->line_len >= SMTP_LINE_MAX)
            smtp_cmd_line(c, true);
    }
    return n;
}

/* DATA content: dot-unstuffed to MIME up to CRLF "." CRLF. */
static uint32_t
smtp_data_bytes(struct smtp_conn *c, const uint8_t *p, uint32_t n)
{
    uint32_t i, from = 0;

    for (i = 0; i < n; i++) {
        uint8_t b = p[i];
        switch (c->dot) {
        case SMTP_DOT_BOL:
            if (b == '.') {
                smtp_mime_feed(c, p + from, i - from);
                from = i + 1;
                c->dot = SMTP_DOT_DOT;
            } else {
                c->dot = b == '\n' ? SMTP_DOT_BOL : SMTP_DOT_MID;
            }
            break;
        case SMTP_DOT_DOT:
            if (b == '\r') {
                from = i + 1;
                c->dot = SMTP_DOT_CR;
            } else if (b == '\n') {
                smtp_msg_done(c, SMTP_CMD_DATA_MODE);
                return i + 1;
            } else {
                c->dot = SMTP_DOT_MID; /* the leading dot was stuffing */
            }
            break;
        case SMTP_DOT_CR:
            if (b == '\n') {
                smtp_msg_done(c, SMTP_CMD_DATA_MODE);
                return i + 1;
            }
            smtp_mime_feed(c, (const uint8_t *)"\r", 1);
            from = i;
            c->dot = SMTP_DOT_MID;
            break;
        default:
            if (b == '\n')
                c->dot = SMTP_DOT_BOL;
            break;
        }
    }
    if (c->dot != SMTP_DOT_CR && c->dot != SMTP_DOT_DOT)
        smtp_mime_feed(c, p + from, n - from);
    return n;
}

/* BDAT chunk octets. */
static uint32_t
smtp_bdat_bytes(struct smtp_conn *c, const uint8_t *p, uint32_t n)
{
    uint32_t k = c->bdat_left < n ? (uint32_t)c->bdat_left : n;

    smtp_mime_feed(c, p, k);
    c->bdat_left -= k;
    if (c->bdat_left == 0) {
        c->mode = SMTP_MODE_CMD;
        if (c->bdat_last)
            smtp_msg_done(c, SMTP_CMD_BDAT_LAST);
    }
    return k;
}

static void
smtp_toserver(struct smtp_conn *c, const uint8_t *p, uint32_t n)
{
    uint32_t i = 0;

    while (i < n && !(c->flags & (SMTP_CONN_ERROR | SMTP_CONN_TLS))) {
        switch (c->mode) {
        case SMTP_MODE_DATA:
            i += smtp_data_bytes(c, p + i, n - i);
            break;
        case SMTP_MODE_BDAT:
            i += smtp_bdat_bytes(c, p + i, n - i);
            break;
        default:
            i += smtp_cmd_bytes(c, p + i, n - i);
            break;
        }
    }
}

/* ---------------------------------------------------------------- server replies */

/* A complete reply line (cut: it reached SMTP_LINE_MAX). Returns false on STARTTLS accepted. */
static bool
smtp_reply_line(struct smtp_conn *c, bool cut)
{
    struct smtp_dir *d = &c->d[APP_DIR_TOCLIENT];
    uint32_t n = d->line_len;
    const uint8_t *s = d->look;
    struct smtp_cmd *e;
    bool last;
    int code;

    if (!cut && n > 0 && d->last == '\r')
        n--;
    d->line_len = 0;
    d->look_len = 0;
    d->last = 0;
    if (cut) {
        smtp_event(c, SMTP_EV_TRUNCATED_LINE);
        c->mem->ctr[SMTP_CTR_LINE_LIMIT]++;
        d->discard = 1;
    }
    if (n == 0)
        return true;
    if (n < 3 || s[0] < '2' || s[0] > '5' || s[1] < '0' || s[1] > '9' || s[2] < '0' || s[2] > '9') {
        smtp_event(c, SMTP_EV_INVALID_REPLY);
        return true;
    }
    code = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
    last = n < 4 || s[3] != '-';
    if (last)
        c->flags &= ~SMTP_CONN_MULTILINE;
    else
        c->flags |= SMTP_CONN_MULTILINE;
    if (c->q_len == 0) {
        if (!(c->flags & SMTP_CONN_FIRST_REPLY)) {
            /* the greeting, possibly over several lines */
            if (last)
                c->flags |= SMTP_CONN_FIRST_REPLY;
            if (code != 220)
                smtp_event(c, SMTP_EV_INVALID_REPLY);
        } else {
            c->mem->ctr[SMTP_CTR_REPLY_UNMATCHED]++;
        }
        return true;
    }
    e = &c->q[c->q_head];
    switch (e->kind) {
    case SMTP_CMD_STARTTLS:
        if (code == 220) {
            c->mem->ctr[SMTP_CTR_STARTTLS]++;
            c->flags |= SMTP_CONN_TLS;
            smtp_complete_all(c, true);
            return false;
        }
        smtp_event(c, SMTP_EV_TLS_REJECTED);
        break;
    case SMTP_CMD_DATA:
        if (code == 354) {
            if (c->mode == SMTP_MODE_CMD) {
                c->mode = SMTP_MODE_DATA;
                c->dot = SMTP_DOT_BOL;
            }
        } else {
            if ((c->flags & SMTP_CONN_PIPELINING) && c->mode == SMTP_MODE_DATA)
                c->mode = SMTP_MODE_CMD; /* entered too early */
            smtp_event(c, SMTP_EV_DATA_COMMAND_REJECTED);
        }
        break;
    case SMTP_CMD_RSET:
        if (code == 250 && last && e->has_tx)
            smtp_tx_complete(c, smtp_tx_find(c, e->tx_id));
        break;
    case SMTP_CMD_DATA_MODE:
    case SMTP_CMD_BDAT_LAST:
        if (last && e->has_tx)
            smtp_tx_complete(c, smtp_tx_find(c, e->tx_id));
        break;
    case SMTP_CMD_HELO:
        if (last && code / 100 == 2 && (e->flags & SMTP_CMDF_RESET) && e->has_tx)
            smtp_tx_complete(c, smtp_tx_find(c, e->tx_id));
        break;
    case SMTP_CMD_AUTH:
    case SMTP_CMD_SASL:
        if (last && code == 334 && c->mode == SMTP_MODE_CMD)
            c->mode = SMTP_MODE_SASL;
        else if (last && code != 334 && c->mode == SMTP_MODE_SASL)
            c->mode = SMTP_MODE_CMD;
        break;
    default:
        break;
    }
    if (last) {
        smtp_dequeue(c);
    } else if ((c->flags & SMTP_CONN_FIRST_REPLY) && code == 250 && n == 14 &&
               smtp_prefix(s + 4, 10, "pipelining")) {
        c->flags |= SMTP_CONN_PIPELINING;
    }
    return true;
}

/* Reply bytes; returns the bytes used (less after STARTTLS was accepted). */
static uint32_t
smtp_toclient(struct smtp_conn *c, const uint8_t *p, uint32_t n)
{
    struct smtp_dir *d = &c->d[APP_DIR_TOCLIENT];
    uint32_t i;

    for (i = 0; i < n && !(c->flags & SMTP_CONN_ERROR); i++) {
        uint8_t b = p[i];
        if (d->discard) {
            if (b == '\n')
                d->discard = 0;
            continue;
        }
        if (b == '\n') {
            if (!smtp_reply_line(c, false))
                return i + 1;
            continue;
        }
        d->last = b;
        if (d->look_len < SMTP_LOOK)
            d->look[d->look_len++] = b;
        d->line_len++;
        if (d->line_len >= SMTP_LINE_MAX && !smtp_reply_line(c, true))
            return i + 1;
    }
    return n;
}

/* ---------------------------------------------------------------- API */

void
smtp_conn_init(struct smtp_conn *c, struct smtp_mem *m, const struct smtp_parse_cfg *cfg,
               const struct smtp_hooks *hooks)
{
    memset(c, 0, sizeof(*c));
    c->mem = m;
    c->cfg = cfg;
    c->hooks = hooks;
    c->mime_file = 0xff;
}

struct app_res
smtp_parse(struct smtp_conn *c, int dir, const uint8_t *data, uint32_t len, uint32_t flags)
{
    struct app_res r = {APP_OK, len, 0};

    if (c->flags & (SMTP_CONN_ERROR | SMTP_CONN_TLS)) {
        r.status = (c->flags & SMTP_CONN_ERROR) ? APP_ERROR : APP_OK;
        return r;
    }
    if (flags & APP_FLAG_GAP) {
        /* Suricata's SMTP parser takes no gaps: the app layer stops for the flow */
        c->mem->ctr[SMTP_CTR_ERR_GAP]++;
        c->flags |= SMTP_CONN_ERROR;
        smtp_complete_all(c, true);
        r.status = APP_ERROR;
        return r;
    }
    if (data != NULL && len > 0) {
        if (dir == APP_DIR_TOSERVER)
            smtp_toserver(c, data, len);
        else
            r.consumed = smtp_toclient(c, data, len);
    }
    if ((flags & APP_FLAG_EOF) && !(c->flags & SMTP_CONN_TLS)) {
        if (dir == APP_DIR_TOSERVER) {
            c->flags |= SMTP_CONN_EOF_TS;
            /* a message still open is cut short */
            if (c->mode == SMTP_MODE_DATA || c->mode == SMTP_MODE_BDAT)
                smtp_msg_end(c, true);
        } else {
            c->flags |= SMTP_CONN_EOF_TC;
        }
        if ((c->flags & SMTP_CONN_EOF_TS) && (c->flags & SMTP_CONN_EOF_TC))
            smtp_complete_all(c, true);
    }
    if (c->flags & SMTP_CONN_ERROR)
        r.status = APP_ERROR;
    return r;
}

void
smtp_conn_finish(struct smtp_conn *c)
{
    smtp_complete_all(c, true);
}

void
smtp_conn_fini(struct smtp_conn *c)
{
    struct smtp_tx *tx;

    smtp_msg_end(c, true);
    while ((tx = smtp_conn_tx_first(c)) != NULL)
        smtp_tx_release(c, tx);
    if (c->cap_chunk != 0)
        smtp_chunk_free(c->mem, c->cap_chunk - 1);
    if (c->helo_chunk != 0)
        smtp_chunk_free(c->mem, c->helo_chunk - 1);
    c->cap_chunk = 0;
    c->helo_chunk = 0;
    c->helo.ptr = NULL;
    c->helo.len = 0;
}
