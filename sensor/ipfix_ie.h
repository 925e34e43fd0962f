/*
 * ipfix_ie.h - the information elements the exporter sends: one table.
 *
 * Ids, types and names are those of the IANA "IP Flow Information Export
 * (IPFIX) Entities" registry (https://www.iana.org/assignments/ipfix/,
 * RFC 7012 §4); the reverse elements are RFC 5103 §6.1: the forward id under
 * the reverse Private Enterprise Number 29305. NetFlow v9 (RFC 3954 §8)
 * uses the same numbers for every element below (ids 1-127 were taken from
 * v9, and nfdump's v9 decoder also accepts 136, 152 and 153); v9 has no
 * enterprise elements and no variable length, so the template registry
 * never puts a PEN element in a v9 template and gives v9 a fixed length.
 *
 * Every other IPFIX file takes element ids, lengths and names from here,
 * never from literals.
 */
#ifndef IPFIX_IE_H
#define IPFIX_IE_H

#include <stdint.h>

#define IPFIX_PEN_REVERSE 29305u /* RFC 5103 §6.1 reverse information element PEN */
#define IPFIX_VARLEN      65535u /* template field length of a variable-length element */

/*
 * X(enum suffix, element id, enterprise number, default wire length, IANA
 * name). The length is the full size of the abstract type, except
 * tcpControlBits (unsigned16 since RFC 7125), sent in one byte as reduced-size
 * encoding (RFC 7011 §6.2) because the flags above bit 7 are never set by a
 * sensor and NetFlow v9 collectors expect one byte.
 */
#define IPFIX_IE_TABLE(X)                                                                          \
    X(OCTET_DELTA_COUNT, 1, 0, 8, "octetDeltaCount")                                               \
    X(PACKET_DELTA_COUNT, 2, 0, 8, "packetDeltaCount")                                             \
    X(PROTOCOL_IDENTIFIER, 4, 0, 1, "protocolIdentifier")                                          \
    X(IP_CLASS_OF_SERVICE, 5, 0, 1, "ipClassOfService")                                            \
    X(TCP_CONTROL_BITS, 6, 0, 1, "tcpControlBits")                                                 \
    X(SOURCE_TRANSPORT_PORT, 7, 0, 2, "sourceTransportPort")                                       \
    X(SOURCE_IPV4_ADDRESS, 8, 0, 4, "sourceIPv4Address")                                           \
    X(DESTINATION_TRANSPORT_PORT, 11, 0, 2, "destinationTransportPort")                            \
    X(DESTINATION_IPV4_ADDRESS, 12, 0, 4, "destinationIPv4Address")                                \
    X(SOURCE_IPV6_ADDRESS, 27, 0, 16, "sourceIPv6Address")                                         \
    X(DESTINATION_IPV6_ADDRESS, 28, 0, 16, "destinationIPv6Address")                               \
    X(ICMP_TYPE_CODE_IPV4, 32, 0, 2, "icmpTypeCodeIPv4")                                           \
    X(VLAN_ID, 58, 0, 2, "vlanId")                                                                 \
    X(IP_VERSION, 60, 0, 1, "ipVersion")                                                           \
    X(ICMP_TYPE_CODE_IPV6, 139, 0, 2, "icmpTypeCodeIPv6")                                          \
    X(APPLICATION_NAME, 96, 0, IPFIX_VARLEN, "applicationName")                                    \
    X(FLOW_END_REASON, 136, 0, 1, "flowEndReason")                                                 \
    X(FLOW_START_MILLISECONDS, 152, 0, 8, "flowStartMilliseconds")                                 \
    X(FLOW_END_MILLISECONDS, 153, 0, 8, "flowEndMilliseconds")                                     \
    X(REVERSE_OCTET_DELTA_COUNT, 1, IPFIX_PEN_REVERSE, 8, "reverseOctetDeltaCount")                \
    X(REVERSE_PACKET_DELTA_COUNT, 2, IPFIX_PEN_REVERSE, 8, "reversePacketDeltaCount")              \
    X(REVERSE_TCP_CONTROL_BITS, 6, IPFIX_PEN_REVERSE, 1, "reverseTcpControlBits")

enum ipfix_ie {
#define IPFIX_IE_ENUM(sym, id, pen, len, name) IPFIX_IE_##sym,
    IPFIX_IE_TABLE(IPFIX_IE_ENUM)
#undef IPFIX_IE_ENUM
    IPFIX_IE_COUNT
};

struct ipfix_ie_def {
    uint16_t id;  /* element id, without the enterprise bit */
    uint16_t len; /* default wire length, or IPFIX_VARLEN */
    uint32_t pen; /* 0 = IANA */
    const char *name;
};

/* Indexed by enum ipfix_ie; immutable. */
extern const struct ipfix_ie_def ipfix_ie_table[IPFIX_IE_COUNT];

#endif /* IPFIX_IE_H */
