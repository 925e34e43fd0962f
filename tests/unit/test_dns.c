/*
 * test_dns.c - unit tests for decoders/app_dns.c (the DNS message parser),
 * sensor/out_eve_dns.c (the `dns` EVE records), sensor/app_dns_udp.c
 * (per-flow transactions, events) and the DNS probes of app_detect.c
 * (detection ports, turning a flow round).
 *
 * Two hand-checked vectors (decoded by tshark 3.x to the same fields): a
 * query with an EDNS cookie, and a response with one record of every
 * decoded type, compressed names (pointers into names and into RDATA),
 * an SOA authority and three additionals. Their EVE `dns` objects are
 * compared as exact strings, written out from Suricata's log.rs rules.
 * The response is swept at every length 0..N from an exact-size heap
 * copy. Other cases are built with the small message builder below.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../decoders/app_dns.c"
#include "../../sensor/out_eve_dns.c"
#include "../../sensor/app_dns_udp.c"
#include "app_detect.h"
#include "eve_fixture.h"

/* ---- vectors ---------------------------------------------------------- */

/*
 * Query id 0x1234, RD AD: www.example.com A IN, EDNS OPT (class 4096)
 * with a cookie option. 56 bytes.
 */
static const uint8_t v_query[] = {
        /* 0: id 0x1234 */
        0x12, 0x34,
        /* 2: flags 0x0120: RD AD */
        0x01, 0x20,
        /* 4: qd 1 an 0 ns 0 ar 1 */
        0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
        /* 12: www.example.com */
        0x03, 0x77, 0x77, 0x77, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x03, 0x63, 0x6f,
        0x6d, 0x00,
        /* 29: A */
        0x00, 0x01,
        /* 31: IN */
        0x00, 0x01,
        /* 33: root OPT udp 4096 (class), cookie option 10: 0102030405060708 */
        0x00, 0x00, 0x29, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x0a, 0x00, 0x08,
        0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};

/*
 * Response id 0x1234 QR RD RA NOERROR to www.example.com A: 12 answers of
 * every decoded type (names compressed, pointers into RDATA), one SOA
 * authority, three additionals. 419 bytes.
 */
static const uint8_t v_response[] = {
        /* 0: id 0x1234 */
        0x12, 0x34,
        /* 2: flags 0x8180: QR RD RA NOERROR */
        0x81, 0x80,
        /* 4: qd 1 an 12 ns 1 ar 3 */
        0x00, 0x01, 0x00, 0x0c, 0x00, 0x01, 0x00, 0x03,
        /* 12: www.example.com (12); example.com is 16 */
        0x03, 0x77, 0x77, 0x77, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x03, 0x63, 0x6f,
        0x6d, 0x00,
        /* 29: A */
        0x00, 0x01,
        /* 31: IN */
        0x00, 0x01,
        /* 33: www.example.com CNAME web.example.com (web + ptr 16) */
        0xc0, 0x0c, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x06, 0x03, 0x77, 0x65,
        0x62, 0xc0, 0x10,
        /* 51: web.example.com (ptr into rdata) A 93.184.216.34 */
        0xc0, 0x2d, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x04, 0x5d, 0xb8, 0xd8,
        0x22,
        /* 67: web.example.com AAAA 2001:db8::1 */
        0xc0, 0x2d, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x10, 0x20, 0x01, 0x0d,
        0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
        /* 95: example.com NS ns1.example.com */
        0xc0, 0x10, 0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x0e, 0x10, 0x00, 0x06, 0x03, 0x6e, 0x73,
        0x31, 0xc0, 0x10,
        /* 113: example.com MX 10 mail.example.com */
        0xc0, 0x10, 0x00, 0x0f, 0x00, 0x01, 0x00, 0x00, 0x0e, 0x10, 0x00, 0x09, 0x00, 0x0a, 0x04,
        0x6d, 0x61, 0x69, 0x6c, 0xc0, 0x10,
        /* 134: example.com TXT "v=spf1 -all" "hello" */
        0xc0, 0x10, 0x00, 0x10, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x12, 0x0b, 0x76, 0x3d,
        0x73, 0x70, 0x66, 0x31, 0x20, 0x2d, 0x61, 0x6c, 0x6c, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f,
        /* 164: 34.216.184.93.in-addr.arpa PTR www.example.com */
        0x02, 0x33, 0x34, 0x03, 0x32, 0x31, 0x36, 0x03, 0x31, 0x38, 0x34, 0x02, 0x39, 0x33, 0x07,
        0x69, 0x6e, 0x2d, 0x61, 0x64, 0x64, 0x72, 0x04, 0x61, 0x72, 0x70, 0x61, 0x00, 0x00, 0x0c,
        0x00, 0x01, 0x00, 0x01, 0x51, 0x80, 0x00, 0x02, 0xc0, 0x0c,
        /* 204: _sip._udp.example.com SRV 10 60 5060 sip.example.com */
        0x04, 0x5f, 0x73, 0x69, 0x70, 0x04, 0x5f, 0x75, 0x64, 0x70, 0xc0, 0x10, 0x00, 0x21, 0x00,
        0x01, 0x00, 0x00, 0x02, 0x58, 0x00, 0x0c, 0x00, 0x0a, 0x00, 0x3c, 0x13, 0xc4, 0x03, 0x73,
        0x69, 0x70, 0xc0, 0x10,
        /* 238: www.example.com SSHFP 1 1 101112...23 */
        0xc0, 0x0c, 0x00, 0x2c, 0x00, 0x01, 0x00, 0x00, 0x02, 0x58, 0x00, 0x16, 0x01, 0x01, 0x10,
        0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
        0x20, 0x21, 0x22, 0x23,
        /* 272: www.example.com HTTPS 1 . alpn=h2 (not decoded) */
        0xc0, 0x0c, 0x00, 0x41, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x0a, 0x00, 0x01, 0x00,
        0x00, 0x01, 0x00, 0x03, 0x02, 0x68, 0x32,
        /* 294: www.example.com NULL "null\x01\xff" */
        0xc0, 0x0c, 0x00, 0x0a, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x6e, 0x75, 0x6c,
        0x6c, 0x01, 0xff,
        /* 312: www.example.com TYPE4660 abcd */
        0xc0, 0x0c, 0x12, 0x34, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05, 0x00, 0x02, 0xab, 0xcd,
        /* 326: authority: example.com SOA ns1.example.com hostmaster.example.com 2024010101 7200
           3600 1209600 300 */
        0xc0, 0x10, 0x00, 0x06, 0x00, 0x01, 0x00, 0x00, 0x03, 0x84, 0x00, 0x23, 0xc0, 0x6b, 0x0a,
        0x68, 0x6f, 0x73, 0x74, 0x6d, 0x61, 0x73, 0x74, 0x65, 0x72, 0xc0, 0x10, 0x78, 0xa3, 0xf1,
        0x75, 0x00, 0x00, 0x1c, 0x20, 0x00, 0x00, 0x0e, 0x10, 0x00, 0x12, 0x75, 0x00, 0x00, 0x00,
        0x01, 0x2c,
        /* 373: additional: ns1.example.com A 192.0.2.53 */
        0xc0, 0x6b, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x0e, 0x10, 0x00, 0x04, 0xc0, 0x00, 0x02,
        0x35,
        /* 389: additional: root OPT, option 10 deadbeef */
        0x00, 0x00, 0x29, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x0a, 0x00, 0x04,
        0xde, 0xad, 0xbe, 0xef,
        /* 408: additional: root OPT without options (not logged) */
        0x00, 0x00, 0x29, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};

/* Offsets in v_response where its sections end. */
#define RESP_ANSWERS_END 326
#define RESP_AUTH_END    373
#define RESP_RECORDS     17 /* 1 + 12 + 1 + 3: below 2 * 17 bytes the header is refused */

/* The `dns` members Suricata 8 writes for them (tx_id 0 and 1 of a flow). */
static const char x_query_json[] =
        "\"dns\":{\"version\":3,\"type\":\"request\",\"tx_id\":0,\"id\":4660,\"flags\":\"120\","
        "\"rd\":true,\"opcode\":0,\"rcode\":\"NOERROR\","
        "\"queries\":[{\"rrname\":\"www.example.com\",\"rrtype\":\"A\"}],"
        "\"additionals\":[{\"rrname\":\"\",\"rrtype\":\"OPT\",\"ttl\":0,\"opt\":[{\"code\":10,"
        "\"data\":\"0102030405060708\"}]}]}";
