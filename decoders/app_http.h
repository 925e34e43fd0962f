/*
 * app_http.h - HTTP/1.x (RFC 9112; RFC 1945 for 0.9/1.0) as an
 * incremental, resumable parser per connection, with the transaction
 * model and the quirks of libhtp-rs as Suricata 8 uses it.
 *
 * A connection (struct http_conn, one per flow) parses the bytes of each
 * direction in order and in pieces of any size: every byte is consumed
 * (a partial line lives in the transaction's arena, a partial token in a
 * few bytes of direction state), so nothing is kept for it. Requests and
 * responses make transactions (struct http_tx): a request opens one, the
 * response is matched to the oldest one without a response (pipelining),
 * a response with no request opens one of its own.
 *
 * Memory: nothing is allocated here. Transactions and arena chunks come
 * from struct http_mem, fixed pools that the caller allocates once per
 * worker (http_mem_size() tells how much). Every string of a transaction
 * (request line, URI, header names and values, ...) is a {ptr,len} view
 * into the transaction's arena, which is made of chunks from those pools:
 * HTTP_SMALL_CHUNK bytes first, one HTTP_LARGE_CHUNK when a line outgrows
 * a small one. A line longer than a large chunk is kept cut at that size
 * (flag HTTP_TXF_TRUNC, counted); an empty pool leaves the string empty
 * (counted). Views stay valid until the transaction is released.
 *
 * Limits, each a config value with a counter: line length (max_line,
 * libhtp's field limit: REQUEST/RESPONSE_FIELD_TOO_LONG, parsing stops),
 * headers per message (REQUEST/RESPONSE_TOO_MANY_HEADERS, parsing stops),
 * live transactions per connection (parsing stops), body bytes followed
 * as a file per message (the file is TRUNCATED past it).
 *
 * Single thread: a connection and its pools belong to one worker.
 */
#ifndef APP_HTTP_H
#define APP_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "pool.h"

#define HTTP_SMALL_CHUNK  1024u
#define HTTP_LARGE_CHUNK  16384u
#define HTTP_TX_CHUNKS    24   /* chunks per transaction arena */
#define HTTP_TX_EVENTS    16   /* parser events kept per transaction */
#define HTTP_LOOKAHEAD    24   /* bytes a direction may hold to decide a line */
#define HTTP_MAX_MESSAGES 512  /* events per connection (Suricata's HTP_MAX_MESSAGES) */
#define HTTP_TX_FILES     4    /* files per transaction (multipart parts beyond are counted) */
#define HTTP_NAME_MAX     4096 /* file name bytes (Suricata's SC_FILENAME_MAX) */

/*
 * Parser events, named as Suricata 8 names them in `anomaly` records
 * (app-layer-htp.c http_decoder_event_table over libhtp-rs HtpLogCode).
 */
