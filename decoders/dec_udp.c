/*
 * dec_udp.c - UDP (RFC 768).
 *
 *  +-------------------------------+-------------------------------+
 *  |          Source Port          |       Destination Port        |
 *  +-------------------------------+-------------------------------+
 *  |            Length             |           Checksum            |
 *  +-------------------------------+-------------------------------+
 *
 * Length covers header and data. Bytes after it (trailing data inside
 * the IP payload) are not payload.
 */
#include "decode.h"

#define UDP_HDR_LEN 8

enum dec_status
dec_udp(struct pkt *p, struct cursor *c, struct dec_next *next)
{
    uint32_t off = dec_offset(p, c);
    size_t len = cur_left(c);

    p->ctr[STAT_DECODER_UDP]++;
    if (len < UDP_HDR_LEN) {
        dec_event_set(p, DEC_EV_UDP_HLEN_TOO_SMALL);
        return DEC_INVALID;
    }
    uint16_t sp = cur_be16(c);
    uint16_t dp = cur_be16(c);
    uint16_t ulen = cur_be16(c);
    uint16_t csum = cur_be16(c);
    if (ulen > len) {
        dec_event_set(p, DEC_EV_UDP_PKT_TOO_SMALL);
        return DEC_INVALID;
    }
    if (ulen < UDP_HDR_LEN) {
        dec_event_set(p, DEC_EV_UDP_LEN_INVALID);
        return DEC_INVALID;
    }
    p->sp = sp;
    p->dp = dp;
    p->l4_off = off;
    p->l4_len = ulen;
    p->payload_off = off + UDP_HDR_LEN;
    p->payload_len = (uint32_t)(ulen - UDP_HDR_LEN);
    p->flags |= PKT_HAS_L4;
    /* A zero checksum means "none" over IPv4 (RFC 768). */
    if ((p->flags & PKT_CSUM_CHECK) && (csum != 0 || p->ip_ver == 6)) {
        uint32_t sum = dec_csum_pseudo(p, 17, ulen);
        if (dec_csum_fold(dec_csum_add(sum, p->data + off, ulen)) != 0)
            p->flags |= PKT_CSUM_BAD;
    }
    next->hdr_len = UDP_HDR_LEN;
    return DEC_OK;
}
