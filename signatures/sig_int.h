/*
 * sig_int.h - internals shared by the files of the signature engine:
 * the compiled rule (struct sig), its keyword data, the buffer registry,
 * the rule groups and the per-worker context. Nothing outside
 * signatures/ includes this (the sensor uses sig.h).
 *
 * Life cycle: sig_load.c reads files and hands each rule to sig_parse.c,
 * which fills a struct sig_parse through the keyword tables
 * (sig_kw_*.c) and copies the result into the set's arena; sig_build.c
 * orders the rules and builds the groups and their multi-pattern
 * matchers (mpm.h); sig_match.c, sig_content.c, sig_state.c and
 * sig_thresh.c run them in a worker.
 */
#ifndef SIG_INT_H
#define SIG_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "app_detect.h"
#include "decode.h"
#include "mpm.h"
#include "out_eve.h"
#include "pool.h"
#include "sig.h"

/* ---- limits (each one reported as a parse error or counted) ---- */
#define SIG_RULE_MAX     65536 /* bytes of one rule, continuation lines joined */
#define SIG_PAT_MAX      4096  /* bytes of one content pattern */
#define SIG_CM_MAX       64    /* content/pcre keywords in one buffer list */
#define SIG_LISTS_MAX    16    /* buffer lists in one rule (payload included) */
#define SIG_PM_MAX       32    /* packet keywords in one rule */
#define SIG_POST_MAX     16    /* flowbits actions in one rule */
#define SIG_EV_MAX       8     /* app-layer events in one rule */
#define SIG_META_MAX     64    /* metadata key/value pairs in one rule */
#define SIG_FB_NAMES     8     /* names in one flowbits keyword (a|b|c) */
#define SIG_FLOWBITS_MAX 256   /* distinct flowbit names in a set */
#define SIG_VAR_DEPTH    16    /* $VAR inside $VAR */
#define SIG_STEPS_MAX    3000  /* content inspection steps per rule (Suricata's recursion limit) */
#define SIG_STAGE_MAX    4     /* transaction progress stages */
#define SIG_TX_TRACK     8     /* transactions tracked per flow (pipelining) */

/* Stream inspection windows (Suricata's raw reassembly, IDS mode). */
#define SIG_WIN_SIZE  4096 /* bytes held per flow direction */
#define SIG_WIN_KEEP  0    /* inspected bytes inspected again before new ones (Suricata: 0) */
#define SIG_WIN_CHUNK 2560 /* acknowledged bytes that trigger inspection (toserver-chunk-size) */

/* Directions as bits. */
#define SIG_DIR_TS 0x01
#define SIG_DIR_TC 0x02

enum sig_action {
    SIG_ACT_PASS = 0, /* precedence order (Suricata's action-order) */
    SIG_ACT_DROP,
    SIG_ACT_REJECT,
    SIG_ACT_ALERT,
    SIG_ACT_COUNT
};

/* What a rule needs to be inspected. */
enum sig_kind {
    SIG_KIND_IPONLY = 0, /* addresses only: first packet of each flow direction */
    SIG_KIND_PKT,        /* packet keywords, no payload: every packet */
    SIG_KIND_PAYLOAD,    /* content/pcre on packet payload or TCP stream */
    SIG_KIND_TX,         /* app-layer buffers or events: per transaction */
    SIG_KIND_COUNT
};

/* IP protocol classes the packet groups are kept per. */
enum sig_pclass {
    SIG_PCLASS_TCP = 0,
    SIG_PCLASS_UDP,
    SIG_PCLASS_ICMP,
    SIG_PCLASS_OTHER,
    SIG_PCLASS_COUNT
};

/* ---- address and port sets (sig_addr.c) ---- */
struct sig_iprange {
    uint8_t lo[16], hi[16]; /* big-endian; IPv4 in the first 4 bytes */
};

struct sig_ipset {
    struct sig_iprange *r4, *r6; /* sorted, disjoint */
    uint32_t n4, n6;
    bool any;
};

struct sig_portrange {
    uint16_t lo, hi;
};

struct sig_portset {
    struct sig_portrange *r; /* sorted, disjoint */
    uint32_t n;
    bool any;
};

