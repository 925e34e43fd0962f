/*
 * sig_match.c - running the rules in a worker.
 *
 * Per packet (sig_packet_begin / sig_packet):
 *   1. IP-only rules on the first packet of each flow direction (every
 *      packet without a flow);
 *   2. the packet group of the packet's IP protocol class: a prefilter
 *      scan of the payload, then full inspection of the candidates in
 *      rule order. A TCP packet whose payload went into the stream only
 *      meets packet-only rules here: its bytes are inspected as stream;
 *   3. stream inspection of the packet's direction (Suricata's raw
 *      reassembly in IDS mode): in-order bytes collect in a window
 *      (sig_stream_data) and are inspected once acknowledged, when at
 *      least SIG_WIN_CHUNK wait, when a transaction completes, when the
 *      session closes, or at the end of the flow. Each inspection starts
 *      SIG_WIN_KEEP bytes before the new ones: 0, as Suricata's, whose
 *      next raw inspection starts where the last one ended (so `depth`
 *      and `offset` count from there, and a pattern cut by a chunk
 *      boundary is not seen);
 *   4. the alerts go out (sig_alert.c).
 * Per transaction (sig_http_tx, sig_dns_tx): each rule of a stage is
 * inspected once, when the transaction reaches it, with the transaction's
 * buffers (built once per inspection, kept in the worker's scratch).
 *
 * Worker thread only; nothing here allocates.
 */
#include "sig_int.h"

#include <string.h>

#include "../decoders/app_http.h"
#include "app.h"
#include "app_dns.h"
#include "cursor.h"
#include "flow.h"
#include "tcp_reasm.h"

/* ---- views ---- */

static void
sig_view_pkt(struct sig_pview *v, const struct pkt *p, struct flow *f, int dir)
{
    v->p = p;
    v->f = f;
    v->dir = dir;
    /* Addresses only from an IP header that decoded (as the anomaly records). */
    v->ip_ver = p->l3_len != 0 ? p->ip_ver : 0;
    v->proto = p->proto;
    v->src = p->src;
    v->dst = p->dst;
    v->sp = p->sp;
    v->dp = p->dp;
    v->ts_us = p->ts_us;
    v->pcap_cnt = p->pcap_cnt;
    v->pkt_src = (p->flags & PKT_IS_PSEUDO) ? SIG_PKTSRC_DEFRAG : SIG_PKTSRC_WIRE;
}

/* The pseudo packet of flow f in direction d (Suricata's flow-timeout packets). */
static void
sig_view_flow(struct sig_pview *v, struct flow *f, int d, uint64_t ts_us)
{
    v->p = NULL;
    v->f = f;
    v->dir = d;
    v->ip_ver = f->key.ip_ver;
    v->proto = f->key.proto;
    v->src = d == FLOW_TOSERVER ? f->key.src : f->key.dst;
    v->dst = d == FLOW_TOSERVER ? f->key.dst : f->key.src;
    v->sp = d == FLOW_TOSERVER ? f->key.sp : f->key.dp;
    v->dp = d == FLOW_TOSERVER ? f->key.dp : f->key.sp;
    v->ts_us = ts_us;
    v->pcap_cnt = 0;
    v->pkt_src = SIG_PKTSRC_FLOW_END;
}

/* The current packet seen in direction d (addresses turned when it goes the other way). */
static void
sig_view_dir(struct sig_thread *t, struct sig_pview *v, struct flow *f, int d, bool flow_end)
{
    if (!flow_end && t->have_cur && t->cur.f == f) {
        *v = t->cur;
        if (v->dir != d) {
            const uint8_t *a = v->src;
            uint16_t port = v->sp;
            v->src = v->dst;
            v->dst = a;
            v->sp = v->dp;
            v->dp = port;
            v->dir = d;
        }
        return;
    }
    sig_view_flow(v, f, d, f->last_us);
}

/* The semantic direction of slot dir (a pending turn-round counts). */
static int
sig_dir(const struct flow *f, int dir)
{
    return f != NULL ? flow_dir_slot(f, dir) : dir;
}

/* ---- candidates ---- */

static void
sig_cand_set(struct sig_thread *t, uint32_t num)
{
    uint32_t w = num / 64;

    if (t->cand[w] == 0)
        t->touched[t->n_touched++] = w;
    t->cand[w] |= 1ull << (num % 64);
}

static void
sig_on_hit(void *ctx, const uint32_t *vals, uint32_t n)
{
    struct sig_thread *t = ctx;
    uint32_t i;

    for (i = 0; i < n; i++)
        sig_cand_set(t, vals[i]);
}

static int
sig_u32_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return x < y ? -1 : x > y;
}

/* ---- keyword checks ---- */

static bool
sig_has_ports(uint8_t proto)
{
    return proto == 6 || proto == 17 || proto == 132;
}

