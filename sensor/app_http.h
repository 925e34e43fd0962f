/*
 * app_http.h - HTTP/1.x in the sensor: a per-worker context holding a
 * pool of per-flow parser states (decoders/app_http.c) and the fixed
 * transaction and arena pools they draw from, fed in-order stream bytes
 * by the app-layer dispatch (sensor/app_layer.c), writing EVE `http`,
 * `fileinfo` and applayer `anomaly` records as Suricata 8 does
 * (sensor/out_eve_http.c).
 *
 * Everything is allocated by app_http_ctx_create() at start-up; the
 * per-packet path takes and returns pool objects only. A flow that finds
 * the state pool empty is not parsed (counted http.state_pool_empty).
 */
#ifndef SENSOR_APP_HTTP_H
#define SENSOR_APP_HTTP_H

#include <stdbool.h>
#include <stdint.h>

#include "flow.h"
#include "json.h"
#include "nids.h"

struct eve;
struct http_tx;
struct http_file;

struct app_http_cfg {
    uint32_t max_line;        /* bytes of a line incl. folds (libhtp field-limit) */
    uint32_t max_headers;     /* headers per message (libhtp headers-limit) */
    uint32_t max_tx_per_flow; /* live transactions per flow (pipelining depth) */
    uint32_t flows;           /* per-flow states preallocated */
    bool dump_all_headers;    /* both header arrays in every output (tests, fuzzing) */
    bool extended;            /* extended fields in every output (tests, fuzzing) */
    uint32_t req_body_limit;  /* request body bytes followed as a file (0: no limit) */
    uint32_t resp_body_limit; /* response body bytes followed as a file (0: no limit) */
    uint32_t tx_pool;         /* transactions preallocated (all flows) */
    uint32_t arena_small;     /* 1 KiB arena chunks preallocated */
    uint32_t arena_large;     /* 16 KiB arena chunks preallocated */
    uint32_t range_containers; /* byte-range containers (app_http_range.h); 0: not joined */
};

/* Suricata 8's defaults (libhtp default-config), pools sized for `flows`. */
void app_http_cfg_defaults(struct app_http_cfg *c);

struct app_http_ctx; /* one per worker: a pool of per-flow HTTP states + scratch; opaque */

/*
 * Allocate a context (start-up only). eve: where records go (the
 * worker's); ctr: the worker's counters (HTTP counters are kept in the
 * context, see app_http_ctx_counters). NULL when out of memory.
 */
struct app_http_ctx *app_http_ctx_create(const struct app_http_cfg *cfg, struct eve *eve,
                                         uint64_t *ctr);
void app_http_ctx_destroy(struct app_http_ctx *x);

/*
 * In-order stream bytes of flow f in direction dir (APP_DIR_*), flags
 * APP_FLAG_GAP / APP_FLAG_EOF (data NULL for a gap of len bytes). Takes a
 * per-flow state from the pool on first use and keeps its index in
 * f->app_state (index + 1; 0 = none). Writes EVE `http` records (and
 * `fileinfo` for bodies when the files type is on) as transactions
 * complete, and applayer `anomaly` records for parser events. Returns the
 * number of bytes it consumed: less than len only when the protocol
 * changed mid-chunk (after a CONNECT answered 2xx: the rest is the
 * tunnel, which the caller gives back to protocol detection; the state
 * is released, f->app_proto is set back to unknown and f->app_proto_orig
 * to APP_PROTO_HTTP). now_us: capture time (record timestamps). Worker.
 */
uint32_t app_http_data(struct app_http_ctx *x, struct flow *f, int dir, const uint8_t *data,
                       uint32_t len, uint32_t flags, uint64_t now_us);

/*
 * Detection of transactions (the signature engine): called for every live
 * transaction after each parse, before its records are written and before
 * a finished one is released, and with flow_end at the end of the flow.
 */
typedef void (*app_http_detect_fn)(void *ctx, struct flow *f, const struct http_tx *tx,
                                   bool flow_end);
void app_http_set_detect(struct app_http_ctx *x, app_http_detect_fn fn, void *ctx);

/* Flow ends: log transactions still open (as Suricata does at flow end), return the state. */
void app_http_flow_end(struct app_http_ctx *x, struct flow *f, uint64_t now_us);

/* The context's counters: HTTP_CTR_COUNT values named by http_ctr_names (app_http.h). */
const uint64_t *app_http_ctx_counters(const struct app_http_ctx *x);

/* For tests and fuzzing: the pools, and the parser state of f (NULL if none). */
struct http_mem;
struct http_conn;
const struct http_mem *app_http_ctx_mem(const struct app_http_ctx *x);
struct http_conn *app_http_conn_of(struct app_http_ctx *x, const struct flow *f);

/*
 * Formatters (out_eve_http.c), to every output with the type enabled.
 * flow_end: written at flow end (pkt_src "stream (flow timeout)").
 * esc: EVE_HTTP_ESC_MAX bytes of scratch. ext/hdrs force the extended
 * fields and the header arrays on (app_http_cfg.extended/dump_all_headers).
 */
#define EVE_HTTP_ESC_MAX (4u * 16384u + 16u)

void eve_emit_http(struct eve *e, const struct flow *f, const struct http_tx *tx, uint64_t ts_us,
                   bool flow_end, char *esc, bool ext, bool hdrs);
void eve_emit_http_file(struct eve *e, const struct flow *f, const struct http_tx *tx,
                        const struct http_file *file, uint64_t ts_us, bool flow_end, char *esc);
/*
 * The members of the `http` object other records carry (EveHttpAddMetadata:
 * the basic and extended fields) into j, an open object. Alerts, fileinfo.
 */
void eve_http_metadata(struct json_buf *j, const struct http_tx *tx, char *esc);
/* An applayer anomaly of tx_id; dir: direction of the packet it is logged with. */
void eve_emit_http_anomaly(struct eve *e, const struct flow *f, int dir, uint64_t tx_id,
                           const char *event, uint64_t ts_us, bool flow_end);

#endif /* SENSOR_APP_HTTP_H */
