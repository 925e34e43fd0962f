/*
 * test_mime.c - unit tests for decoders/app_mime.c (the MIME message
 * parser): header unfolding, RFC 2047 encoded words (Shift_JIS to an
 * ".exe" name), RFC 2231 continuations and charsets, invalid bytes kept
 * as "\xNN", multipart nesting and its depth limit, message/rfc822 parts,
 * base64 and quoted-printable decoding, URLs, and the streaming contract:
 * the hooks' record of a message is the same fed in one piece, one byte
 * per call and in pieces of every size from 2 to 17; every prefix of a
 * message, finished as truncated, is parsed without reading past it.
 *
 * Every piece is an exact-size heap copy, so ASan sees any over-read.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../decoders/app_mime.c"

/* ---- what the hooks saw ------------------------------------------------- */

#define REC_MAX 65536

struct rec {
    char log[REC_MAX]; /* headers, files (with their content), URLs, events */
    size_t len;
    uint8_t file[REC_MAX]; /* content of the open file */
    size_t file_len;
    size_t body_len; /* bytes given to the body hook */
    unsigned events[MIME_EV_COUNT];
    unsigned opens, closes, truncs;
};

static void
rec_add(struct rec *r, const void *p, size_t n)
{
    if (n > REC_MAX - r->len)
        n = REC_MAX - r->len;
    memcpy(r->log + r->len, p, n);
    r->len += n;
}

static void
rec_str(struct rec *r, const char *s)
{
    rec_add(r, s, strlen(s));
}

static void
h_header(void *ctx, const uint8_t *name, uint32_t nlen, const uint8_t *value, uint32_t vlen)
{
    struct rec *r = ctx;

    rec_str(r, "H ");
    rec_add(r, name, nlen);
    rec_str(r, ": ");
    rec_add(r, value, vlen);
    rec_str(r, "\n");
}

static void
h_open(void *ctx, const uint8_t *name, uint32_t len)
{
    struct rec *r = ctx;

    r->opens++;
    r->file_len = 0;
    rec_str(r, "O ");
    rec_add(r, name, len);
    rec_str(r, "\n");
}

static void
h_data(void *ctx, const uint8_t *p, uint32_t n)
{
    struct rec *r = ctx;

    assert_true(n > 0);
    assert_true(r->file_len + n <= REC_MAX);
    memcpy(r->file + r->file_len, p, n);
    r->file_len += n;
}

static void
h_close(void *ctx, bool truncated)
{
    struct rec *r = ctx;
    char buf[64];

    r->closes++;
    r->truncs += truncated;
    snprintf(buf, sizeof(buf), "C %s %zu [", truncated ? "trunc" : "closed", r->file_len);
    rec_str(r, buf);
    rec_add(r, r->file, r->file_len);
    rec_str(r, "]\n");
    r->file_len = 0;
}

static void
h_url(void *ctx, const uint8_t *p, uint32_t n)
{
    struct rec *r = ctx;

    rec_str(r, "U ");
    rec_add(r, p, n);
    rec_str(r, "\n");
}

static void
h_body(void *ctx, const uint8_t *p, uint32_t n)
{
    struct rec *r = ctx;

    (void)p;
    r->body_len += n;
}

static void
h_event(void *ctx, enum mime_event ev)
{
    struct rec *r = ctx;
    char buf[16];

    assert_true((unsigned)ev < MIME_EV_COUNT);
    r->events[ev]++;
    snprintf(buf, sizeof(buf), "E %d\n", (int)ev);
    rec_str(r, buf);
}

/* ---- fixture ------------------------------------------------------------ */

struct mfx {
    struct mime_cfg cfg;
    struct mime_charsets cs;
    struct mime_state *m;
    struct rec *r;
    struct mime_hooks h;
};

static const char *const cs_names[] = {"SHIFT_JIS", "SJIS", "ISO-8859-1", "LATIN1", "UTF-16BE",
                                       "ISO-2022-JP"};
