/*
 * app_smtp.h - SMTP (RFC 5321) with PIPELINING (RFC 2920), CHUNKING/BDAT
 * (RFC 3030), STARTTLS (RFC 3207) and AUTH (RFC 4954) as an incremental,
 * resumable parser per connection, with the transaction model of
 * Suricata 8.0.7 (src/app-layer-smtp.c): a transaction is one mail
 * envelope and its message; it ends on the server's reply to the end of
 * the message (or to RSET, to an accepted HELO/EHLO that resets the
 * envelope, to STARTTLS), or when the connection ends.
 *
 * A connection (struct smtp_conn, one per flow) parses each direction in
 * order, in pieces of any size, and consumes every byte: a partial
 * command line lives in a few bytes of direction state plus, for the
 * commands whose value is kept, a scratch chunk of the connection;
 * message content streams through the MIME parser (decoders/app_mime.c). Client commands are
 * queued and matched to the server's replies in order (pipelining).
 *
 * Memory: nothing is allocated here. Transactions, arena chunks and MIME
 * states come from struct smtp_mem, fixed pools the caller allocates once
 * per worker (smtp_mem_size()). Strings of a transaction (MAIL FROM, RCPT
 * TO, header fields, attachment names, URLs) are {ptr,len} views into
 * its arena, made of SMTP_CHUNK-byte chunks; the HELO name lives in one
 * chunk owned by the connection. Views stay valid until the transaction
 * (the HELO: the connection) is released.
 *
 * Limits, each with a counter (smtp_ctr_names): command and reply lines
 * (SMTP_LINE_MAX, Suricata's SMTP_LINE_BUFFER_LIMIT: the line is cut,
 * TRUNCATED_LINE); transactions per connection (max_tx, Suricata's
 * max-tx: parsing stops); recipients, header fields and URLs kept per
 * transaction; files per transaction (SMTP_TX_FILES); pending commands
 * (SMTP_CMDQ, runs of ordinary commands share an entry); events per
 * transaction (SMTP_TX_EVENTS); a gap ends parsing (Suricata's SMTP
 * parser does not accept gaps).
 *
 * Credentials are never kept: after AUTH the client's SASL lines are
 * counted and skipped; only the mechanism name is noted.
 *
 * Single thread: a connection and its pools belong to one worker.
 */
#ifndef APP_SMTP_H
#define APP_SMTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "pool.h"
#include "app_mime.h"

#define SMTP_LINE_MAX  4096u /* bytes of a command or reply line (Suricata's limit) */
#define SMTP_CHUNK     4096u /* arena chunk; also the longest string kept */
#define SMTP_TX_CHUNKS 32    /* chunks per transaction arena */
#define SMTP_TX_EVENTS 32    /* parser events kept per transaction */
#define SMTP_TX_FILES  16    /* files followed per transaction */
#define SMTP_CMDQ      32    /* pending command entries per connection */
#define SMTP_LOOK      16    /* bytes of a command line read before it is classified */
#define SMTP_ARG_MAX   64    /* bytes of a BDAT argument or an AUTH mechanism kept */