/* ---- content and pcre (sig_kw_content.c, sig_kw_pcre.c, sig_content.c) ---- */
#define SIG_CF_NOCASE        0x0001u
#define SIG_CF_NEGATED       0x0002u
#define SIG_CF_OFFSET        0x0004u
#define SIG_CF_DEPTH         0x0008u
#define SIG_CF_DISTANCE      0x0010u
#define SIG_CF_WITHIN        0x0020u
#define SIG_CF_STARTSWITH    0x0040u
#define SIG_CF_ENDSWITH      0x0080u
#define SIG_CF_FAST_PATTERN  0x0100u
#define SIG_CF_FP_ONLY       0x0200u
#define SIG_CF_FP_CHOP       0x0400u
#define SIG_CF_RELATIVE_NEXT 0x0800u /* the next keyword of the list is relative to this one */
#define SIG_CF_RAWBYTES      0x1000u

#define SIG_PF_NEGATED       0x01u
#define SIG_PF_RELATIVE      0x02u
#define SIG_PF_RELATIVE_NEXT 0x04u
#define SIG_PF_NO_LIMIT      0x08u /* 'O': no match limit */

enum sig_cm_type {
    SIG_CM_CONTENT = 0,
    SIG_CM_PCRE,
    SIG_CM_COUNT
};

struct sig_content {
    const uint8_t *pat; /* lowercased when nocase */
    uint32_t len;
    uint32_t flags; /* SIG_CF_* */
    int32_t offset, depth, distance, within;
    uint16_t fp_off, fp_len; /* fast_pattern:off,len */
    const uint16_t *skip;    /* Horspool shifts (nocase only), 256 entries */
};

struct sig_pcre {
    pcre2_code *re;
    uint32_t flags; /* SIG_PF_* */
};

struct sig_cm {
    uint8_t type; /* enum sig_cm_type */
    union {
        struct sig_content c;
        struct sig_pcre r;
    } u;
};

/* One inspection list: the payload (buf 0) or an app-layer buffer. */
#define SIG_BUF_PAYLOAD 0

struct sig_list {
    uint16_t buf;
    uint16_t n;
    struct sig_cm *cm;
};

/* ---- packet keywords (sig_kw_ip.c, sig_kw_tcp.c, sig_kw_icmp.c, ...) ---- */
enum sig_op {
    SIG_OP_EQ = 0,
    SIG_OP_NE,
    SIG_OP_LT,
    SIG_OP_LE,
    SIG_OP_GT,
    SIG_OP_GE,
    SIG_OP_RANGE,  /* a < x < b, Suricata's "a<>b" */
    SIG_OP_NRANGE, /* not (a < x < b): "!a<>b" */
    SIG_OP_COUNT
};

struct sig_num {
    uint8_t op; /* enum sig_op */
    uint64_t a, b;
};

enum sig_pm_type {
    SIG_PM_TTL = 0,
    SIG_PM_TOS,
    SIG_PM_IPOPTS,
    SIG_PM_SAMEIP,
    SIG_PM_IP_PROTO,
    SIG_PM_FRAGBITS,
    SIG_PM_ID,
    SIG_PM_FLAGS,
    SIG_PM_SEQ,
    SIG_PM_ACK,
    SIG_PM_WINDOW,
    SIG_PM_ITYPE,
    SIG_PM_ICODE,
    SIG_PM_ICMP_ID,
    SIG_PM_ICMP_SEQ,
    SIG_PM_DSIZE,
    SIG_PM_DECODE_EVENT,
    SIG_PM_STREAM_EVENT,
    SIG_PM_FLOWBITS,
    SIG_PM_COUNT
};

enum sig_fb_cmd {
    SIG_FB_SET = 0,
    SIG_FB_UNSET,
    SIG_FB_TOGGLE,
    SIG_FB_ISSET,
    SIG_FB_ISNOTSET,
    SIG_FB_COUNT
};

struct sig_fbop {
    uint8_t cmd; /* enum sig_fb_cmd */
    uint8_t n;   /* names */
    bool all;    /* '&': every name; '|' (or one name): any name */
    uint16_t bit[SIG_FB_NAMES];
};

/* Modifiers of flags and fragbits. */
#define SIG_MOD_EXACT 0
#define SIG_MOD_PLUS  1 /* '+': these and any others */
#define SIG_MOD_ANY   2 /* '*': any of these */
#define SIG_MOD_NOT   3 /* '!': none of these */

#define SIG_EV_NEVER 0xffffu /* an event name Suricata knows and the sensor never raises */

