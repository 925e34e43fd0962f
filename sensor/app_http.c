/*
 * app_http.c - HTTP/1.x glue of a worker: per-flow parser states from a
 * fixed pool, stream bytes to decoders/app_http.c, and after each piece
 * the records Suricata 8 writes for the transactions it touched, in its
 * order (output-tx.c: per transaction, new anomalies, closed files, then
 * the http record once both sides are complete).
 *
 * Memory: one block for the transaction and arena pools, one array of
 * per-flow states with a free list, one escape buffer, all allocated in
 * app_http_ctx_create(). A flow holds its state as f->app_state (index + 1).
 */
#include "app_http.h"

#include <stdlib.h>
#include <string.h>

#include "../decoders/app_http.h"
#include "app_detect.h"
#include "app_http_range.h"
#include "app_state.h"
#include "out_eve.h"
#include "stats.h"

struct app_http_ctx {
    struct app_http_cfg cfg;
    struct http_parse_cfg pcfg;
    struct eve *eve;
    uint64_t *ctr; /* the worker's counters (mirrored by app_http_sync) */
    struct http_mem mem;
    void *block;                 /* behind mem */
    struct app_state_pool conns; /* struct http_conn, one per followed flow */
    bool files, http, anomaly;   /* some output has the type */
    char *esc;                   /* EVE_HTTP_ESC_MAX bytes */
    app_http_detect_fn detect;   /* transaction detection, or NULL */
    void *detect_ctx;
    struct app_http_range *range; /* byte ranges joined into files, or NULL */
};

void
app_http_cfg_defaults(struct app_http_cfg *c)
{
    struct http_parse_cfg p;

    http_parse_cfg_defaults(&p);
    memset(c, 0, sizeof(*c));
    c->max_line = p.max_line;
    c->max_headers = p.max_headers;
    c->max_tx_per_flow = p.max_tx;
    c->req_body_limit = p.req_body_limit;
    c->resp_body_limit = p.resp_body_limit;
    c->flows = 4096;
    c->tx_pool = c->flows;
    c->arena_small = 2 * c->flows;
    c->arena_large = 64;
    c->range_containers = 64;
}

struct app_http_ctx *
app_http_ctx_create(const struct app_http_cfg *cfg, struct eve *eve, uint64_t *ctr)
{
    struct app_http_ctx *x = calloc(1, sizeof(*x));

    if (x == NULL)
        return NULL;
    x->cfg = *cfg;
    if (x->cfg.flows == 0)
        x->cfg.flows = 1;
    if (x->cfg.tx_pool == 0)
        x->cfg.tx_pool = x->cfg.flows;
    if (x->cfg.max_tx_per_flow == 0)
        x->cfg.max_tx_per_flow = 1;
    x->pcfg.max_line = cfg->max_line;
    x->pcfg.max_headers = cfg->max_headers;
    x->pcfg.max_tx = x->cfg.max_tx_per_flow;
    x->pcfg.req_body_limit = cfg->req_body_limit;
    x->pcfg.resp_body_limit = cfg->resp_body_limit;
    x->eve = eve;
    x->ctr = ctr;
    x->block = malloc(http_mem_size(x->cfg.arena_small, x->cfg.arena_large, x->cfg.tx_pool));
    x->esc = malloc(EVE_HTTP_ESC_MAX);
    if (x->cfg.range_containers > 0)
        x->range = app_http_range_create(x->cfg.range_containers, ctr);
    if (app_state_pool_init(&x->conns, x->cfg.flows, sizeof(struct http_conn)) < 0 ||
        x->block == NULL || x->esc == NULL || (x->cfg.range_containers > 0 && x->range == NULL)) {
        app_http_ctx_destroy(x);
        return NULL;
    }
    http_mem_init(&x->mem, x->block, x->cfg.arena_small, x->cfg.arena_large, x->cfg.tx_pool);
    if (eve != NULL) {
        x->files = eve_has_type(eve, EVE_TYPE_FILES);
        x->http = eve_has_type(eve, EVE_TYPE_HTTP);
        x->anomaly = eve_has_type(eve, EVE_TYPE_ANOMALY);
    }
    return x;
}

