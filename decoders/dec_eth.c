/*
 * dec_eth.c - Ethernet II (IEEE 802.3 framing with an EtherType).
 *
 *   0                   6                  12      14
 *  +-------------------+-------------------+-------+
 *  | destination MAC   | source MAC        | type  |
 *  +-------------------+-------------------+-------+
 *
 * A type below 0x0600 is an 802.3 length (LLC follows): not decoded.
 */
#include "decode.h"

#define ETH_HDR_LEN 14

enum dec_status
dec_eth(struct pkt *p, struct cursor *c, struct dec_next *next)
{
    p->ctr[STAT_DECODER_ETHERNET]++;
    if (cur_left(c) < ETH_HDR_LEN) {
        dec_event_set(p, DEC_EV_ETH_PKT_TOO_SMALL);
        return DEC_INVALID;
    }
    cur_skip(c, 12);
    uint16_t type = cur_be16(c);
    next->hdr_len = ETH_HDR_LEN;
    next->proto = dec_ethertype_next(type);
    if (next->proto == DEC_PROTO_NONE) {
        /* Suricata 8 raises an event for an unknown type as well. */
        if (dec_ethertype_count_other(p, type))
            dec_event_set(p, DEC_EV_ETH_UNKNOWN_ETHERTYPE);
        return DEC_UNSUPPORTED;
    }
    return DEC_OK;
}
