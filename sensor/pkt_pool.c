/*
 * pkt_pool.c - two fixed-size buffer pools with stack free lists.
 */
#include "pkt_pool.h"

#include <stdlib.h>
#include <string.h>

int
pkt_pool_init(struct pkt_pool *pp, uint32_t n_small, uint32_t n_large)
{
    uint32_t i, n = n_small + n_large;
    size_t bytes = (size_t)n_small * PKT_BUF_SMALL + (size_t)n_large * PKT_BUF_LARGE;
    uint8_t *m;

    memset(pp, 0, sizeof(*pp));
    pp->bufs = calloc(n, sizeof(*pp->bufs));
    pp->mem = malloc(bytes);
    pp->free_small = calloc(n_small ? n_small : 1, sizeof(*pp->free_small));
    pp->free_large = calloc(n_large ? n_large : 1, sizeof(*pp->free_large));
    if (!pp->bufs || !pp->mem || !pp->free_small || !pp->free_large) {
        pkt_pool_fini(pp);
        return NIDS_ENOMEM;
    }
    m = pp->mem;
    for (i = 0; i < n; i++) {
        struct pkt_buf *b = &pp->bufs[i];
        b->large = i >= n_small;
        b->cap = b->large ? PKT_BUF_LARGE : PKT_BUF_SMALL;
        b->data = b->own = m;
        m += b->cap;
        if (b->large)
            pp->free_large[pp->n_large++] = b;
        else
            pp->free_small[pp->n_small++] = b;
    }
    pp->cap_small = n_small;
    pp->cap_large = n_large;
    return 0;
}

void
pkt_pool_fini(struct pkt_pool *pp)
{
    free(pp->bufs);
    free(pp->mem);
    free(pp->free_small);
    free(pp->free_large);
    memset(pp, 0, sizeof(*pp));
}

struct pkt_buf *
pkt_pool_alloc(struct pkt_pool *pp, uint32_t caplen)
{
    if (caplen <= PKT_BUF_SMALL && pp->n_small > 0)
        return pp->free_small[--pp->n_small];
    if (caplen <= PKT_BUF_LARGE && pp->n_large > 0)
        return pp->free_large[--pp->n_large];
    pp->empty++;
    return NULL;
}

void
pkt_pool_free(struct pkt_pool *pp, struct pkt_buf *b)
{
    b->data = b->own;
    if (b->large)
        pp->free_large[pp->n_large++] = b;
    else
        pp->free_small[pp->n_small++] = b;
}

bool
pkt_pool_is_full(const struct pkt_pool *pp)
{
    return pp->n_small == pp->cap_small && pp->n_large == pp->cap_large;
}

uint32_t
pkt_pool_size(const struct pkt_pool *pp)
{
    return pp->cap_small + pp->cap_large;
}