static bool
sig_hdr_match(const struct sig *s, const struct sig_pview *v)
{
    bool ports = sig_has_ports(v->proto);

    if (!s->proto_any && !(s->proto[v->proto / 8] & (1u << (v->proto % 8))))
        return false;
    if (s->ip_ver != 0 && s->ip_ver != v->ip_ver)
        return false;
    if (v->ip_ver == 0)
        return s->src.any && s->dst.any;
    if (sig_ipset_has(&s->src, v->ip_ver, v->src) && sig_ipset_has(&s->dst, v->ip_ver, v->dst) &&
        (!ports || (sig_portset_has(&s->sp, v->sp) && sig_portset_has(&s->dp, v->dp))))
        return true;
    return (s->flags & SIG_F_BIDIR) && sig_ipset_has(&s->src, v->ip_ver, v->dst) &&
           sig_ipset_has(&s->dst, v->ip_ver, v->src) &&
           (!ports || (sig_portset_has(&s->sp, v->dp) && sig_portset_has(&s->dp, v->sp)));
}

/*
 * Suricata sets a packet's "established" before its own TCP update
 * (FlowHandlePacketUpdate): a TCP flow is established on a packet when it
 * was in an established state (ESTABLISHED up to CLOSE_WAIT) after the
 * previous one; other protocols once both directions were seen; a flow's
 * end-of-flow pseudo packets always.
 */
static bool
sig_is_established(struct sig_thread *t, const struct sig_pview *v)
{
    const struct sig_fslot *sl;

    if (v->p == NULL)
        return true;
    if (v->f->key.proto != 6)
        return v->f->state != FLOW_STATE_NEW;
    sl = sig_slot(t, v->f);
    return sl != NULL && (sl->flags & SIG_FS_EST) != 0;
}

/*
 * The protocol a packet or stream rule sees (Suricata DetectRunSetup): a
 * TCP packet sees one only once its session is established (PKT_STREAM_EST:
 * the handshake done, this packet included) and the bytes that identified
 * it were acknowledged (FLOW_F_APP_PENDING clear). A TCP Fast Open request
 * in the SYN is so invisible to the SYN, the SYN/ACK and the handshake's
 * last ACK. Other protocols and end-of-flow inspection see it at once.
 */
static uint8_t
sig_app_proto_seen(const struct sig_pview *v)
{
    const struct flow *f = v->f;

    if (f == NULL)
        return APP_PROTO_UNKNOWN;
    if (v->p == NULL || f->key.proto != 6)
        return f->app_proto;
    if (f->tcp_state < FLOW_TCP_ESTABLISHED || (f->flags & FLOW_F_APP_PENDING))
        return APP_PROTO_UNKNOWN;
    return f->app_proto;
}

static bool
sig_flow_match(struct sig_thread *t, const struct sig *s, const struct sig_pview *v)
{
    uint16_t fl = s->flow;
    bool frag = v->p != NULL && (v->p->flags & PKT_IS_PSEUDO);

    if (fl == 0)
        return true;
    if ((fl & SIG_FLOW_ONLY_FRAG) && !frag)
        return false;
    if ((fl & SIG_FLOW_NO_FRAG) && frag)
        return false;
    if (!(fl & (SIG_FLOW_TOSERVER | SIG_FLOW_TOCLIENT | SIG_FLOW_ESTABLISHED | SIG_FLOW_NOT_EST)))
        return true;
    if (v->f == NULL)
        return false;
    if ((fl & SIG_FLOW_TOSERVER) && v->dir != FLOW_TOSERVER)
        return false;
    if ((fl & SIG_FLOW_TOCLIENT) && v->dir != FLOW_TOCLIENT)
        return false;
    if ((fl & SIG_FLOW_ESTABLISHED) && !sig_is_established(t, v))
        return false;
    if ((fl & SIG_FLOW_NOT_EST) && sig_is_established(t, v))
        return false;
    return true;
}

/* IPv4 options present (ipopts bits of sig_kw_ip.c), walked with a cursor. */
static uint32_t
sig_ipv4_opts(const struct pkt *p)
{
    static const struct {
        uint8_t type;
        uint32_t bit;
    } map[] = {{7, 0x004},   {68, 0x008},  {130, 0x010}, {133, 0x020},
               {131, 0x040}, {137, 0x080}, {136, 0x100}};
    struct cursor c;
    uint32_t bits = 0;
    size_t i;

    if (p->ip_ver != 4 || p->l3_hlen <= 20)
        return 0;
    cur_init(&c, p->data, p->caplen);
    cur_skip(&c, p->l3_off + 20);
    c = cur_sub(&c, p->l3_hlen - 20);
    while (cur_ok(&c) && cur_left(&c) > 0) {
        uint8_t type = cur_u8(&c), len;
        if (type == 0) {
            bits |= 0x001;
            break;
        }
        if (type == 1) {
            bits |= 0x002;
            continue;
        }
        len = cur_u8(&c);
        if (!cur_ok(&c) || len < 2)
            break;
        for (i = 0; i < NIDS_ARRAY_LEN(map); i++)
            if (map[i].type == type)
                bits |= map[i].bit;
        cur_skip(&c, (size_t)len - 2);
    }
    return bits;
}

