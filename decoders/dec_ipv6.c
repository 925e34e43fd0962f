/*
 * dec_ipv6.c - IPv6 (RFC 8200) and its extension headers.
 *
 *  +-------+---------------+---------------------------------------+
 *  |Version| Traffic Class |              Flow Label               |
 *  +-------+---------------+-------+---------------+---------------+
 *  |         Payload Length        |  Next Header  |   Hop Limit   |
 *  +-------------------------------+---------------+---------------+
 *  |                Source Address (16) / Destination Address (16) |
 *  +---------------------------------------------------------------+
 *
 * Extension headers (hop-by-hop 0, routing 43, fragment 44, destination
 * options 60, AH 51) are walked in order; each starts with Next Header and
 * a length in 8-octet units (AH: 4-octet units). A fragment header with
 * offset or M set makes the packet a fragment: defrag takes it from there.
 */
#include "decode.h"

#include <string.h>

#define IPV6_HDR_LEN 40

enum ipv6_nh {
    IPV6_NH_HOP = 0,
    IPV6_NH_ICMP4 = 1,
    IPV6_NH_IPV4 = 4,
    IPV6_NH_TCP = 6,
    IPV6_NH_UDP = 17,
    IPV6_NH_IPV6 = 41,
    IPV6_NH_RH = 43,
    IPV6_NH_FRAG = 44,
    IPV6_NH_ESP = 50,
    IPV6_NH_AH = 51,
    IPV6_NH_ICMP6 = 58,
    IPV6_NH_NONE = 59,
    IPV6_NH_DST = 60,
    IPV6_NH_SCTP = 132
};

/* Walks the options of a hop-by-hop or destination options header. */
static void
ipv6_options_decode(struct pkt *p, struct cursor opts, bool hop)
{
    bool only_pad = true;

    while (cur_left(&opts) > 0) {
        uint8_t type = cur_u8(&opts);
        if (type == 0) /* Pad1 */
            continue;
        uint8_t len = cur_u8(&opts);
        if (!cur_ok(&opts) || len > cur_left(&opts)) {
            dec_event_set(p, DEC_EV_IPV6_EXTHDR_INVALID_OPTLEN);
            return;
        }
        cur_skip(&opts, len);
        if (type == 1) { /* PadN */
            if (len == 0)
                dec_event_set(p, DEC_EV_IPV6_ZERO_LEN_PADN);
            continue;
        }
        only_pad = false;
        /* Router Alert, Jumbo Payload, Home Address are known. */
        if (type != 0x05 && type != 0xc2 && type != 0xc9)
            dec_event_set(p, hop ? DEC_EV_IPV6_HOPOPTS_UNKNOWN_OPT
                                 : DEC_EV_IPV6_DSTOPTS_UNKNOWN_OPT);
    }
    if (only_pad)
        dec_event_set(p, hop ? DEC_EV_IPV6_HOPOPTS_ONLY_PADDING : DEC_EV_IPV6_DSTOPTS_ONLY_PADDING);
}

static enum dec_proto
ipv6_l4_next(struct pkt *p, uint8_t nh)
{
    switch (nh) {
    case IPV6_NH_TCP:
        return DEC_PROTO_TCP;
    case IPV6_NH_UDP:
        return DEC_PROTO_UDP;
    case IPV6_NH_ICMP6:
        return DEC_PROTO_ICMP6;
    case IPV6_NH_ICMP4:
        dec_event_set(p, DEC_EV_IPV6_WITH_ICMPV4);
        return DEC_PROTO_NONE;
    case IPV6_NH_ESP:
        p->ctr[STAT_DECODER_ESP]++;
        return DEC_PROTO_NONE;
    case IPV6_NH_IPV4:
        /* Tunnels: the inner header becomes the packet's network layer. */
        p->ctr[STAT_DECODER_IPV4_IN_IPV6]++;
        return DEC_PROTO_IPV4;
    case IPV6_NH_IPV6:
        p->ctr[STAT_DECODER_IPV6_IN_IPV6]++;
        return DEC_PROTO_IPV6;
    case IPV6_NH_SCTP:
        p->ctr[STAT_DECODER_SCTP]++;
        return DEC_PROTO_NONE;
    default:
        return DEC_PROTO_NONE;
    }
}

