/*
 * app_http_range.h - HTTP byte ranges joined into whole files, as
 * Suricata's app-layer-htp-range.c does: the bodies of 206 responses
 * carrying `Content-Range: bytes START-END/TOTAL` for one URL (request
 * host + path) add their bytes to one container, across transactions and
 * flows; once the bytes from 0 reach TOTAL, the whole file is logged
 * (fileinfo, its size the whole size) with the transaction that completed
 * it.
 *
 * Only which bytes arrived matters here (the sensor stores no file
 * content and computes no hashes), so a container keeps its key and the
 * byte intervals seen, merged. Containers are per worker, from a pool
 * allocated at start-up: ranges of one URL join when they reach the same
 * worker, which the dispatch hash (decoders/dec_hash.c: addresses only)
 * guarantees for every flow between the same two hosts; Suricata's
 * containers are global, so ranges of one URL fetched by different hosts
 * join there and not here. Caps and counters: containers in the pool
 * (the least recently used one past the timeout is reused, else
 * http.range.pool_empty), intervals per container (a piece that would
 * need more: http.range.too_many_pieces, the container is dropped), key
 * length (http.range.key_too_long: not joined).
 */
#ifndef APP_HTTP_RANGE_H
#define APP_HTTP_RANGE_H

#include <stdbool.h>
#include <stdint.h>

#include "nids.h"

#define APP_HTTP_RANGE_KEY_MAX 512 /* host + path bytes of a container's key */
#define APP_HTTP_RANGE_PIECES  32  /* disjoint byte intervals per container */
#define APP_HTTP_RANGE_TIMEOUT 60  /* s without a range before a container may go (Suricata's) */

struct app_http_range;

/* A pool of n containers (start-up). NULL when out of memory. ctr: the worker's counters. */
struct app_http_range *app_http_range_create(uint32_t n, uint64_t *ctr);
void app_http_range_destroy(struct app_http_range *r);

/* What app_http_range_add() found. */
struct app_http_range_res {
    bool whole;    /* the file is complete: log it */
    bool gaps;     /* some piece had missing bytes */
    uint64_t size; /* the whole file's size */
};

/*
 * The body bytes [start, start + len) of the file of key host|path, whose
 * whole size is total (the largest TOTAL any range said), arrived, with
 * gaps or not, at capture time now_us. Fills *res; after a whole file the
 * container is done (later ranges of it join nothing) until it times out.
 * Worker; no allocation.
 */
void app_http_range_add(struct app_http_range *r, const uint8_t *host, uint32_t host_len,
                        const uint8_t *path, uint32_t path_len, uint64_t start, uint64_t len,
                        uint64_t total, bool gaps, uint64_t now_us, struct app_http_range_res *res);

/* Containers in use (tests). */
uint32_t app_http_range_used(const struct app_http_range *r);

#endif /* APP_HTTP_RANGE_H */
