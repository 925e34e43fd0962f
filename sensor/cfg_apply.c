/*
 * cfg_apply.c - reads the keys the sensor supports, with Suricata's
 * names and defaults, from the configuration tree.
 */
#include "cfg_apply.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "log.h"

const char cfg_builtin_yaml[] = "%YAML 1.1\n"
                                "---\n"
                                "vars:\n"
                                "  address-groups:\n"
                                "    HOME_NET: \"[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]\"\n"
                                "    EXTERNAL_NET: \"!$HOME_NET\"\n"
                                "outputs:\n"
                                "  - eve-log:\n"
                                "      enabled: yes\n"
                                "      filetype: regular\n"
                                "      filename: eve.json\n"
                                "      community-id: true\n"
                                "      types:\n"
                                "        - alert\n"
                                "        - anomaly:\n"
                                "            enabled: yes\n"
                                "            types:\n"
                                "              decode: yes\n"
                                "              stream: yes\n"
                                "              applayer: yes\n"
                                "        - flow\n"
                                "        - stats:\n"
                                "            totals: yes\n"
                                "            threads: no\n"
                                "            deltas: no\n"
                                "stats:\n"
                                "  enabled: yes\n"
                                "  interval: 8\n";

/* Keys the sensor reads; everything else gets an "unsupported" warning. */
static const char *const cfg_supported[] = {
    "vars.**",
    "outputs.*.eve-log.enabled",
    "outputs.*.eve-log.filetype",
    "outputs.*.eve-log.filename",
    "outputs.*.eve-log.append",
    "outputs.*.eve-log.community-id",
    "outputs.*.eve-log.community-id-seed",
    "outputs.*.eve-log.types.*.flow",
    "outputs.*.eve-log.types.*.flow.**",
    "outputs.*.eve-log.types.*.netflow",
    "outputs.*.eve-log.types.*.netflow.**",
    "outputs.*.eve-log.types.*.anomaly",
    "outputs.*.eve-log.types.*.anomaly.enabled",
    "outputs.*.eve-log.types.*.anomaly.types.**",
    "outputs.*.eve-log.types.*.stats",
    "outputs.*.eve-log.types.*.stats.**",
    "outputs.*.eve-log.types.*.alert",
    "outputs.*.eve-log.types.*.alert.**",
    "outputs.*.eve-log.types.*.dns",
    "outputs.*.eve-log.types.*.dns.**",
    "outputs.*.eve-log.types.*.http",
    "outputs.*.eve-log.types.*.http.enabled",
    "outputs.*.eve-log.types.*.http.extended",
    "outputs.*.eve-log.types.*.http.dump-all-headers",
    "outputs.*.eve-log.types.*.files",
    "outputs.*.eve-log.types.*.files.enabled",
    "outputs.*.eve-log.types.*.files.force-magic",
    "outputs.*.eve-log.types.*.files.force-hash",
    "outputs.*.eve-log.types.*.files.force-hash.**",
    "outputs.*.eve-log.types.*.smtp",
    "outputs.*.eve-log.types.*.smtp.**",
    "app-layer.protocols.smtp",
    "app-layer.protocols.smtp.**",
    "flow.memcap",
    "flow.hash-size",
    "flow.prealloc",
    "flow.emergency-recovery",
    "flow.active-timeout",
    "flow-timeouts.**",
    "defrag.memcap",
    "defrag.trackers",
    "defrag.max-frags",
    "defrag.timeout",
    "defrag.hash-size",
    "defrag.prealloc",
    "stream.midstream",
    "stream.async-oneside",
    "stream.max-syn-queued",
    "stream.reassembly.memcap",
    "stream.reassembly.depth",
    "host-os-policy.**",
    "ndpi.enabled",
    "ndpi.metadata",
    "ndpi.max-packets",
    "ndpi.flows",
    "ndpi.memcap",
    "app-layer.protocols.dns.detection-ports.*",
    "app-layer.protocols.dns.tcp.detection-ports.*",
    "app-layer.protocols.dns.udp.detection-ports.*",
    "stats.enabled",
    "stats.interval",
    "stats.decoder-events",
    "stats.stream-events",
    "stats.decoder-events-prefix",
    "decoder.recursion-level.**",
    "default-log-dir",
    "threading.workers",
    "bpf-filter",
    "pcap.*.interface",
    "pcap.*.bpf-filter",
    "pcap.*.buffer-size",
    "pcap.*.promisc",
    "classification-file",
    "default-rule-path",
    "rule-files",
    "rule-files.**",
    "threshold-file",
    "packet-alert-max",
    "pcre.match-limit",
    "pcre.match-limit-recursion",
    "detect.flow-states",
    "detect.stream-windows",
    "detect.threshold-entries",
    "reference-config-file",
    NULL,
};

