/*
 * app_detect.c - protocol probes over the first payload bytes. Each probe
 * looks only at bytes that are there and answers yes or no; a flow keeps
 * the first yes. After APP_DETECT_MAX_TRIES payload packets without one,
 * a TCP flow is "failed", as Suricata reports it.
 */
#include "app_detect.h"

#include <string.h>
#include <strings.h>

#include "app_dns.h"
#include "cursor.h"

const char *
app_proto_name(uint8_t p)
{
    static const char *const names[APP_PROTO_COUNT] = {
            NULL, "http", "tls", "ssh", "smtp", "dns", "failed",
            /* Suricata's names of the protocols nDPI identifies (app_ndpi.c). */
            [APP_PROTO_FTP] = "ftp", [APP_PROTO_IMAP] = "imap", [APP_PROTO_POP3] = "pop3",
            [APP_PROTO_SMB] = "smb", [APP_PROTO_DCERPC] = "dcerpc", [APP_PROTO_NFS] = "nfs",
            [APP_PROTO_NTP] = "ntp", [APP_PROTO_TFTP] = "tftp", [APP_PROTO_KRB5] = "krb5",
            [APP_PROTO_DHCP] = "dhcp", [APP_PROTO_SNMP] = "snmp", [APP_PROTO_SIP] = "sip",
            [APP_PROTO_RDP] = "rdp", [APP_PROTO_RFB] = "rfb", [APP_PROTO_MQTT] = "mqtt",
            [APP_PROTO_LDAP] = "ldap", [APP_PROTO_TELNET] = "telnet", [APP_PROTO_QUIC] = "quic",
            [APP_PROTO_MDNS] = "mdns"};

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
    /* Suricata's patterns: "EHLO", "HELO", "QUIT" at offset 0, any case */
    return n >= 4 && (strncasecmp((const char *)b, "EHLO", 4) == 0 ||
                      strncasecmp((const char *)b, "HELO", 4) == 0 ||
                      strncasecmp((const char *)b, "QUIT", 4) == 0);
}

/*
 * DNS detection ports (app-layer.protocols.dns.*.detection-ports), one bit
 * per port, [0] TCP and [1] UDP: a DNS probe runs only when one of the
 * flow's ports is listed, as Suricata's probing parsers do. Port 53 unless
 * app_detect_configure() says otherwise (start-up, before any worker).
 */
static uint8_t app_dns_ports[2][APP_PORTS_BYTES] = {{[53 / 8] = 1u << (53 % 8)},
                                                    {[53 / 8] = 1u << (53 % 8)}};

static bool
app_port_is_set(const uint8_t *bitmap, uint16_t port)
{
    return (bitmap[port / 8] >> (port % 8)) & 1u;
}

static bool
app_dns_port(const struct flow *f, bool tcp)
{
    const uint8_t *b = app_dns_ports[tcp ? 0 : 1];

    return app_port_is_set(b, f->key.sp) || app_port_is_set(b, f->key.dp);
}

void
app_detect_cfg_defaults(struct app_detect_cfg *c)
{
    memset(c, 0, sizeof(*c));
    c->dns_tcp_ports[53 / 8] = 1u << (53 % 8);
    c->dns_udp_ports[53 / 8] = 1u << (53 % 8);
}

void
app_detect_configure(const struct app_detect_cfg *c)
{
    memcpy(app_dns_ports[0], c->dns_tcp_ports, APP_PORTS_BYTES);
    memcpy(app_dns_ports[1], c->dns_udp_ports, APP_PORTS_BYTES);
}

/* A decimal port at *s (advanced past it), or -1. */
static long
app_port_number(const char **s)
{
    long v = 0;
    int digits = 0;

    while (**s >= '0' && **s <= '9' && digits < 6) {
        v = v * 10 + (**s - '0');
        (*s)++;
        digits++;
    }
    return digits == 0 || digits > 5 || v > 65535 ? -1 : v;
}

