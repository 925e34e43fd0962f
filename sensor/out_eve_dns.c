/*
 * out_eve_dns.c - `dns` records, field for field as Suricata 8 writes them:
 * v3 (the default) from rust/src/dns/log.rs log_json(), v2 from
 * dns_log_query() and dns_log_json_answer(), and the eve-log options of
 * src/output-json-dns.c (requests, responses, types, formats, version).
 *
 * One record per DNS message (Suricata keeps each message as its own
 * transaction): "type" request or response, the header flags, the
 * questions, then answers (detailed list and/or grouped by type),
 * authorities and additionals. Strings made of wire bytes are written
 * like Suricata's JsonBuilder::set_string_from_bytes(): as they are when
 * they are valid UTF-8, otherwise with every byte >= 0x80 spelled "\xNN"
 * (then JSON-escaped like any text).
 */
#include "out_eve.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "app_dns.h"
#include "cursor.h"

/* The `types:` filter bit of each record type (output-json-dns.c). */
static const struct {
    uint16_t type;
    uint8_t bit;
} eve_dns_type_bits[] = {
        {1, 2},    {2, 3},    {3, 4},   {4, 5},   {5, 6},   {6, 7},    {7, 8},    {8, 9},
        {9, 10},   {10, 11},  {11, 12}, {12, 13}, {13, 14}, {14, 15},  {15, 16},  {16, 17},
        {17, 18},  {18, 19},  {19, 20}, {20, 21}, {21, 22}, {22, 23},  {23, 24},  {24, 25},
        {25, 26},  {26, 27},  {27, 28}, {28, 29}, {29, 30}, {30, 31},  {33, 32},  {34, 33},
        {35, 34},  {36, 35},  {37, 36}, {38, 37}, {39, 38}, {41, 39},  {42, 40},  {43, 41},
        {44, 42},  {45, 43},  {46, 44}, {47, 45}, {48, 46}, {49, 47},  {50, 48},  {51, 49},
        {52, 50},  {55, 51},  {59, 52}, {60, 53}, {99, 54}, {249, 55}, {250, 56}, {254, 57},
        {255, 58}, {256, 59}, {65, 62},
};

void
eve_dns_cfg_defaults(struct eve_dns_cfg *c)
{
    c->flags = ~0ull;
    c->version = 3;
}

uint64_t
eve_dns_type_flag(const char *name)
{
    size_t i;

    for (i = 0; i < NIDS_ARRAY_LEN(eve_dns_type_bits); i++) {
        const char *t = dns_type_name(eve_dns_type_bits[i].type);
        if (t != NULL && strcasecmp(t, name) == 0)
            return 1ull << eve_dns_type_bits[i].bit;
    }
    return 0;
}

/* Suricata's dns_log_rrtype_enabled(): everything when all bits are set,
 * else only types that have a bit and have it set. */
static bool
eve_dns_type_enabled(uint16_t type, uint64_t flags)
{
    size_t i;

    if (flags == ~0ull)
        return true;
    for (i = 0; i < NIDS_ARRAY_LEN(eve_dns_type_bits); i++)
        if (eve_dns_type_bits[i].type == type)
            return (flags & (1ull << eve_dns_type_bits[i].bit)) != 0;
    return false;
}

bool
eve_dns_is_logged(uint64_t flags, const struct dns_msg *m)
{
    unsigned i;

    for (i = 0; i < m->n_questions; i++)
        if (eve_dns_type_enabled(m->questions[i].type, flags))
            return true;
    return false;
}

/* A string of wire bytes, as set_string_from_bytes() writes it. n <= 65535. */
static void
eve_dns_str(struct json_buf *j, const char *key, const uint8_t *s, size_t n, char *esc)
{
    static const char hex[] = "0123456789abcdef";
    size_t i, o = 0;

    if (n == 0 || json_is_utf8(s, n)) {
        json_strn(j, key, s, n);
        return;
    }
    for (i = 0; i < n && o + 4 <= EVE_DNS_ESC_MAX; i++) {
        if (s[i] < 0x80) {
            esc[o++] = (char)s[i];
            continue;
        }
        esc[o++] = '\\';
        esc[o++] = 'x';
        esc[o++] = hex[s[i] >> 4];
        esc[o++] = hex[s[i] & 15];
    }
    json_strn(j, key, (const uint8_t *)esc, o);
}

