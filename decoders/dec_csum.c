/*
 * dec_csum.c - the Internet checksum (RFC 1071) and the TCP/UDP pseudo
 * header sums for IPv4 (RFC 793) and IPv6 (RFC 8200 section 8.1).
 */
#include "decode.h"

uint32_t
dec_csum_add(uint32_t sum, const uint8_t *b, size_t len)
{
    uint64_t s = sum;
    size_t i;

    for (i = 0; i + 1 < len; i += 2)
        s += (uint32_t)b[i] << 8 | b[i + 1];
    if (len & 1)
        s += (uint32_t)b[len - 1] << 8;
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