static const char *const cs_alias[] = {"SJIS", "SJIS", "ISO-8859-1", "ISO-8859-1", "UTF-16BE",
                                       "ISO-2022-JP"};

static int
mfx_setup(void **state)
{
    struct mfx *x = calloc(1, sizeof(*x));

    assert_non_null(x);
    mime_cfg_defaults(&x->cfg);
    assert_int_equal(mime_charsets_open(&x->cs, cs_names, cs_alias, 6), 0);
    x->cfg.charsets = &x->cs;
    x->m = malloc(sizeof(*x->m));
    x->r = calloc(1, sizeof(*x->r));
    assert_non_null(x->m);
    assert_non_null(x->r);
    x->h.ctx = x->r;
    x->h.header = h_header;
    x->h.file_open = h_open;
    x->h.file_data = h_data;
    x->h.file_close = h_close;
    x->h.url = h_url;
    x->h.body = h_body;
    x->h.event = h_event;
    *state = x;
    return 0;
}

static int
mfx_teardown(void **state)
{
    struct mfx *x = *state;

    mime_charsets_close(&x->cs);
    free(x->m);
    free(x->r);
    free(x);
    return 0;
}

/* Parse msg in pieces of `piece` bytes (0: one piece), each an exact-size heap copy. */
static void
parse_msg(struct mfx *x, const char *msg, size_t n, size_t piece, bool truncated)
{
    size_t o = 0;

    memset(x->r, 0, sizeof(*x->r));
    mime_init(x->m, &x->cfg);
    if (piece == 0)
        piece = n ? n : 1;
    while (o < n) {
        size_t k = n - o < piece ? n - o : piece;
        uint8_t *cp = malloc(k);
        assert_non_null(cp);
        memcpy(cp, msg + o, k);
        mime_parse(x->m, cp, (uint32_t)k, &x->h);
        free(cp);
        o += k;
    }
    mime_finish(x->m, &x->h, truncated);
}

#define PARSE(x, lit) parse_msg(x, lit, sizeof(lit) - 1, 0, false)

static void
assert_has(const struct rec *r, const char *needle)
{
    char *s = malloc(r->len + 1);

    assert_non_null(s);
    memcpy(s, r->log, r->len);
    s[r->len] = '\0';
    if (memmem(s, r->len, needle, strlen(needle)) == NULL) {
        print_error("missing [%s] in:\n%s\n", needle, s);
        free(s);
        fail();
    }
    free(s);
}

/* ---- messages ------------------------------------------------------------ */

/*
 * A nested message: multipart/mixed { multipart/alternative { text, html },
 * an attachment whose name is an RFC 2047 Shift_JIS word ("テスト.exe"),
 * an RFC 2231 name, a quoted-printable part, message/rfc822 { a part with a
 * file } }. Boundaries are prefixes of each other ("b1" and "b1-inner").
 */
static const char msg_nested[] =
        "From: Alice <alice@example.com>\r\n"
        "To: bob@example.com, carol@example.com\r\n"
        "Subject: nested\r\n"
        " test\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
        "\r\n"
        "preamble http://preamble.invalid/\r\n"
        "--b1\r\n"
        "Content-Type: multipart/alternative; boundary=b1-inner\r\n"
        "\r\n"
        "--b1-inner\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n"
        "\r\n"
        "see http://example.com/a?b=1 now\r\n"
        "--b1-inner\r\n"
        "Content-Type: text/html\r\n"
        "\r\n"
        "<a href=\"http://example.org/x\">x</a>\r\n"
        "--b1-inner--\r\n"
        "--b1\r\n"
        "Content-Type: application/octet-stream;\r\n"
        " name=\"=?Shift_JIS?B?g2WDWINnLmV4ZQ==?=\"\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "\r\n"
        "TVqQAAMAAAAEAAAA//8AALgA\r\n"
        "AAAAAAAAQAAAAA==\r\n"
        "--b1\r\n"
        "Content-Disposition: attachment;\r\n"
        " filename*0*=UTF-8''%E3%83%86;\r\n"
        " filename*1*=%E3%82%B9;\r\n"
        " filename*2=\"x.exe\"\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        "\r\n"
        "caf=C3=A9 =\r\n"
        "soft\r\n"
        "--b1\r\n"
        "Content-Type: message/rfc822\r\n"
        "\r\n"
        "From: inner@example.com\r\n"
        "Content-Type: multipart/mixed; boundary=\"in\"\r\n"
        "\r\n"
        "--in\r\n"
        "Content-Disposition: attachment; filename=inner.txt\r\n"
        "\r\n"
        "line one\r\n"
        "line two\r\n"
        "--in--\r\n"
        "--b1--\r\n"
        "epilogue\r\n";