#define HTTP_EVENT_TABLE(X)                                                                        \
    X(REQUEST_FIELD_MISSING_COLON, "REQUEST_FIELD_MISSING_COLON")                                  \
    X(RESPONSE_FIELD_MISSING_COLON, "RESPONSE_FIELD_MISSING_COLON")                                \
    X(INVALID_REQUEST_CHUNK_LEN, "INVALID_REQUEST_CHUNK_LEN")                                      \
    X(INVALID_RESPONSE_CHUNK_LEN, "INVALID_RESPONSE_CHUNK_LEN")                                    \
    X(REQUEST_CHUNK_EXTENSION, "REQUEST_CHUNK_EXTENSION")                                          \
    X(RESPONSE_CHUNK_EXTENSION, "RESPONSE_CHUNK_EXTENSION")                                        \
    X(REQUEST_TOO_MANY_HEADERS, "REQUEST_TOO_MANY_HEADERS")                                        \
    X(RESPONSE_TOO_MANY_HEADERS, "RESPONSE_TOO_MANY_HEADERS")                                      \
    X(INVALID_TE_REQUEST, "INVALID_TRANSFER_ENCODING_VALUE_IN_REQUEST")                            \
    X(INVALID_CL_REQUEST, "INVALID_CONTENT_LENGTH_FIELD_IN_REQUEST")                               \
    X(INVALID_CL_RESPONSE, "INVALID_CONTENT_LENGTH_FIELD_IN_RESPONSE")                             \
    X(DUP_CL_REQUEST, "DUPLICATE_CONTENT_LENGTH_FIELD_IN_REQUEST")                                 \
    X(DUP_CL_RESPONSE, "DUPLICATE_CONTENT_LENGTH_FIELD_IN_RESPONSE")                               \
    X(CONTINUE_ALREADY_SEEN, "100_CONTINUE_ALREADY_SEEN")                                          \
    X(UNABLE_TO_MATCH_RESPONSE, "UNABLE_TO_MATCH_RESPONSE_TO_REQUEST")                             \
    X(MISSING_HOST_HEADER, "MISSING_HOST_HEADER")                                                  \
    X(HOST_HEADER_AMBIGUOUS, "HOST_HEADER_AMBIGUOUS")                                              \
    X(INVALID_REQUEST_FIELD_FOLDING, "INVALID_REQUEST_FIELD_FOLDING")                              \
    X(INVALID_RESPONSE_FIELD_FOLDING, "INVALID_RESPONSE_FIELD_FOLDING")                            \
    X(REQUEST_FIELD_TOO_LONG, "REQUEST_FIELD_TOO_LONG")                                            \
    X(RESPONSE_FIELD_TOO_LONG, "RESPONSE_FIELD_TOO_LONG")                                          \
    X(URI_HOST_INVALID, "REQUEST_URI_HOST_INVALID")                                                \
    X(HEADER_HOST_INVALID, "REQUEST_HEADER_HOST_INVALID")                                          \
    X(METHOD_DELIM_NON_COMPLIANT, "METHOD_DELIM_NON_COMPLIANT")                                    \
    X(URI_DELIM_NON_COMPLIANT, "URI_DELIM_NON_COMPLIANT")                                          \
    X(REQUEST_LINE_LEADING_WHITESPACE, "REQUEST_LINE_LEADING_WHITESPACE")                          \
    X(AUTH_UNRECOGNIZED, "REQUEST_AUTH_UNRECOGNIZED")                                              \
    X(REQUEST_HEADER_REPETITION, "REQUEST_HEADER_REPETITION")                                      \
    X(RESPONSE_HEADER_REPETITION, "RESPONSE_HEADER_REPETITION")                                    \
    X(RESPONSE_MULTIPART_BYTERANGES, "RESPONSE_MULTIPART_BYTERANGES")                              \
    X(RESPONSE_ABNORMAL_TE, "RESPONSE_ABNORMAL_TRANSFER_ENCODING")                                 \
    X(RESPONSE_CHUNKED_OLD_PROTO, "RESPONSE_CHUNKED_OLD_PROTO")                                    \
    X(RESPONSE_INVALID_PROTOCOL, "RESPONSE_INVALID_PROTOCOL")                                      \
    X(RESPONSE_INVALID_STATUS, "RESPONSE_INVALID_STATUS")                                          \
    X(REQUEST_LINE_INCOMPLETE, "REQUEST_LINE_INCOMPLETE")                                          \
    X(REQUEST_BODY_UNEXPECTED, "REQUEST_BODY_UNEXPECTED")                                          \
    X(RESPONSE_BODY_UNEXPECTED, "RESPONSE_BODY_UNEXPECTED")                                        \
    X(REQUEST_LINE_MISSING_PROTOCOL, "REQUEST_LINE_MISSING_PROTOCOL")                              \
    X(REQUEST_HEADER_INVALID, "REQUEST_HEADER_INVALID")                                            \
    X(RESPONSE_HEADER_NAME_NOT_TOKEN, "RESPONSE_HEADER_NAME_NOT_TOKEN")                            \
    X(REQUEST_INVALID_EMPTY_NAME, "REQUEST_INVALID_EMPTY_NAME")                                    \
    X(RESPONSE_INVALID_EMPTY_NAME, "RESPONSE_INVALID_EMPTY_NAME")                                  \
    X(REQUEST_INVALID_LWS_AFTER_NAME, "REQUEST_INVALID_LWS_AFTER_NAME")                            \
    X(RESPONSE_INVALID_LWS_AFTER_NAME, "RESPONSE_INVALID_LWS_AFTER_NAME")                          \
    X(CL_EXTRA_DATA_START, "CONTENT_LENGTH_EXTRA_DATA_START")                                      \
    X(CL_EXTRA_DATA_END, "CONTENT_LENGTH_EXTRA_DATA_END")                                          \
    X(SWITCHING_PROTO_WITH_CL, "SWITCHING_PROTO_WITH_CONTENT_LENGTH")                              \
    X(REQUEST_LINE_UNKNOWN_METHOD, "REQUEST_LINE_UNKNOWN_METHOD")                                  \
    X(UNKNOWN_METHOD_NO_PROTOCOL, "REQUEST_LINE_UNKNOWN_METHOD_NO_PROTOCOL")                       \
    X(UNKNOWN_METHOD_INVALID_PROTOCOL, "REQUEST_LINE_UNKNOWN_METHOD_INVALID_PROTOCOL")             \
    X(PROTOCOL_CONTAINS_EXTRA_DATA, "PROTOCOL_CONTAINS_EXTRA_DATA")                                \
    X(INVALID_GAP, "INVALID_GAP")                                                                  \
    X(RANGE_INVALID, "RANGE_INVALID")                                                              \
    X(FILE_NAME_TOO_LONG, "FILE_NAME_TOO_LONG")                                                    \
    X(TOO_MANY_WARNINGS, "TOO_MANY_WARNINGS")

