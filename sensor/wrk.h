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
#include "app_ndpi.h"

struct app_dns_udp;
struct sig_db;
struct sig_thread;

struct wrk_config {
    struct flow_config flow;
    struct defrag_config defrag;
    struct tcp_reasm_cfg reasm;
    bool csum_check; /* -k all / auto */
    struct app_ndpi_cfg ndpi; /* application identification with nDPI */
    const struct sig_db *sigs; /* rule set (shared, read-only); NULL: no detection */
    const struct app_smtp_cfg *smtp; /* app-layer.protocols.smtp; NULL: defaults */
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
    struct app_ndpi *ndpi;   /* nDPI identification; NULL when ndpi.enabled is off */
    struct sig_thread *sig;  /* signature detection; NULL without rules */
};

/* Allocate everything the worker needs (start-up). */
int wrk_init(struct wrk *w, const struct wrk_config *cfg, struct eve *eve) NIDS_MUST_CHECK;
void wrk_fini(struct wrk *w);

/*
 * Rule reload. wrk_sig_create: a detection context of db for w's flow
 * table, output and counters (any thread: it only reads what wrk_init
 * set; NULL when out of memory). wrk_sig_replace: worker thread, between
 * packets: detection goes on with next (NULL: off), which takes over the
 * flows' detection state; returns the context replaced (NULL: there was
 * none) for the caller to free.
 */
struct sig_thread *wrk_sig_create(struct wrk *w, const struct sig_db *db);
struct sig_thread *wrk_sig_replace(struct wrk *w, struct sig_thread *next);

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
