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
    "outputs.*.eve-log.types.*.dns",
    "outputs.*.eve-log.types.*.dns.**",
    "outputs.*.eve-log.types.*.http",
    "outputs.*.eve-log.types.*.http.enabled",
    "outputs.*.eve-log.types.*.http.extended",
    "outputs.*.eve-log.types.*.http.dump-all-headers",
    "outputs.*.eve-log.types.*.files",
    "outputs.*.eve-log.types.*.files.enabled",
    "outputs.*.eve-log.types.*.files.force-magic",
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
    "stream.reassembly.memcap",
    "stream.reassembly.depth",
    "host-os-policy.**",
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
