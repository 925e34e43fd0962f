/*
 * app_smtp.c - SMTP glue of a worker: per-flow parser states from a fixed
 * pool, stream bytes to decoders/app_smtp.c, hashes of attachment content
 * (libgcrypt handles opened at start-up, one per MIME state), and the
 * records Suricata 8 writes for the transactions, in its order (per
 * transaction: new anomalies, closed files, then the smtp record once it
 * is complete), written when the packet that acknowledges the bytes
 * arrives (see app_smtp.h).
 *
 * Memory: one block for the transaction, arena and MIME pools, one array
 * of per-flow states with a free list, one escape buffer, the iconv table
 * and the hash handles, all allocated in app_smtp_ctx_create().
 */
#include "app_smtp.h"

#include <dirent.h>
#include <gcrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_detect.h"
#include "app_state.h"
#include "out_eve.h"
#include "stats.h"
#include "stats_defs.h"

struct app_smtp_flow {
    struct smtp_conn c;
    uint8_t pending;   /* bit per direction: its bytes made records that wait for an ACK */
    uint64_t last_cnt; /* the packet whose bytes were last given (pcap_cnt, time) */
    uint64_t last_ts;
};

struct app_smtp_ctx {
    struct app_smtp_cfg cfg;
    struct eve *eve;
    uint64_t *ctr; /* the worker's counters (mirrored by app_smtp_sync) */
    struct smtp_mem mem;
    void *block;                 /* behind mem */
    struct app_state_pool flows; /* struct app_smtp_flow, one per followed flow */
    struct mime_charsets charsets;
    struct smtp_hooks hooks;
    gcry_md_hd_t *file_md;     /* per MIME state: hashes of the file being read, NULL: none */
    gcry_md_hd_t *body_md;     /* per MIME state: MD5 of the body (mime.body-md5) */
    bool *body_started;        /* per MIME state: a body byte was hashed */
    gcry_md_hd_t subject_md;   /* email.subject_md5 */
    bool md5, sha1, sha256;    /* some output logs these file hashes */
    bool smtp, files, anomaly; /* some output has the type */
    app_smtp_detect_fn detect;
    void *detect_ctx;
    char *esc; /* EVE_SMTP_ESC_MAX bytes */
};

void
app_smtp_cfg_defaults(struct app_smtp_cfg *c)
{
    memset(c, 0, sizeof(*c));
    smtp_parse_cfg_defaults(&c->parse);
    c->charsets = true;
    c->flows = 4096;
    c->tx_pool = c->flows;
    c->chunks = 2 * c->flows;
    c->mimes = 256;
}

/* ---------------------------------------------------------------- charsets */

/*
 * The names of every charset iconv knows: glibc's gconv module
 * configuration ("module FROM// INTERNAL ..." and "alias NAME// TARGET//"
 * lines), plus its built-in converters. Start-up only.
 */
struct app_smtp_names {
    char **name, **target;
    uint32_t n, cap;
};

static void
app_smtp_name_add(struct app_smtp_names *l, const char *name, const char *target)
{
    if (l->n == l->cap) {
        uint32_t cap = l->cap ? 2 * l->cap : 512;
        char **a = realloc(l->name, cap * sizeof(*a)), **b;
        if (a == NULL)
            return;
        l->name = a;
        b = realloc(l->target, cap * sizeof(*b));
        if (b == NULL)
            return;
        l->target = b;
        l->cap = cap;
    }
    l->name[l->n] = strdup(name);
    l->target[l->n] = strdup(target);
    if (l->name[l->n] == NULL || l->target[l->n] == NULL) {
        free(l->name[l->n]);
        free(l->target[l->n]);
        return;
    }
    l->n++;
}

static void
app_smtp_gconv_file(struct app_smtp_names *l, const char *path)
{
    char line[512], a[128], b[128], c[128];
    FILE *fp = fopen(path, "r");

    if (fp == NULL)
        return;
    while (fgets(line, sizeof(line), fp) != NULL) {
        if (sscanf(line, " alias %127s %127s", a, b) == 2)
            app_smtp_name_add(l, a, b);
        else if (sscanf(line, " module %127s %127s %127s", a, b, c) == 3 &&
                 strcmp(b, "INTERNAL") == 0)
            app_smtp_name_add(l, a, a);
    }
    fclose(fp);
}