static void
cfg_check(struct cfg *c, int rc)
{
    if (rc < 0)
        die("config: %s", c->err);
}

static bool
cfg_bool(struct cfg *c, const struct cfg_node *base, const char *key, bool dflt)
{
    bool v;

    cfg_check(c, cfg_get_bool(c, base, key, dflt, &v));
    return v;
}

static uint64_t
cfg_u64(struct cfg *c, const struct cfg_node *base, const char *key, uint64_t dflt)
{
    uint64_t v;

    cfg_check(c, cfg_get_u64(c, base, key, dflt, &v));
    return v;
}

static uint64_t
cfg_size(struct cfg *c, const struct cfg_node *base, const char *key, uint64_t dflt)
{
    uint64_t v;

    cfg_check(c, cfg_get_size(c, base, key, dflt, &v));
    return v;
}

static uint32_t
cfg_u32(struct cfg *c, const struct cfg_node *base, const char *key, uint32_t dflt)
{
    uint64_t v = cfg_u64(c, base, key, dflt);

    if (v > UINT32_MAX)
        die("config: key '%s': value %llu out of range", key, (unsigned long long)v);
    return (uint32_t)v;
}

static void
cfg_apply_timeouts(struct cfg *c, struct flow_config *fc)
{
    static const char *const proto[FLOW_PCLASS_COUNT] = {"tcp", "udp", "icmp", "default"};
    static const char *const st[FLOW_STATE_COUNT] = {"new", "established", "closed"};
    char key[96];
    unsigned p, s;

    for (p = 0; p < FLOW_PCLASS_COUNT; p++) {
        for (s = 0; s < FLOW_STATE_COUNT; s++) {
            snprintf(key, sizeof(key), "flow-timeouts.%s.%s", proto[p], st[s]);
            fc->timeouts.t[p][s] = cfg_u32(c, NULL, key, fc->timeouts.t[p][s]);
            snprintf(key, sizeof(key), "flow-timeouts.%s.emergency-%s", proto[p], st[s]);
            fc->timeouts.emerg[p][s] = cfg_u32(c, NULL, key, fc->timeouts.emerg[p][s]);
        }
    }
}

static const char *const eve_type_names[EVE_TYPE_COUNT] = {
    "alert", "anomaly", "flow", "netflow", "stats", "dns", "http", "smtp", "files"};

/*
 * The `dns` entry's options, as Suricata's JsonDnsLogInitFilters(): all
 * bits set unless requests/responses are turned off, `types` lists the
 * record types to log (by their queries), `formats` picks detailed and/or
 * grouped answers (read only when responses are logged); `version` 2 or 3,
 * 1 and anything else mean 3.
 */
