/*
 * out_eve_alert.c - `alert` records, field for field as Suricata 8 writes
 * them (src/output-json-alert.c AlertJson, AlertJsonHeader,
 * AlertJsonSourceTarget, AlertAddAppLayer, AlertAddPayload; EveAddFlow,
 * EveAddAppProto, EvePacket in output-json.c):
 *
 *   timestamp flow_id pcap_cnt event_type vlan src_ip src_port dest_ip
 *   dest_port ip_v proto icmp_type icmp_code pkt_src community_id tx_id
 *   alert{action gid signature_id rev signature category severity
 *         source target metadata}
 *   http|dns|smtp+email  app_proto  direction  flow{...}  payload payload_printable
 *   stream  packet packet_info
 *
 * The header is the packet's (LOG_DIR_PACKET: its sender first), or that
 * of the pseudo packet a flow's end inspects its stream with. Options are
 * the eve-log `alert` ones (struct eve_alert_cfg).
 */
#include "out_eve.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "app_detect.h"
#include "app_http.h"
#include "app_smtp.h"

void
eve_alert_cfg_defaults(struct eve_alert_cfg *c)
{
    memset(c, 0, sizeof(*c));
    c->rule_metadata = true;
    c->flow = true;
    c->app_layer = true;
    c->payload_max = 4096;
}

/* RFC 4648 base64 of in[0..n) into out (4 * ceil(n / 3) bytes); returns the length. */
static size_t
eve_base64(const uint8_t *in, size_t n, char *out)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i, o = 0;

    for (i = 0; i + 2 < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[o++] = tab[v >> 18];
        out[o++] = tab[(v >> 12) & 63];
        out[o++] = tab[(v >> 6) & 63];
        out[o++] = tab[v & 63];
    }
    if (i < n) {
        uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0);
        out[o++] = tab[v >> 18];
        out[o++] = tab[(v >> 12) & 63];
        out[o++] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
        out[o++] = '=';
    }
    return o;
}

/* Base64 member, or nothing when it cannot fit the scratch (the record stays valid). */
static void
eve_alert_b64(struct json_buf *j, const char *key, const uint8_t *p, size_t n, char *scratch)
{
    if (n > (EVE_ALERT_SCRATCH / 4) * 3)
        n = (EVE_ALERT_SCRATCH / 4) * 3;
    json_strn(j, key, (const uint8_t *)scratch, eve_base64(p, n, scratch));
}

/* PrintStringsToBuffer: printable bytes, CR and LF kept, anything else '.'. */
static void
eve_alert_printable(struct json_buf *j, const uint8_t *p, size_t n, char *scratch)
{
    size_t i;

    if (n > EVE_ALERT_SCRATCH)
        n = EVE_ALERT_SCRATCH;
    for (i = 0; i < n; i++)
        scratch[i] = (char)(isprint(p[i]) || p[i] == '\n' || p[i] == '\r' ? p[i] : '.');
    json_strn(j, "payload_printable", (const uint8_t *)scratch, n);
}

static bool
eve_alert_has_ports(uint8_t proto)
{
    return proto == 6 || proto == 17 || proto == 132;
}

