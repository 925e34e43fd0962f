/*
 * sig_thread.c - a worker's context for a rule set: matcher scratch,
 * pcre2 match data and limits, the candidate bitmap, the alert queue, the
 * per-flow slots and the state, window and threshold pools. All of it is
 * allocated here, at start-up; the packet path only takes and returns.
 */
#include "sig_int.h"

#include <stdlib.h>
#include <string.h>

#define SIG_SCRATCH_SIZE (256u * 1024u)

uint32_t
sig_db_count(const struct sig_db *db)
{
    return db != NULL ? db->n_sigs : 0;
}

static bool
sig_db_has_thr_table(const struct sig_db *db)
{
    uint32_t i;

    for (i = 0; i < db->n_sigs; i++) {
        const struct sig *s = db->sigs[i];
        if ((s->flags & SIG_F_HAS_THR) && s->thr.track != SIG_TRACK_RULE)
            return true;
    }
    return false;
}

static bool
sig_db_needs_state(const struct sig_db *db)
{
    unsigned a;

    if (db->has_state || db->has_stream)
        return true;
    for (a = 0; a < APP_PROTO_COUNT; a++)
        if (db->has_tx[a])
            return true;
    return false;
}

struct sig_thread *
sig_thread_create(const struct sig_db *db, const struct flow *flow_base, uint32_t flow_capacity,
                  struct eve *eve, uint64_t *ctr)
{
    struct sig_thread *t = calloc(1, sizeof(*t));
    uint32_t i, words = (db->n_sigs + 63) / 64 + 1;

    if (t == NULL)
        return NULL;
    t->db = db;
    t->eve = eve;
    t->ctr = ctr;
    t->flow_base = flow_base;
    t->flow_cap = flow_capacity;
    if (mpm_scratch_grow(&t->ms, NULL) < 0)
        goto out_fail;
    for (i = 0; i < db->n_mpms; i++)
        if (mpm_scratch_grow(&t->ms, db->mpms[i]) < 0)
            goto out_fail;
    t->md = pcre2_match_data_create(db->max_captures + 1, NULL);
    t->mctx = pcre2_match_context_create(NULL);
    if (t->md == NULL || t->mctx == NULL)
        goto out_fail;
    pcre2_set_match_limit(t->mctx, db->pcre_match_limit);
    pcre2_set_depth_limit(t->mctx, db->pcre_depth_limit);
    t->cand = calloc(words, sizeof(*t->cand));
    t->touched = calloc(words, sizeof(*t->touched));
    t->capq = db->packet_alert_max + 256;
    t->q = calloc(t->capq, sizeof(*t->q));
    t->slots = calloc(flow_capacity ? flow_capacity : 1, sizeof(*t->slots));
    t->scratch = malloc(SIG_SCRATCH_SIZE);
    t->scratch_cap = SIG_SCRATCH_SIZE;
    t->out = malloc(EVE_ALERT_SCRATCH);
    if (t->cand == NULL || t->touched == NULL || t->q == NULL || t->slots == NULL ||
        t->scratch == NULL || t->out == NULL)
        goto out_fail;
    if (sig_db_needs_state(db) && db->flow_states > 0) {
        t->states = calloc(db->flow_states, sizeof(*t->states));
        if (t->states == NULL)
            goto out_fail;
        pool_list_init(&t->state_list, db->flow_states);
    }
    if (db->has_stream && db->stream_windows > 0) {
        /* calloc: pages are only touched as windows are used. */
        t->wins = calloc(db->stream_windows, sizeof(*t->wins));
        if (t->wins == NULL)
            goto out_fail;
        pool_list_init(&t->win_list, db->stream_windows);
    }
    if (sig_db_has_thr_table(db)) {
        uint32_t n = 64;
        while (n < db->thr_entries && n < (1u << 30))
            n *= 2;
        t->thr_tab = calloc(n, sizeof(*t->thr_tab));
        if (t->thr_tab == NULL)
            goto out_fail;
        t->thr_mask = n - 1;
    }
    if (db->n_thr_rule > 0) {
        t->rule_thr = calloc(db->n_thr_rule, sizeof(*t->rule_thr));
        if (t->rule_thr == NULL)
            goto out_fail;
    }
    return t;

out_fail:
    sig_thread_destroy(t);
    return NULL;
}

void
sig_thread_destroy(struct sig_thread *t)
{
    if (t == NULL)
        return;
    mpm_scratch_free(t->ms);
    pcre2_match_data_free(t->md);
    pcre2_match_context_free(t->mctx);
    free(t->cand);
    free(t->touched);
    free(t->q);
    free(t->slots);
    free(t->states);
    free(t->wins);
    free(t->thr_tab);
    free(t->rule_thr);
    free(t->scratch);
    free(t->out);
    free(t);
}
