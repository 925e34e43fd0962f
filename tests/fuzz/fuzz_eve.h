/*
 * fuzz_eve.h - the EVE sink of the app-layer fuzz targets (fuzz_http.c,
 * fuzz_smtp.c, fuzz_dns_tcp.c): fuzz_eve_open() makes a struct eve with
 * one output that an eve_writer writes to /dev/null, so the formatters run
 * on every input and nothing is kept; fuzz_fail() is the abort that set-up
 * and the targets' oracles share. Static functions, one copy per target:
 * define FUZZ_NAME ("fuzz_<target>", the prefix of fuzz_fail's message)
 * before including this header.
 */
#ifndef FUZZ_EVE_H
#define FUZZ_EVE_H

#ifndef FUZZ_NAME
#error "define FUZZ_NAME (\"fuzz_<target>\") before including fuzz_eve.h"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

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

#endif /* FUZZ_EVE_H */
