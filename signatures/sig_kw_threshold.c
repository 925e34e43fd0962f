/*
 * sig_kw_threshold.c - threshold and detection_filter in rules, and the
 * threshold.config file (threshold, event_filter, suppress).
 *
 *   threshold: type limit|threshold|both, track by_src|by_dst|by_rule|by_both|by_flow,
 *              count N, seconds T;
 *   threshold: type backoff, track by_flow, count N, multiplier M;
 *   detection_filter: track by_src, count N, seconds T;
 *
 *   threshold gen_id 1, sig_id 10, type limit, track by_src, count 1, seconds 60
 *   suppress gen_id 1, sig_id 2003614[, track by_src|by_dst|by_either, ip 10.0.0.0/8]
 *
 * A threshold from the file replaces the rule's own (sig_id 0: every rule
 * of the gid; gen_id 0 too: every rule). The counting is sig_thresh.c.
 */
#include "sig_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"

static int
sig_thr_track(struct sig_parse *ps, const char *v, bool suppress, uint8_t *out)
{
    static const char *const names[SIG_TRACK_COUNT] = {"by_src",  "by_dst", "by_rule",  "by_both",
                                                       "by_flow", NULL,     "by_either"};
    unsigned i;

    for (i = 0; i < SIG_TRACK_COUNT; i++)
        if (names[i] != NULL && strcasecmp(v, names[i]) == 0)
            break;
    if (i == SIG_TRACK_COUNT ||
        (suppress && i != SIG_TRACK_SRC && i != SIG_TRACK_DST && i != SIG_TRACK_EITHER) ||
        (!suppress && i == SIG_TRACK_EITHER))
        return sig_perr(ps, "invalid track '%s'", v);
    *out = (uint8_t)i;
    return 0;
}

/*
 * "key value, key value" of a threshold-like item list into thr; gid/sid
 * (file form) when asked for. df: detection_filter (no type).
 */
static int
sig_thr_items(struct sig_parse *ps, char *text, bool df, struct sig_thr *thr, uint32_t *gid,
              uint32_t *sid)
{
    bool have_type = df, have_track = false, have_count = false, have_secs = false;
    char *rest = text, *item;

    memset(thr, 0, sizeof(*thr));
    thr->type = df ? SIG_THR_DETECTION_FILTER : SIG_THR_LIMIT;
    while ((item = sig_split(&rest, ',')) != NULL) {
        char *v = strpbrk(item, " \t");
        uint64_t n;
        int rc;
        if (*item == '\0')
            continue;
        if (v == NULL)
            return sig_perr(ps, "'%s' is not a 'key value' pair", item);
        *v++ = '\0';
        while (*v == ' ' || *v == '\t')
            v++;
        if (strcasecmp(item, "type") == 0 && !df) {
            static const char *const types[] = {"limit", "threshold", "both", "backoff"};
            unsigned t;
            for (t = 0; t < 4; t++)
                if (strcasecmp(v, types[t]) == 0)
                    break;
            if (t == 4)
                return sig_perr(ps, "invalid threshold type '%s'", v);
            thr->type = (uint8_t)t;
            have_type = true;
        } else if (strcasecmp(item, "track") == 0) {
            if ((rc = sig_thr_track(ps, v, false, &thr->track)) < 0)
                return rc;
            have_track = true;
        } else if (strcasecmp(item, "count") == 0) {
            if ((rc = sig_parse_u64(ps, "count", v, UINT32_MAX, &n)) < 0)
                return rc;
            thr->count = (uint32_t)n;
            have_count = true;
        } else if (strcasecmp(item, "seconds") == 0) {
            if ((rc = sig_parse_u64(ps, "seconds", v, UINT32_MAX, &n)) < 0)
                return rc;
            thr->seconds = (uint32_t)n;
            have_secs = true;
        } else if (strcasecmp(item, "multiplier") == 0) {
            if ((rc = sig_parse_u64(ps, "multiplier", v, UINT32_MAX, &n)) < 0)
                return rc;
            thr->multiplier = (uint32_t)n;
        } else if (gid != NULL && strcasecmp(item, "gen_id") == 0) {
            if ((rc = sig_parse_u64(ps, "gen_id", v, UINT32_MAX, &n)) < 0)
                return rc;
            *gid = (uint32_t)n;
        } else if (sid != NULL && strcasecmp(item, "sig_id") == 0) {
            if ((rc = sig_parse_u64(ps, "sig_id", v, UINT32_MAX, &n)) < 0)
                return rc;
            *sid = (uint32_t)n;
        } else {
            return sig_perr(ps, "unknown threshold option '%s'", item);
        }
    }
    if (!have_type || !have_track || !have_count)
        return sig_perr(ps, "%s needs type, track and count",
                        df ? "detection_filter" : "threshold");
    if (thr->type == SIG_THR_BACKOFF) {
        if (thr->multiplier < 2 || thr->count == 0)
            return sig_perr(ps, "backoff needs count >= 1 and multiplier >= 2");
        if (thr->track != SIG_TRACK_FLOW)
            return sig_perr(ps, "backoff only tracks by_flow");
    } else if (!have_secs) {
        return sig_perr(ps, "%s needs seconds", df ? "detection_filter" : "threshold");
    }
    if (thr->count == 0 && thr->type != SIG_THR_DETECTION_FILTER)
        return sig_perr(ps, "threshold count must be at least 1");
    return 0;
}

static int
sig_kw_thr_common(struct sig_parse *ps, const char *val, bool df)
{
    char buf[512];
    int rc;

    if (val == NULL)
        return sig_perr(ps, "%s needs a value", df ? "detection_filter" : "threshold");
    if (ps->have_thr)
        return sig_perr(ps, "only one threshold or detection_filter per rule");
    if ((rc = sig_unquote(ps, val, buf, sizeof(buf))) < 0 ||
        (rc = sig_thr_items(ps, buf, df, &ps->s->thr, NULL, NULL)) < 0)
        return rc;
    ps->have_thr = true;
    ps->s->flags |= SIG_F_HAS_THR;
    return 0;
}

