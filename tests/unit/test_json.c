/*
 * test_json.c - unit tests for sensor/json.c, the one JSON writer.
 *
 * JSON cannot be parsed back here, so every test compares the exact text.
 * Buffers are exact-size heap blocks, so ASan catches any write past cap.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../sensor/json.c"

#define BIG 4096

struct jfx {
    struct json_buf j;
    char *mem; /* exactly cap bytes */
    char text[BIG + 1];
};

static int
jfx_setup(void **state)
{
    struct jfx *f = calloc(1, sizeof(*f));

    if (f == NULL)
        return -1;
    f->mem = malloc(BIG);
    if (f->mem == NULL) {
        free(f);
        return -1;
    }
    json_init(&f->j, f->mem, BIG);
    *state = f;
    return 0;
}

static int
jfx_teardown(void **state)
{
    struct jfx *f = *state;

    free(f->mem);
    free(f);
    return 0;
}

/* The buffer as a C string (the writer does not NUL-terminate). */
static const char *
txt(struct jfx *f)
{
    assert_true(f->j.len <= BIG);
    memcpy(f->text, f->j.buf, f->j.len);
    f->text[f->j.len] = '\0';
    return f->text;
}

/* One string value in an array: the escaped form of bytes s[0..n). */
static const char *
esc(struct jfx *f, const void *s, size_t n)
{
    json_reset(&f->j);
    json_open_array(&f->j, NULL);
    json_strn(&f->j, NULL, (const uint8_t *)s, n);
    json_close(&f->j);
    assert_true(json_is_ok(&f->j));
    return txt(f);
}

static void
test_init_state(void **state)
{
    struct jfx *f = *state;

    assert_int_equal(f->j.len, 0);
    assert_false(f->j.truncated);
    assert_false(f->j.bad);
    assert_int_equal(f->j.depth, 0);
    /* nothing written is not a record */
    assert_false(json_is_ok(&f->j));
}

static void
test_empty_containers(void **state)
{
    struct jfx *f = *state;

    json_open_object(&f->j, NULL);
    json_close(&f->j);
    assert_true(json_is_ok(&f->j));
    assert_string_equal(txt(f), "{}");

    json_reset(&f->j);
    json_open_array(&f->j, NULL);
    json_close(&f->j);
    assert_true(json_is_ok(&f->j));
    assert_string_equal(txt(f), "[]");
}

static void
test_every_value_type(void **state)
{
    struct jfx *f = *state;

    json_open_object(&f->j, NULL);
    json_str(&f->j, "s", "text");
    json_strn(&f->j, "sn", (const uint8_t *)"abcdef", 3);
    json_u64(&f->j, "u0", 0);
    json_u64(&f->j, "umax", UINT64_MAX);
    json_i64(&f->j, "i", -42);
    json_i64(&f->j, "imin", INT64_MIN);
    json_i64(&f->j, "imax", INT64_MAX);
    json_bool(&f->j, "t", true);
    json_bool(&f->j, "f", false);
    json_null(&f->j, "n");
    json_double(&f->j, "d", 1.5);
    json_close(&f->j);
    assert_true(json_is_ok(&f->j));
    assert_string_equal(txt(f), "{\"s\":\"text\",\"sn\":\"abc\",\"u0\":0,"
                                "\"umax\":18446744073709551615,\"i\":-42,"
                                "\"imin\":-9223372036854775808,\"imax\":9223372036854775807,"
                                "\"t\":true,\"f\":false,\"n\":null,\"d\":1.5}");
}

static void
test_doubles(void **state)
{
    struct jfx *f = *state;

    json_open_array(&f->j, NULL);
    json_double(&f->j, NULL, 0.0);           /* 0.000000 -> keeps one decimal */
    json_double(&f->j, NULL, 2.0);           /* 2.0 */
    json_double(&f->j, NULL, -0.25);         /* trailing zeros trimmed */
    json_double(&f->j, NULL, 1.0 / 3.0);     /* six decimals */
    json_double(&f->j, NULL, 123456789.125); /* no exponent */
    json_double(&f->j, NULL, 1e-7);          /* rounds to 0.0 */
    json_double(&f->j, NULL, NAN);           /* NaN -> null */
    json_double(&f->j, NULL, INFINITY);      /* +inf -> null */
    json_double(&f->j, NULL, -INFINITY);     /* -inf -> null */
    json_double(&f->j, NULL, 1e300);         /* 307 characters do not fit: null */
    json_close(&f->j);
    assert_true(json_is_ok(&f->j));
    assert_string_equal(txt(f), "[0.0,2.0,-0.25,0.333333,123456789.125,0.0,null,null,null,null]");
}

