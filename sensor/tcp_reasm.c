/*
 * tcp_reasm.c - TCP reassembly (RFC 9293 sequence space, modulo 2^32).
 */
#include "tcp_reasm.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"

struct tcp_seg {
    uint32_t seq;
    uint16_t len;
    uint32_t next;             /* sorted list per direction, or free list: index + 1 */
    uint32_t pkt_seq, pkt_end; /* the segment these bytes came in (overlap policy) */
    uint8_t data[TCP_SEG_DATA];
};

void
tcp_reasm_cfg_defaults(struct tcp_reasm_cfg *c)
{
    c->memcap = 64ull << 20;
    c->depth = 1u << 20;
    c->hosts.n = 0; /* every host: bsd */
}

int
tcp_reasm_init(struct tcp_reasm *r, const struct tcp_reasm_cfg *cfg, uint64_t *ctr,
               tcp_reasm_data_fn on_data, void *ctx)
{

    memset(r, 0, sizeof(*r));
    r->cfg = *cfg;
    r->ctr = ctr;
    r->on_data = on_data;
    r->ctx = ctx;
    r->n_segs = (uint32_t)(cfg->memcap / sizeof(struct tcp_seg));
    if (r->n_segs == 0)
        return 0; /* no out-of-order storage: holes become gaps */
    /* calloc: pages are only mapped as segments are used (pool.h). */
    r->segs = calloc(r->n_segs, sizeof(struct tcp_seg));
    if (r->segs == NULL)
        return NIDS_ENOMEM;
    pool_list_init(&r->seg_list, r->n_segs);
    return 0;
}

void
tcp_reasm_fini(struct tcp_reasm *r)
{
    free(r->segs);
    r->segs = NULL;
}

static inline int32_t
tcp_seq_diff(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b);
}

/* Hands bytes to the app layer, within the depth. */
static void
tcp_reasm_give(struct tcp_reasm *r, struct flow *f, int dir, const uint8_t *data, uint32_t len,
               uint32_t flags)
{
    uint32_t room;

    if (f->rs_flags[dir] & TCP_RS_EOF)
        return;
    if ((f->rs_flags[dir] & TCP_RS_DEPTH) && !(flags & APP_FLAG_EOF))
        return;
    if ((f->rs_flags[dir] & TCP_RS_RAW) && !(flags & APP_FLAG_EOF))
        flags |= APP_FLAG_RAW;
    if (r->cfg.depth > 0 && len > 0) {
        room = r->cfg.depth - f->rs_delivered[dir];
        if (len >= room) {
            len = room;
            f->rs_flags[dir] |= TCP_RS_DEPTH;
            r->ctr[STAT_TCP_STREAM_DEPTH_REACHED]++;
            if (r->cur != NULL)
                dec_event_set(r->cur, DEC_EV_STREAM_REASSEMBLY_DEPTH_REACHED);
        }
    }
    f->rs_delivered[dir] += len;
    if (len > 0 || flags != 0)
        r->on_data(r->ctx, f, dir, data, len, flags);
}

static void
tcp_seg_free(struct tcp_reasm *r, uint32_t s)
{
    pool_list_free(&r->seg_list, &r->segs[0].next, sizeof(*r->segs), s);
    r->ctr[STAT_TCP_REASSEMBLY_MEMUSE] -= sizeof(struct tcp_seg);
}

/* Gives every stored segment that is now in order. */
static void
tcp_reasm_drain(struct tcp_reasm *r, struct flow *f, int dir)
{
    uint32_t s;

    while ((s = f->rs_ooo[dir]) != 0) {
        struct tcp_seg *g = &r->segs[s - 1];
        int32_t d = tcp_seq_diff(g->seq, f->rs_next_seq[dir]);
        if (d > 0)
            break;
        if (d + (int32_t)g->len > 0) {
            uint32_t skip = (uint32_t)-d;
            tcp_reasm_give(r, f, dir, g->data + skip, g->len - skip, 0);
            f->rs_next_seq[dir] = g->seq + g->len;
        }
        f->rs_ooo[dir] = g->next;
        tcp_seg_free(r, s);
    }
}

/* Overlap policy of the host receiving direction dir. */
static uint8_t
tcp_reasm_policy(const struct tcp_reasm *r, const struct flow *f, int dir)
{
    const uint8_t *rcv = dir == FLOW_TOSERVER ? f->key.dst : f->key.src;

    return tcp_policy_lookup(&r->cfg.hosts, rcv, f->key.ip_ver);
}

/* Stored bytes differ from a new segment's: counted, flagged on the packet. */
static void
tcp_reasm_diff(struct tcp_reasm *r)
{
    r->ctr[STAT_TCP_OVERLAP_DIFF_DATA]++;
    if (r->cur != NULL)
        dec_event_set(r->cur, DEC_EV_STREAM_REASSEMBLY_OVERLAP_DIFF);
}

/*
 * Stores payload [seq, seq + len) ahead of a hole. Where it overlaps
 * stored data, the receiver's policy decides, for the whole segment
 * [seg, seg_end) it came in, whether its bytes replace the stored ones;
 * only the uncovered pieces take new storage.
 */