static void
test_nested(void **state)
{
    struct mfx *x = *state;
    const struct rec *r = x->r;

    PARSE(x, msg_nested);
    /* top-level headers only, unfolded as Suricata (first white space byte dropped) */
    assert_has(r, "H From: Alice <alice@example.com>\n");
    assert_has(r, "H To: bob@example.com, carol@example.com\n");
    assert_has(r, "H Subject: nestedtest\n");
    assert_true(memmem(r->log, r->len, "H From: inner", 13) == NULL);
    /* RFC 2047 Shift_JIS word: "テスト.exe" in UTF-8 */
    assert_has(r, "O \xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88.exe\n");
    /* its base64 content: "MZ" header bytes, 28 bytes in all */
    assert_has(r, "C closed 28 [MZ\x90");
    /* RFC 2231 continuations, UTF-8 sections then a plain one */
    assert_has(r, "O \xe3\x83\x86\xe3\x82\xb9x.exe\n");
    /* quoted-printable: "=C3=A9" decoded, soft break joined, last CRLF kept (Suricata) */
    assert_has(r, "C closed 12 [caf\xc3\xa9 soft\r\n]");
    /* the file inside message/rfc822: kept as is, the CRLF before the delimiter dropped */
    assert_has(r, "O inner.txt\nC closed 18 [line one\r\nline two]");
    /* URLs of the text parts only (not the preamble), scheme dropped */
    assert_has(r, "U example.com/a?b=1\n");
    assert_has(r, "U example.org/x\n");
    assert_true(memmem(r->log, r->len, "preamble.invalid", 16) == NULL);
    assert_int_equal(r->opens, 3);
    assert_int_equal(r->closes, 3);
    assert_int_equal(r->truncs, 0);
    assert_int_equal(x->m->depth_limited, 0);
    assert_int_equal(x->m->hdr_truncated, 0);
    assert_true(r->body_len > 0);
}

/* The record is the same whatever the pieces: boundaries straddle every cut. */
static void
test_pieces(void **state)
{
    struct mfx *x = *state;
    struct rec *whole = malloc(sizeof(*whole));
    size_t piece;

    assert_non_null(whole);
    parse_msg(x, msg_nested, sizeof(msg_nested) - 1, 0, false);
    memcpy(whole, x->r, sizeof(*whole));
    for (piece = 1; piece <= 17; piece++) {
        parse_msg(x, msg_nested, sizeof(msg_nested) - 1, piece, false);
        assert_int_equal(x->r->len, whole->len);
        assert_memory_equal(x->r->log, whole->log, whole->len);
        assert_int_equal(x->r->body_len, whole->body_len);
    }
    free(whole);
}

/* Every prefix, finished as cut short: no over-read, files closed as truncated. */
static void
test_truncation_sweep(void **state)
{
    struct mfx *x = *state;
    size_t n, full_files;

    parse_msg(x, msg_nested, sizeof(msg_nested) - 1, 0, false);
    full_files = x->r->opens;
    for (n = 0; n <= sizeof(msg_nested) - 1; n++) {
        parse_msg(x, msg_nested, n, n % 3 + 1, true);
        assert_true(x->r->opens <= full_files);
        assert_int_equal(x->r->opens, x->r->closes);
        /* a file open at the cut is closed as truncated, no other one is */
        assert_true(x->r->truncs <= 1);
    }
}