static void
eve_alert_header(struct json_buf *j, const struct eve_output *o, const struct eve_alert *a)
{
    char ts[40], src[48], dst[48], pbuf[8];
    unsigned i;

    eve_time_format(a->ts_us, ts, sizeof(ts));
    json_open_object(j, NULL);
    json_str(j, "timestamp", ts);
    if (a->f != NULL)
        json_u64(j, "flow_id", a->f->flow_id);
    if (a->pcap_cnt != 0)
        json_u64(j, "pcap_cnt", a->pcap_cnt);
    json_str(j, "event_type", "alert");
    if (a->vlan_idx > 0) {
        json_open_array(j, "vlan");
        for (i = 0; i < a->vlan_idx && i < DEC_MAX_VLAN; i++)
            json_u64(j, NULL, a->vlan_id[i]);
        json_close(j);
    }
    if (a->ip_ver != 0) {
        eve_addr_format(a->src, a->ip_ver, src, sizeof(src));
        eve_addr_format(a->dst, a->ip_ver, dst, sizeof(dst));
        json_str(j, "src_ip", src);
        if (eve_alert_has_ports(a->proto))
            json_u64(j, "src_port", a->sp);
        json_str(j, "dest_ip", dst);
        if (eve_alert_has_ports(a->proto))
            json_u64(j, "dest_port", a->dp);
        json_u64(j, "ip_v", a->ip_ver);
        json_str(j, "proto", eve_proto_name(a->proto, pbuf, sizeof(pbuf)));
        if (a->icmp) {
            json_u64(j, "icmp_type", a->icmp_type);
            json_u64(j, "icmp_code", a->icmp_code);
        }
    }
    json_str(j, "pkt_src", a->pkt_src);
    if (a->f != NULL)
        eve_add_community_id(j, o, a->f);
}

/* AlertJsonSourceTarget: {ip, port} of the source and of the target. */
static void
eve_alert_target(struct json_buf *j, const struct eve_alert *a)
{
    char src[48], dst[48];
    bool dst_target = a->target == 1, ports = eve_alert_has_ports(a->proto);

    eve_addr_format(a->src, a->ip_ver, src, sizeof(src));
    eve_addr_format(a->dst, a->ip_ver, dst, sizeof(dst));
    json_open_object(j, "source");
    json_str(j, "ip", dst_target ? src : dst);
    if (ports)
        json_u64(j, "port", dst_target ? a->sp : a->dp);
    json_close(j);
    json_open_object(j, "target");
    json_str(j, "ip", dst_target ? dst : src);
    if (ports)
        json_u64(j, "port", dst_target ? a->dp : a->sp);
    json_close(j);
}

/* metadata: {key: [values]} in the order keys first appear. */
static void
eve_alert_metadata(struct json_buf *j, const struct eve_alert *a)
{
    unsigned i, k;

    json_open_object(j, "metadata");
    for (i = 0; i < a->n_meta; i++) {
        for (k = 0; k < i; k++)
            if (strcmp(a->meta[k].k, a->meta[i].k) == 0)
                break;
        if (k < i)
            continue;
        json_open_array(j, a->meta[i].k);
        for (k = i; k < a->n_meta; k++)
            if (strcmp(a->meta[k].k, a->meta[i].k) == 0)
                json_str(j, NULL, a->meta[k].v);
        json_close(j);
    }
    json_close(j);
}

static void
eve_alert_body(struct json_buf *j, const struct eve_alert_cfg *c, const struct eve_alert *a)
{
    if (a->has_tx)
        json_u64(j, "tx_id", a->tx_id);
    json_open_object(j, "alert");
    json_str(j, "action", a->action);
    json_u64(j, "gid", a->gid);
    json_u64(j, "signature_id", a->sid);
    json_u64(j, "rev", a->rev);
    json_str(j, "signature", a->msg != NULL ? a->msg : "");
    json_str(j, "category", a->category != NULL ? a->category : "");
    json_u64(j, "severity", a->severity);
    if (a->target != 0 && a->ip_ver != 0)
        eve_alert_target(j, a);
    if (c->rule_metadata && a->n_meta > 0)
        eve_alert_metadata(j, a);
    json_close(j);
}