/* M, D, R of the IP header (fragbits). */
static uint32_t
sig_fragbits(const struct pkt *p)
{
    struct cursor c;
    uint8_t b;

    if (p->ip_ver != 4)
        return p->frag_mf ? 0x1 : 0;
    cur_init(&c, p->data, p->caplen);
    cur_skip(&c, p->l3_off + 6);
    b = cur_u8(&c);
    if (!cur_ok(&c))
        return 0;
    return (b & 0x20 ? 0x1u : 0) | (b & 0x40 ? 0x2u : 0) | (b & 0x80 ? 0x4u : 0);
}

static bool
sig_bits_match(uint8_t mod, uint32_t have, uint32_t want)
{
    switch (mod) {
    case SIG_MOD_ANY:
        return (have & want) != 0;
    case SIG_MOD_PLUS:
        return (have & want) == want;
    case SIG_MOD_NOT:
        return (have & want) != want;
    default:
        return have == want;
    }
}

static bool
sig_tcp_flags_match(const struct sig_pm *pm, uint8_t pflags)
{
    uint8_t f = (uint8_t)(pflags & ~pm->ignore);

    if (pm->mask == 0 && pflags != 0)
        return pm->mod == SIG_MOD_NOT;
    return sig_bits_match(pm->mod, f, pm->mask);
}

static bool
sig_icmp_has_id(const struct pkt *p)
{
    uint8_t ty = p->icmp_type;

    if (p->proto == 1)
        return ty == 0 || ty == 8 || (ty >= 13 && ty <= 18);
    return ty == 128 || ty == 129;
}

static bool
sig_pkt_has_event(const struct pkt *p, uint16_t ev)
{
    uint8_t i;

    for (i = 0; i < p->n_events && i < DEC_MAX_EVENTS; i++)
        if (p->events[i] == ev)
            return true;
    return false;
}

static bool
sig_fb_test(const struct sig_fbop *op, const struct sig_fstate *st)
{
    uint8_t i;
    bool any = false, all = true;

    for (i = 0; i < op->n; i++) {
        bool set = st != NULL && (st->bits[op->bit[i] / 64] >> (op->bit[i] % 64)) & 1;
        if (op->cmd == SIG_FB_ISNOTSET)
            set = !set;
        any |= set;
        all &= set;
    }
    return op->all ? all : any;
}

static bool
sig_pm_match(const struct sig_pm *pm, const struct sig_ectx *e)
{
    const struct pkt *p = e->v->p;

    if (pm->type == SIG_PM_FLOWBITS)
        return sig_fb_test(&pm->fb, e->st);
    if (pm->type == SIG_PM_SAMEIP)
        return e->v->ip_ver != 0 && memcmp(e->v->src, e->v->dst, e->v->ip_ver == 4 ? 4 : 16) == 0;
    if (p == NULL)
        return false; /* a pseudo packet has no header to look at */
    switch (pm->type) {
    case SIG_PM_TTL:
        return p->ip_ver != 0 && sig_num_match(&pm->num, p->ttl);
    case SIG_PM_TOS:
        return p->ip_ver == 4 && sig_num_match(&pm->num, p->tos);
    case SIG_PM_IPOPTS:
        return (sig_ipv4_opts(p) & pm->mask) != 0;
    case SIG_PM_IP_PROTO:
        return p->ip_ver != 0 && sig_num_match(&pm->num, p->proto);
    case SIG_PM_FRAGBITS:
        return p->ip_ver != 0 && sig_bits_match(pm->mod, sig_fragbits(p), pm->mask);
    case SIG_PM_ID:
        return p->ip_ver == 4 && sig_num_match(&pm->num, p->ip_id);
    case SIG_PM_FLAGS:
        return p->proto == 6 && (p->flags & PKT_HAS_L4) && sig_tcp_flags_match(pm, p->tcp_flags);
    case SIG_PM_SEQ:
        return p->proto == 6 && (p->flags & PKT_HAS_L4) && ((p->tcp_seq == pm->num.a) != pm->neg);
    case SIG_PM_ACK:
        return p->proto == 6 && (p->flags & PKT_HAS_L4) && ((p->tcp_ack == pm->num.a) != pm->neg);
    case SIG_PM_WINDOW:
        return p->proto == 6 && (p->flags & PKT_HAS_L4) && ((p->tcp_win == pm->num.a) != pm->neg);
    case SIG_PM_ITYPE:
        return (p->proto == 1 || p->proto == 58) && (p->flags & PKT_HAS_L4) &&
               sig_num_match(&pm->num, p->icmp_type);
    case SIG_PM_ICODE:
        return (p->proto == 1 || p->proto == 58) && (p->flags & PKT_HAS_L4) &&
               sig_num_match(&pm->num, p->icmp_code);
    case SIG_PM_ICMP_ID:
        return (p->proto == 1 || p->proto == 58) && (p->flags & PKT_HAS_L4) && sig_icmp_has_id(p) &&
               sig_num_match(&pm->num, p->icmp_id);
    case SIG_PM_ICMP_SEQ:
        return (p->proto == 1 || p->proto == 58) && (p->flags & PKT_HAS_L4) && sig_icmp_has_id(p) &&
               sig_num_match(&pm->num, p->icmp_seq);
    case SIG_PM_DSIZE:
        return sig_num_match(&pm->num, p->payload_len);
    case SIG_PM_DECODE_EVENT:
    case SIG_PM_STREAM_EVENT:
        return pm->ev != SIG_EV_NEVER && sig_pkt_has_event(p, pm->ev);
    default:
        return false;
    }
}