static const char x_response_json[] =
        "\"dns\":{\"version\":3,\"type\":\"response\",\"tx_id\":1,\"id\":4660,\"flags\":\"8180\","
        "\"qr\":true,\"rd\":true,\"ra\":true,\"opcode\":0,\"rcode\":\"NOERROR\","
        "\"queries\":[{\"rrname\":\"www.example.com\",\"rrtype\":\"A\"}],"
        "\"answers\":[{\"rrname\":\"www.example.com\",\"rrtype\":\"CNAME\",\"ttl\":300,"
        "\"rdata\":\"web.example.com\"},{\"rrname\":\"web.example.com\",\"rrtype\":\"A\","
        "\"ttl\":60,\"rdata\":\"93.184.216.34\"},{\"rrname\":\"web.example.com\","
        "\"rrtype\":\"AAAA\",\"ttl\":60,\"rdata\":\"2001:0db8:0000:0000:0000:0000:0000:0001\"},"
        "{\"rrname\":\"example.com\",\"rrtype\":\"NS\",\"ttl\":3600,"
        "\"rdata\":\"ns1.example.com\"},{\"rrname\":\"example.com\",\"rrtype\":\"MX\","
        "\"ttl\":3600,\"rdata\":\"mail.example.com\"},{\"rrname\":\"example.com\","
        "\"rrtype\":\"TXT\",\"ttl\":300,\"rdata\":\"v=spf1 -all\"},{\"rrname\":\"example.com\","
        "\"rrtype\":\"TXT\",\"ttl\":300,\"rdata\":\"hello\"},"
        "{\"rrname\":\"34.216.184.93.in-addr.arpa\",\"rrtype\":\"PTR\",\"ttl\":86400,"
        "\"rdata\":\"www.example.com\"},{\"rrname\":\"_sip._udp.example.com\",\"rrtype\":\"SRV\","
        "\"ttl\":600,\"srv\":{\"priority\":10,\"weight\":60,\"port\":5060,"
        "\"name\":\"sip.example.com\"}},{\"rrname\":\"www.example.com\",\"rrtype\":\"SSHFP\","
        "\"ttl\":600,"
        "\"sshfp\":{\"fingerprint\":\"10:11:12:13:14:15:16:17:18:19:1a:1b:1c:1d:1e:1f:20:21:22:"
        "23\","
        "\"algo\":1,\"type\":1}},{\"rrname\":\"www.example.com\",\"rrtype\":\"HTTPS\","
        "\"ttl\":300},{\"rrname\":\"www.example.com\",\"rrtype\":\"NULL\",\"ttl\":0,"
        "\"rdata\":\"null\\u0001\\\\xff\"},{\"rrname\":\"www.example.com\",\"rrtype\":\"4660\","
        "\"ttl\":5}],\"grouped\":{\"CNAME\":[\"web.example.com\"],\"A\":[\"93.184.216.34\"],"
        "\"AAAA\":[\"2001:0db8:0000:0000:0000:0000:0000:0001\"],\"NS\":[\"ns1.example.com\"],"
        "\"MX\":[\"mail.example.com\"],\"TXT\":[\"v=spf1 -all\",\"hello\"],"
        "\"PTR\":[\"www.example.com\"],\"SRV\":[{\"priority\":10,\"weight\":60,\"port\":5060,"
        "\"name\":\"sip.example.com\"}],"
        "\"SSHFP\":[{\"fingerprint\":\"10:11:12:13:14:15:16:17:18:19:1a:1b:1c:1d:1e:1f:20:21:22:"
        "23\","
        "\"algo\":1,\"type\":1}],\"NULL\":[\"null\\u0001\\\\xff\"]},"
        "\"authorities\":[{\"rrname\":\"example.com\",\"rrtype\":\"SOA\",\"ttl\":900,"
        "\"soa\":{\"mname\":\"ns1.example.com\",\"rname\":\"hostmaster.example.com\","
        "\"serial\":2024010101,\"refresh\":7200,\"retry\":3600,\"expire\":1209600,"
        "\"minimum\":300}}],\"additionals\":[{\"rrname\":\"ns1.example.com\",\"rrtype\":\"A\","
        "\"ttl\":3600,\"rdata\":\"192.0.2.53\"},{\"rrname\":\"\",\"rrtype\":\"OPT\",\"ttl\":0,"
        "\"opt\":[{\"code\":10,\"data\":\"deadbeef\"}]}]}";

/* ---- fixture and helpers ---------------------------------------------- */

#define SCRATCH (64u * 1024u)
#define JBUF    (256u * 1024u)

struct dfx {
    struct dns_msg *m;
    uint8_t *scratch;
    char *esc;
    char *jmem;
    struct json_buf j;
    uint8_t *copy; /* exact-size copy of the message under test */
};

static int
dfx_setup(void **state)
{
    struct dfx *f = calloc(1, sizeof(*f));

    if (f == NULL)
        return -1;
    f->m = calloc(1, sizeof(*f->m));
    f->scratch = malloc(SCRATCH);
    f->esc = malloc(EVE_DNS_ESC_MAX);
    f->jmem = malloc(JBUF);
    if (f->m == NULL || f->scratch == NULL || f->esc == NULL || f->jmem == NULL)
        return -1;
    json_init(&f->j, f->jmem, JBUF);
    *state = f;
    return 0;
}

static int
dfx_teardown(void **state)
{
    struct dfx *f = *state;

    free(f->copy);
    free(f->jmem);
    free(f->esc);
    free(f->scratch);
    free(f->m);
    free(f);
    return 0;
}

/* Parses msg[0..len) from an exact-size heap copy (ASan sees any over-read). */
static enum dns_status
parse(struct dfx *f, const uint8_t *msg, size_t len)
{
    free(f->copy);
    f->copy = malloc(len > 0 ? len : 1);
    assert_non_null(f->copy);
    if (len > 0)
        memcpy(f->copy, msg, len);
    return dns_parse_message(f->copy, len, f->m, f->scratch, SCRATCH);
}

static void
assert_name(const struct dns_name *n, const char *want)
{
    assert_int_equal(n->len, strlen(want));
    if (n->len > 0)
        assert_memory_equal(n->p, want, n->len);
}

/* The v3 dns member of m as text (NUL-terminated in jmem). */
static const char *
v3_text(struct dfx *f, uint64_t flags, bool response, uint64_t tx_id)
{
    json_reset(&f->j);
    json_open_object(&f->j, NULL);
    eve_dns_v3(&f->j, flags, f->m, response, tx_id, f->esc);
    json_close(&f->j);
    assert_true(json_is_ok(&f->j));
    assert_true(f->j.len + 1 < JBUF);
    /* Strip the braces of the enclosing object. */
    memmove(f->jmem, f->jmem + 1, f->j.len - 2);
    f->jmem[f->j.len - 2] = '\0';
    return f->jmem;
}

/* A message under construction. */
struct mb {
    uint8_t b[70000];
    size_t n;
};

static void
mb_u8(struct mb *m, unsigned v)
{
    assert_true(m->n < sizeof(m->b));
    m->b[m->n++] = (uint8_t)v;
}

static void
mb_u16(struct mb *m, unsigned v)
{
    mb_u8(m, v >> 8);
    mb_u8(m, v & 0xff);
}

static void
mb_u32(struct mb *m, uint32_t v)
{
    mb_u16(m, v >> 16);
    mb_u16(m, v & 0xffff);
}

static void
mb_bytes(struct mb *m, const void *p, size_t n)
{
    assert_true(n <= sizeof(m->b) - m->n);
    memcpy(m->b + m->n, p, n);
    m->n += n;
}

static void
mb_hdr(struct mb *m, unsigned id, unsigned flags, unsigned qd, unsigned an, unsigned ns,
       unsigned ar)
{
    m->n = 0;
    mb_u16(m, id);
    mb_u16(m, flags);
    mb_u16(m, qd);
    mb_u16(m, an);
    mb_u16(m, ns);
    mb_u16(m, ar);
}

/* A dotted name as labels and the root ("" is the root alone). */
static void
mb_name(struct mb *m, const char *dotted)
{
    while (*dotted) {
        const char *dot = strchr(dotted, '.');
        size_t l = dot ? (size_t)(dot - dotted) : strlen(dotted);
        mb_u8(m, (unsigned)l);
        mb_bytes(m, dotted, l);
        dotted += l + (dot != NULL);
    }
    mb_u8(m, 0);
}

static void
mb_ptr(struct mb *m, unsigned off)
{
    mb_u16(m, 0xc000 | off);
}

/* An RR header (name already written) with rdata. */
static void
mb_rr(struct mb *m, unsigned type, uint32_t ttl, const void *rd, size_t rdlen)
{
    mb_u16(m, type);
    mb_u16(m, 1);
    mb_u32(m, ttl);
    mb_u16(m, (unsigned)rdlen);
    mb_bytes(m, rd, rdlen);
}

/* ---- header ----------------------------------------------------------- */

