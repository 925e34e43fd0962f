/*
 * stats.h - counter names and kinds, and the order in which a `stats`
 * record lays them out (decoder events nested under decoder.event, stream
 * events under stream).
 */
#ifndef STATS_H
#define STATS_H

#include <stdbool.h>
#include <stdint.h>

#include "stats_defs.h"

/* Counter ids whose EVE key is shown, in record order. */
struct stats_layout {
    uint16_t ids[STAT_ID_COUNT];
    char names[STAT_ID_COUNT][64]; /* dotted EVE key of each id */
    uint32_t n;
};

/* Build the layout; decoder_events / stream_events as stats.decoder-events etc. */
void stats_layout_init(struct stats_layout *l, bool decoder_events, bool stream_events);
enum stat_kind stats_kind(unsigned id);
/* Fold src into dst according to each counter's kind (per-worker sums). */
void stats_merge(uint64_t *dst, const uint64_t *src);
/* dst[ids[i]] = src[i] for i < n: a parser's own counters into the worker's (NULL dst: none). */
void stats_mirror(uint64_t *dst, const unsigned *ids, const uint64_t *src, unsigned n);

extern struct stats_layout stats_layout;

#endif /* STATS_H */
