/*
 * dec_icmp4.c - ICMP for IPv4 (RFC 792).
 *
 *  +---------------+---------------+-------------------------------+
 *  |     Type      |     Code      |          Checksum             |
 *  +---------------+---------------+-------------------------------+
 *  |  Identifier (echo, timestamp, info, mask) |  Sequence Number  |
 *  +-------------------------------+-------------------------------+
 *
 * Echo-like messages key their flow on the identifier, so a request and
 * its reply share one flow. Error messages carry the offending IP header.
 */
#include "decode.h"

#define ICMP4_HDR_LEN 8

/* Highest valid code per type; -1 = unknown type. */
static int
icmp4_max_code(uint8_t type)
{
    switch (type) {
    case 0:
    case 8:
    case 13:
    case 14:
    case 15:
    case 16:
    case 17:
    case 18:
    case 4:
        return 0;
    case 3:
        return 15;
    case 5:
        return 3;
    case 9:
        return 16;
    case 10:
        return 0;
    case 11:
        return 1;
    case 12:
        return 2;
    default:
        return -1;
    }
}

static bool
icmp4_is_echo_like(uint8_t type)
{
    return type == 0 || type == 8 || (type >= 13 && type <= 18);
}

enum dec_status
dec_icmp4(struct pkt *p, struct cursor *c, struct dec_next *next)
{
    uint32_t off = dec_offset(p, c);
    size_t len = cur_left(c);

    p->ctr[STAT_DECODER_ICMPV4]++;
    if (len < 4) {
        dec_event_set(p, DEC_EV_ICMPV4_PKT_TOO_SMALL);
        return DEC_INVALID;
    }
    p->icmp_type = cur_u8(c);
    p->icmp_code = cur_u8(c);
    cur_skip(c, 2);
    int max = icmp4_max_code(p->icmp_type);
    if (max < 0)
        dec_event_set(p, DEC_EV_ICMPV4_UNKNOWN_TYPE);
    else if (p->icmp_code > max)
        dec_event_set(p, DEC_EV_ICMPV4_UNKNOWN_CODE);
    if (icmp4_is_echo_like(p->icmp_type)) {
        if (len < ICMP4_HDR_LEN) {
            dec_event_set(p, DEC_EV_ICMPV4_PKT_TOO_SMALL);
            return DEC_INVALID;
        }
        p->icmp_id = cur_be16(c);
        p->icmp_seq = cur_be16(c);
        p->sp = p->dp = p->icmp_id;
    } else {
        cur_skip(c, len >= ICMP4_HDR_LEN ? 4 : len - 4);
        if (max >= 0 && (p->icmp_type == 3 || p->icmp_type == 11 || p->icmp_type == 12) &&
            len >= ICMP4_HDR_LEN) {
            /* The embedded header must at least be an IPv4 header. */
            if (len < ICMP4_HDR_LEN + 20)
                dec_event_set(p, DEC_EV_ICMPV4_IPV4_TRUNC_PKT);
            else if ((cur_peek_u8(c, 0) >> 4) != 4)
                dec_event_set(p, DEC_EV_ICMPV4_IPV4_UNKNOWN_VER);
        }
        p->sp = p->dp = 0;
    }
    p->l4_off = off;
    p->l4_len = (uint32_t)len;
    p->payload_off = dec_offset(p, c);
    p->payload_len = (uint32_t)cur_left(c);
    p->flags |= PKT_HAS_L4;
    next->hdr_len = ICMP4_HDR_LEN;
    return DEC_OK;
}
