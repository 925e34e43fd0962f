/*
 * fuzz_mime.c - libFuzzer target for the MIME message parser
 * (decoders/app_mime.c) and its decoding helpers (RFC 2047 words, RFC
 * 2231 parameters, charset conversion).
 *
 *   input   ctl message
 *   ctl     bits 0-2 pieces: 0 whole, 1 one byte, 2 two, 3 seven, 4 sixty-one,
 *                    5-7 counted by the next byte of the message
 *           bit 3   finish as truncated (the message was cut short)
 *           bit 4   small limits (max_depth 2, no quoted-printable decoding,
 *                   log-url-scheme, an extra "https" scheme)
 *           bit 5   also run mime_decode_words and mime_param on the message
 *
 * Every piece is an exact-size heap copy. Charsets: a table opened once
 * (Shift_JIS, ISO-2022-JP, UTF-16BE, ISO-8859-1, EUC-JP). Oracles besides
 * ASan/UBSan: file_data only between file_open and file_close; opens and
 * closes pair up after mime_finish; names, URLs and decoded strings are
 * valid UTF-8 where the parser promises it (names, decoded words); a
 * state never reports more boundaries than MIME_DEPTH_MAX.
 *
 * Reproduce: build/fuzz/replay_mime FILE.
 */
#include "fuzz.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../decoders/app_mime.h"

static struct {
    bool ready;
    struct mime_charsets cs;
    struct mime_cfg cfg[2];
    struct mime_state m;
    bool open;
    uint32_t opens, closes;
} fz;

static void
fz_fail(const char *what)
{
    fprintf(stderr, "fuzz_mime: %s\n", what);
    abort();
}

/* RFC 3629 well-formed, as the parser promises for names and decoded words. */
static void
fz_check_utf8(const uint8_t *s, uint32_t n)
{
    uint32_t i = 0;

    while (i < n) {
        uint8_t c = s[i];
        uint32_t k = c < 0x80 ? 1 : (c >= 0xc2 && c <= 0xdf) ? 2 : (c >= 0xe0 && c <= 0xef) ? 3
                                 : (c >= 0xf0 && c <= 0xf4) ? 4 : 0;
        uint32_t j;
        if (k == 0 || k > n - i)
            fz_fail("output is not UTF-8");
        for (j = 1; j < k; j++)
            if ((s[i + j] & 0xc0) != 0x80)
                fz_fail("output is not UTF-8");
        i += k;
    }
}

static void
h_open(void *ctx, const uint8_t *name, uint32_t len)
{
    (void)ctx;
    if (fz.open)
        fz_fail("file_open while a file is open");
    if (len > MIME_NAME_MAX)
        fz_fail("a name longer than its cap");
    fz_check_utf8(name, len);
    fz.open = true;
    fz.opens++;
}

static void
h_data(void *ctx, const uint8_t *p, uint32_t n)
{
    (void)ctx;
    (void)p;
    if (!fz.open || n == 0 || n > MIME_OUT_BUF)
        fz_fail("file_data outside a file, or empty, or too large");
}

static void
h_close(void *ctx, bool truncated)
{
    (void)ctx;
    (void)truncated;
    if (!fz.open)
        fz_fail("file_close without a file");
    fz.open = false;
    fz.closes++;
}

static void
h_url(void *ctx, const uint8_t *p, uint32_t n)
{
    (void)ctx;
    (void)p;
    if (n > MIME_URL_MAX)
        fz_fail("a URL longer than its cap");
}

static void
h_header(void *ctx, const uint8_t *name, uint32_t nlen, const uint8_t *v, uint32_t vlen)
{
    (void)ctx;
    (void)name;
    (void)v;
    if (nlen + vlen + 1 > MIME_HDR_MAX)
        fz_fail("a header field longer than its cap");
}

static void
h_event(void *ctx, enum mime_event ev)
{
    (void)ctx;
    if ((unsigned)ev >= MIME_EV_COUNT)
        fz_fail("an unknown event");
}

static void
fz_setup(void)
{
    static const char *const names[] = {"SHIFT_JIS", "SJIS", "ISO-2022-JP", "UTF-16BE",
                                        "ISO-8859-1", "EUC-JP"};

    if (mime_charsets_open(&fz.cs, names, NULL, 6) < 0)
        fz_fail("out of memory");
    mime_cfg_defaults(&fz.cfg[0]);
    fz.cfg[0].charsets = &fz.cs;
    mime_cfg_defaults(&fz.cfg[1]);
    fz.cfg[1].charsets = &fz.cs;
    fz.cfg[1].max_depth = 2;
    fz.cfg[1].decode_qp = false;
    fz.cfg[1].log_url_scheme = true;
    (void)mime_cfg_add_scheme(&fz.cfg[1], "https");
    fz.ready = true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint32_t pieces[5] = {0, 1, 2, 7, 61};
    struct mime_hooks h = {NULL, h_header, h_open, h_data, h_close, h_url, NULL, h_event};
    uint8_t ctl;
    size_t o = 0, piece;

    if (!fz.ready)
        fz_setup();
    if (size < 1)
        return 0;
    ctl = data[0];
    data++;
    size--;
    piece = (ctl & 7) < 5 ? pieces[ctl & 7] : (size > 0 ? (size_t)data[0] % 97 + 1 : 1);
    if (piece == 0)
        piece = size > 0 ? size : 1;
    fz.open = false;
    fz.opens = fz.closes = 0;
    mime_init(&fz.m, &fz.cfg[(ctl >> 4) & 1]);
    while (o < size) {
        size_t k = size - o < piece ? size - o : piece;
        uint8_t *cp = malloc(k);
        if (cp == NULL)
            fz_fail("out of memory");
        memcpy(cp, data + o, k);
        mime_parse(&fz.m, cp, (uint32_t)k, &h);
        free(cp);
        if (fz.m.depth > MIME_DEPTH_MAX)
            fz_fail("boundary stack beyond its cap");
        o += k;
    }
    mime_finish(&fz.m, &h, (ctl & 8) != 0);
    if (fz.open || fz.opens != fz.closes)
        fz_fail("a file left open after mime_finish");
    if (ctl & 0x20) {
        uint8_t *cp = malloc(size > 0 ? size : 1), out[2048];
        uint32_t n, raw = 0;
        int32_t r;
        if (cp == NULL)
            fz_fail("out of memory");
        memcpy(cp, data, size);
        n = mime_decode_words(&fz.cs, cp, (uint32_t)size, out, sizeof(out));
        if (n > sizeof(out))
            fz_fail("decoded past its buffer");
        fz_check_utf8(out, n);
        r = mime_param(&fz.cs, cp, (uint32_t)size, "filename", out, sizeof(out), &raw);
        if (r > (int32_t)sizeof(out))
            fz_fail("parameter past its buffer");
        if (r > 0)
            fz_check_utf8(out, (uint32_t)r);
        free(cp);
    }
    return 0;
}
