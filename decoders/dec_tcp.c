/*
 * dec_tcp.c - TCP header and options (RFC 9293, RFC 7323, RFC 2018).
 *
 *  +-------------------------------+-------------------------------+
 *  |          Source Port          |       Destination Port        |
 *  +-------------------------------+-------------------------------+
 *  |                        Sequence Number                        |
 *  |                     Acknowledgment Number                     |
 *  +-------+-------+---------------+-------------------------------+
 *  |  Data |       |C|E|U|A|P|R|S|F|                               |
 *  | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 *  +-------+-------+---------------+-------------------------------+
 *  |           Checksum            |         Urgent Pointer        |
 *  +-------------------------------+-------------------------------+
 *  |                    Options (Data Offset > 5)                  |
 *  +---------------------------------------------------------------+
 */
#include "decode.h"

#define TCP_HDR_LEN    20
#define TCP_OPTLEN_MAX 40

enum tcp_opt {
    TCP_OPT_EOL = 0,
    TCP_OPT_NOP = 1,
    TCP_OPT_MSS = 2,
    TCP_OPT_WS = 3,
    TCP_OPT_SACKOK = 4,
    TCP_OPT_SACK = 5,
    TCP_OPT_TS = 8,
    TCP_OPT_MD5 = 19, /* RFC 2385 */
    TCP_OPT_AO = 29,  /* RFC 5925 */
    TCP_OPT_TFO = 34
};

/* Option errors are events; the segment itself stays valid (Suricata). */
static void
tcp_options_decode(struct pkt *p, struct cursor opts)
{
    uint64_t seen = 0;

    while (cur_left(&opts) > 0) {
        uint8_t type = cur_u8(&opts);
        if (type == TCP_OPT_EOL)
            break;
        if (type == TCP_OPT_NOP)
            continue;
        uint8_t len = cur_u8(&opts);
        if (!cur_ok(&opts) || len < 2 || (size_t)(len - 2) > cur_left(&opts)) {
            dec_event_set(p, DEC_EV_TCP_OPT_INVALID_LEN);
            return;
        }
        struct cursor v = cur_sub(&opts, (size_t)(len - 2));
        if (type < 64) {
            if (seen & (1ull << type))
                dec_event_set(p, DEC_EV_TCP_OPT_DUPLICATE);
            seen |= 1ull << type;
        }
        switch (type) {
        case TCP_OPT_MSS:
            if (len != 4)
                goto bad_len;
            p->tcp_mss = cur_be16(&v);
            break;
        case TCP_OPT_WS:
            if (len != 3)
                goto bad_len;
            p->tcp_wscale = cur_u8(&v);
            break;
        case TCP_OPT_SACKOK:
            if (len != 2)
                goto bad_len;
            p->tcp_sack_ok = true;
            break;
        case TCP_OPT_SACK:
            /* An empty SACK (length 2) is useless but allowed (RFC 2018; Suricata). */
            if (len != 2 && (len < 10 || (len - 2) % 8 != 0))
                goto bad_len;
            break;
        case TCP_OPT_TS:
            if (len != 10)
                goto bad_len;
            p->tcp_has_ts = true;
            p->tcp_tsval = cur_be32(&v);
            p->tcp_tsecr = cur_be32(&v);
            break;
        case TCP_OPT_MD5:
        case TCP_OPT_AO:
            /* A signature the sensor cannot check (the key is out of band). */
            p->tcp_has_auth = true;
            break;
        default:
            break;
        }
        continue;
    bad_len:
        dec_event_set(p, DEC_EV_TCP_OPT_INVALID_LEN);
    }
}

enum dec_status
dec_tcp(struct pkt *p, struct cursor *c, struct dec_next *next)
{
    uint32_t off = dec_offset(p, c);
    size_t len = cur_left(c);

    p->ctr[STAT_DECODER_TCP]++;
    if (len < TCP_HDR_LEN) {
        dec_event_set(p, DEC_EV_TCP_PKT_TOO_SMALL);
        return DEC_INVALID;
    }
    /* Data offset sits at byte 12; checked before anything is stored. */
    uint8_t hlen = (uint8_t)((cur_peek_u8(c, 12) >> 4) * 4);
    if (hlen < TCP_HDR_LEN) {
        dec_event_set(p, DEC_EV_TCP_INVALID_OPTLEN);
        return DEC_INVALID;
    }
    if (len < hlen) {
        dec_event_set(p, DEC_EV_TCP_HLEN_TOO_SMALL);
        return DEC_INVALID;
    }
    p->sp = cur_be16(c);
    p->dp = cur_be16(c);
    p->tcp_seq = cur_be32(c);
    p->tcp_ack = cur_be32(c);
    cur_skip(c, 1);
    p->tcp_flags = cur_u8(c);
    p->tcp_win = cur_be16(c);
    cur_skip(c, 4); /* checksum, urgent pointer */
    p->tcp_hlen = hlen;
    p->tcp_wscale = 0xff;
    p->tcp_has_ts = false;
    p->tcp_has_auth = false;
    p->tcp_sack_ok = false;
    p->tcp_mss = 0;
    if (hlen > TCP_HDR_LEN)
        tcp_options_decode(p, cur_sub(c, (size_t)(hlen - TCP_HDR_LEN)));
    p->l4_off = off;
    p->l4_len = (uint32_t)len;
    p->payload_off = off + hlen;
    p->payload_len = (uint32_t)(len - hlen);
    p->flags |= PKT_HAS_L4;
    if (p->flags & PKT_CSUM_CHECK) {
        uint32_t sum = dec_csum_pseudo(p, 6, (uint32_t)len);
        if (dec_csum_fold(dec_csum_add(sum, p->data + off, len)) != 0) {
            p->flags |= PKT_CSUM_BAD;
            p->ctr[STAT_TCP_INVALID_CHECKSUM]++;
        }
    }
    next->hdr_len = hlen;
    return DEC_OK;
}
