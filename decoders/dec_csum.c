/*
 * dec_csum.c - the Internet checksum (RFC 1071) and the TCP/UDP pseudo
 * header sums for IPv4 (RFC 793) and IPv6 (RFC 8200 section 8.1).
 */
#include "decode.h"

#include <string.h>

/*
 * Eight bytes per step in host order: the ones' complement sum does not
 * depend on byte order except for a final swap (RFC 1071 section 2(B)).
 * Every packet's payload goes through here when checksums are checked.
 */
uint32_t
dec_csum_add(uint32_t sum, const uint8_t *b, size_t len)
{
    uint64_t acc = 0, s;
    uint16_t w;

    while (len >= 8) {
        uint64_t v;
        memcpy(&v, b, 8);
        acc += (v & 0xffffffffu) + (v >> 32); /* < 2^33 per step: no overflow */
        b += 8;
        len -= 8;
    }
    while (len >= 2) {
        memcpy(&w, b, 2);
        acc += w;
        b += 2;
        len -= 2;
    }
    if (len == 1) { /* the odd byte is the high half of a word padded with zero */
        uint8_t last[2] = {b[0], 0};
        memcpy(&w, last, 2);
        acc += w;
    }
    while (acc >> 16)
        acc = (acc & 0xffffu) + (acc >> 16);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    acc = (uint16_t)(acc << 8 | acc >> 8);
#endif
    s = (uint64_t)sum + acc;
    while (s >> 32)
        s = (s & 0xffffffffu) + (s >> 32);
    return (uint32_t)s;
}

uint16_t
dec_csum_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

uint32_t
dec_csum_pseudo(const struct pkt *p, uint8_t proto, uint32_t len)
{
    uint32_t sum;
    size_t alen = p->ip_ver == 4 ? 4 : 16;

    sum = dec_csum_add(0, p->src, alen);
    sum = dec_csum_add(sum, p->dst, alen);
    sum += proto;
    sum += len >> 16;
    sum += len & 0xffff;
    return sum;
}
