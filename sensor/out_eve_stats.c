/*
 * out_eve_stats.c - `stats` records: counters nested by their dotted
 * names, as Suricata's output-json-stats.c writes the totals. Zero
 * counters are left out when the output sets null-values: false.
 */
#include "out_eve.h"

#include <string.h>

#include "stats.h"

/* Number of leading dotted segments a and b share. */
static unsigned
eve_stats_common(const char *a, const char *b)
{
    unsigned segs = 0;
    size_t i = 0;

    for (;;) {
        size_t s = i;
        while (a[i] && a[i] != '.' && a[i] == b[i])
            i++;
        if (a[i] == '.' && b[i] == '.') {
            segs++;
            i++;
            continue;
        }
        (void)s;
        return segs;
    }
}

static unsigned
eve_stats_depth(const char *name)
{
    unsigned d = 0;

    for (; *name; name++)
        d += *name == '.';
    return d;
}

/* Writes segment k (0-based) of a dotted name into out. */
static void
eve_stats_segment(const char *name, unsigned k, char *out, size_t len)
{
    size_t o = 0;

    while (k > 0 && *name) {
        if (*name++ == '.')
            k--;
    }
    while (*name && *name != '.' && o + 1 < len)
        out[o++] = *name++;
    out[o] = '\0';
}

static uint64_t
eve_stats_value(const uint64_t *ctr, unsigned id)
{
    if (id == STAT_DECODER_AVG_PKT_SIZE)
        return ctr[STAT_DECODER_PKTS] ? ctr[STAT_DECODER_BYTES] / ctr[STAT_DECODER_PKTS] : 0;
    return ctr[id];
}

static void
eve_stats_body(struct json_buf *j, const struct eve_output *o, const uint64_t *ctr,
               uint64_t uptime_s)
{
    const struct stats_layout *l = &stats_layout;
    const char *prev = "";
    unsigned open = 0, i, k;
    char seg[64];

    json_open_object(j, "stats");
    json_u64(j, "uptime", uptime_s);
    for (i = 0; i < l->n; i++) {
        const char *name = l->names[i];
        uint64_t v = eve_stats_value(ctr, l->ids[i]);
        if (v == 0 && !o->stats_null_values)
            continue;
        unsigned common = eve_stats_common(prev, name);
        unsigned depth = eve_stats_depth(name);
        while (open > common) {
            json_close(j);
            open--;
        }
        for (k = open; k < depth; k++) {
            eve_stats_segment(name, k, seg, sizeof(seg));
            json_open_object(j, seg);
            open++;
        }
        eve_stats_segment(name, depth, seg, sizeof(seg));
        json_u64(j, seg, v);
        prev = name;
    }
    while (open > 0) {
        json_close(j);
        open--;
    }
    json_close(j);
}

void
eve_emit_stats(struct eve *e, const uint64_t *ctr, const uint64_t *prev, uint64_t now_us,
               uint64_t uptime_s)
{
    char ts[40];
    unsigned i;

    (void)prev;
    eve_time_format(now_us, ts, sizeof(ts));
    for (i = 0; i < e->n_out; i++) {
        struct eve_output *o = &e->out[i];
        if (!o->types[EVE_TYPE_STATS] || !o->stats_totals)
            continue;
        json_reset(&e->j);
        json_open_object(&e->j, NULL);
        json_str(&e->j, "timestamp", ts);
        json_str(&e->j, "event_type", "stats");
        eve_stats_body(&e->j, o, ctr, uptime_s);
        json_close(&e->j);
        eve_commit(e, o);
    }
}
