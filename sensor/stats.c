/*
 * stats.c - counter metadata and record layout. Counters themselves are
 * plain uint64_t arrays owned by each worker; only their reader sums them.
 */
#include "stats.h"

#include <stdio.h>
#include <string.h>

struct stats_layout stats_layout;

static const struct {
    const char *name;
    enum stat_kind kind;
} stat_meta[STAT_EVENT_BASE] = {
#define STAT_META(id, name, kind) [STAT_##id] = {name, STAT_KIND_##kind},
    STAT_TABLE(STAT_META)
#undef STAT_META
};

enum stat_kind
stats_kind(unsigned id)
{
    return id < STAT_EVENT_BASE ? stat_meta[id].kind : STAT_KIND_EVENT;
}

static void
stats_layout_add(struct stats_layout *l, unsigned id, const char *name)
{
    l->ids[l->n] = (uint16_t)id;
    snprintf(l->names[l->n], sizeof(l->names[0]), "%s", name);
    l->n++;
}

static void
stats_layout_add_events(struct stats_layout *l, bool stream)
{
    unsigned ev;

    for (ev = 0; ev < DEC_EV_COUNT; ev++) {
        const char *n = dec_event_names[ev];
        char key[64];
        if ((ev >= DEC_EV_FIRST_STREAM) != stream)
            continue;
        if (!stream && strncmp(n, "decoder.", 8) == 0)
            snprintf(key, sizeof(key), "decoder.event.%s", n + 8);
        else
            snprintf(key, sizeof(key), "%s", n);
        /* decoder.too_many_layers is a plain counter in Suricata's stats. */
        if (ev == DEC_EV_TOO_MANY_LAYERS)
            continue;
        stats_layout_add(l, STAT_EVENT_BASE + ev, key);
    }
}

void
stats_layout_init(struct stats_layout *l, bool decoder_events, bool stream_events)
{
    unsigned id;
    bool in_decoder = false;

    l->n = 0;
    for (id = 0; id < STAT_EVENT_BASE; id++) {
        bool dec = strncmp(stat_meta[id].name, "decoder.", 8) == 0;
        /* Decoder events go right after the last plain decoder counter so
         * that the "decoder" object is written in one piece. */
        if (in_decoder && !dec && decoder_events)
            stats_layout_add_events(l, false);
        in_decoder = dec;
        if (stat_meta[id].kind != STAT_KIND_HIDDEN)
            stats_layout_add(l, id, stat_meta[id].name);
    }
    if (in_decoder && decoder_events)
        stats_layout_add_events(l, false);
    if (stream_events)
        stats_layout_add_events(l, true);
}

void
stats_mirror(uint64_t *dst, const unsigned *ids, const uint64_t *src, unsigned n)
{
    unsigned i;

    for (i = 0; dst != NULL && i < n; i++)
        dst[ids[i]] = src[i];
}

void
stats_merge(uint64_t *dst, const uint64_t *src)
{
    unsigned id;

    for (id = 0; id < STAT_ID_COUNT; id++) {
        if (stats_kind(id) == STAT_KIND_MAX)
            dst[id] = src[id] > dst[id] ? src[id] : dst[id];
        else
            dst[id] += src[id];
    }
}
