/*
 * app_dns.h - DNS messages (RFC 1035 section 4): one complete message in,
 * a struct of values and {ptr,len} views out, with Suricata 8's rules for
 * what is accepted (rust/src/dns/parser.rs, dns.rs).
 *
 * Transport-neutral: a UDP caller hands the datagram payload, a TCP caller
 * the bytes after the two-byte length prefix (RFC 1035 4.2.2), one message
 * per call. Nothing is allocated: names are decompressed into a scratch
 * buffer the caller provides; every other view points into the message.
 * Both must outlive the use of the result. Raw bytes are kept raw (a label
 * may hold any byte); escaping for output belongs to the formatter.
 *
 * Caps, each with a flag in struct dns_msg that the caller counts:
 * DNS_MAX_QUERIES questions and DNS_MAX_RRS records per section are
 * stored (the rest are parsed and checked, not stored); a name that does
 * not fit in the scratch buffer is parsed and not stored.
 */
#ifndef APP_DNS_H
#define APP_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DNS_HDR_LEN       12
#define DNS_NAME_MAX      1025 /* longest name kept; Suricata's MAX_NAME_LEN (dnsmasq's) */
#define DNS_NAME_HOPS_MAX 255  /* labels + pointers followed per name */
#define DNS_MAX_QUERIES   32   /* questions stored per message */
#define DNS_MAX_RRS       256  /* records stored per section */

/* Flags of one name, and of a message (all its names), as Suricata's DNSNameFlags. */
#define DNS_NAME_F_LOOP      0x01 /* a pointer to itself after another pointer */
#define DNS_NAME_F_TRUNCATED 0x02 /* cut at DNS_NAME_MAX bytes or at the hop limit */
#define DNS_NAME_F_LABELS    0x04 /* more than DNS_NAME_HOPS_MAX labels and pointers */
#define DNS_NAME_F_NOSPACE   0x08 /* scratch full: parsed but not stored (len 0) */

/* Header flag bits (RFC 1035 4.1.1, RFC 4035 3.2). */
#define DNS_FLAG_QR 0x8000
#define DNS_FLAG_AA 0x0400
#define DNS_FLAG_TC 0x0200
#define DNS_FLAG_RD 0x0100
#define DNS_FLAG_RA 0x0080
#define DNS_FLAG_Z  0x0040
#define DNS_FLAG_AD 0x0020
#define DNS_FLAG_CD 0x0010

/* Record types whose RDATA is decoded. */
#define DNS_TYPE_A     1
#define DNS_TYPE_NS    2
#define DNS_TYPE_CNAME 5
#define DNS_TYPE_SOA   6
#define DNS_TYPE_NULL  10
#define DNS_TYPE_PTR   12
#define DNS_TYPE_MX    15
#define DNS_TYPE_TXT   16
#define DNS_TYPE_AAAA  28
#define DNS_TYPE_SRV   33
#define DNS_TYPE_OPT   41
#define DNS_TYPE_SSHFP 44
#define DNS_TYPE_SVCB  64
#define DNS_TYPE_HTTPS 65

enum dns_status {
    DNS_OK = 0,    /* parsed */
    DNS_NOT_DNS,   /* header fails Suricata's validity check: not a DNS message, no event */
    DNS_MALFORMED, /* the questions or answers do not parse: Suricata's malformed_data */
    DNS_STATUS_COUNT
};

enum dns_section {
    DNS_SEC_ANSWER = 0,
    DNS_SEC_AUTHORITY,
    DNS_SEC_ADDITIONAL,
    DNS_SEC_COUNT
};

/* How an RR's RDATA was decoded (Suricata's DNSRData variants). */
enum dns_rdata_kind {
    DNS_RD_ADDR = 0, /* A, AAAA: the bytes, whatever their number */
    DNS_RD_NAME,     /* CNAME, NS, PTR, MX (preference in u.mx_pref) */
    DNS_RD_TXT,      /* TXT: rdata holds one or more length-prefixed strings */
    DNS_RD_BYTES,    /* NULL: the bytes */
    DNS_RD_SOA,
    DNS_RD_SRV,
    DNS_RD_SSHFP,
    DNS_RD_OPT,   /* OPT: rdata holds zero or more (code, length, data) options */
    DNS_RD_OTHER, /* any other type: rdata only (HTTPS and SVCB included) */
    DNS_RD_COUNT
};

