/*
 * mpm_hs.c - mpm.h on Hyperscan's literal API (hs_compile_lit_multi):
 * every distinct (bytes, case mode) is one expression whose id indexes a
 * table of the values sharing it; HS_FLAG_SINGLEMATCH makes a scan report
 * each expression once. Block mode: each buffer is scanned on its own.
 */
#include "mpm.h"

#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mpm_pat {
    uint32_t off; /* bytes in the builder's byte store */
    uint32_t len;
    bool nocase;
    uint32_t hash;
};

struct mpm_pair {
    uint32_t pat, val;
};

struct mpm_builder {
    uint8_t *bytes;
    size_t n_bytes, cap_bytes;
    struct mpm_pat *pats;
    uint32_t n_pats, cap_pats;
    struct mpm_pair *pairs;
    uint32_t n_pairs, cap_pairs;
    uint32_t *slots; /* hash of pattern -> index + 1 */
    uint32_t n_slots;
};

struct mpm {
    hs_database_t *db;
    uint32_t n_pats;
    uint32_t *off; /* n_pats + 1 */
    uint32_t *vals;
};

struct mpm_scratch {
    hs_scratch_t *hs;
};

struct mpm_builder *
mpm_builder_create(void)
{
    return calloc(1, sizeof(struct mpm_builder));
}

void
mpm_builder_destroy(struct mpm_builder *b)
{
    if (b == NULL)
        return;
    free(b->bytes);
    free(b->pats);
    free(b->pairs);
    free(b->slots);
    free(b);
}

uint32_t
mpm_builder_count(const struct mpm_builder *b)
{
    return b->n_pats;
}

static uint32_t
mpm_hash(const uint8_t *p, uint32_t n, bool nocase)
{
    uint32_t h = 2166136261u ^ (nocase ? 0x9e3779b9u : 0);
    uint32_t i;

    for (i = 0; i < n; i++) {
        uint8_t c = p[i];
        if (nocase && c >= 'A' && c <= 'Z')
            c = (uint8_t)(c + 32);
        h = (h ^ c) * 16777619u;
    }
    return h;
}

static bool
mpm_pat_is(const struct mpm_builder *b, const struct mpm_pat *q, const uint8_t *p, uint32_t n,
           bool nocase, uint32_t h)
{
    uint32_t i;

    if (q->hash != h || q->len != n || q->nocase != nocase)
        return false;
    if (!nocase)
        return memcmp(b->bytes + q->off, p, n) == 0;
    for (i = 0; i < n; i++) {
        uint8_t a = b->bytes[q->off + i], c = p[i];
        if (a >= 'A' && a <= 'Z')
            a = (uint8_t)(a + 32);
        if (c >= 'A' && c <= 'Z')
            c = (uint8_t)(c + 32);
        if (a != c)
            return false;
    }
    return true;
}

/* Double the slot table (load factor <= 1/2). */
static int
mpm_rehash(struct mpm_builder *b)
{
    uint32_t n = b->n_slots ? b->n_slots * 2 : 1024, i;
    uint32_t *s = calloc(n, sizeof(*s));

    if (s == NULL)
        return NIDS_ENOMEM;
    for (i = 0; i < b->n_pats; i++) {
        uint32_t k = b->pats[i].hash & (n - 1);
        while (s[k] != 0)
            k = (k + 1) & (n - 1);
        s[k] = i + 1;
    }
    free(b->slots);
    b->slots = s;
    b->n_slots = n;
    return 0;
}

static int
mpm_grow(void **p, uint32_t *cap, size_t elem, uint32_t need)
{
    uint32_t n;
    void *q;

    if (need <= *cap)
        return 0;
    n = *cap ? *cap * 2 : 64;
    while (n < need)
        n *= 2;
    q = realloc(*p, (size_t)n * elem);
    if (q == NULL)
        return NIDS_ENOMEM;
    *p = q;
    *cap = n;
    return 0;
}

int
mpm_builder_add(struct mpm_builder *b, const uint8_t *pat, uint32_t len, bool nocase, uint32_t val)
{
    uint32_t h = mpm_hash(pat, len, nocase), k, id;

    if (len == 0)
        return NIDS_EINVAL;
    if ((b->n_pats + 1) * 2 > b->n_slots && mpm_rehash(b) < 0)
        return NIDS_ENOMEM;
    for (k = h & (b->n_slots - 1); b->slots[k] != 0; k = (k + 1) & (b->n_slots - 1))
        if (mpm_pat_is(b, &b->pats[b->slots[k] - 1], pat, len, nocase, h))
            break;
    if (b->slots[k] == 0) {
        if (mpm_grow((void **)&b->pats, &b->cap_pats, sizeof(*b->pats), b->n_pats + 1) < 0)
            return NIDS_ENOMEM;
        while (b->n_bytes + len > b->cap_bytes) {
            size_t n = b->cap_bytes ? b->cap_bytes * 2 : 4096;
            uint8_t *q = realloc(b->bytes, n);
            if (q == NULL)
                return NIDS_ENOMEM;
            b->bytes = q;
            b->cap_bytes = n;
        }
        memcpy(b->bytes + b->n_bytes, pat, len);
        b->pats[b->n_pats].off = (uint32_t)b->n_bytes;
        b->pats[b->n_pats].len = len;
        b->pats[b->n_pats].nocase = nocase;
        b->pats[b->n_pats].hash = h;
        b->n_bytes += len;
        b->slots[k] = ++b->n_pats;
    }
    id = b->slots[k] - 1;
    if (mpm_grow((void **)&b->pairs, &b->cap_pairs, sizeof(*b->pairs), b->n_pairs + 1) < 0)
        return NIDS_ENOMEM;
    b->pairs[b->n_pairs].pat = id;
    b->pairs[b->n_pairs].val = val;
    b->n_pairs++;
    return 0;
}