/* true when dir held a gconv-modules file */
static bool
app_smtp_gconv_dir(struct app_smtp_names *l, const char *dir)
{
    char path[1024];
    struct dirent *de;
    DIR *d;
    FILE *probe;

    snprintf(path, sizeof(path), "%s/gconv-modules", dir);
    probe = fopen(path, "r");
    if (probe == NULL)
        return false;
    fclose(probe);
    app_smtp_gconv_file(l, path);
    snprintf(path, sizeof(path), "%s/gconv-modules.d", dir);
    d = opendir(path);
    if (d == NULL)
        return true;
    while ((de = readdir(d)) != NULL) {
        size_t n = strlen(de->d_name);
        char file[2048];
        if (n < 6 || strcmp(de->d_name + n - 5, ".conf") != 0)
            continue;
        if (snprintf(file, sizeof(file), "%s/%s", path, de->d_name) >= (int)sizeof(file))
            continue;
        app_smtp_gconv_file(l, file);
    }
    closedir(d);
    return true;
}

static int
app_smtp_charsets_open(struct mime_charsets *cs)
{
    /* glibc's built-in converters (gconv_builtin.h): not in the module files */
    static const char *const builtin[] = {"UTF-16",         "UTF-16LE", "UTF-16BE", "UTF-32",
                                          "UTF-32LE",       "UTF-32BE", "UCS-2",    "UCS-2LE",
                                          "UCS-2BE",        "UCS-4",    "UCS-4LE",  "UTF-7",
                                          "ISO-10646/UCS2", "UNICODE",  NULL};
    static const char *const dirs[] = {"/usr/lib/x86_64-linux-gnu/gconv",
                                       "/usr/lib/aarch64-linux-gnu/gconv",
                                       "/usr/lib/i386-linux-gnu/gconv",
                                       "/usr/lib64/gconv",
                                       "/usr/lib/gconv",
                                       NULL};
    struct app_smtp_names l = {NULL, NULL, 0, 0};
    const char *env = getenv("GCONV_PATH");
    uint32_t i;
    int rc;

    for (i = 0; builtin[i] != NULL; i++)
        app_smtp_name_add(&l, builtin[i], builtin[i]);
    if (env != NULL && env[0] != '\0') {
        char buf[1024], *save = NULL, *tok;
        snprintf(buf, sizeof(buf), "%s", env);
        for (tok = strtok_r(buf, ":", &save); tok != NULL; tok = strtok_r(NULL, ":", &save))
            (void)app_smtp_gconv_dir(&l, tok);
    }
    for (i = 0; dirs[i] != NULL; i++)
        if (app_smtp_gconv_dir(&l, dirs[i]))
            break;
    rc = mime_charsets_open(cs, (const char *const *)l.name, (const char *const *)l.target, l.n);
    for (i = 0; i < l.n; i++) {
        free(l.name[i]);
        free(l.target[i]);
    }
    free(l.name);
    free(l.target);
    return rc;
}

/* ---------------------------------------------------------------- hashes */

static uint32_t
app_smtp_mime_slot(const struct smtp_conn *c)
{
    return c->mime != 0 ? c->mime - 1 : UINT32_MAX;
}

static void
app_smtp_file_open(void *ctx, struct smtp_conn *c, struct smtp_tx *tx, struct smtp_file *f)
{
    struct app_smtp_ctx *x = ctx;
    uint32_t s = app_smtp_mime_slot(c);

    (void)tx;
    (void)f;
    if (x->file_md != NULL && s < x->cfg.mimes)
        gcry_md_reset(x->file_md[s]);
}

static void
app_smtp_file_data(void *ctx, struct smtp_conn *c, struct smtp_tx *tx, struct smtp_file *f,
                   const uint8_t *p, uint32_t n)
{
    struct app_smtp_ctx *x = ctx;
    uint32_t s = app_smtp_mime_slot(c);

    (void)tx;
    (void)f;
    if (x->file_md != NULL && s < x->cfg.mimes)
        gcry_md_write(x->file_md[s], p, n);
}

static void
app_smtp_file_close(void *ctx, struct smtp_conn *c, struct smtp_tx *tx, struct smtp_file *f)
{
    struct app_smtp_ctx *x = ctx;
    uint32_t s = app_smtp_mime_slot(c);
    gcry_md_hd_t h;

    (void)tx;
    if (x->file_md == NULL || s >= x->cfg.mimes || f->state != SMTP_FILE_CLOSED)
        return;
    /* Suricata finalises the hashes of a file closed complete, never of a truncated one */
    h = x->file_md[s];
    if (x->md5)
        memcpy(f->md5, gcry_md_read(h, GCRY_MD_MD5), sizeof(f->md5));
    if (x->sha1)
        memcpy(f->sha1, gcry_md_read(h, GCRY_MD_SHA1), sizeof(f->sha1));
    if (x->sha256)
        memcpy(f->sha256, gcry_md_read(h, GCRY_MD_SHA256), sizeof(f->sha256));
    f->hashed = true;
}

