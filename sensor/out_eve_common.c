/*
 * out_eve_common.c - what every EVE record shares: the output list, the
 * time and address formats Suricata uses, the flow header and the commit
 * of a finished record to its file.
 */
#include "out_eve.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "community_id.h"
#include "out_eve_chan.h"

int
eve_init(struct eve *e)
{
    e->n_out = 0;
    e->writers = NULL;
    e->chan = NULL;
    e->dropped = 0;
    e->records = 0;
    e->flow_extra = NULL;
    e->flow_extra_ctx = NULL;
    e->mem = malloc(EVE_RECORD_MAX);
    if (e->mem == NULL)
        return NIDS_ENOMEM;
    json_init(&e->j, e->mem, EVE_RECORD_MAX);
    return 0;
}

void
eve_fini(struct eve *e)
{
    free(e->mem);
    e->mem = NULL;
}

bool
eve_has_type(const struct eve *e, enum eve_type t)
{
    unsigned i;

    for (i = 0; i < e->n_out; i++)
        if (e->out[i].types[t])
            return true;
    return false;
}

void
eve_commit(struct eve *e, struct eve_output *o)
{
    if (!json_is_ok(&e->j)) {
        e->dropped++;
        return;
    }
    unsigned idx = (unsigned)(o - e->out);

    if (e->chan != NULL)
        eve_chan_put(e->chan, idx, e->j.buf, e->j.len);
    else
        eve_writer_put(&e->writers[idx], e->j.buf, e->j.len);
    e->records++;
}

/* "2016-05-27T06:56:11.304062+0000", local time like Suricata (TZ=UTC in tests). */
void
eve_time_format(uint64_t ts_us, char *buf, size_t len)
{
    /* localtime_r is slow: the date and zone are kept for the last second
     * (per thread), only the microseconds change between records. */
    static _Thread_local struct {
        time_t sec;
        char date[32], zone[8];
    } cache[4] = {{-1, "", ""}, {-1, "", ""}, {-1, "", ""}, {-1, "", ""}};
    time_t sec = (time_t)(ts_us / 1000000u);
    unsigned us = (unsigned)(ts_us % 1000000u), slot = (unsigned)sec & 3;
    const char *date = cache[slot].date, *zone = cache[slot].zone;
    size_t dl, zl, i;

    if (cache[slot].sec != sec) {
        struct tm tm;
        localtime_r(&sec, &tm);
        strftime(cache[slot].date, sizeof(cache[slot].date), "%Y-%m-%dT%H:%M:%S", &tm);
        strftime(cache[slot].zone, sizeof(cache[slot].zone), "%z", &tm);
        cache[slot].sec = sec;
    }
    dl = strlen(date);
    zl = strlen(zone);
    if (dl + 1 + 6 + zl + 1 > len) {
        buf[0] = '\0';
        return;
    }
    memcpy(buf, date, dl);
    buf[dl] = '.';
    for (i = 6; i > 0; i--) {
        buf[dl + i] = (char)('0' + us % 10);
        us /= 10;
    }
    memcpy(buf + dl + 7, zone, zl + 1);
}

/* IPv4 dotted; IPv6 as eight zero-padded groups, as Suricata's PrintInet. */
void
eve_addr_format(const uint8_t *addr, uint8_t ip_ver, char *buf, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0, i;

    if (len < 40)
        return;
    if (ip_ver == 4) {
        for (i = 0; i < 4; i++) {
            unsigned v = addr[i];
            if (v >= 100)
                buf[o++] = (char)('0' + v / 100);
            if (v >= 10)
                buf[o++] = (char)('0' + v / 10 % 10);
            buf[o++] = (char)('0' + v % 10);
            buf[o++] = i < 3 ? '.' : '\0';
        }
        return;
    }
    for (i = 0; i < 16; i++) {
        buf[o++] = hex[addr[i] >> 4];
        buf[o++] = hex[addr[i] & 15];
        if (i & 1)
            buf[o++] = i < 15 ? ':' : '\0';
    }
}

const char *
eve_proto_name(uint8_t proto, char *buf, size_t len)
{
    switch (proto) {
    case 1:
        return "ICMP";
    case 2:
        return "IGMP";
    case 6:
        return "TCP";
    case 17:
        return "UDP";
    case 47:
        return "GRE";
    case 50:
        return "ESP";
    case 51:
        return "AH";
    case 58:
        return "IPv6-ICMP";
    case 132:
        return "SCTP";
    default:
        snprintf(buf, len, "%u", proto);
        return buf;
    }
}

