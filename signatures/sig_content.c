/*
 * sig_content.c - one inspection list (contents and pcres of a buffer)
 * against one buffer, with Suricata's semantics
 * (detect-engine-content-inspection.c DetectEngineContentInspection):
 *
 * - keywords are tried in order; offset/depth count from the buffer
 *   start, distance/within from the end of the previous match;
 * - when a later keyword fails and it is relative to this one, the next
 *   occurrence of this content (or pcre) is tried: the search backtracks,
 *   bounded by SIG_STEPS_MAX steps per list (counted when hit);
 * - a negated content matches when the pattern is absent from its window;
 *   endswith wants the match to end at the buffer end;
 * - an empty buffer matches nothing, not even a negated content.
 *
 * Worker thread; no allocation (pcre2 match data is the worker's).
 */
#include "sig_int.h"

#include <string.h>

static inline uint8_t
sig_lc(uint8_t c)
{
    return (uint8_t)(c >= 'A' && c <= 'Z' ? c + 32 : c);
}

/* First occurrence of c's pattern in h[0..hn). */
static const uint8_t *
sig_search(const struct sig_content *c, const uint8_t *h, uint32_t hn)
{
    uint32_t m = c->len, i = 0, k;
    const uint8_t *p = c->pat;

    if (m == 0 || m > hn)
        return NULL;
    if (!(c->flags & SIG_CF_NOCASE))
        return m == 1 ? memchr(h, p[0], hn) : memmem(h, hn, p, m);
    while (i <= hn - m) {
        uint8_t last = sig_lc(h[i + m - 1]);
        if (last == p[m - 1]) {
            for (k = 0; k + 1 < m && sig_lc(h[i + k]) == p[k]; k++)
                ;
            if (k + 1 >= m)
                return h + i;
        }
        i += c->skip[h[i + m - 1]];
    }
    return NULL;
}

static int sig_cm_inspect(struct sig_thread *t, const struct sig_cm *cm, uint32_t n,
                          const uint8_t *buf, uint32_t len);

/* The rest of the list after a keyword that matched (or none left: a match). */
static int
sig_cm_next(struct sig_thread *t, const struct sig_cm *cm, uint32_t n, const uint8_t *buf,
            uint32_t len)
{
    if (n <= 1)
        return 1;
    return sig_cm_inspect(t, cm + 1, n - 1, buf, len);
}

static int
sig_content_inspect(struct sig_thread *t, const struct sig_cm *cm, uint32_t n, const uint8_t *buf,
                    uint32_t len)
{
    const struct sig_content *c = &cm->u.c;
    uint32_t prev_buffer_offset = t->buffer_offset, prev_offset = 0;

    for (;;) {
        uint32_t offset, depth = len;
        const uint8_t *found;
        if (c->flags & (SIG_CF_DISTANCE | SIG_CF_WITHIN)) {
            int64_t o = prev_buffer_offset;
            if (c->flags & SIG_CF_DISTANCE)
                o = (c->distance < 0 && (uint32_t)(-c->distance) > prev_buffer_offset)
                            ? 0
                            : (int64_t)prev_buffer_offset + c->distance;
            offset = (uint32_t)o;
            if (c->flags & SIG_CF_WITHIN) {
                int64_t dlim = (int64_t)prev_buffer_offset + c->within +
                               ((c->flags & SIG_CF_DISTANCE) ? c->distance : 0);
                if ((int64_t)depth > dlim)
                    depth = dlim < 0 ? 0 : (uint32_t)dlim;
            }
        } else {
            if (c->flags & SIG_CF_DEPTH)
                depth = (uint32_t)c->depth;
            offset = (uint32_t)c->offset;
            prev_buffer_offset = 0;
        }
        if (prev_offset != 0)
            offset = prev_offset;
        if (depth > len)
            depth = len;
        if (offset > depth || depth == 0)
            return (c->flags & SIG_CF_NEGATED) ? sig_cm_next(t, cm, n, buf, len) : 0;
        if ((c->flags & SIG_CF_ENDSWITH) && depth < len)
            found = NULL;
        else
            found = sig_search(c, buf + offset, depth - offset);
        if (found == NULL) {
            if (!(c->flags & SIG_CF_NEGATED)) {
                if (!(c->flags & (SIG_CF_DISTANCE | SIG_CF_WITHIN)))
                    t->discontinue = true; /* not relative: no other position helps */
                return 0;
            }
            return sig_cm_next(t, cm, n, buf, len);
        }
        {
            uint32_t end = (uint32_t)(found - buf) + c->len;
            int r;
            if (c->flags & SIG_CF_NEGATED) {
                /* Found, but not at the end: a negated endswith still holds. */
                if ((c->flags & SIG_CF_ENDSWITH) && end != len)
                    return sig_cm_next(t, cm, n, buf, len);
                if (!(c->flags & (SIG_CF_DISTANCE | SIG_CF_WITHIN | SIG_CF_RELATIVE_NEXT)))
                    t->discontinue = true;
                return 0;
            }
            if (!(c->flags & SIG_CF_ENDSWITH) || end == len) {
                t->buffer_offset = end;
                if (end > t->match_end)
                    t->match_end = end;
                if (n <= 1)
                    return 1;
                r = sig_cm_inspect(t, cm + 1, n - 1, buf, len);
                if (r != 0)
                    return r;
                if (!(c->flags & SIG_CF_RELATIVE_NEXT))
                    return 0; /* nothing after is relative to this match */
            }
            /* Try the next occurrence, one byte after this one's start. */
            prev_offset = end - (c->len - 1);
            if (++t->steps >= SIG_STEPS_MAX) {
                t->discontinue = true;
                t->ctr[STAT_DETECT_STEPS_LIMIT]++;
                return 0;
            }
        }
    }
}