enum http_event {
#define HTTP_EVENT_ENUM(id, name) HTTP_EV_##id,
    HTTP_EVENT_TABLE(HTTP_EVENT_ENUM)
#undef HTTP_EVENT_ENUM
    HTTP_EV_COUNT
};

/* Counters of the parser and its pools (stable dotted names, http_ctr_names). */
#define HTTP_CTR_TABLE(X)                                                                          \
    X(FLOWS, "app_layer.flow.http")                                                                \
    X(TX, "app_layer.tx.http")                                                                     \
    X(ERR_PARSER, "app_layer.error.http.parser")                                                   \
    X(GAP_IGNORED, "http.gap_ignored")                                                             \
    X(FILES_LIMIT, "http.files_limit")                                                             \
    X(STATE_POOL_EMPTY, "http.state_pool_empty")                                                   \
    X(TX_POOL_EMPTY, "http.tx_pool_empty")                                                         \
    X(TX_LIMIT, "http.tx_limit")                                                                   \
    X(ARENA_EMPTY, "http.arena_pool_empty")                                                        \
    X(FIELD_TRUNCATED, "http.field_truncated")                                                     \
    X(LINE_LIMIT, "http.line_limit")                                                               \
    X(HEADER_LIMIT, "http.header_limit")                                                           \
    X(BODY_LIMIT, "http.body_limit")                                                               \
    X(EVENTS_DROPPED, "http.events_dropped")                                                       \
    X(PROTO_CHANGE, "http.protocol_change")                                                        \
    X(TUNNEL, "http.tunnel")

enum http_ctr {
#define HTTP_CTR_ENUM(id, name) HTTP_CTR_##id,
    HTTP_CTR_TABLE(HTTP_CTR_ENUM)
#undef HTTP_CTR_ENUM
    HTTP_CTR_COUNT
};

extern const char *const http_event_names[HTTP_EV_COUNT];
extern const char *const http_ctr_names[HTTP_CTR_COUNT];

