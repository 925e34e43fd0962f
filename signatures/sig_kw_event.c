/*
 * sig_kw_event.c - events as conditions:
 *
 *   decode-event:ipv4.trunc_pkt;        a decoder event on the packet
 *   stream-event:pkt_invalid_timestamp; a TCP stream event on the packet
 *   app-layer-event:http.request_chunk_extension;   an event of the transaction
 *   app-layer-event:dns.z_flag_set;
 *
 * Names are Suricata's. A decoder or stream event Suricata knows and this
 * sensor never raises is accepted and never matches (so stock rule files
 * load); an unknown name is an error.
 */
#include "sig_int.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../decoders/app_http.h"
#include "../decoders/app_smtp.h"

/* Suricata's stream events (decode-events.c) the stream engine here does not raise. */
static const char *const sig_stream_events_known[] = {
        "3whs_ack_in_wrong_dir",
        "3whs_async_wrong_seq",
        "3whs_right_seq_wrong_ack_evasion",
        "3whs_synack_in_wrong_direction",
        "3whs_synack_resend_with_diff_ack",
        "3whs_synack_resend_with_diff_seq",
        "3whs_synack_toserver_on_syn_recv",
        "3whs_synack_flood",
        "3whs_syn_resend_diff_seq_on_syn_recv",
        "3whs_syn_toclient_on_syn_recv",
        "3whs_wrong_seq_wrong_ack",
        "3whs_ack_data_inject",
        "4whs_synack_with_wrong_ack",
        "4whs_synack_with_wrong_syn",
        "4whs_wrong_seq",
        "4whs_invalid_ack",
        "closewait_ack_out_of_window",
        "closewait_fin_out_of_window",
        "closewait_pkt_before_last_ack",
        "closewait_invalid_ack",
        "closing_ack_wrong_seq",
        "closing_invalid_ack",
        "est_packet_out_of_window",
        "est_pkt_before_last_ack",
        "est_synack_resend",
        "est_synack_resend_with_diff_ack",
        "est_synack_resend_with_diff_seq",
        "est_synack_toserver",
        "est_syn_resend",
        "est_syn_resend_diff_seq",
        "est_syn_toclient",
        "est_invalid_ack",
        "fin_invalid_ack",
        "fin1_ack_wrong_seq",
        "fin1_fin_wrong_seq",
        "fin1_invalid_ack",
        "fin2_ack_wrong_seq",
        "fin2_fin_wrong_seq",
        "fin2_invalid_ack",
        "fin_but_no_session",
        "fin_out_of_window",
        "fin_syn",
        "lastack_ack_wrong_seq",
        "lastack_invalid_ack",
        "rst_but_no_session",
        "timewait_ack_wrong_seq",
        "timewait_invalid_ack",
        "shutdown_syn_resend",
        "pkt_retransmission",
        "pkt_spurious_retransmission",
        "pkt_bad_window_update",
        "rst_invalid_ack",
        "rst_with_data",
        "wrong_thread",
        "reassembly_segment_before_base_seq",
        "reassembly_no_segment",
        "reassembly_insert_memcap",
        "reassembly_insert_limit",
        "reassembly_insert_invalid",
        "reassembly_urgent_oob_limit_reached",
};

/* Layers Suricata's decoder events name; others' events are never raised here. */
static const char *const sig_decode_layers[] = {
        "ethernet",
        "vlan",
        "ipv4",
        "ipv6",
        "tcp",
        "udp",
        "icmpv4",
        "icmpv6",
        "ipraw",
        "ltnull",
        "sll",
        "sll2",
        "gre",
        "ppp",
        "pppoe",
        "mpls",
        "sctp",
        "esp",
        "erspan",
        "vxlan",
        "geneve",
        "nsh",
        "chdlc",
        "dce",
        "ieee8021ah",
        "arp",
        "igmp",
        "teredo",
        "too_many_layers",
};

static int
sig_event_value(struct sig_parse *ps, const char *kw, const char *val, char *buf, size_t cap)
{
    int rc;

    if (val == NULL)
        return sig_perr(ps, "%s needs an event name", kw);
    if ((rc = sig_unquote(ps, val, buf, cap)) < 0)
        return rc;
    if (buf[0] == '\0')
        return sig_perr(ps, "%s needs an event name", kw);
    return 0;
}