static void
tcp_reasm_store(struct tcp_reasm *r, struct flow *f, int dir, uint32_t seq, const uint8_t *data,
                uint32_t len, uint32_t seg, uint32_t seg_end)
{
    uint32_t *link = &f->rs_ooo[dir];
    uint32_t walked = 0;
    int policy = -1; /* looked up on the first difference */

    while (len > 0) {
        struct tcp_seg *o, *g;
        uint32_t n, s;

        while (*link && tcp_seq_diff(r->segs[*link - 1].seq + r->segs[*link - 1].len, seq) <= 0) {
            link = &r->segs[*link - 1].next;
            /* Hostile streams of tiny out-of-order segments: bound the work per packet. */
            if (++walked > TCP_SEG_MAX_WALK) {
                r->ctr[STAT_TCP_SEGMENT_MEMCAP_DROP]++;
                return;
            }
        }
        o = *link ? &r->segs[*link - 1] : NULL;
        if (o != NULL && tcp_seq_diff(o->seq, seq) <= 0) {
            uint32_t skip = seq - o->seq;
            uint32_t m = o->len - skip < len ? o->len - skip : len;
            r->ctr[STAT_TCP_OVERLAP]++;
            if (memcmp(o->data + skip, data, m) != 0) {
                tcp_reasm_diff(r);
                if (policy < 0)
                    policy = tcp_reasm_policy(r, f, dir);
                if (tcp_policy_new_wins((uint8_t)policy, seg, seg_end, o->pkt_seq, o->pkt_end))
                    memcpy(o->data + skip, data, m);
            }
            seq += m;
            data += m;
            len -= m;
            continue;
        }
        n = len < TCP_SEG_DATA ? len : TCP_SEG_DATA;
        if (o != NULL && o->seq - seq < n)
            n = o->seq - seq;
        s = r->segs != NULL ? pool_list_alloc(&r->seg_list, &r->segs[0].next, sizeof(*r->segs)) : 0;
        if (s == 0) {
            r->ctr[STAT_TCP_SEGMENT_MEMCAP_DROP]++;
            return;
        }
        g = &r->segs[s - 1];
        g->seq = seq;
        g->len = (uint16_t)n;
        g->pkt_seq = seg;
        g->pkt_end = seg_end;
        memcpy(g->data, data, n);
        g->next = *link;
        *link = s;
        link = &g->next;
        r->ctr[STAT_TCP_SEGMENT_FROM_POOL]++;
        r->ctr[STAT_TCP_REASSEMBLY_MEMUSE] += sizeof(struct tcp_seg);
        seq += n;
        data += n;
        len -= n;
    }
}

/*
 * The hole before the first stored segment (or up to upto) is lost. When
 * the peer acknowledged past it (acked) it is a gap: counted, an event on
 * p, and the app layer goes on after it. A hole nobody acknowledged, left
 * when the stream ends, is not a gap for Suricata (CheckGap wants last_ack
 * beyond the app progress): the app layer stops there, and what follows
 * is only for raw inspection (TCP_RS_RAW).
 */
static void
tcp_reasm_gap(struct tcp_reasm *r, struct flow *f, int dir, uint32_t upto, struct pkt *p,
              bool acked)
{
    uint32_t gap = upto - f->rs_next_seq[dir];

    if (tcp_seq_diff(upto, f->rs_next_seq[dir]) <= 0) {
        tcp_reasm_drain(r, f, dir);
        return;
    }
    if (acked) {
        r->ctr[STAT_TCP_REASSEMBLY_GAP]++;
        if (p != NULL)
            dec_event_set(p, DEC_EV_STREAM_REASSEMBLY_SEQ_GAP);
    } else
        f->rs_flags[dir] |= TCP_RS_RAW;
    f->rs_flags[dir] |= TCP_RS_GAP;
    tcp_reasm_give(r, f, dir, NULL, gap, APP_FLAG_GAP);
    f->rs_next_seq[dir] = upto;
    tcp_reasm_drain(r, f, dir);
}

/* Payload of direction dir at seq. */
static void
tcp_reasm_data(struct tcp_reasm *r, struct flow *f, struct pkt *p, int dir, uint32_t seq)
{
    const uint8_t *data = p->data + p->payload_off;
    uint32_t len = p->payload_len;
    int32_t d = tcp_seq_diff(seq, f->rs_next_seq[dir]);

    if (f->rs_flags[dir] & (TCP_RS_DEPTH | TCP_RS_EOF))
        return; /* nothing more is given this way: nothing to keep */
    if (tcp_seq_diff(seq + len, f->rs_next_seq[dir]) <= 0) {
        r->ctr[STAT_TCP_OVERLAP]++; /* all of it was given already */
        return;
    }
    if (d <= 0) {
        uint32_t skip = (uint32_t)-d, ahead;
        if (skip > 0)
            r->ctr[STAT_TCP_OVERLAP]++;
        if (f->rs_ooo[dir] != 0) {
            ahead = r->segs[f->rs_ooo[dir] - 1].seq;
            if (tcp_seq_diff(ahead, seq + len) < 0) {
                /* It runs into data stored ahead: give what comes before,
                 * let the policy settle the overlap, keep the rest in order. */
                uint32_t before = ahead - f->rs_next_seq[dir];
                tcp_reasm_give(r, f, dir, data + skip, before, 0);
                f->rs_next_seq[dir] = ahead;
                tcp_reasm_store(r, f, dir, ahead, data + skip + before, len - skip - before, seq,
                                seq + len);
                tcp_reasm_drain(r, f, dir);
                return;
            }
        }
        tcp_reasm_give(r, f, dir, data + skip, len - skip, 0);
        f->rs_next_seq[dir] = seq + len;
        tcp_reasm_drain(r, f, dir);
        return;
    }
    tcp_reasm_store(r, f, dir, seq, data, len, seq, seq + len);
}

