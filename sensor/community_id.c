/*
 * community_id.c - Community ID v1 (corelight/community-id-spec).
 *
 * Hash input: seed (2 bytes, network order), source address, destination
 * address, protocol (1 byte), a zero byte, source port, destination port
 * (2 bytes each), where "source" is the smaller (address, port) endpoint.
 * ICMP uses type and code (mapped to the counterpart type for one-way
 * pairs) in place of the ports.
 */
#include "community_id.h"

#include <string.h>

#include "sha1.h"

/* ICMP request types and their replies (spec: one-way vs two-way). */
static int
community_id_icmp_peer(uint8_t proto, uint8_t type)
{
    static const uint8_t v4[][2] = {{8, 0},   {0, 8},   {13, 14}, {14, 13}, {15, 16},
                                    {16, 15}, {10, 9},  {9, 10},  {17, 18}, {18, 17}};
    static const uint8_t v6[][2] = {{128, 129}, {129, 128}, {133, 134}, {134, 133},
                                    {135, 136}, {136, 135}, {130, 131}, {131, 130},
                                    {144, 145}, {145, 144}, {139, 140}, {140, 139}};
    size_t i;

    if (proto == 1) {
        for (i = 0; i < sizeof(v4) / sizeof(v4[0]); i++)
            if (v4[i][0] == type)
                return v4[i][1];
    } else {
        for (i = 0; i < sizeof(v6) / sizeof(v6[0]); i++)
            if (v6[i][0] == type)
                return v6[i][1];
    }
    return -1;
}

static void
community_id_base64(const uint8_t *in, size_t n, char *out)
{
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i, o = 0;

    for (i = 0; i + 2 < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[o++] = tbl[v >> 18];
        out[o++] = tbl[(v >> 12) & 63];
        out[o++] = tbl[(v >> 6) & 63];
        out[o++] = tbl[v & 63];
    }
    if (n - i == 2) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        out[o++] = tbl[v >> 18];
        out[o++] = tbl[(v >> 12) & 63];
        out[o++] = tbl[(v >> 6) & 63];
        out[o++] = '=';
    } else if (n - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        out[o++] = tbl[v >> 18];
        out[o++] = tbl[(v >> 12) & 63];
        out[o++] = '=';
        out[o++] = '=';
    }
    out[o] = '\0';
}

void
community_id_make(const struct flow *f, uint16_t seed, char out[COMMUNITY_ID_LEN])
{
    uint8_t buf[2 + 16 + 16 + 2 + 4];
    uint8_t digest[SHA1_DIGEST_LEN];
    size_t alen = f->key.ip_ver == 4 ? 4 : 16, n = 0;
    const uint8_t *a = f->key.src, *b = f->key.dst;
    uint16_t ap = f->key.sp, bp = f->key.dp;
    bool one_way = false;

    if (f->key.proto == 1 || f->key.proto == 58) {
        int peer = community_id_icmp_peer(f->key.proto, f->icmp_type[0]);
        ap = f->icmp_type[0];
        bp = peer >= 0 ? (uint16_t)peer : f->icmp_code[0];
        one_way = peer < 0;
    }
    int cmp = memcmp(a, b, alen);
    if (!one_way && (cmp > 0 || (cmp == 0 && ap > bp))) {
        const uint8_t *t = a;
        uint16_t tp = ap;
        a = b;
        b = t;
        ap = bp;
        bp = tp;
    }
    buf[n++] = (uint8_t)(seed >> 8);
    buf[n++] = (uint8_t)seed;
    memcpy(buf + n, a, alen);
    n += alen;
    memcpy(buf + n, b, alen);
    n += alen;
    buf[n++] = f->key.proto;
    buf[n++] = 0;
    if (f->key.proto == 6 || f->key.proto == 17 || f->key.proto == 1 || f->key.proto == 58 ||
        f->key.proto == 132) {
        buf[n++] = (uint8_t)(ap >> 8);
        buf[n++] = (uint8_t)ap;
        buf[n++] = (uint8_t)(bp >> 8);
        buf[n++] = (uint8_t)bp;
    }
    sha1_digest(buf, n, digest);
    out[0] = '1';
    out[1] = ':';
    community_id_base64(digest, sizeof(digest), out + 2);
}
