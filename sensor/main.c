/*
 * main.c - command line (Suricata's conventions), configuration, start-up
 * and the offline run: capture -> worker -> EVE, then a final flush of
 * every flow and a last stats record.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cap_pcap.h"
#include "cfg.h"
#include "cfg_apply.h"
#include "log.h"
#include "out_eve.h"
#include "stats.h"
#include "wrk.h"

#define SENSOR_VERSION "0.1.0"
#define MAX_INPUTS     64
#define MAX_SETS       128

struct sensor_opts {
    const char *inputs[MAX_INPUTS];
    unsigned n_inputs;
    const char *config;
    const char *logdir;
    const char *sets[MAX_SETS];
    unsigned n_sets;
    const char *rules[MAX_INPUTS];
    unsigned n_rules;
    int csum; /* -1 auto, 0 none, 1 all */
    bool dump_config;
};

struct sensor_run {
    struct wrk w;
    struct eve eve;
    struct sensor_settings set;
    uint64_t pcap_cnt;
    uint64_t last_stats_wall;
    uint64_t start_wall;
};

static volatile int sensor_stop;
static volatile int sensor_reopen;

static void
sensor_on_signal(int sig)
{
    if (sig == SIGHUP)
        sensor_reopen = 1;
    else
        sensor_stop = 1;
}

static void
sensor_usage(FILE *out)
{
    fprintf(out,
            "usage: sensor -r PCAP|DIR [-r ...] [-c sensor.yaml] [-l LOGDIR] [--set key=value]...\n"
            "              [-k none|all|auto] [-S RULES] [-v] [--dump-config] [--help] [--version]\n"
            "\n"
            "  -r PATH          read a capture file, or every capture in a directory\n"
            "  -c FILE          configuration in suricata.yaml layout (default: built in)\n"
            "  -l DIR           log directory (default ./logs)\n"
            "  --set key=value  override a configuration key (dotted path)\n"
            "  -k none|all|auto checksum validation (default auto)\n"
            "  -S FILE          rule file (loaded once the signature engine is built)\n"
            "  -v               more messages (repeat for more)\n"
            "  --dump-config    print the configuration as key = value and exit\n");
}

static uint64_t
sensor_wall_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec;
}

static void
sensor_parse_args(int argc, char **argv, struct sensor_opts *o)
{
    enum { OPT_SET = 256, OPT_DUMP, OPT_HELP, OPT_VERSION, OPT_IGNORED, OPT_IGNORED_ARG };
    static const struct option longopts[] = {
        {"set", required_argument, NULL, OPT_SET},
        {"dump-config", no_argument, NULL, OPT_DUMP},
        {"help", no_argument, NULL, OPT_HELP},
        {"version", no_argument, NULL, OPT_VERSION},
        {"init-errors-fatal", no_argument, NULL, OPT_IGNORED},
        {"disable-detection", no_argument, NULL, OPT_IGNORED},
        {"runmode", required_argument, NULL, OPT_IGNORED_ARG},
        {NULL, 0, NULL, 0},
    };
    int ch;

    memset(o, 0, sizeof(*o));
    o->logdir = "./logs";
    o->csum = -1;
    while ((ch = getopt_long(argc, argv, "r:c:l:k:S:vh", longopts, NULL)) != -1) {
        switch (ch) {
        case 'r':
            if (o->n_inputs >= MAX_INPUTS)
                die("too many -r inputs (at most %d)", MAX_INPUTS);
            o->inputs[o->n_inputs++] = optarg;
            break;
        case 'c':
            o->config = optarg;
            break;
        case 'l':
            o->logdir = optarg;
            break;
        case 'k':
            if (strcmp(optarg, "none") == 0)
                o->csum = 0;
            else if (strcmp(optarg, "all") == 0)
                o->csum = 1;
            else if (strcmp(optarg, "auto") == 0)
                o->csum = -1;
            else
                die("-k takes none, all or auto, not '%s'", optarg);
            break;
        case 'S':
            if (o->n_rules < MAX_INPUTS)
                o->rules[o->n_rules++] = optarg;
            break;
        case 'v':
            log_verbosity++;
            break;
        case OPT_SET:
            if (o->n_sets >= MAX_SETS)
                die("too many --set options (at most %d)", MAX_SETS);
            o->sets[o->n_sets++] = optarg;
            break;
        case OPT_DUMP:
            o->dump_config = true;
            break;
        case 'h':
        case OPT_HELP:
            sensor_usage(stdout);
            exit(0);
        case OPT_VERSION:
            printf("sensor %s (EVE compatible with Suricata 8)\n", SENSOR_VERSION);
            exit(0);
        case OPT_IGNORED:
        case OPT_IGNORED_ARG:
            break;
        default:
            sensor_usage(stderr);
            exit(1);
        }
    }
    if (optind < argc)
        die("unexpected argument '%s' (see --help)", argv[optind]);
}

static void
sensor_load_config(struct cfg *c, const struct sensor_opts *o)
{
    unsigned i;

    cfg_init(c);
    if (o->config != NULL) {
        c->include_missing_ok = true;
        if (cfg_load_file(c, o->config) < 0)
            die("config: %s", c->err);
    } else if (cfg_load_string(c, cfg_builtin_yaml, "<built-in>") < 0) {
        die("config: built-in: %s", c->err);
    }
    for (i = 0; i < o->n_sets; i++)
        if (cfg_set(c, o->sets[i]) < 0)
            die("--set %s: %s", o->sets[i], c->err);
}

