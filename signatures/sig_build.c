/*
 * sig_build.c - from parsed rules to what a worker runs:
 *
 * 1. Order: Suricata's action order (pass first), flowbit setters before
 *    readers, then priority, then load order. The position is the rule's
 *    number; candidates are inspected and alerts queued in that order.
 * 2. Groups: what one prefilter pass chooses from.
 *      iponly          address-only rules (first packet of each flow direction)
 *      pkt[class]      rules for a packet whose payload is not part of a TCP stream
 *      pktonly[class]  rules for a TCP packet whose payload went into the stream
 *                      (packet keywords, and payload rules that are packet-only)
 *      stream          payload rules inspected on TCP stream windows
 *      tx[app][dir][stage]  transaction rules, by when they are complete
 *    A rule whose fast pattern is in the group's buffer goes into that
 *    buffer's matcher; the others are "non-mpm" and always candidates.
 * 3. One matcher (mpm.h) per group and buffer.
 */
#include "sig_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
sig_order_cmp(const void *a, const void *b)
{
    static const uint8_t fb_order[4] = {3, 1, 2, 4}; /* none, set, set+read, read */
    const struct sig *x = *(const struct sig *const *)a, *y = *(const struct sig *const *)b;

    if (x->action != y->action)
        return x->action < y->action ? -1 : 1;
    if (fb_order[x->fb_rank] != fb_order[y->fb_rank])
        return fb_order[x->fb_rank] < fb_order[y->fb_rank] ? -1 : 1;
    if (x->prio != y->prio)
        return x->prio < y->prio ? -1 : 1;
    return x->num < y->num ? -1 : x->num > y->num;
}

static bool
sig_has_proto(const struct sig *s, uint8_t p)
{
    return s->proto_any || (s->proto[p / 8] & (1u << (p % 8))) != 0;
}

/* True when s may inspect packets of IP protocol class c. */
static bool
sig_in_class(const struct sig *s, unsigned c)
{
    unsigned p;

    if (s->proto_any)
        return true;
    switch (c) {
    case SIG_PCLASS_TCP:
        return sig_has_proto(s, 6);
    case SIG_PCLASS_UDP:
        return sig_has_proto(s, 17);
    case SIG_PCLASS_ICMP:
        return sig_has_proto(s, 1) || sig_has_proto(s, 58);
    default:
        for (p = 0; p < 256; p++)
            if (p != 6 && p != 17 && p != 1 && p != 58 && sig_has_proto(s, (uint8_t)p))
                return true;
        return false;
    }
}

struct sig_gb {
    struct sig_db *db;
    struct sig_group *g;
    uint32_t *nonmpm;
    uint32_t n_nonmpm;
    struct mpm_builder *mb[SIG_LISTS_MAX * 4];
    uint16_t mb_buf[SIG_LISTS_MAX * 4];
    unsigned n_mb;
    char *err;
    size_t errlen;
};

static int
sig_gb_mpm_add(struct sig_gb *b, uint16_t buf, const struct sig_content *c, uint32_t num)
{
    const uint8_t *p = c->pat;
    uint32_t len = c->len;
    unsigned i;

    for (i = 0; i < b->n_mb; i++)
        if (b->mb_buf[i] == buf)
            break;
    if (i == b->n_mb) {
        if (b->n_mb == NIDS_ARRAY_LEN(b->mb))
            return NIDS_ENOMEM;
        b->mb[i] = mpm_builder_create();
        if (b->mb[i] == NULL)
            return NIDS_ENOMEM;
        b->mb_buf[i] = buf;
        b->n_mb++;
    }
    if (c->flags & SIG_CF_FP_CHOP) {
        p += c->fp_off;
        len = c->fp_len;
    }
    if (len > b->g->max_fp)
        b->g->max_fp = len;
    return mpm_builder_add(b->mb[i], p, len, (c->flags & SIG_CF_NOCASE) != 0, num);
}

