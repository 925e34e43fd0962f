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

enum app_proto {
    APP_PROTO_UNKNOWN = 0,
    APP_PROTO_HTTP,
    APP_PROTO_TLS,
    APP_PROTO_SSH,
    APP_PROTO_SMTP,
    APP_PROTO_DNS,
    APP_PROTO_FAILED,
    APP_PROTO_COUNT
};

/* Packets with payload probed per flow before detection gives up. */
#define APP_DETECT_MAX_TRIES 8

/* Suricata's name for p ("http", "tls"...), NULL for unknown. */
const char *app_proto_name(uint8_t p);

/* Probe the payload of a UDP packet p (direction dir) when f has no protocol yet. Worker. */
void app_detect_packet(struct flow *f, const struct pkt *p, int dir);

/* Probe the first bytes of a TCP stream direction when f has no protocol yet. */
void app_detect_stream(struct flow *f, int dir, const uint8_t *data, uint32_t len);

#endif /* APP_DETECT_H */