static void
eve_dns_name(struct json_buf *j, const char *key, const struct dns_name *n, char *esc)
{
    eve_dns_str(j, key, n->p, n->len, esc);
}

/* Hex of b, bytes separated by sep (0: none); SSHFP fingerprints, OPT data. */
static void
eve_dns_hex(struct json_buf *j, const char *key, const struct dns_bytes *b, char sep, char *esc)
{
    static const char hex[] = "0123456789abcdef";
    size_t i, o = 0;

    for (i = 0; i < b->len && o + 3 <= EVE_DNS_ESC_MAX; i++) {
        if (sep && i > 0)
            esc[o++] = sep;
        esc[o++] = hex[b->p[i] >> 4];
        esc[o++] = hex[b->p[i] & 15];
    }
    json_strn(j, key, (const uint8_t *)esc, o);
}

/* Suricata's dns_print_addr(): dotted for 4 bytes, 8 groups for 16, else "". */
static void
eve_dns_addr(struct json_buf *j, const char *key, const struct dns_bytes *b)
{
    char buf[48] = "";

    if (b->len == 4 || b->len == 16)
        eve_addr_format(b->p, b->len == 4 ? 4 : 6, buf, sizeof(buf));
    json_str(j, key, buf);
}

static void
eve_dns_rrtype(struct json_buf *j, const char *key, uint16_t type)
{
    const char *name = dns_type_name(type);
    char num[8];

    if (name == NULL) {
        snprintf(num, sizeof(num), "%u", type);
        name = num;
    }
    json_str(j, key, name);
}

static void
eve_dns_rcode(struct json_buf *j, uint8_t rcode)
{
    const char *name = dns_rcode_name(rcode);
    char num[8];

    if (name == NULL) {
        snprintf(num, sizeof(num), "%u", rcode);
        name = num;
    }
    json_str(j, "rcode", name);
}

/* A cursor over b (which may be empty, with no pointer). */
static void
eve_dns_cursor(struct cursor *c, const struct dns_bytes *b)
{
    static const uint8_t none[1];

    cur_init(c, b->len > 0 ? b->p : none, b->len);
}

/* The next string of a TXT RDATA (checked by the parser), or false at its end. */
static bool
eve_dns_txt_next(struct cursor *c, struct dns_bytes *out)
{
    if (cur_left(c) == 0)
        return false;
    uint8_t n = cur_u8(c);
    const uint8_t *p = cur_bytes(c, n);
    if (p == NULL)
        return false;
    out->p = p;
    out->len = n;
    return true;
}

static void
eve_dns_soa(struct json_buf *j, const char *key, const struct dns_rr *rr, char *esc)
{
    json_open_object(j, key);
    eve_dns_name(j, "mname", &rr->u.soa.mname, esc);
    if (rr->u.soa.mname.flags & DNS_NAME_F_TRUNCATED)
        json_bool(j, "mname_truncated", true);
    eve_dns_name(j, "rname", &rr->u.soa.rname, esc);
    if (rr->u.soa.rname.flags & DNS_NAME_F_TRUNCATED)
        json_bool(j, "rname_truncated", true);
    json_u64(j, "serial", rr->u.soa.serial);
    json_u64(j, "refresh", rr->u.soa.refresh);
    json_u64(j, "retry", rr->u.soa.retry);
    json_u64(j, "expire", rr->u.soa.expire);
    json_u64(j, "minimum", rr->u.soa.minimum);
    json_close(j);
}

static void
eve_dns_sshfp(struct json_buf *j, const char *key, const struct dns_rr *rr, char *esc)
{
    json_open_object(j, key);
    eve_dns_hex(j, "fingerprint", &rr->u.sshfp.fp, ':', esc);
    json_u64(j, "algo", rr->u.sshfp.algo);
    json_u64(j, "type", rr->u.sshfp.fp_type);
    json_close(j);
}