/* Put rule s into the group: its fast pattern's matcher, or the non-mpm list. */
static int
sig_gb_add(struct sig_gb *b, const struct sig *s, bool payload_mpm, bool tx_mpm)
{
    const struct sig_list *l = NULL;

    if (s->fp_list == 0 && payload_mpm)
        l = &s->payload;
    else if (s->fp_list > 0 && tx_mpm)
        l = &s->bufs[s->fp_list - 1];
    b->g->n_sigs++;
    if (l != NULL)
        return sig_gb_mpm_add(b, l->buf, &l->cm[s->fp_cm].u.c, s->num);
    b->nonmpm[b->n_nonmpm++] = s->num;
    return 0;
}

static int
sig_gb_keep_mpm(struct sig_db *db, struct mpm *m)
{
    if (db->n_mpms == db->cap_mpms) {
        uint32_t n = db->cap_mpms ? db->cap_mpms * 2 : 32;
        struct mpm **q = realloc(db->mpms, sizeof(*q) * n);
        if (q == NULL)
            return NIDS_ENOMEM;
        db->mpms = q;
        db->cap_mpms = n;
    }
    db->mpms[db->n_mpms++] = m;
    return 0;
}

/* Compile the group's matchers and keep its lists; frees the builders. */
static int
sig_gb_finish(struct sig_gb *b)
{
    struct sig_group *g = b->g;
    unsigned i;
    int rc = 0;

    if (b->n_nonmpm > 0) {
        g->nonmpm = malloc(sizeof(*g->nonmpm) * b->n_nonmpm);
        if (g->nonmpm == NULL)
            rc = NIDS_ENOMEM;
        else
            memcpy(g->nonmpm, b->nonmpm, sizeof(*g->nonmpm) * b->n_nonmpm);
        g->n_nonmpm = b->n_nonmpm;
    }
    if (rc == 0 && b->n_mb > 0) {
        g->mpms = calloc(b->n_mb, sizeof(*g->mpms));
        if (g->mpms == NULL)
            rc = NIDS_ENOMEM;
    }
    for (i = 0; i < b->n_mb; i++) {
        if (rc == 0) {
            struct mpm *m = mpm_compile(b->mb[i], b->err, b->errlen);
            if (m == NULL) {
                rc = NIDS_EINVAL;
            } else if (sig_gb_keep_mpm(b->db, m) < 0) {
                mpm_destroy(m);
                rc = NIDS_ENOMEM;
            } else {
                g->mpms[g->n_mpm].buf = b->mb_buf[i];
                g->mpms[g->n_mpm].mpm = m;
                g->n_mpm++;
            }
        }
        mpm_builder_destroy(b->mb[i]);
        b->mb[i] = NULL;
    }
    b->n_mb = 0;
    b->n_nonmpm = 0;
    if (rc == NIDS_ENOMEM)
        snprintf(b->err, b->errlen, "out of memory");
    return rc;
}

enum sig_gkind {
    SIG_G_IPONLY = 0,
    SIG_G_PKT,
    SIG_G_PKTONLY,
    SIG_G_STREAM,
    SIG_G_TX
};

/* Does s belong to the group (kind, class / app, dir, stage)? */
static bool
sig_gb_wants(const struct sig *s, enum sig_gkind k, unsigned c, unsigned app, unsigned d,
             unsigned st)
{
    switch (k) {
    case SIG_G_IPONLY:
        return s->kind == SIG_KIND_IPONLY;
    case SIG_G_PKT:
        return (s->kind == SIG_KIND_PKT ||
                (s->kind == SIG_KIND_PAYLOAD && !(s->flags & SIG_F_STREAM_ONLY))) &&
               sig_in_class(s, c);
    case SIG_G_PKTONLY:
        return (s->kind == SIG_KIND_PKT ||
                (s->kind == SIG_KIND_PAYLOAD && (s->flags & SIG_F_PKT_ONLY))) &&
               sig_in_class(s, c);
    case SIG_G_STREAM:
        return s->kind == SIG_KIND_PAYLOAD && !(s->flags & SIG_F_PKT_ONLY) &&
               sig_in_class(s, SIG_PCLASS_TCP);
    default:
        return s->kind == SIG_KIND_TX && s->app_proto == app && (s->tx_dirs & (1u << d)) &&
               s->tx_stage[d] == st;
    }
}

