/*
 * dec_null.c - BSD loopback encapsulation (DLT_NULL 0, DLT_LOOP 108).
 *
 *  +-------------------------------+
 *  | address family (4 bytes)      |  host byte order of the capturing
 *  +-------------------------------+  machine for DLT_NULL, big endian
 *                                      for DLT_LOOP: both are accepted.
 * AF_INET is 2 everywhere; AF_INET6 is 24 (NetBSD/OpenBSD), 28 (FreeBSD),
 * 30 (macOS) or 10 (Linux).
 */
#include "decode.h"

#define NULL_HDR_LEN 4

enum dec_status
dec_null(struct pkt *p, struct cursor *c, struct dec_next *next)
{
    p->ctr[STAT_DECODER_NULL]++;
    if (cur_left(c) < NULL_HDR_LEN) {
        dec_event_set(p, DEC_EV_NULL_PKT_TOO_SMALL);
        return DEC_INVALID;
    }
    uint32_t family = cur_le32(c);
    if (family > 0xffff)
        family = (family >> 24) | ((family >> 8) & 0xff00);
    next->hdr_len = NULL_HDR_LEN;
    switch (family) {
    case 2:
        next->proto = DEC_PROTO_IPV4;
        return DEC_OK;
    case 10:
    case 24:
    case 28:
    case 30:
        next->proto = DEC_PROTO_IPV6;
        return DEC_OK;
    default:
        dec_event_set(p, DEC_EV_NULL_UNSUPPORTED_TYPE);
        return DEC_UNSUPPORTED;
    }
}
