/*
 * sig_thresh.c - thresholds, detection_filter and suppress, counted as
 * Suricata's detect-engine-threshold.c does (packet time, windows of
 * `seconds` from the first hit):
 *
 *   limit      the first count alerts per window
 *   threshold  one alert every count hits within a window
 *   both       one alert per window, at the count-th hit
 *   backoff    alerts at hit count, count*m, count*m*m, ... (by_flow)
 *   detection_filter  alerts once more than count hits were seen
 *
 * Trackers: by_rule one per rule; by_flow (keyed by flow id), by_src,
 * by_dst and by_both in a worker-private table (detect.threshold-entries;
 * when full the oldest of the probed entries is reused, counted). Each
 * worker counts its own flows: with N workers a by_rule or by_src limit
 * holds per worker.
 */
#include "sig_int.h"

#include <string.h>

#define SIG_THR_PROBES 8

/* One hit on tracker ts; true when it alerts. */
static bool
sig_tstate_hit(const struct sig_thr *thr, struct sig_tstate *ts, uint64_t now_us)
{
    bool fresh = !ts->used;
    bool in_window = !fresh && now_us - ts->start_us <= (uint64_t)thr->seconds * 1000000u;

    ts->used = true;
    switch (thr->type) {
    case SIG_THR_LIMIT:
        if (fresh || !in_window) {
            ts->start_us = now_us;
            ts->count = 1;
            return true;
        }
        if (ts->count < UINT32_MAX)
            ts->count++;
        return ts->count <= thr->count;
    case SIG_THR_THRESHOLD:
        if (fresh && thr->count == 1) {
            ts->used = false; /* every hit alerts */
            return true;
        }
        if (fresh || !in_window) {
            ts->start_us = now_us;
            ts->count = 1;
            return false;
        }
        if (++ts->count >= thr->count) {
            ts->count = 0;
            return true;
        }
        return false;
    case SIG_THR_BOTH:
        if (fresh || !in_window) {
            ts->start_us = now_us;
            ts->count = 1;
            return thr->count == 1;
        }
        if (ts->count < UINT32_MAX)
            ts->count++;
        return ts->count == thr->count;
    case SIG_THR_BACKOFF:
        if (fresh)
            ts->next = thr->count;
        if (ts->count < UINT32_MAX)
            ts->count++;
        if (ts->count == ts->next) {
            uint64_t n = (uint64_t)ts->next * thr->multiplier;
            ts->next = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
            return true;
        }
        return false;
    case SIG_THR_DETECTION_FILTER:
        if (fresh || !in_window) {
            ts->start_us = now_us;
            ts->count = 1;
            return thr->count == 0;
        }
        if (ts->count < UINT32_MAX)
            ts->count++;
        return ts->count > thr->count;
    default:
        return true;
    }
}

static uint32_t
sig_thr_hash(uint32_t sig, const uint8_t *key, size_t n)
{
    uint32_t h = 2166136261u ^ sig;
    size_t i;

    for (i = 0; i < n; i++)
        h = (h ^ key[i]) * 16777619u;
    return h;
}

/* The tracker of (s, key) in the table; a new one when absent. */
static struct sig_tstate *
sig_thr_table(struct sig_thread *t, const struct sig *s, const uint8_t *key, size_t n)
{
    uint32_t h = sig_thr_hash(s->num, key, n), i, victim = UINT32_MAX;
    uint64_t oldest = UINT64_MAX;

    if (t->thr_tab == NULL)
        return NULL;
    for (i = 0; i < SIG_THR_PROBES; i++) {
        struct sig_thr_ent *e = &t->thr_tab[(h + i) & t->thr_mask];
        if (e->sig == s->num + 1 && memcmp(e->key, key, n) == 0)
            return &e->ts;
        if (e->sig == 0) {
            victim = (h + i) & t->thr_mask;
            break;
        }
        if (e->ts.start_us < oldest) {
            oldest = e->ts.start_us;
            victim = (h + i) & t->thr_mask;
        }
    }
    if (t->thr_tab[victim].sig != 0)
        t->ctr[STAT_DETECT_THRESHOLD_TABLE_FULL]++;
    memset(&t->thr_tab[victim], 0, sizeof(t->thr_tab[victim]));
    t->thr_tab[victim].sig = s->num + 1;
    memcpy(t->thr_tab[victim].key, key, n);
    return &t->thr_tab[victim].ts;
}

static bool
sig_suppressed(const struct sig *s, const struct sig_pview *v)
{
    const struct sig_suppress *sup;

    for (sup = s->sup; sup != NULL; sup = sup->next) {
        switch (sup->track) {
        case SIG_TRACK_NONE:
            return true;
        case SIG_TRACK_SRC:
            if (v->ip_ver != 0 && sig_ipset_has(&sup->ips, v->ip_ver, v->src))
                return true;
            break;
        case SIG_TRACK_DST:
            if (v->ip_ver != 0 && sig_ipset_has(&sup->ips, v->ip_ver, v->dst))
                return true;
            break;
        default:
            if (v->ip_ver != 0 && (sig_ipset_has(&sup->ips, v->ip_ver, v->src) ||
                                   sig_ipset_has(&sup->ips, v->ip_ver, v->dst)))
                return true;
            break;
        }
    }
    return false;
}

bool
sig_thresh_allows(struct sig_thread *t, const struct sig *s, const struct sig_pview *v)
{
    struct sig_tstate *ts = NULL;
    uint8_t key[33];
    size_t w = v->ip_ver == 6 ? 16 : 4;

    if (s->sup != NULL && sig_suppressed(s, v))
        return false;
    if (!(s->flags & SIG_F_HAS_THR))
        return true;
    memset(key, 0, sizeof(key));
    switch (s->thr.track) {
    case SIG_TRACK_FLOW:
        /* Keyed by the flow's id, unique for the worker's lifetime. */
        if (v->f == NULL)
            return true;
        memcpy(key, &v->f->flow_id, sizeof(v->f->flow_id));
        key[32] = 0xff;
        ts = sig_thr_table(t, s, key, sizeof(key));
        break;
    case SIG_TRACK_RULE:
        ts = t->rule_thr != NULL ? &t->rule_thr[s->thr_idx] : NULL;
        break;
    case SIG_TRACK_SRC:
    case SIG_TRACK_DST:
        if (v->ip_ver == 0)
            return true;
        memcpy(key, s->thr.track == SIG_TRACK_SRC ? v->src : v->dst, w);
        key[32] = v->ip_ver;
        ts = sig_thr_table(t, s, key, sizeof(key));
        break;
    default: { /* by_both: the address pair, either way round */
        const uint8_t *a = v->src, *b = v->dst;
        if (v->ip_ver == 0)
            return true;
        if (memcmp(a, b, w) > 0) {
            a = v->dst;
            b = v->src;
        }
        memcpy(key, a, w);
        memcpy(key + 16, b, w);
        key[32] = v->ip_ver;
        ts = sig_thr_table(t, s, key, sizeof(key));
        break;
    }
    }
    if (ts == NULL)
        return true; /* no tracker to be had (counted): the alert goes out */
    return sig_tstate_hit(&s->thr, ts, v->ts_us);
}