static int
sig_gb_build(struct sig_gb *b, struct sig_group *g, enum sig_gkind k, unsigned c, unsigned app,
             unsigned d, unsigned st)
{
    uint32_t i;
    int rc;

    b->g = g;
    for (i = 0; i < b->db->n_sigs; i++) {
        const struct sig *s = b->db->sigs[i];
        if (!sig_gb_wants(s, k, c, app, d, st))
            continue;
        rc = sig_gb_add(b, s, k == SIG_G_PKT || k == SIG_G_PKTONLY || k == SIG_G_STREAM,
                        k == SIG_G_TX);
        if (rc < 0) {
            snprintf(b->err, b->errlen, "out of memory");
            return rc;
        }
    }
    return sig_gb_finish(b);
}

int
sig_db_build(struct sig_db *db, char *err, size_t errlen)
{
    struct sig_gb b;
    uint32_t i;
    unsigned c, a, d, st;
    int rc = 0;

    memset(&b, 0, sizeof(b));
    b.db = db;
    b.err = err;
    b.errlen = errlen;
    err[0] = '\0';
    if (db->n_sigs > 1)
        qsort(db->sigs, db->n_sigs, sizeof(*db->sigs), sig_order_cmp);
    db->n_thr_rule = 0;
    for (i = 0; i < db->n_sigs; i++) {
        struct sig *s = db->sigs[i];
        s->num = i;
        if ((s->flags & SIG_F_HAS_THR) && s->thr.track == SIG_TRACK_RULE)
            s->thr_idx = db->n_thr_rule++;
        if (s->n_post > 0)
            db->has_state = true;
        if (s->kind == SIG_KIND_PAYLOAD && !(s->flags & SIG_F_PKT_ONLY) &&
            sig_in_class(s, SIG_PCLASS_TCP))
            db->has_stream = true;
        if (s->kind == SIG_KIND_TX)
            db->has_tx[s->app_proto] = true;
    }
    b.nonmpm = malloc(sizeof(*b.nonmpm) * (db->n_sigs ? db->n_sigs : 1));
    if (b.nonmpm == NULL) {
        snprintf(err, errlen, "out of memory");
        return NIDS_ENOMEM;
    }
    rc = sig_gb_build(&b, &db->iponly, SIG_G_IPONLY, 0, 0, 0, 0);
    for (c = 0; c < SIG_PCLASS_COUNT && rc == 0; c++) {
        rc = sig_gb_build(&b, &db->pkt[c], SIG_G_PKT, c, 0, 0, 0);
        if (rc == 0)
            rc = sig_gb_build(&b, &db->pktonly[c], SIG_G_PKTONLY, c, 0, 0, 0);
    }
    if (rc == 0)
        rc = sig_gb_build(&b, &db->stream, SIG_G_STREAM, 0, 0, 0, 0);
    for (a = 0; a < APP_PROTO_COUNT && rc == 0; a++)
        for (d = 0; d < 2 && rc == 0; d++)
            for (st = 1; st <= SIG_STAGE_MAX && rc == 0; st++)
                if (db->has_tx[a])
                    rc = sig_gb_build(&b, &db->tx[a][d][st], SIG_G_TX, 0, a, d, st);
    for (i = 0; i < b.n_mb; i++)
        mpm_builder_destroy(b.mb[i]);
    free(b.nonmpm);
    free(db->dup_slots);
    db->dup_slots = NULL;
    db->n_dup_slots = 0;
    return rc;
}
