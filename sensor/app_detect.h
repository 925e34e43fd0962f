/*
 * app_detect.h - application protocol identification by probing the
 * first payload bytes of each direction; the port is only a hint (HTTP on
 * 8089 is HTTP, non-HTTP on port 80 is not).
 */
#ifndef APP_DETECT_H
#define APP_DETECT_H

#include <stdint.h>

#include "decode.h"
#include "flow.h"
#include "nids.h"

enum app_proto {
    APP_PROTO_UNKNOWN = 0,
    APP_PROTO_HTTP,
    APP_PROTO_TLS,
    APP_PROTO_SSH,
    APP_PROTO_SMTP,
    APP_PROTO_DNS,
    APP_PROTO_FAILED,
    /* Named by nDPI (app_ndpi.c) where the sensor's probes have no answer. */
    APP_PROTO_FTP,
    APP_PROTO_IMAP,
    APP_PROTO_POP3,
    APP_PROTO_SMB,
    APP_PROTO_DCERPC,
    APP_PROTO_NFS,
    APP_PROTO_NTP,
    APP_PROTO_TFTP,
    APP_PROTO_KRB5,
    APP_PROTO_DHCP,
    APP_PROTO_SNMP,
    APP_PROTO_SIP,
    APP_PROTO_RDP,
    APP_PROTO_RFB,
    APP_PROTO_MQTT,
    APP_PROTO_LDAP,
    APP_PROTO_TELNET,
    APP_PROTO_QUIC,
    APP_PROTO_MDNS,
    APP_PROTO_COUNT
};

/* Packets with payload probed per flow before detection gives up. */
#define APP_DETECT_MAX_TRIES 8

/* Suricata's name for p ("http", "tls"...), NULL for unknown. */
const char *app_proto_name(uint8_t p);

#define APP_PORTS_BYTES (65536 / 8) /* a port list: one bit per port */

/* Where the probes run: app-layer.protocols.<proto>.detection-ports. */
struct app_detect_cfg {
    uint8_t dns_tcp_ports[APP_PORTS_BYTES];
    uint8_t dns_udp_ports[APP_PORTS_BYTES];
};

/* Suricata's defaults: DNS on port 53, TCP and UDP. */
void app_detect_cfg_defaults(struct app_detect_cfg *c);

/*
 * Add the ports of a Suricata port list ("53", "[53, 5353]", "1000:2000",
 * "any") to bitmap (APP_PORTS_BYTES). Returns 0, or NIDS_EINVAL for an
 * empty list or one this parser does not follow (negations).
 */
int app_detect_ports_parse(const char *s, uint8_t *bitmap) NIDS_MUST_CHECK;

/*
 * Install c for every worker (start-up, before workers start; read-only
 * afterwards). Without a call, DNS is probed on port 53.
 */
void app_detect_configure(const struct app_detect_cfg *c);

/*
 * Probe the payload of a UDP packet p (direction dir) when f has no
 * protocol yet: DNS on its ports, with Suricata's probe (the whole message
 * must parse). A DNS response from the client side sets FLOW_F_SWAP: the
 * caller turns the flow round (flow_swap) before the parser sees p. Worker.
 */
void app_detect_packet(struct flow *f, const struct pkt *p, int dir);

/*
 * Probe the first bytes of a TCP stream direction when f has no protocol
 * yet. When the bytes go the other way from the flow (a response first)
 * on a session picked up mid-stream, sets FLOW_F_SWAP, as Suricata turns
 * such flows round: the app layer hands the bytes on in the turned-round
 * direction and the worker swaps the flow once the packet is through
 * reassembly. Worker.
 */
void app_detect_stream(struct flow *f, int dir, const uint8_t *data, uint32_t len);

#endif /* APP_DETECT_H */