static void
eve_dns_srv(struct json_buf *j, const char *key, const struct dns_rr *rr, char *esc)
{
    json_open_object(j, key);
    json_u64(j, "priority", rr->u.srv.priority);
    json_u64(j, "weight", rr->u.srv.weight);
    json_u64(j, "port", rr->u.srv.port);
    eve_dns_name(j, "name", &rr->u.srv.target, esc);
    json_close(j);
}

static void
eve_dns_opt(struct json_buf *j, const struct dns_rr *rr, char *esc)
{
    struct cursor c;
    struct dns_bytes data;

    json_open_array(j, "opt");
    eve_dns_cursor(&c, &rr->rdata);
    while (cur_left(&c) >= 4) {
        uint16_t code = cur_be16(&c);
        uint16_t n = cur_be16(&c);
        data.p = cur_bytes(&c, n);
        data.len = n;
        if (data.p == NULL)
            break;
        json_open_object(j, NULL);
        json_u64(j, "code", code);
        eve_dns_hex(j, "data", &data, 0, esc);
        json_close(j);
    }
    json_close(j);
}

/* One entry of answers/authorities/additionals (dns_log_json_answer_detail);
 * txt: the TXT string this entry stands for. */
static void
eve_dns_detail(struct json_buf *j, const struct dns_rr *rr, const struct dns_bytes *txt, char *esc)
{
    json_open_object(j, NULL);
    eve_dns_name(j, "rrname", &rr->name, esc);
    if (rr->name.flags & DNS_NAME_F_TRUNCATED)
        json_bool(j, "rrname_truncated", true);
    eve_dns_rrtype(j, "rrtype", rr->type);
    json_u64(j, "ttl", rr->ttl);
    switch (rr->kind) {
    case DNS_RD_ADDR:
        eve_dns_addr(j, "rdata", &rr->rdata);
        break;
    case DNS_RD_NAME:
        eve_dns_name(j, "rdata", &rr->u.target.name, esc);
        if (rr->u.target.name.flags & DNS_NAME_F_TRUNCATED)
            json_bool(j, "rdata_truncated", true);
        break;
    case DNS_RD_TXT:
        if (txt != NULL)
            eve_dns_str(j, "rdata", txt->p, txt->len, esc);
        break;
    case DNS_RD_BYTES:
        eve_dns_str(j, "rdata", rr->rdata.p, rr->rdata.len, esc);
        break;
    case DNS_RD_SOA:
        eve_dns_soa(j, "soa", rr, esc);
        break;
    case DNS_RD_SSHFP:
        eve_dns_sshfp(j, "sshfp", rr, esc);
        break;
    case DNS_RD_SRV:
        eve_dns_srv(j, "srv", rr, esc);
        break;
    case DNS_RD_OPT:
        eve_dns_opt(j, rr, esc);
        break;
    default:
        break;
    }
    json_close(j);
}

/* The entries of one record: one per string for TXT (none when it has none). */
static void
eve_dns_entries(struct json_buf *j, const struct dns_rr *rr, char *esc)
{
    struct cursor c;
    struct dns_bytes txt;

    if (rr->kind != DNS_RD_TXT) {
        eve_dns_detail(j, rr, NULL, esc);
        return;
    }
    eve_dns_cursor(&c, &rr->rdata);
    while (eve_dns_txt_next(&c, &txt))
        eve_dns_detail(j, rr, &txt, esc);
}

/* Record kinds that have a place in "grouped". */
static bool
eve_dns_is_grouped(uint8_t kind)
{
    return kind != DNS_RD_OPT && kind != DNS_RD_OTHER;
}