struct sig_pm {
    uint8_t type; /* enum sig_pm_type */
    uint8_t mod;  /* SIG_MOD_* */
    bool neg;
    struct sig_num num; /* numeric keywords */
    uint32_t mask;      /* flags, fragbits, ipopts bits */
    uint32_t ignore;    /* flags: bits not looked at */
    uint16_t ev;        /* decode/stream event id, SIG_EV_NEVER */
    struct sig_fbop fb; /* flowbits isset/isnotset */
};

/* ---- transaction side: buffers and events (sig_buf*.c, sig_kw_event.c) ---- */
struct sig_bytes {
    const uint8_t *p;
    uint32_t len;
};

/* A transaction as the matcher sees it. */
struct sig_txv {
    uint8_t app_proto; /* APP_PROTO_* */
    const void *tx;    /* struct http_tx, struct dns_msg, struct sig_smtp_view */
    uint64_t tx_id;
    bool response; /* DNS: the message is a response */
};

/* What sig_txv.tx points to for SMTP: the transaction and its connection. */
struct sig_smtp_view {
    const struct smtp_conn *c;
    const struct smtp_tx *tx;
};

struct sig_thread;

/*
 * A sticky buffer (and its legacy content modifier). get() returns
 * instance idx (0, 1, ... for multi-buffers such as dns.query) of the
 * transaction side dir (APP_DIR_*), false when absent. Buffers that
 * need building write into the worker's scratch.
 */
struct sig_buf_def {
    const char *name;     /* sticky buffer keyword: "http.uri" */
    const char *alias;    /* second sticky name: "http_uri" style, or NULL */
    const char *modifier; /* legacy content modifier ("http_uri"), or NULL */
    uint8_t app_proto;
    uint8_t dirs;     /* SIG_DIR_* the buffer exists in */
    uint8_t stage[2]; /* progress stage at which it is complete, per direction */
    bool (*get)(struct sig_thread *t, const struct sig_txv *tx, int dir, uint32_t idx,
                struct sig_bytes *out);
};

/* Per-protocol buffer tables (sig_buf_http.c, sig_buf_dns.c, ...). */
extern const struct sig_buf_def sig_buf_http[];
extern const unsigned sig_buf_http_count;
extern const struct sig_buf_def sig_buf_dns[];
extern const unsigned sig_buf_dns_count;
extern const struct sig_buf_def sig_buf_smtp[];
extern const unsigned sig_buf_smtp_count;

/*
 * Scratch for buffers built from a transaction (sig_match.c): room for
 * *cap bytes; sig_scratch_put() keeps the first used of them until the
 * transaction's inspection ends. Counted when the scratch runs out.
 */
uint8_t *sig_scratch_get(struct sig_thread *t, uint32_t *cap);
void sig_scratch_put(struct sig_thread *t, uint32_t used);

/* The registry (sig_buf.c): ids 1..sig_buf_count(), 0 is the payload. */
unsigned sig_buf_count(void);
const struct sig_buf_def *sig_buf_get(uint16_t id);
/*
 * Buffer id of a sticky keyword (several protocols may share a name, like
 * file.name: the one of app_proto when given, else the first), or of a
 * legacy modifier name; 0 if none.
 */
uint16_t sig_buf_by_name(const char *name, uint8_t app_proto);
uint16_t sig_buf_by_modifier(const char *name);

/* App-layer event of a transaction. */
struct sig_appev {
    uint8_t app_proto;
    uint16_t id; /* enum http_event, enum sig_dns_event */
};

/* DNS events (Suricata's dns event names), computed from a parsed message. */
enum sig_dns_event {
    SIG_DNS_EV_MALFORMED_DATA = 0,
    SIG_DNS_EV_NOT_A_REQUEST,
    SIG_DNS_EV_NOT_A_RESPONSE,
    SIG_DNS_EV_Z_FLAG_SET,
    SIG_DNS_EV_INVALID_OPCODE,
    SIG_DNS_EV_NAME_TOO_LONG,
    SIG_DNS_EV_INFINITE_LOOP,
    SIG_DNS_EV_TOO_MANY_LABELS,
    SIG_DNS_EV_INVALID_ADDITIONALS,
    SIG_DNS_EV_INVALID_AUTHORITIES,
    SIG_DNS_EV_COUNT
};
extern const char *const sig_dns_event_names[SIG_DNS_EV_COUNT];
/* True when the transaction has event id (sig_buf_dns.c, sig_buf_http.c). */
bool sig_dns_has_event(const struct sig_txv *tx, uint16_t id);
bool sig_http_has_event(const struct sig_txv *tx, uint16_t id);
bool sig_smtp_has_event(const struct sig_txv *tx, uint16_t id);

