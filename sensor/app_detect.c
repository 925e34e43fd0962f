/*
 * app_detect.c - protocol probes over the first payload bytes. Each probe
 * looks only at bytes that are there and answers yes or no; a flow keeps
 * the first yes. After APP_DETECT_MAX_TRIES payload packets without one,
 * a TCP flow is "failed", as Suricata reports it.
 */
#include "app_detect.h"

#include <string.h>

#include "cursor.h"

const char *
app_proto_name(uint8_t p)
{
    static const char *const names[APP_PROTO_COUNT] = {NULL,  "http", "tls",   "ssh",
                                                       "smtp", "dns", "failed"};

    return p < APP_PROTO_COUNT ? names[p] : NULL;
}

static bool
app_has_prefix(const uint8_t *b, size_t n, const char *s)
{
    size_t l = strlen(s);

    return n >= l && memcmp(b, s, l) == 0;
}

/* Request line "METHOD SP" from the client, or "HTTP/1." from the server. */
static bool
app_probe_http(const uint8_t *b, size_t n, int dir)
{
    static const char *const methods[] = {"GET ",     "POST ",  "HEAD ",  "PUT ",
                                          "DELETE ",  "OPTIONS ", "CONNECT ", "PATCH ",
                                          "TRACE ",   "PROPFIND ", NULL};
    size_t i;

    if (dir == FLOW_TOCLIENT)
        return app_has_prefix(b, n, "HTTP/1.") || app_has_prefix(b, n, "HTTP/0.9");
    for (i = 0; methods[i] != NULL; i++)
        if (app_has_prefix(b, n, methods[i]))
            return true;
    return false;
}

/* TLS record header: handshake (22), version 3.0 to 3.4. */
static bool
app_probe_tls(const uint8_t *b, size_t n)
{
    return n >= 5 && b[0] == 0x16 && b[1] == 0x03 && b[2] <= 0x04;
}

static bool
app_probe_smtp(const uint8_t *b, size_t n, int dir)
{
    if (dir == FLOW_TOCLIENT)
        return n >= 4 && memcmp(b, "220", 3) == 0 && (b[3] == ' ' || b[3] == '-');
    return app_has_prefix(b, n, "EHLO ") || app_has_prefix(b, n, "HELO ");
}

/* DNS header sanity (RFC 1035 4.1.1); port 53 is the hint that lets it run. */
static bool
app_probe_dns(const uint8_t *b, size_t n, bool tcp)
{
    struct cursor c;

    cur_init(&c, b, n);
    if (tcp) {
        uint16_t len = cur_be16(&c);
        if (len < 12)
            return false;
    }
    cur_skip(&c, 2);
    uint16_t flags = cur_be16(&c);
    uint16_t qd = cur_be16(&c);
    uint16_t an = cur_be16(&c);
    uint16_t ns = cur_be16(&c);
    uint16_t ar = cur_be16(&c);
    unsigned opcode = (flags >> 11) & 0xf;
    if (!cur_ok(&c) || opcode > 6 || qd > 16 || an > 512 || ns > 512 || ar > 512)
        return false;
    return (flags & 0x8000) != 0 || qd >= 1;
}

static uint8_t
app_probe_tcp(const uint8_t *b, size_t n, int dir, bool dns_port)
{
    if (app_probe_http(b, n, dir))
        return APP_PROTO_HTTP;
    if (app_probe_tls(b, n))
        return APP_PROTO_TLS;
    if (app_has_prefix(b, n, "SSH-"))
        return APP_PROTO_SSH;
    if (app_probe_smtp(b, n, dir))
        return APP_PROTO_SMTP;
    if (dns_port && app_probe_dns(b, n, true))
        return APP_PROTO_DNS;
    return APP_PROTO_UNKNOWN;
}

void
app_detect_packet(struct flow *f, const struct pkt *p, int dir)
{
    bool dns_port = p->sp == 53 || p->dp == 53;

    (void)dir;
    if (f->app_proto != APP_PROTO_UNKNOWN || p->payload_len == 0 || p->proto != 17)
        return;
    if (dns_port && app_probe_dns(p->data + p->payload_off, p->payload_len, false))
        f->app_proto = APP_PROTO_DNS;
}

void
app_detect_stream(struct flow *f, int dir, const uint8_t *data, uint32_t len)
{
    bool dns_port = f->key.sp == 53 || f->key.dp == 53;

    if (f->app_proto != APP_PROTO_UNKNOWN || len == 0)
        return;
    f->app_proto = app_probe_tcp(data, len, dir, dns_port);
    if (f->app_proto == APP_PROTO_UNKNOWN && ++f->app_tries >= APP_DETECT_MAX_TRIES)
        f->app_proto = APP_PROTO_FAILED;
}
