/*
 * ipfix_tmpl.c - template registry (layout and field list in ipfix_tmpl.h).
 *
 * The data-record writer is driven by the template's field list, so a
 * template and its records cannot disagree: every field writes exactly the
 * length the template announced.
 */
#include "ipfix_tmpl.h"

#include <string.h>

#include "ipfix_msg.h"

/*
 * Fields after the addresses and the ICMP type/code, in template order;
 * the reverse (PEN 29305) ones only in biflow templates. Why
 * reverseTcpControlBits precedes tcpControlBits: nfdump (1.7.1) maps a
 * reverse element it has no reverse slot for onto the forward element, so
 * placed after, it would overwrite the forward flags there.
 */
static const uint8_t ipfix_tmpl_body[] = {
        IPFIX_IE_SOURCE_TRANSPORT_PORT,
        IPFIX_IE_DESTINATION_TRANSPORT_PORT,
        IPFIX_IE_PROTOCOL_IDENTIFIER,
        IPFIX_IE_IP_VERSION,
        IPFIX_IE_IP_CLASS_OF_SERVICE,
        IPFIX_IE_REVERSE_TCP_CONTROL_BITS,
        IPFIX_IE_TCP_CONTROL_BITS,
        IPFIX_IE_OCTET_DELTA_COUNT,
        IPFIX_IE_PACKET_DELTA_COUNT,
        IPFIX_IE_FLOW_START_MILLISECONDS,
        IPFIX_IE_FLOW_END_MILLISECONDS,
        IPFIX_IE_FLOW_END_REASON,
        IPFIX_IE_VLAN_ID,
        IPFIX_IE_REVERSE_OCTET_DELTA_COUNT,
        IPFIX_IE_REVERSE_PACKET_DELTA_COUNT,
};

static void
ipfix_tmpl_field_add(struct ipfix_tmpl *t, uint8_t version, enum ipfix_ie ie)
{
    const struct ipfix_ie_def *d = &ipfix_ie_table[ie];
    struct ipfix_tmpl_field *f;

    NIDS_BUG_ON(t->n_fields >= IPFIX_TMPL_MAX_FIELDS);
    NIDS_BUG_ON(version == 9 && d->pen != 0);
    if (t->n_fields >= IPFIX_TMPL_MAX_FIELDS)
        return;
    f = &t->f[t->n_fields++];
    f->ie = (uint8_t)ie;
    f->len = d->len;
    if (f->len == IPFIX_VARLEN && version == 9)
        f->len = IPFIX_V9_APP_NAME_LEN; /* the only variable-length element */
    t->def_len = (uint16_t)(t->def_len + (d->pen != 0 ? 8 : 4));
    /* a variable-length value: 1 length byte + up to IPFIX_APP_NAME_MAX bytes */
    t->max_rec_len =
            (uint16_t)(t->max_rec_len + (f->len == IPFIX_VARLEN ? 1 + IPFIX_APP_NAME_MAX : f->len));
}

static void
ipfix_tmpl_build(struct ipfix_tmpl *t, uint8_t version, bool v6, bool biflow, bool app_name)
{
    size_t i;

    memset(t, 0, sizeof(*t));
    t->id = v6 ? IPFIX_TMPL_ID_IPV6 : IPFIX_TMPL_ID_IPV4;
    t->def_len = 4; /* template id, field count */
    ipfix_tmpl_field_add(t, version,
                         v6 ? IPFIX_IE_SOURCE_IPV6_ADDRESS : IPFIX_IE_SOURCE_IPV4_ADDRESS);
    ipfix_tmpl_field_add(
            t, version, v6 ? IPFIX_IE_DESTINATION_IPV6_ADDRESS : IPFIX_IE_DESTINATION_IPV4_ADDRESS);
    /*
     * Before the ports: a decoder that also stores it as the destination
     * port (nfdump) then gets the real port from destinationTransportPort.
     * v9 has one ICMP_TYPE (32) for both IP versions; 139 is IPFIX only.
     */
    ipfix_tmpl_field_add(t, version,
                         v6 && version == 10 ? IPFIX_IE_ICMP_TYPE_CODE_IPV6
                                             : IPFIX_IE_ICMP_TYPE_CODE_IPV4);
    for (i = 0; i < NIDS_ARRAY_LEN(ipfix_tmpl_body); i++) {
        enum ipfix_ie ie = (enum ipfix_ie)ipfix_tmpl_body[i];
        if (biflow || ipfix_ie_table[ie].pen != IPFIX_PEN_REVERSE)
            ipfix_tmpl_field_add(t, version, ie);
    }
    if (app_name)
        ipfix_tmpl_field_add(t, version, IPFIX_IE_APPLICATION_NAME);
}