static void
test_nesting(void **state)
{
    struct jfx *f = *state;

    json_open_object(&f->j, NULL);
    json_open_array(&f->j, "a");
    json_u64(&f->j, NULL, 1);
    json_open_object(&f->j, NULL);
    json_open_array(&f->j, "b");
    json_close(&f->j);
    json_str(&f->j, "c", "d");
    json_close(&f->j);
    json_open_array(&f->j, NULL);
    json_null(&f->j, NULL);
    json_bool(&f->j, NULL, true);
    json_close(&f->j);
    json_close(&f->j);
    json_open_object(&f->j, "e");
    json_open_object(&f->j, "f");
    json_i64(&f->j, "g", -1);
    json_close(&f->j);
    json_close(&f->j);
    assert_int_equal(f->j.depth, 1);
    assert_false(json_is_ok(&f->j)); /* still open */
    json_close(&f->j);
    assert_true(json_is_ok(&f->j));
    assert_string_equal(txt(f),
                        "{\"a\":[1,{\"b\":[],\"c\":\"d\"},[null,true]],\"e\":{\"f\":{\"g\":-1}}}");
}

static void
test_top_level_scalar(void **state)
{
    struct jfx *f = *state;

    json_u64(&f->j, NULL, 7);
    assert_true(json_is_ok(&f->j));
    assert_string_equal(txt(f), "7");
    json_reset(&f->j);
    json_str(&f->j, NULL, "x");
    assert_true(json_is_ok(&f->j));
    assert_string_equal(txt(f), "\"x\"");
}

static void
test_max_depth(void **state)
{
    struct jfx *f = *state;
    unsigned i;

    for (i = 0; i < JSON_MAX_DEPTH; i++)
        json_open_array(&f->j, NULL);
    assert_false(f->j.bad);
    assert_int_equal(f->j.depth, JSON_MAX_DEPTH);
    /* one level more than JSON_MAX_DEPTH is refused */
    json_open_array(&f->j, NULL);
    assert_true(f->j.bad);
    assert_int_equal(f->j.depth, JSON_MAX_DEPTH);
    assert_false(json_is_ok(&f->j));

    json_reset(&f->j);
    for (i = 0; i < JSON_MAX_DEPTH; i++)
        json_open_object(&f->j, i ? "k" : NULL);
    for (i = 0; i < JSON_MAX_DEPTH; i++)
        json_close(&f->j);
    assert_true(json_is_ok(&f->j));
    assert_int_equal(f->j.len, 1 + (JSON_MAX_DEPTH - 1) * 5 + JSON_MAX_DEPTH);
}

static void
test_escape_each_control_byte(void **state)
{
    struct jfx *f = *state;
    char want[32];
    unsigned b;

    for (b = 0; b < 0x20; b++) {
        uint8_t in = (uint8_t)b;
        switch (b) {
        case '\b':
            snprintf(want, sizeof(want), "[\"\\b\"]");
            break;
        case '\t':
            snprintf(want, sizeof(want), "[\"\\t\"]");
            break;
        case '\n':
            snprintf(want, sizeof(want), "[\"\\n\"]");
            break;
        case '\f':
            snprintf(want, sizeof(want), "[\"\\f\"]");
            break;
        case '\r':
            snprintf(want, sizeof(want), "[\"\\r\"]");
            break;
        default:
            snprintf(want, sizeof(want), "[\"\\u%04x\"]", b);
            break;
        }
        assert_string_equal(esc(f, &in, 1), want);
    }
}

static void
test_escape_quote_backslash(void **state)
{
    struct jfx *f = *state;

    /* a"b\c/d<DEL>: quote and backslash escaped, '/' and 0x7f kept */
    assert_string_equal(esc(f, "a\"b\\c/d\x7f", 8), "[\"a\\\"b\\\\c/d\x7f\"]");
    /* embedded NUL between letters: a<NUL>b */
    assert_string_equal(esc(f, "a\0b", 3), "[\"a\\u0000b\"]");
    /* empty string */
    assert_string_equal(esc(f, "", 0), "[\"\"]");
    /* a run of escapes around plain text: \r\n<TAB>x<0x01> */
    assert_string_equal(esc(f, "\r\n\tx\x01", 5), "[\"\\r\\n\\tx\\u0001\"]");
}

static void
test_keys_escaped(void **state)
{
    struct jfx *f = *state;

    json_open_object(&f->j, NULL);
    json_u64(&f->j, "k\"\n\x01", 1); /* key: k " LF 0x01 */
    json_close(&f->j);
    assert_true(json_is_ok(&f->j));
    assert_string_equal(txt(f), "{\"k\\\"\\n\\u0001\":1}");
}

