/*
 * flow_tcp.c - the TCP state machine of RFC 9293 section 3.3.2 driven by
 * flags, with Suricata's state names and its mapping to flow states:
 * established once the handshake completes, closed from LAST_ACK,
 * TIME_WAIT or CLOSED on.
 *
 * Without stream.midstream a session only starts with a SYN (or a SYN+ACK,
 * which flips the flow); other packets still count in the flow but carry
 * no session, so the flow record shows tcp_flags "00" as Suricata's does.
 */
#include "flow_tcp.h"

#include "tcp_reasm.h"

const char *
flow_tcp_state_name(uint8_t s)
{
    static const char *const names[FLOW_TCP_STATE_COUNT] = {
        "none",      "syn_sent",  "syn_recv", "established", "fin_wait1", "fin_wait2",
        "time_wait", "last_ack", "close_wait", "closing",    "closed"};

    return s < FLOW_TCP_STATE_COUNT ? names[s] : "unknown";
}

static void
flow_tcp_set(struct flow *f, enum flow_tcp_state s)
{
    f->tcp_state = (uint8_t)s;
    switch (s) {
    case FLOW_TCP_ESTABLISHED:
    case FLOW_TCP_FIN_WAIT1:
    case FLOW_TCP_FIN_WAIT2:
    case FLOW_TCP_CLOSING:
    case FLOW_TCP_CLOSE_WAIT:
        f->state = FLOW_STATE_ESTABLISHED;
        break;
    case FLOW_TCP_LAST_ACK:
    case FLOW_TCP_TIME_WAIT:
    case FLOW_TCP_CLOSED:
        f->state = FLOW_STATE_CLOSED;
        break;
    default:
        break;
    }
}

/* Start a session on the first packet, if this packet may start one. */
static bool
flow_tcp_start(struct flow *f, const struct pkt *p, int dir, uint64_t *ctr, bool midstream)
{
    uint8_t fl = p->tcp_flags;

    if ((fl & (TCP_SYN | TCP_ACK | TCP_RST)) == TCP_SYN && dir == FLOW_TOSERVER)
        flow_tcp_set(f, FLOW_TCP_SYN_SENT);
    else if ((fl & (TCP_SYN | TCP_ACK | TCP_RST)) == (TCP_SYN | TCP_ACK) && dir == FLOW_TOCLIENT)
        flow_tcp_set(f, FLOW_TCP_SYN_RECV);
    else if (midstream && !(fl & TCP_RST)) {
        flow_tcp_set(f, FLOW_TCP_ESTABLISHED);
        f->flags |= FLOW_F_MIDSTREAM;
        ctr[STAT_TCP_MIDSTREAM_PICKUPS]++;
    } else
        return false;
    f->flags |= FLOW_F_TCP_SESSION;
    ctr[STAT_TCP_SESSIONS]++;
    ctr[STAT_TCP_ACTIVE_SESSIONS]++;
    return true;
}

/* A FIN from direction dir. */
static void
flow_tcp_fin(struct flow *f, int dir)
{
    switch (f->tcp_state) {
    case FLOW_TCP_SYN_RECV:
    case FLOW_TCP_ESTABLISHED:
        flow_tcp_set(f, dir == FLOW_TOSERVER ? FLOW_TCP_FIN_WAIT1 : FLOW_TCP_CLOSE_WAIT);
        /* Remember who closed first: the client side is "fin_wait". */
        f->tcp_closer = (uint8_t)dir;
        break;
    case FLOW_TCP_FIN_WAIT1:
    case FLOW_TCP_FIN_WAIT2:
        if ((int)f->tcp_closer != dir)
            flow_tcp_set(f, f->tcp_state == FLOW_TCP_FIN_WAIT1 ? FLOW_TCP_CLOSING
                                                                : FLOW_TCP_TIME_WAIT);
        break;
    case FLOW_TCP_CLOSE_WAIT:
        if ((int)f->tcp_closer != dir)
            flow_tcp_set(f, FLOW_TCP_LAST_ACK);
        break;
    default:
        break;
    }
}

/* An ACK (without FIN) from direction dir. */
static void
flow_tcp_ack(struct flow *f, int dir)
{
    int closer = (int)f->tcp_closer;

    switch (f->tcp_state) {
    case FLOW_TCP_SYN_RECV:
        if (dir == FLOW_TOSERVER)
            flow_tcp_set(f, FLOW_TCP_ESTABLISHED);
        break;
    case FLOW_TCP_FIN_WAIT1:
        if (dir != closer)
            flow_tcp_set(f, FLOW_TCP_FIN_WAIT2);
        break;
    case FLOW_TCP_CLOSING:
        flow_tcp_set(f, FLOW_TCP_TIME_WAIT);
        break;
    case FLOW_TCP_LAST_ACK:
        if (dir == closer)
            flow_tcp_set(f, FLOW_TCP_CLOSED);
        break;
    default:
        break;
    }
}

