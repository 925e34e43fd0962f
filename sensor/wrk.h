/*
 * wrk.h - a worker: owns its counters, flow table, defrag state and EVE
 * formatting, and runs the per-packet path: decode, defrag, flow, emit.
 */
#ifndef WRK_H
#define WRK_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"
#include "defrag.h"
#include "flow.h"
#include "nids.h"
#include "app_layer.h"
#include "ipfix.h"
#include "tcp_reasm.h"
#include "out_eve.h"

struct app_dns_udp;

struct wrk_config {
    struct flow_config flow;
    struct defrag_config defrag;
    struct tcp_reasm_cfg reasm;
    bool csum_check; /* -k all / auto */
};

/* Where finished (and interim) flow records for NetFlow/IPFIX go. */
typedef void (*wrk_export_fn)(void *ctx, const struct ipfix_flow_rec *r);

struct wrk {
    uint64_t ctr[STAT_ID_COUNT];
    struct flow_table ft;
    struct defrag df;
    struct tcp_reasm rs;
    struct app_layer app;
    struct eve *eve;
    struct pkt pkt;
    struct pkt pseudo;
    uint64_t now_us;
    uint64_t last_tick_s;
    bool csum_check;
    bool eve_flow, eve_netflow, eve_anomaly;
    wrk_export_fn export_fn; /* NULL: no flow export */
    void *export_ctx;
    struct app_dns_udp *dns; /* DNS over UDP: parse result and scratch */
};

/* Allocate everything the worker needs (start-up). */
int wrk_init(struct wrk *w, const struct wrk_config *cfg, struct eve *eve) NIDS_MUST_CHECK;
void wrk_fini(struct wrk *w);

/* Build the export record of flow f (deltas since its last report). */
void wrk_export_record(const struct flow *f, struct ipfix_flow_rec *r);

/* Process one captured frame. Worker thread; no allocation. */
void wrk_packet(struct wrk *w, const uint8_t *data, uint32_t caplen, uint32_t wirelen,
                uint64_t ts_us, int linktype, uint64_t pcap_cnt);

/* Capture time moved to ts_us with no packet for this worker: run timeouts. */
void wrk_advance(struct wrk *w, uint64_t ts_us);

/* End of input: flush every flow. */
void wrk_shutdown(struct wrk *w);

#endif /* WRK_H */
