/*
 * app_dns_udp.h - DNS over UDP for a worker: each datagram of a flow whose
 * app_proto is dns is one message, parsed by decoders/app_dns.c and logged
 * as Suricata 8 does (one transaction per message, per-flow tx ids).
 *
 * The worker owns one struct app_dns_udp: the parse result, the scratch
 * the names are decompressed into and the output escape buffer. Per-flow
 * state is two fields of struct flow (app_flags, app_tx); the flow's
 * direction is the DNS one (detection turned it round if needed).
 */
#ifndef APP_DNS_UDP_H
#define APP_DNS_UDP_H

#include "app_dns.h"
#include "decode.h"
#include "flow.h"
#include "out_eve.h"

#define APP_DNS_UDP_SCRATCH (64u * 1024u) /* decompressed names of one message */

struct app_dns_udp {
    struct dns_msg msg;
    uint8_t names[APP_DNS_UDP_SCRATCH];
    char esc[EVE_DNS_ESC_MAX];
};

/* Allocate a worker's DNS state (start-up). NULL when out of memory. */
struct app_dns_udp *app_dns_udp_create(void);
void app_dns_udp_destroy(struct app_dns_udp *d);

/*
 * The events Suricata sets on a new transaction of message m (parsed in
 * the to-client direction when response), by their EVE names, in its
 * order, into ev (APP_DNS_EVENTS_MAX entries). Returns their number.
 * Shared with DNS over TCP (app_dns_tcp.c). Any thread.
 */
#define APP_DNS_EVENTS_MAX 8
unsigned app_dns_events(const struct dns_msg *m, bool response, const char **ev);

/*
 * The UDP payload of p, of flow f (app_proto dns), seen in direction dir:
 * parse it, count it, write its dns record and its applayer anomalies
 * through e. Worker thread; no allocation.
 */
void app_dns_udp_packet(struct app_dns_udp *d, struct eve *e, struct flow *f, const struct pkt *p,
                        int dir);

#endif /* APP_DNS_UDP_H */