/* RFC 2231 single extended value in Latin-1, and a plain name that wins in header order. */
static void
test_rfc2231(void **state)
{
    struct mfx *x = *state;
    uint8_t out[256];
    uint32_t raw = 0;
    int32_t n;
    static const char v1[] = "attachment; filename*=iso-8859-1'en'%A3%20rates.txt";
    static const char v2[] = "attachment; FILENAME=\"a\\\"b.txt\"; size=3";
    static const char v3[] = "attachment; filename*0=\"long\"; filename*1=\"name.exe\"";
    static const char v4[] = "inline";

    n = mime_param(&x->cs, (const uint8_t *)v1, sizeof(v1) - 1, "filename", out, sizeof(out),
                   &raw);
    assert_int_equal(n, 12);
    assert_memory_equal(out, "\xc2\xa3 rates.txt", 12);
    n = mime_param(&x->cs, (const uint8_t *)v2, sizeof(v2) - 1, "filename", out, sizeof(out),
                   &raw);
    assert_int_equal(n, 7);
    assert_memory_equal(out, "a\"b.txt", 7);
    n = mime_param(&x->cs, (const uint8_t *)v3, sizeof(v3) - 1, "filename", out, sizeof(out),
                   &raw);
    assert_int_equal(n, 12);
    assert_memory_equal(out, "longname.exe", 12);
    assert_int_equal(raw, 12);
    n = mime_param(&x->cs, (const uint8_t *)v4, sizeof(v4) - 1, "filename", out, sizeof(out),
                   &raw);
    assert_int_equal(n, -1);
}

/* RFC 2047: adjacent words joined, invalid bytes escaped, unknown charsets left as they are. */
static void
test_encoded_words(void **state)
{
    struct mfx *x = *state;
    uint8_t out[256];
    uint32_t n;
    /* "テスト.exe" split across two Shift_JIS words (a character cut between them) */
    static const char split[] = "=?shift_jis?B?g2WDWIM=?= =?SHIFT_JIS?B?Zy5leGU=?=";
    static const char bad[] = "x =?UTF-8?Q?a=FFb?= y";
    static const char unknown[] = "=?x-no-such-cs?B?QUJD?=";
    static const char q[] = "=?ISO-8859-1?Q?caf=E9_ok?=";
    static const char jis[] = "=?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?=";

    n = mime_decode_words(&x->cs, (const uint8_t *)split, sizeof(split) - 1, out, sizeof(out));
    assert_int_equal(n, 13);
    assert_memory_equal(out, "\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88.exe", 13);
    n = mime_decode_words(&x->cs, (const uint8_t *)bad, sizeof(bad) - 1, out, sizeof(out));
    assert_int_equal(n, 10);
    assert_memory_equal(out, "x a\\xffb y", 10);
    n = mime_decode_words(&x->cs, (const uint8_t *)unknown, sizeof(unknown) - 1, out,
                          sizeof(out));
    assert_int_equal(n, 3);
    assert_memory_equal(out, "ABC", 3);
    n = mime_decode_words(&x->cs, (const uint8_t *)q, sizeof(q) - 1, out, sizeof(out));
    assert_int_equal(n, 8);
    assert_memory_equal(out, "caf\xc3\xa9 ok", 8);
    /* a stateful charset (escape sequences) */
    n = mime_decode_words(&x->cs, (const uint8_t *)jis, sizeof(jis) - 1, out, sizeof(out));
    assert_int_equal(n, 9);
    assert_memory_equal(out, "\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88", 9);
    /* bytes a charset rejects are escaped, the rest converted */
    {
        static const uint8_t sjis_bad[] = {0x83, 0x65, 0xff, 'a'};
        n = mime_to_utf8(&x->cs, (const uint8_t *)"SJIS", 4, sjis_bad, 4, out, sizeof(out));
        assert_int_equal(n, 8);
        assert_memory_equal(out, "\xe3\x83\x86\\xffa", 8);
    }
    /* output never cut in a character or an escape */
    n = mime_to_utf8(&x->cs, NULL, 0, (const uint8_t *)"\xe3\x83\x86\xff", 4, out, 5);
    assert_int_equal(n, 3);
}