static int
sig_kw_decode_event(struct sig_parse *ps, const char *val)
{
    char buf[128], full[160];
    struct sig_pm *pm;
    const char *dot;
    unsigned i;
    int rc;

    if ((rc = sig_event_value(ps, "decode-event", val, buf, sizeof(buf))) < 0)
        return rc;
    if ((pm = sig_parse_add_pm(ps, SIG_PM_DECODE_EVENT)) == NULL)
        return NIDS_EINVAL;
    snprintf(full, sizeof(full), "decoder.%s", buf);
    for (i = 0; i < DEC_EV_FIRST_STREAM; i++)
        if (strcasecmp(dec_event_names[i], full) == 0) {
            pm->ev = (uint16_t)i;
            return 0;
        }
    dot = strchr(buf, '.');
    for (i = 0; i < NIDS_ARRAY_LEN(sig_decode_layers); i++)
        if (strncasecmp(buf, sig_decode_layers[i],
                        dot != NULL ? (size_t)(dot - buf) : strlen(buf)) == 0 &&
            strlen(sig_decode_layers[i]) == (dot != NULL ? (size_t)(dot - buf) : strlen(buf))) {
            pm->ev = SIG_EV_NEVER;
            return 0;
        }
    return sig_perr(ps, "decode-event: unknown event '%s'", buf);
}

static int
sig_kw_stream_event(struct sig_parse *ps, const char *val)
{
    char buf[128], full[160];
    const char *name;
    struct sig_pm *pm;
    unsigned i;
    int rc;

    if ((rc = sig_event_value(ps, "stream-event", val, buf, sizeof(buf))) < 0)
        return rc;
    if ((pm = sig_parse_add_pm(ps, SIG_PM_STREAM_EVENT)) == NULL)
        return NIDS_EINVAL;
    name = strncasecmp(buf, "stream.", 7) == 0 ? buf + 7 : buf;
    snprintf(full, sizeof(full), "stream.%s", name);
    for (i = DEC_EV_FIRST_STREAM; i < DEC_EV_COUNT; i++)
        if (strcasecmp(dec_event_names[i], full) == 0) {
            pm->ev = (uint16_t)i;
            return 0;
        }
    for (i = 0; i < NIDS_ARRAY_LEN(sig_stream_events_known); i++)
        if (strcasecmp(sig_stream_events_known[i], name) == 0) {
            pm->ev = SIG_EV_NEVER;
            return 0;
        }
    return sig_perr(ps, "stream-event: unknown event '%s'", buf);
}

static int
sig_kw_app_event(struct sig_parse *ps, const char *val)
{
    char buf[128];
    const char *dot, *ev;
    struct sig_appev *a;
    unsigned i;
    int rc;

    if ((rc = sig_event_value(ps, "app-layer-event", val, buf, sizeof(buf))) < 0)
        return rc;
    dot = strchr(buf, '.');
    if (dot == NULL)
        return sig_perr(ps, "app-layer-event: '%s' is not 'protocol.event'", buf);
    if (ps->n_ev >= SIG_EV_MAX)
        return sig_perr(ps, "more than %d app-layer-event keywords", SIG_EV_MAX);
    a = &ps->ev[ps->n_ev];
    ev = dot + 1;
    if (strncasecmp(buf, "http.", 5) == 0 || strncasecmp(buf, "http1.", 6) == 0) {
        a->app_proto = APP_PROTO_HTTP;
        for (i = 0; i < HTTP_EV_COUNT; i++)
            if (strcasecmp(http_event_names[i], ev) == 0)
                break;
        if (i == HTTP_EV_COUNT)
            return sig_perr(ps, "app-layer-event: unknown http event '%s'", ev);
    } else if (strncasecmp(buf, "dns.", 4) == 0) {
        a->app_proto = APP_PROTO_DNS;
        for (i = 0; i < SIG_DNS_EV_COUNT; i++)
            if (strcasecmp(sig_dns_event_names[i], ev) == 0)
                break;
        if (i == SIG_DNS_EV_COUNT)
            return sig_perr(ps, "app-layer-event: unknown dns event '%s'", ev);
    } else if (strncasecmp(buf, "smtp.", 5) == 0) {
        a->app_proto = APP_PROTO_SMTP;
        for (i = 0; i < SMTP_EV_COUNT; i++)
            if (strcasecmp(smtp_event_names[i], ev) == 0)
                break;
        if (i == SMTP_EV_COUNT)
            return sig_perr(ps, "app-layer-event: unknown smtp event '%s'", ev);
    } else {
        return sig_perr(ps, "app-layer-event: protocol of '%s' is not supported", buf);
    }
    a->id = (uint16_t)i;
    ps->n_ev++;
    return 0;
}

const struct sig_kw sig_kw_event[] = {
        {"decode-event", sig_kw_decode_event},
        {"stream-event", sig_kw_stream_event},
        {"app-layer-event", sig_kw_app_event},
};
const unsigned sig_kw_event_count = NIDS_ARRAY_LEN(sig_kw_event);
