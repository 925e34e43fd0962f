/*
 * dec_ipv4.c - IPv4 (RFC 791) with options.
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |Version|  IHL  |Type of Service|          Total Length         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |         Identification        |Flags|      Fragment Offset    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Time to Live |    Protocol   |         Header Checksum       |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                       Source Address                          |
 *  |                    Destination Address                        |
 *  |                    Options (IHL > 5)                          |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Total Length trims what follows (Ethernet padding is not payload). A
 * fragment (MF set or offset > 0) stops here: defrag rebuilds the datagram
 * and decodes it again from this layer.
 */
#include "decode.h"

#include <string.h>

#define IPV4_HDR_LEN 20

enum ipv4_opt {
    IPV4_OPT_EOL = 0,
    IPV4_OPT_NOP = 1,
    IPV4_OPT_RR = 7,
    IPV4_OPT_QS = 25,
    IPV4_OPT_TS = 68,
    IPV4_OPT_SEC = 130,
    IPV4_OPT_LSRR = 131,
    IPV4_OPT_ESEC = 133,
    IPV4_OPT_CIPSO = 134,
    IPV4_OPT_SID = 136,
    IPV4_OPT_SSRR = 137,
    IPV4_OPT_RTRALT = 148
};

/* Minimum length of each known option; 0 = unknown option. */
static uint8_t
ipv4_opt_min_len(uint8_t type)
{
    switch (type) {
    case IPV4_OPT_RR:
    case IPV4_OPT_LSRR:
    case IPV4_OPT_SSRR:
    case IPV4_OPT_SEC:
    case IPV4_OPT_ESEC:
        return 3;
    case IPV4_OPT_TS:
    case IPV4_OPT_SID:
    case IPV4_OPT_RTRALT:
    case IPV4_OPT_QS:
        return 4;
    case IPV4_OPT_CIPSO:
        return 10;
    default:
        return 0;
    }
}

/* Returns false when the options are malformed (the packet is invalid). */
static bool
ipv4_options_decode(struct pkt *p, struct cursor opts)
{
    uint32_t seen = 0; /* one bit per known option kind, for duplicates */
    unsigned bit = 0;

    while (cur_left(&opts) > 0) {
        uint8_t type = cur_u8(&opts);
        if (type == IPV4_OPT_EOL)
            break;
        if (type == IPV4_OPT_NOP)
            continue;
        if (cur_left(&opts) < 1) {
            dec_event_set(p, DEC_EV_IPV4_OPT_INVALID_LEN);
            return false;
        }
        uint8_t len = cur_u8(&opts);
        if (len < 2) {
            dec_event_set(p, DEC_EV_IPV4_OPT_INVALID_LEN);
            return false;
        }
        if ((size_t)(len - 2) > cur_left(&opts)) {
            dec_event_set(p, DEC_EV_IPV4_OPT_MALFORMED);
            return false;
        }
        cur_skip(&opts, (size_t)(len - 2));
        uint8_t min = ipv4_opt_min_len(type);
        if (min == 0) {
            dec_event_set(p, DEC_EV_IPV4_OPT_UNKNOWN);
            continue;
        }
        if (len < min) {
            dec_event_set(p, DEC_EV_IPV4_OPT_INVALID_LEN);
            return false;
        }
        bit = (unsigned)(type % 32);
        if (seen & (1u << bit))
            dec_event_set(p, DEC_EV_IPV4_OPT_DUPLICATE);
        seen |= 1u << bit;
    }
    return true;
}

static enum dec_proto
ipv4_next(struct pkt *p, uint8_t proto)
{
    switch (proto) {
    case 6:
        return DEC_PROTO_TCP;
    case 17:
        return DEC_PROTO_UDP;
    case 1:
        return DEC_PROTO_ICMP4;
    case 58:
        dec_event_set(p, DEC_EV_IPV4_WITH_ICMPV6);
        return DEC_PROTO_NONE;
    case 4:
        /* IP-in-IP: the inner header becomes the packet's network layer. */
        p->ctr[STAT_DECODER_IPV4_IN_IPV4]++;
        return DEC_PROTO_IPV4;
    case 41:
        p->ctr[STAT_DECODER_IPV6_IN_IPV4]++;
        return DEC_PROTO_IPV6;
    case 2:
        p->ctr[STAT_DECODER_IGMP]++;
        return DEC_PROTO_NONE;
    case 50:
        p->ctr[STAT_DECODER_ESP]++;
        return DEC_PROTO_NONE;
    case 132:
        p->ctr[STAT_DECODER_SCTP]++;
        return DEC_PROTO_NONE;
    default:
        return DEC_PROTO_NONE;
    }
}

enum dec_status
dec_ipv4(struct pkt *p, struct cursor *c, struct dec_next *next)
{
    struct cursor whole = *c;
    uint32_t off = dec_offset(p, c);

    p->ctr[STAT_DECODER_IPV4]++;
    if (cur_left(c) < IPV4_HDR_LEN) {
        dec_event_set(p, DEC_EV_IPV4_PKT_TOO_SMALL);
        return DEC_INVALID;
    }
    uint8_t vihl = cur_u8(c);
    if ((vihl >> 4) != 4) {
        dec_event_set(p, DEC_EV_IPV4_WRONG_IP_VERSION);
        return DEC_INVALID;
    }
    uint8_t hlen = (uint8_t)((vihl & 0x0f) * 4);
    if (hlen < IPV4_HDR_LEN) {
        dec_event_set(p, DEC_EV_IPV4_HLEN_TOO_SMALL);
        return DEC_INVALID;
    }
    uint8_t tos = cur_u8(c);
    uint16_t total = cur_be16(c);
    if (total < hlen) {
        dec_event_set(p, DEC_EV_IPV4_IPLEN_SMALLER_THAN_HLEN);
        return DEC_INVALID;
    }
    if (total > cur_left(&whole)) {
        dec_event_set(p, DEC_EV_IPV4_TRUNC_PKT);
        return DEC_INVALID;
    }
    p->ip_id = cur_be16(c);
    uint16_t frag = cur_be16(c);
    p->ttl = cur_u8(c);
    uint8_t proto = cur_u8(c);
    cur_skip(c, 2); /* header checksum: verified only by detection */
    const uint8_t *src = cur_bytes(c, 4);
    const uint8_t *dst = cur_bytes(c, 4);
    struct cursor opts = cur_sub(c, (size_t)(hlen - IPV4_HDR_LEN));
    if (!cur_ok(c))
        return DEC_INVALID;
    if (hlen > IPV4_HDR_LEN && !ipv4_options_decode(p, opts))
        return DEC_INVALID;

    p->ip_ver = 4;
    p->tos = tos;
    p->proto = proto;
    memset(p->src, 0, sizeof(p->src));
    memset(p->dst, 0, sizeof(p->dst));
    memcpy(p->src, src, 4);
    memcpy(p->dst, dst, 4);
    p->l3_off = off;
    p->l3_len = total;
    p->l3_hlen = hlen;
    /* From here the cursor spans the IP payload only. */
    *c = cur_sub(&whole, total);
    cur_skip(c, hlen);
    next->hdr_len = hlen;

    p->frag_mf = (frag & 0x2000) != 0;
    p->frag_off = (uint16_t)((frag & 0x1fff) << 3);
    if (p->frag_mf || p->frag_off != 0) {
        p->frag_id = p->ip_id;
        p->flags |= PKT_IS_FRAGMENT;
        return DEC_OK;
    }
    next->proto = ipv4_next(p, proto);
    return next->proto == DEC_PROTO_NONE ? DEC_UNSUPPORTED : DEC_OK;
}