/* Reads the fragment header; returns true when the packet is a fragment. */
static bool
ipv6_frag_decode(struct pkt *p, struct cursor *c, uint32_t hdr_off, uint32_t prev_nh_off)
{
    uint8_t nh = cur_u8(c);
    uint8_t rsvd = cur_u8(c);
    uint16_t offm = cur_be16(c);
    uint32_t id = cur_be32(c);

    if (rsvd != 0 || (offm & 0x0006) != 0)
        dec_event_set(p, DEC_EV_IPV6_FH_NON_ZERO_RES_FIELD);
    p->frag_off = (uint16_t)(offm & 0xfff8);
    p->frag_mf = (offm & 0x0001) != 0;
    if (p->frag_off == 0 && !p->frag_mf) {
        /* An atomic fragment (RFC 6946): decoded as a whole packet. */
        dec_event_set(p, DEC_EV_IPV6_EXTHDR_USELESS_FH);
        return false;
    }
    if (p->frag_mf && (cur_left(c) % 8) != 0)
        dec_event_set(p, DEC_EV_IPV6_FRAG_INVALID_LENGTH);
    p->frag_id = id;
    p->frag_nh = nh;
    p->frag_hdr_off = hdr_off;
    p->frag_prev_nh_off = prev_nh_off;
    p->unfrag_len = hdr_off - p->l3_off;
    p->flags |= PKT_IS_FRAGMENT;
    return true;
}

/* Per-kind duplicate events; destination options may legally appear twice. */
static void
ipv6_exthdr_count(struct pkt *p, uint8_t nh, uint8_t seen[4])
{
    switch (nh) {
    case IPV6_NH_HOP:
        if (seen[0]++)
            dec_event_set(p, DEC_EV_IPV6_EXTHDR_DUPL_HH);
        break;
    case IPV6_NH_RH:
        if (seen[1]++)
            dec_event_set(p, DEC_EV_IPV6_EXTHDR_DUPL_RH);
        break;
    case IPV6_NH_DST:
        if (seen[2]++ > 1)
            dec_event_set(p, DEC_EV_IPV6_EXTHDR_DUPL_DH);
        break;
    case IPV6_NH_AH:
        if (seen[3]++)
            dec_event_set(p, DEC_EV_IPV6_EXTHDR_DUPL_AH);
        break;
    default:
        break;
    }
}

