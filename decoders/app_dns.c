/*
 * app_dns.c - DNS message parser (RFC 1035 4.1, name compression 4.1.4;
 * AD/CD from RFC 4035 3.2; SRV RFC 2782; SSHFP RFC 4255; OPT RFC 6891).
 *
 *                                   1  1  1  1  1  1
 *     0  1  2  3  4  5  6  7  8  9  0  1  2  3  4  5
 *   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *   |                      ID                       |
 *   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *   |QR|   Opcode  |AA|TC|RD|RA| Z|AD|CD|   RCODE   |
 *   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *   |        QDCOUNT, ANCOUNT, NSCOUNT, ARCOUNT     |  4 x 16 bits
 *   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *   question:  QNAME  QTYPE(16) QCLASS(16)
 *   record:    NAME   TYPE(16) CLASS(16) TTL(32) RDLENGTH(16) RDATA
 *
 *   name:  | 00 len(6) | len bytes | ... | 0 |     labels, then the root
 *          | 11 offset (14 bits from the message start)|   a pointer: the
 *                                                          rest is there
 *
 * Acceptance follows Suricata 8 exactly, since its EVE output is what the
 * sensor reproduces (rust/src/dns/parser.rs dns_parse_name,
 * dns_parse_answer, dns_parse_body; dns.rs probe_header_validity):
 *  - a name ends at a zero byte, or where its bytes end (section, RDATA,
 *    or after a pointer the message); label types 01 and 10 are errors;
 *  - a pointer past the message end is an error; a pointer whose target
 *    reads exactly like the bytes at the pointer (itself) is an error
 *    before any pointer was followed, and ends the name (LOOP) after;
 *  - after DNS_NAME_HOPS_MAX labels and pointers the name is an error,
 *    or, once a pointer was followed, ends (LABELS | TRUNCATED): this is
 *    the loop bound for pointer cycles;
 *  - a name longer than DNS_NAME_MAX is cut there (TRUNCATED); parsing
 *    goes on to find its end unless a pointer was followed;
 *  - RDATA is decoded within RDLENGTH; bytes left over after a decoded
 *    field are ignored; a field that does not fit is an error of the
 *    record. An error in a question or answer fails the message; in an
 *    authority record it drops that section and skips the additionals;
 *    in an additional record it drops that section.
 */
#include "app_dns.h"

#include <string.h>

#include "cursor.h"

/* Room reserved per stored name: a name at DNS_NAME_MAX may take one more
 * label (dot + 63 bytes) before the length check cuts it, and is not cut
 * when the hop limit ends it in that same step (as in Suricata). */
#define DNS_NAME_BUF (DNS_NAME_MAX + 64)

/* One parse: the message, the caller's scratch and how much of it is used. */
struct dns_ctx {
    const uint8_t *msg;
    size_t len;
    uint8_t *scratch;
    size_t scratch_len;
    size_t used;
    struct dns_msg *m;  /* NULL when probing: nothing is stored */
    uint8_t name_flags; /* union of the flags of every name parsed */
};

/*
 * Suricata's self-reference test `&message[offset..] == pos`: a slice
 * comparison by content, true when the message from off to its end reads
 * the same as the current segment from the pointer (at) to its end.
 */
static bool
dns_ptr_is_self(const struct dns_ctx *x, size_t off, const struct cursor *at)
{
    struct cursor a = *at, b;
    size_t n = cur_left(at);
    const uint8_t *pa, *pb;

    if (x->len - off != n)
        return false;
    cur_init(&b, x->msg, x->len);
    cur_skip(&b, off);
    pa = cur_bytes(&a, n);
    pb = cur_bytes(&b, n);
    return pa != NULL && pb != NULL && memcmp(pa, pb, n) == 0;
}

/* Appends a label (with its dot) to the name being built, unless cut. */
static void
dns_name_append(uint8_t *dst, size_t *nlen, const uint8_t *label, size_t n)
{
    size_t o = *nlen;

    if (dst != NULL) {
        if (o > 0)
            dst[o] = '.';
        memcpy(dst + o + (o > 0), label, n);
    }
    *nlen = o + (o > 0) + n;
}

