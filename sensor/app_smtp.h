/*
 * app_smtp.h - SMTP in the sensor: a per-worker context holding a pool of
 * per-flow parser states (decoders/app_smtp.c) and the transaction, arena
 * and MIME pools they draw from, fed in-order stream bytes by the
 * app-layer dispatch (sensor/app_layer.c), writing EVE `smtp` (with the
 * `email` object), `fileinfo` (one per attachment, hashed as configured)
 * and applayer `anomaly` records as Suricata 8 does (out_eve_smtp.c).
 *
 * Records of what a direction's bytes did wait for the next packet of the
 * other direction, the one that acknowledges them: Suricata (IDS mode)
 * parses a direction's data when it is acknowledged and logs with that
 * packet, so the records carry its pcap_cnt. At flow end what waits is
 * written with pkt_src "stream (flow timeout)".
 *
 * Everything is allocated by app_smtp_ctx_create() at start-up: pools,
 * iconv handles for every charset iconv knows (read from the gconv
 * module configuration), and the hash contexts. The per-packet path takes
 * and returns pool objects only. A flow that finds the state pool empty is
 * not parsed (counted smtp.state_pool_empty).
 */
#ifndef SENSOR_APP_SMTP_H
#define SENSOR_APP_SMTP_H

#include <stdbool.h>
#include <stdint.h>

#include "../decoders/app_smtp.h"
#include "flow.h"
#include "json.h"
#include "nids.h"

struct eve;

struct app_smtp_cfg {
    struct smtp_parse_cfg parse; /* app-layer.protocols.smtp (and its mime keys) */
    bool body_md5;               /* mime.body-md5: MD5 of the message body for email.body_md5 */
    bool charsets;               /* open iconv handles for RFC 2047/2231 names (tests: off) */
    uint32_t flows;              /* per-flow states preallocated */
    uint32_t tx_pool;            /* transactions preallocated (all flows) */
    uint32_t chunks;             /* arena chunks (SMTP_CHUNK bytes) preallocated */
    uint32_t mimes;              /* messages parsed at the same time (MIME states) */
};

/* Suricata 8's defaults, pools sized for `flows`. */
void app_smtp_cfg_defaults(struct app_smtp_cfg *c);

struct app_smtp_ctx; /* one per worker: opaque */

/*
 * Allocate a context (start-up only). eve: where records go (the
 * worker's; NULL: none); ctr: the worker's counters (SMTP counters are
 * mirrored into it). NULL when out of memory.
 */
struct app_smtp_ctx *app_smtp_ctx_create(const struct app_smtp_cfg *cfg, struct eve *eve,
                                         uint64_t *ctr);
void app_smtp_ctx_destroy(struct app_smtp_ctx *x);

/*
 * In-order stream bytes of flow f in direction dir (APP_DIR_*), flags
 * APP_FLAG_GAP / APP_FLAG_EOF (data NULL for a gap of len bytes). Takes a
 * per-flow state on first use (f->app_state, index + 1). Returns the
 * bytes consumed: less than len only when the server accepted STARTTLS
 * mid-chunk; then the records are written, the state is released and the
 * flow is TLS (f->app_proto tls, f->app_proto_orig smtp), the rest is
 * handed back. p: the packet whose reassembly gives the bytes (NULL at
 * flow end); its records of the other direction are written first. Worker.
 */
uint32_t app_smtp_data(struct app_smtp_ctx *x, struct flow *f, int dir, const uint8_t *data,
                       uint32_t len, uint32_t flags, const struct pkt *p, uint64_t now_us);

/*
 * Packet p of flow f (direction dir) is through reassembly: records of
 * the other direction's bytes, which p acknowledges, are written with p's
 * time and pcap_cnt (all of them when p is an RST). Worker.
 */
void app_smtp_ack(struct app_smtp_ctx *x, struct flow *f, const struct pkt *p, int dir);

/*
 * Detection of a transaction (the signature engine's hook): called once
 * per transaction when it is complete, before its record is written, with
 * the connection (HELO) and the transaction (envelope, email fields,
 * files). flow_end: at the end of the flow.
 */
typedef void (*app_smtp_detect_fn)(void *ctx, struct flow *f, const struct smtp_conn *c,
                                   const struct smtp_tx *tx, bool flow_end);
void app_smtp_set_detect(struct app_smtp_ctx *x, app_smtp_detect_fn fn, void *ctx);

/* Flow ends: every transaction ends and is logged, the state goes back. */
void app_smtp_flow_end(struct app_smtp_ctx *x, struct flow *f, uint64_t now_us);

/* The context's counters: SMTP_CTR_COUNT values named by smtp_ctr_names. */
const uint64_t *app_smtp_ctx_counters(const struct app_smtp_ctx *x);

/* For tests and fuzzing: the pools, and the parser state of f (NULL if none). */
const struct smtp_mem *app_smtp_ctx_mem(const struct app_smtp_ctx *x);
struct smtp_conn *app_smtp_conn_of(struct app_smtp_ctx *x, const struct flow *f);

/*
 * Formatters (out_eve_smtp.c), to every output with the type enabled.
 * The packet that writes: its direction dir, time ts_us and pcap_cnt
 * (0: none; flow_end: written at flow end). esc: EVE_SMTP_ESC_MAX bytes of
 * scratch.
 */
#define EVE_SMTP_ESC_MAX (4u * SMTP_CHUNK + 16u)

struct eve_smtp_rec {
    const struct flow *f;
    const struct smtp_conn *c;
    const struct smtp_tx *tx;
    int dir;
    uint64_t ts_us;
    uint64_t pcap_cnt;
    bool flow_end;
    const uint8_t *subject_md5; /* MD5 of the Subject value (email.subject_md5), NULL: none */
    char *esc;
};

void eve_emit_smtp(struct eve *e, const struct eve_smtp_rec *r);
/*
 * The app-layer objects of an alert on transaction tx of connection c
 * (Suricata's EveSMTPAddMetadata, EveEmailAddMetadata): "smtp", and
 * "email" when a message was sent. esc: EVE_SMTP_ESC_MAX bytes.
 */
void eve_smtp_alert_app(struct json_buf *j, const struct smtp_conn *c, const struct smtp_tx *tx,
                        char *esc);
void eve_emit_smtp_file(struct eve *e, const struct eve_smtp_rec *r, const struct smtp_file *file);
void eve_emit_smtp_anomaly(struct eve *e, const struct eve_smtp_rec *r, const char *event);

/* True when some output logs that hash of file content (files.force-hash). */
bool eve_smtp_wants_md5(const struct eve *e);
bool eve_smtp_wants_sha1(const struct eve *e);
bool eve_smtp_wants_sha256(const struct eve *e);
/* True when some output logs email.subject_md5 (smtp `md5: [subject]`). */
bool eve_smtp_wants_subject_md5(const struct eve *e);

#endif /* SENSOR_APP_SMTP_H */
