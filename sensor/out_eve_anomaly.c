/*
 * out_eve_anomaly.c - `anomaly` records: one per decoder or stream event
 * on a packet, filtered by the output's anomaly types (decode, stream,
 * applayer), as Suricata's output-json-anomaly.c.
 */
#include "out_eve.h"

#include <stdio.h>

void
eve_header_packet(struct json_buf *j, const struct pkt *p, const struct flow *f,
                  const char *event_type)
{
    char ts[40], src[48], dst[48], pbuf[8];
    unsigned i;

    eve_time_format(p->ts_us, ts, sizeof(ts));
    json_open_object(j, NULL);
    json_str(j, "timestamp", ts);
    if (f != NULL)
        json_u64(j, "flow_id", f->flow_id);
    if (p->pcap_cnt)
        json_u64(j, "pcap_cnt", p->pcap_cnt);
    json_str(j, "event_type", event_type);
    if (p->vlan_idx > 0) {
        json_open_array(j, "vlan");
        for (i = 0; i < p->vlan_idx; i++)
            json_u64(j, NULL, p->vlan_id[i]);
        json_close(j);
    }
    /* Addresses only from an IP header that decoded (Suricata logs no
     * addresses it could not trust). */
    if (p->ip_ver != 0 && p->l3_len != 0) {
        eve_addr_format(p->src, p->ip_ver, src, sizeof(src));
        eve_addr_format(p->dst, p->ip_ver, dst, sizeof(dst));
        bool ports = (p->flags & PKT_HAS_L4) && (p->proto == 6 || p->proto == 17);
        json_str(j, "src_ip", src);
        if (ports)
            json_u64(j, "src_port", p->sp);
        json_str(j, "dest_ip", dst);
        if (ports)
            json_u64(j, "dest_port", p->dp);
        json_u64(j, "ip_v", p->ip_ver);
        json_str(j, "proto", eve_proto_name(p->proto, pbuf, sizeof(pbuf)));
        if ((p->flags & PKT_HAS_L4) && (p->proto == 1 || p->proto == 58)) {
            json_u64(j, "icmp_type", p->icmp_type);
            json_u64(j, "icmp_code", p->icmp_code);
        }
    }
    json_str(j, "pkt_src", (p->flags & PKT_IS_PSEUDO) ? "defrag" : "wire/pcap");
}

void
eve_emit_anomaly(struct eve *e, const struct pkt *p, const struct flow *f)
{
    unsigned i, k;

    for (i = 0; i < e->n_out; i++) {
        struct eve_output *o = &e->out[i];
        if (!o->types[EVE_TYPE_ANOMALY])
            continue;
        for (k = 0; k < p->n_events; k++) {
            bool stream = p->events[k] >= DEC_EV_FIRST_STREAM;
            if (stream ? !o->anomaly_stream : !o->anomaly_decode)
                continue;
            json_reset(&e->j);
            eve_header_packet(&e->j, p, f, "anomaly");
            json_open_object(&e->j, "anomaly");
            json_str(&e->j, "type", stream ? "stream" : "decode");
            json_str(&e->j, "event", dec_event_names[p->events[k]]);
            json_close(&e->j);
            if (f != NULL)
                eve_add_community_id(&e->j, o, f);
            json_close(&e->j);
            eve_commit(e, o);
        }
    }
}

void
eve_emit_anomaly_applayer(struct eve *e, const struct pkt *p, const struct flow *f,
                          const char *app_proto, const char *event, uint64_t tx_id)
{
    unsigned i;

    for (i = 0; i < e->n_out; i++) {
        struct eve_output *o = &e->out[i];
        if (!o->types[EVE_TYPE_ANOMALY] || !o->anomaly_applayer)
            continue;
        json_reset(&e->j);
        eve_header_packet(&e->j, p, f, "anomaly");
        json_u64(&e->j, "tx_id", tx_id);
        if (f != NULL)
            eve_add_community_id(&e->j, o, f);
        json_open_object(&e->j, "anomaly");
        json_str(&e->j, "app_proto", app_proto);
        json_str(&e->j, "type", "applayer");
        json_str(&e->j, "event", event);
        json_str(&e->j, "layer", "proto_parser");
        json_close(&e->j);
        json_close(&e->j);
        eve_commit(e, o);
    }
}
