/*
 * dec_events.h - every decoder and stream event, with Suricata's stable
 * name. The name is the EVE `anomaly.event` value; its counter in stats is
 * `decoder.event.<name without "decoder.">` for decoder events and the name
 * itself for stream events.
 */
#ifndef DEC_EVENTS_H
#define DEC_EVENTS_H

#define DEC_EVENT_TABLE(X)                                                                         \
    X(ETH_PKT_TOO_SMALL, "decoder.ethernet.pkt_too_small")                                         \
    X(ETH_UNKNOWN_ETHERTYPE, "decoder.ethernet.unknown_ethertype")                                 \
    X(SLL_PKT_TOO_SMALL, "decoder.sll.pkt_too_small")                                              \
    X(SLL2_PKT_TOO_SMALL, "decoder.sll2.pkt_too_small")                                            \
    X(NULL_PKT_TOO_SMALL, "decoder.ltnull.pkt_too_small")                                            \
    X(NULL_UNSUPPORTED_TYPE, "decoder.ltnull.unsupported_type")                                      \
    X(RAW_INVALID_IP_VERSION, "decoder.ipraw.invalid_ip_version")                                  \
    X(VLAN_HEADER_TOO_SMALL, "decoder.vlan.header_too_small")                                      \
    X(VLAN_UNKNOWN_TYPE, "decoder.vlan.unknown_type")                                              \
    X(VLAN_TOO_MANY_LAYERS, "decoder.vlan.too_many_layers")                                        \
    X(IPV4_PKT_TOO_SMALL, "decoder.ipv4.pkt_too_small")                                            \
    X(IPV4_HLEN_TOO_SMALL, "decoder.ipv4.hlen_too_small")                                          \
    X(IPV4_IPLEN_SMALLER_THAN_HLEN, "decoder.ipv4.iplen_smaller_than_hlen")                        \
    X(IPV4_TRUNC_PKT, "decoder.ipv4.trunc_pkt")                                                    \
    X(IPV4_OPT_INVALID, "decoder.ipv4.opt_invalid")                                                \
    X(IPV4_OPT_INVALID_LEN, "decoder.ipv4.opt_invalid_len")                                        \
    X(IPV4_OPT_MALFORMED, "decoder.ipv4.opt_malformed")                                            \
    X(IPV4_OPT_PAD_REQUIRED, "decoder.ipv4.opt_pad_required")                                      \
    X(IPV4_OPT_EOL_REQUIRED, "decoder.ipv4.opt_eol_required")                                      \
    X(IPV4_OPT_DUPLICATE, "decoder.ipv4.opt_duplicate")                                            \
    X(IPV4_OPT_UNKNOWN, "decoder.ipv4.opt_unknown")                                                \
    X(IPV4_WRONG_IP_VERSION, "decoder.ipv4.wrong_ip_version")                                      \
    X(IPV4_WITH_ICMPV6, "decoder.ipv4.icmpv6")                                                     \
    X(IPV4_FRAG_PKT_TOO_LARGE, "decoder.ipv4.frag_pkt_too_large")                                  \
    X(IPV4_FRAG_OVERLAP, "decoder.ipv4.frag_overlap")                                              \
    X(IPV4_FRAG_IGNORED, "decoder.ipv4.frag_ignored")                                              \
    X(ICMPV4_PKT_TOO_SMALL, "decoder.icmpv4.pkt_too_small")                                        \
    X(ICMPV4_UNKNOWN_TYPE, "decoder.icmpv4.unknown_type")                                          \
    X(ICMPV4_UNKNOWN_CODE, "decoder.icmpv4.unknown_code")                                          \
    X(ICMPV4_IPV4_TRUNC_PKT, "decoder.icmpv4.ipv4_trunc_pkt")                                      \
    X(ICMPV4_IPV4_UNKNOWN_VER, "decoder.icmpv4.ipv4_unknown_ver")                                  \
    X(ICMPV6_UNKNOWN_TYPE, "decoder.icmpv6.unknown_type")                                          \
    X(ICMPV6_UNKNOWN_CODE, "decoder.icmpv6.unknown_code")                                          \
    X(ICMPV6_PKT_TOO_SMALL, "decoder.icmpv6.pkt_too_small")                                        \
    X(ICMPV6_IPV6_UNKNOWN_VER, "decoder.icmpv6.ipv6_unknown_version")                              \
    X(ICMPV6_IPV6_TRUNC_PKT, "decoder.icmpv6.ipv6_trunc_pkt")                                      \
    X(ICMPV6_MLD_INVALID_HL, "decoder.icmpv6.mld_message_with_invalid_hl")                         \
    X(ICMPV6_UNASSIGNED_TYPE, "decoder.icmpv6.unassigned_type")                                    \
    X(ICMPV6_EXPERIMENTATION_TYPE, "decoder.icmpv6.experimentation_type")                          \
    X(IPV6_PKT_TOO_SMALL, "decoder.ipv6.pkt_too_small")                                            \
    X(IPV6_TRUNC_PKT, "decoder.ipv6.trunc_pkt")                                                    \
    X(IPV6_TRUNC_EXTHDR, "decoder.ipv6.trunc_exthdr")                                              \
    X(IPV6_EXTHDR_DUPL_FH, "decoder.ipv6.exthdr_dupl_fh")                                          \
    X(IPV6_EXTHDR_USELESS_FH, "decoder.ipv6.exthdr_useless_fh")                                    \
    X(IPV6_EXTHDR_DUPL_RH, "decoder.ipv6.exthdr_dupl_rh")                                          \
    X(IPV6_EXTHDR_DUPL_HH, "decoder.ipv6.exthdr_dupl_hh")                                          \
    X(IPV6_EXTHDR_DUPL_DH, "decoder.ipv6.exthdr_dupl_dh")                                          \
    X(IPV6_EXTHDR_DUPL_AH, "decoder.ipv6.exthdr_dupl_ah")                                          \
    X(IPV6_EXTHDR_DUPL_EH, "decoder.ipv6.exthdr_dupl_eh")                                          \
    X(IPV6_EXTHDR_INVALID_OPTLEN, "decoder.ipv6.exthdr_invalid_optlen")                            \
    X(IPV6_WRONG_IP_VERSION, "decoder.ipv6.wrong_ip_version")                                      \
    X(IPV6_EXTHDR_AH_RES_NOT_NULL, "decoder.ipv6.exthdr_ah_res_not_null")                          \
    X(IPV6_HOPOPTS_UNKNOWN_OPT, "decoder.ipv6.hopopts_unknown_opt")                                \
    X(IPV6_HOPOPTS_ONLY_PADDING, "decoder.ipv6.hopopts_only_padding")                              \
    X(IPV6_DSTOPTS_UNKNOWN_OPT, "decoder.ipv6.dstopts_unknown_opt")                                \
    X(IPV6_DSTOPTS_ONLY_PADDING, "decoder.ipv6.dstopts_only_padding")                              \
    X(IPV6_RH_TYPE_0, "decoder.ipv6.rh_type_0")                                                    \
    X(IPV6_ZERO_LEN_PADN, "decoder.ipv6.zero_len_padn")                                            \
    X(IPV6_FH_NON_ZERO_RES_FIELD, "decoder.ipv6.fh_non_zero_reserved_field")                       \
    X(IPV6_DATA_AFTER_NONE_HEADER, "decoder.ipv6.data_after_none_header")                          \
    X(IPV6_UNKNOWN_NEXT_HEADER, "decoder.ipv6.unknown_next_header")                                \
    X(IPV6_WITH_ICMPV4, "decoder.ipv6.icmpv4")                                                     \
    X(IPV6_FRAG_PKT_TOO_LARGE, "decoder.ipv6.frag_pkt_too_large")                                  \
    X(IPV6_FRAG_OVERLAP, "decoder.ipv6.frag_overlap")                                              \
    X(IPV6_FRAG_INVALID_LENGTH, "decoder.ipv6.frag_invalid_length")                                \
    X(IPV6_FRAG_IGNORED, "decoder.ipv6.frag_ignored")                                              \
    X(TCP_PKT_TOO_SMALL, "decoder.tcp.pkt_too_small")                                              \
    X(TCP_HLEN_TOO_SMALL, "decoder.tcp.hlen_too_small")                                            \
    X(TCP_INVALID_OPTLEN, "decoder.tcp.invalid_optlen")                                            \
    X(TCP_OPT_INVALID_LEN, "decoder.tcp.opt_invalid_len")                                          \
    X(TCP_OPT_DUPLICATE, "decoder.tcp.opt_duplicate")                                              \
    X(UDP_PKT_TOO_SMALL, "decoder.udp.pkt_too_small")                                              \
    X(UDP_HLEN_TOO_SMALL, "decoder.udp.hlen_too_small")                                            \
    X(UDP_HLEN_INVALID, "decoder.udp.hlen_invalid")                                                \
    X(UDP_LEN_INVALID, "decoder.udp.len_invalid")                                                  \
    X(TOO_MANY_LAYERS, "decoder.too_many_layers")                                                  \
    X(STREAM_PKT_INVALID_TIMESTAMP, "stream.pkt_invalid_timestamp")                                \
    X(STREAM_PKT_BROKEN_ACK, "stream.pkt_broken_ack")                                              \
    X(STREAM_3WHS_SYNACK_WITH_WRONG_ACK, "stream.3whs_synack_with_wrong_ack")                      \
    X(STREAM_3WHS_SYN_FLOOD, "stream.3whs_syn_flood")                                              \
    X(STREAM_PKT_INVALID_ACK, "stream.pkt_invalid_ack")                                            \
    X(STREAM_SUSPECTED_RST_INJECT, "stream.suspected_rst_inject")                                  \
    X(STREAM_REASSEMBLY_SEQ_GAP, "stream.reassembly_seq_gap")                                      \
    X(STREAM_REASSEMBLY_OVERLAP_DIFF, "stream.reassembly_overlap_different_data")                  \
    X(STREAM_REASSEMBLY_DEPTH_REACHED, "stream.reassembly_depth_reached")

enum dec_event {
#define DEC_EVENT_ENUM(id, name) DEC_EV_##id,
    DEC_EVENT_TABLE(DEC_EVENT_ENUM)
#undef DEC_EVENT_ENUM
    DEC_EV_COUNT
};

/* First stream event: ids from here on are `anomaly.type: stream`. */
#define DEC_EV_FIRST_STREAM DEC_EV_STREAM_PKT_INVALID_TIMESTAMP

extern const char *const dec_event_names[DEC_EV_COUNT];

#endif /* DEC_EVENTS_H */
