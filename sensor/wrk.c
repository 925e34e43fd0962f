/*
 * wrk.c - the per-packet path of one worker. Flow and defrag timeouts run
 * here, driven by packet time, once per second of capture time.
 */
#include "wrk.h"

#include <stdio.h>
#include <string.h>

#include "app_detect.h"
#include "app_dns_tcp.h"
#include "app_dns_udp.h"
#include "app_http.h"
#include "app_smtp.h"
#include "sig.h"

void
wrk_export_record(const struct flow *f, struct ipfix_flow_rec *r)
{
    static const uint8_t reason[FLOW_END_REASON_COUNT] = {
        [FLOW_END_TIMEOUT] = IPFIX_END_IDLE_TIMEOUT,  [FLOW_END_FORCED] = IPFIX_END_LACK_RESOURCES,
        [FLOW_END_SHUTDOWN] = IPFIX_END_FORCED,       [FLOW_END_TCP_REUSE] = IPFIX_END_OF_FLOW,
        [FLOW_END_ACTIVE] = IPFIX_END_ACTIVE_TIMEOUT,
    };
    const char *app = app_proto_name(f->app_proto);
    int d;

    memset(r, 0, sizeof(*r));
    r->ip_ver = f->key.ip_ver;
    r->proto = f->key.proto;
    memcpy(r->src, f->key.src, 16);
    memcpy(r->dst, f->key.dst, 16);
    r->sp = f->key.sp;
    r->dp = f->key.dp;
    if (f->key.proto == 1 || f->key.proto == 58) {
        r->sp = 0;
        r->dp = (uint16_t)(f->icmp_type[0] << 8 | f->icmp_code[0]);
    }
    for (d = 0; d < 2; d++) {
        r->pkts[d] = flow_rep_pkts(f, d);
        r->bytes[d] = f->bytes[d] - f->rep_bytes[d];
        r->tcp_flags[d] = f->rep_tcp_flags[d]; /* this report's packets only */
    }
    r->start_ms = f->rep_start_us / 1000u;
    r->end_ms = f->last_us / 1000u;
    r->vlan_id = f->key.vlan_idx > 0 ? f->key.vlan_id[0] : 0;
    /* A closed TCP session ended by itself: "end of flow" (RFC 5102). */
    r->end_reason = f->end_reason == FLOW_END_TIMEOUT && f->state == FLOW_STATE_CLOSED
                            ? IPFIX_END_OF_FLOW
                            : reason[f->end_reason];
    if (app != NULL && strcmp(app, "failed") != 0)
        snprintf(r->app_name, sizeof(r->app_name), "%s", app);
}

/* The flow turns round (flow_swap): its detection state first. */
static void
wrk_sig_swap(struct wrk *w, struct flow *f)
{
    if (w->sig != NULL)
        sig_flow_swap(w->sig, f);
}

static void
wrk_flow_end(void *ctx, struct flow *f, uint64_t now_us)
{
    struct wrk *w = ctx;
    bool interim = f->end_reason == FLOW_END_ACTIVE;

    if (!interim) {
        /* What the stream still holds reaches the parsers, whose records
         * come before the flow's own (as in Suricata). */
        w->app.now_us = now_us;
        w->app.pkt = NULL;
        if (f->flags & FLOW_F_TCP_SESSION)
            tcp_reasm_flow_end(&w->rs, f);
        if (f->flags & FLOW_F_SWAP) {
            wrk_sig_swap(w, f);
            flow_swap(f);
        }
        app_layer_flow_end(&w->app, f);
        /* nDPI concludes first: its answer is part of the records. */
        if (w->ndpi != NULL)
            app_ndpi_flow_end(w->ndpi, f);
        /* What the stream windows hold is inspected before the flow record. */
        if (w->sig != NULL)
            sig_flow_end(w->sig, f, now_us);
    }
    if (w->eve_flow)
        eve_emit_flow(w->eve, f, now_us);
    /* netflow records are per finished flow, as Suricata's. */
    if (w->eve_netflow && !interim)
        eve_emit_netflow(w->eve, f, now_us);
    if (w->export_fn != NULL && (flow_rep_pkts(f, 0) | flow_rep_pkts(f, 1)) != 0) {
        struct ipfix_flow_rec r;
        wrk_export_record(f, &r);
        w->export_fn(w->export_ctx, &r);
    }
    if (w->ndpi != NULL && !interim)
        app_ndpi_flow_put(w->ndpi, f);
}

/* tcp_reasm_data_fn: stream bytes to detection, then to the app layer. */
static void
wrk_stream_data(void *ctx, struct flow *f, int dir, const uint8_t *data, uint32_t len,
                uint32_t flags)
{
    struct wrk *w = ctx;

    if (w->sig != NULL)
        sig_stream_data(w->sig, f, dir, data, len, flags);
    if (!(flags & APP_FLAG_RAW))
        app_layer_stream_data(&w->app, f, dir, data, len, flags);
}

/* app_http_detect_fn */
static void
wrk_http_detect(void *ctx, struct flow *f, const struct http_tx *tx, bool flow_end)
{
    sig_http_tx(ctx, f, tx, flow_end);
}

/* app_dns_tcp_detect_fn */
static void
wrk_dns_tcp_detect(void *ctx, const struct pkt *p, struct flow *f, const struct dns_msg *m,
                   bool response, uint64_t tx_id)
{
    sig_dns_tx(ctx, p, f, m, response, tx_id);
}

