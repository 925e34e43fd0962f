/*
 * dec_hash.c - the dispatch hash the capture thread uses to pick a worker.
 *
 * It reads only the link layer, VLAN tags and the outermost IP header's
 * addresses, and hashes the unordered address pair with the VLAN ids.
 * Hashing on addresses alone (not ports) is deliberate: every fragment of
 * a datagram, the datagram rebuilt from them and the unfragmented packets
 * of the same flow all land on one worker, without reassembling in the
 * capture thread. The cost is that one busy host pair stays on one worker.
 */
#include "decode.h"

#include <string.h>

static uint64_t
dec_hash_mix(uint64_t h, uint64_t v)
{
    h ^= v * 0x9e3779b97f4a7c15ull;
    h = (h ^ (h >> 29)) * 0xbf58476d1ce4e5b9ull;
    return h ^ (h >> 32);
}

static uint64_t
dec_hash_bytes(uint64_t h, const uint8_t *b, size_t n)
{
    uint64_t w;
    size_t i;

    for (i = 0; i + 8 <= n; i += 8) {
        memcpy(&w, b + i, 8);
        h = dec_hash_mix(h, w);
    }
    if (i < n) {
        w = 0;
        memcpy(&w, b + i, n - i);
        h = dec_hash_mix(h, w);
    }
    return h;
}

/* Skips the link header; returns the EtherType that follows, 0 if none. */
static uint16_t
dec_hash_link(struct cursor *c, int linktype)
{
    uint8_t v;

    switch (linktype) {
    case DEC_DLT_EN10MB:
        cur_skip(c, 12);
        return cur_be16(c);
    case DEC_DLT_SLL:
        cur_skip(c, 14);
        return cur_be16(c);
    case DEC_DLT_SLL2: {
        uint16_t t = cur_be16(c);
        cur_skip(c, 18);
        return t;
    }
    case DEC_DLT_NULL:
    case DEC_DLT_LOOP:
        cur_skip(c, 4);
        v = (uint8_t)(cur_peek_u8(c, 0) >> 4);
        return v == 4 ? 0x0800 : v == 6 ? 0x86dd : 0;
    default:
        v = (uint8_t)(cur_peek_u8(c, 0) >> 4);
        return v == 4 ? 0x0800 : v == 6 ? 0x86dd : 0;
    }
}

uint32_t
dec_dispatch_hash(const uint8_t *data, uint32_t caplen, int linktype)
{
    struct cursor c;
    uint64_t h = 0x51ed270b7a3f5c9dull, vlans = 0;
    uint16_t type;
    const uint8_t *a = NULL, *b = NULL;
    size_t alen = 0;
    unsigned n_vlan = 0;

    cur_init(&c, data, caplen);
    type = dec_hash_link(&c, linktype);
    while ((type == 0x8100 || type == 0x88a8 || type == 0x9100) && n_vlan++ < DEC_MAX_VLAN) {
        vlans = vlans << 12 | (cur_be16(&c) & 0x0fff);
        type = cur_be16(&c);
    }
    if (type == 0x0800 && cur_left(&c) >= 20) {
        cur_skip(&c, 12);
        a = cur_bytes(&c, 4);
        b = cur_bytes(&c, 4);
        alen = 4;
    } else if (type == 0x86dd && cur_left(&c) >= 40) {
        cur_skip(&c, 8);
        a = cur_bytes(&c, 16);
        b = cur_bytes(&c, 16);
        alen = 16;
    }
    if (a == NULL || b == NULL)
        return 0; /* non-IP and broken frames: all to one worker */
    if (memcmp(a, b, alen) > 0) {
        const uint8_t *t = a;
        a = b;
        b = t;
    }
    h = dec_hash_bytes(h, a, alen);
    h = dec_hash_bytes(h, b, alen);
    h = dec_hash_mix(h, vlans);
    return (uint32_t)(h ^ (h >> 32));
}
