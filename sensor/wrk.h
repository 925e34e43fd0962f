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
#include "out_eve.h"

struct wrk_config {
    struct flow_config flow;
    struct defrag_config defrag;
    bool csum_check; /* -k all / auto */
};

struct wrk {
    uint64_t ctr[STAT_ID_COUNT];
    struct flow_table ft;
    struct defrag df;
    struct eve *eve;
    struct pkt pkt;
    struct pkt pseudo;
    uint64_t now_us;
    uint64_t last_tick_s;
    bool csum_check;
    bool eve_flow, eve_netflow, eve_anomaly;
};

/* Allocate everything the worker needs (start-up). */
int wrk_init(struct wrk *w, const struct wrk_config *cfg, struct eve *eve) NIDS_MUST_CHECK;
void wrk_fini(struct wrk *w);

/* Process one captured frame. Worker thread; no allocation. */
void wrk_packet(struct wrk *w, const uint8_t *data, uint32_t caplen, uint32_t wirelen,
                uint64_t ts_us, int linktype, uint64_t pcap_cnt);

/* Capture time moved to ts_us with no packet for this worker: run timeouts. */
void wrk_advance(struct wrk *w, uint64_t ts_us);

/* End of input: flush every flow. */
void wrk_shutdown(struct wrk *w);

#endif /* WRK_H */
