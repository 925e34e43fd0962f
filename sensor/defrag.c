/*
 * defrag.c - fragment reassembly (RFC 791 section 3.2, RFC 8200 section
 * 4.5), with the checks of RFC 5722: overlaps are resolved by the BSD
 * policy (lower offset wins, then first arrival) and flagged, datagrams past
 * 65535 bytes are dropped and flagged.
 */
#include "defrag.h"

#include <stdlib.h>
#include <string.h>

#define DEFRAG_CHUNK 512u

struct defrag_frag {
    uint32_t next;        /* next fragment of the tracker by offset, or free list: index + 1 */
    uint32_t chunk;       /* first chunk: index + 1 */
    uint16_t off, len;    /* payload offset and length in the datagram */
};

struct defrag_tracker {
    uint8_t src[16], dst[16];
    uint32_t id;
    uint16_t vlan_id[DEC_MAX_VLAN];
    uint8_t vlan_idx;
    uint8_t ip_ver;
    uint8_t proto;
    bool seen_last;
    bool has_first;
    bool in_use;
    uint32_t total;       /* payload length once the last fragment is known */
    uint32_t frags;       /* sorted list: index + 1 */
    uint32_t lprev, lnext, next_free;
    uint32_t hnext; /* hash chain: index + 1 */
    uint32_t hash;
    uint64_t last_us;
    /* Headers of the offset-0 fragment: link + IP (+ IPv6 unfragmentable part). */
    uint16_t hdr_len;
    uint16_t l3_off;
    uint16_t prev_nh_off; /* IPv6: byte to rewrite with the real next header */
    uint8_t next_nh;
    uint8_t hdr[512];
};

void
defrag_config_defaults(struct defrag_config *cfg)
{
    cfg->memcap = 32ull << 20;
    cfg->trackers = 65535;
    cfg->max_frags = 65535;
    cfg->timeout = 60;
}

int
defrag_init(struct defrag *d, const struct defrag_config *cfg, uint64_t *ctr)
{

    memset(d, 0, sizeof(*d));
    d->cfg = *cfg;
    d->ctr = ctr;
    d->n_chunks = (uint32_t)(cfg->memcap / DEFRAG_CHUNK);
    if (d->n_chunks == 0 || cfg->trackers == 0 || cfg->max_frags == 0)
        return NIDS_ENOMEM;
    d->trackers = calloc(cfg->trackers, sizeof(*d->trackers));
    d->frags = calloc(cfg->max_frags, sizeof(*d->frags));
    d->chunks = malloc((size_t)d->n_chunks * DEFRAG_CHUNK);
    d->chunk_next = calloc(d->n_chunks, sizeof(uint32_t));
    d->buf = malloc(DEFRAG_BUF_LEN);
    for (d->bucket_mask = 1; d->bucket_mask < cfg->trackers && d->bucket_mask < (1u << 24);)
        d->bucket_mask <<= 1;
    d->buckets = calloc(d->bucket_mask, sizeof(uint32_t));
    d->bucket_mask--;
    if (!d->buckets || !d->trackers || !d->frags || !d->chunks || !d->chunk_next || !d->buf) {
        defrag_fini(d);
        return NIDS_ENOMEM;
    }
    pool_list_init(&d->chunk_list, d->n_chunks);
    pool_list_init(&d->tracker_list, cfg->trackers);
    pool_list_init(&d->frag_list, cfg->max_frags);
    return 0;
}

void
defrag_fini(struct defrag *d)
{
    free(d->trackers);
    d->trackers = NULL;
    free(d->frags);
    d->frags = NULL;
    free(d->chunks);
    d->chunks = NULL;
    free(d->chunk_next);
    d->chunk_next = NULL;
    free(d->buf);
    d->buf = NULL;
    free(d->buckets);
    d->buckets = NULL;
}

static void
defrag_chunks_free(struct defrag *d, uint32_t c)
{
    while (c) {
        uint32_t next = d->chunk_next[c - 1];
        pool_list_free(&d->chunk_list, d->chunk_next, sizeof(*d->chunk_next), c);
        d->ctr[STAT_DEFRAG_MEMUSE] -= DEFRAG_CHUNK;
        c = next;
    }
}