static void
cfg_apply_eve_dns(struct cfg *c, const struct cfg_node *opts, struct eve_dns_cfg *d)
{
    const struct cfg_node *list, *it;
    const char *ver;
    uint64_t fmt = 0;

    eve_dns_cfg_defaults(d);
    if (opts == NULL)
        return;
    cfg_check(c, cfg_get_str(c, opts, "version", "3", &ver));
    if (strcmp(ver, "2") == 0)
        d->version = 2;
    else if (strcmp(ver, "3") != 0)
        log_warn("config: eve-log dns version '%s' not supported, using 3", ver);
    if (!cfg_bool(c, opts, "requests", true))
        d->flags &= ~EVE_DNS_REQUESTS;
    if (!cfg_bool(c, opts, "responses", true))
        d->flags &= ~EVE_DNS_RESPONSES;
    list = cfg_node_lookup(opts, "types");
    if (list != NULL) {
        d->flags &= ~EVE_DNS_ALL_RRTYPES;
        for (it = list->child; it != NULL; it = it->next) {
            uint64_t bit = it->value != NULL ? eve_dns_type_flag(it->value) : 0;
            if (bit == 0)
                log_warn("config: eve-log dns type '%s' unknown, ignored",
                         it->value != NULL ? it->value : "");
            d->flags |= bit;
        }
    }
    list = cfg_node_lookup(opts, "formats");
    if (list == NULL || !(d->flags & EVE_DNS_RESPONSES))
        return;
    for (it = list->child; it != NULL; it = it->next) {
        if (it->value != NULL && strcasecmp(it->value, "detailed") == 0)
            fmt |= EVE_DNS_FORMAT_DETAILED;
        else if (it->value != NULL && strcasecmp(it->value, "grouped") == 0)
            fmt |= EVE_DNS_FORMAT_GROUPED;
        else
            log_warn("config: eve-log dns format '%s' unknown, ignored",
                     it->value != NULL ? it->value : "");
    }
    if (fmt != 0)
        d->flags = (d->flags & ~EVE_DNS_FORMATS) | fmt;
    else
        log_warn("config: eve-log dns formats empty, using detailed and grouped");
}

/*
 * The `http` entry's options, as Suricata's OutputHttpLogInitSub():
 * extended only when set (`- http` alone logs the basic fields),
 * dump-all-headers both|request|response (prefix match, as strncmp there).
 */
static void
cfg_apply_eve_http(struct cfg *c, const struct cfg_node *opts, struct eve_http_cfg *h)
{
    const char *dump;

    memset(h, 0, sizeof(*h));
    h->no_extended = opts == NULL || !cfg_bool(c, opts, "extended", false);
    if (opts == NULL)
        return;
    cfg_check(c, cfg_get_str(c, opts, "dump-all-headers", "", &dump));
    if (strncmp(dump, "both", 4) == 0) {
        h->dump_req = h->dump_resp = true;
    } else if (strncmp(dump, "request", 7) == 0) {
        h->dump_req = true;
    } else if (strncmp(dump, "response", 8) == 0) {
        h->dump_resp = true;
    }
}

/*
 * The `alert` entry's options, as Suricata's JsonAlertLogSetupMetadata():
 * metadata (a boolean, or {app-layer, flow, rule: {metadata, raw}}),
 * payload (base64), payload-printable, packet, payload-buffer-size. The
 * other options (http-body, tagged-packets, verdict, xff, and the
 * deprecated http/tls/ssh/smtp/flow flags) are read and have no effect.
 */
static void
cfg_apply_eve_alert(struct cfg *c, const struct cfg_node *opts, struct eve_alert_cfg *a)
{
    static const char *const ignored[] = {"http-body", "http-body-printable", "tagged-packets",
                                          "verdict",   "xff",                 "http",
                                          "tls",       "ssh",                 "smtp",
                                          "dnp3",      "app-layer",           "flow",
                                          "enabled"};
    const struct cfg_node *md;
    size_t i;

    eve_alert_cfg_defaults(a);
    if (opts == NULL)
        return;
    md = cfg_node_lookup(opts, "metadata");
    if (md != NULL && md->kind == CFG_KIND_SCALAR) {
        if (!cfg_bool(c, opts, "metadata", true))
            a->rule_metadata = a->flow = a->app_layer = false;
    } else if (md != NULL) {
        a->app_layer = cfg_bool(c, md, "app-layer", a->app_layer);
        a->flow = cfg_bool(c, md, "flow", a->flow);
        a->rule_metadata = cfg_bool(c, md, "rule.metadata", a->rule_metadata);
        (void)cfg_node_lookup(md, "rule.raw");
    }
    a->payload_b64 = cfg_bool(c, opts, "payload", false);
    a->payload_printable = cfg_bool(c, opts, "payload-printable", false);
    a->packet = cfg_bool(c, opts, "packet", false);
    {
        uint64_t n = cfg_size(c, opts, "payload-buffer-size", a->payload_max);
        a->payload_max = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
    }
    for (i = 0; i < NIDS_ARRAY_LEN(ignored); i++)
        (void)cfg_node_lookup(opts, ignored[i]);
}

