/*
 * sig.h - the signature engine as the sensor sees it: load a rule set
 * (Suricata's rule language, the subset in signatures/README), and per
 * worker run it on packets, stream data and app-layer transactions.
 *
 * Two objects:
 *   struct sig_db      the compiled rule set. Built once at start-up (or
 *                      beside the running one on reload), then immutable
 *                      and shared read-only by every worker.
 *   struct sig_thread  one per worker: scratch (Hyperscan, pcre2 match
 *                      data, candidate bitmap, alert queue) and the
 *                      per-flow detection state pools (flowbits,
 *                      transactions inspected, stream windows,
 *                      thresholds). Allocated at start-up; the packet
 *                      path takes and returns pool objects only.
 *
 * Alerts go out as EVE `alert` records through the worker's struct eve.
 */
#ifndef SIG_H
#define SIG_H

#include <stdbool.h>
#include <stdint.h>

#include "nids.h"

struct cfg;
struct eve;
struct flow;
struct pkt;
struct http_tx;
struct dns_msg;
struct smtp_conn;
struct smtp_tx;
struct sig_db;
struct sig_thread;

/* What a load produced (also for --test-rules). */
struct sig_load_stats {
    uint32_t loaded;  /* rules in the set */
    uint32_t failed;  /* rules that did not parse or use something unsupported */
    uint32_t skipped; /* rules whose `requires` is not met (not an error) */
    uint32_t files;   /* rule files read */
    double seconds;   /* wall time of the load and build */
};

/*
 * Load the rule files: the -S files when any are given, else the
 * config's rule-files (relative ones under default-rule-path). Reads
 * from c: vars.address-groups, vars.port-groups, classification-file,
 * threshold-file, packet-alert-max, pcre.match-limit(-recursion) and
 * detect.* pool sizes. Every bad rule is reported as "FILE:LINE: reason"
 * (log_warn) and the others still load; one summary line follows.
 * Returns the set (possibly holding no rule) or NULL when a file cannot
 * be read or memory runs out (reason logged). Start-up or reload thread:
 * it shares nothing with a running set.
 */
struct sig_db *sig_db_load(struct cfg *c, const char *const *files, unsigned n_files,
                           struct sig_load_stats *st);
void sig_db_destroy(struct sig_db *db);

/* Rules in the set (0: detection is off and costs nothing). */
uint32_t sig_db_count(const struct sig_db *db);

/*
 * A worker's context for db. flow_capacity: entries of the worker's flow
 * table (per-flow slots are indexed by flow_base offsets); eve: where
 * alerts go; ctr: the worker's counters. NULL when out of memory.
 */
struct sig_thread *sig_thread_create(const struct sig_db *db, const struct flow *flow_base,
                                     uint32_t flow_capacity, struct eve *eve, uint64_t *ctr);
void sig_thread_destroy(struct sig_thread *t);

/*
 * Rule reload, worker thread, between packets: nt (a context of the new
 * set for the same flow table) takes over the flows' detection state of
 * ot: flow flags (pass, IP-only done, established), flowbits by name
 * (those the new set does not name are dropped), the transactions already
 * inspected and the stream windows (their inspected bytes are not
 * inspected again). What nt's pools cannot hold is counted and dropped.
 * Thresholds start afresh. Bounded work, no allocation; ot is unchanged.
 */
void sig_thread_adopt(struct sig_thread *nt, const struct sig_thread *ot);

/*
 * Per packet, worker thread, no allocation. sig_packet_begin() before the
 * packet's stream and app-layer processing (so transactions completed by
 * it are inspected with it), sig_packet() after: packet and stream
 * payload rules, then the packet's alerts are written. f is NULL for a
 * packet without a flow; dir is FLOW_TOSERVER/FLOW_TOCLIENT.
 */
void sig_packet_begin(struct sig_thread *t, const struct pkt *p, struct flow *f, int dir);
void sig_packet(struct sig_thread *t, const struct pkt *p, struct flow *f, int dir);

/* In-order TCP stream bytes of f in direction dir (tcp_reasm_data_fn order, before the app layer).
 */
void sig_stream_data(struct sig_thread *t, struct flow *f, int dir, const uint8_t *data,
                     uint32_t len, uint32_t flags);

/*
 * An HTTP transaction of f whose progress may have moved (called after
 * each parse, and with flow_end at the end of the flow, while tx is
 * alive). Each rule is inspected once per transaction and direction, when
 * every buffer it needs is complete.
 */
void sig_http_tx(struct sig_thread *t, struct flow *f, const struct http_tx *tx, bool flow_end);

/* One DNS message (a transaction of its own) of f; p: the packet that carried it, or NULL. */
void sig_dns_tx(struct sig_thread *t, const struct pkt *p, struct flow *f, const struct dns_msg *m,
                bool response, uint64_t tx_id);

/*
 * A complete SMTP transaction of f (app_smtp_set_detect() hook): its
 * envelope, message header fields and attachments (c: its connection, for
 * the HELO name). Inspected once.
 */
void sig_smtp_tx(struct sig_thread *t, struct flow *f, const struct smtp_conn *c,
                 const struct smtp_tx *tx, bool flow_end);

/*
 * Flow f is being turned round (flow_swap(): client and server change
 * places): its detection state follows. Call just before flow_swap().
 */
void sig_flow_swap(struct sig_thread *t, const struct flow *f);

/*
 * The flow ends (not for interim reports): what the stream windows still
 * hold is inspected ("stream (flow timeout)"), then its state goes back to
 * the pools. Call after the app layer has flushed the flow and before
 * the flow record is written. now_us: capture time.
 */
void sig_flow_end(struct sig_thread *t, struct flow *f, uint64_t now_us);

#endif /* SIG_H */