/* Transaction stages: HTTP request headers, request done, response headers, response done. */
#define SIG_STAGE_HTTP_REQ_HDR  1
#define SIG_STAGE_HTTP_REQ_DONE 2
#define SIG_STAGE_HTTP_RES_HDR  3
#define SIG_STAGE_HTTP_RES_DONE 4
#define SIG_STAGE_DNS           1
#define SIG_STAGE_SMTP          1 /* the transaction is complete */

/* ---- thresholds (sig_kw_threshold.c, sig_thresh.c) ---- */
enum sig_thr_type {
    SIG_THR_LIMIT = 0,
    SIG_THR_THRESHOLD,
    SIG_THR_BOTH,
    SIG_THR_BACKOFF,
    SIG_THR_DETECTION_FILTER,
    SIG_THR_COUNT
};

enum sig_track {
    SIG_TRACK_SRC = 0,
    SIG_TRACK_DST,
    SIG_TRACK_RULE,
    SIG_TRACK_BOTH,
    SIG_TRACK_FLOW,
    SIG_TRACK_NONE,   /* suppress: every alert of the rule */
    SIG_TRACK_EITHER, /* suppress: source or destination in the list */
    SIG_TRACK_COUNT
};

struct sig_thr {
    uint8_t type;  /* enum sig_thr_type */
    uint8_t track; /* enum sig_track */
    uint32_t count, seconds, multiplier;
};

struct sig_suppress {
    uint8_t track; /* SIG_TRACK_NONE, _SRC, _DST, _EITHER */
    struct sig_ipset ips;
    struct sig_suppress *next;
};

/* ---- the rule ---- */
#define SIG_F_BIDIR       0x0001u /* <> */
#define SIG_F_NOALERT     0x0002u
#define SIG_F_TARGET_DST  0x0004u
#define SIG_F_TARGET_SRC  0x0008u
#define SIG_F_STREAM_ONLY 0x0010u /* tcp-stream, flow:only_stream */
#define SIG_F_PKT_ONLY    0x0020u /* tcp-pkt, flow:no_stream, dsize */
#define SIG_F_HAS_THR     0x0040u
#define SIG_F_PREFILTER   0x0080u

#define SIG_FLOW_TOSERVER    0x0001u
#define SIG_FLOW_TOCLIENT    0x0002u
#define SIG_FLOW_ESTABLISHED 0x0004u
#define SIG_FLOW_NOT_EST     0x0008u
#define SIG_FLOW_STATELESS   0x0010u
#define SIG_FLOW_ONLY_STREAM 0x0020u
#define SIG_FLOW_NO_STREAM   0x0040u
#define SIG_FLOW_ONLY_FRAG   0x0080u
#define SIG_FLOW_NO_FRAG     0x0100u

struct sig {
    uint32_t num; /* inspection order: index in db->sigs */
    uint32_t id, gid, rev;
    uint8_t action; /* enum sig_action */
    uint8_t prio;
    uint8_t kind;      /* enum sig_kind */
    uint8_t ip_ver;    /* 0 any, 4, 6 */
    uint8_t app_proto; /* APP_PROTO_*, 0 any */
    bool proto_any;
    uint8_t proto[32]; /* IP protocols, bitmap (when !proto_any) */
    uint8_t tx_dirs;   /* SIG_DIR_*: directions a transaction rule is inspected in */
    uint8_t tx_stage[2];
    uint8_t fb_rank; /* ordering: flowbits setters before readers */
    uint32_t flags;  /* SIG_F_* */
    uint16_t flow;   /* SIG_FLOW_* */
    struct sig_ipset src, dst;
    struct sig_portset sp, dp;
    struct sig_pm *pm;
    uint16_t n_pm;
    struct sig_list payload; /* n == 0: none */
    struct sig_list *bufs;
    uint16_t n_bufs;
    struct sig_appev *ev;
    uint16_t n_ev;
    struct sig_fbop *post;
    uint16_t n_post;
    struct sig_thr thr;
    uint32_t thr_idx; /* by_rule tracker index */
    struct sig_suppress *sup;
    int16_t fp_list; /* -1: no fast pattern; 0: payload; k: bufs[k - 1] */
    uint16_t fp_cm;
    const char *msg, *class_msg, *file;
    uint32_t line;
    struct eve_kv *meta; /* rule metadata (alert.metadata) */
    uint16_t n_meta;
};