static void
test_utf8_valid_kept(void **state)
{
    struct jfx *f = *state;
    /* e-acute U+00E9, euro U+20AC, grinning face U+1F600 */
    static const uint8_t s[] = {'a', 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 'z'};
    /* range edges: U+0080, U+07FF, U+0800, U+FFFF, U+10000, U+10FFFF */
    static const uint8_t edges[] = {0xc2, 0x80, 0xdf, 0xbf, 0xe0, 0xa0, 0x80, 0xef, 0xbf,
                                    0xbf, 0xf0, 0x90, 0x80, 0x80, 0xf4, 0x8f, 0xbf, 0xbf};
    char want[64];

    snprintf(want, sizeof(want), "[\"%.*s\"]", (int)sizeof(s), (const char *)s);
    assert_string_equal(esc(f, s, sizeof(s)), want);
    snprintf(want, sizeof(want), "[\"%.*s\"]", (int)sizeof(edges), (const char *)edges);
    assert_string_equal(esc(f, edges, sizeof(edges)), want);
}

static void
test_utf8_invalid_escaped(void **state)
{
    struct jfx *f = *state;
    static const struct {
        const char *in;
        size_t n;
        const char *want;
    } v[] = {
            /* lone continuation byte 0x80 */
            {"\x80", 1, "[\"\\u0080\"]"},
            /* bytes 0xfe 0xff never appear in UTF-8 */
            {"\xfe\xff", 2, "[\"\\u00fe\\u00ff\"]"},
            /* overlong 2-byte '/' (C0 AF) and C1 BF */
            {"\xc0\xaf\xc1\xbf", 4, "[\"\\u00c0\\u00af\\u00c1\\u00bf\"]"},
            /* overlong 3-byte '/' (E0 80 AF) */
            {"\xe0\x80\xaf", 3, "[\"\\u00e0\\u0080\\u00af\"]"},
            /* overlong 4-byte '/' (F0 80 80 AF) */
            {"\xf0\x80\x80\xaf", 4, "[\"\\u00f0\\u0080\\u0080\\u00af\"]"},
            /* UTF-16 surrogates U+D800 (ED A0 80) and U+DFFF (ED BF BF) */
            {"\xed\xa0\x80", 3, "[\"\\u00ed\\u00a0\\u0080\"]"},
            {"\xed\xbf\xbf", 3, "[\"\\u00ed\\u00bf\\u00bf\"]"},
            /* past U+10FFFF: F4 90 80 80, and lead byte F5 */
            {"\xf4\x90\x80\x80", 4, "[\"\\u00f4\\u0090\\u0080\\u0080\"]"},
            {"\xf5\x80\x80\x80", 4, "[\"\\u00f5\\u0080\\u0080\\u0080\"]"},
            /* euro sign cut short at the end of the string (E2 82) */
            {"x\xe2\x82", 3, "[\"x\\u00e2\\u0082\"]"},
            /* lead byte followed by ASCII: E2 'A' */
            {"\xe2"
             "A",
             2, "[\"\\u00e2A\"]"},
            /* invalid byte inside text: a 0xff b */
            {"a\xff"
             "b",
             3, "[\"a\\u00ffb\"]"},
    };
    size_t i;

    for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        assert_string_equal(esc(f, v[i].in, v[i].n), v[i].want);
}

static void
test_sequence_value_without_key(void **state)
{
    struct jfx *f = *state;
    size_t len;

    json_open_object(&f->j, NULL);
    json_u64(&f->j, NULL, 1); /* a value needs a key inside an object */
    assert_true(f->j.bad);
    assert_false(json_is_ok(&f->j));
    /* once bad, nothing more is written */
    len = f->j.len;
    json_str(&f->j, "k", "v");
    json_close(&f->j);
    assert_int_equal(f->j.len, len);
    assert_false(json_is_ok(&f->j));
}

static void
test_sequence_key_in_array(void **state)
{
    struct jfx *f = *state;

    json_open_array(&f->j, NULL);
    json_str(&f->j, "k", "v");
    assert_true(f->j.bad);
    assert_string_equal(txt(f), "[");

    json_reset(&f->j);
    assert_false(f->j.bad);
    json_open_array(&f->j, NULL);
    json_open_object(&f->j, "o");
    assert_true(f->j.bad);
}

static void
test_sequence_close_nothing_open(void **state)
{
    struct jfx *f = *state;

    json_close(&f->j);
    assert_true(f->j.bad);
    assert_int_equal(f->j.len, 0);

    json_reset(&f->j);
    json_open_object(&f->j, NULL);
    json_close(&f->j);
    json_close(&f->j); /* one close too many */
    assert_true(f->j.bad);
    assert_false(json_is_ok(&f->j));
}