static bool
eve_proto_has_ports(uint8_t proto)
{
    return proto == 6 || proto == 17 || proto == 132;
}

/* The header fields of flow f's records up to "proto"; pcap_cnt 0: none. */
static void
eve_header_flow_key(struct json_buf *j, const struct flow *f, const char *event_type,
                    uint64_t ts_us, uint64_t pcap_cnt, bool rev)
{
    char ts[40], src[48], dst[48], pbuf[8];
    unsigned i;

    eve_time_format(ts_us, ts, sizeof(ts));
    eve_addr_format(rev ? f->key.dst : f->key.src, f->key.ip_ver, src, sizeof(src));
    eve_addr_format(rev ? f->key.src : f->key.dst, f->key.ip_ver, dst, sizeof(dst));
    json_open_object(j, NULL);
    json_str(j, "timestamp", ts);
    json_u64(j, "flow_id", f->flow_id);
    if (pcap_cnt != 0)
        json_u64(j, "pcap_cnt", pcap_cnt);
    json_str(j, "event_type", event_type);
    if (f->key.vlan_idx > 0) {
        json_open_array(j, "vlan");
        for (i = 0; i < f->key.vlan_idx; i++)
            json_u64(j, NULL, f->key.vlan_id[i]);
        json_close(j);
    }
    json_str(j, "src_ip", src);
    if (eve_proto_has_ports(f->key.proto))
        json_u64(j, "src_port", rev ? f->key.dp : f->key.sp);
    json_str(j, "dest_ip", dst);
    if (eve_proto_has_ports(f->key.proto))
        json_u64(j, "dest_port", rev ? f->key.sp : f->key.dp);
    json_u64(j, "ip_v", f->key.ip_ver);
    json_str(j, "proto", eve_proto_name(f->key.proto, pbuf, sizeof(pbuf)));
}

void
eve_header_flow(struct json_buf *j, const struct flow *f, const char *event_type, uint64_t now_us,
                bool rev)
{
    int d;

    /* A pending turn-round (FLOW_F_SWAP): the key is still the wrong way. */
    if (f->flags & FLOW_F_SWAP)
        rev = !rev;
    d = rev ? FLOW_TOCLIENT : FLOW_TOSERVER;
    eve_header_flow_key(j, f, event_type, now_us, 0, rev);
    if (f->key.proto == 1 || f->key.proto == 58) {
        json_u64(j, "icmp_type", f->icmp_type[d]);
        json_u64(j, "icmp_code", f->icmp_code[d]);
        if (!rev && f->pkts[FLOW_TOCLIENT] > 0 && strcmp(event_type, "flow") == 0) {
            json_u64(j, "response_icmp_type", f->icmp_type[FLOW_TOCLIENT]);
            json_u64(j, "response_icmp_code", f->icmp_code[FLOW_TOCLIENT]);
        }
    }
}

void
eve_header_stream(struct json_buf *j, const struct flow *f, const char *event_type, uint64_t ts_us,
                  uint64_t pcap_cnt, bool rev, const char *pkt_src)
{
    eve_header_flow_key(j, f, event_type, ts_us, pcap_cnt, rev);
    json_str(j, "pkt_src", pkt_src);
}

void
eve_add_community_id(struct json_buf *j, const struct eve_output *o, const struct flow *f)
{
    /* A flow's records (flow, netflow, anomalies) come together: hash once. */
    static _Thread_local const struct flow *last_f;
    static _Thread_local uint64_t last_id;
    static _Thread_local uint16_t last_seed;
    static _Thread_local char id[COMMUNITY_ID_LEN];

    if (!o->community_id)
        return;
    if (f != last_f || f->flow_id != last_id || o->community_id_seed != last_seed ||
        id[0] == '\0') {
        community_id_make(f, o->community_id_seed, id);
        last_f = f;
        last_id = f->flow_id;
        last_seed = o->community_id_seed;
    }
    json_str(j, "community_id", id);
}

void
eve_tcp_flags(struct json_buf *j, uint8_t flags)
{
    static const struct {
        uint8_t bit;
        const char *name;
    } names[] = {{TCP_SYN, "syn"}, {TCP_FIN, "fin"}, {TCP_RST, "rst"}, {TCP_PSH, "psh"},
                 {TCP_ACK, "ack"}, {TCP_URG, "urg"}, {TCP_ECE, "ecn"}, {TCP_CWR, "cwr"}};
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (flags & names[i].bit)
            json_bool(j, names[i].name, true);
}