/*
 * Parses the name at *seg (bounded by the section or the RDATA) and leaves
 * *seg after it: after the first pointer when one was followed. store:
 * keep it in the scratch buffer when there is room. Returns false when
 * the name is malformed (*seg is then unspecified).
 */
static bool
dns_name_parse(struct dns_ctx *x, struct cursor *seg, struct dns_name *out, bool store)
{
    struct cursor pos = *seg, pivot = *seg;
    bool pivoted = false;
    uint8_t *dst = NULL;
    uint8_t flags = 0;
    size_t nlen = 0;
    unsigned hops = 0;

    if (store && x->scratch_len - x->used >= DNS_NAME_BUF)
        dst = x->scratch + x->used;
    while (cur_left(&pos) > 0) {
        uint8_t b = cur_peek_u8(&pos, 0);
        if (b == 0) {
            cur_skip(&pos, 1);
            break;
        }
        if ((b & 0xc0) == 0) {
            cur_skip(&pos, 1);
            const uint8_t *label = cur_bytes(&pos, b);
            if (label == NULL)
                return false;
            if (!(flags & DNS_NAME_F_TRUNCATED))
                dns_name_append(dst, &nlen, label, b);
        } else if ((b & 0xc0) == 0xc0) {
            struct cursor at = pos;
            size_t off = cur_be16(&pos) & 0x3fffu;
            if (!cur_ok(&pos) || off > x->len)
                return false;
            if (dns_ptr_is_self(x, off, &at)) {
                flags |= DNS_NAME_F_LOOP;
                if (pivoted)
                    break;
                return false;
            }
            if (!pivoted) {
                pivot = pos;
                pivoted = true;
            }
            cur_init(&pos, x->msg, x->len);
            cur_skip(&pos, off);
        } else {
            return false; /* extended label types 01 and 10 */
        }
        if (++hops > DNS_NAME_HOPS_MAX) {
            flags |= DNS_NAME_F_LABELS;
            if (!pivoted)
                return false;
            flags |= DNS_NAME_F_TRUNCATED;
            break;
        }
        if (nlen > DNS_NAME_MAX) {
            nlen = DNS_NAME_MAX;
            flags |= DNS_NAME_F_TRUNCATED;
            if (pivoted)
                break;
        }
    }
    *seg = pivoted ? pivot : pos;
    x->name_flags |= flags;
    out->flags = flags;
    out->p = NULL;
    out->len = 0;
    if (dst != NULL) {
        out->p = nlen > 0 ? dst : NULL;
        out->len = (uint16_t)nlen;
        x->used += nlen;
    } else if (store && x->m != NULL) {
        out->flags |= DNS_NAME_F_NOSPACE;
        x->m->names_not_stored++;
    }
    return true;
}

static void
dns_bytes_set(struct dns_bytes *v, const uint8_t *p, size_t n)
{
    v->p = n > 0 ? p : NULL;
    v->len = (uint16_t)n;
}

/* TXT: one or more <length, bytes> strings filling the RDATA exactly. */
static bool
dns_txt_check(struct cursor rd)
{
    while (cur_left(&rd) > 0) {
        uint8_t n = cur_u8(&rd);
        if (cur_bytes(&rd, n) == NULL)
            return false;
    }
    return true;
}

/* OPT: <code(16), length(16), data> options filling the RDATA exactly. */
static bool
dns_opt_check(struct cursor rd)
{
    while (cur_left(&rd) > 0) {
        cur_skip(&rd, 2);
        uint16_t n = cur_be16(&rd);
        if (cur_bytes(&rd, n) == NULL)
            return false;
    }
    return true;
}