/* Walks the extension header chain; returns false on a malformed one. */
static bool
ipv6_exthdrs_decode(struct pkt *p, struct cursor *c, uint8_t *nhp, uint32_t nh_off)
{
    uint8_t seen[4] = {0, 0, 0, 0};
    bool frag_seen = false;
    /* Suricata also walks a leading ESP as part of the chain. */
    bool chained = *nhp == IPV6_NH_ESP;
    uint8_t nh = *nhp;

    for (;;) {
        if (nh != IPV6_NH_HOP && nh != IPV6_NH_RH && nh != IPV6_NH_FRAG && nh != IPV6_NH_DST &&
            nh != IPV6_NH_AH)
            break;
        chained = true;
        uint32_t hdr_off = dec_offset(p, c);
        if (cur_left(c) < 8) {
            dec_event_set(p, DEC_EV_IPV6_TRUNC_EXTHDR);
            return false;
        }
        if (nh == IPV6_NH_FRAG) {
            if (frag_seen)
                dec_event_set(p, DEC_EV_IPV6_EXTHDR_DUPL_FH);
            frag_seen = true;
            uint8_t fnh = cur_peek_u8(c, 0);
            if (ipv6_frag_decode(p, c, hdr_off, nh_off)) {
                *nhp = fnh;
                return true;
            }
            nh_off = hdr_off;
            nh = fnh;
            continue;
        }
        uint8_t next_nh = cur_peek_u8(c, 0);
        uint8_t hl = cur_peek_u8(c, 1);
        size_t len = nh == IPV6_NH_AH ? ((size_t)hl + 2) * 4 : ((size_t)hl + 1) * 8;
        if (len > cur_left(c)) {
            dec_event_set(p, DEC_EV_IPV6_TRUNC_EXTHDR);
            return false;
        }
        struct cursor h = cur_sub(c, len);
        cur_skip(&h, 2);
        ipv6_exthdr_count(p, nh, seen);
        if (nh == IPV6_NH_RH && cur_u8(&h) == 0)
            dec_event_set(p, DEC_EV_IPV6_RH_TYPE_0);
        else if (nh == IPV6_NH_AH && cur_be16(&h) != 0)
            dec_event_set(p, DEC_EV_IPV6_EXTHDR_AH_RES_NOT_NULL);
        else if (nh == IPV6_NH_HOP || nh == IPV6_NH_DST)
            ipv6_options_decode(p, h, nh == IPV6_NH_HOP);
        nh_off = hdr_off;
        nh = next_nh;
    }
    /*
     * Behind an extension header every header, the upper layer included,
     * needs its first two bytes (Next Header and length). Fewer is a
     * truncated chain, not a short upper layer: a useless fragment header
     * followed by 0 or 1 byte of "TCP" is the attack (Suricata
     * DecodeIPV6ExtHdrs, "minimal needed in a hdr"). A bare upper layer
     * directly behind the fixed header is left to its own decoder.
     */
    if (chained && nh != IPV6_NH_NONE && cur_left(c) < 2) {
        dec_event_set(p, DEC_EV_IPV6_TRUNC_EXTHDR);
        return false;
    }
    *nhp = nh;
    return true;
}

enum dec_status
dec_ipv6(struct pkt *p, struct cursor *c, struct dec_next *next)
{
    struct cursor whole = *c;
    uint32_t off = dec_offset(p, c);

    p->ctr[STAT_DECODER_IPV6]++;
    if (cur_left(c) < IPV6_HDR_LEN) {
        dec_event_set(p, DEC_EV_IPV6_PKT_TOO_SMALL);
        return DEC_INVALID;
    }
    uint32_t vtf = cur_be32(c);
    if ((vtf >> 28) != 6) {
        dec_event_set(p, DEC_EV_IPV6_WRONG_IP_VERSION);
        return DEC_INVALID;
    }
    uint16_t plen = cur_be16(c);
    uint8_t nh = cur_u8(c);
    p->ttl = cur_u8(c);
    const uint8_t *src = cur_bytes(c, 16);
    const uint8_t *dst = cur_bytes(c, 16);
    if ((size_t)plen + IPV6_HDR_LEN > cur_left(&whole)) {
        dec_event_set(p, DEC_EV_IPV6_TRUNC_PKT);
        return DEC_INVALID;
    }
    p->ip_ver = 6;
    p->tos = (uint8_t)(vtf >> 20);
    memcpy(p->src, src, 16);
    memcpy(p->dst, dst, 16);
    p->l3_off = off;
    p->l3_len = (uint32_t)plen + IPV6_HDR_LEN;
    *c = cur_sub(&whole, p->l3_len);
    cur_skip(c, IPV6_HDR_LEN);
    next->hdr_len = IPV6_HDR_LEN;

    if (!ipv6_exthdrs_decode(p, c, &nh, off + 6))
        return DEC_INVALID;
    p->proto = nh;
    p->l3_hlen = dec_offset(p, c) - off;
    if (p->flags & PKT_IS_FRAGMENT)
        return DEC_OK;
    if (nh == IPV6_NH_NONE) {
        if (cur_left(c) > 0)
            dec_event_set(p, DEC_EV_IPV6_DATA_AFTER_NONE_HEADER);
        return DEC_UNSUPPORTED;
    }
    next->proto = ipv6_l4_next(p, nh);
    return next->proto == DEC_PROTO_NONE ? DEC_UNSUPPORTED : DEC_OK;
}
