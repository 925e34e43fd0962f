/*
 * cfg_apply.h - turns the configuration tree (Suricata's suricata.yaml
 * layout) into the settings each module takes, at start-up. A value of
 * the wrong type is fatal and names the key and line; an unsupported key
 * is a one-line warning.
 */
#ifndef CFG_APPLY_H
#define CFG_APPLY_H

#include <stdbool.h>
#include <stdint.h>

#include "app_detect.h"
#include "app_smtp.h"
#include "cfg.h"
#include "ipfix.h"
#include "out_eve.h"
#include "wrk.h"

struct eve_output_cfg {
    char filename[4096];
    bool append;
    bool types[EVE_TYPE_COUNT];
    bool anomaly_decode, anomaly_stream, anomaly_applayer;
    bool stats_totals, stats_threads, stats_deltas, stats_null_values;
    bool community_id;
    uint16_t community_id_seed;
    struct eve_dns_cfg dns;
    struct eve_http_cfg http; /* `http` options (pipeline copies them to eve_output.http) */
    struct eve_alert_cfg alert; /* `alert` options (copied to eve_output.alert) */
    struct eve_smtp_cfg smtp;   /* `smtp` options (copied to eve_output.smtp) */
    struct eve_files_cfg files; /* `files` options (copied to eve_output.files) */
};

struct sensor_settings {
    struct wrk_config wrk;
    struct app_detect_cfg detect; /* where the probes run (app_detect_configure) */
    struct app_smtp_cfg smtp;     /* app-layer.protocols.smtp (wrk.smtp points here) */
    struct eve_output_cfg eve[EVE_MAX_OUTPUTS];
    unsigned n_eve;
    bool stats_enabled;
    uint64_t stats_interval;
    bool stats_decoder_events;
    bool stats_stream_events;
    unsigned workers; /* threading.workers, 0 = not set */
    char bpf_filter[1024];     /* pcap.0.bpf-filter */
    uint64_t pcap_buffer_size; /* pcap.0.buffer-size */
    bool pcap_promisc;         /* pcap.0.promisc */
    struct ipfix_collector_cfg ipfix[IPFIX_MAX_COLLECTORS];
    unsigned n_ipfix;
};

/* The configuration used when no -c is given. */
extern const char cfg_builtin_yaml[];

/* Read every supported key into s; dies with "key (FILE:LINE): reason" on a bad value. */
void cfg_apply(struct cfg *c, struct sensor_settings *s);

/* Warn once per unsupported key (after cfg_apply has marked what it read). */
int cfg_apply_warn_unsupported(struct cfg *c);

#endif /* CFG_APPLY_H */