/* The value(s) of one record in its "grouped" array. */
static void
eve_dns_group_values(struct json_buf *j, const struct dns_rr *rr, char *esc)
{
    struct cursor c;
    struct dns_bytes txt;

    switch (rr->kind) {
    case DNS_RD_ADDR:
        eve_dns_addr(j, NULL, &rr->rdata);
        break;
    case DNS_RD_NAME:
        eve_dns_name(j, NULL, &rr->u.target.name, esc);
        break;
    case DNS_RD_TXT:
        eve_dns_cursor(&c, &rr->rdata);
        while (eve_dns_txt_next(&c, &txt))
            eve_dns_str(j, NULL, txt.p, txt.len, esc);
        break;
    case DNS_RD_BYTES:
        eve_dns_str(j, NULL, rr->rdata.p, rr->rdata.len, esc);
        break;
    case DNS_RD_SOA:
        eve_dns_soa(j, NULL, rr, esc);
        break;
    case DNS_RD_SSHFP:
        eve_dns_sshfp(j, NULL, rr, esc);
        break;
    case DNS_RD_SRV:
        eve_dns_srv(j, NULL, rr, esc);
        break;
    default:
        break;
    }
}

/*
 * "grouped": one array per record type, types in order of first
 * appearance (Suricata drains a HashMap: its order is not defined).
 */
static void
eve_dns_grouped(struct json_buf *j, const struct dns_rr *rr, unsigned n, char *esc)
{
    unsigned i, k;
    char name[8];

    json_open_object(j, "grouped");
    for (i = 0; i < n; i++) {
        if (!eve_dns_is_grouped(rr[i].kind))
            continue;
        for (k = 0; k < i && rr[k].type != rr[i].type; k++)
            ;
        if (k < i)
            continue; /* this type has its array already */
        const char *t = dns_type_name(rr[i].type);
        if (t == NULL) {
            snprintf(name, sizeof(name), "%u", rr[i].type);
            t = name;
        }
        json_open_array(j, t);
        for (k = i; k < n; k++)
            if (rr[k].type == rr[i].type)
                eve_dns_group_values(j, &rr[k], esc);
        json_close(j);
    }
    json_close(j);
}

/* answers and grouped (dns_log_json_answers), authorities, additionals. */
static void
eve_dns_sections(struct json_buf *j, uint64_t flags, const struct dns_msg *m, char *esc)
{
    const struct dns_rr *an = m->rr[DNS_SEC_ANSWER];
    unsigned n = m->n_rr[DNS_SEC_ANSWER], i;
    bool open = false;

    if (n > 0) {
        if (flags & EVE_DNS_FORMAT_DETAILED) {
            json_open_array(j, "answers");
            for (i = 0; i < n; i++)
                eve_dns_entries(j, &an[i], esc);
            json_close(j);
        }
        if (flags & EVE_DNS_FORMAT_GROUPED)
            eve_dns_grouped(j, an, n, esc);
    }
    if (m->n_rr[DNS_SEC_AUTHORITY] > 0) {
        json_open_array(j, "authorities");
        for (i = 0; i < m->n_rr[DNS_SEC_AUTHORITY]; i++)
            eve_dns_entries(j, &m->rr[DNS_SEC_AUTHORITY][i], esc);
        json_close(j);
    }
    for (i = 0; i < m->n_rr[DNS_SEC_ADDITIONAL]; i++) {
        const struct dns_rr *rr = &m->rr[DNS_SEC_ADDITIONAL][i];
        /* An OPT record without options (plain EDNS) is left out. */
        if (rr->kind == DNS_RD_OPT && rr->rdata.len == 0)
            continue;
        if (!open)
            json_open_array(j, "additionals");
        open = true;
        eve_dns_entries(j, rr, esc);
    }
    if (open)
        json_close(j);
}

/* flags as hex, then the flag booleans that are set, then the opcode. */
static void
eve_dns_header(struct json_buf *j, const struct dns_msg *m)
{
    char hex[8];

    snprintf(hex, sizeof(hex), "%x", m->flags);
    json_str(j, "flags", hex);
    if (m->qr)
        json_bool(j, "qr", true);
    if (m->aa)
        json_bool(j, "aa", true);
    if (m->tc)
        json_bool(j, "tc", true);
    if (m->rd)
        json_bool(j, "rd", true);
    if (m->ra)
        json_bool(j, "ra", true);
    if (m->z)
        json_bool(j, "z", true);
    json_u64(j, "opcode", m->opcode);
}