/* End of direction once everything up to its FIN was given. */
static void
tcp_reasm_check_eof(struct tcp_reasm *r, struct flow *f, int dir)
{
    if ((f->rs_flags[dir] & TCP_RS_FIN) && !(f->rs_flags[dir] & TCP_RS_EOF) &&
        ((f->rs_flags[dir] & TCP_RS_DEPTH) ||
         tcp_seq_diff(f->rs_next_seq[dir], f->rs_fin_seq[dir]) >= 0)) {
        tcp_reasm_give(r, f, dir, NULL, 0, APP_FLAG_EOF);
        f->rs_flags[dir] |= TCP_RS_EOF;
    }
}

void
tcp_reasm_packet(struct tcp_reasm *r, struct flow *f, struct pkt *p, int dir)
{
    uint8_t fl = p->tcp_flags;
    uint32_t seq = p->tcp_seq;
    int other = dir ^ 1;

    r->cur = p;
    if (fl & TCP_SYN) {
        /* The SYN takes one sequence number; TFO data follows it. */
        if (!(f->rs_flags[dir] & TCP_RS_SEQ_KNOWN)) {
            f->rs_next_seq[dir] = seq + 1;
            f->rs_flags[dir] |= TCP_RS_SEQ_KNOWN;
        }
        seq++;
    } else if (!(f->rs_flags[dir] & TCP_RS_SEQ_KNOWN)) {
        /* Picked up mid-session: the stream starts here. */
        f->rs_next_seq[dir] = seq;
        f->rs_flags[dir] |= TCP_RS_SEQ_KNOWN;
    }
    if (p->payload_len > 0)
        tcp_reasm_data(r, f, p, dir, seq);
    if ((fl & TCP_FIN) && !(f->rs_flags[dir] & TCP_RS_FIN) &&
        tcp_seq_diff(seq + p->payload_len, f->rs_next_seq[dir]) >= 0) {
        f->rs_fin_seq[dir] = seq + p->payload_len;
        f->rs_flags[dir] |= TCP_RS_FIN;
    }
    /* The other side acknowledged bytes this side never delivered: lost. */
    if ((fl & TCP_ACK) && (f->rs_flags[other] & TCP_RS_SEQ_KNOWN) &&
        !(f->rs_flags[other] & TCP_RS_EOF)) {
        uint32_t ack = p->tcp_ack;
        if ((f->rs_flags[other] & TCP_RS_FIN) && tcp_seq_diff(ack, f->rs_fin_seq[other]) > 0)
            ack = f->rs_fin_seq[other];
        while (tcp_seq_diff(ack, f->rs_next_seq[other]) > 0) {
            uint32_t upto = ack;
            if (f->rs_ooo[other] != 0) {
                uint32_t first = r->segs[f->rs_ooo[other] - 1].seq;
                if (tcp_seq_diff(first, ack) < 0)
                    upto = first;
            }
            tcp_reasm_gap(r, f, other, upto, p, true);
        }
    }
    tcp_reasm_check_eof(r, f, 0);
    tcp_reasm_check_eof(r, f, 1);
    /* An RST whose MD5/TCP-AO signature nobody can check may be forged:
     * the streams stay open until the flow ends (flow_tcp.c). */
    if ((fl & TCP_RST) && !p->tcp_has_auth)
        tcp_reasm_flow_end(r, f);
    r->cur = NULL;
}

void
tcp_reasm_flow_end(struct tcp_reasm *r, struct flow *f)
{
    struct pkt *cur = r->cur;
    int dir;

    /* Gaps found here belong to no packet (unless an RST ends the stream). */
    (void)cur;
    for (dir = 0; dir < 2; dir++) {
        while (f->rs_ooo[dir] != 0)
            tcp_reasm_gap(r, f, dir, r->segs[f->rs_ooo[dir] - 1].seq, NULL, false);
        if (!(f->rs_flags[dir] & TCP_RS_EOF) && (f->rs_flags[dir] & TCP_RS_SEQ_KNOWN)) {
            tcp_reasm_give(r, f, dir, NULL, 0, APP_FLAG_EOF);
            f->rs_flags[dir] |= TCP_RS_EOF;
        }
    }
}