static int
sig_kw_threshold_setup(struct sig_parse *ps, const char *val)
{
    return sig_kw_thr_common(ps, val, false);
}

static int
sig_kw_detection_filter(struct sig_parse *ps, const char *val)
{
    return sig_kw_thr_common(ps, val, true);
}

const struct sig_kw sig_kw_threshold[] = {
        {"threshold", sig_kw_threshold_setup},
        {"detection_filter", sig_kw_detection_filter},
};
const unsigned sig_kw_threshold_count = NIDS_ARRAY_LEN(sig_kw_threshold);

/* ---- threshold.config ---- */

static bool
sig_thr_applies(const struct sig *s, uint32_t gid, uint32_t sid)
{
    return (gid == 0 || s->gid == gid) && (sid == 0 || s->id == sid);
}

/* suppress gen_id G, sig_id S[, track by_src|by_dst|by_either, ip ADDR] */
static int
sig_thr_suppress(struct sig_parse *ps, char *text)
{
    struct sig_suppress tmpl;
    uint32_t gid = 1, sid = 0, i;
    bool have_sid = false;
    char *rest = text, *item;
    int rc;

    memset(&tmpl, 0, sizeof(tmpl));
    tmpl.track = SIG_TRACK_NONE;
    while ((item = sig_split(&rest, ',')) != NULL) {
        char *v = strpbrk(item, " \t");
        uint64_t n;
        if (*item == '\0')
            continue;
        if (v == NULL)
            return sig_perr(ps, "'%s' is not a 'key value' pair", item);
        *v++ = '\0';
        while (*v == ' ' || *v == '\t')
            v++;
        if (strcasecmp(item, "gen_id") == 0) {
            if ((rc = sig_parse_u64(ps, "gen_id", v, UINT32_MAX, &n)) < 0)
                return rc;
            gid = (uint32_t)n;
        } else if (strcasecmp(item, "sig_id") == 0) {
            if ((rc = sig_parse_u64(ps, "sig_id", v, UINT32_MAX, &n)) < 0)
                return rc;
            sid = (uint32_t)n;
            have_sid = true;
        } else if (strcasecmp(item, "track") == 0) {
            if ((rc = sig_thr_track(ps, v, true, &tmpl.track)) < 0)
                return rc;
        } else if (strcasecmp(item, "ip") == 0) {
            if ((rc = sig_addr_parse(ps, v, &tmpl.ips)) < 0)
                return rc;
        } else {
            return sig_perr(ps, "unknown suppress option '%s'", item);
        }
    }
    if (!have_sid)
        return sig_perr(ps, "suppress needs sig_id");
    if (tmpl.track != SIG_TRACK_NONE && !tmpl.ips.any && tmpl.ips.n4 == 0 && tmpl.ips.n6 == 0)
        return sig_perr(ps, "suppress with track needs ip");
    for (i = 0; i < ps->db->n_sigs; i++) {
        struct sig *s = ps->db->sigs[i];
        struct sig_suppress *sup;
        if (!sig_thr_applies(s, gid, sid))
            continue;
        sup = sig_arena_memdup(&ps->db->arena, &tmpl, sizeof(tmpl));
        if (sup == NULL)
            return sig_perr(ps, "out of memory");
        sup->next = s->sup;
        s->sup = sup;
    }
    return 0;
}

static int
sig_thr_line(struct sig_parse *ps, char *line)
{
    char *s = line, *sp;
    uint32_t gid = 1, sid = 0, i;
    struct sig_thr thr;
    int rc;

    while (*s == ' ' || *s == '\t')
        s++;
    if (*s == '\0' || *s == '#')
        return 0;
    sp = strpbrk(s, " \t");
    if (sp == NULL)
        return sig_perr(ps, "incomplete entry");
    *sp++ = '\0';
    if (strcasecmp(s, "suppress") == 0)
        return sig_thr_suppress(ps, sp);
    if (strcasecmp(s, "rate_filter") == 0)
        return sig_perr(ps, "rate_filter is not supported (IDS mode)");
    if (strcasecmp(s, "threshold") != 0 && strcasecmp(s, "event_filter") != 0)
        return sig_perr(ps, "unknown entry '%s'", s);
    if ((rc = sig_thr_items(ps, sp, false, &thr, &gid, &sid)) < 0)
        return rc;
    for (i = 0; i < ps->db->n_sigs; i++) {
        struct sig *g = ps->db->sigs[i];
        if (!sig_thr_applies(g, gid, sid))
            continue;
        g->thr = thr;
        g->flags |= SIG_F_HAS_THR;
    }
    return 0;
}

int
sig_threshold_file_load(struct sig_db *db, const char *path, struct cfg *cfg)
{
    struct sig_parse *ps;
    FILE *fp = fopen(path, "r");
    char line[4096];
    unsigned ln = 0;
    int bad = 0;

    if (fp == NULL) {
        log_warn("threshold-file %s: %s", path, strerror(errno));
        return NIDS_EIO;
    }
    ps = sig_parse_create(db, cfg);
    if (ps == NULL) {
        fclose(fp);
        return NIDS_ENOMEM;
    }
    while (fgets(line, sizeof(line), fp) != NULL) {
        size_t n = strlen(line);
        ln++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (sig_thr_line(ps, line) < 0) {
            log_warn("%s:%u: %s", path, ln, ps->err);
            bad++;
        }
    }
    fclose(fp);
    sig_parse_destroy(ps);
    return bad;
}