/*
 * The `smtp` entry's options, as Suricata's OutputEmailInitConf():
 * `custom` names fields by their EVE name or header name, `md5` lists body
 * and/or subject. `extended: yes` adds the extended fields (Suricata 8
 * clears that flag again while reading `md5`; here it does what its
 * documentation says).
 */
static void
cfg_apply_eve_smtp(struct cfg *c, const struct cfg_node *opts, struct eve_smtp_cfg *m)
{
    const struct cfg_node *list, *it;

    memset(m, 0, sizeof(*m));
    if (opts == NULL)
        return;
    m->extended = cfg_bool(c, opts, "extended", false);
    list = cfg_node_lookup(opts, "custom");
    for (it = list != NULL ? list->child : NULL; it != NULL; it = it->next) {
        uint32_t bit = it->value != NULL ? eve_email_field_bit(it->value) : 0;
        if (bit == 0)
            log_warn("config: eve-log smtp custom field '%s' unknown, ignored",
                     it->value != NULL ? it->value : "");
        m->custom |= bit;
    }
    list = cfg_node_lookup(opts, "md5");
    for (it = list != NULL ? list->child : NULL; it != NULL; it = it->next) {
        if (it->value != NULL && strcmp(it->value, "body") == 0)
            m->md5_body = true;
        else if (it->value != NULL && strcmp(it->value, "subject") == 0)
            m->md5_subject = true;
    }
}

/* The `files` entry's `force-hash: [md5, sha1, sha256]`. */
static void
cfg_apply_eve_files(struct cfg *c, const struct cfg_node *opts, struct eve_files_cfg *fc)
{
    const struct cfg_node *list = cfg_node_lookup(opts, "force-hash"), *it;

    (void)c;
    memset(fc, 0, sizeof(*fc));
    for (it = list != NULL ? list->child : NULL; it != NULL; it = it->next) {
        if (it->value == NULL)
            continue;
        if (strcasecmp(it->value, "md5") == 0)
            fc->md5 = true;
        else if (strcasecmp(it->value, "sha1") == 0)
            fc->sha1 = true;
        else if (strcasecmp(it->value, "sha256") == 0)
            fc->sha256 = true;
        else
            log_warn("config: eve-log files force-hash '%s' unknown, ignored", it->value);
    }
}