/* Parser events, named as Suricata 8.0.7 names them (smtp_decoder_event_table). */
#define SMTP_EVENT_TABLE(X)                                                                        \
    X(INVALID_REPLY, "INVALID_REPLY")                                                              \
    X(UNABLE_TO_MATCH_REPLY, "UNABLE_TO_MATCH_REPLY_WITH_REQUEST")                                 \
    X(MAX_COMMAND_LINE_LEN_EXCEEDED, "MAX_COMMAND_LINE_LEN_EXCEEDED")                              \
    X(MAX_REPLY_LINE_LEN_EXCEEDED, "MAX_REPLY_LINE_LEN_EXCEEDED")                                  \
    X(INVALID_PIPELINED_SEQUENCE, "INVALID_PIPELINED_SEQUENCE")                                    \
    X(BDAT_CHUNK_LEN_EXCEEDED, "BDAT_CHUNK_LEN_EXCEEDED")                                          \
    X(NO_SERVER_WELCOME_MESSAGE, "NO_SERVER_WELCOME_MESSAGE")                                      \
    X(TLS_REJECTED, "TLS_REJECTED")                                                                \
    X(DATA_COMMAND_REJECTED, "DATA_COMMAND_REJECTED")                                              \
    X(FAILED_PROTOCOL_CHANGE, "FAILED_PROTOCOL_CHANGE")                                            \
    X(INVALID_BDAT, "INVALID_BDAT")                                                                \
    X(MIME_PARSE_FAILED, "MIME_PARSE_FAILED")                                                      \
    X(MIME_MALFORMED_MSG, "MIME_MALFORMED_MSG")                                                    \
    X(MIME_INVALID_BASE64, "MIME_INVALID_BASE64")                                                  \
    X(MIME_INVALID_QP, "MIME_INVALID_QP")                                                          \
    X(MIME_LONG_LINE, "MIME_LONG_LINE")                                                            \
    X(MIME_LONG_ENC_LINE, "MIME_LONG_ENC_LINE")                                                    \
    X(MIME_LONG_HEADER_NAME, "MIME_LONG_HEADER_NAME")                                              \
    X(MIME_LONG_HEADER_VALUE, "MIME_LONG_HEADER_VALUE")                                            \
    X(MIME_LONG_BOUNDARY, "MIME_LONG_BOUNDARY")                                                    \
    X(MIME_LONG_FILENAME, "MIME_LONG_FILENAME")                                                    \
    X(DUPLICATE_FIELDS, "DUPLICATE_FIELDS")                                                        \
    X(UNPARSABLE_CONTENT, "UNPARSABLE_CONTENT")                                                    \
    X(TRUNCATED_LINE, "TRUNCATED_LINE")

enum smtp_event {
#define SMTP_EVENT_ENUM(id, name) SMTP_EV_##id,
    SMTP_EVENT_TABLE(SMTP_EVENT_ENUM)
#undef SMTP_EVENT_ENUM
    SMTP_EV_COUNT
};

/* Counters of the parser and its pools (stable dotted names, smtp_ctr_names). */
#define SMTP_CTR_TABLE(X)                                                                          \
    X(FLOWS, "app_layer.flow.smtp")                                                                \
    X(TX, "app_layer.tx.smtp")                                                                     \
    X(ERR_GAP, "app_layer.error.smtp.gap")                                                         \
    X(ERR_PARSER, "app_layer.error.smtp.parser")                                                   \
    X(STATE_POOL_EMPTY, "smtp.state_pool_empty")                                                   \
    X(TX_POOL_EMPTY, "smtp.tx_pool_empty")                                                         \
    X(TX_LIMIT, "smtp.tx_limit")                                                                   \
    X(ARENA_EMPTY, "smtp.arena_pool_empty")                                                        \
    X(FIELD_TRUNCATED, "smtp.field_truncated")                                                     \
    X(LINE_LIMIT, "smtp.line_limit")                                                               \
    X(RCPT_LIMIT, "smtp.rcpt_limit")                                                               \
    X(HEADER_LIMIT, "smtp.header_limit")                                                           \
    X(URL_LIMIT, "smtp.url_limit")                                                                 \
    X(FILES_LIMIT, "smtp.files_limit")                                                             \
    X(CMDQ_FULL, "smtp.command_queue_full")                                                        \
    X(EVENTS_DROPPED, "smtp.events_dropped")                                                       \
    X(REPLY_UNMATCHED, "smtp.reply_unmatched")                                                     \
    X(MIME_POOL_EMPTY, "smtp.mime_pool_empty")                                                     \
    X(MIME_DEPTH_LIMIT, "smtp.mime_depth_limit")                                                   \
    X(MIME_HEADER_TRUNCATED, "smtp.mime_header_truncated")                                         \
    X(URL_TRUNCATED, "smtp.url_truncated")                                                         \
    X(STARTTLS, "smtp.starttls")                                                                   \
    X(SASL_LINES, "smtp.sasl_lines_skipped")