void
ipfix_tmpl_reg_init(struct ipfix_tmpl_reg *reg, uint8_t version, bool biflow, bool app_name)
{
    memset(reg, 0, sizeof(*reg));
    reg->version = version;
    reg->biflow = biflow && version == 10;
    ipfix_tmpl_build(&reg->t[IPFIX_TMPL_IPV4], version, false, reg->biflow, app_name);
    ipfix_tmpl_build(&reg->t[IPFIX_TMPL_IPV6], version, true, reg->biflow, app_name);
}

const struct ipfix_tmpl *
ipfix_tmpl_reg_lookup(const struct ipfix_tmpl_reg *reg, uint8_t ip_ver)
{
    return &reg->t[ip_ver == 6 ? IPFIX_TMPL_IPV6 : IPFIX_TMPL_IPV4];
}

unsigned
ipfix_tmpl_reg_rec_count(const struct ipfix_tmpl_reg *reg, const struct ipfix_flow_rec *r)
{
    if (reg->biflow)
        return 1;
    /* a reply record only when reply packets were seen, like EVE netflow */
    return r->pkts[IPFIX_DIR_REV] > 0 ? 2 : 1;
}

uint32_t
ipfix_tmpl_reg_mtu_min(const struct ipfix_tmpl_reg *reg)
{
    size_t tmpl = IPFIX_SET_HDR_LEN, rec = 0;
    unsigned i;

    for (i = 0; i < IPFIX_TMPL_COUNT; i++) {
        tmpl += reg->t[i].def_len; /* multiples of 4 */
        if (reg->t[i].max_rec_len > rec)
            rec = reg->t[i].max_rec_len;
    }
    rec = (IPFIX_SET_HDR_LEN + rec + 3) & ~(size_t)3; /* v9 pads sets to 4 bytes */
    return (uint32_t)(IPFIX_IP_UDP_OVERHEAD + ipfix_msg_hdr_len(reg->version) + tmpl + rec);
}

void
ipfix_tmpl_emit(const struct ipfix_tmpl *t, uint8_t *buf)
{
    uint8_t *p = buf;
    unsigned i;

    ipfix_put_be16(p, t->id);
    ipfix_put_be16(p + 2, t->n_fields);
    p += 4;
    for (i = 0; i < t->n_fields; i++) {
        const struct ipfix_ie_def *d = &ipfix_ie_table[t->f[i].ie];
        ipfix_put_be16(p, (uint16_t)(d->id | (d->pen != 0 ? 0x8000u : 0)));
        ipfix_put_be16(p + 2, t->f[i].len);
        p += 4;
        if (d->pen != 0) {
            ipfix_put_be32(p, d->pen);
            p += 4;
        }
    }
    NIDS_BUG_ON((size_t)(p - buf) != t->def_len);
}

/* Bytes of the application name: up to the NUL or the array's end. */
static size_t
ipfix_tmpl_app_len(const struct ipfix_flow_rec *r)
{
    const void *nul = memchr(r->app_name, '\0', sizeof(r->app_name));

    return nul != NULL ? (size_t)((const char *)nul - r->app_name) : sizeof(r->app_name);
}

size_t
ipfix_tmpl_rec_len(const struct ipfix_tmpl *t, const struct ipfix_flow_rec *r)
{
    size_t n = 0;
    unsigned i;

    for (i = 0; i < t->n_fields; i++)
        n += t->f[i].len == IPFIX_VARLEN ? 1 + ipfix_tmpl_app_len(r) : t->f[i].len;
    return n;
}

static bool
ipfix_tmpl_is_icmp(const struct ipfix_flow_rec *r)
{
    return r->proto == 1 || r->proto == 58;
}