/* Copies len bytes into a fresh chain of chunks; 0 when out of memory. */
static uint32_t
defrag_chunks_store(struct defrag *d, const uint8_t *data, uint32_t len)
{
    uint32_t head = 0, *link = &head, done = 0;

    while (done < len || head == 0) {
        uint32_t c = pool_list_alloc(&d->chunk_list, d->chunk_next, sizeof(*d->chunk_next));
        if (c == 0) {
            defrag_chunks_free(d, head);
            return 0;
        }
        d->chunk_next[c - 1] = 0;
        *link = c;
        link = &d->chunk_next[c - 1];
        uint32_t n = len - done < DEFRAG_CHUNK ? len - done : DEFRAG_CHUNK;
        memcpy(d->chunks + (size_t)(c - 1) * DEFRAG_CHUNK, data + done, n);
        done += n;
        d->ctr[STAT_DEFRAG_MEMUSE] += DEFRAG_CHUNK;
        if (len == 0)
            break;
    }
    return head;
}

static void
defrag_lru_unlink(struct defrag *d, struct defrag_tracker *t)
{
    if (t->lprev)
        d->trackers[t->lprev - 1].lnext = t->lnext;
    else
        d->lru_head = t->lnext;
    if (t->lnext)
        d->trackers[t->lnext - 1].lprev = t->lprev;
    else
        d->lru_tail = t->lprev;
    t->lprev = t->lnext = 0;
}

static void
defrag_lru_append(struct defrag *d, struct defrag_tracker *t)
{
    uint32_t i = (uint32_t)(t - d->trackers) + 1;

    t->lnext = 0;
    t->lprev = d->lru_tail;
    if (d->lru_tail)
        d->trackers[d->lru_tail - 1].lnext = i;
    else
        d->lru_head = i;
    d->lru_tail = i;
}

static void
defrag_tracker_release(struct defrag *d, struct defrag_tracker *t)
{
    uint32_t f = t->frags;

    while (f) {
        struct defrag_frag *fr = &d->frags[f - 1];
        uint32_t next = fr->next;
        defrag_chunks_free(d, fr->chunk);
        pool_list_free(&d->frag_list, &d->frags[0].next, sizeof(*d->frags), f);
        f = next;
    }
    uint32_t *pp = &d->buckets[t->hash & d->bucket_mask];
    uint32_t idx = (uint32_t)(t - d->trackers) + 1;
    while (*pp && *pp != idx)
        pp = &d->trackers[*pp - 1].hnext;
    if (*pp == idx)
        *pp = t->hnext;
    t->hnext = 0;
    defrag_lru_unlink(d, t);
    t->in_use = false;
    pool_list_free(&d->tracker_list, &d->trackers[0].next_free, sizeof(*d->trackers),
                   (uint32_t)(t - d->trackers) + 1);
}

static bool
defrag_tracker_match(const struct defrag_tracker *t, const struct pkt *p)
{
    return t->in_use && t->id == p->frag_id && t->ip_ver == p->ip_ver &&
           (p->ip_ver == 6 || t->proto == p->proto) && t->vlan_idx == p->vlan_idx &&
           memcmp(t->vlan_id, p->vlan_id, sizeof(t->vlan_id)) == 0 &&
           memcmp(t->src, p->src, 16) == 0 && memcmp(t->dst, p->dst, 16) == 0;
}

/* Hash of the tracker key; fragment floods make this the hot lookup. */
static uint32_t
defrag_hash(const struct pkt *p)
{
    uint64_t h = p->frag_id * 0x9e3779b97f4a7c15ull, w;
    unsigned i;

    for (i = 0; i < 16; i += 8) {
        memcpy(&w, p->src + i, 8);
        h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
        memcpy(&w, p->dst + i, 8);
        h = (h ^ (w >> 1)) * 0x94d049bb133111ebull;
    }
    h ^= (uint64_t)p->vlan_id[0] << 16 | p->ip_ver;
    return (uint32_t)(h ^ (h >> 31));
}

static struct defrag_tracker *
defrag_tracker_get(struct defrag *d, const struct pkt *p)
{
    uint32_t i, hash = defrag_hash(p);
    struct defrag_tracker *t;

    for (i = d->buckets[hash & d->bucket_mask]; i; i = d->trackers[i - 1].hnext)
        if (defrag_tracker_match(&d->trackers[i - 1], p))
            return &d->trackers[i - 1];
    i = pool_list_alloc(&d->tracker_list, &d->trackers[0].next_free, sizeof(*d->trackers));
    if (i == 0) {
        d->ctr[STAT_DEFRAG_MAX_TRACKERS_REACHED]++;
        return NULL;
    }
    t = &d->trackers[i - 1];
    memset(t, 0, offsetof(struct defrag_tracker, hdr));
    memcpy(t->src, p->src, 16);
    memcpy(t->dst, p->dst, 16);
    t->id = p->frag_id;
    memcpy(t->vlan_id, p->vlan_id, sizeof(t->vlan_id));
    t->vlan_idx = p->vlan_idx;
    t->ip_ver = p->ip_ver;
    t->proto = p->proto;
    t->in_use = true;
    t->hash = hash;
    t->hnext = d->buckets[hash & d->bucket_mask];
    d->buckets[hash & d->bucket_mask] = (uint32_t)(t - d->trackers) + 1;
    defrag_lru_append(d, t);
    return t;
}