/* Decodes the RDATA of rr (the cursor rd covers exactly RDLENGTH bytes). */
static bool
dns_rdata_parse(struct dns_ctx *x, struct cursor rd, struct dns_rr *rr, bool store)
{
    switch (rr->type) {
    case DNS_TYPE_A:
    case DNS_TYPE_AAAA:
        rr->kind = DNS_RD_ADDR;
        return true;
    case DNS_TYPE_MX:
        rr->kind = DNS_RD_NAME;
        rr->u.target.mx_pref = cur_be16(&rd);
        return cur_ok(&rd) && dns_name_parse(x, &rd, &rr->u.target.name, store);
    case DNS_TYPE_CNAME:
    case DNS_TYPE_NS:
    case DNS_TYPE_PTR:
        rr->kind = DNS_RD_NAME;
        return dns_name_parse(x, &rd, &rr->u.target.name, store);
    case DNS_TYPE_SOA:
        rr->kind = DNS_RD_SOA;
        if (!dns_name_parse(x, &rd, &rr->u.soa.mname, store) ||
            !dns_name_parse(x, &rd, &rr->u.soa.rname, store))
            return false;
        rr->u.soa.serial = cur_be32(&rd);
        rr->u.soa.refresh = cur_be32(&rd);
        rr->u.soa.retry = cur_be32(&rd);
        rr->u.soa.expire = cur_be32(&rd);
        rr->u.soa.minimum = cur_be32(&rd);
        return cur_ok(&rd);
    case DNS_TYPE_SRV:
        rr->kind = DNS_RD_SRV;
        rr->u.srv.priority = cur_be16(&rd);
        rr->u.srv.weight = cur_be16(&rd);
        rr->u.srv.port = cur_be16(&rd);
        return cur_ok(&rd) && dns_name_parse(x, &rd, &rr->u.srv.target, store);
    case DNS_TYPE_TXT:
        rr->kind = DNS_RD_TXT;
        return dns_txt_check(rd);
    case DNS_TYPE_NULL:
        rr->kind = DNS_RD_BYTES;
        return true;
    case DNS_TYPE_SSHFP: {
        rr->kind = DNS_RD_SSHFP;
        rr->u.sshfp.algo = cur_u8(&rd);
        rr->u.sshfp.fp_type = cur_u8(&rd);
        size_t n = cur_left(&rd);
        dns_bytes_set(&rr->u.sshfp.fp, cur_bytes(&rd, n), n);
        return cur_ok(&rd);
    }
    case DNS_TYPE_OPT:
        rr->kind = DNS_RD_OPT;
        return dns_opt_check(rd);
    default:
        rr->kind = DNS_RD_OTHER;
        return true;
    }
}

/* One resource record at *c into rr (a throw-away record when not stored). */
static bool
dns_rr_parse(struct dns_ctx *x, struct cursor *c, struct dns_rr *rr, bool store)
{
    if (!dns_name_parse(x, c, &rr->name, store))
        return false;
    rr->type = cur_be16(c);
    rr->rclass = cur_be16(c);
    rr->ttl = cur_be32(c);
    uint16_t rdlen = cur_be16(c);
    struct cursor rd = cur_sub(c, rdlen), whole = rd;
    if (!cur_ok(c))
        return false;
    dns_bytes_set(&rr->rdata, cur_bytes(&whole, rdlen), rdlen);
    return dns_rdata_parse(x, rd, rr, store);
}

/* count records of section sec; false (section unusable) on any error. */
static bool
dns_section_parse(struct dns_ctx *x, struct cursor *c, enum dns_section sec, uint16_t count)
{
    struct dns_msg *m = x->m;
    struct dns_rr spare;
    uint32_t i;

    m->n_rr[sec] = 0;
    for (i = 0; i < count; i++) {
        bool store = m->n_rr[sec] < DNS_MAX_RRS;
        struct dns_rr *rr = store ? &m->rr[sec][m->n_rr[sec]] : &spare;
        if (!dns_rr_parse(x, c, rr, store))
            return false;
        if (store)
            m->n_rr[sec]++;
        else
            m->not_stored++;
    }
    return true;
}

static bool
dns_questions_parse(struct dns_ctx *x, struct cursor *c)
{
    struct dns_msg *m = x->m;
    struct dns_question spare;
    uint32_t i;

    for (i = 0; i < m->qdcount; i++) {
        bool store = m->n_questions < DNS_MAX_QUERIES;
        struct dns_question *q = store ? &m->questions[m->n_questions] : &spare;
        if (!dns_name_parse(x, c, &q->name, store))
            return false;
        q->type = cur_be16(c);
        q->qclass = cur_be16(c);
        if (!cur_ok(c))
            return false;
        if (store)
            m->n_questions++;
        else
            m->not_stored++;
    }
    return true;
}

