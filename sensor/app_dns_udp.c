/*
 * app_dns_udp.c - DNS over UDP, as Suricata 8's rust/src/dns/dns.rs
 * (parse_request, parse_response, probe) treats it:
 *  - each message is its own transaction, numbered per flow from 0 in
 *    the order seen, both directions; responses are not matched to
 *    queries, so an unsolicited response is logged like any other;
 *  - the direction is the flow's: when the first DNS message of a flow
 *    was a response from its client side, detection (app_detect.c) had
 *    the worker turn the flow round (flow_swap) before this runs, as
 *    Suricata's probe reverses it;
 *  - a message whose header fails the validity check is ignored;
 *  - a malformed message, or a response sent to the server, makes no
 *    transaction. Suricata sets malformed_data / not_request on the
 *    flow's most recent transaction, which its loggers have finished with
 *    by then, so no record shows it: here they are counted only
 *    (dns.udp.malformed, dns.udp.not_request, not in EVE);
 *  - events of a new transaction are applayer anomalies with its tx_id,
 *    in Suricata's order.
 */
#include "app_dns_udp.h"

#include <stdlib.h>

#include "cursor.h"

struct app_dns_udp *
app_dns_udp_create(void)
{
    return calloc(1, sizeof(struct app_dns_udp));
}

void
app_dns_udp_destroy(struct app_dns_udp *d)
{
    free(d);
}

unsigned
app_dns_events(const struct dns_msg *m, bool response, const char **ev)
{
    unsigned n = 0;

    if (m->invalid_additionals)
        ev[n++] = "invalid_additionals";
    if (m->invalid_authorities)
        ev[n++] = "invalid_authorities";
    if (response && !m->qr)
        ev[n++] = "not_response";
    if (m->z)
        ev[n++] = "z_flag_set";
    if (m->opcode >= 7)
        ev[n++] = "invalid_opcode";
    if (m->name_flags & DNS_NAME_F_TRUNCATED)
        ev[n++] = "name_too_long";
    if (m->name_flags & DNS_NAME_F_LOOP)
        ev[n++] = "infinite_loop";
    if (m->name_flags & DNS_NAME_F_LABELS)
        ev[n++] = "too_many_labels";
    return n;
}

/* Applayer anomalies for the events Suricata sets on a new transaction. */
static void
app_dns_udp_events(struct eve *e, const struct pkt *p, const struct flow *f,
                   const struct dns_msg *m, bool response, uint64_t tx_id)
{
    const char *ev[APP_DNS_EVENTS_MAX];
    unsigned n = app_dns_events(m, response, ev), i;

    for (i = 0; i < n; i++)
        eve_emit_anomaly_applayer(e, p, f, "dns", ev[i], tx_id);
}

void
app_dns_udp_packet(struct app_dns_udp *d, struct eve *e, struct flow *f, const struct pkt *p,
                   int dir)
{
    struct dns_msg *m = &d->msg;
    struct cursor c;
    const uint8_t *msg;

    cur_init(&c, p->data, p->caplen);
    cur_skip(&c, p->payload_off);
    msg = cur_bytes(&c, p->payload_len);
    NIDS_BUG_ON(msg == NULL);
    if (msg == NULL || p->payload_len == 0)
        return;
    if (!(f->app_flags & FLOW_APP_F_SEEN)) {
        f->app_flags |= FLOW_APP_F_SEEN;
        p->ctr[STAT_APP_LAYER_FLOW_DNS_UDP]++;
    }
    enum dns_status st = dns_parse_message(msg, p->payload_len, m, d->names, sizeof(d->names));
    p->ctr[STAT_DNS_NOT_STORED] += m->not_stored;
    p->ctr[STAT_DNS_NAME_NOT_STORED] += m->names_not_stored;
    if (st == DNS_NOT_DNS) {
        p->ctr[STAT_DNS_UDP_NOT_DNS]++;
        return;
    }
    if (st != DNS_OK) {
        p->ctr[STAT_DNS_UDP_MALFORMED]++;
        return;
    }
    bool response = dir == FLOW_TOCLIENT;
    if (!response && m->qr) {
        p->ctr[STAT_DNS_UDP_NOT_REQUEST]++;
        return;
    }
    uint64_t tx_id = f->app_tx++;
    p->ctr[STAT_APP_LAYER_TX_DNS_UDP]++;
    eve_emit_dns(e, p, f, m, response, tx_id, d->esc);
    app_dns_udp_events(e, p, f, m, response, tx_id);
}
