/*
 * defrag.h - IPv4 and IPv6 fragment reassembly, worker-private.
 *
 * Fragments are copied into fixed-size chunks from a preallocated store
 * (the memcap), grouped in trackers keyed on (VLAN, addresses, id,
 * protocol for IPv4). When a datagram is complete it is rebuilt in the
 * worker's reassembly buffer and handed back as a pseudo packet to decode
 * from the IP layer. Overlapping data follows the BSD policy (Suricata's
 * default): the fragment with the lower offset wins, and among fragments
 * at the same offset the first to arrive; either way frag_overlap is raised. Trackers time out on packet time.
 */
#ifndef DEFRAG_H
#define DEFRAG_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"
#include "nids.h"
#include "pool.h"

#define DEFRAG_MAX_DATAGRAM 65535u
/* Link + IP header room in front of the reassembled payload. */
#define DEFRAG_BUF_LEN (DEFRAG_MAX_DATAGRAM + 2048u)

struct defrag_config {
    uint64_t memcap;       /* bytes of fragment storage */
    uint32_t trackers;     /* concurrent datagrams */
    uint32_t max_frags;    /* fragments held at once */
    uint32_t timeout;      /* seconds */
};

struct defrag_tracker;
struct defrag_frag;

struct defrag {
    struct defrag_config cfg;
    struct defrag_tracker *trackers;
    struct defrag_frag *frags;
    uint8_t *chunks;
    uint32_t *chunk_next; /* free list / chain: index + 1 */
    uint32_t n_chunks;
    /* Free lists (pool.h): never-used slots stay untouched pages. */
    struct pool_list chunk_list, tracker_list, frag_list;
    uint32_t lru_head, lru_tail; /* trackers in use, oldest first */
    uint32_t *buckets;            /* tracker hash: index + 1 */
    uint32_t bucket_mask;
    uint64_t *ctr;
    uint8_t *buf;                 /* reassembled datagram (DEFRAG_BUF_LEN) */
};

void defrag_config_defaults(struct defrag_config *cfg);

/* Preallocate everything (start-up). Returns 0 or NIDS_ENOMEM. */
int defrag_init(struct defrag *d, const struct defrag_config *cfg, uint64_t *ctr) NIDS_MUST_CHECK;
void defrag_fini(struct defrag *d);

/*
 * Take the fragment p (PKT_IS_FRAGMENT). When it completes a datagram,
 * fills *out as a pseudo packet over d->buf, decoded from the IP layer,
 * and returns true. out is valid until the next call. Worker only.
 */
bool defrag_handle(struct defrag *d, const struct pkt *p, struct pkt *out);

/* Drop trackers idle longer than the timeout at now_us. */
void defrag_timeout(struct defrag *d, uint64_t now_us);

#endif /* DEFRAG_H */