/* Keeps the headers of the offset-0 fragment to rebuild the datagram. */
static void
defrag_keep_headers(struct defrag_tracker *t, const struct pkt *p)
{
    uint32_t hlen = p->ip_ver == 4 ? p->l3_off + p->l3_hlen : p->frag_hdr_off;

    if (hlen > sizeof(t->hdr))
        return;
    memcpy(t->hdr, p->data, hlen);
    t->hdr_len = (uint16_t)hlen;
    t->l3_off = (uint16_t)p->l3_off;
    t->prev_nh_off = (uint16_t)p->frag_prev_nh_off;
    t->next_nh = p->frag_nh;
    t->has_first = true;
}

/* Inserts a fragment sorted by offset (after equal offsets); false on overlap. */
static bool
defrag_insert(struct defrag *d, struct defrag_tracker *t, uint32_t fi)
{
    struct defrag_frag *nf = &d->frags[fi - 1];
    uint32_t *link = &t->frags;
    bool overlap = false;

    while (*link) {
        struct defrag_frag *cur = &d->frags[*link - 1];
        uint32_t cend = (uint32_t)cur->off + cur->len;
        if (nf->off < cend && cur->off < (uint32_t)nf->off + nf->len)
            overlap = true;
        if (cur->off > nf->off)
            break;
        link = &cur->next;
    }
    nf->next = *link;
    *link = fi;
    return !overlap;
}

/* True when fragments cover [0, total) without a hole. */
static bool
defrag_is_complete(const struct defrag *d, const struct defrag_tracker *t)
{
    uint32_t covered = 0, f;

    if (!t->seen_last || !t->has_first)
        return false;
    for (f = t->frags; f; f = d->frags[f - 1].next) {
        const struct defrag_frag *fr = &d->frags[f - 1];
        if (fr->off > covered)
            return false;
        if ((uint32_t)fr->off + fr->len > covered)
            covered = (uint32_t)fr->off + fr->len;
    }
    return covered >= t->total;
}

/* Copies fragment payloads into buf at base in list order: bytes already
 * covered by an earlier entry (lower offset, or same offset and earlier
 * arrival) are kept. */
static void
defrag_copy_payload(struct defrag *d, const struct defrag_tracker *t, uint8_t *base)
{
    uint32_t covered = 0, f;

    for (f = t->frags; f; f = d->frags[f - 1].next) {
        const struct defrag_frag *fr = &d->frags[f - 1];
        uint32_t end = (uint32_t)fr->off + fr->len, skip, pos = 0, c = fr->chunk;
        if (end <= covered)
            continue;
        skip = covered > fr->off ? covered - fr->off : 0;
        while (c && pos < fr->len) {
            uint32_t n = fr->len - pos < DEFRAG_CHUNK ? fr->len - pos : DEFRAG_CHUNK;
            const uint8_t *src = d->chunks + (size_t)(c - 1) * DEFRAG_CHUNK;
            if (pos + n > skip) {
                uint32_t from = skip > pos ? skip - pos : 0;
                memcpy(base + fr->off + pos + from, src + from, n - from);
            }
            pos += n;
            c = d->chunk_next[c - 1];
        }
        covered = end;
    }
}

static void
defrag_build(struct defrag *d, const struct defrag_tracker *t, const struct pkt *p,
             struct pkt *out)
{
    uint32_t hlen = t->hdr_len, l3 = t->l3_off, total_ip;
    uint8_t *b = d->buf;

