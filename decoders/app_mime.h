/*
 * app_mime.h - Internet messages and MIME (RFC 5322 header fields and
 * folding, RFC 2045 transfer encodings, RFC 2046 multipart and
 * message/rfc822 nesting, RFC 2047 encoded words, RFC 2183
 * Content-Disposition, RFC 2231 parameter continuations and charsets) as
 * an incremental parser, with what Suricata 8 takes from a message
 * (rust/src/mime/smtp.rs, mime.rs): the top-level header fields, a file
 * per part that has a name, URLs in the text, anomaly events.
 *
 * The parser is fed the message bytes in pieces of any size (for SMTP:
 * the DATA content after dot-unstuffing, or the BDAT chunks) and reports
 * what it finds through hooks given with each call:
 *   header      a complete top-level header field (name, unfolded value)
 *   file_open   a part with a file name begins (name decoded to UTF-8)
 *   file_data   decoded bytes of that part (base64, quoted-printable or as is)
 *   file_close  the part ended (at its boundary, or at the end of the message)
 *   url         a URL found in text (or in a named part, as Suricata)
 *   body        every raw byte after the top-level header block (body MD5)
 *   event       an anomaly, once per line where it occurs (MIME_EV_*)
 * Hooks may be NULL. Nothing is allocated and nothing is kept of the
 * input: header lines are assembled in the state's own bounded buffers,
 * body bytes stream through.
 *
 * Caps: a header field is kept up to MIME_HDR_MAX bytes (the rest is
 * counted in mime_state.hdr_truncated), a physical header line up to
 * MIME_LINE_MAX, nested multiparts up to mime_cfg.max_depth (deeper ones
 * are parsed as opaque bodies and counted in depth_limited), boundaries
 * are compared on their first MIME_BOUNDARY_MAX bytes, a file name is
 * decoded into at most MIME_NAME_MAX bytes, a URL kept up to MIME_URL_MAX.
 *
 * Encoded words and RFC 2231 values are converted with iconv handles
 * opened at start-up (struct mime_charsets); an unknown charset leaves the
 * bytes as they are. Bytes that are not valid UTF-8 after conversion are
 * written as the four characters "\xNN", never dropped.
 *
 * Single thread: a state, and the charset table it is given, belong to
 * one worker.
 */
#ifndef APP_MIME_H
#define APP_MIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MIME_LINE_MAX     4096u /* bytes of one physical header line kept */
#define MIME_HDR_MAX      4096u /* bytes of one header field (name ':' value, folds) kept */
#define MIME_BOUNDARY_MAX 128u  /* bytes of a boundary compared (longer: prefix) */
#define MIME_DEPTH_MAX    16u   /* nested multiparts and messages, hard cap */
#define MIME_NAME_MAX     1024u /* bytes of a decoded file name */
#define MIME_URL_MAX      1024u /* bytes of a URL kept */
#define MIME_SCHEMES_MAX  8u    /* URL schemes looked for */
#define MIME_SCHEME_LEN   16u   /* bytes of a scheme including "://" */
#define MIME_OUT_BUF      512u  /* decoded bytes batched per file_data call */
#define MIME_CHARSET_NAME 48u   /* bytes of a charset name in the table */

/* Thresholds of Suricata's anomaly warnings (smtp.rs, mime.rs). */
#define MIME_WARN_LINE     998u /* RFC 5322 2.1.1 line length */
#define MIME_WARN_ENC_LINE 76u  /* RFC 2045 6.7/6.8 encoded line length */
#define MIME_WARN_HDR_NAME 75u
#define MIME_WARN_HDR_VAL  2000u
#define MIME_WARN_BOUNDARY 254u
#define MIME_WARN_FILENAME 255u

/* Anomalies, as Suricata's MIME_ANOM_* warnings (names in app_smtp.h). */
enum mime_event {
    MIME_EV_INVALID_BASE64 = 0,
    MIME_EV_INVALID_QP,
    MIME_EV_LONG_LINE,
    MIME_EV_LONG_ENC_LINE,
    MIME_EV_LONG_HEADER_NAME,
    MIME_EV_LONG_HEADER_VALUE,
    MIME_EV_LONG_BOUNDARY,
    MIME_EV_LONG_FILENAME,
    MIME_EV_COUNT
};

/*
 * Charset conversion handles, opened at start-up (mime_charsets_open) and
 * looked up by name, case-insensitively. One table per worker: an iconv
 * handle carries conversion state.
 */