int
app_detect_ports_parse(const char *s, uint8_t *bitmap)
{
    unsigned n = 0;

    while (*s != '\0') {
        long lo, hi, p;
        if (*s == ' ' || *s == ',' || *s == '[' || *s == ']') {
            s++;
            continue;
        }
        if (strncmp(s, "any", 3) == 0) {
            memset(bitmap, 0xff, APP_PORTS_BYTES);
            s += 3;
            n++;
            continue;
        }
        lo = app_port_number(&s);
        hi = lo;
        if (lo >= 0 && *s == ':') {
            s++;
            hi = app_port_number(&s);
        }
        if (lo < 0 || hi < lo)
            return NIDS_EINVAL; /* negations and junk are not port lists we follow */
        for (p = lo; p <= hi; p++)
            bitmap[p / 8] |= (uint8_t)(1u << (p % 8));
        n++;
    }
    return n > 0 ? 0 : NIDS_EINVAL;
}

/* The patterns of direction dir (Suricata's pattern matchers, not the DNS probe). */
static uint8_t
app_probe_patterns(const uint8_t *b, size_t n, int dir)
{
    if (app_probe_http(b, n, dir))
        return APP_PROTO_HTTP;
    if (app_probe_tls(b, n))
        return APP_PROTO_TLS;
    if (app_has_prefix(b, n, "SSH-"))
        return APP_PROTO_SSH;
    if (app_probe_smtp(b, n, dir))
        return APP_PROTO_SMTP;
    return APP_PROTO_UNKNOWN;
}

/*
 * Suricata's order: the patterns of the direction, then (mid-stream
 * sessions) those of the other one, which means the flow runs the other
 * way round, then the probing parsers (DNS, on its ports). *rev: the
 * bytes go the other way from what the flow says.
 */
static uint8_t
app_probe_tcp(const struct flow *f, const uint8_t *b, size_t n, int dir, bool *rev)
{
    uint8_t p = app_probe_patterns(b, n, dir);
    bool is_request;

    *rev = false;
    if (p == APP_PROTO_UNKNOWN && (f->flags & FLOW_F_MIDSTREAM)) {
        p = app_probe_patterns(b, n, dir ^ 1);
        *rev = p != APP_PROTO_UNKNOWN;
    }
    if (p != APP_PROTO_UNKNOWN)
        return p;
    /* DNS over TCP: length, header and (when all there) the whole message. */
    if (n >= 2 + DNS_HDR_LEN && app_dns_port(f, true) &&
        dns_probe_tcp(b, n, &is_request) == DNS_PROBE_YES) {
        *rev = is_request != (dir == FLOW_TOSERVER);
        return APP_PROTO_DNS;
    }
    return APP_PROTO_UNKNOWN;
}

void
app_detect_packet(struct flow *f, const struct pkt *p, int dir)
{
    struct cursor c;
    const uint8_t *payload;
    bool is_request;

    if (f->app_proto != APP_PROTO_UNKNOWN || p->payload_len == 0 || p->proto != 17 ||
        !app_dns_port(f, false))
        return;
    cur_init(&c, p->data, p->caplen);
    cur_skip(&c, p->payload_off);
    payload = cur_bytes(&c, p->payload_len);
    if (payload == NULL ||
        dns_probe_message(payload, p->payload_len, p->payload_len, &is_request) != DNS_PROBE_YES)
        return;
    f->app_proto = APP_PROTO_DNS;
    /* A response from the client side: Suricata turns the flow round. */
    if (is_request != (dir == FLOW_TOSERVER))
        f->flags |= FLOW_F_SWAP;
}

void
app_detect_stream(struct flow *f, int dir, const uint8_t *data, uint32_t len)
{
    bool rev;

    if (f->app_proto != APP_PROTO_UNKNOWN || len == 0)
        return;
    f->app_proto = app_probe_tcp(f, data, len, dir, &rev);
    if (f->app_proto != APP_PROTO_UNKNOWN) {
        /* Suricata turns only sessions picked up mid-stream round. */
        if (rev && (f->flags & FLOW_F_MIDSTREAM))
            f->flags |= FLOW_F_SWAP;
        return;
    }
    if (++f->app_tries >= APP_DETECT_MAX_TRIES)
        f->app_proto = APP_PROTO_FAILED;
}
