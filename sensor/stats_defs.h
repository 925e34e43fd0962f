/*
 * stats_defs.h - every counter the sensor keeps, with its stable dotted
 * name (the key in EVE `stats` records, Suricata's names and layout).
 *
 * Kinds: STAT_KIND_SUM adds up, STAT_KIND_MAX keeps the largest value,
 * STAT_KIND_GAUGE is a current level (flows active, memory in use). The
 * decoder event counters follow the table in dec_events.h.
 */
#ifndef STATS_DEFS_H
#define STATS_DEFS_H

#include "dec_events.h"

#define STAT_TABLE(X)                                                                              \
    X(CAPTURE_ERRORS, "capture.errors", SUM)                                                       \
    X(CAPTURE_RING_FULL, "capture.ring_full", HIDDEN)                                              \
    X(CAPTURE_KERNEL_PACKETS, "capture.kernel_packets", SUM)                                       \
    X(CAPTURE_KERNEL_DROPS, "capture.kernel_drops", SUM)                                           \
    X(CAPTURE_KERNEL_IFDROPS, "capture.kernel_ifdrops", SUM)                                       \
    X(DECODER_PKTS, "decoder.pkts", SUM)                                                           \
    X(DECODER_BYTES, "decoder.bytes", SUM)                                                         \
    X(DECODER_INVALID, "decoder.invalid", SUM)                                                     \
    X(DECODER_IPV4, "decoder.ipv4", SUM)                                                           \
    X(DECODER_IPV6, "decoder.ipv6", SUM)                                                           \
    X(DECODER_ETHERNET, "decoder.ethernet", SUM)                                                   \
    X(DECODER_RAW, "decoder.raw", SUM)                                                             \
    X(DECODER_NULL, "decoder.null", SUM)                                                           \
    X(DECODER_SLL, "decoder.sll", SUM)                                                             \
    X(DECODER_SLL2, "decoder.sll2", SUM)                                                           \
    X(DECODER_TCP, "decoder.tcp", SUM)                                                             \
    X(DECODER_UDP, "decoder.udp", SUM)                                                             \
    X(DECODER_SCTP, "decoder.sctp", SUM)                                                           \
    X(DECODER_ESP, "decoder.esp", SUM)                                                             \
    X(DECODER_ICMPV4, "decoder.icmpv4", SUM)                                                       \
    X(DECODER_ICMPV6, "decoder.icmpv6", SUM)                                                       \
    X(DECODER_IGMP, "decoder.igmp", SUM)                                                           \
    X(DECODER_ARP, "decoder.arp", SUM)                                                             \
    X(DECODER_VLAN, "decoder.vlan", SUM)                                                           \
    X(DECODER_VLAN_QINQ, "decoder.vlan_qinq", SUM)                                                 \
    X(DECODER_VLAN_QINQINQ, "decoder.vlan_qinqinq", SUM)                                           \
    X(DECODER_IPV4_IN_IPV4, "decoder.ipv4_in_ipv4", SUM)                                           \
    X(DECODER_IPV6_IN_IPV4, "decoder.ipv6_in_ipv4", SUM)                                           \
    X(DECODER_IPV4_IN_IPV6, "decoder.ipv4_in_ipv6", SUM)                                           \
    X(DECODER_IPV6_IN_IPV6, "decoder.ipv6_in_ipv6", SUM)                                           \
    X(DECODER_AVG_PKT_SIZE, "decoder.avg_pkt_size", AVG)                                           \
    X(DECODER_MAX_PKT_SIZE, "decoder.max_pkt_size", MAX)                                           \
    X(DECODER_TOO_MANY_LAYERS, "decoder.too_many_layers", SUM)                                     \
    X(DECODER_UNKNOWN_ETHERTYPE, "decoder.unknown_ethertype", SUM)                                 \
    X(FLOW_MEMCAP, "flow.memcap", SUM)                                                             \
    X(FLOW_TCP, "flow.tcp", SUM)                                                                   \
    X(FLOW_UDP, "flow.udp", SUM)                                                                   \
    X(FLOW_ICMPV4, "flow.icmpv4", SUM)                                                             \
    X(FLOW_ICMPV6, "flow.icmpv6", SUM)                                                             \
    X(FLOW_TOTAL, "flow.total", SUM)                                                               \
    X(FLOW_ACTIVE, "flow.active", GAUGE)                                                           \
    X(FLOW_SPARE, "flow.spare", HIDDEN)                                                             \
    X(FLOW_MEMUSE, "flow.memuse", GAUGE)                                                           \
    X(FLOW_EMERG_MODE_ENTERED, "flow.emerg_mode_entered", SUM)                                     \
    X(FLOW_EMERG_MODE_OVER, "flow.emerg_mode_over", SUM)                                           \
    X(FLOW_GET_USED, "flow.get_used", SUM)                                                         \
    X(FLOW_GET_USED_FAILED, "flow.get_used_failed", SUM)                                           \
    X(FLOW_END_STATE_NEW, "flow.end.state.new", SUM)                                               \
    X(FLOW_END_STATE_ESTABLISHED, "flow.end.state.established", SUM)                               \
    X(FLOW_END_STATE_CLOSED, "flow.end.state.closed", SUM)                                         \
    X(FLOW_MGR_FLOWS_TIMEOUT, "flow.mgr.flows_timeout", SUM)                                       \
    X(FLOW_MGR_FLOWS_CHECKED, "flow.mgr.flows_checked", SUM)                                       \
    X(FLOW_WRK_FLOWS_EVICTED, "flow.wrk.flows_evicted", SUM)                                       \
    X(DEFRAG_IPV4_FRAGMENTS, "defrag.ipv4.fragments", SUM)                                         \
    X(DEFRAG_IPV4_REASSEMBLED, "defrag.ipv4.reassembled", SUM)                                     \
    X(DEFRAG_IPV4_TIMEOUTS, "defrag.ipv4.timeouts", SUM)                                           \
    X(DEFRAG_IPV6_FRAGMENTS, "defrag.ipv6.fragments", SUM)                                         \
    X(DEFRAG_IPV6_REASSEMBLED, "defrag.ipv6.reassembled", SUM)                                     \
    X(DEFRAG_IPV6_TIMEOUTS, "defrag.ipv6.timeouts", SUM)                                           \
    X(DEFRAG_MAX_TRACKERS_REACHED, "defrag.max_trackers_reached", SUM)                             \
    X(DEFRAG_MAX_FRAGS_REACHED, "defrag.max_frags_reached", SUM)                                   \
    X(DEFRAG_MEMUSE, "defrag.memuse", GAUGE)                                                       \
    X(DEFRAG_TRACKER_HARD_REUSE, "defrag.tracker_hard_reuse", SUM)                                 \
    X(APP_LAYER_FLOW_DNS_TCP, "app_layer.flow.dns_tcp", SUM)                                       \
    X(APP_LAYER_FLOW_DNS_UDP, "app_layer.flow.dns_udp", SUM)                                       \
    X(APP_LAYER_FLOW_HTTP, "app_layer.flow.http", SUM)                                             \
    X(APP_LAYER_FLOW_SMTP, "app_layer.flow.smtp", SUM)                                             \
    X(APP_LAYER_TX_DNS_TCP, "app_layer.tx.dns_tcp", SUM)                                           \
    X(APP_LAYER_TX_DNS_UDP, "app_layer.tx.dns_udp", SUM)                                           \
    X(APP_LAYER_TX_HTTP, "app_layer.tx.http", SUM)                                                 \
    X(APP_LAYER_TX_SMTP, "app_layer.tx.smtp", SUM)                                                 \
    X(APP_LAYER_ERROR_DNS_TCP_PARSER, "app_layer.error.dns_tcp.parser", SUM)                       \
    X(APP_LAYER_ERROR_HTTP_PARSER, "app_layer.error.http.parser", SUM)                             \
    X(APP_LAYER_ERROR_SMTP_GAP, "app_layer.error.smtp.gap", SUM)                                   \
    X(APP_LAYER_ERROR_SMTP_PARSER, "app_layer.error.smtp.parser", SUM)                             \
    X(DNS_UDP_NOT_DNS, "dns.udp.not_dns", HIDDEN)                                                  \
    X(DNS_UDP_MALFORMED, "dns.udp.malformed", HIDDEN)                                              \
    X(DNS_UDP_NOT_REQUEST, "dns.udp.not_request", HIDDEN)                                          \
    X(DNS_TCP_NOT_DNS, "dns.tcp.not_dns", HIDDEN)                                                  \
    X(DNS_TCP_MALFORMED, "dns.tcp.malformed", HIDDEN)                                              \
    X(DNS_TCP_NOT_REQUEST, "dns.tcp.not_request", HIDDEN)                                          \
    X(DNS_TCP_STATE_POOL_EMPTY, "dns.tcp.state_pool_empty", HIDDEN)                                \
    X(DNS_TCP_BUF_POOL_EMPTY, "dns.tcp.buf_pool_empty", HIDDEN)                                    \
    X(DNS_TCP_UNACKED_PARSED, "dns.tcp.unacked_parsed", HIDDEN)                                    \
    X(DNS_TCP_GAP, "dns.tcp.gap", HIDDEN)                                                          \
    X(DNS_TCP_GAP_SKIPPED, "dns.tcp.gap_skipped", HIDDEN)                                          \
    X(DNS_TCP_TRUNCATED, "dns.tcp.truncated", HIDDEN)                                              \
    X(DNS_NOT_STORED, "dns.not_stored", HIDDEN)                                                    \
    X(DNS_NAME_NOT_STORED, "dns.name_not_stored", HIDDEN)                                          \
    X(HTTP_GAP_IGNORED, "http.gap_ignored", HIDDEN)                                                \
    X(HTTP_FILES_LIMIT, "http.files_limit", HIDDEN)                                                \
    X(HTTP_STATE_POOL_EMPTY, "http.state_pool_empty", HIDDEN)                                      \
    X(HTTP_TX_POOL_EMPTY, "http.tx_pool_empty", HIDDEN)                                            \
    X(HTTP_TX_LIMIT, "http.tx_limit", HIDDEN)                                                      \
    X(HTTP_ARENA_POOL_EMPTY, "http.arena_pool_empty", HIDDEN)                                      \
    X(HTTP_FIELD_TRUNCATED, "http.field_truncated", HIDDEN)                                        \
    X(HTTP_LINE_LIMIT, "http.line_limit", HIDDEN)                                                  \
    X(HTTP_HEADER_LIMIT, "http.header_limit", HIDDEN)                                              \
    X(HTTP_BODY_LIMIT, "http.body_limit", HIDDEN)                                                  \
    X(HTTP_EVENTS_DROPPED, "http.events_dropped", HIDDEN)                                          \
    X(HTTP_PROTOCOL_CHANGE, "http.protocol_change", HIDDEN)                                        \
    X(HTTP_TUNNEL, "http.tunnel", HIDDEN)                                                          \
    X(SMTP_STATE_POOL_EMPTY, "smtp.state_pool_empty", HIDDEN)                                      \
    X(SMTP_TX_POOL_EMPTY, "smtp.tx_pool_empty", HIDDEN)                                            \
    X(SMTP_TX_LIMIT, "smtp.tx_limit", HIDDEN)                                                      \
    X(SMTP_ARENA_POOL_EMPTY, "smtp.arena_pool_empty", HIDDEN)                                      \
    X(SMTP_FIELD_TRUNCATED, "smtp.field_truncated", HIDDEN)                                        \
    X(SMTP_LINE_LIMIT, "smtp.line_limit", HIDDEN)                                                  \
    X(SMTP_RCPT_LIMIT, "smtp.rcpt_limit", HIDDEN)                                                  \
    X(SMTP_HEADER_LIMIT, "smtp.header_limit", HIDDEN)                                              \
    X(SMTP_URL_LIMIT, "smtp.url_limit", HIDDEN)                                                    \
    X(SMTP_FILES_LIMIT, "smtp.files_limit", HIDDEN)                                                \
    X(SMTP_COMMAND_QUEUE_FULL, "smtp.command_queue_full", HIDDEN)                                  \
    X(SMTP_EVENTS_DROPPED, "smtp.events_dropped", HIDDEN)                                          \
    X(SMTP_REPLY_UNMATCHED, "smtp.reply_unmatched", HIDDEN)                                        \
    X(SMTP_MIME_POOL_EMPTY, "smtp.mime_pool_empty", HIDDEN)                                        \
    X(SMTP_MIME_DEPTH_LIMIT, "smtp.mime_depth_limit", HIDDEN)                                      \
    X(SMTP_MIME_HEADER_TRUNCATED, "smtp.mime_header_truncated", HIDDEN)                            \
    X(SMTP_URL_TRUNCATED, "smtp.url_truncated", HIDDEN)                                            \
    X(SMTP_STARTTLS, "smtp.starttls", HIDDEN)                                                      \
    X(SMTP_SASL_LINES_SKIPPED, "smtp.sasl_lines_skipped", HIDDEN)                                  \
    X(HTTP_RANGE_POOL_EMPTY, "http.range.pool_empty", HIDDEN)                                      \
    X(HTTP_RANGE_TOO_MANY_PIECES, "http.range.too_many_pieces", HIDDEN)                            \
    X(HTTP_RANGE_KEY_TOO_LONG, "http.range.key_too_long", HIDDEN)                                  \
    X(NDPI_FLOWS, "ndpi.flows", HIDDEN)                                                            \
    X(NDPI_DETECTED, "ndpi.detected", HIDDEN)                                                      \
    X(NDPI_GIVEUP, "ndpi.giveup", HIDDEN)                                                          \
    X(NDPI_CLAIMED, "ndpi.claimed", HIDDEN)                                                        \
    X(NDPI_POOL_EMPTY, "ndpi.pool_empty", HIDDEN)                                                  \
    X(NDPI_RESULT_POOL_EMPTY, "ndpi.result_pool_empty", HIDDEN)                                    \
    X(NDPI_MEMCAP, "ndpi.memcap", HIDDEN)                                                          \
    X(NDPI_MEMUSE, "ndpi.memuse", HIDDEN)                                                          \
    X(TCP_ACTIVE_SESSIONS, "tcp.active_sessions", GAUGE)                                           \
    X(TCP_SESSIONS, "tcp.sessions", SUM)                                                           \
    X(TCP_INVALID_CHECKSUM, "tcp.invalid_checksum", SUM)                                           \
    X(TCP_SYN, "tcp.syn", SUM)                                                                     \
    X(TCP_SYNACK, "tcp.synack", SUM)                                                               \
    X(TCP_RST, "tcp.rst", SUM)                                                                     \
    X(TCP_MIDSTREAM_PICKUPS, "tcp.midstream_pickups", SUM)                                         \
    X(TCP_URG, "tcp.urg", SUM)                                                                     \
    X(TCP_REASSEMBLY_GAP, "tcp.reassembly_gap", SUM)                                               \
    X(TCP_SEGMENT_MEMCAP_DROP, "tcp.segment_memcap_drop", SUM)                                     \
    X(TCP_STREAM_DEPTH_REACHED, "tcp.stream_depth_reached", SUM)                                   \
    X(TCP_OVERLAP, "tcp.overlap", SUM)                                                             \
    X(TCP_OVERLAP_DIFF_DATA, "tcp.overlap_diff_data", SUM)                                         \
    X(TCP_SEGMENT_FROM_POOL, "tcp.segment_from_pool", SUM)                                         \
    X(TCP_REASSEMBLY_MEMUSE, "tcp.reassembly_memuse", GAUGE)                                      \
    X(DETECT_ALERT, "detect.alert", SUM)                                                           \
    X(DETECT_ALERT_QUEUE_OVERFLOW, "detect.alert_queue_overflow", SUM)                             \
    X(DETECT_ALERTS_SUPPRESSED, "detect.alerts_suppressed", SUM)                                   \
    X(DETECT_FLOW_STATE_POOL_EMPTY, "detect.flow_state_pool_empty", HIDDEN)                        \
    X(DETECT_STREAM_WINDOW_POOL_EMPTY, "detect.stream_window_pool_empty", HIDDEN)                  \
    X(DETECT_THRESHOLD_TABLE_FULL, "detect.threshold_table_full", HIDDEN)                          \
    X(DETECT_TX_TRACK_EVICTED, "detect.tx_track_evicted", HIDDEN)                                  \
    X(DETECT_PCRE_ERRORS, "detect.pcre_errors", HIDDEN)                                            \
    X(DETECT_MPM_ERRORS, "detect.mpm_errors", HIDDEN)                                              \
    X(DETECT_STEPS_LIMIT, "detect.steps_limit", HIDDEN)                                            \
    X(DETECT_SCRATCH_FULL, "detect.scratch_full", HIDDEN)

enum stat_kind {
    STAT_KIND_SUM = 0,
    STAT_KIND_MAX,
    STAT_KIND_AVG,
    STAT_KIND_GAUGE,
    STAT_KIND_EVENT,
    STAT_KIND_HIDDEN, /* kept and summed, not in EVE (Suricata's schema has no key for it) */
    STAT_KIND_COUNT
};

/* Counter ids: the table above, then one counter per decoder/stream event. */
enum stat_id {
#define STAT_ENUM(id, name, kind) STAT_##id,
    STAT_TABLE(STAT_ENUM)
#undef STAT_ENUM
    STAT_EVENT_BASE,
    STAT_ID_COUNT = STAT_EVENT_BASE + DEC_EV_COUNT
};

#endif /* STATS_DEFS_H */
