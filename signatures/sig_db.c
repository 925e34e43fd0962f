/*
 * sig_db.c - the rule set as a container: its arena (every rule, pattern
 * and string of the set lives there and goes with it), the compiled
 * regexes and matchers it owns, and the gid:sid index that keeps one
 * rule per id (a newer rev replaces an older one, as Suricata does).
 * Start-up (and reload) thread only.
 */
#include "sig_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIG_ARENA_CHUNK (64u * 1024u)

struct sig_arena_chunk {
    struct sig_arena_chunk *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
};

void *
sig_arena_alloc(struct sig_arena *a, size_t n)
{
    struct sig_arena_chunk *c = a->head;
    void *p;

    n = (n + 15u) & ~(size_t)15u;
    if (n == 0)
        n = 16;
    if (c == NULL || c->size - c->used < n) {
        size_t size = n > SIG_ARENA_CHUNK / 4 ? n : SIG_ARENA_CHUNK;
        c = calloc(1, sizeof(*c) + size);
        if (c == NULL)
            return NULL;
        c->size = size;
        if (n > SIG_ARENA_CHUNK / 4 && a->head != NULL) {
            /* A big block gets its own chunk behind the current one. */
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = a->head;
            a->head = c;
        }
    }
    p = c->data + c->used;
    c->used += n;
    a->used += n;
    return p;
}

char *
sig_arena_strdup(struct sig_arena *a, const char *s)
{
    return sig_arena_memdup(a, s, strlen(s) + 1);
}

void *
sig_arena_memdup(struct sig_arena *a, const void *p, size_t n)
{
    void *q = sig_arena_alloc(a, n);

    if (q != NULL && n > 0)
        memcpy(q, p, n);
    return q;
}

void
sig_arena_free(struct sig_arena *a)
{
    struct sig_arena_chunk *c = a->head, *next;

    for (; c != NULL; c = next) {
        next = c->next;
        free(c);
    }
    a->head = NULL;
    a->used = 0;
}

int
sig_db_init(struct sig_db *db)
{
    memset(db, 0, sizeof(*db));
    db->packet_alert_max = 15;
    db->pcre_match_limit = 3500;
    db->pcre_depth_limit = 1500;
    db->flow_states = 16384;
    db->stream_windows = 4096;
    db->thr_entries = 16384;
    return sig_class_load_defaults(db);
}

static void
sig_group_fini(struct sig_group *g)
{
    free(g->nonmpm);
    free(g->mpms); /* matchers are freed through db->mpms */
    memset(g, 0, sizeof(*g));
}

void
sig_db_fini(struct sig_db *db)
{
    uint32_t i, a, d, st;

    for (i = 0; i < db->n_pcres; i++)
        pcre2_code_free(db->pcres[i]);
    for (i = 0; i < db->n_mpms; i++)
        mpm_destroy(db->mpms[i]);
    sig_group_fini(&db->iponly);
    sig_group_fini(&db->stream);
    for (i = 0; i < SIG_PCLASS_COUNT; i++) {
        sig_group_fini(&db->pkt[i]);
        sig_group_fini(&db->pktonly[i]);
    }
    for (a = 0; a < APP_PROTO_COUNT; a++)
        for (d = 0; d < 2; d++)
            for (st = 0; st <= SIG_STAGE_MAX; st++)
                sig_group_fini(&db->tx[a][d][st]);
    free(db->pcres);
    free(db->mpms);
    free(db->sigs);
    free(db->classes);
    free(db->dup_slots);
    sig_arena_free(&db->arena);
    memset(db, 0, sizeof(*db));
}

int
sig_db_keep_pcre(struct sig_db *db, pcre2_code *re)
{
    if (db->n_pcres == db->cap_pcres) {
        uint32_t n = db->cap_pcres ? db->cap_pcres * 2 : 64;
        pcre2_code **q = realloc(db->pcres, sizeof(*q) * n);
        if (q == NULL)
            return NIDS_ENOMEM;
        db->pcres = q;
        db->cap_pcres = n;
    }
    db->pcres[db->n_pcres++] = re;
    return 0;
}

static uint32_t
sig_dup_hash(uint32_t gid, uint32_t sid)
{
    uint64_t k = (uint64_t)gid << 32 | sid;

    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    return (uint32_t)k;
}

static int
sig_dup_rehash(struct sig_db *db)
{
    uint32_t n = db->n_dup_slots ? db->n_dup_slots * 2 : 1024, i;
    uint32_t *s = calloc(n, sizeof(*s));

    if (s == NULL)
        return NIDS_ENOMEM;
    for (i = 0; i < db->n_sigs; i++) {
        const struct sig *g = db->sigs[i];
        uint32_t k;
        if (g == NULL)
            continue;
        for (k = sig_dup_hash(g->gid, g->id) & (n - 1); s[k] != 0; k = (k + 1) & (n - 1))
            ;
        s[k] = i + 1;
    }
    free(db->dup_slots);
    db->dup_slots = s;
    db->n_dup_slots = n;
    return 0;
}

int
sig_db_add(struct sig_db *db, struct sig *s, char *err, size_t errlen)
{
    uint32_t k, mask;

    if ((db->n_sigs + 1) * 2 > db->n_dup_slots && sig_dup_rehash(db) < 0)
        goto out_nomem;
    mask = db->n_dup_slots - 1;
    for (k = sig_dup_hash(s->gid, s->id) & mask; db->dup_slots[k] != 0; k = (k + 1) & mask) {
        struct sig *o = db->sigs[db->dup_slots[k] - 1];
        if (o == NULL || o->gid != s->gid || o->id != s->id)
            continue;
        if (s->rev <= o->rev) {
            snprintf(err, errlen, "duplicate signature %u:%u (rev %u, first at %s:%u)", s->gid,
                     s->id, o->rev, o->file, o->line);
            return NIDS_EINVAL;
        }
        /* A newer revision replaces the older rule in its place. */
        s->num = o->num;
        db->sigs[db->dup_slots[k] - 1] = s;
        return 1;
    }
    if (db->n_sigs == db->cap_sigs) {
        uint32_t n = db->cap_sigs ? db->cap_sigs * 2 : 256;
        struct sig **q = realloc(db->sigs, sizeof(*q) * n);
        if (q == NULL)
            goto out_nomem;
        db->sigs = q;
        db->cap_sigs = n;
    }
    s->num = db->n_sigs;
    db->sigs[db->n_sigs++] = s;
    db->dup_slots[k] = db->n_sigs;
    return 0;

out_nomem:
    snprintf(err, errlen, "out of memory");
    return NIDS_ENOMEM;
}