/* app_smtp_detect_fn */
static void
wrk_smtp_detect(void *ctx, struct flow *f, const struct smtp_conn *c, const struct smtp_tx *tx,
                bool flow_end)
{
    sig_smtp_tx(ctx, f, c, tx, flow_end);
}

/* The app-layer parsers hand their transactions to w->sig (none without rules). */
static void
wrk_sig_hooks(struct wrk *w)
{
    struct sig_thread *t = w->sig;

    if (w->app.http != NULL)
        app_http_set_detect(w->app.http, t != NULL ? wrk_http_detect : NULL, t);
    if (w->app.dns_tcp != NULL)
        app_dns_tcp_set_detect(w->app.dns_tcp, t != NULL ? wrk_dns_tcp_detect : NULL, t);
    if (w->app.smtp != NULL)
        app_smtp_set_detect(w->app.smtp, t != NULL ? wrk_smtp_detect : NULL, t);
}

struct sig_thread *
wrk_sig_create(struct wrk *w, const struct sig_db *db)
{
    return sig_thread_create(db, w->ft.flows, w->ft.capacity, w->eve, w->ctr);
}

struct sig_thread *
wrk_sig_replace(struct wrk *w, struct sig_thread *next)
{
    struct sig_thread *old = w->sig;

    if (next != NULL && old != NULL)
        sig_thread_adopt(next, old);
    w->sig = next;
    wrk_sig_hooks(w);
    return old;
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
    w->dns = app_dns_udp_create();
    if (w->dns == NULL)
        goto out_defrag;
    w->app.smtp_cfg = cfg->smtp;
    if (app_layer_init(&w->app, eve, w->ctr) < 0)
        goto out_dns;
    if (cfg->sigs != NULL && sig_db_count(cfg->sigs) > 0) {
        w->sig = wrk_sig_create(w, cfg->sigs);
        if (w->sig == NULL)
            goto out_app;
        wrk_sig_hooks(w);
    }
    if (tcp_reasm_init(&w->rs, &cfg->reasm, w->ctr, wrk_stream_data, w) < 0)
        goto out_app;
    if (cfg->ndpi.enabled) {
        w->ndpi = app_ndpi_create(&cfg->ndpi, w->ctr);
        if (w->ndpi == NULL)
            goto out_reasm;
        eve->flow_extra = app_ndpi_flow_emit;
        eve->flow_extra_ctx = w->ndpi;
    }
    return 0;

out_reasm:
    tcp_reasm_fini(&w->rs);
out_app:
    sig_thread_destroy(w->sig);
    w->sig = NULL;
    app_layer_fini(&w->app);
out_dns:
    app_dns_udp_destroy(w->dns);
    w->dns = NULL;
out_defrag:
    defrag_fini(&w->df);
    flow_table_fini(&w->ft);
    return NIDS_ENOMEM;
}

void
wrk_fini(struct wrk *w)
{
    tcp_reasm_fini(&w->rs);
    app_layer_fini(&w->app);
    defrag_fini(&w->df);
    flow_table_fini(&w->ft);
    app_dns_udp_destroy(w->dns);
    w->dns = NULL;
    app_ndpi_destroy(w->ndpi);
    w->ndpi = NULL;
    sig_thread_destroy(w->sig);
    w->sig = NULL;
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
        if (w->sig != NULL)
            sig_packet_begin(w->sig, p, f, dir);
        if (f != NULL && p->proto == 17)
            app_detect_packet(f, p, dir);
        if (f != NULL && (f->flags & FLOW_F_SWAP)) {
            /* A DNS response came first: Suricata turns the flow round. */
            wrk_sig_swap(w, f);
            flow_swap(f);
            dir ^= 1;
        }
        if (f != NULL && f->app_proto == APP_PROTO_DNS && p->proto == 17) {
            uint32_t tx0 = f->app_tx;
            app_dns_udp_packet(w->dns, w->eve, f, p, dir);
            /* A message that made a transaction (its id is the flow's count). */
            if (w->sig != NULL && f->app_tx != tx0)
                sig_dns_tx(w->sig, p, f, &w->dns->msg, dir == FLOW_TOCLIENT, f->app_tx - 1);
        }
        if (f != NULL && p->proto == 6 && (f->flags & FLOW_F_TCP_SESSION) &&
            !(p->flags & PKT_STREAM_SKIP)) {
            /* In-order stream bytes reach the app layer through reassembly;
             * a packet the TCP state machine rejected never does. */
            w->app.now_us = p->ts_us;
            w->app.pkt = p;
            tcp_reasm_packet(&w->rs, f, p, dir);
            if (f->flags & FLOW_F_SWAP) {
                /* Detection turned a mid-stream session round. */
                wrk_sig_swap(w, f);
                flow_swap(f);
                dir ^= 1;
            }
            app_layer_stream_ack(&w->app, f, p, dir);
            w->app.pkt = NULL;
        }
        /* After the probes and parsers: what they claim never reaches nDPI. */
        if (f != NULL && w->ndpi != NULL)
            app_ndpi_packet(w->ndpi, f, p, dir);
    }
    if (p->n_events > 0 && w->eve_anomaly)
        eve_emit_anomaly(w->eve, p, f);
    /* Packet and stream rules, then the packet's alerts (a packet without
     * IP still meets decoder-event rules). */
    if (w->sig != NULL && (p->ip_ver != 0 || p->n_events > 0))
        sig_packet(w->sig, p, f, dir);
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
        /* The fragment itself meets the rules too (decoder events, IP-only). */
        if (w->sig != NULL)
            sig_packet(w->sig, p, NULL, 0);
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
