/*
 * sig_state.c - per-flow detection state of a worker.
 *
 * Every flow-table entry has a slot (struct sig_fslot, 8 bytes, indexed by
 * the entry's position in the worker's flow table): IP-only and pass
 * flags, and the index of a struct sig_fstate when the flow needs one
 * (flowbits, transactions inspected, stream windows, by_flow thresholds).
 * States and stream windows come from fixed pools sized at start-up
 * (detect.flow-states, detect.stream-windows); an empty pool is counted
 * and the flow goes on with less (no flowbits, packet-wise payload
 * inspection). Everything goes back when the flow ends.
 */
#include "sig_int.h"

#include <string.h>

struct sig_fslot *
sig_slot(struct sig_thread *t, const struct flow *f)
{
    size_t i;

    if (f == NULL || f < t->flow_base)
        return NULL;
    i = (size_t)(f - t->flow_base);
    NIDS_BUG_ON(i >= t->flow_cap);
    return i < t->flow_cap ? &t->slots[i] : NULL;
}

struct sig_fstate *
sig_state_get(struct sig_thread *t, const struct flow *f, bool create)
{
    struct sig_fslot *sl = sig_slot(t, f);
    struct sig_fstate *st;
    uint32_t i;

    if (sl == NULL)
        return NULL;
    if (sl->state != 0)
        return &t->states[sl->state - 1];
    if (!create)
        return NULL;
    if (t->states == NULL ||
        (i = pool_list_alloc(&t->state_list, &t->states[0].next, sizeof(*t->states))) == 0) {
        if (!(sl->flags & SIG_FS_NOSTATE)) {
            sl->flags |= SIG_FS_NOSTATE;
            t->ctr[STAT_DETECT_FLOW_STATE_POOL_EMPTY]++;
        }
        return NULL;
    }
    st = &t->states[i - 1];
    memset(st, 0, sizeof(*st));
    sl->state = i;
    return st;
}

struct sig_win *
sig_win_get(struct sig_thread *t, struct sig_fstate *st, int dir, bool create)
{
    struct sig_win *w;
    uint32_t i;

    if (st->win[dir] != 0)
        return &t->wins[st->win[dir] - 1];
    if (!create || t->wins == NULL)
        return NULL;
    i = pool_list_alloc(&t->win_list, &t->wins[0].next, sizeof(*t->wins));
    if (i == 0) {
        t->ctr[STAT_DETECT_STREAM_WINDOW_POOL_EMPTY]++;
        return NULL;
    }
    w = &t->wins[i - 1];
    w->next = 0;
    w->len = w->done = 0;
    w->base = 0;
    st->win[dir] = i;
    return w;
}

void
sig_state_release(struct sig_thread *t, const struct flow *f)
{
    struct sig_fslot *sl = sig_slot(t, f);
    int d;

    if (sl == NULL)
        return;
    if (sl->state != 0) {
        struct sig_fstate *st = &t->states[sl->state - 1];
        for (d = 0; d < 2; d++) {
            if (st->win[d] == 0)
                continue;
            pool_list_free(&t->win_list, &t->wins[0].next, sizeof(*t->wins), st->win[d]);
            st->win[d] = 0;
        }
        pool_list_free(&t->state_list, &t->states[0].next, sizeof(*t->states), sl->state);
    }
    sl->state = 0;
    sl->flags = 0;
}

static uint8_t
sig_swap_bits(uint8_t v, uint8_t a, uint8_t b)
{
    uint8_t r = (uint8_t)(v & ~(a | b));

    if (v & a)
        r |= b;
    if (v & b)
        r |= a;
    return r;
}

void
sig_flow_swap(struct sig_thread *t, const struct flow *f)
{
    struct sig_fslot *sl = sig_slot(t, f);
    struct sig_fstate *st;
    uint32_t tmp;

    if (sl == NULL)
        return;
    sl->flags = sig_swap_bits(sl->flags, SIG_FS_IPONLY_TS, SIG_FS_IPONLY_TC);
    if (t->have_cur && t->cur.f == f)
        t->stream_add = sig_swap_bits(t->stream_add, 1, 2);
    if (sl->state == 0)
        return;
    st = &t->states[sl->state - 1];
    tmp = st->win[0];
    st->win[0] = st->win[1];
    st->win[1] = tmp;
    tmp = st->ack[0];
    st->ack[0] = st->ack[1];
    st->ack[1] = tmp;
    st->ack_known = sig_swap_bits(st->ack_known, 1, 2);
    st->trigger = sig_swap_bits(st->trigger, 1, 2);
}

/* Reload: old flowbit numbers to the new set's (by name), + 1; 0 when the name is gone. */
static void
sig_fb_map(const struct sig_db *nd, const struct sig_db *od, uint16_t *map)
{
    uint32_t i, j;

    for (i = 0; i < od->n_flowbits; i++) {
        map[i] = 0;
        for (j = 0; j < nd->n_flowbits; j++)
            if (strcmp(od->flowbits[i], nd->flowbits[j]) == 0) {
                map[i] = (uint16_t)(j + 1);
                break;
            }
    }
}

/* Reload: one flow's state from ot's pools into nt's (what does not fit is counted). */
static void
sig_adopt_state(struct sig_thread *nt, const struct sig_thread *ot, uint32_t i, const uint16_t *map)
{
    const struct sig_fstate *os = &ot->states[ot->slots[i].state - 1];
    struct sig_fstate *ns;
    uint32_t b;
    int d;

    if (nt->states == NULL)
        return; /* the new set keeps no per-flow state */
    ns = sig_state_get(nt, nt->flow_base + i, true);
    if (ns == NULL)
        return;
    for (b = 0; b < ot->db->n_flowbits; b++)
        if (map[b] != 0 && (os->bits[b / 64] >> (b % 64) & 1u))
            ns->bits[(map[b] - 1) / 64] |= 1ull << ((map[b] - 1) % 64);
    memcpy(ns->tx, os->tx, sizeof(ns->tx));
    memcpy(ns->ack, os->ack, sizeof(ns->ack));
    ns->ack_known = os->ack_known;
    ns->trigger = os->trigger;
    for (d = 0; d < 2; d++) {
        const struct sig_win *ow;
        struct sig_win *nw;
        if (os->win[d] == 0)
            continue;
        nw = sig_win_get(nt, ns, d, true);
        if (nw == NULL)
            continue;
        ow = &ot->wins[os->win[d] - 1];
        nw->base = ow->base;
        nw->len = ow->len;
        nw->done = ow->done; /* the new rules see the bytes that come from now on */
        memcpy(nw->data, ow->data, ow->len);
    }
}

void
sig_thread_adopt(struct sig_thread *nt, const struct sig_thread *ot)
{
    uint16_t map[SIG_FLOWBITS_MAX];
    uint32_t i, n;

    if (nt == NULL || ot == NULL || nt->flow_base != ot->flow_base)
        return;
    sig_fb_map(nt->db, ot->db, map);
    n = ot->flow_cap < nt->flow_cap ? ot->flow_cap : nt->flow_cap;
    for (i = 0; i < n; i++) {
        const struct sig_fslot *os = &ot->slots[i];
        if (os->flags == 0 && os->state == 0)
            continue;
        nt->slots[i].flags = (uint8_t)(os->flags & ~SIG_FS_NOSTATE);
        if (os->state != 0)
            sig_adopt_state(nt, ot, i, map);
    }
}
