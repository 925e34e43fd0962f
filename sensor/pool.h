/*
 * pool.h - the free list of a fixed-size object pool, by slot number.
 * Header-only.
 *
 * Slots are numbered from 1, so 0 (a zeroed field) means "no slot".
 * Never-used slots are handed out in order (fresh): start-up writes no
 * link and touches no object, so a pool costs nothing until traffic needs
 * it. Freed slots are reused first, the last freed first, through a link
 * the pool's owner keeps for each slot: an array of uint32_t, or a field of
 * each object, `stride` bytes apart.
 *
 * One owner (a worker, or the capture thread): no atomics, no lock.
 */
#ifndef POOL_H
#define POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pool_list {
    uint32_t free;  /* the slot freed last, 0: none */
    uint32_t fresh; /* slots handed out at least once; the others are untouched */
    uint32_t n;     /* slots in all */
};

static inline void
pool_list_init(struct pool_list *l, uint32_t n)
{
    l->free = 0;
    l->fresh = 0;
    l->n = n;
}

/* The link of slot s (1-based) in links[], stride bytes apart. */
static inline uint32_t *
pool_link(void *links, size_t stride, uint32_t s)
{
    return (uint32_t *)(void *)((uint8_t *)links + (size_t)(s - 1) * stride);
}

/* A slot (1-based), or 0 when every slot is in use. */
static inline uint32_t
pool_list_alloc(struct pool_list *l, void *links, size_t stride)
{
    uint32_t s = l->free;

    if (s != 0)
        l->free = *pool_link(links, stride, s);
    else if (l->fresh < l->n)
        s = ++l->fresh;
    return s;
}

static inline void
pool_list_free(struct pool_list *l, void *links, size_t stride, uint32_t s)
{
    *pool_link(links, stride, s) = l->free;
    l->free = s;
}

static inline bool
pool_list_is_empty(const struct pool_list *l)
{
    return l->free == 0 && l->fresh == l->n;
}

#endif /* POOL_H */
