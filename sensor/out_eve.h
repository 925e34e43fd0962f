/*
 * out_eve.h - EVE JSON outputs: one or more `eve-log` instances, each
 * with its own file and enabled event types, and the formatters that turn
 * flows, packets and counters into records laid out as Suricata 8 writes
 * them.
 *
 * Formatters build a whole record in the output's json_buf, then hand the
 * line to the writer. Records that do not fit the buffer are dropped and
 * counted, never written half.
 */
#ifndef OUT_EVE_H
#define OUT_EVE_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"
#include "flow.h"
#include "json.h"
#include "nids.h"
#include "out_eve_writer.h"

#define EVE_MAX_OUTPUTS 4
#define EVE_RECORD_MAX  (256u * 1024u)

enum eve_type {
    EVE_TYPE_ALERT = 0,
    EVE_TYPE_ANOMALY,
    EVE_TYPE_FLOW,
    EVE_TYPE_NETFLOW,
    EVE_TYPE_STATS,
    EVE_TYPE_DNS,
    EVE_TYPE_HTTP,
    EVE_TYPE_SMTP,
    EVE_TYPE_FILES,
    EVE_TYPE_COUNT
};

/* Options of one eve-log output; its file is writers[i] or channel index i. */
struct eve_output {
    bool types[EVE_TYPE_COUNT];
    bool anomaly_decode, anomaly_stream, anomaly_applayer;
    bool stats_totals, stats_threads, stats_deltas, stats_null_values;
    bool community_id;
    uint16_t community_id_seed;
};

struct eve_chan;

/*
 * A formatter context. Records go either straight to files (writers, in
 * the thread that owns them) or into a channel to the writer thread
 * (chan, in a worker). Exactly one of the two is set.
 */
struct eve {
    struct eve_output out[EVE_MAX_OUTPUTS];
    unsigned n_out;
    struct eve_writer *writers;
    struct eve_chan *chan;
    struct json_buf j;
    char *mem;         /* EVE_RECORD_MAX bytes behind j */
    uint64_t dropped;  /* records too large for the buffer */
    uint64_t records;  /* records written, all types */
};

/* Allocate the record buffer (start-up). Outputs and the sink are set by the caller. */
int eve_init(struct eve *e) NIDS_MUST_CHECK;
/* Free the record buffer; files and channels belong to their owner. */
void eve_fini(struct eve *e);
/* True when any output has type t enabled. */
bool eve_has_type(const struct eve *e, enum eve_type t);

/* Formatters, one per event type (out_eve_<type>.c). Worker thread. */
void eve_emit_flow(struct eve *e, const struct flow *f, uint64_t now_us);
void eve_emit_netflow(struct eve *e, const struct flow *f, uint64_t now_us);
void eve_emit_anomaly(struct eve *e, const struct pkt *p, const struct flow *f);
/* A stats record from summed counters; prev holds the last totals (deltas). */
void eve_emit_stats(struct eve *e, const uint64_t *ctr, const uint64_t *prev, uint64_t now_us,
                    uint64_t uptime_s);

/* Shared header pieces (out_eve_common.c). */
void eve_time_format(uint64_t ts_us, char *buf, size_t len);
void eve_addr_format(const uint8_t *addr, uint8_t ip_ver, char *buf, size_t len);
const char *eve_proto_name(uint8_t proto, char *buf, size_t len);
/* Header of a flow-based record; rev swaps src and dest (netflow replies). */
void eve_header_flow(struct json_buf *j, const struct flow *f, const char *event_type,
                     uint64_t now_us, bool rev);
/* Append the finished record in e->j to output o, or count it dropped. */
void eve_commit(struct eve *e, struct eve_output *o);
/* Community ID member, when the output has it enabled. */
void eve_add_community_id(struct json_buf *j, const struct eve_output *o, const struct flow *f);
/* The per-direction tcp flag booleans of Suricata's EveTcpFlags. */
void eve_tcp_flags(struct json_buf *j, uint8_t flags);

#endif /* OUT_EVE_H */
