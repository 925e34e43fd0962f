/*
 * app_ndpi.h - application identification with nDPI for the flows the
 * sensor's own parsers do not claim.
 *
 * Each worker owns one struct app_ndpi: an nDPI detection module, a pool
 * of per-flow nDPI states (struct ndpi_flow_struct), a pool of small
 * results (protocol ids, category, risks, TLS/QUIC server name) kept until
 * the flow is logged, and the heap that serves every allocation nDPI (and
 * libgcrypt, for QUIC Initial decryption) makes while the worker calls it.
 * All of it is allocated by app_ndpi_create() at start-up.
 *
 * Which packets go to nDPI: TCP (with a tracked session) and UDP packets
 * that carry payload, after the sensor's own probes (app_detect.c) have
 * seen them, of flows that HTTP, DNS and SMTP have not claimed. A flow
 * takes a state at its first such packet and gives it back once nDPI has
 * named the protocol, after `max-packets` packets (nDPI gives up), when one
 * of the sensor's parsers claims the flow, or when the flow ends.
 *
 * nDPI's answer fills f->app_proto (Suricata's name, app_detect.h) only
 * where Suricata has a name for it and the sensor's probes have none
 * (unknown or failed): the probes stay authoritative for http, dns and
 * smtp, and tls/ssh as probed are kept. The flow record then carries the
 * server name a TLS or QUIC ClientHello gave (`tls.sni`, `quic.sni`, as in
 * Suricata's tls and quic records) and, with `metadata`, an `ndpi` object
 * (nDPI's protocol, category and risks: the key Suricata's nDPI plugin
 * writes).
 *
 * Per-flow state is one field of struct flow (ndpi_ref).
 */
#ifndef APP_NDPI_H
#define APP_NDPI_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"
#include "flow.h"
#include "json.h"
#include "nids.h"

struct app_ndpi_cfg {
    bool enabled;         /* ndpi.enabled */
    bool metadata;        /* ndpi.metadata: `ndpi` object in flow records */
    uint32_t max_packets; /* ndpi.max-packets: payload packets per flow before giving up */
    uint32_t flows;       /* ndpi.flows: flows in detection at once (state pool) */
    uint64_t memcap;      /* ndpi.memcap: bytes of the heap nDPI allocates from */
};

/* Defaults: enabled, no metadata, 24 packets, 8192 flows, 16 MiB. */
void app_ndpi_cfg_defaults(struct app_ndpi_cfg *c);

struct app_ndpi; /* one per worker; opaque */

/*
 * Allocate a worker's context (start-up, main thread, one call at a
 * time: nDPI's module set-up is not thread-safe). The first call installs
 * the allocation hooks of nDPI and libgcrypt. ctr: the worker's counters
 * (ndpi.*). NULL when out of memory.
 */
struct app_ndpi *app_ndpi_create(const struct app_ndpi_cfg *cfg, uint64_t *ctr);
/* Free a context (the flows must have ended, or their states are dropped). */
void app_ndpi_destroy(struct app_ndpi *x);

/*
 * Packet p of flow f, direction dir, after the sensor's own probes and
 * parsers have had it. Worker thread; no allocation outside the
 * context's heap.
 */
void app_ndpi_packet(struct app_ndpi *x, struct flow *f, const struct pkt *p, int dir);

/*
 * Flow f ends: detection still running concludes (nDPI gives up) so its
 * answer reaches the flow record. Call before the flow is logged; the
 * result stays until app_ndpi_flow_put(). Worker thread.
 */
void app_ndpi_flow_end(struct app_ndpi *x, struct flow *f);
/* Flow f has been logged: its result goes back to the pool. Worker thread. */
void app_ndpi_flow_put(struct app_ndpi *x, struct flow *f);

/*
 * Members of flow f's `flow` record (an open top-level object in j):
 * `tls` or `quic` with the server name, and `ndpi` with metadata on.
 * ctx is the struct app_ndpi. Worker thread (the EVE flow formatter).
 */
void app_ndpi_flow_emit(void *ctx, struct json_buf *j, const struct flow *f);

/* For tests: true when flow f holds a detection state (nDPI is still looking). */
bool app_ndpi_flow_is_detecting(const struct app_ndpi *x, const struct flow *f);

#endif /* APP_NDPI_H */