/* A decompressed name in the scratch buffer: dotted labels, no trailing dot. */
struct dns_name {
    const uint8_t *p; /* NULL when len is 0 */
    uint16_t len;
    uint8_t flags; /* DNS_NAME_F_* */
};

/* Bytes of the message. */
struct dns_bytes {
    const uint8_t *p; /* NULL when len is 0 */
    uint16_t len;
};

struct dns_question {
    struct dns_name name;
    uint16_t type;
    uint16_t qclass;
};

struct dns_rr {
    struct dns_name name;
    uint16_t type;
    uint16_t rclass;
    uint32_t ttl;
    uint8_t kind;           /* enum dns_rdata_kind */
    struct dns_bytes rdata; /* as on the wire */
    union {
        struct {
            struct dns_name name; /* CNAME, NS, PTR target; MX exchange */
            uint16_t mx_pref;
        } target;
        struct {
            struct dns_name mname, rname;
            uint32_t serial, refresh, retry, expire, minimum;
        } soa;
        struct {
            uint16_t priority, weight, port;
            struct dns_name target;
        } srv;
        struct {
            uint8_t algo, fp_type;
            struct dns_bytes fp;
        } sshfp;
    } u;
};

struct dns_msg {
    uint16_t id;
    uint16_t flags; /* the whole flags word; the fields below are decoded from it */
    bool qr, aa, tc, rd, ra, z, ad, cd;
    uint8_t opcode;
    uint8_t rcode;
    uint16_t qdcount, ancount, nscount, arcount; /* as the header declares them */
    uint16_t n_questions;                        /* stored */
    uint16_t n_rr[DNS_SEC_COUNT];                /* stored */
    uint8_t name_flags;                          /* union of the flags of every name parsed */
    bool invalid_authorities;  /* authority section broken: dropped, additionals not read */
    bool invalid_additionals;  /* additional section broken: dropped */
    uint32_t not_stored;       /* questions and records parsed past the caps */
    uint32_t names_not_stored; /* names parsed without room in the scratch buffer */
    struct dns_question questions[DNS_MAX_QUERIES];
    struct dns_rr rr[DNS_SEC_COUNT][DNS_MAX_RRS];
};

/*
 * Parse the complete DNS message msg[0..len) into m. Names go into
 * scratch[0..scratch_len) (any size; DNS_NAME_MAX bytes are reserved per
 * name, so 64 KiB holds at least 63 names of any length). Returns DNS_OK
 * (m filled), DNS_NOT_DNS (shorter than a header, or counts that cannot fit
 * the length, no questions in a query, records claimed by a header-only
 * message) or DNS_MALFORMED (a question or answer does not parse). A broken
 * authority or additional section is not an error: it sets
 * invalid_authorities / invalid_additionals. On an error m is partly
 * written. Reads nothing outside msg[0..len). Any thread; no allocation.
 */
enum dns_status dns_parse_message(const uint8_t *msg, size_t len, struct dns_msg *m,
                                  uint8_t *scratch, size_t scratch_len);

/* What a probe makes of the first bytes of a flow direction. */
enum dns_probe {
    DNS_PROBE_NO = 0,     /* not DNS */
    DNS_PROBE_YES,        /* a DNS message (or the valid start of one) */
    DNS_PROBE_INCOMPLETE, /* too few bytes to tell (TCP: under 2) */
    DNS_PROBE_COUNT
};

/*
 * Suricata's probe (dns.rs probe()): is msg[0..len) a DNS message of dlen
 * bytes? With all dlen bytes (len >= dlen; bytes past dlen are ignored)
 * the whole message must parse as dns_parse_message() would accept it
 * and pass the header validity check; with fewer, only the header (12
 * bytes needed) is checked against dlen. *is_request: QR clear. Stores
 * nothing, reads nothing outside msg[0..len). Any thread; no allocation.
 */
enum dns_probe dns_probe_message(const uint8_t *msg, size_t len, size_t dlen, bool *is_request);

/*
 * DNS over TCP (dns.rs probe_tcp()): buf[0..len) starts with the 2-byte
 * length (RFC 1035 4.2.2), then the message, probed as above.
 */
enum dns_probe dns_probe_tcp(const uint8_t *buf, size_t len, bool *is_request);

/* Suricata's mnemonic of a record type ("A", "HTTPS"), or NULL if it has none. */
const char *dns_type_name(uint16_t type);

/* Suricata's name of an RCODE ("NOERROR", "NXDOMAIN"), or NULL above 10. */
const char *dns_rcode_name(uint8_t rcode);

#endif /* APP_DNS_H */