/* One entry of eve-log.types: "flow" or {anomaly: {...}}. */
static void
cfg_apply_eve_type(struct cfg *c, const struct cfg_node *item, struct eve_output_cfg *o)
{
    const char *name = item->kind == CFG_KIND_SCALAR ? item->value : NULL;
    const struct cfg_node *opts = NULL;
    unsigned t;

    if (name == NULL && item->kind == CFG_KIND_MAP && item->child != NULL) {
        name = item->child->name;
        opts = item->child;
    }
    if (name == NULL)
        return;
    for (t = 0; t < EVE_TYPE_COUNT; t++)
        if (strcmp(name, eve_type_names[t]) == 0)
            break;
    if (t == EVE_TYPE_COUNT)
        return; /* reported by the unsupported-key warning */
    o->types[t] = opts == NULL || cfg_bool(c, opts, "enabled", true);
    if (t == EVE_TYPE_ANOMALY && opts != NULL) {
        o->anomaly_decode = cfg_bool(c, opts, "types.decode", false);
        o->anomaly_stream = cfg_bool(c, opts, "types.stream", false);
        o->anomaly_applayer = cfg_bool(c, opts, "types.applayer", true);
    }
    if (t == EVE_TYPE_DNS)
        cfg_apply_eve_dns(c, opts, &o->dns);
    if (t == EVE_TYPE_HTTP)
        cfg_apply_eve_http(c, opts, &o->http);
    if (t == EVE_TYPE_SMTP)
        cfg_apply_eve_smtp(c, opts, &o->smtp);
    if (t == EVE_TYPE_FILES)
        cfg_apply_eve_files(c, opts, &o->files);
    if (t == EVE_TYPE_ALERT)
        cfg_apply_eve_alert(c, opts, &o->alert);
    if (t == EVE_TYPE_STATS && opts != NULL) {
        o->stats_totals = cfg_bool(c, opts, "totals", true);
        o->stats_threads = cfg_bool(c, opts, "threads", false);
        o->stats_deltas = cfg_bool(c, opts, "deltas", false);
        o->stats_null_values = cfg_bool(c, opts, "null-values", true);
    }
}

static void
cfg_apply_eve(struct cfg *c, const struct cfg_node *eve, struct sensor_settings *s)
{
    struct eve_output_cfg *o;
    const char *ftype, *fname;
    const struct cfg_node *types, *it;

    if (!cfg_bool(c, eve, "enabled", true))
        return;
    cfg_check(c, cfg_get_str(c, eve, "filetype", "regular", &ftype));
    if (strcmp(ftype, "regular") != 0 && strcmp(ftype, "file") != 0) {
        log_warn("config: eve-log filetype '%s' not supported, output skipped", ftype);
        return;
    }
    if (s->n_eve >= EVE_MAX_OUTPUTS) {
        log_warn("config: more than %d eve-log outputs, extra ones skipped", EVE_MAX_OUTPUTS);
        return;
    }
    o = &s->eve[s->n_eve++];
    memset(o, 0, sizeof(*o));
    cfg_check(c, cfg_get_str(c, eve, "filename", "eve.json", &fname));
    snprintf(o->filename, sizeof(o->filename), "%s", fname);
    o->append = cfg_bool(c, eve, "append", true);
    o->community_id = cfg_bool(c, eve, "community-id", true);
    o->community_id_seed = (uint16_t)cfg_u32(c, eve, "community-id-seed", 0);
    o->anomaly_applayer = true;
    o->stats_totals = true;
    o->stats_null_values = true;
    eve_alert_cfg_defaults(&o->alert);
    types = cfg_node_lookup(eve, "types");
    for (it = types ? types->child : NULL; it != NULL; it = it->next)
        cfg_apply_eve_type(c, it, o);
}

/* Live capture options: the first `pcap` entry (Suricata's layout). */
static void
cfg_apply_pcap(struct cfg *c, struct sensor_settings *s)
{
    const struct cfg_node *first = cfg_lookup(c, "pcap.0");
    const char *bpf;

    (void)cfg_lookup(c, "pcap.0.interface");
    /* pcap.0.bpf-filter, or a top-level bpf-filter when there is no pcap list. */
    cfg_check(c, cfg_get_str(c, first, "bpf-filter", "", &bpf));
    snprintf(s->bpf_filter, sizeof(s->bpf_filter), "%s", bpf);
    s->pcap_buffer_size = first ? cfg_size(c, first, "buffer-size", 0) : 0;
    s->pcap_promisc = first ? cfg_bool(c, first, "promisc", true) : true;
}

/* One network of a host-os-policy list. */
static void
cfg_apply_policy_net(struct tcp_policy_table *t, const struct cfg_node *n, const char *net,
                     uint8_t policy)
{
    const char *why = NULL;

    if (tcp_policy_add(t, net, policy, &why) < 0)
        die("config: %s:%d: key 'host-os-policy.%s': '%s': %s", n->file, n->line,
            tcp_policy_name(policy), net, why);
}

