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

void
flow_tcp_update(struct flow *f, struct pkt *p, int dir, uint64_t *ctr, bool midstream,
                bool async_oneside)
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
    if (!flow_tcp_timestamp_is_valid(f, p, dir)) {
        /* PAWS (RFC 7323 section 5): an old timestamp does not move the state. */
        dec_event_set(p, DEC_EV_STREAM_PKT_INVALID_TIMESTAMP);
        return;
    }
    if (fl & TCP_RST) {
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