enum smtp_ctr {
#define SMTP_CTR_ENUM(id, name) SMTP_CTR_##id,
    SMTP_CTR_TABLE(SMTP_CTR_ENUM)
#undef SMTP_CTR_ENUM
    SMTP_CTR_COUNT
};

extern const char *const smtp_event_names[SMTP_EV_COUNT];
extern const char *const smtp_ctr_names[SMTP_CTR_COUNT];

/* Parser limits and options (Suricata's app-layer.protocols.smtp keys where it has them). */
struct smtp_parse_cfg {
    uint32_t max_tx;      /* transactions per connection (max-tx, 256) */
    uint32_t max_rcpt;    /* RCPT TO kept per transaction */
    uint32_t max_headers; /* top-level header fields kept per transaction */
    uint32_t max_urls;    /* URLs kept per transaction */
    bool decode_mime;     /* mime.decode-mime (yes) */
    struct mime_cfg mime; /* the other mime.* keys */
};

/* A view into an arena; ptr is NULL when absent. */
struct smtp_str {
    const uint8_t *ptr;
    uint32_t len;
};

struct smtp_strnode {
    struct smtp_str s;
    struct smtp_strnode *next;
};

struct smtp_strlist {
    struct smtp_strnode *head, *tail;
    uint32_t count;
};

struct smtp_hdr {
    struct smtp_str name, value;
    struct smtp_hdr *next;
};

struct smtp_hdrlist {
    struct smtp_hdr *head, *tail;
    uint32_t count;
};

enum smtp_file_state {
    SMTP_FILE_OPEN = 0,
    SMTP_FILE_CLOSED,
    SMTP_FILE_TRUNCATED,
    SMTP_FILE_STATE_COUNT
};

/* A MIME part with a name: what Suricata keeps as a File. */
struct smtp_file {
    struct smtp_str name; /* decoded, UTF-8 */
    uint64_t size;        /* decoded bytes */
    uint8_t state;        /* enum smtp_file_state */
    bool gaps;            /* bytes missing inside the file (never: a gap ends parsing) */
    bool logged;          /* the caller wrote its record */
    bool hashed;          /* the caller filled the digests below (closed files) */
    uint8_t md5[16], sha1[20], sha256[32];
};

/* Transaction flags (SMTP_TXF_*). */
#define SMTP_TXF_DATA     0x0001u /* DATA was sent (Suricata's is_data) */
#define SMTP_TXF_BDAT     0x0002u /* BDAT was sent */
#define SMTP_TXF_MIME     0x0004u /* a message was parsed: the `email` object is logged */
#define SMTP_TXF_MSG_DONE 0x0008u /* the end of the message was seen */
#define SMTP_TXF_COMPLETE 0x0010u /* the transaction ended */
#define SMTP_TXF_TRUNC    0x0020u /* a string was cut at SMTP_CHUNK bytes */
#define SMTP_TXF_BODY_MD5 0x0040u /* body_md5 is set (mime.body-md5) */

struct smtp_arena {
    uint32_t chunk[SMTP_TX_CHUNKS]; /* pool index */
    uint8_t n;
    uint32_t off; /* first free byte of the last chunk */
};

/*
 * One transaction. Readable by detection and output: mail_from, rcpt,
 * hdrs (top-level header fields of the message, in order), attachments
 * (decoded names, in order), urls (in the order found), files. The HELO
 * name belongs to the connection (smtp_conn_helo()).
 */
struct smtp_tx {
    uint32_t next;  /* live list of the connection: pool index + 1, 0 = end */
    uint64_t id;    /* Suricata's tx_id */
    uint32_t flags; /* SMTP_TXF_* */
    bool logged;    /* the caller wrote its smtp record */
    struct smtp_str mail_from;
    struct smtp_strlist rcpt;
    struct smtp_hdrlist hdrs;
    struct smtp_strlist attachments;
    struct smtp_strlist urls;
    struct smtp_file files[SMTP_TX_FILES];
    uint8_t n_files;
    uint8_t events[SMTP_TX_EVENTS];
    uint8_t n_events, n_events_logged;
    uint8_t body_md5[16];
    struct smtp_arena arena;
};