/* Suricata's probe_header_validity() for a message of len bytes. */
static bool
dns_header_is_valid(bool qr, uint16_t qd, uint16_t an, uint16_t ns, uint16_t ar, size_t len)
{
    size_t records = (size_t)qd + an + ns + ar;

    /* Every question and record takes at least 2 bytes. */
    if (2 * records > len)
        return false;
    /* A message with no records is just a header (FORMERR replies). */
    if (records == 0 && len > DNS_HDR_LEN)
        return false;
    return qr || qd > 0;
}

/* Header fields, and Suricata's probe_header_validity() on them. */
static bool
dns_header_parse(struct dns_msg *m, struct cursor *c, size_t len)
{
    m->id = cur_be16(c);
    m->flags = cur_be16(c);
    m->qdcount = cur_be16(c);
    m->ancount = cur_be16(c);
    m->nscount = cur_be16(c);
    m->arcount = cur_be16(c);
    if (!cur_ok(c))
        return false;
    m->qr = (m->flags & DNS_FLAG_QR) != 0;
    m->opcode = (uint8_t)((m->flags >> 11) & 0xf);
    m->aa = (m->flags & DNS_FLAG_AA) != 0;
    m->tc = (m->flags & DNS_FLAG_TC) != 0;
    m->rd = (m->flags & DNS_FLAG_RD) != 0;
    m->ra = (m->flags & DNS_FLAG_RA) != 0;
    m->z = (m->flags & DNS_FLAG_Z) != 0;
    m->ad = (m->flags & DNS_FLAG_AD) != 0;
    m->cd = (m->flags & DNS_FLAG_CD) != 0;
    m->rcode = (uint8_t)(m->flags & 0xf);
    return dns_header_is_valid(m->qr, m->qdcount, m->ancount, m->nscount, m->arcount, len);
}

static enum dns_status dns_body_parse(struct dns_ctx *x);

enum dns_status
dns_parse_message(const uint8_t *msg, size_t len, struct dns_msg *m, uint8_t *scratch,
                  size_t scratch_len)
{
    struct dns_ctx x = {msg, len, scratch, scratch_len, 0, m, 0};
    enum dns_status st;

    m->n_questions = 0;
    memset(m->n_rr, 0, sizeof(m->n_rr));
    m->name_flags = 0;
    m->invalid_authorities = false;
    m->invalid_additionals = false;
    m->not_stored = 0;
    m->names_not_stored = 0;
    if (len < DNS_HDR_LEN)
        return DNS_NOT_DNS; /* and msg may be NULL: no pointer arithmetic on it */
    st = dns_body_parse(&x);
    m->name_flags = x.name_flags;
    return st;
}

/* The message of x after its header check: questions, then the sections. */
static enum dns_status
dns_body_parse(struct dns_ctx *x)
{
    struct dns_msg *m = x->m;
    struct cursor c;

    cur_init(&c, x->msg, x->len);
    if (!dns_header_parse(m, &c, x->len))
        return DNS_NOT_DNS;
    if (!dns_questions_parse(x, &c) || !dns_section_parse(x, &c, DNS_SEC_ANSWER, m->ancount))
        return DNS_MALFORMED;
    if (!dns_section_parse(x, &c, DNS_SEC_AUTHORITY, m->nscount)) {
        m->invalid_authorities = true;
        m->n_rr[DNS_SEC_AUTHORITY] = 0;
        return DNS_OK;
    }
    if (!dns_section_parse(x, &c, DNS_SEC_ADDITIONAL, m->arcount)) {
        m->invalid_additionals = true;
        m->n_rr[DNS_SEC_ADDITIONAL] = 0;
    }
    return DNS_OK;
}

/* count records walked and dropped (probe); false on the first bad one. */
static bool
dns_section_skip(struct dns_ctx *x, struct cursor *c, uint16_t count)
{
    struct dns_rr spare;
    uint32_t i;

    for (i = 0; i < count; i++)
        if (!dns_rr_parse(x, c, &spare, false))
            return false;
    return true;
}