/*
 * Timestamps are in use when the SYN and the SYN+ACK both carried one;
 * from then on a sender's TSval may not go backwards (with wraparound).
 */
static bool
flow_tcp_timestamp_is_valid(struct flow *f, const struct pkt *p, int dir)
{
    if ((p->tcp_flags & TCP_SYN) && p->tcp_has_ts) {
        if (!(p->tcp_flags & TCP_ACK))
            f->tcp_ts = true;
        else if (!f->tcp_ts || dir != FLOW_TOCLIENT)
            f->tcp_ts = false;
        f->tcp_last_ts[dir] = p->tcp_tsval;
        return true;
    }
    if ((p->tcp_flags & TCP_SYN) && (p->tcp_flags & TCP_ACK))
        f->tcp_ts = false;
    if (!f->tcp_ts || !p->tcp_has_ts)
        return true;
    if ((int32_t)(p->tcp_tsval - f->tcp_last_ts[dir]) < 0)
        return false;
    f->tcp_last_ts[dir] = p->tcp_tsval;
    return true;
}

/*
 * Another SYN before any SYN/ACK. One with the ISN already known is a
 * retransmission. One with a new ISN is the client starting over (or a
 * SYN flood on this tuple): as in Suricata, it becomes the SYN the
 * SYN/ACK is expected for; beyond stream.max-syn-queued of them each is
 * a 3whs_syn_flood event. Only the count is kept, not the old ISNs.
 */
static void
flow_tcp_syn_again(struct flow *f, struct pkt *p, int dir, uint8_t max_syn_queued)
{
    if (dir != FLOW_TOSERVER || !(f->rs_flags[dir] & TCP_RS_SEQ_KNOWN) ||
        p->tcp_seq + 1u == f->rs_next_seq[dir] || f->rs_delivered[dir] != 0 ||
        f->rs_ooo[dir] != 0)
        return;
    if (f->tcp_syns < max_syn_queued)
        f->tcp_syns++;
    else
        dec_event_set(p, DEC_EV_STREAM_3WHS_SYN_FLOOD);
    f->rs_next_seq[dir] = p->tcp_seq + 1u;
}

/*
 * Suricata's StateSynSentValidateTimestamp: before the SYN/ACK, a packet
 * from the server may only echo the timestamp the client's SYN sent.
 * Anything else did not come from the host the SYN reached (bug 3286: a
 * forged RST and FIN ahead of the real SYN/ACK). A SYN without timestamps
 * gets no check (a SYN/ACK that echoes one anyway is accepted, bug 4702).
 * When SYNs went out with different TSvals the SYN/ACK may echo any of
 * them; only the last is kept, so nothing is checked then.
 */
static bool
flow_tcp_syn_sent_ts_is_valid(const struct flow *f, const struct pkt *p, int dir)
{
    if (dir != FLOW_TOCLIENT || !p->tcp_has_ts || !f->tcp_ts || f->tcp_syn_ts_multi)
        return true;
    return f->tcp_last_ts[FLOW_TOSERVER] == 0 || p->tcp_tsecr == 0 ||
           p->tcp_tsecr == f->tcp_last_ts[FLOW_TOSERVER];
}

/*
 * A packet in SYN_SENT other than the client's SYN: false when Suricata's
 * StreamTcpPacketStateSynSent ignores it (no state change, nothing
 * reassembled): a server packet with a forged timestamp echo, or an RST
 * from the client other than the one its stack sends for the SYN
 * (sequence ISN, window 0, ACK ISN + 1).
 */
static bool
flow_tcp_syn_sent_accepts(const struct flow *f, struct pkt *p, int dir)
{
    uint32_t isn = f->rs_next_seq[FLOW_TOSERVER] - 1u;

    if (!flow_tcp_syn_sent_ts_is_valid(f, p, dir)) {
        dec_event_set(p, DEC_EV_STREAM_PKT_INVALID_TIMESTAMP);
        return false;
    }
    if ((p->tcp_flags & TCP_RST) && dir == FLOW_TOSERVER)
        return p->tcp_seq == isn && p->tcp_win == 0 && p->tcp_ack == isn + 1u;
    return true;
}