static void
test_query(void **state)
{
    struct dfx *f = *state;
    struct dns_msg *m = f->m;

    assert_int_equal(parse(f, v_query, sizeof(v_query)), DNS_OK);
    assert_int_equal(m->id, 0x1234);
    assert_int_equal(m->flags, 0x0120);
    assert_false(m->qr);
    assert_true(m->rd);
    assert_true(m->ad);
    assert_false(m->cd || m->aa || m->tc || m->ra || m->z);
    assert_int_equal(m->opcode, 0);
    assert_int_equal(m->rcode, 0);
    assert_int_equal(m->n_questions, 1);
    assert_name(&m->questions[0].name, "www.example.com");
    assert_int_equal(m->questions[0].type, DNS_TYPE_A);
    assert_int_equal(m->questions[0].qclass, 1);
    assert_int_equal(m->n_rr[DNS_SEC_ANSWER], 0);
    assert_int_equal(m->n_rr[DNS_SEC_ADDITIONAL], 1);
    const struct dns_rr *opt = &m->rr[DNS_SEC_ADDITIONAL][0];
    assert_int_equal(opt->type, DNS_TYPE_OPT);
    assert_int_equal(opt->kind, DNS_RD_OPT);
    assert_int_equal(opt->rclass, 4096);
    assert_int_equal(opt->rdata.len, 12);
    assert_int_equal(opt->name.len, 0);
    assert_int_equal(m->name_flags, 0);
}

static void
test_header_bits(void **state)
{
    struct dfx *f = *state;
    struct mb b;

    /* QR, opcode 5, AA TC RD RA Z AD CD, rcode 3: 0xaff3 */
    mb_hdr(&b, 7, 0xaff3, 1, 0, 0, 0);
    mb_name(&b, "a");
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    assert_int_equal(parse(f, b.b, b.n), DNS_OK);
    assert_true(f->m->qr && f->m->aa && f->m->tc && f->m->rd && f->m->ra && f->m->z && f->m->ad &&
                f->m->cd);
    assert_int_equal(f->m->opcode, 5);
    assert_int_equal(f->m->rcode, 3);
    assert_string_equal(dns_rcode_name(3), "NXDOMAIN");
    assert_null(dns_rcode_name(11));
}

/* Suricata's probe_header_validity and the 12-byte minimum. */
static void
test_header_validity(void **state)
{
    struct dfx *f = *state;
    struct mb b;
    size_t n;

    mb_hdr(&b, 1, 0x0100, 1, 0, 0, 0);
    mb_name(&b, "a");
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    for (n = 0; n < DNS_HDR_LEN; n++)
        assert_int_equal(parse(f, b.b, n), DNS_NOT_DNS);
    /* A query without questions. */
    mb_hdr(&b, 1, 0x0100, 0, 1, 0, 0);
    mb_name(&b, "");
    mb_rr(&b, 1, 0, "\1\2\3\4", 4);
    assert_int_equal(parse(f, b.b, b.n), DNS_NOT_DNS);
    /* Counts that cannot fit: 2 bytes per record at least. */
    mb_hdr(&b, 1, 0x8000, 1, 0xffff, 0, 0);
    mb_name(&b, "a");
    assert_int_equal(parse(f, b.b, b.n), DNS_NOT_DNS);
    /* No records but bytes after the header. */
    mb_hdr(&b, 1, 0x8000, 0, 0, 0, 0);
    mb_u8(&b, 0);
    assert_int_equal(parse(f, b.b, b.n), DNS_NOT_DNS);
    /* A bare header response (FORMERR) is a message. */
    mb_hdr(&b, 1, 0x8001, 0, 0, 0, 0);
    assert_int_equal(parse(f, b.b, b.n), DNS_OK);
    assert_int_equal(f->m->n_questions, 0);
    assert_int_equal(f->m->rcode, 1);
}

/* ---- the response: every record type ----------------------------------- */

static void
test_response_records(void **state)
{
    struct dfx *f = *state;
    struct dns_msg *m = f->m;
    const struct dns_rr *an = m->rr[DNS_SEC_ANSWER];

    assert_int_equal(parse(f, v_response, sizeof(v_response)), DNS_OK);
    assert_true(m->qr && m->rd && m->ra);
    assert_int_equal(m->n_rr[DNS_SEC_ANSWER], 12);
    assert_int_equal(m->n_rr[DNS_SEC_AUTHORITY], 1);
    assert_int_equal(m->n_rr[DNS_SEC_ADDITIONAL], 3);
    assert_false(m->invalid_authorities || m->invalid_additionals);
    assert_int_equal(m->not_stored, 0);

    assert_name(&an[0].name, "www.example.com");
    assert_int_equal(an[0].kind, DNS_RD_NAME);
    assert_int_equal(an[0].ttl, 300);
    assert_name(&an[0].u.target.name, "web.example.com");
    /* A pointer into the CNAME's RDATA. */
    assert_name(&an[1].name, "web.example.com");
    assert_int_equal(an[1].kind, DNS_RD_ADDR);
    assert_int_equal(an[1].rdata.len, 4);
    assert_memory_equal(an[1].rdata.p, "\x5d\xb8\xd8\x22", 4);
    assert_int_equal(an[2].type, DNS_TYPE_AAAA);
    assert_int_equal(an[2].rdata.len, 16);
    assert_name(&an[3].u.target.name, "ns1.example.com");
    assert_int_equal(an[4].kind, DNS_RD_NAME);
    assert_int_equal(an[4].u.target.mx_pref, 10);
    assert_name(&an[4].u.target.name, "mail.example.com");
    assert_int_equal(an[5].kind, DNS_RD_TXT);
    assert_int_equal(an[5].rdata.len, 18);
    assert_name(&an[6].name, "34.216.184.93.in-addr.arpa");
    assert_name(&an[6].u.target.name, "www.example.com");
    assert_int_equal(an[7].kind, DNS_RD_SRV);
    assert_name(&an[7].name, "_sip._udp.example.com");
    assert_int_equal(an[7].u.srv.priority, 10);
    assert_int_equal(an[7].u.srv.weight, 60);
    assert_int_equal(an[7].u.srv.port, 5060);
    assert_name(&an[7].u.srv.target, "sip.example.com");
    assert_int_equal(an[8].kind, DNS_RD_SSHFP);
    assert_int_equal(an[8].u.sshfp.algo, 1);
    assert_int_equal(an[8].u.sshfp.fp_type, 1);
    assert_int_equal(an[8].u.sshfp.fp.len, 20);
    assert_int_equal(an[8].u.sshfp.fp.p[0], 0x10);
    assert_int_equal(an[9].type, DNS_TYPE_HTTPS);
    assert_int_equal(an[9].kind, DNS_RD_OTHER);
    assert_int_equal(an[9].rdata.len, 10);
    assert_int_equal(an[10].kind, DNS_RD_BYTES);
    assert_int_equal(an[10].rdata.len, 6);
    assert_int_equal(an[11].type, 4660);
    assert_int_equal(an[11].kind, DNS_RD_OTHER);

    const struct dns_rr *soa = &m->rr[DNS_SEC_AUTHORITY][0];
    assert_int_equal(soa->kind, DNS_RD_SOA);
    assert_name(&soa->u.soa.mname, "ns1.example.com");
    assert_name(&soa->u.soa.rname, "hostmaster.example.com");
    assert_int_equal(soa->u.soa.serial, 2024010101u);
    assert_int_equal(soa->u.soa.refresh, 7200);
    assert_int_equal(soa->u.soa.retry, 3600);
    assert_int_equal(soa->u.soa.expire, 1209600);
    assert_int_equal(soa->u.soa.minimum, 300);
    assert_name(&m->rr[DNS_SEC_ADDITIONAL][0].name, "ns1.example.com");
    assert_int_equal(m->rr[DNS_SEC_ADDITIONAL][1].rdata.len, 8);
    assert_int_equal(m->rr[DNS_SEC_ADDITIONAL][2].rdata.len, 0);
}

static void
test_json_query(void **state)
{
    struct dfx *f = *state;

    assert_int_equal(parse(f, v_query, sizeof(v_query)), DNS_OK);
    assert_string_equal(v3_text(f, ~0ull, false, 0), x_query_json);
}

static void
test_json_response(void **state)
{
    struct dfx *f = *state;

    assert_int_equal(parse(f, v_response, sizeof(v_response)), DNS_OK);
    assert_string_equal(v3_text(f, ~0ull, true, 1), x_response_json);
}

