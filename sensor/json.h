/*
 * json.h - the one JSON writer: typed open/close/key/value calls into a
 * fixed-capacity buffer, with a state machine that refuses invalid
 * sequences and full RFC 8259 escaping.
 *
 * A write that does not fit sets `truncated` (the record is then unusable
 * and is dropped by its caller, never written half); a call out of sequence (a value without a key
 * inside an object, a close with nothing open) sets `bad`. Callers check
 * json_is_ok() once at the end. No allocation: the caller owns the memory.
 */
#ifndef JSON_H
#define JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH 32

struct json_buf {
    char *buf;
    size_t cap;
    size_t len;
    bool truncated;
    bool bad;
    uint8_t depth;
    char open[JSON_MAX_DEPTH];   /* '{' or '[' per level */
    bool first[JSON_MAX_DEPTH];  /* nothing written yet at this level */
};

/* Use mem[0..cap) as the buffer; the text is not NUL-terminated. */
void json_init(struct json_buf *j, char *mem, size_t cap);
/* Empty the buffer for the next record. */
void json_reset(struct json_buf *j);
/* True when the record is complete, fitted and well formed. */
bool json_is_ok(const struct json_buf *j);

/* Strict UTF-8 (RFC 3629, as Rust's str::from_utf8): no overlongs, surrogates or > U+10FFFF. */
bool json_is_utf8(const uint8_t *s, size_t n);

/* Open an object or array: key is NULL at top level or inside an array. */
void json_open_object(struct json_buf *j, const char *key);
void json_open_array(struct json_buf *j, const char *key);
void json_close(struct json_buf *j);

/* Members of an object (key required) or elements of an array (key NULL). */
void json_str(struct json_buf *j, const char *key, const char *s);
void json_strn(struct json_buf *j, const char *key, const uint8_t *s, size_t n);
void json_u64(struct json_buf *j, const char *key, uint64_t v);
void json_i64(struct json_buf *j, const char *key, int64_t v);
void json_bool(struct json_buf *j, const char *key, bool v);
void json_null(struct json_buf *j, const char *key);
/* A double with up to 6 decimals (no exponent, never NaN: NaN becomes null). */
void json_double(struct json_buf *j, const char *key, double v);

#endif /* JSON_H */