void
eve_dns_v3(struct json_buf *j, uint64_t flags, const struct dns_msg *m, bool response,
           uint64_t tx_id, char *esc)
{
    unsigned i;

    json_open_object(j, "dns");
    json_i64(j, "version", 3);
    json_str(j, "type", response ? "response" : "request");
    json_u64(j, "tx_id", tx_id);
    json_u64(j, "id", m->id);
    eve_dns_header(j, m);
    eve_dns_rcode(j, m->rcode);
    if (m->n_questions > 0) {
        json_open_array(j, "queries");
        for (i = 0; i < m->n_questions; i++) {
            const struct dns_question *q = &m->questions[i];
            if (!eve_dns_type_enabled(q->type, flags))
                continue;
            json_open_object(j, NULL);
            eve_dns_name(j, "rrname", &q->name, esc);
            eve_dns_rrtype(j, "rrtype", q->type);
            if (q->name.flags & DNS_NAME_F_TRUNCATED)
                json_bool(j, "rrname_truncated", true);
            json_close(j);
        }
        json_close(j);
    }
    eve_dns_sections(j, flags, m, esc);
    json_close(j);
}

/* v2 request: one record per question while their types are enabled. */
static void
eve_dns_v2_query(struct json_buf *j, const struct dns_msg *m, unsigned i, uint64_t tx_id, char *esc)
{
    const struct dns_question *q = &m->questions[i];

    json_open_object(j, "dns");
    json_i64(j, "version", 2);
    json_str(j, "type", "query");
    json_u64(j, "id", m->id);
    eve_dns_name(j, "rrname", &q->name, esc);
    if (q->name.flags & DNS_NAME_F_TRUNCATED)
        json_bool(j, "rrname_truncated", true);
    eve_dns_rrtype(j, "rrtype", q->type);
    json_u64(j, "tx_id", tx_id);
    if (m->z)
        json_bool(j, "z", true);
    json_u64(j, "opcode", m->opcode);
    json_close(j);
}

/* v2 response: one "answer" record. */
static void
eve_dns_v2_answer(struct json_buf *j, uint64_t flags, const struct dns_msg *m, char *esc)
{
    json_open_object(j, "dns");
    json_i64(j, "version", 2);
    json_str(j, "type", "answer");
    json_u64(j, "id", m->id);
    eve_dns_header(j, m);
    if (m->n_questions > 0) {
        const struct dns_question *q = &m->questions[0];
        eve_dns_name(j, "rrname", &q->name, esc);
        if (q->name.flags & DNS_NAME_F_TRUNCATED)
            json_bool(j, "rrname_truncated", true);
        eve_dns_rrtype(j, "rrtype", q->type);
    }
    eve_dns_rcode(j, m->rcode);
    eve_dns_sections(j, flags, m, esc);
    json_close(j);
}

/*
 * Where a record's header comes from: the packet that carried the message
 * (UDP: LOG_DIR_PACKET), or the flow, in the message's direction, at the
 * packet p that acknowledged it (TCP: Suricata's app layer runs on
 * acknowledged data; p is NULL at flow end).
 */
struct eve_dns_at {
    const struct pkt *p;
    bool stream;
    bool rev;       /* stream: the server side first (a response) */
    uint64_t ts_us; /* stream: the record's time */
};

/* CreateEveHeader for a stream record: the flow's addresses, the packet's count and time. */
static void
eve_dns_stream_header(struct json_buf *j, const struct eve_dns_at *at, const struct flow *f,
                      const char *event_type)
{
    const char *pkt_src = at->p == NULL                    ? "stream (flow timeout)"
                          : (at->p->flags & PKT_IS_PSEUDO) ? "defrag"
                                                           : "wire/pcap";

    eve_header_stream(j, f, event_type, at->ts_us, at->p != NULL ? at->p->pcap_cnt : 0, at->rev,
                      pkt_src);
}