/* formats: detailed only, grouped only; types filter on the queries. */
static void
test_json_options(void **state)
{
    struct dfx *f = *state;
    uint64_t all = ~0ull;
    const char *t;

    assert_int_equal(parse(f, v_response, sizeof(v_response)), DNS_OK);
    t = v3_text(f, all & ~EVE_DNS_FORMAT_GROUPED, true, 1);
    assert_non_null(strstr(t, "\"answers\":["));
    assert_null(strstr(t, "\"grouped\""));
    t = v3_text(f, all & ~EVE_DNS_FORMAT_DETAILED, true, 1);
    assert_null(strstr(t, "\"answers\""));
    assert_non_null(strstr(t, "\"grouped\":{\"CNAME\""));
    assert_non_null(strstr(t, "\"authorities\":[")); /* not a format matter */

    /* types: [mx] logs nothing of an A query; [a] logs it. */
    uint64_t mx = all & ~EVE_DNS_ALL_RRTYPES;
    mx |= eve_dns_type_flag("mx");
    assert_false(eve_dns_is_logged(mx, f->m));
    assert_true(eve_dns_is_logged(mx | eve_dns_type_flag("A"), f->m));
    assert_int_equal(eve_dns_type_flag("aaaa"), 1ull << 29);
    assert_int_equal(eve_dns_type_flag("HTTPS"), 1ull << 62);
    assert_int_equal(eve_dns_type_flag("nosuch"), 0);
    /* Unknown types are logged only when every bit is set. */
    f->m->questions[0].type = 4660;
    assert_true(eve_dns_is_logged(all, f->m));
    assert_false(eve_dns_is_logged(all & ~EVE_DNS_FORMAT_GROUPED, f->m));
    /* No questions: never logged. */
    f->m->n_questions = 0;
    assert_false(eve_dns_is_logged(all, f->m));
}

static void
test_json_v2(void **state)
{
    struct dfx *f = *state;

    assert_int_equal(parse(f, v_query, sizeof(v_query)), DNS_OK);
    json_reset(&f->j);
    json_open_object(&f->j, NULL);
    eve_dns_v2_query(&f->j, f->m, 0, 4, f->esc);
    json_close(&f->j);
    assert_true(json_is_ok(&f->j));
    f->jmem[f->j.len] = '\0';
    assert_string_equal(f->jmem, "{\"dns\":{\"version\":2,\"type\":\"query\",\"id\":4660,"
                                 "\"rrname\":\"www.example.com\",\"rrtype\":\"A\",\"tx_id\":4,"
                                 "\"opcode\":0}}");
    assert_int_equal(parse(f, v_response, sizeof(v_response)), DNS_OK);
    json_reset(&f->j);
    json_open_object(&f->j, NULL);
    eve_dns_v2_answer(&f->j, ~0ull & ~EVE_DNS_FORMAT_DETAILED, f->m, f->esc);
    json_close(&f->j);
    assert_true(json_is_ok(&f->j));
    f->jmem[f->j.len] = '\0';
    assert_memory_equal(
            f->jmem,
            "{\"dns\":{\"version\":2,\"type\":\"answer\",\"id\":4660,\"flags\":\"8180\","
            "\"qr\":true,\"rd\":true,\"ra\":true,\"opcode\":0,"
            "\"rrname\":\"www.example.com\",\"rrtype\":\"A\",\"rcode\":\"NOERROR\","
            "\"grouped\":{\"CNAME\":",
            strlen("{\"dns\":{\"version\":2,\"type\":\"answer\",\"id\":4660,"
                   "\"flags\":\"8180\",\"qr\":true,\"rd\":true,\"ra\":true,"
                   "\"opcode\":0,\"rrname\":\"www.example.com\",\"rrtype\":\"A\","
                   "\"rcode\":\"NOERROR\",\"grouped\":{\"CNAME\":"));
}

/* Every length of the response from an exact-size heap copy. */
static void
test_response_truncation_sweep(void **state)
{
    struct dfx *f = *state;
    size_t len;

    for (len = 0; len <= sizeof(v_response); len++) {
        enum dns_status st = parse(f, v_response, len);
        if (len < 2 * RESP_RECORDS) {
            assert_int_equal(st, DNS_NOT_DNS);
            continue;
        }
        if (len < RESP_ANSWERS_END) {
            assert_int_equal(st, DNS_MALFORMED);
            continue;
        }
        assert_int_equal(st, DNS_OK);
        assert_int_equal(f->m->n_rr[DNS_SEC_ANSWER], 12);
        if (len < RESP_AUTH_END) {
            assert_true(f->m->invalid_authorities);
            assert_int_equal(f->m->n_rr[DNS_SEC_AUTHORITY], 0);
            assert_int_equal(f->m->n_rr[DNS_SEC_ADDITIONAL], 0);
        } else if (len < sizeof(v_response)) {
            assert_false(f->m->invalid_authorities);
            assert_true(f->m->invalid_additionals);
            assert_int_equal(f->m->n_rr[DNS_SEC_AUTHORITY], 1);
            assert_int_equal(f->m->n_rr[DNS_SEC_ADDITIONAL], 0);
        } else {
            assert_false(f->m->invalid_authorities || f->m->invalid_additionals);
        }
        (void)v3_text(f, ~0ull, true, 1);
    }
}

/* Every length of the query too. */
static void
test_query_truncation_sweep(void **state)
{
    struct dfx *f = *state;
    size_t len;

    for (len = 0; len <= sizeof(v_query); len++) {
        enum dns_status st = parse(f, v_query, len);
        if (len < DNS_HDR_LEN)
            assert_int_equal(st, DNS_NOT_DNS);
        else if (len < 33) /* question ends at 33 */
            assert_int_equal(st, DNS_MALFORMED);
        else if (len < sizeof(v_query))
            assert_true(st == DNS_OK && f->m->invalid_additionals);
        else
            assert_true(st == DNS_OK && !f->m->invalid_additionals);
    }
}

/* ---- names ------------------------------------------------------------- */

/* A query for name and a response with one A record whose owner name is
 * built by fn at the current offset. */
static void
test_compression_chain(void **state)
{
    struct dfx *f = *state;
    struct mb b;

    /* q: c.example (12); answer owner: "b" + ptr to "c.example";
     * second answer owner: "a" + ptr to the first owner: a.b.c.example */
    mb_hdr(&b, 1, 0x8000, 1, 2, 0, 0);
    mb_name(&b, "c.example");
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    size_t first = b.n;
    mb_u8(&b, 1);
    mb_u8(&b, 'b');
    mb_ptr(&b, 12);
    mb_rr(&b, 1, 1, "\1\2\3\4", 4);
    mb_u8(&b, 1);
    mb_u8(&b, 'a');
    mb_ptr(&b, (unsigned)first);
    mb_rr(&b, 1, 1, "\1\2\3\4", 4);
    assert_int_equal(parse(f, b.b, b.n), DNS_OK);
    assert_name(&f->m->rr[0][0].name, "b.c.example");
    assert_name(&f->m->rr[0][1].name, "a.b.c.example");
    assert_int_equal(f->m->name_flags, 0);
}

/* A pointer to itself before any other pointer: malformed. */
static void
test_pointer_self_first(void **state)
{
    struct dfx *f = *state;
    struct mb b;

    mb_hdr(&b, 1, 0x0000, 1, 0, 0, 0);
    mb_ptr(&b, 12);
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    assert_int_equal(parse(f, b.b, b.n), DNS_MALFORMED);
}

/* A pointer to a pointer to itself: the name ends there, flagged as a loop. */
static void
test_pointer_self_after_pivot(void **state)
{
    struct dfx *f = *state;
    struct mb b;

    mb_hdr(&b, 1, 0x0000, 1, 0, 0, 0);
    mb_u8(&b, 1);
    mb_u8(&b, 'x');
    mb_ptr(&b, 16); /* 12: "x" ptr->16; 16: ptr->16 */
    mb_ptr(&b, 16);
    /* The question's name ends after its first pointer (offset 16), so
     * the bytes at 16 are read again as QTYPE (0xc010) and QCLASS. */
    mb_u16(&b, 1);
    assert_int_equal(parse(f, b.b, b.n), DNS_OK);
    assert_name(&f->m->questions[0].name, "x");
    assert_int_equal(f->m->questions[0].name.flags, DNS_NAME_F_LOOP);
    assert_int_equal(f->m->name_flags, DNS_NAME_F_LOOP);
    assert_int_equal(f->m->questions[0].type, 0xc010);
}

/* A -> B -> A: the hop limit ends it (too many labels, truncated). */
static void
test_pointer_cycle(void **state)
{
    struct dfx *f = *state;
    struct mb b;

    mb_hdr(&b, 1, 0x8000, 1, 0, 0, 0);
    mb_u8(&b, 1);
    mb_u8(&b, 'p'); /* 12: "p" -> 18 */
    mb_ptr(&b, 18);
    mb_u16(&b, 1);
    mb_u8(&b, 1); /* 18: "q" -> 12 */
    mb_u8(&b, 'q');
    mb_ptr(&b, 12);
    /* 1 question, whose name is "p" then the cycle; QTYPE at 16, QCLASS 18. */
    assert_int_equal(parse(f, b.b, b.n), DNS_OK);
    const struct dns_name *n = &f->m->questions[0].name;
    assert_int_equal(n->flags, DNS_NAME_F_LABELS | DNS_NAME_F_TRUNCATED);
    /* 256 hops: labels p, q, p, ... with a pointer between each: 128 labels. */
    assert_int_equal(n->len, 128 * 2 - 1);
    assert_memory_equal(n->p, "p.q.p.q", 7);
}