/*
 * host-os-policy: {windows: [0.0.0.0/0], linux: ["10.0.0.0/8", ...], ...}:
 * a list, or a string holding one network or a bracketed list.
 */
static void
cfg_apply_host_os_policy(struct cfg *c, struct tcp_policy_table *t)
{
    const struct cfg_node *root = cfg_lookup(c, "host-os-policy"), *k, *it;

    for (k = root ? root->child : NULL; k != NULL; k = k->next) {
        int policy = tcp_policy_by_name(k->name);
        if (policy < 0)
            die("config: %s:%d: key 'host-os-policy.%s': no such policy", k->file, k->line,
                k->name);
        if (k->kind == CFG_KIND_SEQ) {
            for (it = k->child; it != NULL; it = it->next) {
                if (it->kind != CFG_KIND_SCALAR)
                    die("config: %s:%d: key 'host-os-policy.%s': a network was expected",
                        it->file, it->line, k->name);
                cfg_apply_policy_net(t, it, it->value, (uint8_t)policy);
            }
        } else if (k->kind == CFG_KIND_SCALAR) {
            char buf[4096], *save = NULL, *tok;
            snprintf(buf, sizeof(buf), "%s", k->value);
            for (tok = strtok_r(buf, "[], \t", &save); tok != NULL;
                 tok = strtok_r(NULL, "[], \t", &save))
                cfg_apply_policy_net(t, k, tok, (uint8_t)policy);
        } else {
            die("config: %s:%d: key 'host-os-policy.%s': a list of networks was expected",
                k->file, k->line, k->name);
        }
    }
}

/*
 * ndpi: {enabled, metadata, max-packets, flows, memcap}: application
 * identification with nDPI (app_ndpi.h). Per worker, as the other memcaps.
 */
static void
cfg_apply_ndpi(struct cfg *c, struct app_ndpi_cfg *n)
{
    app_ndpi_cfg_defaults(n);
    n->enabled = cfg_bool(c, NULL, "ndpi.enabled", n->enabled);
    n->metadata = cfg_bool(c, NULL, "ndpi.metadata", n->metadata);
    n->max_packets = cfg_u32(c, NULL, "ndpi.max-packets", n->max_packets);
    n->flows = cfg_u32(c, NULL, "ndpi.flows", n->flows);
    n->memcap = cfg_size(c, NULL, "ndpi.memcap", n->memcap);
    if (n->max_packets == 0 || n->max_packets > 65535)
        die("config: key 'ndpi.max-packets': %u is not in 1..65535", n->max_packets);
    if (n->flows == 0 || n->flows > (1u << 24))
        die("config: key 'ndpi.flows': %u is not in 1..16777216", n->flows);
    if (n->memcap < (64u << 10))
        die("config: key 'ndpi.memcap': %llu is less than 64 KiB", (unsigned long long)n->memcap);
}

/*
 * The dp and sp port lists under key (a detection-ports node) into bm, which
 * they replace. Returns false when key is absent (bm untouched).
 */
static bool
cfg_apply_port_list(struct cfg *c, const char *key, uint8_t *bm)
{
    static const char *const sides[] = {"dp", "sp"};
    const struct cfg_node *n = cfg_lookup(c, key), *v, *it;
    const char *text;
    size_t i;

    if (n == NULL)
        return false;
    memset(bm, 0, APP_PORTS_BYTES);
    for (i = 0; i < NIDS_ARRAY_LEN(sides); i++) {
        v = cfg_node_lookup(n, sides[i]);
        if (v == NULL)
            continue;
        /* A YAML sequence of ports, or one scalar list ("53, 5353"). */
        for (it = v->kind == CFG_KIND_SEQ ? v->child : v; it != NULL;
             it = v->kind == CFG_KIND_SEQ ? it->next : NULL) {
            cfg_check(c, cfg_get_str(c, it, NULL, "", &text));
            if (app_detect_ports_parse(text, bm) < 0)
                die("config: key '%s.%s' (%s:%d): '%s' is not a port list", key, sides[i],
                    it->file, it->line, text);
        }
    }
    return true;
}