/* Header, community id, then the dns object written by the caller. */
static void
eve_dns_begin(struct eve *e, const struct eve_output *o, const struct eve_dns_at *at,
              const struct flow *f)
{
    json_reset(&e->j);
    if (at->stream)
        eve_dns_stream_header(&e->j, at, f, "dns");
    else
        eve_header_packet(&e->j, at->p, f, "dns");
    if (f != NULL)
        eve_add_community_id(&e->j, o, f);
}

/* The records of one output (JsonDnsLogger and its v2 helpers). */
static void
eve_dns_output(struct eve *e, struct eve_output *o, const struct eve_dns_at *at,
               const struct flow *f, const struct dns_msg *m, bool response, uint64_t tx_id,
               char *esc)
{
    uint64_t flags = o->dns.flags;
    unsigned i;

    if (!(flags & (response ? EVE_DNS_RESPONSES : EVE_DNS_REQUESTS)))
        return;
    if (o->dns.version != 2) {
        if (!eve_dns_is_logged(flags, m))
            return;
        eve_dns_begin(e, o, at, f);
        eve_dns_v3(&e->j, flags, m, response, tx_id, esc);
        json_close(&e->j);
        eve_commit(e, o);
        return;
    }
    if (response) {
        if (!eve_dns_is_logged(flags, m))
            return;
        eve_dns_begin(e, o, at, f);
        eve_dns_v2_answer(&e->j, flags, m, esc);
        json_close(&e->j);
        eve_commit(e, o);
        return;
    }
    for (i = 0; i < m->n_questions && eve_dns_type_enabled(m->questions[i].type, flags); i++) {
        eve_dns_begin(e, o, at, f);
        eve_dns_v2_query(&e->j, m, i, tx_id, esc);
        json_close(&e->j);
        eve_commit(e, o);
    }
}

void
eve_emit_dns(struct eve *e, const struct pkt *p, const struct flow *f, const struct dns_msg *m,
             bool response, uint64_t tx_id, char *esc)
{
    struct eve_dns_at at = {p, false, false, 0};
    unsigned i;

    for (i = 0; i < e->n_out; i++)
        if (e->out[i].types[EVE_TYPE_DNS])
            eve_dns_output(e, &e->out[i], &at, f, m, response, tx_id, esc);
}

void
eve_emit_dns_stream(struct eve *e, const struct pkt *p, const struct flow *f,
                    const struct dns_msg *m, bool response, uint64_t tx_id, uint64_t ts_us,
                    char *esc)
{
    struct eve_dns_at at = {p, true, response, p != NULL ? p->ts_us : ts_us};
    unsigned i;

    for (i = 0; i < e->n_out; i++)
        if (e->out[i].types[EVE_TYPE_DNS])
            eve_dns_output(e, &e->out[i], &at, f, m, response, tx_id, esc);
}

void
eve_emit_dns_stream_anomaly(struct eve *e, const struct pkt *p, const struct flow *f, bool response,
                            const char *event, uint64_t tx_id, uint64_t ts_us)
{
    /* At flow end: from the side that would have acknowledged the message. */
    struct eve_dns_at at = {NULL, true, !response, ts_us};
    unsigned i;

    if (p != NULL) {
        eve_emit_anomaly_applayer(e, p, f, "dns", event, tx_id);
        return;
    }
    for (i = 0; i < e->n_out; i++) {
        struct eve_output *o = &e->out[i];
        if (!o->types[EVE_TYPE_ANOMALY] || !o->anomaly_applayer)
            continue;
        json_reset(&e->j);
        eve_dns_stream_header(&e->j, &at, f, "anomaly");
        json_u64(&e->j, "tx_id", tx_id);
        eve_add_community_id(&e->j, o, f);
        json_open_object(&e->j, "anomaly");
        json_str(&e->j, "app_proto", "dns");
        json_str(&e->j, "type", "applayer");
        json_str(&e->j, "event", event);
        json_str(&e->j, "layer", "proto_parser");
        json_close(&e->j);
        json_close(&e->j);
        eve_commit(e, o);
    }
}
