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

/*
 * eve-log `dns` options (out_eve_dns.c), in Suricata's flag layout
 * (output-json-dns.c, rust/src/dns/log.rs): bits 0 and 1 requests and
 * responses, bits 2-59 and 62 the record types of `types:`, 60 and 61 the
 * `formats:`. All bits set (the default) also logs types with no bit.
 */
#define EVE_DNS_REQUESTS        (1ull << 0)
#define EVE_DNS_RESPONSES       (1ull << 1)
#define EVE_DNS_FORMAT_GROUPED  (1ull << 60)
#define EVE_DNS_FORMAT_DETAILED (1ull << 61)
#define EVE_DNS_FORMATS         (EVE_DNS_FORMAT_GROUPED | EVE_DNS_FORMAT_DETAILED)
#define EVE_DNS_ALL_RRTYPES     (~(EVE_DNS_REQUESTS | EVE_DNS_RESPONSES | EVE_DNS_FORMATS))
#define EVE_DNS_ESC_MAX         (4u * 65535u) /* escape buffer: 4 bytes out per byte in */

struct eve_dns_cfg {
    uint64_t flags;  /* EVE_DNS_* */
    uint8_t version; /* record layout: 2 or 3 (the default) */
};

/*
 * eve-log `http` options (out_eve_http.c), Suricata's output-json-http.c
 * flags. Zero is Suricata's shipped configuration (`extended: yes`, no
 * header dump); `- http` with no options clears extended, as in Suricata.
 */
struct eve_http_cfg {
    bool no_extended; /* LOG_HTTP_EXTENDED off: basic fields only */
    bool dump_req;    /* dump-all-headers: request or both */
    bool dump_resp;   /* dump-all-headers: response or both */
};

/*
 * eve-log `alert` options (out_eve_alert.c), Suricata's output-json-alert.c
 * flags. eve_alert_cfg_defaults() gives its defaults: rule metadata, flow
 * and app-layer objects on, payload and packet off.
 */
struct eve_alert_cfg {
    bool payload_b64;       /* payload: base64 of the payload */
    bool payload_printable; /* payload-printable */
    bool packet;            /* packet: base64 of the whole frame */
    bool rule_metadata;     /* metadata.rule.metadata: alert.metadata */
    bool flow;              /* metadata.flow: the flow object */
    bool app_layer;         /* metadata.app-layer: the http/dns object */
    uint32_t payload_max;   /* payload-buffer-size: bytes of stream payload logged */
};

/*
 * eve-log `smtp` options (out_eve_smtp.c), Suricata's
 * output-json-email-common.c: `extended` adds the fields marked extended
 * in eve_email_fields, `custom` names fields (bit i: eve_email_fields[i]),
 * `md5: [body, subject]` adds email.body_md5 / email.subject_md5.
 */
struct eve_smtp_cfg {
    bool extended;
    uint32_t custom;
    bool md5_body, md5_subject;
};

/* eve-log `files` options: `force-hash: [md5, sha1, sha256]`. */
struct eve_files_cfg {
    bool md5, sha1, sha256;
};

/* The `custom` bit of an email field ("reply_to" or its header name "reply-to"), 0 if none. */
uint32_t eve_email_field_bit(const char *name);

/* Options of one eve-log output; its file is writers[i] or channel index i. */
struct eve_output {
    bool types[EVE_TYPE_COUNT];
    bool anomaly_decode, anomaly_stream, anomaly_applayer;
    bool stats_totals, stats_threads, stats_deltas, stats_null_values;
    bool community_id;
    uint16_t community_id_seed;
    struct eve_dns_cfg dns;
    struct eve_http_cfg http;
    struct eve_alert_cfg alert;
    struct eve_smtp_cfg smtp;
    struct eve_files_cfg files;
};

struct eve_chan;

/* Appends members to a `flow` record (an open top-level object in j). Worker thread. */
typedef void (*eve_flow_extra_fn)(void *ctx, struct json_buf *j, const struct flow *f);

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
    eve_flow_extra_fn flow_extra; /* more `flow` record members (nDPI: app_ndpi.c), or NULL */
    void *flow_extra_ctx;
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

/*
 * `dns` records of one parsed DNS message m, the payload of packet p of
 * flow f (response: parsed in the to-client direction; tx_id: the flow's
 * transaction number), for every output with dns enabled, each with its
 * options. esc: EVE_DNS_ESC_MAX bytes of scratch owned by the caller.
 * Worker thread (out_eve_dns.c).
 */
struct dns_msg;
void eve_emit_dns(struct eve *e, const struct pkt *p, const struct flow *f, const struct dns_msg *m,
                  bool response, uint64_t tx_id, char *esc);
/*
 * DNS over TCP: the `dns` records of message m of flow f, parsed when
 * packet p (either direction) acknowledged it, as Suricata's loggers run
 * on the packet that makes acknowledged data reach the parser: addresses
 * in the message's direction (response: server first), p's time and
 * pcap_cnt. p is NULL at flow end: time ts_us, pkt_src "stream (flow
 * timeout)". Worker thread (out_eve_dns.c).
 */
void eve_emit_dns_stream(struct eve *e, const struct pkt *p, const struct flow *f,
                         const struct dns_msg *m, bool response, uint64_t tx_id, uint64_t ts_us,
                         char *esc);
/* The applayer anomaly of such a message: on p as any packet anomaly, or from the flow. */
void eve_emit_dns_stream_anomaly(struct eve *e, const struct pkt *p, const struct flow *f,
                                 bool response, const char *event, uint64_t tx_id, uint64_t ts_us);
