/*
 * app_layer.c - from stream bytes to parsers. A direction's first bytes pick the
 * protocol (the port is only a hint); a parser that hands bytes back (an
 * HTTP CONNECT tunnel opening) sends them through identification again.
 */
#include "app_layer.h"

#include "app.h"
#include "app_detect.h"
/* The HTTP glue (sensor/app_http.h, not the parser's decoders/app_http.h). */
#if __has_include("../sensor/app_http.h")
#include "../sensor/app_http.h"
#define APP_HAVE_HTTP 1
#endif

int
app_layer_init(struct app_layer *a, struct eve *eve, uint64_t *ctr)
{
    a->http = NULL;
    a->ctr = ctr;
    a->now_us = 0;
#ifdef APP_HAVE_HTTP
    {
        struct app_http_cfg hc;
        app_http_cfg_defaults(&hc);
        a->http = app_http_ctx_create(&hc, eve, ctr);
        if (a->http == NULL)
            return NIDS_ENOMEM;
    }
#else
    (void)eve;
#endif
    return 0;
}

void
app_layer_fini(struct app_layer *a)
{
#ifdef APP_HAVE_HTTP
    if (a->http != NULL)
        app_http_ctx_destroy(a->http);
#endif
    a->http = NULL;
}

void
app_layer_stream_data(void *ctx, struct flow *f, int dir, const uint8_t *data, uint32_t len,
                      uint32_t flags)
{
    struct app_layer *a = ctx;
    unsigned rounds = 0;

    (void)a;
    (void)flags;
    /* Each round either consumes the bytes or changes the protocol once. */
    while (rounds++ < 4) {
        uint32_t used = len;
        if (f->app_proto == APP_PROTO_UNKNOWN && data != NULL)
            app_detect_stream(f, dir, data, len);
#ifdef APP_HAVE_HTTP
        if (f->app_proto == APP_PROTO_HTTP && a->http != NULL)
            used = app_http_data(a->http, f, dir, data, len, flags, a->now_us);
#endif
        if (used >= len || data == NULL)
            return;
        data += used;
        len -= used;
    }
}

void
app_layer_flow_end(struct app_layer *a, struct flow *f)
{
#ifdef APP_HAVE_HTTP
    if (a->http != NULL && f->app_state != 0)
        app_http_flow_end(a->http, f, a->now_us);
#else
    (void)a;
    (void)f;
#endif
}