/* ---- groups: what one prefilter pass selects from ---- */
struct sig_gmpm {
    uint16_t buf; /* inspection buffer the patterns are in */
    struct mpm *mpm;
};

struct sig_group {
    uint32_t *nonmpm; /* rule nums always inspected, ascending */
    uint32_t n_nonmpm;
    uint32_t n_sigs; /* rules in the group, with and without a pattern */
    struct sig_gmpm *mpms;
    uint16_t n_mpm;
    uint32_t max_fp; /* longest fast pattern: how far back a stream rescan must reach */
};

/* Classification table entry. */
struct sig_class {
    const char *name, *desc;
    uint8_t prio;
};

struct sig_arena_chunk;

struct sig_arena {
    struct sig_arena_chunk *head;
    size_t used; /* bytes handed out */
};

void *sig_arena_alloc(struct sig_arena *a, size_t n);
char *sig_arena_strdup(struct sig_arena *a, const char *s);
void *sig_arena_memdup(struct sig_arena *a, const void *p, size_t n);
void sig_arena_free(struct sig_arena *a);

struct sig_db {
    struct sig **sigs; /* by num */
    uint32_t n_sigs;
    uint32_t cap_sigs;
    struct sig_group iponly;
    struct sig_group pkt[SIG_PCLASS_COUNT];     /* packets outside a TCP stream */
    struct sig_group pktonly[SIG_PCLASS_COUNT]; /* packets whose payload went into the stream */
    struct sig_group stream;                    /* TCP stream windows */
    struct sig_group tx[APP_PROTO_COUNT][2][SIG_STAGE_MAX + 1]; /* [app_proto][dir][stage] */
    bool has_stream;                                            /* some rule inspects TCP streams */
    bool has_tx[APP_PROTO_COUNT];
    bool has_state; /* some rule needs per-flow state (flowbits, by_flow) */
    uint32_t n_flowbits;
    const char *flowbits[SIG_FLOWBITS_MAX];
    uint32_t n_thr_rule; /* by_rule trackers */
    struct sig_class *classes;
    uint32_t n_classes;
    uint32_t packet_alert_max;
    uint32_t pcre_match_limit, pcre_depth_limit;
    uint32_t max_captures;
    uint32_t flow_states, stream_windows, thr_entries; /* per-worker pool sizes */
    struct sig_arena arena;
    pcre2_code **pcres;
    uint32_t n_pcres, cap_pcres;
    struct mpm **mpms;
    uint32_t n_mpms, cap_mpms;
    uint32_t *dup_slots; /* gid:sid -> index in sigs + 1 (load only) */
    uint32_t n_dup_slots;
};

/* ---- parsing (sig_parse.c) ---- */
struct sig_parse_list {
    uint16_t buf;
    uint16_t n;
    struct sig_cm cm[SIG_CM_MAX];
};

struct cfg;

/* State of the rule being parsed; one per load, reset per rule. */
struct sig_parse {
    struct sig_db *db;
    struct cfg *cfg;  /* vars; NULL in tests (then $VARs fail) */
    struct sig *s;    /* scratch rule, copied into the arena when complete */
    const char *file; /* where the rule is (arena string), for duplicates' messages */
    uint32_t line;
    char err[512];
    struct sig_parse_list lists[SIG_LISTS_MAX]; /* [0] payload */
    uint16_t n_lists;
    int cur;     /* list contents go to (sticky buffer), 0 = payload */
    int last_l;  /* list of the last content/pcre, -1 none */
    int last_cm; /* its index */
    struct sig_pm pm[SIG_PM_MAX];
    uint16_t n_pm;
    struct sig_fbop post[SIG_POST_MAX];
    uint16_t n_post;
    struct sig_appev ev[SIG_EV_MAX];
    uint16_t n_ev;
    struct eve_kv meta[SIG_META_MAX];
    uint16_t n_meta;
    bool have_sid, have_thr, have_prio, have_class;
    bool skip;       /* `requires` not met: not loaded, not an error */
    bool pkt_only;   /* a packet-only keyword (dsize) */
    char *classtype; /* as written */
};

/* A keyword: setup parses its value (NULL when written without one). */
struct sig_kw {
    const char *name;
    int (*setup)(struct sig_parse *ps, const char *val);
};