/* The `dns` object of a v3 record of m into j (an open object). */
void eve_dns_v3(struct json_buf *j, uint64_t flags, const struct dns_msg *m, bool response,
                uint64_t tx_id, char *esc);
/* True when a v3 record of m is written under these flags (any query type enabled). */
bool eve_dns_is_logged(uint64_t flags, const struct dns_msg *m);
/* Suricata's defaults for `- dns` with no options. */
void eve_dns_cfg_defaults(struct eve_dns_cfg *c);
/* The flag of a `types:` entry ("aaaa", any case), 0 if it names no type. */
uint64_t eve_dns_type_flag(const char *name);
/*
 * An `anomaly` record of type applayer for an event of transaction tx_id
 * (layer proto_parser, as Suricata's tx anomaly logger), to outputs with
 * anomaly applayer enabled. Worker thread (out_eve_anomaly.c).
 */
void eve_emit_anomaly_applayer(struct eve *e, const struct pkt *p, const struct flow *f,
                               const char *app_proto, const char *event, uint64_t tx_id);

/*
 * One `alert` record (out_eve_alert.c), laid out as Suricata 8's
 * AlertJson(): header of the packet (or of the stream pseudo packet at
 * flow end), tx_id, alert{}, the transaction's app-layer object,
 * app_proto, direction, flow{}, payload/stream, packet. Every field is
 * filled by the signature engine (signatures/sig_alert.c).
 */
enum eve_alert_app {
    EVE_ALERT_APP_NONE = 0,
    EVE_ALERT_APP_HTTP, /* app_tx: struct http_tx */
    EVE_ALERT_APP_DNS,  /* app_tx: struct dns_msg */
    EVE_ALERT_APP_SMTP, /* app_tx: struct smtp_tx, app_conn: its struct smtp_conn */
    EVE_ALERT_APP_COUNT
};

struct eve_kv {
    const char *k, *v;
};

struct eve_alert {
    /* header */
    uint64_t ts_us, pcap_cnt;   /* pcap_cnt 0: none (pseudo packet) */
    const struct flow *f;       /* NULL: no flow */
    const char *pkt_src;        /* "wire/pcap", "defrag", "stream (flow timeout)" */
    uint8_t ip_ver, proto;
    const uint8_t *src, *dst;   /* as the packet carries them */
    uint16_t sp, dp;
    bool icmp;                  /* icmp_type/icmp_code present */
    uint8_t icmp_type, icmp_code;
    uint8_t vlan_idx;
    uint16_t vlan_id[DEC_MAX_VLAN];
    int dir;                    /* FLOW_TOSERVER / FLOW_TOCLIENT (with a flow) */
    /* alert{} */
    const char *action, *msg, *category;
    uint32_t gid, sid, rev, severity;
    uint8_t target;             /* 0 none, 1 the destination is the target, 2 the source */
    const struct eve_kv *meta;  /* rule metadata, in rule order */
    unsigned n_meta;
    /* transaction */
    bool has_tx;
    uint64_t tx_id;
    uint8_t app_kind;           /* enum eve_alert_app */
    const void *app_tx;
    const void *app_conn;
    bool dns_response;
    /* payload (the packet's, or the stream bytes inspected) and packet */
    const uint8_t *payload;
    uint32_t payload_len;
    bool stream;                /* payload is stream data (alert "stream": 1) */
    const uint8_t *packet;      /* whole frame, NULL for a pseudo packet */
    uint32_t packet_len;
    int linktype;
};

/* Bytes of scratch eve_emit_alert() needs (escapes, base64). */
#define EVE_ALERT_SCRATCH (512u * 1024u)

/* Suricata's defaults for `- alert`. */
void eve_alert_cfg_defaults(struct eve_alert_cfg *c);

/* The record of a, to every output with alert on. scratch: EVE_ALERT_SCRATCH bytes. Worker. */
void eve_emit_alert(struct eve *e, const struct eve_alert *a, char *scratch);

/* Shared header pieces (out_eve_common.c). */
/* Header of a packet-based record (addresses as on the packet). */
void eve_header_packet(struct json_buf *j, const struct pkt *p, const struct flow *f,
                       const char *event_type);
void eve_time_format(uint64_t ts_us, char *buf, size_t len);
void eve_addr_format(const uint8_t *addr, uint8_t ip_ver, char *buf, size_t len);
const char *eve_proto_name(uint8_t proto, char *buf, size_t len);
/* Header of a flow-based record; rev swaps src and dest (netflow replies). */
void eve_header_flow(struct json_buf *j, const struct flow *f, const char *event_type,
                     uint64_t now_us, bool rev);
/* Header of a record of flow f's stream (app layer): the packet that wrote it
 * (pcap_cnt 0: none), rev: server side first, its "pkt_src". */
void eve_header_stream(struct json_buf *j, const struct flow *f, const char *event_type,
                       uint64_t ts_us, uint64_t pcap_cnt, bool rev, const char *pkt_src);
/* Append the finished record in e->j to output o, or count it dropped. */
void eve_commit(struct eve *e, struct eve_output *o);
/* Community ID member, when the output has it enabled. */
void eve_add_community_id(struct json_buf *j, const struct eve_output *o, const struct flow *f);
/* The per-direction tcp flag booleans of Suricata's EveTcpFlags. */
void eve_tcp_flags(struct json_buf *j, uint8_t flags);

#endif /* OUT_EVE_H */