static void
app_smtp_body(void *ctx, struct smtp_conn *c, struct smtp_tx *tx, const uint8_t *p, uint32_t n)
{
    struct app_smtp_ctx *x = ctx;
    uint32_t s = app_smtp_mime_slot(c);

    (void)tx;
    if (x->body_md == NULL || s >= x->cfg.mimes)
        return;
    gcry_md_write(x->body_md[s], p, n);
    x->body_started[s] = true;
}

static void
app_smtp_body_end(void *ctx, struct smtp_conn *c, struct smtp_tx *tx)
{
    struct app_smtp_ctx *x = ctx;
    uint32_t s = app_smtp_mime_slot(c);

    if (x->body_md == NULL || s >= x->cfg.mimes)
        return;
    if (x->body_started[s]) {
        memcpy(tx->body_md5, gcry_md_read(x->body_md[s], GCRY_MD_MD5), sizeof(tx->body_md5));
        tx->flags |= SMTP_TXF_BODY_MD5;
    }
    gcry_md_reset(x->body_md[s]);
    x->body_started[s] = false;
}

/* libgcrypt is set up once per process, before any thread uses it (start-up). */
static void
app_smtp_gcrypt_init(void)
{
    if (gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P))
        return;
    (void)gcry_check_version(NULL);
    gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
    gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
}

static int
app_smtp_md_open(gcry_md_hd_t *h, bool md5, bool sha1, bool sha256)
{
    if (gcry_md_open(h, 0, 0) != 0)
        return -1;
    if ((md5 && gcry_md_enable(*h, GCRY_MD_MD5) != 0) ||
        (sha1 && gcry_md_enable(*h, GCRY_MD_SHA1) != 0) ||
        (sha256 && gcry_md_enable(*h, GCRY_MD_SHA256) != 0)) {
        gcry_md_close(*h);
        *h = NULL;
        return -1;
    }
    return 0;
}

static int
app_smtp_hashes_open(struct app_smtp_ctx *x)
{
    uint32_t i;

    app_smtp_gcrypt_init();
    if (x->md5 || x->sha1 || x->sha256) {
        x->file_md = calloc(x->cfg.mimes, sizeof(*x->file_md));
        if (x->file_md == NULL)
            return -1;
        for (i = 0; i < x->cfg.mimes; i++)
            if (app_smtp_md_open(&x->file_md[i], x->md5, x->sha1, x->sha256) < 0)
                return -1;
    }
    if (x->cfg.body_md5) {
        x->body_md = calloc(x->cfg.mimes, sizeof(*x->body_md));
        x->body_started = calloc(x->cfg.mimes, sizeof(*x->body_started));
        if (x->body_md == NULL || x->body_started == NULL)
            return -1;
        for (i = 0; i < x->cfg.mimes; i++)
            if (app_smtp_md_open(&x->body_md[i], true, false, false) < 0)
                return -1;
    }
    if (x->eve != NULL && eve_smtp_wants_subject_md5(x->eve) &&
        app_smtp_md_open(&x->subject_md, true, false, false) < 0)
        return -1;
    return 0;
}

static void
app_smtp_hashes_close(struct app_smtp_ctx *x)
{
    uint32_t i;

    for (i = 0; x->file_md != NULL && i < x->cfg.mimes; i++)
        if (x->file_md[i] != NULL)
            gcry_md_close(x->file_md[i]);
    for (i = 0; x->body_md != NULL && i < x->cfg.mimes; i++)
        if (x->body_md[i] != NULL)
            gcry_md_close(x->body_md[i]);
    if (x->subject_md != NULL)
        gcry_md_close(x->subject_md);
    free(x->file_md);
    free(x->body_md);
    free(x->body_started);
    x->file_md = NULL;
    x->body_md = NULL;
    x->body_started = NULL;
    x->subject_md = NULL;
}

/* ---------------------------------------------------------------- context */

