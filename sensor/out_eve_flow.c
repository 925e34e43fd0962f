/*
 * out_eve_flow.c - `flow` records (one per flow, both directions) and
 * `netflow` records (one per direction seen), field for field as
 * Suricata's output-json-flow.c and output-json-netflow.c.
 */
#include "out_eve.h"

#include <stdio.h>

#include "app_detect.h"


static void
eve_hex_flags(struct json_buf *j, const char *key, uint8_t flags)
{
    char hex[3];

    snprintf(hex, sizeof(hex), "%02x", flags);
    json_str(j, key, hex);
}

static void
eve_flow_body(struct json_buf *j, const struct eve *e, const struct eve_output *o,
              const struct flow *f)
{
    char start[40], end[40];
    const char *app = app_proto_name(f->app_proto);

    eve_time_format(f->start_us, start, sizeof(start));
    eve_time_format(f->last_us, end, sizeof(end));
    if (app != NULL)
        json_str(j, "app_proto", app);
    /* The protocol before a change (HTTP CONNECT tunnel), as Suricata. */
    if (f->app_proto_orig != f->app_proto && app_proto_name(f->app_proto_orig) != NULL)
        json_str(j, "app_proto_orig", app_proto_name(f->app_proto_orig));
    json_open_object(j, "flow");
    json_u64(j, "pkts_toserver", f->pkts[FLOW_TOSERVER]);
    json_u64(j, "pkts_toclient", f->pkts[FLOW_TOCLIENT]);
    json_u64(j, "bytes_toserver", f->bytes[FLOW_TOSERVER]);
    json_u64(j, "bytes_toclient", f->bytes[FLOW_TOCLIENT]);
    json_str(j, "start", start);
    json_str(j, "end", end);
    json_u64(j, "age", f->last_us / 1000000u - f->start_us / 1000000u);
    if (f->flags & FLOW_F_EMERGENCY)
        json_bool(j, "emergency", true);
    json_str(j, "state", flow_state_name(f->state));
    json_str(j, "reason", flow_end_reason_name(f->end_reason));
    json_bool(j, "alerted", (f->flags & FLOW_F_ALERTED) != 0);
    json_close(j);
    eve_add_community_id(j, o, f);
    if (f->key.proto == 6) {
        bool ssn = (f->flags & FLOW_F_TCP_SESSION) != 0;
        uint8_t all = (uint8_t)(f->tcp_flags[0] | f->tcp_flags[1]);
        json_open_object(j, "tcp");
        eve_hex_flags(j, "tcp_flags", all);
        eve_hex_flags(j, "tcp_flags_ts", f->tcp_flags[FLOW_TOSERVER]);
        eve_hex_flags(j, "tcp_flags_tc", f->tcp_flags[FLOW_TOCLIENT]);
        eve_tcp_flags(j, all);
        if (ssn)
            json_str(j, "state", flow_tcp_state_name(f->tcp_state));
        json_close(j);
    }
    if (e->flow_extra != NULL)
        e->flow_extra(e->flow_extra_ctx, j, f);
    json_close(j);
}

void
eve_emit_flow(struct eve *e, const struct flow *f, uint64_t now_us)
{
    unsigned i;

    for (i = 0; i < e->n_out; i++) {
        struct eve_output *o = &e->out[i];
        if (!o->types[EVE_TYPE_FLOW])
            continue;
        json_reset(&e->j);
        eve_header_flow(&e->j, f, "flow", now_us, false);
        eve_flow_body(&e->j, e, o, f);
        eve_commit(e, o);
    }
}

static void
eve_netflow_one(struct eve *e, struct eve_output *o, const struct flow *f, uint64_t now_us, int d)
{
    struct json_buf *j = &e->j;
    char start[40], end[40];
    const char *app = app_proto_name(f->app_proto);

    json_reset(j);
    eve_header_flow(j, f, "netflow", now_us, d == FLOW_TOCLIENT);
    eve_time_format(f->start_us, start, sizeof(start));
    eve_time_format(f->last_us, end, sizeof(end));
    if (app != NULL)
        json_str(j, "app_proto", app);
    json_open_object(j, "netflow");
    json_u64(j, "pkts", f->pkts[d]);
    json_u64(j, "bytes", f->bytes[d]);
    json_str(j, "start", start);
    json_str(j, "end", end);
    json_u64(j, "age", f->last_us / 1000000u - f->start_us / 1000000u);
    json_u64(j, "min_ttl", f->ttl_min[d]);
    json_u64(j, "max_ttl", f->ttl_max[d]);
    json_close(j);
    eve_add_community_id(j, o, f);
    if (f->key.proto == 6) {
        json_open_object(j, "tcp");
        eve_hex_flags(j, "tcp_flags", f->tcp_flags[d]);
        eve_tcp_flags(j, f->tcp_flags[d]);
        json_close(j);
    }
    json_close(j);
    eve_commit(e, o);
}

void
eve_emit_netflow(struct eve *e, const struct flow *f, uint64_t now_us)
{
    unsigned i;

    for (i = 0; i < e->n_out; i++) {
        struct eve_output *o = &e->out[i];
        if (!o->types[EVE_TYPE_NETFLOW])
            continue;
        eve_netflow_one(e, o, f, now_us, FLOW_TOSERVER);
        /* A reply record only when reply packets were seen (Suricata). */
        if (f->pkts[FLOW_TOCLIENT] > 0)
            eve_netflow_one(e, o, f, now_us, FLOW_TOCLIENT);
    }
}
