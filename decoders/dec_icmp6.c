/*
 * dec_icmp6.c - ICMPv6 (RFC 4443), with MLD (RFC 2710) and neighbour
 * discovery types known.
 *
 *  +---------------+---------------+-------------------------------+
 *  |     Type      |     Code      |          Checksum             |
 *  +---------------+---------------+-------------------------------+
 *  |  Identifier (echo 128/129)    |  Sequence Number              |
 *  +-------------------------------+-------------------------------+
 */
#include "decode.h"

#define ICMP6_HDR_LEN 8

static bool
icmp6_type_is_known(uint8_t type)
{
    return (type >= 1 && type <= 4) || (type >= 128 && type <= 155);
}

enum dec_status
dec_icmp6(struct pkt *p, struct cursor *c, struct dec_next *next)
{
    uint32_t off = dec_offset(p, c);
    size_t len = cur_left(c);

    p->ctr[STAT_DECODER_ICMPV6]++;
    if (len < 4) {
        dec_event_set(p, DEC_EV_ICMPV6_PKT_TOO_SMALL);
        return DEC_INVALID;
    }
    p->icmp_type = cur_u8(c);
    p->icmp_code = cur_u8(c);
    cur_skip(c, 2);
    uint8_t t = p->icmp_type;
    if (t == 100 || t == 101 || t == 200 || t == 201)
        dec_event_set(p, DEC_EV_ICMPV6_EXPERIMENTATION_TYPE);
    else if (!icmp6_type_is_known(t))
        dec_event_set(p, t < 128 ? DEC_EV_ICMPV6_UNASSIGNED_TYPE : DEC_EV_ICMPV6_UNKNOWN_TYPE);
    if ((t == 1 && p->icmp_code > 7) || (t == 3 && p->icmp_code > 1) ||
        (t == 4 && p->icmp_code > 2) || ((t == 128 || t == 129) && p->icmp_code != 0))
        dec_event_set(p, DEC_EV_ICMPV6_UNKNOWN_CODE);
    /* MLD messages are link-local: hop limit must be 1. */
    if ((t == 130 || t == 131 || t == 132 || t == 143) && p->ttl != 1)
        dec_event_set(p, DEC_EV_ICMPV6_MLD_INVALID_HL);
    if (t == 128 || t == 129) {
        if (len < ICMP6_HDR_LEN) {
            dec_event_set(p, DEC_EV_ICMPV6_PKT_TOO_SMALL);
            return DEC_INVALID;
        }
        p->icmp_id = cur_be16(c);
        p->icmp_seq = cur_be16(c);
        p->sp = p->dp = p->icmp_id;
    } else {
        p->sp = p->dp = 0;
        if (t >= 1 && t <= 4 && len >= ICMP6_HDR_LEN) {
            cur_skip(c, 4);
            if (cur_left(c) < 40)
                dec_event_set(p, DEC_EV_ICMPV6_IPV6_TRUNC_PKT);
            else if ((cur_peek_u8(c, 0) >> 4) != 6)
                dec_event_set(p, DEC_EV_ICMPV6_IPV6_UNKNOWN_VER);
        }
    }
    p->l4_off = off;
    p->l4_len = (uint32_t)len;
    p->payload_off = dec_offset(p, c);
    p->payload_len = (uint32_t)cur_left(c);
    p->flags |= PKT_HAS_L4;
    next->hdr_len = ICMP6_HDR_LEN;
    return DEC_OK;
}