struct app_smtp_ctx *
app_smtp_ctx_create(const struct app_smtp_cfg *cfg, struct eve *eve, uint64_t *ctr)
{
    struct app_smtp_ctx *x = calloc(1, sizeof(*x));

    if (x == NULL)
        return NULL;
    x->cfg = *cfg;
    if (x->cfg.flows == 0)
        x->cfg.flows = 1;
    if (x->cfg.tx_pool == 0)
        x->cfg.tx_pool = x->cfg.flows;
    if (x->cfg.mimes == 0)
        x->cfg.mimes = 1;
    if (x->cfg.parse.max_tx == 0)
        x->cfg.parse.max_tx = 1;
    if (x->cfg.parse.mime.max_depth == 0 || x->cfg.parse.mime.max_depth > MIME_DEPTH_MAX)
        x->cfg.parse.mime.max_depth = MIME_DEPTH_MAX;
    x->eve = eve;
    x->ctr = ctr;
    x->block = malloc(smtp_mem_size(x->cfg.chunks, x->cfg.tx_pool, x->cfg.mimes));
    x->esc = malloc(EVE_SMTP_ESC_MAX);
    if (app_state_pool_init(&x->flows, x->cfg.flows, sizeof(struct app_smtp_flow)) < 0 ||
        x->block == NULL || x->esc == NULL)
        goto out_destroy;
    smtp_mem_init(&x->mem, x->block, x->cfg.chunks, x->cfg.tx_pool, x->cfg.mimes);
    if (x->cfg.charsets && app_smtp_charsets_open(&x->charsets) < 0)
        goto out_destroy;
    x->cfg.parse.mime.charsets = &x->charsets;
    if (eve != NULL) {
        x->smtp = eve_has_type(eve, EVE_TYPE_SMTP);
        x->files = eve_has_type(eve, EVE_TYPE_FILES);
        x->anomaly = eve_has_type(eve, EVE_TYPE_ANOMALY);
        x->md5 = eve_smtp_wants_md5(eve);
        x->sha1 = eve_smtp_wants_sha1(eve);
        x->sha256 = eve_smtp_wants_sha256(eve);
    }
    if (app_smtp_hashes_open(x) < 0)
        goto out_destroy;
    x->hooks.ctx = x;
    x->hooks.file_open = app_smtp_file_open;
    x->hooks.file_data = app_smtp_file_data;
    x->hooks.file_close = app_smtp_file_close;
    x->hooks.body = app_smtp_body;
    x->hooks.body_end = app_smtp_body_end;
    return x;

out_destroy:
    app_smtp_ctx_destroy(x);
    return NULL;
}

void
app_smtp_ctx_destroy(struct app_smtp_ctx *x)
{
    uint32_t i;

    if (x == NULL)
        return;
    /* states still held by flows give their transactions back first */
    if (x->block != NULL)
        for (i = 1; i <= app_state_pool_touched(&x->flows); i++) {
            struct app_smtp_flow *fl = app_state_pool_at(&x->flows, i);
            if (fl->c.mem != NULL)
                smtp_conn_fini(&fl->c);
        }
    app_smtp_hashes_close(x);
    mime_charsets_close(&x->charsets);
    free(x->block);
    app_state_pool_fini(&x->flows);
    free(x->esc);
    free(x);
}

void
app_smtp_set_detect(struct app_smtp_ctx *x, app_smtp_detect_fn fn, void *ctx)
{
    x->detect = fn;
    x->detect_ctx = ctx;
}

const uint64_t *
app_smtp_ctx_counters(const struct app_smtp_ctx *x)
{
    return x->mem.ctr;
}

const struct smtp_mem *
app_smtp_ctx_mem(const struct app_smtp_ctx *x)
{
    return &x->mem;
}

struct smtp_conn *
app_smtp_conn_of(struct app_smtp_ctx *x, const struct flow *f)
{
    struct app_smtp_flow *fl = app_state_pool_of(&x->flows, f);

    return fl != NULL ? &fl->c : NULL;
}