/*
 * app-layer.protocols.dns.detection-ports (both transports), else the
 * tcp. and udp. ones, as Suricata reads them (app-layer-detect-proto.c).
 */
static void
cfg_apply_detect(struct cfg *c, struct app_detect_cfg *d)
{
    app_detect_cfg_defaults(d);
    if (cfg_apply_port_list(c, "app-layer.protocols.dns.detection-ports", d->dns_tcp_ports)) {
        memcpy(d->dns_udp_ports, d->dns_tcp_ports, APP_PORTS_BYTES);
        return;
    }
    (void)cfg_apply_port_list(c, "app-layer.protocols.dns.tcp.detection-ports", d->dns_tcp_ports);
    (void)cfg_apply_port_list(c, "app-layer.protocols.dns.udp.detection-ports", d->dns_udp_ports);
}

/*
 * app-layer.protocols.smtp, Suricata's SMTPConfigure(): the mime keys
 * (header-value-depth and the inspected-tracker keys are read and have no
 * effect: the parser keeps what its caps allow), max-tx.
 */
static void
cfg_apply_smtp(struct cfg *c, struct app_smtp_cfg *sc)
{
    const struct cfg_node *smtp = cfg_lookup(c, "app-layer.protocols.smtp");
    const struct cfg_node *mime = cfg_node_lookup(smtp, "mime"), *list, *it;
    struct mime_cfg *m = &sc->parse.mime;

    app_smtp_cfg_defaults(sc);
    if (smtp == NULL)
        return;
    sc->parse.max_tx = cfg_u32(c, smtp, "max-tx", sc->parse.max_tx);
    if (cfg_bool(c, smtp, "raw-extraction", false))
        log_warn("config: app-layer.protocols.smtp.raw-extraction is not supported, ignored");
    (void)cfg_node_lookup(smtp, "inspected-tracker");
    (void)cfg_node_lookup(smtp, "enabled");
    if (mime == NULL)
        return;
    sc->parse.decode_mime = cfg_bool(c, mime, "decode-mime", sc->parse.decode_mime);
    m->decode_base64 = cfg_bool(c, mime, "decode-base64", m->decode_base64);
    m->decode_qp = cfg_bool(c, mime, "decode-quoted-printable", m->decode_qp);
    m->extract_urls = cfg_bool(c, mime, "extract-urls", m->extract_urls);
    m->log_url_scheme = cfg_bool(c, mime, "log-url-scheme", m->log_url_scheme);
    sc->body_md5 = cfg_bool(c, mime, "body-md5", false);
    (void)cfg_u64(c, mime, "header-value-depth", 0);
    list = cfg_node_lookup(mime, "extract-urls-schemes");
    if (list != NULL) {
        m->n_schemes = 0;
        for (it = list->child; it != NULL; it = it->next)
            if (it->value != NULL && !mime_cfg_add_scheme(m, it->value))
                log_warn("config: extract-urls-schemes '%s' not used (at most %u schemes of "
                         "%u bytes)",
                         it->value, MIME_SCHEMES_MAX, MIME_SCHEME_LEN - 4);
    }
}

