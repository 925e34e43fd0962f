/*
 * app_http_range.c - containers of HTTP byte ranges (see app_http_range.h).
 *
 * A container: its key (host then path, with their lengths so that
 * "a" + "bc" and "ab" + "c" differ), the whole size, and the disjoint
 * intervals [lo, hi) of bytes seen, sorted, touching ones merged. The file
 * is whole when one interval starts at 0 and reaches the size, which is
 * when Suricata's container file, grown from offset 0 with the out-of-order
 * pieces merged in, reaches its total size (HttpRangeClose). Lookup is a
 * scan of the pool: it runs once per 206 body, and the pool is small.
 */
#include "app_http_range.h"

#include <stdlib.h>
#include <string.h>

#include "stats_defs.h"

struct http_range_piece {
    uint64_t lo, hi;
};

struct http_range_box {
    bool used;
    bool done; /* logged whole: ranges of it join nothing more */
    bool gaps;
    uint16_t host_len, key_len;
    uint8_t n_pieces;
    uint64_t total;
    uint64_t last_us; /* last range added */
    struct http_range_piece pieces[APP_HTTP_RANGE_PIECES];
    uint8_t key[APP_HTTP_RANGE_KEY_MAX];
};

struct app_http_range {
    struct http_range_box *box;
    uint32_t n;
    uint32_t used;
    uint64_t *ctr;
};

struct app_http_range *
app_http_range_create(uint32_t n, uint64_t *ctr)
{
    struct app_http_range *r = calloc(1, sizeof(*r));

    if (r == NULL)
        return NULL;
    r->n = n > 0 ? n : 1;
    r->ctr = ctr;
    r->box = calloc(r->n, sizeof(*r->box));
    if (r->box == NULL) {
        free(r);
        return NULL;
    }
    return r;
}

void
app_http_range_destroy(struct app_http_range *r)
{
    if (r == NULL)
        return;
    free(r->box);
    free(r);
}

uint32_t
app_http_range_used(const struct app_http_range *r)
{
    return r->used;
}

static void
http_range_count(struct app_http_range *r, enum stat_id id)
{
    if (r->ctr != NULL)
        r->ctr[id]++;
}

static void
http_range_drop(struct app_http_range *r, struct http_range_box *b)
{
    b->used = false;
    r->used--;
}

/* The container of the key, a free one, or the least recently used one past the timeout. */
static struct http_range_box *
http_range_find(struct app_http_range *r, const uint8_t *key, uint16_t key_len, uint16_t host_len,
                uint64_t now_us)
{
    struct http_range_box *free_box = NULL, *old = NULL;
    uint32_t i;

    for (i = 0; i < r->n; i++) {
        struct http_range_box *b = &r->box[i];
        if (!b->used) {
            if (free_box == NULL)
                free_box = b;
            continue;
        }
        if (b->key_len == key_len && b->host_len == host_len && memcmp(b->key, key, key_len) == 0)
            return b;
        if (now_us >= b->last_us + APP_HTTP_RANGE_TIMEOUT * 1000000ull &&
            (old == NULL || b->last_us < old->last_us))
            old = b;
    }
    if (free_box == NULL && old != NULL) {
        http_range_drop(r, old);
        free_box = old;
    }
    if (free_box == NULL) {
        http_range_count(r, STAT_HTTP_RANGE_POOL_EMPTY);
        return NULL;
    }
    memset(free_box, 0, sizeof(*free_box));
    free_box->used = true;
    memcpy(free_box->key, key, key_len);
    free_box->key_len = key_len;
    free_box->host_len = host_len;
    r->used++;
    return free_box;
}

/* Merge [lo, hi) into the sorted disjoint pieces; false when they would overflow. */
static bool
http_range_insert(struct http_range_box *b, uint64_t lo, uint64_t hi)
{
    struct http_range_piece out[APP_HTTP_RANGE_PIECES];
    unsigned i, n = 0;
    bool placed = false;

    for (i = 0; i < b->n_pieces; i++) {
        struct http_range_piece p = b->pieces[i];
        if (p.hi < lo) {
            /* wholly before, not touching */
        } else if (hi < p.lo) {
            if (!placed) {
                if (n == APP_HTTP_RANGE_PIECES)
                    return false;
                out[n].lo = lo;
                out[n++].hi = hi;
                placed = true;
            }
        } else {
            /* overlapping or touching: absorbed into [lo, hi) */
            lo = p.lo < lo ? p.lo : lo;
            hi = p.hi > hi ? p.hi : hi;
            continue;
        }
        if (n == APP_HTTP_RANGE_PIECES)
            return false;
        out[n++] = p;
    }
    if (!placed) {
        if (n == APP_HTTP_RANGE_PIECES)
            return false;
        out[n].lo = lo;
        out[n++].hi = hi;
    }
    memcpy(b->pieces, out, n * sizeof(out[0]));
    b->n_pieces = (uint8_t)n;
    return true;
}

void
app_http_range_add(struct app_http_range *r, const uint8_t *host, uint32_t host_len,
                   const uint8_t *path, uint32_t path_len, uint64_t start, uint64_t len,
                   uint64_t total, bool gaps, uint64_t now_us, struct app_http_range_res *res)
{
    uint8_t key[APP_HTTP_RANGE_KEY_MAX];
    struct http_range_box *b;

    memset(res, 0, sizeof(*res));
    if (len == 0 || total == 0)
        return;
    if (host_len > APP_HTTP_RANGE_KEY_MAX || path_len > APP_HTTP_RANGE_KEY_MAX - host_len) {
        http_range_count(r, STAT_HTTP_RANGE_KEY_TOO_LONG);
        return;
    }
    if (host_len > 0)
        memcpy(key, host, host_len);
    if (path_len > 0)
        memcpy(key + host_len, path, path_len);
    b = http_range_find(r, key, (uint16_t)(host_len + path_len), (uint16_t)host_len, now_us);
    if (b == NULL)
        return;
    b->last_us = now_us;
    if (b->done)
        return;
    /* Different ranges may claim different sizes: the largest wins, as in Suricata. */
    if (total > b->total)
        b->total = total;
    b->gaps |= gaps;
    if (start > UINT64_MAX - len || !http_range_insert(b, start, start + len)) {
        http_range_count(r, STAT_HTTP_RANGE_TOO_MANY_PIECES);
        http_range_drop(r, b);
        return;
    }
    if (b->pieces[0].lo == 0 && b->pieces[0].hi >= b->total) {
        b->done = true;
        res->whole = true;
        res->gaps = b->gaps;
        res->size = b->pieces[0].hi;
    }
}