struct mime_charset_name {
    char name[MIME_CHARSET_NAME]; /* upper case */
    uint32_t handle;              /* index into handles */
};

struct mime_charsets {
    struct mime_charset_name *names; /* sorted by name */
    uint32_t n_names;
    void **handles; /* iconv_t to UTF-8 */
    uint32_t n_handles;
};

/*
 * Open a handle to UTF-8 for every name (aliases of one charset share
 * one when alias_of[i] names it; NULL: each name its own). Names iconv
 * refuses are skipped. Start-up only; returns 0 or -1 (out of memory).
 */
int mime_charsets_open(struct mime_charsets *cs, const char *const *names,
                       const char *const *alias_of, uint32_t n);
void mime_charsets_close(struct mime_charsets *cs);

/* The handle for charset name (any case, "*lang" suffix ignored), NULL if none. */
void *mime_charset_find(const struct mime_charsets *cs, const uint8_t *name, uint32_t n);

/*
 * Convert n bytes in charset (NULL or unknown: taken as UTF-8) into out
 * (cap bytes) as UTF-8; bytes the charset rejects, and bytes that are not
 * UTF-8, are written as "\xNN". Returns the bytes written (output stops at
 * cap, never in the middle of a character or an escape). Worker.
 */
uint32_t mime_to_utf8(const struct mime_charsets *cs, const uint8_t *charset, uint32_t clen,
                      const uint8_t *in, uint32_t n, uint8_t *out, uint32_t cap);

/*
 * RFC 2047: decode the encoded words of a header value (adjacent words
 * joined, the white space between them dropped) into UTF-8 in out;
 * everything else is copied (invalid UTF-8 escaped). Returns bytes written.
 */
uint32_t mime_decode_words(const struct mime_charsets *cs, const uint8_t *in, uint32_t n,
                           uint8_t *out, uint32_t cap);

/*
 * The parameter `param` (ASCII, any case) of a Content-Type or
 * Content-Disposition value, decoded to UTF-8 in out: the RFC 2231 forms
 * (param*=charset'lang'%XX, param*0*= ... continuations) are preferred,
 * then param= (a token or a quoted string, RFC 2047 words decoded).
 * Returns the bytes written, or -1 when the parameter is absent. *raw_len
 * (may be NULL) receives the length of the value before decoding.
 */
int32_t mime_param(const struct mime_charsets *cs, const uint8_t *v, uint32_t n, const char *param,
                   uint8_t *out, uint32_t cap, uint32_t *raw_len);

struct mime_cfg {
    bool decode_base64;  /* decode-base64 (Suricata's default: yes) */
    bool decode_qp;      /* decode-quoted-printable (yes) */
    bool extract_urls;   /* extract-urls (yes) */
    bool log_url_scheme; /* log-url-scheme (no): keep "http://" in URLs */
    uint8_t max_depth;   /* nested multiparts and messages followed, <= MIME_DEPTH_MAX */
    uint8_t n_schemes;   /* extract-urls-schemes, each with "://" appended */
    uint8_t scheme_len[MIME_SCHEMES_MAX];
    uint8_t scheme[MIME_SCHEMES_MAX][MIME_SCHEME_LEN]; /* lower case */
    const struct mime_charsets *charsets;              /* NULL: names left as they are */
};

/* Suricata's defaults: decode both encodings, extract http:// URLs, depth 16. */
void mime_cfg_defaults(struct mime_cfg *c);
/* Add a URL scheme ("https"); false when the table is full or the name too long. */
bool mime_cfg_add_scheme(struct mime_cfg *c, const char *scheme);

/* What the parser reports; any member may be NULL. ctx is passed back. */
struct mime_hooks {
    void *ctx;
    void (*header)(void *ctx, const uint8_t *name, uint32_t nlen, const uint8_t *value,
                   uint32_t vlen);
    void (*file_open)(void *ctx, const uint8_t *name, uint32_t len);
    void (*file_data)(void *ctx, const uint8_t *p, uint32_t n);
    void (*file_close)(void *ctx, bool truncated);
    void (*url)(void *ctx, const uint8_t *p, uint32_t n);
    void (*body)(void *ctx, const uint8_t *p, uint32_t n);
    void (*event)(void *ctx, enum mime_event ev);
};

/* Transfer encodings of a part. */
enum mime_enc {
    MIME_ENC_PLAIN = 0, /* 7bit, 8bit, binary, anything unknown */
    MIME_ENC_BASE64,
    MIME_ENC_QP,
    MIME_ENC_COUNT
};