/* Keyword tables, one per family file. */
extern const struct sig_kw sig_kw_meta[];
extern const unsigned sig_kw_meta_count;
extern const struct sig_kw sig_kw_content[];
extern const unsigned sig_kw_content_count;
extern const struct sig_kw sig_kw_pcre[];
extern const unsigned sig_kw_pcre_count;
extern const struct sig_kw sig_kw_flow[];
extern const unsigned sig_kw_flow_count;
extern const struct sig_kw sig_kw_flowbits[];
extern const unsigned sig_kw_flowbits_count;
extern const struct sig_kw sig_kw_ip[];
extern const unsigned sig_kw_ip_count;
extern const struct sig_kw sig_kw_tcp[];
extern const unsigned sig_kw_tcp_count;
extern const struct sig_kw sig_kw_icmp[];
extern const unsigned sig_kw_icmp_count;
extern const struct sig_kw sig_kw_dsize[];
extern const unsigned sig_kw_dsize_count;
extern const struct sig_kw sig_kw_threshold[];
extern const unsigned sig_kw_threshold_count;
extern const struct sig_kw sig_kw_buffer[];
extern const unsigned sig_kw_buffer_count;
extern const struct sig_kw sig_kw_event[];
extern const unsigned sig_kw_event_count;

/* Set up an empty set with its defaults (classification table included). */
int sig_db_init(struct sig_db *db) NIDS_MUST_CHECK;
/* Free everything of a set made by sig_db_init (not db itself). */
void sig_db_fini(struct sig_db *db);

/* A parse context for db (heap; NULL when out of memory). cfg may be NULL. */
struct sig_parse *sig_parse_create(struct sig_db *db, struct cfg *cfg);
void sig_parse_destroy(struct sig_parse *ps);

/*
 * Parse one rule (continuations joined, no comment) and add it to db.
 * Returns 0 (added), 1 (skipped: `requires` not met or duplicate replaced
 * by a newer rev), or a negative error with ps->err set.
 */
int sig_parse_rule(struct sig_parse *ps, const char *text) NIDS_MUST_CHECK;