void
app_http_ctx_destroy(struct app_http_ctx *x)
{
    uint32_t i;

    if (x == NULL)
        return;
    /* states still held by flows give their transactions back first */
    if (x->block != NULL)
        for (i = 1; i <= app_state_pool_touched(&x->conns); i++) {
            struct http_conn *c = app_state_pool_at(&x->conns, i);
            if (c->mem != NULL)
                http_conn_fini(c);
        }
    free(x->block);
    app_state_pool_fini(&x->conns);
    free(x->esc);
    app_http_range_destroy(x->range);
    free(x);
}

void
app_http_set_detect(struct app_http_ctx *x, app_http_detect_fn fn, void *ctx)
{
    x->detect = fn;
    x->detect_ctx = ctx;
}

const uint64_t *
app_http_ctx_counters(const struct app_http_ctx *x)
{
    return x->mem.ctr;
}

const struct http_mem *
app_http_ctx_mem(const struct app_http_ctx *x)
{
    return &x->mem;
}

struct http_conn *
app_http_conn_of(struct app_http_ctx *x, const struct flow *f)
{
    return app_state_pool_of(&x->conns, f);
}

/* The parser counts in its own array; the worker's counters mirror it. */
static void
app_http_sync(struct app_http_ctx *x)
{
    static const unsigned ids[HTTP_CTR_COUNT] = {
            [HTTP_CTR_FLOWS] = STAT_APP_LAYER_FLOW_HTTP,
            [HTTP_CTR_TX] = STAT_APP_LAYER_TX_HTTP,
            [HTTP_CTR_ERR_PARSER] = STAT_APP_LAYER_ERROR_HTTP_PARSER,
            [HTTP_CTR_GAP_IGNORED] = STAT_HTTP_GAP_IGNORED,
            [HTTP_CTR_FILES_LIMIT] = STAT_HTTP_FILES_LIMIT,
            [HTTP_CTR_STATE_POOL_EMPTY] = STAT_HTTP_STATE_POOL_EMPTY,
            [HTTP_CTR_TX_POOL_EMPTY] = STAT_HTTP_TX_POOL_EMPTY,
            [HTTP_CTR_TX_LIMIT] = STAT_HTTP_TX_LIMIT,
            [HTTP_CTR_ARENA_EMPTY] = STAT_HTTP_ARENA_POOL_EMPTY,
            [HTTP_CTR_FIELD_TRUNCATED] = STAT_HTTP_FIELD_TRUNCATED,
            [HTTP_CTR_LINE_LIMIT] = STAT_HTTP_LINE_LIMIT,
            [HTTP_CTR_HEADER_LIMIT] = STAT_HTTP_HEADER_LIMIT,
            [HTTP_CTR_BODY_LIMIT] = STAT_HTTP_BODY_LIMIT,
            [HTTP_CTR_EVENTS_DROPPED] = STAT_HTTP_EVENTS_DROPPED,
            [HTTP_CTR_PROTO_CHANGE] = STAT_HTTP_PROTOCOL_CHANGE,
            [HTTP_CTR_TUNNEL] = STAT_HTTP_TUNNEL,
    };

    stats_mirror(x->ctr, ids, x->mem.ctr, HTTP_CTR_COUNT);
}

static struct http_conn *
app_http_conn_get(struct app_http_ctx *x, struct flow *f)
{
    enum app_state_found how;
    struct http_conn *c = app_state_pool_get(&x->conns, f, &how);

    if (how == APP_STATE_EMPTY)
        x->mem.ctr[HTTP_CTR_STATE_POOL_EMPTY]++;
    if (how == APP_STATE_NEW) {
        http_conn_init(c, &x->mem, &x->pcfg);
        x->mem.ctr[HTTP_CTR_FLOWS]++;
    }
    return c;
}

static void
app_http_conn_put(struct app_http_ctx *x, struct flow *f)
{
    http_conn_fini(app_state_pool_of(&x->conns, f));
    app_state_pool_put(&x->conns, f);
}

/*
 * A 206 response body (file fl of tx) is over: its bytes join the
 * container of its URL; when that makes the file whole, the whole file is
 * logged with this transaction (Suricata adds it to the transaction's
 * files, after the partial one).
 */