/* Fixed pools of one worker, memory owned by the caller; counters in ctr[SMTP_CTR_*]. */
struct smtp_mem {
    uint8_t *chunks;      /* n_chunks * SMTP_CHUNK bytes */
    uint32_t *chunk_next; /* free-list links (pool.h) */
    struct pool_list chunk_list;
    uint32_t n_chunks, chunk_used;
    struct smtp_tx *txs;
    struct pool_list tx_list; /* free ones linked by tx->next */
    uint32_t n_tx, tx_used;
    struct mime_state *mimes;
    uint32_t *mime_next;
    struct pool_list mime_list;
    uint32_t n_mime, mime_used;
    uint64_t ctr[SMTP_CTR_COUNT];
};

struct smtp_conn;

/*
 * What the caller wants to see of the message content (hashes): called
 * from inside smtp_parse(); any member may be NULL.
 */
struct smtp_hooks {
    void *ctx;
    void (*file_open)(void *ctx, struct smtp_conn *c, struct smtp_tx *tx, struct smtp_file *f);
    void (*file_data)(void *ctx, struct smtp_conn *c, struct smtp_tx *tx, struct smtp_file *f,
                      const uint8_t *p, uint32_t n);
    void (*file_close)(void *ctx, struct smtp_conn *c, struct smtp_tx *tx, struct smtp_file *f);
    /* raw message bytes after the top-level header block, then the end of the message */
    void (*body)(void *ctx, struct smtp_conn *c, struct smtp_tx *tx, const uint8_t *p, uint32_t n);
    void (*body_end)(void *ctx, struct smtp_conn *c, struct smtp_tx *tx);
};

/* A client command waiting for its reply (runs of ordinary commands share one). */
struct smtp_cmd {
    uint8_t kind;   /* SMTP_CMD_* (app_smtp.c) */
    uint8_t flags;  /* SMTP_CMDF_* (app_smtp.c) */
    uint16_t count; /* commands of this kind in the run */
    uint64_t tx_id; /* the transaction the command belongs to */
    bool has_tx;
};

/* Per-direction parser state (internal; in the header so it can be embedded). */
struct smtp_dir {
    uint8_t discard;  /* skipping the rest of a cut line */
    uint8_t look_len; /* bytes in look[] */
    uint8_t kind;     /* command of the line once classified (SMTP_CMD_*), 0 = not yet */
    uint8_t cap;      /* where the line's value goes (SMTP_CAP_*) */
    uint8_t cap_st;   /* value scanner state */
    uint8_t last;     /* the line's last byte (a CR before LF is not content) */
    bool cap_cut;     /* the value outgrew its buffer */
    uint8_t look[SMTP_LOOK];
    uint32_t line_len; /* bytes of the line so far, CRs included */
    uint32_t cap_skip; /* offset where the value may start */
    uint32_t cap_len;  /* bytes of the value kept */
};

/* Connection flags (SMTP_CONN_*). */
#define SMTP_CONN_ERROR       0x0001u /* parsing stopped (gap, limit, pool) */
#define SMTP_CONN_TLS         0x0002u /* STARTTLS accepted: what follows is TLS */
#define SMTP_CONN_FIRST_REPLY 0x0004u /* the server's greeting was seen */
#define SMTP_CONN_MULTILINE   0x0008u /* inside a multi-line reply */
#define SMTP_CONN_PIPELINING  0x0010u /* the server offered PIPELINING */
#define SMTP_CONN_EOF_TS      0x0020u
#define SMTP_CONN_EOF_TC      0x0040u

/* Client side modes (smtp_conn.mode). */
#define SMTP_MODE_CMD  0 /* command lines */
#define SMTP_MODE_DATA 1 /* DATA content, up to CRLF "." CRLF */
#define SMTP_MODE_BDAT 2 /* BDAT chunk, bdat_left octets */
#define SMTP_MODE_SASL 3 /* the next line answers an AUTH challenge */

