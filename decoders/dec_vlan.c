/*
 * dec_vlan.c - IEEE 802.1Q VLAN tags, stacked as QinQ (802.1ad 0x88a8 and
 * the pre-standard 0x9100) up to DEC_MAX_VLAN tags.
 *
 *  +-----+--+------------+----------------+
 *  | PCP |DE| VLAN id 12 | inner EtherType|
 *  +-----+--+------------+----------------+
 */
#include "decode.h"

#define VLAN_HDR_LEN 4

enum dec_status
dec_vlan(struct pkt *p, struct cursor *c, struct dec_next *next)
{
    static const enum stat_id layer_ctr[DEC_MAX_VLAN] = {
        STAT_DECODER_VLAN, STAT_DECODER_VLAN_QINQ, STAT_DECODER_VLAN_QINQINQ};

    if (p->vlan_idx < DEC_MAX_VLAN)
        p->ctr[layer_ctr[p->vlan_idx]]++;
    if (cur_left(c) < VLAN_HDR_LEN) {
        dec_event_set(p, DEC_EV_VLAN_HEADER_TOO_SMALL);
        return DEC_INVALID;
    }
    if (p->vlan_idx >= DEC_MAX_VLAN) {
        dec_event_set(p, DEC_EV_VLAN_TOO_MANY_LAYERS);
        return DEC_INVALID;
    }
    uint16_t tci = cur_be16(c);
    uint16_t type = cur_be16(c);
    p->vlan_id[p->vlan_idx++] = (uint16_t)(tci & 0x0fff);
    next->hdr_len = VLAN_HDR_LEN;
    next->proto = dec_ethertype_next(type);
    if (next->proto == DEC_PROTO_NONE) {
        if (dec_ethertype_count_other(p, type))
            dec_event_set(p, DEC_EV_VLAN_UNKNOWN_TYPE);
        return DEC_UNSUPPORTED;
    }
    return DEC_OK;
}
