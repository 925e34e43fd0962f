/*
 * pkt_pool.h - preallocated packet buffers owned by the capture thread.
 *
 * Two sizes: most frames fit a small buffer, jumbo and offloaded frames
 * take a large one. A buffer travels to a worker over its ring and comes
 * back over the worker's return ring; only the capture thread touches the
 * free lists, so they need no lock.
 */
#ifndef PKT_POOL_H
#define PKT_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "nids.h"

#define PKT_BUF_SMALL 2048u
#define PKT_BUF_LARGE 262144u /* the snap length */

enum pkt_buf_kind {
    PKT_BUF_PACKET = 0, /* a captured frame */
    PKT_BUF_TICK,       /* capture time moved on: run timeouts */
    PKT_BUF_STOP,       /* end of input: flush and exit */
    PKT_BUF_KIND_COUNT
};

struct pkt_buf {
    uint64_t ts_us;
    uint64_t pcap_cnt;
    uint32_t caplen;
    uint32_t wirelen;
    int32_t linktype;
    uint8_t kind;  /* enum pkt_buf_kind */
    uint8_t large; /* which free list it returns to */
    int8_t region; /* data is a reader's frame from this region (pipeline.h), -1: own memory */
    uint32_t cap;  /* bytes of data[] */
    uint8_t *data; /* the frame: own memory, or a stable external frame */
    uint8_t *own;  /* the buffer's own memory */
};

struct pkt_pool {
    struct pkt_buf *bufs;
    uint8_t *mem;
    struct pkt_buf **free_small, **free_large;
    uint32_t n_small, n_large;       /* free now */
    uint32_t cap_small, cap_large;   /* total */
    uint64_t empty;                  /* times a buffer was wanted and none was free */
};

/* Preallocate n_small + n_large buffers (start-up). */
int pkt_pool_init(struct pkt_pool *pp, uint32_t n_small, uint32_t n_large) NIDS_MUST_CHECK;
void pkt_pool_fini(struct pkt_pool *pp);
/* A buffer for caplen bytes, or NULL when none is free. Capture thread. */
struct pkt_buf *pkt_pool_alloc(struct pkt_pool *pp, uint32_t caplen);
/* Return a buffer to its free list. Capture thread. */
void pkt_pool_free(struct pkt_pool *pp, struct pkt_buf *b);
/* True when every buffer is back in the pool. */
bool pkt_pool_is_full(const struct pkt_pool *pp);
/* Number of buffers that exist. */
uint32_t pkt_pool_size(const struct pkt_pool *pp);

#endif /* PKT_POOL_H */