/* 256 labels and no pointer: the hop limit is an error. */
static void
test_hop_limit_no_pointer(void **state)
{
    struct dfx *f = *state;
    struct mb b;
    unsigned i;

    mb_hdr(&b, 1, 0x0000, 1, 0, 0, 0);
    for (i = 0; i < 256; i++) {
        mb_u8(&b, 1);
        mb_u8(&b, 'a');
    }
    mb_u8(&b, 0);
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    assert_int_equal(parse(f, b.b, b.n), DNS_MALFORMED);
    /* 255 labels are fine (511 bytes of name, under the length cap). */
    mb_hdr(&b, 1, 0x0000, 1, 0, 0, 0);
    for (i = 0; i < 255; i++) {
        mb_u8(&b, 1);
        mb_u8(&b, 'a');
    }
    mb_u8(&b, 0);
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    assert_int_equal(parse(f, b.b, b.n), DNS_OK);
    assert_int_equal(f->m->questions[0].name.len, 509);
    assert_int_equal(f->m->name_flags, 0);
}

/* A name over 1025 bytes is cut there and parsing goes on after it. */
static void
test_name_too_long(void **state)
{
    struct dfx *f = *state;
    struct mb b;
    char label[63];
    unsigned i;

    memset(label, 'x', sizeof(label));
    mb_hdr(&b, 1, 0x0000, 1, 0, 0, 0);
    for (i = 0; i < 20; i++) { /* 20 * 64 - 1 = 1279 bytes dotted */
        mb_u8(&b, sizeof(label));
        mb_bytes(&b, label, sizeof(label));
    }
    mb_u8(&b, 0);
    mb_u16(&b, 16);
    mb_u16(&b, 1);
    assert_int_equal(parse(f, b.b, b.n), DNS_OK);
    const struct dns_question *q = &f->m->questions[0];
    assert_int_equal(q->name.len, DNS_NAME_MAX);
    assert_int_equal(q->name.flags, DNS_NAME_F_TRUNCATED);
    assert_int_equal(q->type, 16);
    const char *t = v3_text(f, ~0ull, false, 0);
    assert_non_null(strstr(t, "\"rrtype\":\"TXT\",\"rrname_truncated\":true}"));
}

static void
test_name_label_types(void **state)
{
    struct dfx *f = *state;
    struct mb b;

    mb_hdr(&b, 1, 0x0000, 1, 0, 0, 0);
    mb_u8(&b, 0x41); /* 01xxxxxx: extended label, refused */
    mb_u8(&b, 'a');
    mb_u8(&b, 0);
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    assert_int_equal(parse(f, b.b, b.n), DNS_MALFORMED);
    b.b[12] = 0x81; /* 10xxxxxx */
    assert_int_equal(parse(f, b.b, b.n), DNS_MALFORMED);
}

static void
test_pointer_bounds(void **state)
{
    struct dfx *f = *state;
    struct mb b;

    mb_hdr(&b, 1, 0x8000, 1, 1, 0, 0);
    mb_name(&b, "a");
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    size_t own = b.n;
    mb_ptr(&b, 0x3fff); /* far past the end */
    mb_rr(&b, 1, 1, "\1\2\3\4", 4);
    assert_int_equal(parse(f, b.b, b.n), DNS_MALFORMED);
    /* A pointer to the very end: an empty rest, the name ends. */
    b.b[own] = (uint8_t)(0xc0 | (b.n >> 8));
    b.b[own + 1] = (uint8_t)(b.n & 0xff);
    assert_int_equal(parse(f, b.b, b.n), DNS_OK);
    assert_int_equal(f->m->rr[0][0].name.len, 0);
    /* One past the end: an error. */
    b.b[own + 1] = (uint8_t)((b.n + 1) & 0xff);
    assert_int_equal(parse(f, b.b, b.n), DNS_MALFORMED);
}

/* Bytes 0x80-0xff are written as \xNN (Suricata), control bytes as \u00NN. */
static void
test_json_escape(void **state)
{
    struct dfx *f = *state;
    struct mb b;

    mb_hdr(&b, 1, 0x0000, 1, 0, 0, 0);
    mb_u8(&b, 4);
    mb_bytes(&b, "a\x01\xff\"", 4);
    mb_u8(&b, 3);
    mb_bytes(&b,
             "\xc3\xa9"
             "b",
             3); /* valid UTF-8 is kept */
    mb_u8(&b, 0);
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    assert_int_equal(parse(f, b.b, b.n), DNS_OK);
    const char *t = v3_text(f, ~0ull, false, 0);
    assert_non_null(strstr(t, "\"rrname\":\"a\\u0001\\\\xff\\\".\\\\xc3\\\\xa9b\""));
    mb_hdr(&b, 1, 0x0000, 1, 0, 0, 0);
    mb_u8(&b, 3);
    mb_bytes(&b,
             "\xc3\xa9"
             "b",
             3);
    mb_u8(&b, 0);
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    assert_int_equal(parse(f, b.b, b.n), DNS_OK);
    t = v3_text(f, ~0ull, false, 0);
    assert_non_null(strstr(t, "\"rrname\":\"\xc3\xa9"
                              "b\""));
}

/* ---- rdata ------------------------------------------------------------- */

/* A response to "a" with one answer of type with rdata rd. */
static enum dns_status
one_answer(struct dfx *f, unsigned type, const void *rd, size_t rdlen)
{
    struct mb b;

    mb_hdr(&b, 1, 0x8000, 1, 1, 0, 0);
    mb_name(&b, "a");
    mb_u16(&b, type);
    mb_u16(&b, 1);
    mb_ptr(&b, 12);
    mb_rr(&b, type, 7, rd, rdlen);
    return parse(f, b.b, b.n);
}

static void
test_rdata_errors(void **state)
{
    struct dfx *f = *state;

    assert_int_equal(one_answer(f, DNS_TYPE_MX, "\0", 1), DNS_MALFORMED);
    assert_int_equal(one_answer(f, DNS_TYPE_SOA, "\0\0\0\0", 4), DNS_MALFORMED);
    assert_int_equal(one_answer(f, DNS_TYPE_SRV, "\0\1\0\2\0", 5), DNS_MALFORMED);
    assert_int_equal(one_answer(f, DNS_TYPE_SSHFP, "\1", 1), DNS_MALFORMED);
    assert_int_equal(one_answer(f, DNS_TYPE_TXT, "\5abc", 4), DNS_MALFORMED);
    assert_int_equal(one_answer(f, DNS_TYPE_OPT, "\0\1\0\5ab", 6), DNS_MALFORMED);
    assert_int_equal(one_answer(f, DNS_TYPE_CNAME, "\5ab", 3), DNS_MALFORMED);
    /* RDLENGTH past the message. */
    struct mb b;
    mb_hdr(&b, 1, 0x8000, 1, 1, 0, 0);
    mb_name(&b, "a");
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    mb_ptr(&b, 12);
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    mb_u32(&b, 1);
    mb_u16(&b, 5);
    mb_bytes(&b, "\1\2\3\4", 4);
    assert_int_equal(parse(f, b.b, b.n), DNS_MALFORMED);
}

/* Empty RDATA (Suricata #7574): fine for A (rdata ""), CNAME (name ""),
 * TXT (no strings, so no entry), NULL, OPT and unknown types. */
static void
test_rdata_empty(void **state)
{
    struct dfx *f = *state;
    const char *t;

    assert_int_equal(one_answer(f, DNS_TYPE_A, "", 0), DNS_OK);
    t = v3_text(f, ~0ull, true, 0);
    assert_non_null(strstr(t, "\"answers\":[{\"rrname\":\"a\",\"rrtype\":\"A\",\"ttl\":7,"
                              "\"rdata\":\"\"}],\"grouped\":{\"A\":[\"\"]}"));
    assert_int_equal(one_answer(f, DNS_TYPE_CNAME, "", 0), DNS_OK);
    assert_int_equal(f->m->rr[0][0].u.target.name.len, 0);
    assert_int_equal(one_answer(f, DNS_TYPE_TXT, "", 0), DNS_OK);
    t = v3_text(f, ~0ull, true, 0);
    assert_non_null(strstr(t, "\"answers\":[],\"grouped\":{\"TXT\":[]}"));
    assert_int_equal(one_answer(f, DNS_TYPE_NULL, "", 0), DNS_OK);
    assert_int_equal(one_answer(f, DNS_TYPE_OPT, "", 0), DNS_OK);
    assert_int_equal(one_answer(f, 999, "", 0), DNS_OK);
}

