/*
 * decode.h - the decoded view of one packet (struct pkt) and the layer
 * dispatch loop.
 *
 * Decoders store offsets and values in struct pkt and never copy payload.
 * Each decoder decodes one layer from a cursor positioned at its header,
 * leaves the cursor at the start of the next layer (trimmed to the length
 * its header declares), and names the next protocol in struct dec_next.
 * decode.c loops over the layers up to DEC_MAX_LAYERS.
 */
#ifndef DECODE_H
#define DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "dec_events.h"
#include "stats_defs.h"

#define DEC_MAX_LAYERS 16
#define DEC_MAX_EVENTS 8
#define DEC_MAX_VLAN   3

/* Link types by their pcap DLT numbers. */
#define DEC_DLT_NULL    0
#define DEC_DLT_EN10MB  1
#define DEC_DLT_RAW     12
#define DEC_DLT_LOOP    108
#define DEC_DLT_RAW_ALT 101
#define DEC_DLT_SLL     113
#define DEC_DLT_IPV4    228
#define DEC_DLT_IPV6    229
#define DEC_DLT_SLL2    276

enum dec_status {
    DEC_OK = 0,      /* layer decoded; next->proto says what follows */
    DEC_INVALID,     /* malformed: an event was recorded, decoding stops */
    DEC_UNSUPPORTED, /* well-formed but not decoded further */
    DEC_STATUS_COUNT
};

enum dec_proto {
    DEC_PROTO_NONE = 0,
    DEC_PROTO_ETH,
    DEC_PROTO_SLL,
    DEC_PROTO_SLL2,
    DEC_PROTO_NULL,
    DEC_PROTO_RAW,
    DEC_PROTO_VLAN,
    DEC_PROTO_IPV4,
    DEC_PROTO_IPV6,
    DEC_PROTO_TCP,
    DEC_PROTO_UDP,
    DEC_PROTO_ICMP4,
    DEC_PROTO_ICMP6,
    DEC_PROTO_COUNT
};

struct dec_next {
    enum dec_proto proto;
    size_t hdr_len;
};

/* Packet flags. */
#define PKT_IS_INVALID  0x0001u /* a decoder returned DEC_INVALID */
#define PKT_HAS_L4      0x0002u /* ports / ICMP fields are valid: the packet wants a flow */
#define PKT_IS_FRAGMENT 0x0004u /* an IP fragment: goes to defrag, not to a flow */
#define PKT_IS_PSEUDO   0x0008u /* built by defrag from fragments */
#define PKT_CSUM_CHECK  0x0010u /* validate TCP/UDP/ICMP checksums */
#define PKT_CSUM_BAD    0x0020u /* an L4 checksum failed */
#define PKT_WRONG_VER   0x0040u
#define PKT_STREAM_SKIP 0x0080u /* the TCP state machine rejected it: not reassembled */

struct pkt {
    const uint8_t *data; /* first byte of the link layer */
    uint32_t caplen;     /* bytes captured */
    uint32_t wirelen;    /* bytes on the wire */
    uint64_t ts_us;      /* capture time, microseconds since the epoch */
    uint64_t pcap_cnt;   /* 1-based index in the input */
    int linktype;        /* DEC_DLT_* */
    uint64_t *ctr;       /* the owning worker's counters, indexed by enum stat_id */
    uint16_t flags;
    uint8_t nlayers;

    uint8_t vlan_idx;
    uint16_t vlan_id[DEC_MAX_VLAN];

    /* Network layer. Addresses are 16 bytes; IPv4 uses the first 4. */
    uint8_t ip_ver;
    uint8_t proto; /* transport protocol number */
    uint8_t ttl;   /* TTL or hop limit */
    uint8_t tos;
    uint8_t src[16];
    uint8_t dst[16];
    uint32_t l3_off;  /* offset of the (innermost) IP header */
    uint32_t l3_len;  /* IP total length as trimmed to what was captured */
    uint32_t l3_hlen; /* IPv4 header / IPv6 header + extension headers */

    /* Fragments. For IPv6 frag_hdr_off is the fragment header's offset and
     * unfrag_len the length of the part before it. */
    uint32_t frag_id;
    uint16_t frag_off; /* in bytes */
    bool frag_mf;
    uint8_t frag_nh; /* IPv6: next header after the fragment header */
    uint32_t frag_hdr_off;
    uint32_t unfrag_len;
    uint32_t frag_prev_nh_off; /* IPv6: offset of the next-header byte naming the fragment header */
    uint16_t ip_id;