/* ---- transaction buffers ---- */

uint8_t *
sig_scratch_get(struct sig_thread *t, uint32_t *cap)
{
    *cap = t->scratch_cap - t->scratch_used;
    return t->scratch + t->scratch_used;
}

void
sig_scratch_put(struct sig_thread *t, uint32_t used)
{
    if (used >= t->scratch_cap - t->scratch_used && used > 0)
        t->ctr[STAT_DETECT_SCRATCH_FULL]++;
    t->scratch_used += used;
}

/* Instance idx of buffer id on the transaction side; cached per inspection. */
static bool
sig_tx_buffer(struct sig_thread *t, const struct sig_txv *tx, uint16_t id, int d, uint32_t idx,
              struct sig_bytes *out)
{
    const struct sig_buf_def *b = sig_buf_get(id);
    uint8_t side = b->dirs == SIG_DIR_TS   ? APP_DIR_TOSERVER
                   : b->dirs == SIG_DIR_TC ? APP_DIR_TOCLIENT
                                           : (uint8_t)d;
    uint32_t i;
    bool ok;

    for (i = 0; i < t->n_bc; i++)
        if (t->bc[i].buf == id && t->bc[i].side == side && t->bc[i].idx == idx) {
            *out = t->bc[i].b;
            return t->bc[i].present;
        }
    ok = b->get(t, tx, side, idx, out);
    if (t->n_bc < SIG_BCACHE) {
        struct sig_bcache *c = &t->bc[t->n_bc++];
        c->buf = id;
        c->side = side;
        c->idx = idx;
        c->present = ok;
        c->b = ok ? *out : (struct sig_bytes){NULL, 0};
    }
    return ok;
}

/* Some instance of the buffer matches list l. */
static bool
sig_buf_list_match(struct sig_thread *t, const struct sig_list *l, const struct sig_ectx *e)
{
    struct sig_bytes b;
    uint32_t idx;

    for (idx = 0; idx < 1024; idx++) {
        if (!sig_tx_buffer(t, e->tx, l->buf, e->tx_dir, idx, &b))
            return false;
        if (sig_list_match(t, l, b.p, b.len))
            return true;
    }
    return false;
}

static bool
sig_event_match(const struct sig_appev *ev, const struct sig_txv *tx)
{
    if (ev->app_proto != tx->app_proto)
        return false;
    if (tx->app_proto == APP_PROTO_HTTP)
        return sig_http_has_event(tx, ev->id);
    if (tx->app_proto == APP_PROTO_DNS)
        return sig_dns_has_event(tx, ev->id);
    if (tx->app_proto == APP_PROTO_SMTP)
        return sig_smtp_has_event(tx, ev->id);
    return false;
}

bool
sig_eval(struct sig_thread *t, const struct sig *s, const struct sig_ectx *e)
{
    const struct sig_pview *v = e->v;
    uint16_t i;

    if (!sig_hdr_match(s, v) || !sig_flow_match(t, s, v))
        return false;
    if (s->app_proto != 0 && s->kind != SIG_KIND_TX && sig_app_proto_seen(v) != s->app_proto)
        return false;
    for (i = 0; i < s->n_pm; i++)
        if (!sig_pm_match(&s->pm[i], e))
            return false;
    if (s->payload.n > 0) {
        if (e->pl == NULL || !sig_list_match(t, &s->payload, e->pl, e->pl_len))
            return false;
        if (e->stream && e->new_off > 0 && t->match_end <= e->new_off && s->kind != SIG_KIND_TX)
            return false; /* found in bytes an earlier chunk already had */
    }
    if (s->kind != SIG_KIND_TX)
        return true;
    if (e->tx == NULL)
        return false;
    for (i = 0; i < s->n_bufs; i++)
        if (!sig_buf_list_match(t, &s->bufs[i], e))
            return false;
    for (i = 0; i < s->n_ev; i++)
        if (!sig_event_match(&s->ev[i], e->tx))
            return false;
    return true;
}