/* Addresses are printed by their length, whatever the type says. */
static void
test_rdata_addr_lengths(void **state)
{
    struct dfx *f = *state;
    const char *t;

    assert_int_equal(one_answer(f, DNS_TYPE_AAAA, "\x0a\0\0\1", 4), DNS_OK);
    t = v3_text(f, ~0ull, true, 0);
    assert_non_null(strstr(t, "\"rrtype\":\"AAAA\",\"ttl\":7,\"rdata\":\"10.0.0.1\""));
    assert_int_equal(one_answer(f, DNS_TYPE_A, "\1\2\3", 3), DNS_OK);
    t = v3_text(f, ~0ull, true, 0);
    assert_non_null(strstr(t, "\"rrtype\":\"A\",\"ttl\":7,\"rdata\":\"\""));
}

/* SOA, SRV and MX leave bytes after their fields alone. */
static void
test_rdata_trailing(void **state)
{
    struct dfx *f = *state;

    assert_int_equal(one_answer(f, DNS_TYPE_MX, "\0\5\0zz", 5), DNS_OK);
    assert_int_equal(f->m->rr[0][0].u.target.mx_pref, 5);
    assert_int_equal(f->m->rr[0][0].u.target.name.len, 0);
    assert_int_equal(one_answer(f, DNS_TYPE_SSHFP, "\2\2", 2), DNS_OK);
    assert_int_equal(f->m->rr[0][0].u.sshfp.fp.len, 0);
    const char *t = v3_text(f, ~0ull, true, 0);
    assert_non_null(strstr(t, "\"sshfp\":{\"fingerprint\":\"\",\"algo\":2,\"type\":2}"));
}

/* An error in the authorities drops them and skips the additionals; an
 * error in the additionals drops them. Both are events, not errors. */
static void
test_sections_invalid(void **state)
{
    struct dfx *f = *state;
    struct mb b;

    mb_hdr(&b, 1, 0x8000, 1, 1, 1, 1);
    mb_name(&b, "a");
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    mb_ptr(&b, 12);
    mb_rr(&b, 1, 1, "\1\2\3\4", 4);
    mb_ptr(&b, 12);
    mb_rr(&b, DNS_TYPE_MX, 1, "\1", 1); /* broken authority */
    mb_ptr(&b, 12);
    mb_rr(&b, 1, 1, "\1\2\3\4", 4);
    assert_int_equal(parse(f, b.b, b.n), DNS_OK);
    assert_true(f->m->invalid_authorities);
    assert_false(f->m->invalid_additionals);
    assert_int_equal(f->m->n_rr[DNS_SEC_ANSWER], 1);
    assert_int_equal(f->m->n_rr[DNS_SEC_AUTHORITY], 0);
    assert_int_equal(f->m->n_rr[DNS_SEC_ADDITIONAL], 0);

    mb_hdr(&b, 1, 0x8000, 1, 1, 1, 2);
    mb_name(&b, "a");
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    mb_ptr(&b, 12);
    mb_rr(&b, 1, 1, "\1\2\3\4", 4);
    mb_ptr(&b, 12);
    mb_rr(&b, 1, 1, "\1\2\3\4", 4);
    mb_ptr(&b, 12);
    mb_rr(&b, 1, 1, "\1\2\3\4", 4);
    mb_ptr(&b, 12);
    mb_rr(&b, DNS_TYPE_TXT, 1, "\x09", 1); /* broken additional */
    assert_int_equal(parse(f, b.b, b.n), DNS_OK);
    assert_false(f->m->invalid_authorities);
    assert_true(f->m->invalid_additionals);
    assert_int_equal(f->m->n_rr[DNS_SEC_AUTHORITY], 1);
    assert_int_equal(f->m->n_rr[DNS_SEC_ADDITIONAL], 0);
}

/* ---- caps -------------------------------------------------------------- */

static void
test_caps_records(void **state)
{
    struct dfx *f = *state;
    static struct mb b;
    unsigned i;

    mb_hdr(&b, 1, 0x8000, 40, 300, 0, 0);
    for (i = 0; i < 40; i++) {
        mb_name(&b, "q");
        mb_u16(&b, 1);
        mb_u16(&b, 1);
    }
    for (i = 0; i < 300; i++) {
        mb_ptr(&b, 12);
        mb_rr(&b, 1, i, "\1\2\3\4", 4);
    }
    assert_int_equal(parse(f, b.b, b.n), DNS_OK);
    assert_int_equal(f->m->n_questions, DNS_MAX_QUERIES);
    assert_int_equal(f->m->n_rr[DNS_SEC_ANSWER], DNS_MAX_RRS);
    assert_int_equal(f->m->not_stored, (40 - DNS_MAX_QUERIES) + (300 - DNS_MAX_RRS));
    assert_int_equal(f->m->rr[0][DNS_MAX_RRS - 1].ttl, DNS_MAX_RRS - 1);
    /* Records past the cap are still checked. */
    b.b[b.n - 5] = 9; /* RDLENGTH of the last record: past the end */
    assert_int_equal(parse(f, b.b, b.n), DNS_MALFORMED);
}

static void
test_caps_scratch(void **state)
{
    struct dfx *f = *state;
    static struct mb b;
    unsigned i;

    mb_hdr(&b, 1, 0x8000, 1, 4, 0, 0);
    mb_name(&b, "q");
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    for (i = 0; i < 4; i++) {
        mb_name(&b, "owner");
        mb_rr(&b, 1, i, "\1\2\3\4", 4);
    }
    free(f->copy);
    f->copy = malloc(b.n);
    assert_non_null(f->copy);
    memcpy(f->copy, b.b, b.n);
    /* A name is stored while DNS_NAME_BUF bytes are free: 1099 bytes hold
     * "q" (1), "owner" (6), "owner" (11), then 1088 are left. */
    assert_int_equal(dns_parse_message(f->copy, b.n, f->m, f->scratch, DNS_NAME_BUF + 10), DNS_OK);
    assert_name(&f->m->questions[0].name, "q");
    assert_name(&f->m->rr[0][0].name, "owner");
    assert_name(&f->m->rr[0][1].name, "owner");
    assert_int_equal(f->m->rr[0][2].name.len, 0);
    assert_int_equal(f->m->rr[0][2].name.flags, DNS_NAME_F_NOSPACE);
    assert_int_equal(f->m->names_not_stored, 2);
    assert_int_equal(f->m->n_rr[DNS_SEC_ANSWER], 4);
    assert_int_equal(f->m->name_flags, 0);
}

static void
test_type_names(void **state)
{
    (void)state;
    assert_string_equal(dns_type_name(1), "A");
    assert_string_equal(dns_type_name(23), "NSAPPTR");
    assert_string_equal(dns_type_name(60), "CDNSKEY");
    assert_string_equal(dns_type_name(65), "HTTPS");
    assert_string_equal(dns_type_name(256), "URI");
    assert_null(dns_type_name(64)); /* SVCB: logged by number */
    assert_null(dns_type_name(0));
}

/* ---- probes (dns_probe_message, dns_probe_tcp) ------------------------- */

/* The probe agrees with the parser on whole messages: every length of both vectors. */
static void
test_probe_agrees(void **state)
{
    struct dfx *f = *state;
    const struct {
        const uint8_t *b;
        size_t n;
    } v[] = {{v_query, sizeof(v_query)}, {v_response, sizeof(v_response)}};
    bool req;
    size_t i, n;

    for (i = 0; i < NIDS_ARRAY_LEN(v); i++) {
        for (n = 0; n <= v[i].n; n++) {
            enum dns_status st = parse(f, v[i].b, n);
            /* parse() keeps an exact-size copy: the probe reads that one too. */
            enum dns_probe pr = dns_probe_message(f->copy, n, n, &req);
            assert_int_equal(pr == DNS_PROBE_YES, st == DNS_OK);
            free(f->copy);
            f->copy = NULL;
        }
        assert_int_equal(req, i == 0);
    }
}

/* Fewer bytes than the message: only the header is judged (against dlen). */
static void
test_probe_partial(void **state)
{
    bool req;
    size_t n;

    (void)state;
    for (n = 0; n < DNS_HDR_LEN; n++)
        assert_int_equal(dns_probe_message(v_response, n, sizeof(v_response), &req), DNS_PROBE_NO);
    for (; n < sizeof(v_response); n++) {
        assert_int_equal(dns_probe_message(v_response, n, sizeof(v_response), &req), DNS_PROBE_YES);
        assert_false(req);
    }
    /* 12 + 1 records need 2 bytes each: a 13-byte message cannot hold 17 records. */
    assert_int_equal(dns_probe_message(v_response, DNS_HDR_LEN, 13, &req), DNS_PROBE_NO);
    /* A query claiming a length the header counts rule out. */
    assert_int_equal(dns_probe_message(v_query, DNS_HDR_LEN, DNS_HDR_LEN, &req), DNS_PROBE_NO);
}