static int
mpm_pair_cmp(const void *a, const void *b)
{
    const struct mpm_pair *x = a, *y = b;

    if (x->pat != y->pat)
        return x->pat < y->pat ? -1 : 1;
    return x->val < y->val ? -1 : x->val > y->val;
}

void
mpm_destroy(struct mpm *m)
{
    if (m == NULL)
        return;
    hs_free_database(m->db);
    free(m->off);
    free(m->vals);
    free(m);
}

/* The value table: pairs sorted by pattern then value, duplicates dropped. */
static int
mpm_values(const struct mpm_builder *b, struct mpm *m)
{
    struct mpm_pair *pairs = malloc(sizeof(*pairs) * (b->n_pairs ? b->n_pairs : 1));
    uint32_t i, n = 0;

    m->off = calloc((size_t)b->n_pats + 1, sizeof(*m->off));
    m->vals = malloc(sizeof(*m->vals) * (b->n_pairs ? b->n_pairs : 1));
    if (pairs == NULL || m->off == NULL || m->vals == NULL) {
        free(pairs);
        return NIDS_ENOMEM;
    }
    memcpy(pairs, b->pairs, sizeof(*pairs) * b->n_pairs);
    qsort(pairs, b->n_pairs, sizeof(*pairs), mpm_pair_cmp);
    for (i = 0; i < b->n_pairs; i++) {
        if (i > 0 && pairs[i].pat == pairs[i - 1].pat && pairs[i].val == pairs[i - 1].val)
            continue;
        m->vals[n++] = pairs[i].val;
        m->off[pairs[i].pat + 1] = n;
    }
    for (i = 1; i <= b->n_pats; i++)
        if (m->off[i] < m->off[i - 1])
            m->off[i] = m->off[i - 1];
    free(pairs);
    return 0;
}

struct mpm *
mpm_compile(const struct mpm_builder *b, char *err, size_t errlen)
{
    const char **expr = NULL;
    unsigned *flags = NULL, *ids = NULL;
    size_t *lens = NULL;
    hs_compile_error_t *cerr = NULL;
    struct mpm *m = NULL;
    uint32_t i;

    err[0] = '\0';
    if (b->n_pats == 0)
        return NULL;
    m = calloc(1, sizeof(*m));
    expr = malloc(sizeof(*expr) * b->n_pats);
    flags = malloc(sizeof(*flags) * b->n_pats);
    ids = malloc(sizeof(*ids) * b->n_pats);
    lens = malloc(sizeof(*lens) * b->n_pats);
    if (m == NULL || expr == NULL || flags == NULL || ids == NULL || lens == NULL)
        goto out_nomem;
    for (i = 0; i < b->n_pats; i++) {
        expr[i] = (const char *)b->bytes + b->pats[i].off;
        lens[i] = b->pats[i].len;
        ids[i] = i;
        flags[i] = HS_FLAG_SINGLEMATCH | (b->pats[i].nocase ? HS_FLAG_CASELESS : 0);
    }
    if (hs_compile_lit_multi(expr, flags, ids, lens, b->n_pats, HS_MODE_BLOCK, NULL, &m->db,
                             &cerr) != HS_SUCCESS) {
        snprintf(err, errlen, "hyperscan: %s", cerr != NULL ? cerr->message : "compile failed");
        hs_free_compile_error(cerr);
        goto out_fail;
    }
    m->n_pats = b->n_pats;
    if (mpm_values(b, m) < 0)
        goto out_nomem;
    free(expr);
    free(flags);
    free(ids);
    free(lens);
    return m;

out_nomem:
    snprintf(err, errlen, "out of memory");
out_fail:
    free(expr);
    free(flags);
    free(ids);
    free(lens);
    mpm_destroy(m);
    return NULL;
}

int
mpm_scratch_grow(struct mpm_scratch **s, const struct mpm *m)
{
    if (*s == NULL) {
        *s = calloc(1, sizeof(**s));
        if (*s == NULL)
            return NIDS_ENOMEM;
    }
    if (m == NULL)
        return 0;
    return hs_alloc_scratch(m->db, &(*s)->hs) == HS_SUCCESS ? 0 : NIDS_ENOMEM;
}

void
mpm_scratch_free(struct mpm_scratch *s)
{
    if (s == NULL)
        return;
    hs_free_scratch(s->hs);
    free(s);
}

struct mpm_scan_ctx {
    const struct mpm *m;
    mpm_hit_fn fn;
    void *ctx;
};

static int
mpm_on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *arg)
{
    const struct mpm_scan_ctx *c = arg;

    (void)from;
    (void)to;
    (void)flags;
    if (id < c->m->n_pats)
        c->fn(c->ctx, c->m->vals + c->m->off[id], c->m->off[id + 1] - c->m->off[id]);
    return 0;
}

int
mpm_scan(const struct mpm *m, struct mpm_scratch *s, const uint8_t *data, uint32_t len,
         mpm_hit_fn fn, void *ctx)
{
    struct mpm_scan_ctx c = {m, fn, ctx};

    if (m == NULL || len == 0)
        return 0;
    if (hs_scan(m->db, (const char *)data, len, 0, s->hs, mpm_on_match, &c) != HS_SUCCESS)
        return NIDS_EINVAL;
    return 0;
}