enum dns_probe
dns_probe_message(const uint8_t *msg, size_t len, size_t dlen, bool *is_request)
{
    struct dns_ctx x = {msg, 0, NULL, 0, 0, NULL, 0};
    struct dns_question spare;
    struct cursor c;
    uint16_t flags, qd, an, ns, ar;
    uint32_t i;

    *is_request = false;
    if (len > dlen)
        len = dlen;
    if (len < DNS_HDR_LEN)
        return DNS_PROBE_NO; /* msg may be NULL */
    x.len = len;
    cur_init(&c, msg, len);
    cur_skip(&c, 2);
    flags = cur_be16(&c);
    qd = cur_be16(&c);
    an = cur_be16(&c);
    ns = cur_be16(&c);
    ar = cur_be16(&c);
    *is_request = (flags & DNS_FLAG_QR) == 0;
    if (len == dlen) {
        /* Questions and answers must parse; authorities and additionals
         * may be broken (the message still parses, with a flag). */
        for (i = 0; i < qd; i++) {
            if (!dns_name_parse(&x, &c, &spare.name, false))
                return DNS_PROBE_NO;
            cur_skip(&c, 4);
            if (!cur_ok(&c))
                return DNS_PROBE_NO;
        }
        if (!dns_section_skip(&x, &c, an))
            return DNS_PROBE_NO;
        if (dns_section_skip(&x, &c, ns))
            (void)dns_section_skip(&x, &c, ar);
    }
    if (!dns_header_is_valid(!*is_request, qd, an, ns, ar, dlen))
        return DNS_PROBE_NO;
    return DNS_PROBE_YES;
}

enum dns_probe
dns_probe_tcp(const uint8_t *buf, size_t len, bool *is_request)
{
    struct cursor c;
    uint16_t dlen;

    *is_request = false;
    if (len < 2)
        return DNS_PROBE_INCOMPLETE; /* buf may be NULL */
    cur_init(&c, buf, len);
    dlen = cur_be16(&c);
    return dns_probe_message(cur_bytes(&c, len - 2), len - 2, dlen, is_request);
}

const char *
dns_type_name(uint16_t type)
{
    /* Suricata's DNSRecordType, upper-cased by dns_rrtype_string(). */
    static const struct {
        uint16_t type;
        const char *name;
    } names[] = {
            {1, "A"},      {2, "NS"},        {3, "MD"},          {4, "MF"},     {5, "CNAME"},
            {6, "SOA"},    {7, "MB"},        {8, "MG"},          {9, "MR"},     {10, "NULL"},
            {11, "WKS"},   {12, "PTR"},      {13, "HINFO"},      {14, "MINFO"}, {15, "MX"},
            {16, "TXT"},   {17, "RP"},       {18, "AFSDB"},      {19, "X25"},   {20, "ISDN"},
            {21, "RT"},    {22, "NSAP"},     {23, "NSAPPTR"},    {24, "SIG"},   {25, "KEY"},
            {26, "PX"},    {27, "GPOS"},     {28, "AAAA"},       {29, "LOC"},   {30, "NXT"},
            {33, "SRV"},   {34, "ATMA"},     {35, "NAPTR"},      {36, "KX"},    {37, "CERT"},
            {38, "A6"},    {39, "DNAME"},    {41, "OPT"},        {42, "APL"},   {43, "DS"},
            {44, "SSHFP"}, {45, "IPSECKEY"}, {46, "RRSIG"},      {47, "NSEC"},  {48, "DNSKEY"},
            {49, "DHCID"}, {50, "NSEC3"},    {51, "NSEC3PARAM"}, {52, "TLSA"},  {55, "HIP"},
            {59, "CDS"},   {60, "CDNSKEY"},  {65, "HTTPS"},      {99, "SPF"},   {249, "TKEY"},
            {250, "TSIG"}, {254, "MAILA"},   {255, "ANY"},       {256, "URI"},
    };
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].type == type)
            return names[i].name;
    return NULL;
}

const char *
dns_rcode_name(uint8_t rcode)
{
    static const char *const names[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN",
                                        "NOTIMP",  "REFUSED", "YXDOMAIN", "YXRRSET",
                                        "NXRRSET", "NOTAUTH", "NOTZONE"};

    return rcode < sizeof(names) / sizeof(names[0]) ? names[rcode] : NULL;
}
