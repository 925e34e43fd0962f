/*
 * dec_raw.c - raw IP link types (DLT_RAW 12/101, DLT_IPV4 228,
 * DLT_IPV6 229): the frame starts with the IP header, whose version nibble
 * picks the decoder.
 *
 *  +----+----
 *  |ver | ...   4 -> IPv4, 6 -> IPv6
 *  +----+----
 */
#include "decode.h"

enum dec_status
dec_raw(struct pkt *p, struct cursor *c, struct dec_next *next)
{
    p->ctr[STAT_DECODER_RAW]++;
    if (cur_left(c) < 1) {
        dec_event_set(p, DEC_EV_IPV4_PKT_TOO_SMALL);
        return DEC_INVALID;
    }
    uint8_t ver = (uint8_t)(cur_peek_u8(c, 0) >> 4);
    next->hdr_len = 0;
    if (ver == 4) {
        next->proto = DEC_PROTO_IPV4;
        return DEC_OK;
    }
    if (ver == 6) {
        next->proto = DEC_PROTO_IPV6;
        return DEC_OK;
    }
    dec_event_set(p, DEC_EV_RAW_INVALID_IP_VERSION);
    return DEC_INVALID;
}