/* An opcode above 6 is a DNS message (Suricata raises invalid_opcode, no refusal). */
static void
test_probe_opcode(void **state)
{
    struct mb b;
    bool req;

    (void)state;
    mb_hdr(&b, 1, 0x4800, 1, 0, 0, 0); /* opcode 9 */
    mb_name(&b, "suricata.io");
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    assert_int_equal(dns_probe_message(b.b, b.n, b.n, &req), DNS_PROBE_YES);
    assert_true(req);
}

/* TCP: two length bytes, then the message; bytes past the length are ignored. */
static void
test_probe_tcp(void **state)
{
    uint8_t buf[2 + sizeof(v_query) + 5];
    bool req;
    size_t n;

    (void)state;
    buf[0] = 0;
    buf[1] = sizeof(v_query);
    memcpy(buf + 2, v_query, sizeof(v_query));
    memset(buf + 2 + sizeof(v_query), 0xee, 5);
    assert_int_equal(dns_probe_tcp(buf, 0, &req), DNS_PROBE_INCOMPLETE);
    assert_int_equal(dns_probe_tcp(buf, 1, &req), DNS_PROBE_INCOMPLETE);
    for (n = 2; n < 2 + DNS_HDR_LEN; n++)
        assert_int_equal(dns_probe_tcp(buf, n, &req), DNS_PROBE_NO);
    for (; n <= sizeof(buf); n++) {
        assert_int_equal(dns_probe_tcp(buf, n, &req), DNS_PROBE_YES);
        assert_true(req);
    }
    /* A length that cuts the OPT additional: still a message (invalid_additionals). */
    buf[1] = sizeof(v_query) - 3;
    assert_int_equal(dns_probe_tcp(buf, sizeof(buf), &req), DNS_PROBE_YES);
    /* One that cuts the question's type: the message no longer parses. */
    buf[1] = 30;
    assert_int_equal(dns_probe_tcp(buf, sizeof(buf), &req), DNS_PROBE_NO);
    /* HTTP is not DNS. */
    assert_int_equal(dns_probe_tcp((const uint8_t *)"GET / HTTP/1.1\r\n\r\n", 18, &req),
                     DNS_PROBE_NO);
}

/* Port lists of detection-ports. */
static void
test_detect_ports(void **state)
{
    static uint8_t bm[APP_PORTS_BYTES];

    (void)state;
    memset(bm, 0, sizeof(bm));
    assert_int_equal(app_detect_ports_parse("[53, 5353]", bm), 0);
    assert_true(bm[53 / 8] & (1u << (53 % 8)));
    assert_true(bm[5353 / 8] & (1u << (5353 % 8)));
    assert_false(bm[54 / 8] & (1u << (54 % 8)));
    assert_int_equal(app_detect_ports_parse("1000:1002", bm), 0);
    assert_true(bm[1001 / 8] & (1u << (1001 % 8)));
    assert_true(bm[1002 / 8] & (1u << (1002 % 8)));
    assert_false(bm[1003 / 8] & (1u << (1003 % 8)));
    assert_int_equal(app_detect_ports_parse("!53", bm), NIDS_EINVAL);
    assert_int_equal(app_detect_ports_parse("65536", bm), NIDS_EINVAL);
    assert_int_equal(app_detect_ports_parse("9:8", bm), NIDS_EINVAL);
    assert_int_equal(app_detect_ports_parse("", bm), NIDS_EINVAL);
    assert_int_equal(app_detect_ports_parse("any", bm), 0);
    assert_true(bm[65535 / 8] & 0x80);
}

/* ---- per-flow handling (app_dns_udp.c) ---------------------------------- */

static const uint8_t ucli[4] = {10, 0, 0, 1}, usrv[4] = {10, 0, 0, 53};

struct ufx {
    struct eve_fx fx;
    struct app_dns_udp *d;
    struct flow f;
    struct pkt p;
    uint64_t ctr[STAT_ID_COUNT];
    uint8_t frame[2048];
};

static int
ufx_setup(void **state)
{
    struct ufx *u = calloc(1, sizeof(*u));

    if (u == NULL || eve_fx_open(&u->fx, "test_dns", EVE_TYPE_DNS, 65536) < 0)
        return -1;
    eve_dns_cfg_defaults(&u->fx.e.out[0].dns);
    u->d = app_dns_udp_create();
    if (u->d == NULL)
        return -1;
    u->f.key.ip_ver = 4;
    u->f.key.proto = 17;
    u->f.flow_id = 77;
    memcpy(u->f.key.src, ucli, 4);
    memcpy(u->f.key.dst, usrv, 4);
    u->f.key.sp = 40000;
    u->f.key.dp = 53;
    *state = u;
    return 0;
}

static int
ufx_teardown(void **state)
{
    struct ufx *u = *state;

    app_dns_udp_destroy(u->d);
    eve_fx_close(&u->fx);
    free(u);
    return 0;
}

/* Builds a packet of msg from the DNS client (10.0.0.1:40000) or server (10.0.0.53:53). */
static struct pkt *
upkt(struct ufx *u, bool from_server, const uint8_t *msg, size_t len)
{
    struct pkt *p = &u->p;

    assert_true(len <= sizeof(u->frame));
    memset(p, 0, sizeof(*p));
    memcpy(u->frame, msg, len);
    p->data = u->frame;
    p->caplen = (uint32_t)len;
    p->payload_off = 0;
    p->payload_len = (uint32_t)len;
    p->ctr = u->ctr;
    p->ip_ver = 4;
    p->l3_len = 20;
    p->proto = 17;
    p->flags = PKT_HAS_L4;
    memcpy(p->src, from_server ? usrv : ucli, 4);
    memcpy(p->dst, from_server ? ucli : usrv, 4);
    p->sp = from_server ? 53 : 40000;
    p->dp = from_server ? 40000 : 53;
    return p;
}

/* The worker's steps for a UDP packet: its direction on the flow, detection, turning round, parse.
 */
static void
uworker(struct ufx *u, bool from_server, const uint8_t *msg, size_t len)
{
    struct pkt *p = upkt(u, from_server, msg, len);
    int dir = memcmp(u->f.key.src, p->src, 4) == 0 && u->f.key.sp == p->sp ? 0 : 1;

    app_detect_packet(&u->f, p, dir);
    if (u->f.flags & FLOW_F_SWAP) {
        flow_swap(&u->f);
        dir ^= 1;
    }
    if (u->f.app_proto == APP_PROTO_DNS)
        app_dns_udp_packet(u->d, &u->fx.e, &u->f, p, dir);
}

/* Sends msg as the UDP payload of a packet in direction dir (0: client->server). */
static void
usend(struct ufx *u, int dir, const uint8_t *msg, size_t len)
{
    struct pkt *p = &u->p;
    static const uint8_t client[4] = {10, 0, 0, 1}, server[4] = {10, 0, 0, 53};

    assert_true(len <= sizeof(u->frame));
    memset(p, 0, sizeof(*p));
    memcpy(u->frame, msg, len);
    p->data = u->frame;
    p->caplen = (uint32_t)len;
    p->payload_off = 0;
    p->payload_len = (uint32_t)len;
    p->ctr = u->ctr;
    p->ip_ver = 4;
    p->l3_len = 20;
    p->proto = 17;
    p->flags = PKT_HAS_L4;
    memcpy(p->src, dir ? server : client, 4);
    memcpy(p->dst, dir ? client : server, 4);
    p->sp = dir ? 53 : 40000;
    p->dp = dir ? 40000 : 53;
    app_dns_udp_packet(u->d, &u->fx.e, &u->f, p, dir);
}

/* The EVE file so far. */
static const char *
uread(struct ufx *u)
{
    return eve_fx_read(&u->fx);
}

/* Query, unsolicited response, response: three transactions, tx_id 0, 1, 2. */
static void
test_flow_transactions(void **state)
{
    struct ufx *u = *state;
    uint8_t other[sizeof(v_response)];

    memcpy(other, v_response, sizeof(other));
    other[1] = 0x41; /* another id */
    usend(u, 0, v_query, sizeof(v_query));
    usend(u, 1, other, sizeof(other));
    usend(u, 1, v_response, sizeof(v_response));
    const char *t = uread(u);
    assert_int_equal(eve_fx_count(t, "\"event_type\":\"dns\""), 3);
    assert_non_null(strstr(t, "\"type\":\"request\",\"tx_id\":0,"));
    assert_non_null(strstr(t, "\"type\":\"response\",\"tx_id\":1,\"id\":4673,"));
    assert_non_null(strstr(t, "\"type\":\"response\",\"tx_id\":2,\"id\":4660,"));
    assert_non_null(strstr(t, "\"src_ip\":\"10.0.0.53\",\"src_port\":53,"));
    assert_int_equal(u->ctr[STAT_APP_LAYER_TX_DNS_UDP], 3);
    assert_int_equal(u->ctr[STAT_APP_LAYER_FLOW_DNS_UDP], 1);
    assert_int_equal(u->f.app_tx, 3);
}