/* A Shift_JIS name whose bytes are not valid Shift_JIS keeps them escaped. */
static void
test_name_invalid_bytes(void **state)
{
    struct mfx *x = *state;
    static const char msg[] = "Content-Type: application/x; name=\"=?SJIS?B?gv8uZXhl?=\"\r\n"
                              "\r\n"
                              "MZ\r\n";

    PARSE(x, msg);
    /* 0x82 0xff is not a character: both bytes kept as escapes */
    assert_has(x->r, "O \\x82\\xff.exe\n");
    assert_has(x->r, "C closed 2 [MZ]");
}

/* Nesting beyond max_depth: counted, parsed as an opaque body. */
static void
test_depth_limit(void **state)
{
    struct mfx *x = *state;
    char msg[4096];
    size_t o = 0;
    int i;

    x->cfg.max_depth = 3;
    for (i = 0; i < 6; i++)
        o += (size_t)snprintf(msg + o, sizeof(msg) - o,
                              "Content-Type: multipart/mixed; boundary=\"L%d\"\r\n\r\n--L%d\r\n", i,
                              i);
    o += (size_t)snprintf(msg + o, sizeof(msg) - o,
                          "Content-Disposition: attachment; filename=deep.bin\r\n\r\nabc\r\n");
    parse_msg(x, msg, o, 0, false);
    assert_true(x->m->depth_limited > 0);
    assert_true(x->m->depth <= 3);
    x->cfg.max_depth = MIME_DEPTH_MAX;
}

/* Base64 with invalid quanta, long encoded lines, a long header name and value. */
static void
test_events(void **state)
{
    struct mfx *x = *state;
    char msg[8192];
    size_t o = 0, i;

    o += (size_t)snprintf(msg + o, sizeof(msg) - o, "X-");
    for (i = 0; i < 80; i++)
        msg[o++] = 'n';
    o += (size_t)snprintf(msg + o, sizeof(msg) - o, ": v\r\nSubject: ");
    for (i = 0; i < 2100; i++)
        msg[o++] = 's';
    o += (size_t)snprintf(msg + o, sizeof(msg) - o,
                          "\r\nContent-Disposition: attachment; filename=a.bin\r\n"
                          "Content-Transfer-Encoding: base64\r\n\r\n"
                          "==AA\r\n");
    for (i = 0; i < 100; i++)
        msg[o++] = 'A';
    o += (size_t)snprintf(msg + o, sizeof(msg) - o, "\r\nQUJD\r\n");
    parse_msg(x, msg, o, 0, false);
    assert_int_equal(x->r->events[MIME_EV_LONG_HEADER_NAME], 1);
    assert_int_equal(x->r->events[MIME_EV_LONG_HEADER_VALUE], 1);
    assert_int_equal(x->r->events[MIME_EV_LONG_LINE], 1);
    assert_int_equal(x->r->events[MIME_EV_INVALID_BASE64], 1);
    assert_int_equal(x->r->events[MIME_EV_LONG_ENC_LINE], 1);
    /* 100 'A' = 75 zero bytes, then "ABC" */
    assert_has(x->r, "C closed 78 [");
}

/* A header field longer than MIME_HDR_MAX is cut and counted. */
static void
test_header_cap(void **state)
{
    struct mfx *x = *state;
    char *msg = malloc(3 * MIME_HDR_MAX);
    size_t o = 0, i;

    assert_non_null(msg);
    o += (size_t)snprintf(msg, 64, "To: a");
    for (i = 0; i < 3; i++) {
        memset(msg + o, 'b', MIME_LINE_MAX / 2);
        o += MIME_LINE_MAX / 2;
        memcpy(msg + o, "\r\n ", 3);
        o += 3;
    }
    memcpy(msg + o, "c\r\n\r\nbody\r\n", 11);
    o += 11;
    parse_msg(x, msg, o, 0, false);
    assert_int_equal(x->m->hdr_truncated, 1);
    assert_int_equal(x->r->events[MIME_EV_LONG_HEADER_VALUE], 1);
    free(msg);
}