/* The parser counts in its own array; the worker's counters mirror it. */
static void
app_smtp_sync(struct app_smtp_ctx *x)
{
    static const unsigned ids[SMTP_CTR_COUNT] = {
            [SMTP_CTR_FLOWS] = STAT_APP_LAYER_FLOW_SMTP,
            [SMTP_CTR_TX] = STAT_APP_LAYER_TX_SMTP,
            [SMTP_CTR_ERR_GAP] = STAT_APP_LAYER_ERROR_SMTP_GAP,
            [SMTP_CTR_ERR_PARSER] = STAT_APP_LAYER_ERROR_SMTP_PARSER,
            [SMTP_CTR_STATE_POOL_EMPTY] = STAT_SMTP_STATE_POOL_EMPTY,
            [SMTP_CTR_TX_POOL_EMPTY] = STAT_SMTP_TX_POOL_EMPTY,
            [SMTP_CTR_TX_LIMIT] = STAT_SMTP_TX_LIMIT,
            [SMTP_CTR_ARENA_EMPTY] = STAT_SMTP_ARENA_POOL_EMPTY,
            [SMTP_CTR_FIELD_TRUNCATED] = STAT_SMTP_FIELD_TRUNCATED,
            [SMTP_CTR_LINE_LIMIT] = STAT_SMTP_LINE_LIMIT,
            [SMTP_CTR_RCPT_LIMIT] = STAT_SMTP_RCPT_LIMIT,
            [SMTP_CTR_HEADER_LIMIT] = STAT_SMTP_HEADER_LIMIT,
            [SMTP_CTR_URL_LIMIT] = STAT_SMTP_URL_LIMIT,
            [SMTP_CTR_FILES_LIMIT] = STAT_SMTP_FILES_LIMIT,
            [SMTP_CTR_CMDQ_FULL] = STAT_SMTP_COMMAND_QUEUE_FULL,
            [SMTP_CTR_EVENTS_DROPPED] = STAT_SMTP_EVENTS_DROPPED,
            [SMTP_CTR_REPLY_UNMATCHED] = STAT_SMTP_REPLY_UNMATCHED,
            [SMTP_CTR_MIME_POOL_EMPTY] = STAT_SMTP_MIME_POOL_EMPTY,
            [SMTP_CTR_MIME_DEPTH_LIMIT] = STAT_SMTP_MIME_DEPTH_LIMIT,
            [SMTP_CTR_MIME_HEADER_TRUNCATED] = STAT_SMTP_MIME_HEADER_TRUNCATED,
            [SMTP_CTR_URL_TRUNCATED] = STAT_SMTP_URL_TRUNCATED,
            [SMTP_CTR_STARTTLS] = STAT_SMTP_STARTTLS,
            [SMTP_CTR_SASL_LINES] = STAT_SMTP_SASL_LINES_SKIPPED,
    };

    stats_mirror(x->ctr, ids, x->mem.ctr, SMTP_CTR_COUNT);
}

static struct app_smtp_flow *
app_smtp_flow_get(struct app_smtp_ctx *x, struct flow *f)
{
    enum app_state_found how;
    struct app_smtp_flow *fl = app_state_pool_get(&x->flows, f, &how);

    if (how == APP_STATE_EMPTY)
        x->mem.ctr[SMTP_CTR_STATE_POOL_EMPTY]++;
    if (how == APP_STATE_NEW) {
        smtp_conn_init(&fl->c, &x->mem, &x->cfg.parse, &x->hooks);
        x->mem.ctr[SMTP_CTR_FLOWS]++;
    }
    return fl;
}

static void
app_smtp_flow_put(struct app_smtp_ctx *x, struct flow *f)
{
    struct app_smtp_flow *fl = app_state_pool_of(&x->flows, f);

    smtp_conn_fini(&fl->c);
    app_state_pool_put(&x->flows, f);
}

/* MD5 of the first Subject value, into out; false when there is none. */
static bool
app_smtp_subject_md5(struct app_smtp_ctx *x, const struct smtp_tx *tx, uint8_t out[16])
{
    const struct smtp_hdr *h;

    if (x->subject_md == NULL || (h = smtp_tx_header(tx, "subject")) == NULL)
        return false;
    gcry_md_reset(x->subject_md);
    gcry_md_write(x->subject_md, h->value.ptr, h->value.len);
    memcpy(out, gcry_md_read(x->subject_md, GCRY_MD_MD5), 16);
    return true;
}

/*
 * Records of what changed: per transaction in id order, its new events,
 * its closed files, then (complete, or at flow end) detection and the
 * smtp record; logged transactions go back to the pool. dir/p: the
 * packet that writes them (NULL at flow end).
 */