    memcpy(b, t->hdr, hlen);
    defrag_copy_payload(d, t, b + hlen);
    if (t->ip_ver == 4) {
        total_ip = hlen - l3 + t->total;
        b[l3 + 2] = (uint8_t)(total_ip >> 8);
        b[l3 + 3] = (uint8_t)total_ip;
        b[l3 + 6] = 0;
        b[l3 + 7] = 0;
        b[l3 + 10] = b[l3 + 11] = 0;
        uint16_t cs = dec_csum_fold(dec_csum_add(0, b + l3, hlen - l3));
        b[l3 + 10] = (uint8_t)(cs >> 8);
        b[l3 + 11] = (uint8_t)cs;
    } else {
        uint32_t plen = hlen - l3 - 40 + t->total;
        b[l3 + 4] = (uint8_t)(plen >> 8);
        b[l3 + 5] = (uint8_t)plen;
        b[t->prev_nh_off] = t->next_nh;
    }
    dec_pkt_init(out, b, hlen + t->total, hlen + t->total, p->ts_us, p->linktype, p->ctr);
    out->pcap_cnt = p->pcap_cnt;
    out->flags = PKT_IS_PSEUDO | (p->flags & PKT_CSUM_CHECK);
    out->vlan_idx = t->vlan_idx;
    memcpy(out->vlan_id, t->vlan_id, sizeof(out->vlan_id));
    (void)dec_packet_from(out, t->ip_ver == 4 ? DEC_PROTO_IPV4 : DEC_PROTO_IPV6, l3);
}

bool
defrag_handle(struct defrag *d, const struct pkt *p, struct pkt *out)
{
    bool v4 = p->ip_ver == 4;
    uint32_t data_off = v4 ? p->l3_off + p->l3_hlen : p->frag_hdr_off + 8;
    uint32_t data_end = p->l3_off + p->l3_len;
    uint32_t len = data_end > data_off ? data_end - data_off : 0;
    struct defrag_tracker *t;
    uint32_t fi, chunk;

    /* The rebuilt length field must hold it: IPv4 counts its header, IPv6
     * the extension headers in front of the fragment header. */
    uint32_t hdrs = v4 ? p->l3_hlen : p->frag_hdr_off - p->l3_off - 40;

    d->ctr[v4 ? STAT_DEFRAG_IPV4_FRAGMENTS : STAT_DEFRAG_IPV6_FRAGMENTS]++;
    if (hdrs + (uint32_t)p->frag_off + len > DEFRAG_MAX_DATAGRAM) {
        dec_event_set((struct pkt *)p,
                      v4 ? DEC_EV_IPV4_FRAG_PKT_TOO_LARGE : DEC_EV_IPV6_FRAG_PKT_TOO_LARGE);
        return false;
    }
    t = defrag_tracker_get(d, p);
    if (t == NULL)
        return false;
    if (pool_list_is_empty(&d->frag_list)) {
        d->ctr[STAT_DEFRAG_MAX_FRAGS_REACHED]++;
        return false;
    }
    chunk = defrag_chunks_store(d, p->data + data_off, len);
    if (chunk == 0) {
        d->ctr[STAT_DEFRAG_MAX_FRAGS_REACHED]++;
        return false;
    }
    fi = pool_list_alloc(&d->frag_list, &d->frags[0].next, sizeof(*d->frags));
    d->frags[fi - 1].chunk = chunk;
    d->frags[fi - 1].off = p->frag_off;
    d->frags[fi - 1].len = (uint16_t)len;
    if (!defrag_insert(d, t, fi))
        dec_event_set((struct pkt *)p, v4 ? DEC_EV_IPV4_FRAG_OVERLAP : DEC_EV_IPV6_FRAG_OVERLAP);
    if (p->frag_off == 0 && !t->has_first)
        defrag_keep_headers(t, p);
    if (!p->frag_mf) {
        t->seen_last = true;
        t->total = (uint32_t)p->frag_off + len;
    }
    t->last_us = p->ts_us;
    defrag_lru_unlink(d, t);
    defrag_lru_append(d, t);
    if (!defrag_is_complete(d, t))
        return false;
    defrag_build(d, t, p, out);
    d->ctr[v4 ? STAT_DEFRAG_IPV4_REASSEMBLED : STAT_DEFRAG_IPV6_REASSEMBLED]++;
    defrag_tracker_release(d, t);
    return true;
}

void
defrag_timeout(struct defrag *d, uint64_t now_us)
{
    uint64_t t_us = (uint64_t)d->cfg.timeout * 1000000u;

    while (d->lru_head) {
        struct defrag_tracker *t = &d->trackers[d->lru_head - 1];
        if (t->last_us + t_us > now_us)
            break;
        d->ctr[t->ip_ver == 4 ? STAT_DEFRAG_IPV4_TIMEOUTS : STAT_DEFRAG_IPV6_TIMEOUTS]++;
        defrag_tracker_release(d, t);
    }
}
