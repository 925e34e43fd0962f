/*
 * decode.c - the layer loop: link type to first decoder, then each
 * decoder's dec_next to the following one, bounded by DEC_MAX_LAYERS so
 * that stacked VLAN tags or tunnels cannot loop.
 */
#include "decode.h"

#include <string.h>

const char *const dec_event_names[DEC_EV_COUNT] = {
#define DEC_EVENT_NAME(id, name) [DEC_EV_##id] = name,
    DEC_EVENT_TABLE(DEC_EVENT_NAME)
#undef DEC_EVENT_NAME
};

static const dec_fn dec_table[DEC_PROTO_COUNT] = {
    [DEC_PROTO_ETH] = dec_eth,     [DEC_PROTO_SLL] = dec_sll,     [DEC_PROTO_SLL2] = dec_sll2,
    [DEC_PROTO_NULL] = dec_null,   [DEC_PROTO_RAW] = dec_raw,     [DEC_PROTO_VLAN] = dec_vlan,
    [DEC_PROTO_IPV4] = dec_ipv4,   [DEC_PROTO_IPV6] = dec_ipv6,   [DEC_PROTO_TCP] = dec_tcp,
    [DEC_PROTO_UDP] = dec_udp,     [DEC_PROTO_ICMP4] = dec_icmp4, [DEC_PROTO_ICMP6] = dec_icmp6,
};

static enum dec_proto
dec_linktype_first(int linktype)
{
    switch (linktype) {
    case DEC_DLT_EN10MB:
        return DEC_PROTO_ETH;
    case DEC_DLT_SLL:
        return DEC_PROTO_SLL;
    case DEC_DLT_SLL2:
        return DEC_PROTO_SLL2;
    case DEC_DLT_NULL:
    case DEC_DLT_LOOP:
        return DEC_PROTO_NULL;
    case DEC_DLT_RAW:
    case DEC_DLT_RAW_ALT:
    case DEC_DLT_IPV4:
    case DEC_DLT_IPV6:
        return DEC_PROTO_RAW;
    default:
        return DEC_PROTO_NONE;
    }
}

bool
dec_linktype_is_supported(int linktype)
{
    return dec_linktype_first(linktype) != DEC_PROTO_NONE;
}

enum dec_proto
dec_ethertype_next(uint16_t type)
{
    switch (type) {
    case 0x0800:
        return DEC_PROTO_IPV4;
    case 0x86dd:
        return DEC_PROTO_IPV6;
    case 0x8100:
    case 0x88a8:
    case 0x9100:
        return DEC_PROTO_VLAN;
    default:
        return DEC_PROTO_NONE;
    }
}

bool
dec_ethertype_count_other(struct pkt *p, uint16_t type)
{
    if (type == 0x0806) {
        p->ctr[STAT_DECODER_ARP]++;
        return false;
    }
    p->ctr[STAT_DECODER_UNKNOWN_ETHERTYPE]++;
    return true;
}

void
dec_pkt_init(struct pkt *p, const uint8_t *data, uint32_t caplen, uint32_t wirelen,
             uint64_t ts_us, int linktype, uint64_t *ctr)
{
    /* Only the header fields are cleared: the rest is written before it is
     * read by whichever decoder sets it. */
    memset(p, 0, offsetof(struct pkt, l4_off));
    p->data = data;
    p->caplen = caplen;
    p->wirelen = wirelen;
    p->ts_us = ts_us;
    p->linktype = linktype;
    p->ctr = ctr;
    p->l4_off = p->l4_len = 0;
    p->sp = p->dp = 0;
    p->tcp_flags = 0;
    p->icmp_type = p->icmp_code = 0;
    p->icmp_id = p->icmp_seq = 0;
    p->payload_off = p->payload_len = 0;
    p->n_events = 0;
}

void
dec_event_set(struct pkt *p, enum dec_event ev)
{
    if (p->n_events < DEC_MAX_EVENTS)
        p->events[p->n_events++] = (uint16_t)ev;
    p->ctr[STAT_EVENT_BASE + ev]++;
}

enum dec_status
dec_packet_from(struct pkt *p, enum dec_proto first, uint32_t offset)
{
    struct cursor c;
    struct dec_next next = {first, 0};
    enum dec_status st = DEC_UNSUPPORTED;

    if (offset > p->caplen)
        return DEC_INVALID;
    cur_init(&c, p->data, p->caplen);
    cur_skip(&c, offset);
    while (next.proto != DEC_PROTO_NONE) {
        dec_fn fn = dec_table[next.proto];
        if (p->nlayers >= DEC_MAX_LAYERS) {
            p->ctr[STAT_DECODER_TOO_MANY_LAYERS]++;
            dec_event_set(p, DEC_EV_TOO_MANY_LAYERS);
            st = DEC_INVALID;
            break;
        }
        p->nlayers++;
        next.proto = DEC_PROTO_NONE;
        next.hdr_len = 0;
        st = fn(p, &c, &next);
        if (st != DEC_OK)
            break;
    }
    if (st == DEC_INVALID) {
        p->flags |= PKT_IS_INVALID;
        p->ctr[STAT_DECODER_INVALID]++;
    }
    return st;
}

enum dec_status
dec_packet(struct pkt *p)
{
    p->ctr[STAT_DECODER_PKTS]++;
    p->ctr[STAT_DECODER_BYTES] += p->caplen;
    if (p->caplen > p->ctr[STAT_DECODER_MAX_PKT_SIZE])
        p->ctr[STAT_DECODER_MAX_PKT_SIZE] = p->caplen;
    return dec_packet_from(p, dec_linktype_first(p->linktype), 0);
}
