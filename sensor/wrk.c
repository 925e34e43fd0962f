/*
 * wrk.c - the per-packet path of one worker. Flow and defrag timeouts run
 * here, driven by packet time, once per second of capture time.
 */
#include "wrk.h"

#include <string.h>

#include "app_detect.h"

static void
wrk_flow_end(void *ctx, struct flow *f, uint64_t now_us)
{
    struct wrk *w = ctx;

    if (w->eve_flow)
        eve_emit_flow(w->eve, f, now_us);
    if (w->eve_netflow)
        eve_emit_netflow(w->eve, f, now_us);
}

int
wrk_init(struct wrk *w, const struct wrk_config *cfg, struct eve *eve)
{
    memset(w, 0, sizeof(*w));
    w->eve = eve;
    w->csum_check = cfg->csum_check;
    w->eve_flow = eve_has_type(eve, EVE_TYPE_FLOW);
    w->eve_netflow = eve_has_type(eve, EVE_TYPE_NETFLOW);
    w->eve_anomaly = eve_has_type(eve, EVE_TYPE_ANOMALY);
    if (flow_table_init(&w->ft, &cfg->flow, w->ctr, wrk_flow_end, w) < 0)
        return NIDS_ENOMEM;
    if (defrag_init(&w->df, &cfg->defrag, w->ctr) < 0) {
        flow_table_fini(&w->ft);
        return NIDS_ENOMEM;
    }
    return 0;
}

void
wrk_fini(struct wrk *w)
{
    defrag_fini(&w->df);
    flow_table_fini(&w->ft);
}

static void
wrk_tick(struct wrk *w)
{
    uint64_t s = w->now_us / 1000000u;

    if (s == w->last_tick_s)
        return;
    w->last_tick_s = s;
    flow_table_timeout(&w->ft, w->now_us);
    defrag_timeout(&w->df, w->now_us);
}

/* Flow lookup and anomaly output for a decoded (or reassembled) packet. */
static void
wrk_flow_and_emit(struct wrk *w, struct pkt *p)
{
    struct flow *f = NULL;
    int dir = 0;

    if (p->flags & PKT_HAS_L4) {
        f = flow_table_handle(&w->ft, p, &dir);
        if (f != NULL)
            app_detect_packet(f, p, dir);
    }
    if (p->n_events > 0 && w->eve_anomaly)
        eve_emit_anomaly(w->eve, p, f);
}

void
wrk_packet(struct wrk *w, const uint8_t *data, uint32_t caplen, uint32_t wirelen, uint64_t ts_us,
           int linktype, uint64_t pcap_cnt)
{
    struct pkt *p = &w->pkt;

    /* Capture time never goes backwards for timeouts. */
    if (ts_us > w->now_us)
        w->now_us = ts_us;
    wrk_tick(w);
    dec_pkt_init(p, data, caplen, wirelen, ts_us, linktype, w->ctr);
    p->pcap_cnt = pcap_cnt;
    if (w->csum_check)
        p->flags |= PKT_CSUM_CHECK;
    (void)dec_packet(p);
    if ((p->flags & PKT_IS_FRAGMENT) && !(p->flags & PKT_IS_INVALID)) {
        bool done = defrag_handle(&w->df, p, &w->pseudo);
        if (p->n_events > 0 && w->eve_anomaly)
            eve_emit_anomaly(w->eve, p, NULL);
        if (done)
            wrk_flow_and_emit(w, &w->pseudo);
        return;
    }
    wrk_flow_and_emit(w, p);
}

void
wrk_advance(struct wrk *w, uint64_t ts_us)
{
    if (ts_us > w->now_us)
        w->now_us = ts_us;
    wrk_tick(w);
}

void
wrk_shutdown(struct wrk *w)
{
    flow_table_flush(&w->ft, w->now_us);
}