/* Helpers for keyword files (sig_parse.c). Errors fill ps->err and return NIDS_EINVAL. */
int sig_perr(struct sig_parse *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Unquote a value ("..." with \" \; \\ escapes) into out (cap bytes, NUL-terminated). */
int sig_unquote(struct sig_parse *ps, const char *val, char *out, size_t cap);
/* A number with an optional operator (N, <N, >N, <=N, >=N, !N, N<>M, N-M), at most max. */
int sig_parse_num(struct sig_parse *ps, const char *kw, const char *val, uint64_t max,
                  struct sig_num *out);
/* Next item of *sp up to sep (NUL-terminated in place, blanks trimmed); NULL at the end. */
char *sig_split(char **sp, char sep);
/* An unsigned decimal (leading/trailing blanks allowed), at most max. */
int sig_parse_u64(struct sig_parse *ps, const char *kw, const char *val, uint64_t max,
                  uint64_t *out);
/*
 * flags/fragbits letters with an optional modifier ('!' '+' '*') into
 * pm->mask/mod; letters[i] sets bits[i]; '0' alone means "none set".
 */
int sig_parse_bitflags(struct sig_parse *ps, const char *kw, const char *val, const char *letters,
                       const uint32_t *bits, struct sig_pm *pm);
/* The last content of the rule, or NULL with ps->err set (kw names the modifier). */
struct sig_content *sig_parse_last_content(struct sig_parse *ps, const char *kw);
/* A packet keyword slot, or NULL with ps->err set. */
struct sig_pm *sig_parse_add_pm(struct sig_parse *ps, uint8_t type);
/* Index of flowbit name (added when new), or negative with ps->err set. */
int sig_parse_flowbit(struct sig_parse *ps, const char *name);
/* Switch contents to buffer id (sticky buffer), adding a list when new. */
int sig_parse_set_buffer(struct sig_parse *ps, uint16_t buf, const char *kw);
/* Register a compiled pcre with the set (freed with it). */
int sig_db_keep_pcre(struct sig_db *db, pcre2_code *re) NIDS_MUST_CHECK;
bool sig_num_match(const struct sig_num *n, uint64_t v);

/* ---- addresses and ports (sig_addr.c) ---- */
/* Parse an address expression (vars resolved through cfg) into out (arena). */
int sig_addr_parse(struct sig_parse *ps, const char *s, struct sig_ipset *out);
int sig_port_parse(struct sig_parse *ps, const char *s, struct sig_portset *out);
bool sig_ipset_has(const struct sig_ipset *set, uint8_t ip_ver, const uint8_t *addr);
bool sig_portset_has(const struct sig_portset *set, uint16_t port);

/* ---- classification (sig_class.c) ---- */
/* Load config-format text (file name for messages); entries replace ones of the same name. */
int sig_class_load_text(struct sig_db *db, const char *text, const char *file);
int sig_class_load_defaults(struct sig_db *db) NIDS_MUST_CHECK;
const struct sig_class *sig_class_find(const struct sig_db *db, const char *name);

/* ---- threshold.config (sig_kw_threshold.c) ---- */
int sig_threshold_file_load(struct sig_db *db, const char *path, struct cfg *cfg);

/*
 * A sticky buffer or legacy content modifier keyword (sig_kw_buffer.c):
 * *handled is false when name is neither.
 */
int sig_kw_buffer_any(struct sig_parse *ps, const char *name, const char *val, bool *handled);

/* Add a finished rule (arena copy) to the set; duplicates by gid:sid keep the higher rev. */
int sig_db_add(struct sig_db *db, struct sig *s, char *err, size_t errlen);

/* ---- build (sig_build.c) ---- */
/* Order the rules and build every group and matcher. */
int sig_db_build(struct sig_db *db, char *err, size_t errlen) NIDS_MUST_CHECK;

/* ---- the worker side (sig_thread.c, sig_state.c, sig_match.c, sig_alert.c) ---- */

/* What rules and alerts see of a packet: a real one, or the pseudo packet of a flow's end. */
enum sig_pkt_src {
    SIG_PKTSRC_WIRE = 0,
    SIG_PKTSRC_DEFRAG,
    SIG_PKTSRC_FLOW_END,
    SIG_PKTSRC_COUNT
};

struct sig_pview {
    const struct pkt *p; /* NULL for a pseudo packet */
    struct flow *f;
    int dir; /* FLOW_TOSERVER / FLOW_TOCLIENT; 0 without a flow */
    uint8_t ip_ver, proto;
    const uint8_t *src, *dst;
    uint16_t sp, dp;
    uint64_t ts_us, pcap_cnt;
    uint8_t pkt_src; /* enum sig_pkt_src */
};

/* One inspection: what a candidate rule is matched against. */
struct sig_ectx {
    const struct sig_pview *v;
    struct sig_fstate *st; /* the flow's detection state, or NULL */
    const uint8_t *pl;     /* payload: the packet's or a stream window; NULL none */
    uint32_t pl_len;
    uint32_t new_off; /* stream: a match must end past this (the rest was inspected) */
    bool stream;
    const struct sig_txv *tx; /* transaction rules */
    int tx_dir;               /* APP_DIR_* side the transaction is inspected in */
};

/* Per flow-table entry of the worker. */
struct sig_fslot {
    uint32_t state; /* detection state: pool index + 1, 0 none */
    uint8_t flags;  /* SIG_FS_* */
};

#define SIG_FS_IPONLY_TS 0x01u /* IP-only rules ran on the first packet to the server */
#define SIG_FS_IPONLY_TC 0x02u
#define SIG_FS_PASS      0x04u /* a pass rule matched: nothing more is inspected */
#define SIG_FS_NOSTATE   0x08u /* the state pool was empty for this flow */
#define SIG_FS_EST       0x10u /* TCP: the flow was established when the last packet ended */

struct sig_win {
    uint32_t next; /* free list: index + 1 */
    uint32_t base; /* TCP sequence number of data[0] */
    uint32_t len;  /* bytes held */
    uint32_t done; /* data[0..done) was inspected (kept in front of new data) */
    uint8_t data[SIG_WIN_SIZE];
};

struct sig_tstate { /* one threshold tracker */
    uint32_t count;
    uint32_t next; /* backoff: the count that alerts next */
    uint64_t start_us;
    bool used; /* a hit was seen */
};

struct sig_txtrack {
    uint64_t tx_id;
    uint16_t done; /* bit dir * 8 + stage: inspected */
    bool used;
};

struct sig_fstate {
    uint32_t next; /* free list: index + 1 */
    uint64_t bits[SIG_FLOWBITS_MAX / 64];
    struct sig_txtrack tx[SIG_TX_TRACK];
    uint32_t win[2];   /* stream windows per direction: index + 1 */
    uint32_t ack[2];   /* highest acknowledgement of direction d's bytes */
    uint8_t ack_known; /* bit d */
    uint8_t trigger;   /* bit d: inspect direction d's window at the next chance */
};

/* by_src / by_dst / by_both trackers (open addressing). */
struct sig_thr_ent {
    uint32_t sig;    /* rule num + 1, 0 free */
    uint8_t key[33]; /* address(es) and IP version */
    struct sig_tstate ts;
};

#define SIG_AF_TX     0x01u
#define SIG_AF_STREAM 0x02u

struct sig_alert {
    const struct sig *s;
    uint8_t flags; /* SIG_AF_* */
    struct sig_txv tx;
    const uint8_t *pl; /* payload logged: the stream bytes, or the packet's */
    uint32_t pl_len;
};

#define SIG_BCACHE 32 /* transaction buffers built and kept per inspection */

struct sig_bcache {
    uint16_t buf;
    uint8_t side;
    uint32_t idx;
    bool present;
    struct sig_bytes b;
};

struct sig_thread {
    const struct sig_db *db;
    struct eve *eve;
    uint64_t *ctr;
    struct mpm_scratch *ms;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    /* candidates: one bit per rule, and the words touched */
    uint64_t *cand;
    uint32_t *touched;
    uint32_t n_touched;
    /* alerts of the inspection being run */
    struct sig_alert *q;
    uint32_t nq, capq;
    /* per flow */
    const struct flow *flow_base;
    uint32_t flow_cap;
    struct sig_fslot *slots;
    struct sig_fstate *states; /* free ones linked by next (pool.h) */
    struct pool_list state_list;
    struct sig_win *wins;
    struct pool_list win_list;
    struct sig_thr_ent *thr_tab;
    uint32_t thr_mask;
    struct sig_tstate *rule_thr;
    /* the packet being processed */
    struct sig_pview cur;
    bool have_cur;
    uint8_t stream_add; /* bit d: the packet's payload went into direction d's stream */
    uint64_t seg_pool0; /* tcp.segment_from_pool before the packet */
    /* content inspection */
    uint32_t buffer_offset, pcre_start, steps, match_end;
    bool discontinue;
    /* transaction buffers */
    uint8_t *scratch;
    uint32_t scratch_cap, scratch_used;
    struct sig_bcache bc[SIG_BCACHE];
    uint32_t n_bc;
    char *out; /* EVE_ALERT_SCRATCH */
};

/* ---- content inspection (sig_content.c) ---- */
/* True when list l matches buf[0..len); t->match_end is where the last match ended. */
bool sig_list_match(struct sig_thread *t, const struct sig_list *l, const uint8_t *buf,
                    uint32_t len);

/* ---- per-flow state (sig_state.c) ---- */
struct sig_fslot *sig_slot(struct sig_thread *t, const struct flow *f);
/* The flow's state, taken from the pool when create and there is none (NULL: pool empty, counted).
 */
struct sig_fstate *sig_state_get(struct sig_thread *t, const struct flow *f, bool create);
void sig_state_release(struct sig_thread *t, const struct flow *f);
struct sig_win *sig_win_get(struct sig_thread *t, struct sig_fstate *st, int dir, bool create);

/* ---- thresholds (sig_thresh.c) ---- */
/* True when the alert of s on v may be written (thresholds, detection_filter, suppress). */
bool sig_thresh_allows(struct sig_thread *t, const struct sig *s, const struct sig_pview *v);

/* ---- matching and alerts (sig_match.c, sig_alert.c) ---- */
bool sig_eval(struct sig_thread *t, const struct sig *s, const struct sig_ectx *e);
/*
 * Inspect the transaction rules of app/dir/stage on tx of f (the current
 * packet's view, or the flow's pseudo packet at flow end).
 */
void sig_tx_inspect(struct sig_thread *t, struct flow *f, const struct sig_txv *tx, int dir,
                    unsigned stage, bool flow_end);
/* Queue an alert of s found in e (post-match actions done by the caller). */
void sig_alert_queue(struct sig_thread *t, const struct sig *s, const struct sig_ectx *e);
/* Order, filter and write the queued alerts, on view v. */
void sig_alert_flush(struct sig_thread *t, const struct sig_pview *v);

#endif /* SIG_INT_H */