static void
test_sequence_top_level(void **state)
{
    struct jfx *f = *state;

    json_u64(&f->j, "k", 1); /* a key at top level */
    assert_true(f->j.bad);

    json_reset(&f->j);
    json_open_object(&f->j, NULL);
    json_close(&f->j);
    json_open_object(&f->j, NULL); /* a second top-level value */
    assert_true(f->j.bad);
    assert_string_equal(txt(f), "{}");
}

/* The record {"a":[1,"xy"],"b":true} written into a buffer of cap bytes. */
static void
write_record(struct json_buf *j)
{
    json_open_object(j, NULL);
    json_open_array(j, "a");
    json_u64(j, NULL, 1);
    json_str(j, NULL, "xy");
    json_close(j);
    json_bool(j, "b", true);
    json_close(j);
}

static void
test_truncation_every_cap(void **state)
{
    static const char full[] = "{\"a\":[1,\"xy\"],\"b\":true}";
    const size_t n = sizeof(full) - 1;
    size_t cap;

    (void)state;
    for (cap = 0; cap <= n; cap++) {
        char *mem = malloc(cap ? cap : 1);
        struct json_buf j;

        assert_non_null(mem);
        json_init(&j, mem, cap);
        write_record(&j);
        assert_true(j.len <= cap);
        assert_false(j.bad);
        if (cap < n) {
            assert_true(j.truncated);
            assert_false(json_is_ok(&j));
            /* what was written is a prefix of the full record */
            assert_memory_equal(mem, full, j.len);
        } else {
            assert_false(j.truncated);
            assert_true(json_is_ok(&j));
            assert_memory_equal(mem, full, n);
        }
        free(mem);
    }
}

static void
test_truncation_sticky_and_reset(void **state)
{
    struct json_buf j;
    char *mem = malloc(4);

    (void)state;
    assert_non_null(mem);
    json_init(&j, mem, 4);
    json_open_array(&j, NULL);
    json_str(&j, NULL, "long"); /* needs 6 bytes, 3 left */
    assert_true(j.truncated);
    /* later small values that would fit are refused too: no holes */
    json_u64(&j, NULL, 1);
    assert_true(j.truncated);
    assert_false(json_is_ok(&j));
    json_reset(&j);
    assert_false(j.truncated);
    json_open_array(&j, NULL);
    json_u64(&j, NULL, 12);
    json_close(&j);
    assert_true(json_is_ok(&j));
    assert_memory_equal(mem, "[12]", 4);
    free(mem);
}

static void
test_truncation_makes_record_unusable(void **state)
{
    struct json_buf j;
    char *mem = malloc(8);

    (void)state;
    assert_non_null(mem);
    json_init(&j, mem, 8);
    json_open_object(&j, NULL);    /* "{" */
    json_str(&j, "k", "abcdefgh"); /* "k":"abcdefgh" cannot fit in 7 bytes */
    assert_true(j.truncated);
    /* json.h: a truncated record is unusable as a whole; its caller drops
     * it, so what part of it reached the buffer does not matter. */
    json_close(&j);
    assert_false(json_is_ok(&j));
    assert_true(j.len <= 8);
    free(mem);
}

static void
test_strn_null_empty(void **state)
{
    struct jfx *f = *state;

    /* An empty view {NULL, 0} (an empty URI or header value) is normal:
     * no memcpy from NULL, no arithmetic on it (UBSan checks both). */
    json_open_array(&f->j, NULL);
    json_strn(&f->j, NULL, NULL, 0);
    json_close(&f->j);
    assert_true(json_is_ok(&f->j));
    assert_string_equal(txt(f), "[\"\"]");
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, jfx_setup, jfx_teardown)
    const struct CMUnitTest tests[] = {
            T(test_init_state),
            T(test_empty_containers),
            T(test_every_value_type),
            T(test_doubles),
            T(test_nesting),
            T(test_top_level_scalar),
            T(test_max_depth),
            T(test_escape_each_control_byte),
            T(test_escape_quote_backslash),
            T(test_keys_escaped),
            T(test_utf8_valid_kept),
            T(test_utf8_invalid_escaped),
            T(test_sequence_value_without_key),
            T(test_sequence_key_in_array),
            T(test_sequence_close_nothing_open),
            T(test_sequence_top_level),
            cmocka_unit_test(test_truncation_every_cap),
            cmocka_unit_test(test_truncation_sticky_and_reset),
            cmocka_unit_test(test_truncation_makes_record_unusable),
            T(test_strn_null_empty),
    };
#undef T

    return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