struct smtp_conn {
    struct smtp_mem *mem;
    const struct smtp_parse_cfg *cfg;
    const struct smtp_hooks *hooks;
    struct smtp_dir d[2];      /* APP_DIR_TOSERVER, APP_DIR_TOCLIENT */
    uint32_t tx_head, tx_tail; /* live transactions by id: pool index + 1 */
    uint32_t n_live;
    uint64_t tx_cnt;  /* transactions created */
    uint32_t cur;     /* the transaction commands go to: pool index + 1, 0 = none */
    uint64_t last_id; /* id of the latest transaction (owner of a RSET/QUIT after it) */
    uint32_t flags;   /* SMTP_CONN_* */
    uint8_t mode;     /* SMTP_MODE_* */
    uint8_t dot;      /* DATA line start scanner */
    uint8_t q_head, q_len;
    struct smtp_cmd q[SMTP_CMDQ];
    uint64_t bdat_left;
    bool bdat_last;
    uint32_t mime;        /* MIME state of the message in progress: pool index + 1 */
    uint32_t mime_tx;     /* its transaction: pool index + 1 */
    uint8_t mime_file;    /* files[] index written, 0xff none */
    uint32_t cap_chunk;   /* pool index + 1 of the chunk a command's value is read into */
    uint32_t helo_chunk;  /* pool index + 1 of the chunk holding the HELO name */
    struct smtp_str helo; /* ptr NULL until a HELO/EHLO was parsed */
    uint8_t arg_len;
    uint8_t arg[SMTP_ARG_MAX]; /* BDAT argument being read */
    uint8_t auth_len;
    uint8_t auth_mech[SMTP_ARG_MAX]; /* mechanism of the last AUTH, never credentials */
};

/* Bytes of memory smtp_mem_init() needs for these pool sizes. */
size_t smtp_mem_size(uint32_t n_chunks, uint32_t n_tx, uint32_t n_mime);

/* Lay the pools out in mem (smtp_mem_size() bytes, malloc-aligned, owned by the caller). Start-up.
 */
void smtp_mem_init(struct smtp_mem *m, void *mem, uint32_t n_chunks, uint32_t n_tx,
                   uint32_t n_mime);

/* Suricata 8's defaults. */
void smtp_parse_cfg_defaults(struct smtp_parse_cfg *c);

/* Start a connection (no memory taken until bytes arrive). hooks may be NULL. */
void smtp_conn_init(struct smtp_conn *c, struct smtp_mem *m, const struct smtp_parse_cfg *cfg,
                    const struct smtp_hooks *hooks);

/*
 * Parse len bytes of direction dir (APP_DIR_*); data NULL with
 * APP_FLAG_GAP for len missing bytes (parsing stops, as Suricata);
 * APP_FLAG_EOF ends the direction (both ended: every transaction ends).
 * Consumes every byte (APP_OK), except when the server accepts STARTTLS:
 * consumed stops after that reply and SMTP_CONN_TLS is set (every
 * transaction has ended; nothing more is parsed). APP_ERROR once
 * SMTP_CONN_ERROR is set.
 */
struct app_res smtp_parse(struct smtp_conn *c, int dir, const uint8_t *data, uint32_t len,
                          uint32_t flags);

/* Flow end: a message in progress is cut (files TRUNCATED), every transaction ends. */
void smtp_conn_finish(struct smtp_conn *c);

/* Release every transaction and the connection's chunks and MIME state. */
void smtp_conn_fini(struct smtp_conn *c);

/* Live transactions in id order: first, then next (NULL at the end). */
struct smtp_tx *smtp_conn_tx_first(struct smtp_conn *c);
struct smtp_tx *smtp_conn_tx_next(struct smtp_conn *c, const struct smtp_tx *tx);

bool smtp_tx_is_complete(const struct smtp_tx *tx);

/* Unlink tx and return its arena and slot to the pools. */
void smtp_tx_release(struct smtp_conn *c, struct smtp_tx *tx);

/* First top-level header field named name (ASCII, any case), NULL if none. */
const struct smtp_hdr *smtp_tx_header(const struct smtp_tx *tx, const char *name);

/* The HELO/EHLO name of the connection (ptr NULL if none was seen). */
struct smtp_str smtp_conn_helo(const struct smtp_conn *c);

#endif /* APP_SMTP_H */
