/*
 * ring.h - single-producer single-consumer ring of pointers, lock-free,
 * with burst enqueue and dequeue.
 *
 * Capacity is a power of two; head and tail are free-running uint32_t and
 * their unsigned difference is the occupancy, correct across wraparound.
 * The producer owns `head`, the consumer owns `tail`; each reads the
 * other's index with acquire and publishes its own with release, so slot
 * contents written before a release are visible after the matching
 * acquire. Producer fields, consumer fields and read-only fields live on
 * separate cache lines with a guard line between the hot ones.
 * (Linux circular-buffers.rst; DPDK rte_ring_c11_pvt.h; ck_ring.h.)
 */
#ifndef RING_H
#define RING_H

#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "nids.h"

struct ring {
    /* Read-only after ring_create. */
    alignas(NIDS_CACHE_LINE) uint32_t mask;
    void **slots;
    /* Producer line: head is written by the producer only. */
    alignas(NIDS_CACHE_LINE) _Atomic uint32_t head;
    uint32_t tail_cache; /* producer's last view of tail */
    char guard[NIDS_CACHE_LINE];
    /* Consumer line: tail is written by the consumer only. */
    alignas(NIDS_CACHE_LINE) _Atomic uint32_t tail;
    uint32_t head_cache; /* consumer's last view of head */
};

/* A ring of `size` slots (rounded up to a power of two, at least 2). Start-up only. */
static inline struct ring *
ring_create(uint32_t size)
{
    struct ring *r;
    uint32_t n = 2;

    while (n < size && n < (1u << 30))
        n <<= 1;
    r = aligned_alloc(NIDS_CACHE_LINE, sizeof(*r));
    if (r == NULL)
        return NULL;
    r->slots = calloc(n, sizeof(void *));
    if (r->slots == NULL) {
        free(r);
        return NULL;
    }
    r->mask = n - 1;
    atomic_init(&r->head, 0);
    atomic_init(&r->tail, 0);
    r->tail_cache = 0;
    r->head_cache = 0;
    return r;
}

static inline void
ring_destroy(struct ring *r)
{
    if (r == NULL)
        return;
    free(r->slots);
    free(r);
}

static inline uint32_t
ring_capacity(const struct ring *r)
{
    return r->mask + 1;
}

/*
 * Producer: enqueue up to n pointers; returns how many were taken (0 when
 * full). Ownership of each object moves with its slot.
 */
static inline uint32_t
ring_enqueue_burst(struct ring *r, void *const *objs, uint32_t n)
{
    uint32_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
    uint32_t free_slots = ring_capacity(r) - (head - r->tail_cache);
    uint32_t i;

    if (free_slots < n) {
        /* Pairs with the consumer's release store of tail in ring_dequeue_burst:
         * slots it freed are no longer read. */
        r->tail_cache = atomic_load_explicit(&r->tail, memory_order_acquire);
        free_slots = ring_capacity(r) - (head - r->tail_cache);
        if (n > free_slots)
            n = free_slots;
    }
    for (i = 0; i < n; i++)
        r->slots[(head + i) & r->mask] = objs[i];
    /* Release: the slot writes above are visible to the consumer's acquire
     * load of head in ring_dequeue_burst. */
    atomic_store_explicit(&r->head, head + n, memory_order_release);
    return n;
}

/* Consumer: dequeue up to n pointers into objs; returns how many. */
static inline uint32_t
ring_dequeue_burst(struct ring *r, void **objs, uint32_t n)
{
    uint32_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
    uint32_t avail = r->head_cache - tail;
    uint32_t i;

    if (avail < n) {
        /* Pairs with the producer's release store of head in ring_enqueue_burst. */
        r->head_cache = atomic_load_explicit(&r->head, memory_order_acquire);
        avail = r->head_cache - tail;
        if (n > avail)
            n = avail;
    }
    for (i = 0; i < n; i++)
        objs[i] = r->slots[(tail + i) & r->mask];
    /* Release: the slot reads above complete before the producer, after its
     * acquire load of tail in ring_enqueue_burst, reuses the slots. */
    atomic_store_explicit(&r->tail, tail + n, memory_order_release);
    return n;
}

/* Either side: approximate occupancy (exact when called by the consumer with no producer). */
static inline uint32_t
ring_count(struct ring *r)
{
    return atomic_load_explicit(&r->head, memory_order_acquire) -
           atomic_load_explicit(&r->tail, memory_order_acquire);
}

#endif /* RING_H */