/*
 * A flow whose first packet is the server's response (the responder is
 * the flow's client): detection has the worker turn the flow round, so
 * the flow and its counters then run from the querier, and the query
 * that follows is a request.
 */
static void
test_flow_reversed(void **state)
{
    struct ufx *u = *state;

    memcpy(u->f.key.src, usrv, 4);
    memcpy(u->f.key.dst, ucli, 4);
    u->f.key.sp = 53;
    u->f.key.dp = 40000;
    u->f.pkts[0] = 1; /* the flow table counted the response as to-server */
    uworker(u, true, v_response, sizeof(v_response));
    assert_int_equal(u->f.app_proto, APP_PROTO_DNS);
    assert_false(u->f.flags & FLOW_F_SWAP);
    assert_memory_equal(u->f.key.src, ucli, 4);
    assert_int_equal(u->f.key.sp, 40000);
    assert_int_equal(u->f.key.dp, 53);
    assert_int_equal(u->f.pkts[1], 1);
    assert_int_equal(u->f.pkts[0], 0);
    uworker(u, false, v_query, sizeof(v_query));
    const char *t = uread(u);
    assert_non_null(strstr(t, "\"src_ip\":\"10.0.0.53\",\"src_port\":53,"));
    assert_non_null(strstr(t, "\"type\":\"response\",\"tx_id\":0,"));
    assert_non_null(strstr(t, "\"type\":\"request\",\"tx_id\":1,"));
    assert_int_equal(eve_fx_count(t, "\"event_type\":\"dns\""), 2);
}

/*
 * Detection: a query first is not turned round; a payload that is not a
 * whole DNS message leaves the flow unknown (the next packet is probed);
 * an opcode of 9 is DNS (with invalid_opcode); ports outside
 * detection-ports are not probed.
 */
static void
test_flow_detect(void **state)
{
    struct ufx *u = *state;
    struct app_detect_cfg *dc = calloc(1, sizeof(*dc));
    struct mb b;

    assert_non_null(dc);
    uworker(u, false, v_query, 20);
    assert_int_equal(u->f.app_proto, APP_PROTO_UNKNOWN);
    mb_hdr(&b, 1, 0x4800, 1, 0, 0, 0); /* opcode 9 */
    mb_name(&b, "suricata.io");
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    uworker(u, false, b.b, b.n);
    assert_int_equal(u->f.app_proto, APP_PROTO_DNS);
    assert_false(u->f.flags & FLOW_F_SWAP);
    assert_int_equal(u->f.key.sp, 40000);
    const char *t = uread(u);
    assert_int_equal(eve_fx_count(t, "\"event\":\"invalid_opcode\""), 1);
    assert_non_null(strstr(t, "\"opcode\":9"));

    /* Port 53 not listed: another flow is not probed. */
    app_detect_cfg_defaults(dc);
    memset(dc->dns_udp_ports, 0, sizeof(dc->dns_udp_ports));
    assert_int_equal(app_detect_ports_parse("5353", dc->dns_udp_ports), 0);
    app_detect_configure(dc);
    u->f.app_proto = APP_PROTO_UNKNOWN;
    uworker(u, false, v_query, sizeof(v_query));
    assert_int_equal(u->f.app_proto, APP_PROTO_UNKNOWN);
    u->f.key.dp = 5353;
    uworker(u, false, v_query, sizeof(v_query));
    assert_int_equal(u->f.app_proto, APP_PROTO_DNS);
    app_detect_cfg_defaults(dc);
    app_detect_configure(dc);
    free(dc);
}

/* Events of a new transaction are anomalies; malformed messages, responses
 * sent to the server and non-DNS payloads make no transaction. */
static void
test_flow_events(void **state)
{
    struct ufx *u = *state;
    struct mb b;

    usend(u, 0, v_query, sizeof(v_query));
    /* A query with Z and opcode 7 to the server. */
    mb_hdr(&b, 2, 0x3840, 1, 0, 0, 0);
    mb_name(&b, "z");
    mb_u16(&b, 1);
    mb_u16(&b, 1);
    usend(u, 0, b.b, b.n);
    /* A query (QR clear) in the response direction. */
    usend(u, 1, b.b, b.n);
    /* A response to the server: not a request. */
    usend(u, 0, v_response, sizeof(v_response));
    /* Malformed: cut in the answers. */
    usend(u, 1, v_response, 100);
    /* Not DNS. */
    usend(u, 1, (const uint8_t *)"hello", 5);
    const char *t = uread(u);
    assert_int_equal(eve_fx_count(t, "\"event_type\":\"dns\""), 3);
    assert_int_equal(eve_fx_count(t, "\"event\":\"z_flag_set\""), 2);
    assert_int_equal(eve_fx_count(t, "\"event\":\"invalid_opcode\""), 2);
    assert_int_equal(eve_fx_count(t, "\"event\":\"not_response\""), 1);
    assert_int_equal(eve_fx_count(t, "\"event_type\":\"anomaly\""), 5);
    assert_non_null(strstr(t,
                           "\"tx_id\":2,\"anomaly\":{\"app_proto\":\"dns\",\"type\":\"applayer\","
                           "\"event\":\"not_response\",\"layer\":\"proto_parser\"}"));
    assert_int_equal(u->ctr[STAT_APP_LAYER_TX_DNS_UDP], 3);
    assert_int_equal(u->ctr[STAT_DNS_UDP_NOT_REQUEST], 1);
    assert_int_equal(u->ctr[STAT_DNS_UDP_MALFORMED], 1);
    assert_int_equal(u->ctr[STAT_DNS_UDP_NOT_DNS], 1);
}

/* requests: no, v2 records, types filter. */
static void
test_flow_options(void **state)
{
    struct ufx *u = *state;

    u->fx.e.out[0].dns.flags &= ~EVE_DNS_REQUESTS;
    usend(u, 0, v_query, sizeof(v_query));
    usend(u, 1, v_response, sizeof(v_response));
    const char *t = uread(u);
    assert_int_equal(eve_fx_count(t, "\"event_type\":\"dns\""), 1);
    assert_non_null(strstr(t, "\"type\":\"response\",\"tx_id\":1,"));

    u->fx.e.out[0].dns.flags = ~0ull;
    u->fx.e.out[0].dns.version = 2;
    usend(u, 0, v_query, sizeof(v_query));
    usend(u, 1, v_response, sizeof(v_response));
    t = uread(u);
    assert_non_null(strstr(t, "\"dns\":{\"version\":2,\"type\":\"query\",\"id\":4660,"
                              "\"rrname\":\"www.example.com\",\"rrtype\":\"A\",\"tx_id\":2,"));
    assert_non_null(strstr(t, "\"dns\":{\"version\":2,\"type\":\"answer\",\"id\":4660,"));

    u->fx.e.out[0].dns.version = 3;
    u->fx.e.out[0].dns.flags = (~0ull & ~EVE_DNS_ALL_RRTYPES) | eve_dns_type_flag("mx");
    usend(u, 0, v_query, sizeof(v_query));
    t = uread(u);
    assert_int_equal(eve_fx_count(t, "\"event_type\":\"dns\""), 3);
    assert_int_equal(u->f.app_tx, 5);
}

int
main(void)
{
#define T(fn)  cmocka_unit_test_setup_teardown(fn, dfx_setup, dfx_teardown)
#define TU(fn) cmocka_unit_test_setup_teardown(fn, ufx_setup, ufx_teardown)
    const struct CMUnitTest tests[] = {
            T(test_query),
            T(test_header_bits),
            T(test_header_validity),
            T(test_response_records),
            T(test_json_query),
            T(test_json_response),
            T(test_json_options),
            T(test_json_v2),
            T(test_response_truncation_sweep),
            T(test_query_truncation_sweep),
            T(test_compression_chain),
            T(test_pointer_self_first),
            T(test_pointer_self_after_pivot),
            T(test_pointer_cycle),
            T(test_hop_limit_no_pointer),
            T(test_name_too_long),
            T(test_name_label_types),
            T(test_pointer_bounds),
            T(test_json_escape),
            T(test_rdata_errors),
            T(test_rdata_empty),
            T(test_rdata_addr_lengths),
            T(test_rdata_trailing),
            T(test_sections_invalid),
            T(test_caps_records),
            T(test_caps_scratch),
            cmocka_unit_test(test_type_names),
            T(test_probe_agrees),
            cmocka_unit_test(test_probe_partial),
            cmocka_unit_test(test_probe_opcode),
            cmocka_unit_test(test_probe_tcp),
            cmocka_unit_test(test_detect_ports),
            TU(test_flow_transactions),
            TU(test_flow_reversed),
            TU(test_flow_detect),
            TU(test_flow_events),
            TU(test_flow_options),
    };
    return cmocka_run_group_tests_name("dns", tests, NULL, NULL);
}