/* After a match: flowbit actions, then the alert (unless noalert). */
static void
sig_matched(struct sig_thread *t, const struct sig *s, struct sig_ectx *e)
{
    uint16_t i, k;

    if (s->n_post > 0 && e->st == NULL && e->v->f != NULL)
        e->st = sig_state_get(t, e->v->f, true);
    for (i = 0; i < s->n_post && e->st != NULL; i++) {
        const struct sig_fbop *op = &s->post[i];
        for (k = 0; k < op->n; k++) {
            uint64_t *w = &e->st->bits[op->bit[k] / 64], m = 1ull << (op->bit[k] % 64);
            if (op->cmd == SIG_FB_SET)
                *w |= m;
            else if (op->cmd == SIG_FB_UNSET)
                *w &= ~m;
            else
                *w ^= m;
        }
    }
    if (s->flags & SIG_F_NOALERT) {
        t->ctr[STAT_DETECT_ALERTS_SUPPRESSED]++;
        return;
    }
    sig_alert_queue(t, s, e);
}

/* Prefilter g over what e holds, then inspect the candidates in rule order. */
static void
sig_run_group(struct sig_thread *t, const struct sig_group *g, struct sig_ectx *e)
{
    const struct sig_db *db = t->db;
    uint32_t i;
    uint16_t m;

    if (g->n_sigs == 0)
        return;
    t->n_touched = 0;
    for (m = 0; m < g->n_mpm; m++) {
        const struct sig_gmpm *gm = &g->mpms[m];
        if (gm->buf == SIG_BUF_PAYLOAD) {
            /* Stream: only patterns ending in the new bytes make new candidates. */
            uint32_t from = 0;
            if (e->stream && e->new_off >= g->max_fp)
                from = e->new_off - (g->max_fp - 1);
            if (e->pl != NULL &&
                mpm_scan(gm->mpm, t->ms, e->pl + from, e->pl_len - from, sig_on_hit, t) < 0)
                t->ctr[STAT_DETECT_MPM_ERRORS]++;
            continue;
        }
        if (e->tx != NULL) {
            struct sig_bytes b;
            uint32_t idx;
            for (idx = 0; idx < 1024 && sig_tx_buffer(t, e->tx, gm->buf, e->tx_dir, idx, &b); idx++)
                if (mpm_scan(gm->mpm, t->ms, b.p, b.len, sig_on_hit, t) < 0)
                    t->ctr[STAT_DETECT_MPM_ERRORS]++;
        }
    }
    for (i = 0; i < g->n_nonmpm; i++)
        sig_cand_set(t, g->nonmpm[i]);
    if (t->n_touched > 1)
        qsort(t->touched, t->n_touched, sizeof(*t->touched), sig_u32_cmp);
    for (i = 0; i < t->n_touched; i++) {
        uint32_t w = t->touched[i];
        uint64_t bits = t->cand[w];
        t->cand[w] = 0;
        while (bits != 0) {
            uint32_t num = w * 64 + (uint32_t)__builtin_ctzll(bits);
            const struct sig *s = db->sigs[num];
            bits &= bits - 1;
            if (sig_eval(t, s, e))
                sig_matched(t, s, e);
        }
    }
    t->n_touched = 0;
}

/* ---- packets ---- */

static unsigned
sig_pclass(uint8_t proto)
{
    switch (proto) {
    case 6:
        return SIG_PCLASS_TCP;
    case 17:
        return SIG_PCLASS_UDP;
    case 1:
    case 58:
        return SIG_PCLASS_ICMP;
    default:
        return SIG_PCLASS_OTHER;
    }
}

static void
sig_pkt_payload(const struct pkt *p, const uint8_t **pl, uint32_t *len)
{
    struct cursor c;

    cur_init(&c, p->data, p->caplen);
    cur_skip(&c, p->payload_off);
    *pl = p->payload_len > 0 ? cur_bytes(&c, p->payload_len) : NULL;
    *len = *pl != NULL ? p->payload_len : 0;
}

void
sig_packet_begin(struct sig_thread *t, const struct pkt *p, struct flow *f, int dir)
{
    struct sig_fstate *st;

    sig_view_pkt(&t->cur, p, f, sig_dir(f, dir));
    t->have_cur = true;
    t->stream_add = 0;
    t->seg_pool0 = t->ctr[STAT_TCP_SEGMENT_FROM_POOL];
    /* The other side's acknowledgements say which of its bytes are inspectable. */
    if (f != NULL && p->proto == 6 && (p->tcp_flags & TCP_ACK) &&
        (st = sig_state_get(t, f, false)) != NULL) {
        int o = dir ^ 1;
        if (!(st->ack_known & (1u << o)) || (int32_t)(p->tcp_ack - st->ack[o]) > 0)
            st->ack[o] = p->tcp_ack;
        st->ack_known |= (uint8_t)(1u << o);
    }
}

