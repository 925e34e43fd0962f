/*
 * ipfix_session.c - sequence numbers, export clock and template refresh
 * for one observation domain (rules in ipfix_session.h).
 */
#include "ipfix_session.h"

#include <string.h>

void
ipfix_session_init(struct ipfix_session *s, uint8_t version, uint32_t domain, uint32_t refresh_s,
                   uint32_t refresh_pkts)
{
    memset(s, 0, sizeof(*s));
    s->version = version;
    s->domain = domain;
    s->refresh_s = refresh_s;
    s->refresh_pkts = refresh_pkts;
}

void
ipfix_session_clock(struct ipfix_session *s, uint64_t now_ms)
{
    if (s->booted)
        return;
    s->boot_ms = now_ms;
    s->booted = true;
}

bool
ipfix_session_tmpl_is_due(const struct ipfix_session *s, uint64_t now_ms)
{
    if (!s->tmpl_sent)
        return true;
    if (s->refresh_pkts != 0 && s->pkts_since >= s->refresh_pkts)
        return true;
    /* packet time may step back (out-of-order capture): not due then */
    return s->refresh_s != 0 && now_ms >= s->tmpl_ms &&
           now_ms - s->tmpl_ms >= (uint64_t)s->refresh_s * 1000u;
}

size_t
ipfix_session_hdr_emit(struct ipfix_session *s, struct ipfix_msg *m, uint64_t now_ms)
{
    uint64_t up;

    ipfix_session_clock(s, now_ms);
    up = now_ms >= s->boot_ms ? now_ms - s->boot_ms : 0;
    return ipfix_msg_hdr_emit(m, (uint32_t)up, (uint32_t)(now_ms / 1000u), s->seq, s->domain);
}

void
ipfix_session_put(struct ipfix_session *s, const struct ipfix_msg *m, uint64_t now_ms)
{
    s->seq += s->version == 9 ? 1u : m->n_data; /* unsigned: wraps modulo 2^32 */
    if (m->n_tmpl > 0) {
        s->tmpl_sent = true;
        s->tmpl_ms = now_ms;
        s->pkts_since = 1;
    } else if (s->pkts_since < UINT32_MAX) {
        s->pkts_since++;
    }
}
