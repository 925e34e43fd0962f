/*
 * cursor.h - the bounds-checked reader every decoder and parser uses to
 * touch wire bytes.
 *
 * The error is sticky: once a read fails, every later read returns 0 and
 * the position no longer moves, so a block of reads is checked once with
 * cur_ok(). Lengths are compared, never pointers (out-of-range pointer
 * arithmetic is undefined behaviour).
 */
#ifndef CURSOR_H
#define CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cursor {
    const uint8_t *pos;
    const uint8_t *end;
    uint8_t err;
};

static inline void
cur_init(struct cursor *c, const uint8_t *p, size_t len)
{
    c->pos = p;
    c->end = p + len;
    c->err = 0;
}

static inline size_t
cur_left(const struct cursor *c)
{
    return c->err ? 0 : (size_t)(c->end - c->pos);
}

static inline bool
cur_ok(const struct cursor *c)
{
    return c->err == 0;
}

/* Returns true when n bytes can be read; sets the sticky error otherwise. */
static inline bool
cur_need(struct cursor *c, size_t n)
{
    if (c->err || n > (size_t)(c->end - c->pos)) {
        c->err = 1;
        return false;
    }
    return true;
}

static inline uint8_t
cur_u8(struct cursor *c)
{
    if (!cur_need(c, 1))
        return 0;
    return *c->pos++;
}

static inline uint16_t
cur_be16(struct cursor *c)
{
    if (!cur_need(c, 2))
        return 0;
    uint16_t v = (uint16_t)((unsigned)c->pos[0] << 8 | c->pos[1]);
    c->pos += 2;
    return v;
}

static inline uint32_t
cur_be32(struct cursor *c)
{
    if (!cur_need(c, 4))
        return 0;
    uint32_t v = (uint32_t)c->pos[0] << 24 | (uint32_t)c->pos[1] << 16 |
                 (uint32_t)c->pos[2] << 8 | c->pos[3];
    c->pos += 4;
    return v;
}

static inline uint64_t
cur_be64(struct cursor *c)
{
    uint64_t hi = cur_be32(c);
    return hi << 32 | cur_be32(c);
}

static inline uint16_t
cur_le16(struct cursor *c)
{
    if (!cur_need(c, 2))
        return 0;
    uint16_t v = (uint16_t)((unsigned)c->pos[1] << 8 | c->pos[0]);
    c->pos += 2;
    return v;
}

static inline uint32_t
cur_le32(struct cursor *c)
{
    if (!cur_need(c, 4))
        return 0;
    uint32_t v = (uint32_t)c->pos[3] << 24 | (uint32_t)c->pos[2] << 16 |
                 (uint32_t)c->pos[1] << 8 | c->pos[0];
    c->pos += 4;
    return v;
}

/* Returns a pointer to the next n bytes and skips them, or NULL. */
static inline const uint8_t *
cur_bytes(struct cursor *c, size_t n)
{
    if (!cur_need(c, n))
        return NULL;
    const uint8_t *p = c->pos;
    c->pos += n;
    return p;
}

static inline void
cur_skip(struct cursor *c, size_t n)
{
    if (cur_need(c, n))
        c->pos += n;
}

/*
 * Carves the next n bytes off the parent into a child cursor (TLVs, IP
 * total length, DNS RDATA). On a short parent both get the error.
 */
static inline struct cursor
cur_sub(struct cursor *c, size_t n)
{
    struct cursor sub;

    if (!cur_need(c, n)) {
        sub.pos = sub.end = c->pos;
        sub.err = 1;
        return sub;
    }
    sub.pos = c->pos;
    sub.end = c->pos + n;
    sub.err = 0;
    c->pos += n;
    return sub;
}

/* Peeks at the byte at offset off without moving; 0 and no error if absent. */
static inline uint8_t
cur_peek_u8(const struct cursor *c, size_t off)
{
    if (c->err || off >= (size_t)(c->end - c->pos))
        return 0;
    return c->pos[off];
}

#endif /* CURSOR_H */