/* Parser limits (libhtp's defaults as Suricata 8 configures them). */
struct http_parse_cfg {
    uint32_t max_line;        /* bytes of one line incl. folds (libhtp field-limit 18000) */
    uint32_t max_headers;     /* headers per message (libhtp headers-limit 1024) */
    uint32_t max_tx;          /* live transactions per connection */
    uint32_t req_body_limit;  /* request body bytes followed as a file (100 KiB) */
    uint32_t resp_body_limit; /* response body bytes followed as a file (100 KiB) */
};

/* A view into a transaction's arena; ptr is NULL when absent. */
struct http_str {
    const uint8_t *ptr;
    uint32_t len;
};

/* Header flags. */
#define HTTP_HDR_REPEATED 0x01u

struct http_hdr {
    struct http_str name, value;
    struct http_hdr *next;
    uint32_t flags;
};

struct http_hdr_list {
    struct http_hdr *head, *tail;
    uint32_t count;
};

/* Progress of each side of a transaction, libhtp's order. */
enum http_progress {
    HTTP_PROG_NOT_STARTED = 0,
    HTTP_PROG_LINE,
    HTTP_PROG_HEADERS,
    HTTP_PROG_BODY,
    HTTP_PROG_TRAILER,
    HTTP_PROG_COMPLETE,
    HTTP_PROG_COUNT
};

enum http_method {
    HTTP_M_UNKNOWN = 0,
    HTTP_M_GET,
    HTTP_M_HEAD,
    HTTP_M_POST,
    HTTP_M_PUT,
    HTTP_M_CONNECT,
    HTTP_M_OTHER_KNOWN, /* one of libhtp's other methods (OPTIONS, PROPFIND, ...) */
    HTTP_M_COUNT
};

enum http_proto {
    HTTP_PROTO_UNKNOWN = 0,
    HTTP_PROTO_INVALID,
    HTTP_PROTO_0_9,
    HTTP_PROTO_1_0,
    HTTP_PROTO_1_1,
    HTTP_PROTO_COUNT
};

enum http_file_state {
    HTTP_FILE_NONE = 0, /* no body byte seen */
    HTTP_FILE_OPEN,
    HTTP_FILE_CLOSED,
    HTTP_FILE_TRUNCATED,
    HTTP_FILE_STATE_COUNT
};

/* The body of one direction, tracked as Suricata tracks a file. */
struct http_file {
    uint8_t dir;    /* APP_DIR_* of the body */
    uint8_t state;  /* enum http_file_state */
    bool gaps;      /* bytes missing inside the body */
    bool logged;    /* the caller wrote its record */
    bool has_range; /* Content-Range parsed: start/end below */
    uint64_t size;  /* bytes seen, gaps included */
    int64_t start, end;
    struct http_str name;
};

/* Transaction flags (HTTP_TXF_*). */
#define HTTP_TXF_HOST_MISSING   0x0001u
#define HTTP_TXF_HOST_AMBIGUOUS 0x0002u
#define HTTP_TXF_HOSTU_INVALID  0x0004u
#define HTTP_TXF_HOSTH_INVALID  0x0008u
#define HTTP_TXF_INVALID_TE     0x0010u
#define HTTP_TXF_INVALID_CL     0x0020u
#define HTTP_TXF_TRUNC          0x0040u /* a string was cut at its chunk size */
#define HTTP_TXF_REQ_GAP        0x0080u
#define HTTP_TXF_RESP_GAP       0x0100u
#define HTTP_TXF_FIELD_INVALID  0x0200u /* warn-once keys, shared by both sides as libhtp */
#define HTTP_TXF_FOLDING        0x0400u
#define HTTP_TXF_UNPARSEABLE    0x0800u
#define HTTP_TXF_TOO_MANY_HDRS  0x1000u
#define HTTP_TXF_MULTIPART      0x2000u /* multipart/form-data request body */
#define HTTP_TXF_CONNECT_TUNNEL 0x4000u /* CONNECT answered 2xx */

