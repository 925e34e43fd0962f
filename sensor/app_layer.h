/*
 * app_layer.h - the app-layer dispatch of a worker: reassembled TCP bytes go to
 * protocol identification, then to the parser of the flow's protocol.
 */
#ifndef APP_LAYER_H
#define APP_LAYER_H

#include <stdint.h>

#include "flow.h"
#include "nids.h"

struct eve;
struct app_http_ctx;
struct app_dns_tcp_ctx;
struct app_smtp_ctx;
struct app_smtp_cfg;
struct pkt;

struct app_layer {
    struct app_http_ctx *http; /* NULL: HTTP is identified but not parsed */
    struct app_dns_tcp_ctx *dns_tcp; /* DNS over TCP */
    uint64_t *ctr;
    uint64_t now_us;           /* capture time of the packet being processed */
    const struct pkt *pkt;     /* the packet being reassembled; NULL at flow end */
    struct app_smtp_ctx *smtp; /* SMTP (NULL: identified but not parsed) */
    const struct app_smtp_cfg *smtp_cfg; /* set before app_layer_init; NULL: defaults */
};

/* Per-worker parser contexts (start-up). */
int app_layer_init(struct app_layer *a, struct eve *eve, uint64_t *ctr) NIDS_MUST_CHECK;
void app_layer_fini(struct app_layer *a);

/* tcp_reasm_data_fn: in-order bytes of one direction (ctx is the struct app_layer). */
void app_layer_stream_data(void *ctx, struct flow *f, int dir, const uint8_t *data, uint32_t len,
                           uint32_t flags);

/*
 * Packet p of flow f (direction dir) is through reassembly: parsers that
 * wait for the other side's acknowledgement (DNS over TCP) act on its ACK,
 * and a protocol identified from bytes it acknowledges stops being
 * FLOW_F_APP_PENDING. Worker; after tcp_reasm_packet() and any flow_swap().
 */
void app_layer_stream_ack(struct app_layer *a, struct flow *f, const struct pkt *p, int dir);

/* The flow ends: parsers log what is open and give their state back. */
void app_layer_flow_end(struct app_layer *a, struct flow *f);

#endif /* APP_LAYER_H */