/* Inspect direction slot d's window up to upto (bytes after done are new), on view v. */
static void
sig_win_inspect(struct sig_thread *t, struct sig_fstate *st, struct sig_win *w, uint32_t upto,
                const struct sig_pview *v)
{
    uint32_t from = w->done > SIG_WIN_KEEP ? w->done - SIG_WIN_KEEP : 0;
    struct sig_ectx e;

    if (upto <= w->done)
        return;
    memset(&e, 0, sizeof(e));
    e.v = v;
    e.st = st;
    e.pl = w->data + from;
    e.pl_len = upto - from;
    e.new_off = w->done - from;
    e.stream = true;
    sig_run_group(t, &t->db->stream, &e);
    sig_alert_flush(t, v);
    w->done = upto;
}

/* Drop inspected bytes beyond the kept overlap. */
static void
sig_win_slide(struct sig_win *w)
{
    uint32_t shift = w->done > SIG_WIN_KEEP ? w->done - SIG_WIN_KEEP : 0;

    if (shift == 0)
        return;
    memmove(w->data, w->data + shift, w->len - shift);
    w->base += shift;
    w->len -= shift;
    w->done -= shift;
}

/* Inspect stream bytes without a window (pool empty): the chunk as it is. */
static void
sig_stream_chunk(struct sig_thread *t, struct flow *f, int slot, const uint8_t *data, uint32_t len)
{
    struct sig_pview v;
    struct sig_ectx e;

    sig_view_dir(t, &v, f, sig_dir(f, slot), !t->have_cur);
    memset(&e, 0, sizeof(e));
    e.v = &v;
    e.st = sig_state_get(t, f, false);
    e.pl = data;
    e.pl_len = len;
    e.stream = true;
    sig_run_group(t, &t->db->stream, &e);
    sig_alert_flush(t, &v);
}

void
sig_stream_data(struct sig_thread *t, struct flow *f, int dir, const uint8_t *data, uint32_t len,
                uint32_t flags)
{
    const struct pkt *p = t->have_cur && t->cur.f == f ? t->cur.p : NULL;
    struct sig_fslot *sl;
    struct sig_fstate *st;
    struct sig_win *w;
    uint32_t seq = f->rs_next_seq[dir];

    /* The protocol changed (an HTTP CONNECT tunnel): a new parser state
     * numbers its transactions from 0 again, so what was inspected goes. */
    if (f->app_proto == APP_PROTO_UNKNOWN && (st = sig_state_get(t, f, false)) != NULL)
        memset(st->tx, 0, sizeof(st->tx));
    if (!t->db->has_stream || (sl = sig_slot(t, f)) == NULL || (sl->flags & SIG_FS_PASS))
        return;
    if (data != NULL && p != NULL && data >= p->data && data < p->data + p->caplen) {
        /* Bytes of the current packet: Suricata keeps a RST's payload out of the stream. */
        if (p->tcp_flags & TCP_RST)
            return;
        t->stream_add |= (uint8_t)(1u << dir);
    }
    st = sig_state_get(t, f, true);
    w = st != NULL ? sig_win_get(t, st, dir, true) : NULL;
    if (flags & APP_FLAG_GAP) {
        if (w != NULL && w->len > w->done) {
            struct sig_pview v;
            sig_view_dir(t, &v, f, sig_dir(f, dir), !t->have_cur);
            sig_win_inspect(t, st, w, w->len, &v);
        }
        if (w != NULL)
            w->len = w->done = 0;
        return;
    }
    if (data == NULL || len == 0)
        return;
    if (w == NULL) {
        sig_stream_chunk(t, f, dir, data, len);
        return;
    }
    if (w->len == 0)
        w->base = seq;
    else if (seq != w->base + w->len)
        w->len = w->done = 0, w->base = seq; /* not contiguous: start over */
    while (len > 0) {
        uint32_t n;
        if (w->len == SIG_WIN_SIZE) {
            struct sig_pview v;
            sig_view_dir(t, &v, f, sig_dir(f, dir), !t->have_cur);
            sig_win_inspect(t, st, w, w->len, &v);
            sig_win_slide(w);
        }
        n = SIG_WIN_SIZE - w->len < len ? SIG_WIN_SIZE - w->len : len;
        memcpy(w->data + w->len, data, n);
        w->len += n;
        data += n;
        len -= n;
    }
}

/* Stream inspection on a packet of slot dir: the acknowledged bytes, when due. */
static void
sig_stream_check(struct sig_thread *t, struct flow *f, int dir)
{
    struct sig_fstate *st = sig_state_get(t, f, false);
    struct sig_win *w;
    uint32_t upto;
    bool due;

    if (st == NULL || (w = sig_win_get(t, st, dir, false)) == NULL || w->len <= w->done)
        return;
    if (!(st->ack_known & (1u << dir)))
        return;
    upto = (int32_t)(st->ack[dir] - w->base) <= 0 ? 0 : st->ack[dir] - w->base;
    if (upto > w->len)
        upto = w->len;
    if (upto <= w->done)
        return;
    due = upto - w->done >= SIG_WIN_CHUNK || (st->trigger & (1u << dir)) ||
          f->tcp_state >= FLOW_TCP_FIN_WAIT1 ||
          (f->rs_flags[dir] & (TCP_RS_DEPTH | TCP_RS_FIN | TCP_RS_EOF));
    if (!due)
        return;
    st->trigger &= (uint8_t) ~(1u << dir);
    sig_win_inspect(t, st, w, upto, &t->cur);
    sig_win_slide(w);
}