struct http_arena {
    uint32_t chunk[HTTP_TX_CHUNKS]; /* pool index, HTTP_CHUNK_LARGE set for large chunks */
    uint8_t n;
    struct {
        uint8_t slot; /* chunk[] entry the direction writes to, 0xff = none */
        uint32_t off; /* first free byte in it */
    } cur[2];
};

struct http_tx {
    uint32_t next;       /* live list of the connection: pool index + 1, 0 = end */
    uint64_t id;         /* Suricata's tx_id */
    uint8_t progress[2]; /* enum http_progress per APP_DIR_* */
    uint8_t method_num;  /* enum http_method */
    uint8_t req_proto;   /* enum http_proto */
    uint8_t resp_proto;
    bool is_09;
    bool seen_100;
    bool logged;        /* the caller wrote its http record */
    uint32_t flags;     /* HTTP_TXF_* */
    int32_t status_num; /* 100..999, -1 invalid, 0 none */
    int32_t port;       /* request port (URI, else Host), -1 none */
    struct http_str method, uri, protocol, path, hostname;
    struct http_str resp_protocol, status, message;
    struct http_hdr_list hdrs[2];
    uint16_t reps[2];        /* header repetitions, capped at 64 as libhtp */
    uint64_t message_len[2]; /* body bytes on the wire (libhtp message_len) */
    int64_t req_cl;          /* request Content-Length, -1 none */
    uint8_t req_te;          /* body coding of the request */
    uint64_t body_seen[2];   /* body bytes counted against the body limit */
    struct http_file files[HTTP_TX_FILES];
    uint8_t n_files;
    uint8_t cur_file[2];      /* files[] index being written per direction, 0xff none */
    bool file_done[2];        /* the direction's body file was opened once */
    struct http_str boundary; /* multipart delimiter: CRLF "--" boundary */
    struct http_str mp_name;  /* file name of the multipart part being read */
    uint8_t events[HTTP_TX_EVENTS];
    uint8_t n_events, n_events_logged;
    struct http_arena arena;
};

/*
 * Fixed pools of one worker, memory owned by the caller. The parser takes
 * and returns objects; counters are in ctr[HTTP_CTR_*].
 */
#define HTTP_CHUNK_LARGE 0x80000000u

struct http_mem {
    uint8_t *small;       /* n_small * HTTP_SMALL_CHUNK bytes */
    uint32_t *small_next; /* free-list links (pool.h) */
    struct pool_list small_list;
    uint32_t n_small, small_used;
    uint8_t *large; /* n_large * HTTP_LARGE_CHUNK bytes */
    uint32_t *large_next;
    struct pool_list large_list;
    uint32_t n_large, large_used;
    struct http_tx *txs; /* n_tx; free ones linked by tx->next */
    struct pool_list tx_list;
    uint32_t n_tx, tx_used;
    uint64_t ctr[HTTP_CTR_COUNT];
};

/* Per-direction parser state (internal; in the header so it can be embedded). */
struct http_dir {
    uint8_t state;       /* request or response state enum (app_http.c) */
    uint8_t cr;          /* a CR ended the last line (response side swallows a LF) */
    uint8_t fold;        /* header-line sub-state */
    uint8_t trunc;       /* the line outgrew its storage */
    uint32_t line_len;   /* bytes of the line being assembled (all of them) */
    uint32_t line_kept;  /* bytes of it stored */
    uint32_t line_cap;   /* room for it in the arena chunk */
    uint8_t *line;       /* its first byte in the arena, NULL when none */
    uint64_t left;       /* body bytes left (Content-Length, chunk) */
    uint64_t chunk_len;  /* chunk-size being read */
    uint8_t chunk_flags; /* chunk-size line scanner state */
    uint8_t look_len;    /* bytes held in look[] */
    uint8_t look[HTTP_LOOKAHEAD];
    uint64_t idx;      /* transaction id this side works on */
    uint32_t mp_state; /* multipart scanner (request side) */
    uint32_t mp_match;
};