static void
app_http_range_file(struct app_http_ctx *x, struct flow *f, const struct http_tx *tx,
                    const struct http_file *fl, uint64_t now_us, bool flow_end)
{
    const struct http_hdr *h = http_tx_header(tx, APP_DIR_TOCLIENT, "content-range");
    struct app_http_range_res res;
    struct http_file whole;
    int64_t start, end, total;

    if (h == NULL || tx->status_num != 206 || fl->start < 0 ||
        !http_parse_content_range(h->value.ptr, h->value.len, &start, &end, &total) || total <= 0)
        return;
    app_http_range_add(x->range, tx->hostname.ptr, tx->hostname.len, fl->name.ptr, fl->name.len,
                       (uint64_t)fl->start, fl->size, (uint64_t)total, fl->gaps, now_us, &res);
    if (!res.whole)
        return;
    whole = *fl;
    whole.state = HTTP_FILE_CLOSED;
    whole.gaps = res.gaps;
    whole.has_range = false;
    whole.size = res.size;
    eve_emit_http_file(x->eve, f, tx, &whole, now_us, flow_end, x->esc);
}

/*
 * Records of what changed: per transaction in id order, its new events,
 * its closed files, then the http record when both sides are complete
 * (or always at flow end); logged transactions go back to the pool.
 * dir: direction of the data just parsed (anomalies are logged with the
 * packet that acknowledges it, which goes the other way).
 */
static void
app_http_emit(struct app_http_ctx *x, struct flow *f, struct http_conn *c, int dir, uint64_t now_us,
              bool flow_end)
{
    struct http_tx *tx, *next;
    uint8_t i;

    for (tx = http_conn_tx_first(c); tx != NULL; tx = next) {
        next = http_conn_tx_next(c, tx);
        if (x->detect != NULL)
            x->detect(x->detect_ctx, f, tx, flow_end);
        for (; tx->n_events_logged < tx->n_events; tx->n_events_logged++)
            if (x->anomaly)
                eve_emit_http_anomaly(x->eve, f, dir ^ 1, tx->id,
                                      http_event_names[tx->events[tx->n_events_logged]], now_us,
                                      flow_end);
        for (i = 0; i < tx->n_files; i++) {
            struct http_file *fl = &tx->files[i];
            if (fl->logged || fl->state < HTTP_FILE_CLOSED)
                continue;
            fl->logged = true;
            if (x->files)
                eve_emit_http_file(x->eve, f, tx, fl, now_us, flow_end, x->esc);
            if (x->files && x->range != NULL && fl->dir == APP_DIR_TOCLIENT && fl->has_range)
                app_http_range_file(x, f, tx, fl, now_us, flow_end);
        }
        if (!flow_end && !http_tx_is_complete(tx))
            continue;
        if (x->http)
            eve_emit_http(x->eve, f, tx, now_us, flow_end, x->esc, x->cfg.extended,
                          x->cfg.dump_all_headers);
        http_tx_release(c, tx);
    }
}

uint32_t
app_http_data(struct app_http_ctx *x, struct flow *f, int dir, const uint8_t *data, uint32_t len,
              uint32_t flags, uint64_t now_us)
{
    struct http_conn *c = app_http_conn_get(x, f);
    struct app_res r;

    if (c == NULL) {
        app_http_sync(x);
        return len; /* not followed: counted */
    }
    r = http_parse(c, dir, data, len, flags);
    app_http_sync(x);
    if (x->eve != NULL)
        app_http_emit(x, f, c, dir, now_us, false);
    if (c->flags & HTTP_CONN_PROTO_CHANGE) {
        /* The tunnel: the state goes (Suricata frees it on the protocol change),
         * the flow goes back to detection. */
        app_http_conn_put(x, f);
        f->app_proto_orig = APP_PROTO_HTTP;
        f->app_proto = APP_PROTO_UNKNOWN;
        f->app_tries = 0;
        return r.consumed;
    }
    return len;
}

void
app_http_flow_end(struct app_http_ctx *x, struct flow *f, uint64_t now_us)
{
    struct http_conn *c;

    if (f->app_state == APP_STATE_UNFOLLOWED)
        f->app_state = 0;
    if ((c = app_state_pool_of(&x->conns, f)) == NULL)
        return;
    http_conn_finish(c);
    if (x->eve != NULL)
        app_http_emit(x, f, c, APP_DIR_TOCLIENT, now_us, true);
    app_http_conn_put(x, f);
    app_http_sync(x);
}
