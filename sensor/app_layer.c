/*
 * app_layer.c - from stream bytes to parsers. A direction's first bytes pick the
 * protocol (the port is only a hint); a parser that hands bytes back (an
 * HTTP CONNECT tunnel opening) sends them through identification again.
 */
#include "app_layer.h"

#include "app.h"
#include "app_detect.h"
#include "app_dns_tcp.h"
#include "app_smtp.h"
/* The HTTP glue (sensor/app_http.h, not the parser's decoders/app_http.h). */
#if __has_include("../sensor/app_http.h")
#include "../sensor/app_http.h"
#define APP_HAVE_HTTP 1
#endif

int
app_layer_init(struct app_layer *a, struct eve *eve, uint64_t *ctr)
{
    a->http = NULL;
    a->smtp = NULL;
    a->ctr = ctr;
    a->now_us = 0;
    a->pkt = NULL;
    {
        struct app_dns_tcp_cfg dc;
        app_dns_tcp_cfg_defaults(&dc);
        a->dns_tcp = app_dns_tcp_ctx_create(&dc, eve, ctr);
        if (a->dns_tcp == NULL)
            return NIDS_ENOMEM;
    }
#ifdef APP_HAVE_HTTP
    {
        struct app_http_cfg hc;
        app_http_cfg_defaults(&hc);
        a->http = app_http_ctx_create(&hc, eve, ctr);
        if (a->http == NULL) {
            app_dns_tcp_ctx_destroy(a->dns_tcp);
            a->dns_tcp = NULL;
            return NIDS_ENOMEM;
        }
    }
#else
    (void)eve;
#endif
    {
        struct app_smtp_cfg sc;
        if (a->smtp_cfg != NULL)
            sc = *a->smtp_cfg;
        else
            app_smtp_cfg_defaults(&sc);
        a->smtp = app_smtp_ctx_create(&sc, eve, ctr);
        if (a->smtp == NULL) {
            app_layer_fini(a);
            return NIDS_ENOMEM;
        }
    }
    return 0;
}

void
app_layer_fini(struct app_layer *a)
{
#ifdef APP_HAVE_HTTP
    if (a->http != NULL)
        app_http_ctx_destroy(a->http);
#endif
    a->http = NULL;
    app_dns_tcp_ctx_destroy(a->dns_tcp);
    a->dns_tcp = NULL;
    app_smtp_ctx_destroy(a->smtp);
    a->smtp = NULL;
}

/*
 * Suricata's IDS mode hands a direction's bytes to protocol detection only
 * when the other side acknowledges them (stream-tcp-reassemble.c,
 * UPDATE_DIR_OPPOSING), so until then packet rules see no protocol. The
 * exceptions that hand over the packet's own direction: an RST, a FIN
 * after TIME_WAIT, a closed session (UPDATE_DIR_PACKET/BOTH). An
 * established session whose other side was never seen
 * (stream.async-oneside) has nobody to acknowledge: its protocol shows at
 * once. A SYN/ACK acknowledging TCP Fast Open data hands over nothing
 * (Suricata does not reassemble in SYN_SENT).
 */
static bool
app_layer_det_is_acked(const struct flow *f, const struct pkt *p, int dir)
{
    int det_dir = (f->flags & FLOW_F_APP_DET_TC) ? FLOW_TOCLIENT : FLOW_TOSERVER;
    uint8_t fl = p->tcp_flags;

    if (dir == det_dir)
        return (fl & TCP_RST) || ((fl & TCP_FIN) && f->tcp_state > FLOW_TCP_TIME_WAIT) ||
               f->tcp_state == FLOW_TCP_CLOSED ||
               (f->tcp_state >= FLOW_TCP_ESTABLISHED && f->pkts[dir ^ 1] == 0);
    if ((fl & (TCP_SYN | TCP_ACK | TCP_RST)) != TCP_ACK)
        return f->tcp_state == FLOW_TCP_CLOSED;
    return (int32_t)(p->tcp_ack - f->app_det_seq) >= 0;
}

void
app_layer_stream_data(void *ctx, struct flow *f, int dir, const uint8_t *data, uint32_t len,
                      uint32_t flags)
{
    struct app_layer *a = ctx;
    unsigned rounds = 0;
    /* The bytes start at the next in-order sequence number (tcp_reasm_give). */
    uint32_t end = f->rs_next_seq[dir] + len;

    (void)a;
    (void)flags;
    /* Each round either consumes the bytes or changes the protocol once. */
    while (rounds++ < 4) {
        uint32_t used = len;
        if (f->app_proto == APP_PROTO_UNKNOWN && data != NULL) {
            app_detect_stream(f, dir, data, len);
            if (f->app_proto != APP_PROTO_UNKNOWN) {
                f->app_det_seq = end;
                f->flags &= (uint8_t)~FLOW_F_APP_DET_TC;
                f->flags |= FLOW_F_APP_PENDING | (dir == FLOW_TOCLIENT ? FLOW_F_APP_DET_TC : 0);
            }
        }
        /* Detection turned the flow round: parsers see the real direction
         * (the worker swaps the flow's fields after this packet). */
        int pd = flow_dir_slot(f, dir);
        if (f->app_proto == APP_PROTO_DNS && a->dns_tcp != NULL)
            app_dns_tcp_data(a->dns_tcp, f, pd, data, len, flags, a->pkt, a->now_us);
#ifdef APP_HAVE_HTTP
        if (f->app_proto == APP_PROTO_HTTP && a->http != NULL)
            used = app_http_data(a->http, f, pd, data, len, flags, a->now_us);
#endif
        if (f->app_proto == APP_PROTO_SMTP && a->smtp != NULL)
            used = app_smtp_data(a->smtp, f, pd, data, len, flags, a->pkt, a->now_us);
        if (used >= len || data == NULL)
            return;
        data += used;
        len -= used;
    }
}

void
app_layer_stream_ack(struct app_layer *a, struct flow *f, const struct pkt *p, int dir)
{
    if ((f->flags & FLOW_F_APP_PENDING) && app_layer_det_is_acked(f, p, dir))
        f->flags &= (uint8_t)~FLOW_F_APP_PENDING;
    if (f->app_proto == APP_PROTO_DNS && f->app_state != 0 && a->dns_tcp != NULL)
        app_dns_tcp_ack(a->dns_tcp, f, p, dir);
    if (f->app_proto == APP_PROTO_SMTP && f->app_state != 0 && a->smtp != NULL)
        app_smtp_ack(a->smtp, f, p, dir);
}

void
app_layer_flow_end(struct app_layer *a, struct flow *f)
{
    if (f->app_proto == APP_PROTO_DNS && f->key.proto == 6) {
        if (a->dns_tcp != NULL && f->app_state != 0)
            app_dns_tcp_flow_end(a->dns_tcp, f, a->now_us);
        return;
    }
    if (f->app_proto == APP_PROTO_SMTP) {
        if (a->smtp != NULL && f->app_state != 0)
            app_smtp_flow_end(a->smtp, f, a->now_us);
        return;
    }
#ifdef APP_HAVE_HTTP
    if (a->http != NULL && f->app_state != 0)
        app_http_flow_end(a->http, f, a->now_us);
#else
    (void)a;
    (void)f;
#endif
}