/* Quoted-printable as Suricata decodes it: upper-case hex only, "=X" at the end invalid. */
static void
test_qp(void **state)
{
    struct mfx *x = *state;
    static const char msg[] = "Content-Disposition: attachment; filename=q.txt\r\n"
                              "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                              "a=3Db=3db=\r\n"
                              "c=4\r\n"
                              "end\r\n";

    PARSE(x, msg);
    assert_has(x->r, "C closed 12 [a=bbc\r\nend\r\n]");
    assert_int_equal(x->r->events[MIME_EV_INVALID_QP], 2);
}

/* URLs: configured schemes, the scheme kept when asked, a URL cut at MIME_URL_MAX. */
static void
test_urls(void **state)
{
    struct mfx *x = *state;
    char msg[4096];
    size_t o = 0, i;

    x->cfg.log_url_scheme = true;
    assert_true(mime_cfg_add_scheme(&x->cfg, "https"));
    o += (size_t)snprintf(msg, sizeof(msg), "Subject: u\r\n\r\nHTTPS://A.example/p?q 'http://b'\r\n"
                                             "xhttp://c.example/");
    for (i = 0; i < MIME_URL_MAX + 10; i++)
        msg[o++] = 'z';
    msg[o++] = '\n';
    parse_msg(x, msg, o, 0, false);
    assert_has(x->r, "U https://A.example/p?q\n");
    assert_has(x->r, "U http://b\n");
    assert_has(x->r, "U http://c.example/zzz");
    assert_int_equal(x->m->urls_truncated, 1);
    mime_cfg_defaults(&x->cfg);
    x->cfg.charsets = &x->cs;
}

/* Charset table: aliases share a handle, lookup ignores case and a "*lang" suffix. */
static void
test_charsets(void **state)
{
    struct mfx *x = *state;

    assert_int_equal(x->cs.n_names, 6);
    assert_true(x->cs.n_handles >= 4 && x->cs.n_handles <= 5);
    assert_non_null(mime_charset_find(&x->cs, (const uint8_t *)"shift_jis*ja", 12));
    assert_ptr_equal(mime_charset_find(&x->cs, (const uint8_t *)"sjis", 4),
                     mime_charset_find(&x->cs, (const uint8_t *)"Shift_JIS", 9));
    assert_null(mime_charset_find(&x->cs, (const uint8_t *)"koi8-r", 6));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(test_nested, mfx_setup, mfx_teardown),
            cmocka_unit_test_setup_teardown(test_pieces, mfx_setup, mfx_teardown),
            cmocka_unit_test_setup_teardown(test_truncation_sweep, mfx_setup, mfx_teardown),
            cmocka_unit_test_setup_teardown(test_rfc2231, mfx_setup, mfx_teardown),
            cmocka_unit_test_setup_teardown(test_encoded_words, mfx_setup, mfx_teardown),
            cmocka_unit_test_setup_teardown(test_name_invalid_bytes, mfx_setup, mfx_teardown),
            cmocka_unit_test_setup_teardown(test_depth_limit, mfx_setup, mfx_teardown),
            cmocka_unit_test_setup_teardown(test_events, mfx_setup, mfx_teardown),
            cmocka_unit_test_setup_teardown(test_header_cap, mfx_setup, mfx_teardown),
            cmocka_unit_test_setup_teardown(test_qp, mfx_setup, mfx_teardown),
            cmocka_unit_test_setup_teardown(test_urls, mfx_setup, mfx_teardown),
            cmocka_unit_test_setup_teardown(test_charsets, mfx_setup, mfx_teardown),
    };

    return cmocka_run_group_tests_name("mime", tests, NULL, NULL);
}