static int
sig_pcre_inspect(struct sig_thread *t, const struct sig_cm *cm, uint32_t n, const uint8_t *buf,
                 uint32_t len)
{
    const struct sig_pcre *r = &cm->u.r;
    uint32_t prev_buffer_offset = t->buffer_offset;

    t->pcre_start = 0;
    for (;;) {
        uint32_t base = (r->flags & SIG_PF_RELATIVE) ? t->buffer_offset : 0, start = 0;
        PCRE2_SIZE *ov;
        int rc, k;
        if (base > len)
            base = len;
        if (t->pcre_start > base)
            start = t->pcre_start - base;
        if (start > len - base)
            return 0;
        rc = pcre2_match(r->re, buf + base, len - base, start, 0, t->md,
                         (r->flags & SIG_PF_NO_LIMIT) ? NULL : t->mctx);
        if (rc == PCRE2_ERROR_NOMATCH)
            return (r->flags & SIG_PF_NEGATED) ? sig_cm_next(t, cm, n, buf, len) : 0;
        if (rc < 0 && rc != PCRE2_ERROR_PARTIAL) {
            t->ctr[STAT_DETECT_PCRE_ERRORS]++; /* match limit or error: no match */
            return 0;
        }
        if (r->flags & SIG_PF_NEGATED)
            return 0;
        ov = pcre2_get_ovector_pointer(t->md);
        t->buffer_offset = base + (uint32_t)ov[1];
        t->pcre_start = base + (uint32_t)ov[0] + 1;
        if (t->buffer_offset > t->match_end)
            t->match_end = t->buffer_offset;
        if (!(r->flags & SIG_PF_RELATIVE_NEXT))
            return sig_cm_next(t, cm, n, buf, len);
        k = t->pcre_start;
        rc = sig_cm_next(t, cm, n, buf, len);
        if (rc != 0)
            return rc;
        t->buffer_offset = prev_buffer_offset;
        t->pcre_start = (uint32_t)k;
        if (++t->steps >= SIG_STEPS_MAX) {
            t->discontinue = true;
            t->ctr[STAT_DETECT_STEPS_LIMIT]++;
            return 0;
        }
    }
}

static int
sig_cm_inspect(struct sig_thread *t, const struct sig_cm *cm, uint32_t n, const uint8_t *buf,
               uint32_t len)
{
    if (t->discontinue)
        return -1;
    if (++t->steps >= SIG_STEPS_MAX) {
        t->discontinue = true;
        t->ctr[STAT_DETECT_STEPS_LIMIT]++;
        return -1;
    }
    if (cm->type == SIG_CM_CONTENT)
        return sig_content_inspect(t, cm, n, buf, len);
    return sig_pcre_inspect(t, cm, n, buf, len);
}

bool
sig_list_match(struct sig_thread *t, const struct sig_list *l, const uint8_t *buf, uint32_t len)
{
    t->buffer_offset = 0;
    t->pcre_start = 0;
    t->steps = 0;
    t->match_end = 0;
    t->discontinue = false;
    if (len == 0 || l->n == 0 || buf == NULL)
        return false;
    return sig_cm_inspect(t, l->cm, l->n, buf, len) == 1;
}
