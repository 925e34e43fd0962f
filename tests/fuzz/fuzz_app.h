/*
 * fuzz_app.h - what the app-layer stream fuzz targets (fuzz_http.c,
 * fuzz_smtp.c, fuzz_dns_tcp.c) share. fuzz_eve_open() makes a struct eve with
 * one output that an eve_writer writes to /dev/null, so the formatters run
 * on every input and nothing is kept; fuzz_fail() is the abort that set-up
 * and the targets' oracles share; fuzz_piece() and fuzz_copy() cut a chunk
 * of the input into the pieces the parser is given. Static functions, one
 * copy per target: define FUZZ_NAME ("fuzz_<target>", the prefix of
 * fuzz_fail's message) before including this header.
 */
#ifndef FUZZ_APP_H
#define FUZZ_APP_H

#ifndef FUZZ_NAME
#error "define FUZZ_NAME (\"fuzz_<target>\") before including fuzz_app.h"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out_eve.h"
#include "out_eve_writer.h"

/* Report a failed set-up or a broken oracle and abort (libFuzzer keeps the input). */
static void
fuzz_fail(const char *what)
{
    fprintf(stderr, FUZZ_NAME ": %s\n", what);
    abort();
}

/*
 * Make e a formatter context whose one output is written by w to
 * /dev/null, with the n types given on, plus app-layer anomalies and
 * community_id; its other options stay as they were (zero in a static
 * state). Returns that output, for the target's own options. Aborts on
 * failure. e and w live as long as the process; nothing here is freed.
 */
static struct eve_output *
fuzz_eve_open(struct eve *e, struct eve_writer *w, const enum eve_type *types, size_t n)
{
    struct eve_output *o = &e->out[0];
    size_t i;

    if (eve_init(e) < 0)
        fuzz_fail("eve_init failed");
    if (eve_writer_open(w, "/dev/null", false) < 0)
        fuzz_fail("cannot open /dev/null for EVE");
    e->writers = w;
    e->n_out = 1;
    for (i = 0; i < n; i++)
        o->types[types[i]] = true;
    o->anomaly_applayer = true;
    o->community_id = true;
    return o;
}

/*
 * The size of the pieces n bytes are given in, by a 2-bit mode from the
 * control byte: 0 all at once, 1 a byte at a time, 2 seven at a time,
 * 3 1..61 bytes as the first byte says.
 */
static size_t
fuzz_piece(unsigned mode, const uint8_t *s, size_t n)
{
    switch (mode & 3) {
    case 1:
        return 1;
    case 2:
        return 7;
    case 3:
        return n > 0 ? (size_t)s[0] % 61 + 1 : 1;
    default:
        return n > 0 ? n : 1;
    }
}

/* k bytes of s in a heap block of exactly k bytes (ASan sees a read past it); free() it. */
static uint8_t *
fuzz_copy(const uint8_t *s, size_t k)
{
    uint8_t *cp = malloc(k);

    if (cp == NULL)
        fuzz_fail("out of memory");
    memcpy(cp, s, k);
    return cp;
}

#endif /* FUZZ_APP_H */