/* The flow part: app object, app_proto, direction, flow{}. */
static void
eve_alert_flow(struct json_buf *j, const struct eve_alert_cfg *c, const struct eve_alert *a,
               char *scratch)
{
    const struct flow *f = a->f;
    const char *app = app_proto_name(f->app_proto);
    char start[40], src[48], dst[48];

    if (c->app_layer && a->has_tx && a->app_tx != NULL) {
        if (a->app_kind == EVE_ALERT_APP_HTTP) {
            json_open_object(j, "http");
            eve_http_metadata(j, a->app_tx, scratch);
            json_close(j);
        } else if (a->app_kind == EVE_ALERT_APP_DNS) {
            eve_dns_v3(j, ~0ull, a->app_tx, a->dns_response, a->tx_id, scratch); /* "dns": {} */
        } else if (a->app_kind == EVE_ALERT_APP_SMTP) {
            eve_smtp_alert_app(j, a->app_conn, a->app_tx, scratch); /* "smtp", "email" */
        }
    }
    if (app != NULL)
        json_str(j, "app_proto", app);
    json_str(j, "direction", a->dir == FLOW_TOCLIENT ? "to_client" : "to_server");
    if (!c->flow)
        return;
    eve_time_format(f->start_us, start, sizeof(start));
    eve_addr_format(f->key.src, f->key.ip_ver, src, sizeof(src));
    eve_addr_format(f->key.dst, f->key.ip_ver, dst, sizeof(dst));
    json_open_object(j, "flow");
    json_u64(j, "pkts_toserver", f->pkts[FLOW_TOSERVER]);
    json_u64(j, "pkts_toclient", f->pkts[FLOW_TOCLIENT]);
    json_u64(j, "bytes_toserver", f->bytes[FLOW_TOSERVER]);
    json_u64(j, "bytes_toclient", f->bytes[FLOW_TOCLIENT]);
    json_str(j, "start", start);
    json_str(j, "src_ip", src);
    json_str(j, "dest_ip", dst);
    if (eve_alert_has_ports(f->key.proto)) {
        json_u64(j, "src_port", f->key.sp);
        json_u64(j, "dest_port", f->key.dp);
    }
    json_close(j);
}

/* EvePacket: the frame and its link type. */
static void
eve_alert_packet(struct json_buf *j, const struct eve_alert *a, char *scratch)
{
    static const struct {
        int dlt;
        const char *name;
    } names[] = {
            {0, "NULL"},        {1, "EN10MB"}, {12, "RAW"},   {101, "RAW"},        {108, "LOOP"},
            {113, "LINUX_SLL"}, {228, "IPV4"}, {229, "IPV6"}, {276, "LINUX_SLL2"},
    };
    const char *name = "n/a";
    size_t i;

    eve_alert_b64(j, "packet", a->packet, a->packet_len, scratch);
    for (i = 0; i < NIDS_ARRAY_LEN(names); i++)
        if (names[i].dlt == a->linktype)
            name = names[i].name;
    json_open_object(j, "packet_info");
    json_u64(j, "linktype", (uint64_t)a->linktype);
    json_str(j, "linktype_name", name);
    json_close(j);
}

void
eve_emit_alert(struct eve *e, const struct eve_alert *a, char *scratch)
{
    unsigned i;

    for (i = 0; i < e->n_out; i++) {
        struct eve_output *o = &e->out[i];
        const struct eve_alert_cfg *c = &o->alert;
        if (!o->types[EVE_TYPE_ALERT])
            continue;
        json_reset(&e->j);
        eve_alert_header(&e->j, o, a);
        eve_alert_body(&e->j, c, a);
        if (a->f != NULL)
            eve_alert_flow(&e->j, c, a, scratch);
        if (c->payload_b64 || c->payload_printable) {
            uint32_t n = a->payload_len;
            if (a->stream && n > c->payload_max)
                n = c->payload_max;
            if (c->payload_b64)
                eve_alert_b64(&e->j, "payload", a->payload, n, scratch);
            if (c->payload_printable)
                eve_alert_printable(&e->j, a->payload, n, scratch);
            json_u64(&e->j, "stream", a->stream);
        }
        if (c->packet && a->packet != NULL)
            eve_alert_packet(&e->j, a, scratch);
        json_close(&e->j);
        eve_commit(e, o);
    }
}
