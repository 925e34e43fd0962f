/*
 * stats_snap.h - a worker's counters published for another thread to read,
 * with a sequence lock: the worker copies its private counters in every
 * few thousand packets; a reader copies them out and retries if a publish
 * overlapped. Counters stay plain uint64_t in the hot path.
 */
#ifndef STATS_SNAP_H
#define STATS_SNAP_H

#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>

#include "nids.h"
#include "stats_defs.h"

struct stats_snap {
    alignas(NIDS_CACHE_LINE) _Atomic uint32_t seq;
    _Atomic uint64_t v[STAT_ID_COUNT];
};

static inline void
stats_snap_init(struct stats_snap *s)
{
    unsigned i;

    atomic_init(&s->seq, 0);
    for (i = 0; i < STAT_ID_COUNT; i++)
        atomic_init(&s->v[i], 0);
}

/* Writer (the owning worker only). */
static inline void
stats_snap_publish(struct stats_snap *s, const uint64_t *ctr)
{
    uint32_t seq = atomic_load_explicit(&s->seq, memory_order_relaxed);
    unsigned i;

    atomic_store_explicit(&s->seq, seq + 1, memory_order_relaxed);
    /* Release stores (plain moves on x86): the odd sequence is ordered
     * before every value (pairs with the acquire value loads in
     * stats_snap_read). Fences would do too, but TSan cannot check them. */
    for (i = 0; i < STAT_ID_COUNT; i++)
        atomic_store_explicit(&s->v[i], ctr[i], memory_order_release);
    /* Release: the values above before the even sequence (pairs with the
     * reader's first acquire load). */
    atomic_store_explicit(&s->seq, seq + 2, memory_order_release);
}

/* Any reader thread: a consistent copy into out. */
static inline void
stats_snap_read(struct stats_snap *s, uint64_t *out)
{
    uint32_t s1, s2;
    unsigned i;

    do {
        /* Acquire: pairs with the release store of the even sequence. */
        s1 = atomic_load_explicit(&s->seq, memory_order_acquire);
        /* Acquire value loads: the re-check below cannot move above them;
         * a value from a publish in progress makes s2 differ (pairs with
         * the release value stores in stats_snap_publish). */
        for (i = 0; i < STAT_ID_COUNT; i++)
            out[i] = atomic_load_explicit(&s->v[i], memory_order_acquire);
        s2 = atomic_load_explicit(&s->seq, memory_order_relaxed);
    } while ((s1 & 1) != 0 || s1 != s2);
}

#endif /* STATS_SNAP_H */