/* The stream has no room left for a packet's own bytes: they are the stream's. */
static bool
sig_pkt_in_stream(const struct sig_thread *t, const struct flow *f, int slot)
{
    if (f == NULL || f->key.proto != 6 || !(f->flags & FLOW_F_TCP_SESSION))
        return false;
    return (t->stream_add & (1u << slot)) != 0 ||
           t->ctr[STAT_TCP_SEGMENT_FROM_POOL] != t->seg_pool0;
}

void
sig_packet(struct sig_thread *t, const struct pkt *p, struct flow *f, int dir)
{
    const struct sig_db *db = t->db;
    struct sig_fslot *sl = f != NULL ? sig_slot(t, f) : NULL;
    struct sig_ectx e;
    int sdir = sig_dir(f, dir);

    if (!t->have_cur || t->cur.p != p)
        sig_view_pkt(&t->cur, p, f, sdir);
    t->cur.dir = sdir;
    if (sl != NULL && (sl->flags & SIG_FS_PASS))
        goto out;
    memset(&e, 0, sizeof(e));
    e.v = &t->cur;
    e.st = f != NULL ? sig_state_get(t, f, false) : NULL;
    if (db->iponly.n_sigs > 0) {
        uint8_t bit = sdir == FLOW_TOSERVER ? SIG_FS_IPONLY_TS : SIG_FS_IPONLY_TC;
        if (sl == NULL || !(sl->flags & bit)) {
            if (sl != NULL)
                sl->flags |= bit;
            sig_run_group(t, &db->iponly, &e);
        }
    }
    {
        unsigned c = sig_pclass(p->proto);
        bool in_stream = db->has_stream && sig_pkt_in_stream(t, f, dir);
        sig_pkt_payload(p, &e.pl, &e.pl_len);
        sig_run_group(t, in_stream ? &db->pktonly[c] : &db->pkt[c], &e);
    }
    sig_alert_flush(t, &t->cur);
    if (db->has_stream && f != NULL && sl != NULL && f->key.proto == 6 &&
        !(sl->flags & SIG_FS_PASS))
        sig_stream_check(t, f, dir);
out:
    if (sl != NULL) {
        if (f->state == FLOW_STATE_ESTABLISHED)
            sl->flags |= SIG_FS_EST;
        else
            sl->flags &= (uint8_t)~SIG_FS_EST;
    }
    t->have_cur = false;
}

/* ---- transactions ---- */

/* The tracking entry of transaction tx_id in st (the oldest is reused when full). */
static struct sig_txtrack *
sig_tx_track(struct sig_thread *t, struct sig_fstate *st, uint64_t tx_id)
{
    unsigned i, victim = 0;

    for (i = 0; i < SIG_TX_TRACK; i++)
        if (st->tx[i].used && st->tx[i].tx_id == tx_id)
            return &st->tx[i];
    for (i = 0; i < SIG_TX_TRACK; i++) {
        if (!st->tx[i].used) {
            victim = i;
            break;
        }
        if (st->tx[i].tx_id < st->tx[victim].tx_id)
            victim = i;
    }
    if (i == SIG_TX_TRACK)
        t->ctr[STAT_DETECT_TX_TRACK_EVICTED]++;
    st->tx[victim].used = true;
    st->tx[victim].tx_id = tx_id;
    st->tx[victim].done = 0;
    return &st->tx[victim];
}

/* Inspect the transaction rules of group g in direction d. */
static void
sig_tx_run(struct sig_thread *t, struct flow *f, struct sig_fstate *st, const struct sig_group *g,
           const struct sig_txv *tx, int d, bool flow_end)
{
    struct sig_pview v;
    struct sig_ectx e;
    struct sig_win *w;

    if (g->n_sigs == 0)
        return;
    sig_view_dir(t, &v, f, d, flow_end);
    memset(&e, 0, sizeof(e));
    e.v = &v;
    e.st = st;
    e.tx = tx;
    e.tx_dir = d;
    /* The payload part of a transaction rule: the stream so far, else the packet. */
    w = st != NULL ? sig_win_get(t, st, flow_dir_slot(f, d), false) : NULL;
    if (w != NULL && w->len > 0) {
        e.pl = w->data;
        e.pl_len = w->len;
    } else if (v.p != NULL) {
        sig_pkt_payload(v.p, &e.pl, &e.pl_len);
    }
    t->scratch_used = 0;
    t->n_bc = 0;
    sig_run_group(t, g, &e);
    sig_alert_flush(t, &v);
    t->n_bc = 0;
    t->scratch_used = 0;
}