static void
app_smtp_emit(struct app_smtp_ctx *x, struct flow *f, struct app_smtp_flow *fl, int dir,
              const struct pkt *p, uint64_t now_us, bool flow_end)
{
    struct smtp_conn *c = &fl->c;
    struct smtp_tx *tx, *next;
    uint8_t subj[16];
    struct eve_smtp_rec r;
    uint8_t i;

    fl->pending = 0;
    r.f = f;
    r.c = c;
    r.dir = dir;
    r.ts_us = p != NULL ? p->ts_us : now_us;
    r.pcap_cnt = p != NULL ? p->pcap_cnt : 0;
    r.flow_end = flow_end || p == NULL;
    r.esc = x->esc;
    for (tx = smtp_conn_tx_first(c); tx != NULL; tx = next) {
        next = smtp_conn_tx_next(c, tx);
        r.tx = tx;
        r.subject_md5 = NULL;
        for (; tx->n_events_logged < tx->n_events; tx->n_events_logged++)
            if (x->anomaly && x->eve != NULL)
                eve_emit_smtp_anomaly(x->eve, &r,
                                      smtp_event_names[tx->events[tx->n_events_logged]]);
        for (i = 0; i < tx->n_files; i++) {
            struct smtp_file *fi = &tx->files[i];
            if (fi->logged || fi->state == SMTP_FILE_OPEN)
                continue;
            fi->logged = true;
            if (x->files && x->eve != NULL)
                eve_emit_smtp_file(x->eve, &r, fi);
        }
        if (!flow_end && !smtp_tx_is_complete(tx))
            continue;
        if (x->detect != NULL)
            x->detect(x->detect_ctx, f, c, tx, flow_end);
        if (x->smtp && x->eve != NULL) {
            if (app_smtp_subject_md5(x, tx, subj))
                r.subject_md5 = subj;
            eve_emit_smtp(x->eve, &r);
        }
        smtp_tx_release(c, tx);
    }
}

/* The direction of packet p in flow f, as the parsers see it (flow_dir_slot). */
static int
app_smtp_pkt_dir(const struct flow *f, const struct pkt *p)
{
    size_t alen = f->key.ip_ver == 6 ? 16 : 4;
    int d = p->sp == f->key.sp && p->dp == f->key.dp && memcmp(p->src, f->key.src, alen) == 0
                    ? FLOW_TOSERVER
                    : FLOW_TOCLIENT;

    return flow_dir_slot(f, d);
}

uint32_t
app_smtp_data(struct app_smtp_ctx *x, struct flow *f, int dir, const uint8_t *data, uint32_t len,
              uint32_t flags, const struct pkt *p, uint64_t now_us)
{
    struct app_smtp_flow *fl = app_smtp_flow_get(x, f);
    struct app_res r;

    if (fl == NULL) {
        app_smtp_sync(x);
        return len; /* not followed: counted */
    }
    if (p != NULL && (p->pcap_cnt != fl->last_cnt || p->ts_us != fl->last_ts)) {
        /* the first bytes (or end) given for a new packet: it acknowledges
         * what the other side sent, so that is written before its own */
        int pd = app_smtp_pkt_dir(f, p);
        fl->last_cnt = p->pcap_cnt;
        fl->last_ts = p->ts_us;
        if (fl->pending & (1u << (pd ^ 1)))
            app_smtp_emit(x, f, fl, pd, p, now_us, false);
    }
    r = smtp_parse(&fl->c, dir, data, len, flags);
    fl->pending |= (uint8_t)(1u << dir);
    app_smtp_sync(x);
    if (fl->c.flags & SMTP_CONN_TLS) {
        /* STARTTLS accepted: the records now, the state goes, the flow is TLS */
        app_smtp_emit(x, f, fl, dir, p, now_us, false);
        app_smtp_flow_put(x, f);
        app_smtp_sync(x);
        f->app_proto_orig = APP_PROTO_SMTP;
        f->app_proto = APP_PROTO_TLS;
        return r.consumed;
    }
    return len;
}

void
app_smtp_ack(struct app_smtp_ctx *x, struct flow *f, const struct pkt *p, int dir)
{
    struct app_smtp_flow *fl;

    if ((fl = app_state_pool_of(&x->flows, f)) == NULL)
        return;
    if ((fl->pending & (1u << (dir ^ 1))) || (fl->pending && (p->tcp_flags & TCP_RST)))
        app_smtp_emit(x, f, fl, dir, p, p->ts_us, false);
    app_smtp_sync(x);
}

void
app_smtp_flow_end(struct app_smtp_ctx *x, struct flow *f, uint64_t now_us)
{
    struct app_smtp_flow *fl;

    if (f->app_state == APP_STATE_UNFOLLOWED)
        f->app_state = 0;
    if ((fl = app_state_pool_of(&x->flows, f)) == NULL)
        return;
    smtp_conn_finish(&fl->c);
    app_smtp_emit(x, f, fl, APP_DIR_TOSERVER, NULL, now_us, true);
    app_smtp_flow_put(x, f);
    app_smtp_sync(x);
}