/*
 * An RST with an MD5 or TCP-AO signature may or may not be accepted by
 * its receiver: the session closes, but if the RST's sender goes on
 * sending, the RST was not its own (Suricata's RST_RECV and
 * suspected_rst_inject), and the session picks up where it was.
 */
static void
flow_tcp_post_rst(struct flow *f, struct pkt *p, int dir)
{
    if ((p->tcp_flags & TCP_RST) || !f->tcp_rst_recv[dir])
        return;
    f->tcp_rst_recv[dir] = false;
    dec_event_set(p, DEC_EV_STREAM_SUSPECTED_RST_INJECT);
    /* The flow state stays closed, as Suricata's does. */
    if (f->tcp_state == FLOW_TCP_CLOSED && !f->tcp_rst_recv[dir ^ 1])
        f->tcp_state = f->tcp_pstate;
}

void
flow_tcp_update(struct flow *f, struct pkt *p, int dir, uint64_t *ctr, bool midstream,
                bool async_oneside, uint8_t max_syn_queued)
{
    uint8_t fl = p->tcp_flags;

    if ((fl & (TCP_SYN | TCP_ACK)) == TCP_SYN)
        ctr[STAT_TCP_SYN]++;
    else if ((fl & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK))
        ctr[STAT_TCP_SYNACK]++;
    if (fl & TCP_RST)
        ctr[STAT_TCP_RST]++;
    if (fl & TCP_URG)
        ctr[STAT_TCP_URG]++;
    if (!(f->flags & FLOW_F_TCP_SESSION) && !flow_tcp_start(f, p, dir, ctr, midstream))
        return;
    f->tcp_flags[dir] |= fl;
    f->rep_tcp_flags[dir] |= fl;
    flow_tcp_post_rst(f, p, dir);
    if (f->tcp_state == FLOW_TCP_SYN_SENT && (fl & (TCP_SYN | TCP_ACK | TCP_RST)) == TCP_SYN) {
        if (dir == FLOW_TOSERVER && (f->rs_flags[dir] & TCP_RS_SEQ_KNOWN) &&
            (p->tcp_has_ts != f->tcp_ts || p->tcp_tsval != f->tcp_last_ts[dir]))
            f->tcp_syn_ts_multi = true;
        flow_tcp_syn_again(f, p, dir, max_syn_queued);
    } else if (f->tcp_state == FLOW_TCP_SYN_SENT && !flow_tcp_syn_sent_accepts(f, p, dir)) {
        p->flags |= PKT_STREAM_SKIP;
        return;
    }
    if (!flow_tcp_timestamp_is_valid(f, p, dir)) {
        /* PAWS (RFC 7323 section 5): an old timestamp does not move the
         * state, and the packet's bytes are not the stream's. */
        dec_event_set(p, DEC_EV_STREAM_PKT_INVALID_TIMESTAMP);
        p->flags |= PKT_STREAM_SKIP;
        return;
    }
    if (fl & TCP_RST) {
        if (p->tcp_has_auth)
            f->tcp_rst_recv[dir] = true;
        if (f->tcp_state != FLOW_TCP_CLOSED)
            f->tcp_pstate = f->tcp_state;
        flow_tcp_set(f, FLOW_TCP_CLOSED);
        return;
    }
    if (f->tcp_state == FLOW_TCP_SYN_SENT && dir == FLOW_TOCLIENT &&
        (fl & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK)) {
        flow_tcp_set(f, FLOW_TCP_SYN_RECV);
        return;
    }
    /* stream.async-oneside: only one side of the handshake is routed past
     * the sensor; its next ACK completes the session. */
    if (async_oneside && (fl & (TCP_SYN | TCP_ACK)) == TCP_ACK &&
        ((f->tcp_state == FLOW_TCP_SYN_SENT && dir == FLOW_TOSERVER) ||
         (f->tcp_state == FLOW_TCP_SYN_RECV && dir == FLOW_TOCLIENT))) {
        flow_tcp_set(f, FLOW_TCP_ESTABLISHED);
        if (!(fl & TCP_FIN))
            return;
    }
    if (fl & TCP_FIN)
        flow_tcp_fin(f, dir);
    else if (fl & TCP_ACK)
        flow_tcp_ack(f, dir);
}

bool
flow_tcp_is_reuse(const struct flow *f, const struct pkt *p)
{
    if ((p->tcp_flags & (TCP_SYN | TCP_ACK | TCP_RST)) != TCP_SYN)
        return false;
    return (f->flags & FLOW_F_TCP_SESSION) &&
           (f->tcp_state == FLOW_TCP_CLOSED || f->tcp_state == FLOW_TCP_TIME_WAIT ||
            f->tcp_state == FLOW_TCP_LAST_ACK);
}
