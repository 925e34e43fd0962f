/*
 * sig_buf.c - the registry of inspection buffers: the per-protocol
 * tables (sig_buf_http.c, sig_buf_dns.c, ...) numbered 1..N in table
 * order, found by sticky keyword or legacy content modifier. A protocol
 * adds its buffers with one table file and one line here.
 */
#include "sig_int.h"

#include <strings.h>

static const struct {
    const struct sig_buf_def *defs;
    const unsigned *n;
} sig_buf_tables[] = {
        {sig_buf_http, &sig_buf_http_count},
        {sig_buf_dns, &sig_buf_dns_count},
        {sig_buf_smtp, &sig_buf_smtp_count},
};

unsigned
sig_buf_count(void)
{
    unsigned t, n = 0;

    for (t = 0; t < NIDS_ARRAY_LEN(sig_buf_tables); t++)
        n += *sig_buf_tables[t].n;
    return n;
}

const struct sig_buf_def *
sig_buf_get(uint16_t id)
{
    unsigned t, k = id;

    if (id == 0)
        return NULL;
    k--;
    for (t = 0; t < NIDS_ARRAY_LEN(sig_buf_tables); t++) {
        if (k < *sig_buf_tables[t].n)
            return &sig_buf_tables[t].defs[k];
        k -= *sig_buf_tables[t].n;
    }
    return NULL;
}

uint16_t
sig_buf_by_name(const char *name, uint8_t app_proto)
{
    unsigned id, n = sig_buf_count();
    uint16_t first = 0;

    for (id = 1; id <= n; id++) {
        const struct sig_buf_def *b = sig_buf_get((uint16_t)id);
        if (strcasecmp(b->name, name) != 0 && (b->alias == NULL || strcasecmp(b->alias, name) != 0))
            continue;
        if (app_proto == 0 || b->app_proto == app_proto)
            return (uint16_t)id;
        if (first == 0)
            first = (uint16_t)id;
    }
    return first;
}

uint16_t
sig_buf_by_modifier(const char *name)
{
    unsigned id, n = sig_buf_count();

    for (id = 1; id <= n; id++) {
        const struct sig_buf_def *b = sig_buf_get((uint16_t)id);
        if (b->modifier != NULL && strcasecmp(b->modifier, name) == 0)
            return (uint16_t)id;
    }
    return 0;
}