void
cfg_apply(struct cfg *c, struct sensor_settings *s)
{
    const struct cfg_node *outputs = cfg_lookup(c, "outputs"), *it;

    memset(s, 0, sizeof(*s));
    flow_config_defaults(&s->wrk.flow);
    defrag_config_defaults(&s->wrk.defrag);
    s->wrk.flow.memcap = cfg_size(c, NULL, "flow.memcap", s->wrk.flow.memcap);
    s->wrk.flow.hash_size = cfg_u32(c, NULL, "flow.hash-size", s->wrk.flow.hash_size);
    s->wrk.flow.prealloc = cfg_u32(c, NULL, "flow.prealloc", s->wrk.flow.prealloc);
    s->wrk.flow.emergency_recovery =
            cfg_u32(c, NULL, "flow.emergency-recovery", s->wrk.flow.emergency_recovery);
    s->wrk.flow.midstream = cfg_bool(c, NULL, "stream.midstream", false);
    s->wrk.flow.async_oneside = cfg_bool(c, NULL, "stream.async-oneside", false);
    {
        uint32_t q = cfg_u32(c, NULL, "stream.max-syn-queued", s->wrk.flow.max_syn_queued);
        if (q > 255)
            die("config: key 'stream.max-syn-queued': %u is more than 255", q);
        s->wrk.flow.max_syn_queued = (uint8_t)q;
    }
    tcp_reasm_cfg_defaults(&s->wrk.reasm);
    s->wrk.reasm.memcap = cfg_size(c, NULL, "stream.reassembly.memcap", s->wrk.reasm.memcap);
    {
        uint64_t depth = cfg_size(c, NULL, "stream.reassembly.depth", s->wrk.reasm.depth);
        if (depth > UINT32_MAX)
            die("config: key 'stream.reassembly.depth': %llu is more than 4 GiB",
                (unsigned long long)depth);
        s->wrk.reasm.depth = (uint32_t)depth;
    }
    cfg_apply_host_os_policy(c, &s->wrk.reasm.hosts);
    s->wrk.flow.active_timeout =
            cfg_u32(c, NULL, "flow.active-timeout", s->wrk.flow.active_timeout);
    cfg_apply_timeouts(c, &s->wrk.flow);
    s->wrk.defrag.memcap = cfg_size(c, NULL, "defrag.memcap", s->wrk.defrag.memcap);
    s->wrk.defrag.trackers = cfg_u32(c, NULL, "defrag.trackers", s->wrk.defrag.trackers);
    s->wrk.defrag.max_frags = cfg_u32(c, NULL, "defrag.max-frags", s->wrk.defrag.max_frags);
    s->wrk.defrag.timeout = cfg_u32(c, NULL, "defrag.timeout", s->wrk.defrag.timeout);
    (void)cfg_lookup(c, "defrag.hash-size");
    (void)cfg_lookup(c, "defrag.prealloc");
    cfg_apply_ndpi(c, &s->wrk.ndpi);
    cfg_apply_detect(c, &s->detect);
    cfg_apply_smtp(c, &s->smtp);
    s->wrk.smtp = &s->smtp;
    s->stats_enabled = cfg_bool(c, NULL, "stats.enabled", true);
    s->stats_interval = cfg_u64(c, NULL, "stats.interval", 8);
    s->stats_decoder_events = cfg_bool(c, NULL, "stats.decoder-events", true);
    s->stats_stream_events = cfg_bool(c, NULL, "stats.stream-events", false);
    (void)cfg_lookup(c, "stats.decoder-events-prefix");
    s->workers = cfg_u32(c, NULL, "threading.workers", 0);
    cfg_apply_pcap(c, s);
    (void)cfg_lookup(c, "vars");
    (void)cfg_lookup(c, "decoder.recursion-level");
    (void)cfg_lookup(c, "classification-file");
    (void)cfg_lookup(c, "reference-config-file");
    {
        char err[512];
        int n = ipfix_config_parse(c, s->ipfix, IPFIX_MAX_COLLECTORS, err, sizeof(err));
        if (n < 0)
            die("config: %s", err);
        s->n_ipfix = (unsigned)n;
    }
    for (it = outputs ? outputs->child : NULL; it != NULL; it = it->next) {
        const struct cfg_node *eve = cfg_node_lookup(it, "eve-log");
        if (eve != NULL)
            cfg_apply_eve(c, eve, s);
    }
}

int
cfg_apply_warn_unsupported(struct cfg *c)
{
    return cfg_warn_unsupported(c, cfg_supported);
}