    /* Transport layer. */
    uint32_t l4_off;
    uint32_t l4_len;
    uint16_t sp, dp;
    uint8_t tcp_flags;
    uint8_t tcp_hlen;
    uint16_t tcp_win;
    uint32_t tcp_seq, tcp_ack;
    uint8_t tcp_wscale; /* 0xff = option absent */
    bool tcp_has_ts;
    bool tcp_has_auth; /* an MD5 (RFC 2385) or TCP-AO (RFC 5925) option */
    bool tcp_sack_ok;
    uint16_t tcp_mss;
    uint32_t tcp_tsval, tcp_tsecr;
    uint8_t icmp_type, icmp_code;
    uint16_t icmp_id, icmp_seq;

    uint32_t payload_off;
    uint32_t payload_len;

    uint8_t n_events;
    uint16_t events[DEC_MAX_EVENTS];
};

/* TCP flag bits. */
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_URG 0x20
#define TCP_ECE 0x40
#define TCP_CWR 0x80

typedef enum dec_status (*dec_fn)(struct pkt *p, struct cursor *c, struct dec_next *next);

/*
 * Prepare p for decoding a captured frame. ctr must point at a counter
 * array of STAT_ID_COUNT entries owned by the calling worker.
 */
void dec_pkt_init(struct pkt *p, const uint8_t *data, uint32_t caplen, uint32_t wirelen,
                  uint64_t ts_us, int linktype, uint64_t *ctr);

/*
 * Decode every layer of p, starting from its link type (or from `first`
 * for a pseudo packet). Counts decoder.pkts/bytes for non-pseudo packets.
 * Returns the status of the last layer decoded. Worker thread only.
 */
enum dec_status dec_packet(struct pkt *p);
enum dec_status dec_packet_from(struct pkt *p, enum dec_proto first, uint32_t offset);

/* True when the link type can be decoded. */
bool dec_linktype_is_supported(int linktype);

/* Record event ev on p (up to DEC_MAX_EVENTS kept) and count it. */
void dec_event_set(struct pkt *p, enum dec_event ev);

/* Maps an ethertype to the protocol that follows, or DEC_PROTO_NONE. */
enum dec_proto dec_ethertype_next(uint16_t type);

/*
 * An EtherType no decoder takes: ARP is counted as decoder.arp, anything
 * else as decoder.unknown_ethertype. Returns true when it was unknown.
 */
bool dec_ethertype_count_other(struct pkt *p, uint16_t type);

/* Offset of the cursor's position from the start of the packet. */
static inline uint32_t
dec_offset(const struct pkt *p, const struct cursor *c)
{
    return (uint32_t)(c->pos - p->data);
}

/* The per-protocol decoders (one file each). */
enum dec_status dec_eth(struct pkt *p, struct cursor *c, struct dec_next *next);
enum dec_status dec_sll(struct pkt *p, struct cursor *c, struct dec_next *next);
enum dec_status dec_sll2(struct pkt *p, struct cursor *c, struct dec_next *next);
enum dec_status dec_null(struct pkt *p, struct cursor *c, struct dec_next *next);
enum dec_status dec_raw(struct pkt *p, struct cursor *c, struct dec_next *next);
enum dec_status dec_vlan(struct pkt *p, struct cursor *c, struct dec_next *next);
enum dec_status dec_ipv4(struct pkt *p, struct cursor *c, struct dec_next *next);
enum dec_status dec_ipv6(struct pkt *p, struct cursor *c, struct dec_next *next);
enum dec_status dec_tcp(struct pkt *p, struct cursor *c, struct dec_next *next);
enum dec_status dec_udp(struct pkt *p, struct cursor *c, struct dec_next *next);
enum dec_status dec_icmp4(struct pkt *p, struct cursor *c, struct dec_next *next);
enum dec_status dec_icmp6(struct pkt *p, struct cursor *c, struct dec_next *next);

/*
 * Worker choice for a captured frame: a symmetric hash of the outermost
 * IP address pair and VLAN ids (dec_hash.c). Capture thread.
 */
uint32_t dec_dispatch_hash(const uint8_t *data, uint32_t caplen, int linktype);

/* Internet checksum helpers (RFC 1071), in dec_csum.c. */
uint32_t dec_csum_add(uint32_t sum, const uint8_t *b, size_t len);
uint16_t dec_csum_fold(uint32_t sum);
uint32_t dec_csum_pseudo(const struct pkt *p, uint8_t proto, uint32_t len);

#endif /* DECODE_H */