/* Write one field of `len` bytes; returns len. */
static size_t
ipfix_tmpl_field_emit(uint8_t *p, enum ipfix_ie ie, uint16_t len, const struct ipfix_flow_rec *r,
                      enum ipfix_dir dir)
{
    unsigned snd = dir == IPFIX_DIR_REV ? 1 : 0; /* counters of this record's sender */
    bool swap = dir == IPFIX_DIR_REV && !ipfix_tmpl_is_icmp(r);
    size_t n;

    switch (ie) {
    case IPFIX_IE_SOURCE_IPV4_ADDRESS:
    case IPFIX_IE_SOURCE_IPV6_ADDRESS:
        memcpy(p, dir == IPFIX_DIR_REV ? r->dst : r->src, len);
        return len;
    case IPFIX_IE_DESTINATION_IPV4_ADDRESS:
    case IPFIX_IE_DESTINATION_IPV6_ADDRESS:
        memcpy(p, dir == IPFIX_DIR_REV ? r->src : r->dst, len);
        return len;
    case IPFIX_IE_SOURCE_TRANSPORT_PORT:
        ipfix_put_be16(p, swap ? r->dp : r->sp);
        return len;
    case IPFIX_IE_DESTINATION_TRANSPORT_PORT:
        ipfix_put_be16(p, swap ? r->sp : r->dp);
        return len;
    case IPFIX_IE_ICMP_TYPE_CODE_IPV4:
    case IPFIX_IE_ICMP_TYPE_CODE_IPV6:
        ipfix_put_be16(p, ipfix_tmpl_is_icmp(r) ? r->dp : 0);
        return len;
    case IPFIX_IE_PROTOCOL_IDENTIFIER:
        *p = r->proto;
        return len;
    case IPFIX_IE_IP_VERSION:
        *p = r->ip_ver;
        return len;
    case IPFIX_IE_IP_CLASS_OF_SERVICE:
        *p = r->tos;
        return len;
    case IPFIX_IE_TCP_CONTROL_BITS:
        *p = r->tcp_flags[snd];
        return len;
    case IPFIX_IE_OCTET_DELTA_COUNT:
        ipfix_put_be64(p, r->bytes[snd]);
        return len;
    case IPFIX_IE_PACKET_DELTA_COUNT:
        ipfix_put_be64(p, r->pkts[snd]);
        return len;
    case IPFIX_IE_FLOW_START_MILLISECONDS:
        ipfix_put_be64(p, r->start_ms);
        return len;
    case IPFIX_IE_FLOW_END_MILLISECONDS:
        ipfix_put_be64(p, r->end_ms);
        return len;
    case IPFIX_IE_FLOW_END_REASON:
        *p = r->end_reason;
        return len;
    case IPFIX_IE_VLAN_ID:
        ipfix_put_be16(p, (uint16_t)(r->vlan_id & 0x0fffu));
        return len;
    case IPFIX_IE_REVERSE_OCTET_DELTA_COUNT:
        ipfix_put_be64(p, r->bytes[1 - snd]);
        return len;
    case IPFIX_IE_REVERSE_PACKET_DELTA_COUNT:
        ipfix_put_be64(p, r->pkts[1 - snd]);
        return len;
    case IPFIX_IE_REVERSE_TCP_CONTROL_BITS:
        *p = r->tcp_flags[1 - snd];
        return len;
    case IPFIX_IE_APPLICATION_NAME:
        n = ipfix_tmpl_app_len(r);
        if (len == IPFIX_VARLEN) {
            p[0] = (uint8_t)n;
            memcpy(p + 1, r->app_name, n);
            return 1 + n;
        }
        if (n > len)
            n = len;
        memcpy(p, r->app_name, n);
        memset(p + n, 0, len - n);
        return len;
    case IPFIX_IE_COUNT:
        break;
    }
    NIDS_BUG_ON(true);
    memset(p, 0, len == IPFIX_VARLEN ? 1 : len);
    return len == IPFIX_VARLEN ? 1 : len;
}

void
ipfix_tmpl_rec_emit(const struct ipfix_tmpl *t, const struct ipfix_flow_rec *r, enum ipfix_dir dir,
                    uint8_t *buf)
{
    uint8_t *p = buf;
    unsigned i;

    for (i = 0; i < t->n_fields; i++)
        p += ipfix_tmpl_field_emit(p, (enum ipfix_ie)t->f[i].ie, t->f[i].len, r, dir);
    NIDS_BUG_ON((size_t)(p - buf) != ipfix_tmpl_rec_len(t, r));
}