void
sig_http_tx(struct sig_thread *t, struct flow *f, const struct http_tx *tx, bool flow_end)
{
    const struct sig_db *db = t->db;
    struct sig_fslot *sl = sig_slot(t, f);
    struct sig_fstate *st;
    struct sig_txtrack *tr;
    struct sig_txv txv;
    bool reached[SIG_STAGE_MAX + 1];
    unsigned stage, d;

    if (sl == NULL || (sl->flags & SIG_FS_PASS))
        return;
    reached[0] = false;
    reached[SIG_STAGE_HTTP_REQ_HDR] = flow_end || tx->progress[APP_DIR_TOSERVER] >= HTTP_PROG_BODY;
    reached[SIG_STAGE_HTTP_REQ_DONE] =
            flow_end || tx->progress[APP_DIR_TOSERVER] >= HTTP_PROG_COMPLETE;
    reached[SIG_STAGE_HTTP_RES_HDR] = flow_end || tx->progress[APP_DIR_TOCLIENT] >= HTTP_PROG_BODY;
    reached[SIG_STAGE_HTTP_RES_DONE] =
            flow_end || tx->progress[APP_DIR_TOCLIENT] >= HTTP_PROG_COMPLETE;
    if (!db->has_tx[APP_PROTO_HTTP] && !db->has_stream)
        return;
    st = sig_state_get(t, f, true);
    if (st == NULL)
        return; /* counted: without tracking a transaction would alert again */
    tr = sig_tx_track(t, st, tx->id);
    /* A finished side is a reason to look at its stream bytes (Suricata's trigger). */
    for (d = 0; d < 2; d++) {
        unsigned fin = d == 0 ? SIG_STAGE_HTTP_REQ_DONE : SIG_STAGE_HTTP_RES_DONE;
        uint16_t bit = (uint16_t)(1u << (15 - d));
        if (reached[fin] && !(tr->done & bit)) {
            tr->done |= bit;
            st->trigger |= (uint8_t)(1u << flow_dir_slot(f, (int)d));
        }
    }
    if (!db->has_tx[APP_PROTO_HTTP])
        return;
    txv.app_proto = APP_PROTO_HTTP;
    txv.tx = tx;
    txv.tx_id = tx->id;
    txv.response = false;
    for (stage = 1; stage <= SIG_STAGE_MAX; stage++) {
        if (!reached[stage])
            continue;
        for (d = 0; d < 2; d++) {
            uint16_t bit = (uint16_t)(1u << (d * 6 + stage));
            if (tr->done & bit)
                continue;
            tr->done |= bit;
            sig_tx_run(t, f, st, &db->tx[APP_PROTO_HTTP][d][stage], &txv, (int)d, flow_end);
            if (sl->flags & SIG_FS_PASS)
                return;
        }
    }
}

void
sig_dns_tx(struct sig_thread *t, const struct pkt *p, struct flow *f, const struct dns_msg *m,
           bool response, uint64_t tx_id)
{
    const struct sig_db *db = t->db;
    struct sig_fslot *sl = sig_slot(t, f);
    struct sig_txv txv;
    int d = response ? FLOW_TOCLIENT : FLOW_TOSERVER;

    if (!db->has_tx[APP_PROTO_DNS] || sl == NULL || (sl->flags & SIG_FS_PASS))
        return;
    txv.app_proto = APP_PROTO_DNS;
    txv.tx = m;
    txv.tx_id = tx_id;
    txv.response = response;
    sig_tx_run(t, f, sig_state_get(t, f, false), &db->tx[APP_PROTO_DNS][d][SIG_STAGE_DNS], &txv, d,
               p == NULL);
}

void
sig_tx_inspect(struct sig_thread *t, struct flow *f, const struct sig_txv *tx, int dir,
               unsigned stage, bool flow_end)
{
    const struct sig_db *db = t->db;
    struct sig_fslot *sl = sig_slot(t, f);

    if (!db->has_tx[tx->app_proto] || sl == NULL || (sl->flags & SIG_FS_PASS) ||
        stage > SIG_STAGE_MAX)
        return;
    sig_tx_run(t, f, sig_state_get(t, f, false), &db->tx[tx->app_proto][dir][stage], tx, dir,
               flow_end);
}

void
sig_flow_end(struct sig_thread *t, struct flow *f, uint64_t now_us)
{
    struct sig_fslot *sl = sig_slot(t, f);
    struct sig_fstate *st = sig_state_get(t, f, false);
    int d;

    if (sl == NULL)
        return;
    if (st != NULL && !(sl->flags & SIG_FS_PASS)) {
        for (d = 0; d < 2; d++) {
            struct sig_win *w = sig_win_get(t, st, d, false);
            struct sig_pview v;
            if (w == NULL || w->len <= w->done)
                continue;
            sig_view_flow(&v, f, sig_dir(f, d), now_us);
            sig_win_inspect(t, st, w, w->len, &v);
        }
    }
    sig_state_release(t, f);
}
