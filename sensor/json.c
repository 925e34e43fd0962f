/*
 * json.c - JSON text writer (RFC 8259) with escaping of every control
 * byte as \u00XX and of every byte that is not valid UTF-8 as the
 * Latin-1 code point it would be (\u00XX), so no input byte is dropped
 * and the output is always valid UTF-8.
 */
#include "json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void
json_init(struct json_buf *j, char *mem, size_t cap)
{
    j->buf = mem;
    j->cap = cap;
    json_reset(j);
}

void
json_reset(struct json_buf *j)
{
    j->len = 0;
    j->truncated = false;
    j->bad = false;
    j->depth = 0;
}

bool
json_is_ok(const struct json_buf *j)
{
    return !j->truncated && !j->bad && j->depth == 0 && j->len > 0;
}

static bool
json_put(struct json_buf *j, const char *s, size_t n)
{
    if (n == 0)
        return !j->truncated;
    if (j->truncated || n > j->cap - j->len) {
        j->truncated = true;
        return false;
    }
    memcpy(j->buf + j->len, s, n);
    j->len += n;
    return true;
}

static void
json_putc(struct json_buf *j, char ch)
{
    json_put(j, &ch, 1);
}

/* Length of a valid UTF-8 sequence at s (RFC 3629), or 0 when invalid. */
static size_t
json_utf8_len(const uint8_t *s, size_t n)
{
    uint8_t b = s[0];
    size_t len, i;
    uint32_t cp;

    if (b < 0x80)
        return 1;
    if (b >= 0xc2 && b <= 0xdf) {
        len = 2;
        cp = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
        len = 3;
        cp = b & 0x0f;
    } else if (b >= 0xf0 && b <= 0xf4) {
        len = 4;
        cp = b & 0x07;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    /* Overlong forms, surrogates and code points past U+10FFFF. */
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

bool
json_is_utf8(const uint8_t *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        size_t len = json_utf8_len(s + i, n - i);
        if (len == 0)
            return false;
        i += len;
    }
    return true;
}

static void
json_put_escaped(struct json_buf *j, const uint8_t *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t i = 0, run = 0;

    json_putc(j, '"');
    if (n == 0) {
        /* An empty view may carry a NULL pointer: no arithmetic on it. */
        json_putc(j, '"');
        return;
    }
    while (i < n) {
        uint8_t b = s[i];
        /* Plain ASCII first: most of what is written. */
        if (b >= 0x20 && b < 0x80 && b != '"' && b != '\\') {
            i++;
            run++;
            continue;
        }
        size_t ulen = json_utf8_len(s + i, n - i);
        char esc[6] = {'\\', 'u', '0', '0', hex[b >> 4], hex[b & 0xf]};

        if (ulen >= 1 && b >= 0x20 && b != '"' && b != '\\') {
            i += ulen;
            run += ulen;
            continue;
        }
        json_put(j, (const char *)s + i - run, run);
        run = 0;
        switch (b) {
        case '"':
            json_put(j, "\\\"", 2);
            break;
        case '\\':
            json_put(j, "\\\\", 2);
            break;
        case '\n':
            json_put(j, "\\n", 2);
            break;
        case '\r':
            json_put(j, "\\r", 2);
            break;
        case '\t':
            json_put(j, "\\t", 2);
            break;
        case '\b':
            json_put(j, "\\b", 2);
            break;
        case '\f':
            json_put(j, "\\f", 2);
            break;
        default:
            json_put(j, esc, sizeof(esc));
            break;
        }
        i++;
    }
    json_put(j, (const char *)s + i - run, run);
    json_putc(j, '"');
}

/* Separator and key; refuses a key in an array or a missing key in an object. */
static bool
json_member(struct json_buf *j, const char *key)
{
    if (j->bad)
        return false;
    if (j->depth == 0) {
        if (key != NULL || j->len != 0) {
            j->bad = true;
            return false;
        }
        return true;
    }
    char kind = j->open[j->depth - 1];
    if ((kind == '{') != (key != NULL)) {
        j->bad = true;
        return false;
    }
    if (!j->first[j->depth - 1])
        json_putc(j, ',');
    j->first[j->depth - 1] = false;
    if (key != NULL) {
        json_put_escaped(j, (const uint8_t *)key, strlen(key));
        json_putc(j, ':');
    }
    return true;
}

static void
json_open(struct json_buf *j, const char *key, char kind)
{
    if (!json_member(j, key))
        return;
    if (j->depth >= JSON_MAX_DEPTH) {
        j->bad = true;
        return;
    }
    j->open[j->depth] = kind;
    j->first[j->depth] = true;
    j->depth++;
    json_putc(j, kind);
}

void
json_open_object(struct json_buf *j, const char *key)
{
    json_open(j, key, '{');
}

void
json_open_array(struct json_buf *j, const char *key)
{
    json_open(j, key, '[');
}

void
json_close(struct json_buf *j)
{
    if (j->bad)
        return;
    if (j->depth == 0) {
        j->bad = true;
        return;
    }
    j->depth--;
    json_putc(j, j->open[j->depth] == '{' ? '}' : ']');
}

void
json_strn(struct json_buf *j, const char *key, const uint8_t *s, size_t n)
{
    if (json_member(j, key))
        json_put_escaped(j, s, n);
}

void
json_str(struct json_buf *j, const char *key, const char *s)
{
    json_strn(j, key, (const uint8_t *)s, strlen(s));
}

/* Decimal digits of v into the end of tmp[24]; returns the first digit. */
static char *
json_u64_digits(uint64_t v, char tmp[24])
{
    char *p = tmp + 24;

    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    return p;
}

void
json_u64(struct json_buf *j, const char *key, uint64_t v)
{
    char tmp[24];
    char *p = json_u64_digits(v, tmp);

    if (json_member(j, key))
        json_put(j, p, (size_t)(tmp + 24 - p));
}

void
json_i64(struct json_buf *j, const char *key, int64_t v)
{
    char tmp[24];
    int n = snprintf(tmp, sizeof(tmp), "%lld", (long long)v);

    if (json_member(j, key))
        json_put(j, tmp, (size_t)n);
}

void
json_bool(struct json_buf *j, const char *key, bool v)
{
    if (json_member(j, key))
        json_put(j, v ? "true" : "false", v ? 4 : 5);
}

void
json_null(struct json_buf *j, const char *key)
{
    if (json_member(j, key))
        json_put(j, "null", 4);
}

void
json_double(struct json_buf *j, const char *key, double v)
{
    char tmp[64];
    int n;

    if (!isfinite(v)) {
        json_null(j, key);
        return;
    }
    n = snprintf(tmp, sizeof(tmp), "%.6f", v);
    if (n < 0 || (size_t)n >= sizeof(tmp)) {
        json_null(j, key);
        return;
    }
    /* Trim trailing zeros but keep one digit after the point. */
    while (n > 2 && tmp[n - 1] == '0' && tmp[n - 2] != '.')
        n--;
    if (json_member(j, key))
        json_put(j, tmp, (size_t)n);
}