/* mkdir -p: the log directory and any missing parents. */
static int
sensor_mkdirs(const char *dir)
{
    char path[4096];
    size_t i, n = strlen(dir);

    if (n == 0 || n >= sizeof(path))
        return -1;
    memcpy(path, dir, n + 1);
    for (i = 1; i <= n; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        path[i] = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST)
            return -1;
        path[i] = i < n ? '/' : '\0';
    }
    return 0;
}

static void
sensor_open_outputs(struct sensor_run *r, const char *logdir)
{
    unsigned i, t;

    if (sensor_mkdirs(logdir) != 0)
        die("cannot create log directory %s: %s", logdir, strerror(errno));
    if (eve_init(&r->eve) < 0)
        die("out of memory for the EVE record buffer");
    for (i = 0; i < r->set.n_eve; i++) {
        const struct eve_output_cfg *oc = &r->set.eve[i];
        struct eve_output *o = &r->eve.out[r->eve.n_out];
        char path[4096];
        if (oc->filename[0] == '/')
            snprintf(path, sizeof(path), "%s", oc->filename);
        else if (snprintf(path, sizeof(path), "%s/%s", logdir, oc->filename) >= (int)sizeof(path))
            die("log path too long: %s/%s", logdir, oc->filename);
        memset(o, 0, sizeof(*o));
        if (eve_writer_open(&o->w, path, oc->append) < 0)
            die("cannot open %s: %s", path, strerror(errno));
        for (t = 0; t < EVE_TYPE_COUNT; t++)
            o->types[t] = oc->types[t];
        if (!r->set.stats_enabled)
            o->types[EVE_TYPE_STATS] = false;
        o->anomaly_decode = oc->anomaly_decode;
        o->anomaly_stream = oc->anomaly_stream;
        o->anomaly_applayer = oc->anomaly_applayer;
        o->stats_totals = oc->stats_totals;
        o->stats_null_values = oc->stats_null_values;
        o->community_id = oc->community_id;
        o->community_id_seed = oc->community_id_seed;
        r->eve.n_out++;
        log_info("EVE output %s", path);
    }
}

static void
sensor_emit_stats(struct sensor_run *r)
{
    r->w.ctr[STAT_CAPTURE_ERRORS] += 0;
    eve_emit_stats(&r->eve, r->w.ctr, NULL, r->w.now_us, sensor_wall_s() - r->start_wall);
}

static void
sensor_on_packet(void *ctx, const uint8_t *data, uint32_t caplen, uint32_t wirelen, uint64_t ts_us,
                 int linktype)
{
    struct sensor_run *r = ctx;

    wrk_packet(&r->w, data, caplen, wirelen, ts_us, linktype, ++r->pcap_cnt);
    /* Periodic stats on wall-clock time, checked every 4096 packets. */
    if ((r->pcap_cnt & 4095) == 0) {
        uint64_t now = sensor_wall_s();
        if (r->set.stats_interval > 0 && now - r->last_stats_wall >= r->set.stats_interval) {
            r->last_stats_wall = now;
            sensor_emit_stats(r);
        }
        if (sensor_reopen) {
            sensor_reopen = 0;
            eve_reopen(&r->eve);
        }
    }
}

int
main(int argc, char **argv)
{
    static struct sensor_run run;
    struct sensor_run *r = &run;
    struct sensor_opts o;
    struct cap_stats cs = {0, 0, 0};
    struct cfg c;
    char err[1024];
    struct sigaction sa;

    sensor_parse_args(argc, argv, &o);
    sensor_load_config(&c, &o);
    if (o.dump_config) {
        cfg_dump(&c, stdout);
        cfg_fini(&c);
        return 0;
    }
    cfg_apply(&c, &r->set);
    cfg_apply_warn_unsupported(&c);
    cfg_fini(&c);
    if (o.n_inputs == 0)
        die("nothing to read: give -r PCAP|DIR (see --help)");
    if (cap_pcap_check(o.inputs, o.n_inputs, err, sizeof(err)) < 0)
        die("%s", err);
    if (o.n_rules > 0)
        log_warn("signature engine not built yet: %u rule file(s) not loaded", o.n_rules);
    r->set.wrk.csum_check = o.csum != 0;
    stats_layout_init(&stats_layout, r->set.stats_decoder_events, r->set.stats_stream_events);
    sensor_open_outputs(r, o.logdir);
    if (wrk_init(&r->w, &r->set.wrk, &r->eve) < 0)
        die("out of memory for the flow table (flow.memcap) or defrag (defrag.memcap)");
    log_info("flow table: %u flows, %llu bytes per flow", r->w.ft.capacity,
             (unsigned long long)flow_table_bytes_per_flow(&r->w.ft));

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = sensor_on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    r->start_wall = r->last_stats_wall = sensor_wall_s();

    if (cap_pcap_run(o.inputs, o.n_inputs, sensor_on_packet, r, &cs, &sensor_stop) < 0)
        log_error("capture stopped early");
    r->w.ctr[STAT_CAPTURE_ERRORS] += cs.truncated_files;
    wrk_shutdown(&r->w);
    sensor_emit_stats(r);
    log_info("%llu packets, %llu flows, %llu EVE records",
             (unsigned long long)r->w.ctr[STAT_DECODER_PKTS],
             (unsigned long long)r->w.ctr[STAT_FLOW_TOTAL], (unsigned long long)r->eve.records);
    wrk_fini(&r->w);
    eve_fini(&r->eve);
    return 0;
}
