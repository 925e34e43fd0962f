/*
 * dec_sll.c - Linux "cooked" capture headers, SLL (DLT 113) and SLL2
 * (DLT 276), as written by `tcpdump -i any`.
 *
 * SLL, 16 bytes:                       SLL2, 20 bytes:
 *  +--------+--------+--------+        +--------+--------+----------------+
 *  | pkttype| hatype | halen  |        | proto  | rsvd   | ifindex        |
 *  +--------+--------+--------+        +--------+--+--+--+----------------+
 *  | link-layer address (8)   |        | hatype |pt|hl| address (8)     |
 *  +--------------------------+        +--------+--+--+-----------------+
 *  | protocol (EtherType)     |
 *  +--------+
 */
#include "decode.h"

#define SLL_HDR_LEN  16
#define SLL2_HDR_LEN 20

static enum dec_status
dec_sll_next(struct pkt *p, uint16_t proto, struct dec_next *next)
{
    next->proto = dec_ethertype_next(proto);
    if (next->proto == DEC_PROTO_NONE) {
        (void)dec_ethertype_count_other(p, proto);
        return DEC_UNSUPPORTED;
    }
    return DEC_OK;
}

enum dec_status
dec_sll(struct pkt *p, struct cursor *c, struct dec_next *next)
{
    p->ctr[STAT_DECODER_SLL]++;
    if (cur_left(c) < SLL_HDR_LEN) {
        dec_event_set(p, DEC_EV_SLL_PKT_TOO_SMALL);
        return DEC_INVALID;
    }
    cur_skip(c, 14);
    uint16_t proto = cur_be16(c);
    next->hdr_len = SLL_HDR_LEN;
    return dec_sll_next(p, proto, next);
}

enum dec_status
dec_sll2(struct pkt *p, struct cursor *c, struct dec_next *next)
{
    p->ctr[STAT_DECODER_SLL2]++;
    if (cur_left(c) < SLL2_HDR_LEN) {
        dec_event_set(p, DEC_EV_SLL2_PKT_TOO_SMALL);
        return DEC_INVALID;
    }
    uint16_t proto = cur_be16(c);
    cur_skip(c, SLL2_HDR_LEN - 2);
    next->hdr_len = SLL2_HDR_LEN;
    return dec_sll_next(p, proto, next);
}