/* One multipart level: its delimiter "--" boundary. */
struct mime_boundary {
    uint8_t len; /* bytes in b, at most MIME_BOUNDARY_MAX + 2 */
    uint8_t b[MIME_BOUNDARY_MAX + 2];
};

/* Parser state of one message (internal; in the header so it can be embedded or pooled). */
struct mime_state {
    const struct mime_cfg *cfg;
    uint8_t state;           /* MS_* (app_mime.c) */
    uint8_t level;           /* entities entered: 0 = the top-level message */
    uint8_t depth;           /* boundaries on the stack */
    uint8_t enc;             /* enum mime_enc of the current part */
    bool text;               /* the current part is text (URLs are looked for) */
    bool file_open;          /* file_open was reported for the current part */
    bool top_done;           /* the top-level header block ended (body bytes go to the body hook) */
    bool in_headers_trunc;   /* the header line being read outgrew line[] */
    bool hdr_pending;        /* hdr[] holds a field that may still be folded */
    bool ct_seen, name_seen; /* the part had a Content-Type; its name was taken */
    bool encap;              /* Content-Type message/ *: headers follow the headers */
    bool hdr_cut;            /* the field in hdr[] was cut (counted once) */
    uint8_t cr;              /* a CR waits for the next byte (body, headers) */
    uint32_t line_len;       /* bytes of the physical line so far (anomalies) */
    uint32_t line_kept;      /* bytes of it in line[] (headers) */
    uint32_t hdr_len;        /* bytes in hdr[] */
    uint32_t hdr_name_len;   /* name part of hdr[] */
    /* body line start: bytes held while they may still be a delimiter */
    uint8_t hold_len;
    bool at_bol;        /* the next body byte starts a line */
    bool bol_stream;    /* the current line is known not to be a delimiter */
    bool delim_line;    /* the current line is a delimiter: skip to its end */
    uint8_t delim_idx;  /* which boundary matched */
    uint8_t delim_tail; /* bytes seen after the delimiter ("--" closes) */
    bool delim_close;
    uint8_t eol_len; /* plain parts: the previous line's EOL, held (not part of the file if a
                      * delimiter follows) */
    uint8_t eol[2];
    /* base64 quantum */
    uint8_t b64_n;
    uint8_t b64_q[4];
    bool b64_bad_line; /* an invalid quantum on this line (one event per line) */
    /* quoted-printable: 0 none, 1 after '=', 2 after '=' and one byte */
    uint8_t qp_st;
    uint8_t qp_c1;
    bool qp_bad_line;
    /* URL scanner */
    uint8_t url_match[MIME_SCHEMES_MAX]; /* bytes of each scheme matched */
    bool url_on;                         /* collecting a URL */
    uint8_t url_scheme;                  /* its scheme */
    uint32_t url_len;
    uint32_t url_total;
    /* decoded bytes waiting for file_data */
    uint32_t out_len;
    /* counters the caller may read */
    uint32_t hdr_truncated; /* header fields cut at MIME_HDR_MAX */
    uint32_t depth_limited; /* entities beyond max_depth */
    uint32_t urls_truncated;
    uint32_t name_len;       /* bytes in name[] */
    uint8_t bnd_pending_len; /* boundary of the part being read (pushed at its header end) */
    /* buffers: written before they are read (mime_init clears what precedes them) */
    struct mime_boundary bnd[MIME_DEPTH_MAX];
    uint8_t bnd_pending[MIME_BOUNDARY_MAX + 2];
    uint8_t name[MIME_NAME_MAX]; /* file name of the part being read, UTF-8 */
    uint8_t hold[MIME_BOUNDARY_MAX + 4];
    uint8_t out[MIME_OUT_BUF];
    uint8_t url[MIME_URL_MAX];
    uint8_t line[MIME_LINE_MAX];
    uint8_t hdr[MIME_HDR_MAX];
};

/* Start a message. cfg must outlive the state. */
void mime_init(struct mime_state *m, const struct mime_cfg *cfg);

/* n bytes of the message (p may be NULL when n is 0). Worker. */
void mime_parse(struct mime_state *m, const uint8_t *p, uint32_t n, const struct mime_hooks *h);

/*
 * The message ended: a line without its end is finished, an open file is
 * closed (truncated: the message was cut short, e.g. a gap or the end of
 * the connection; else closed as complete, as Suricata does at the end of
 * DATA even without a closing boundary).
 */
void mime_finish(struct mime_state *m, const struct mime_hooks *h, bool truncated);

#endif /* APP_MIME_H */