/* Connection flags. */
#define HTTP_CONN_ERROR        0x01u /* a fatal parse error: nothing more is parsed */
#define HTTP_CONN_TUNNEL       0x02u /* CONNECT/101 tunnel: nothing more is parsed */
#define HTTP_CONN_PROTO_CHANGE 0x04u /* CONNECT 2xx on the first tx: give the rest back */
#define HTTP_CONN_CLOSED_TS    0x08u
#define HTTP_CONN_CLOSED_TC    0x10u

struct http_conn {
    struct http_mem *mem;
    const struct http_parse_cfg *cfg;
    struct http_dir d[2];      /* APP_DIR_TOSERVER, APP_DIR_TOCLIENT */
    uint32_t tx_head, tx_tail; /* live transactions by id: pool index + 1 */
    uint32_t n_live;
    uint64_t tx_cnt;   /* transactions created */
    uint32_t messages; /* events raised, capped at HTTP_MAX_MESSAGES */
    uint8_t flags;     /* HTTP_CONN_* */
};

/* Bytes of memory http_mem_init() needs for these pool sizes. */
size_t http_mem_size(uint32_t n_small, uint32_t n_large, uint32_t n_tx);

/*
 * Lay the pools out in mem (http_mem_size() bytes, suitably aligned, owned
 * by the caller). Start-up only.
 */
void http_mem_init(struct http_mem *m, void *mem, uint32_t n_small, uint32_t n_large,
                   uint32_t n_tx);

/* Limits as Suricata 8 configures libhtp by default. */
void http_parse_cfg_defaults(struct http_parse_cfg *c);

/* Start a connection (no memory taken until bytes arrive). */
void http_conn_init(struct http_conn *c, struct http_mem *m, const struct http_parse_cfg *cfg);

/*
 * Parse len bytes of direction dir (APP_DIR_*); data NULL with
 * APP_FLAG_GAP for len missing bytes; APP_FLAG_EOF ends the direction
 * (an EOF to the client closes both, as Suricata's htp_connp_close).
 * Consumes every byte (status APP_OK), except after a CONNECT answered
 * 2xx on the first transaction: then consumed stops where the tunnel
 * begins and HTTP_CONN_PROTO_CHANGE is set. APP_ERROR once the connection
 * is in error (HTTP_CONN_ERROR: nothing more is parsed).
 */
struct app_res http_parse(struct http_conn *c, int dir, const uint8_t *data, uint32_t len,
                          uint32_t flags);

/* Flow end: close both directions, files still open become TRUNCATED. */
void http_conn_finish(struct http_conn *c);

/* Release every transaction (their arenas go back to the pools). */
void http_conn_fini(struct http_conn *c);

/* Live transactions in id order: first, then next (NULL at the end). */
struct http_tx *http_conn_tx_first(struct http_conn *c);
struct http_tx *http_conn_tx_next(struct http_conn *c, const struct http_tx *tx);

/* Both sides complete. */
bool http_tx_is_complete(const struct http_tx *tx);

/* Unlink tx and return its arena and slot to the pools. */
void http_tx_release(struct http_conn *c, struct http_tx *tx);

/* First header of side dir named name (ASCII, any case), NULL if none. */
const struct http_hdr *http_tx_header(const struct http_tx *tx, int dir, const char *name);

/*
 * Content-Range "bytes S-E/L" (Suricata's parser: a unit, then "*\/L" or
 * "S-E/L" or "S-E/\*"; -1 for absent parts). Returns true when it parses.
 */
bool http_parse_content_range(const uint8_t *s, uint32_t n, int64_t *start, int64_t *end,
                              int64_t *size);

#endif /* APP_HTTP_H */
