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
#include <unistd.h>

#include "app_detect.h"
#include "cap_live.h"
#include "cap_pcap.h"
#include "cfg.h"
#include "cfg_apply.h"
#include "log.h"
#include "pipeline.h"
#include "privs.h"
#include "sig.h"
#include "stats.h"

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
    const char *ifaces[CAP_LIVE_MAX_IFACES];
    unsigned n_ifaces;
    const char *bpf;
    const char *user, *group, *pidfile;
    bool single;      /* --runmode single */
    unsigned threads; /* --threads N, 0 = from config */
    bool dump_config;
    bool test_rules; /* --test-rules: load the rules, report, exit */
};

static struct pipeline *sensor_pl;
static volatile int sensor_stop;
static volatile int sensor_reopen;

static void
sensor_on_signal(int sig)
{
    if (sig == SIGHUP) {
        sensor_reopen = 1;
        if (sensor_pl != NULL)
            pipeline_request_reopen(sensor_pl); /* an atomic store: signal-safe */
    } else if (sig == SIGUSR2) {
        if (sensor_pl != NULL)
            pipeline_request_reload(sensor_pl); /* sem_post: signal-safe */
    } else
        sensor_stop = 1;
}

static void
sensor_usage(FILE *out)
{
    fprintf(out,
            "usage: sensor -r PCAP|DIR [-r ...] | -i IFACE [-i ...] [-f BPF]\n"
            "              [-c sensor.yaml] [-l LOGDIR] [--set key=value]...\n"
            "              [-k none|all|auto] [--runmode single|workers] [--threads N] [-S RULES]\n"
            "              [-v] [--dump-config] [--help] [--version]\n"
            "\n"
            "  -r PATH          read a capture file, or every capture in a directory\n"
            "  -i IFACE         capture live on an interface (promiscuous); repeatable\n"
            "  -f 'EXPR'        BPF filter for live capture (or config pcap.0.bpf-filter)\n"
            "  --user U --group G   drop privileges once the interfaces are open\n"
            "  --pidfile FILE   write the process id\n"
            "  -c FILE          configuration in suricata.yaml layout (default: built in)\n"
            "  -l DIR           log directory (default ./logs)\n"
            "  --set key=value  override a configuration key (dotted path)\n"
            "  -k none|all|auto checksum validation (default auto)\n"
            "  --runmode MODE   single (one thread) or workers (default)\n"
            "  --threads N      worker threads (default threading.workers, else cores - 1)\n"
            "  -S FILE          rule file (repeatable; replaces the config's rule-files)\n"
            "  --test-rules     load the rules, report each bad one, exit 0 when all load\n"
            "  -v               more messages (repeat for more)\n"
            "  --dump-config    print the configuration as key = value and exit\n");
}

static void
sensor_parse_args(int argc, char **argv, struct sensor_opts *o)
{
    enum {
        OPT_SET = 256,
        OPT_DUMP,
        OPT_HELP,
        OPT_VERSION,
        OPT_IGNORED,
        OPT_RUNMODE,
        OPT_THREADS,
        OPT_USER,
        OPT_GROUP,
        OPT_PIDFILE,
        OPT_TEST_RULES
    };
    static const struct option longopts[] = {
        {"set", required_argument, NULL, OPT_SET},
        {"dump-config", no_argument, NULL, OPT_DUMP},
        {"help", no_argument, NULL, OPT_HELP},
        {"version", no_argument, NULL, OPT_VERSION},
        {"init-errors-fatal", no_argument, NULL, OPT_IGNORED},
        {"disable-detection", no_argument, NULL, OPT_IGNORED},
        {"runmode", required_argument, NULL, OPT_RUNMODE},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"user", required_argument, NULL, OPT_USER},
        {"group", required_argument, NULL, OPT_GROUP},
        {"pidfile", required_argument, NULL, OPT_PIDFILE},
        {"test-rules", no_argument, NULL, OPT_TEST_RULES},
        {NULL, 0, NULL, 0},
    };
    int ch;

    memset(o, 0, sizeof(*o));
    o->logdir = "./logs";
    o->csum = -1;
    while ((ch = getopt_long(argc, argv, "r:i:f:c:l:k:S:vh", longopts, NULL)) != -1) {
        switch (ch) {
        case 'r':
            if (o->n_inputs >= MAX_INPUTS)
                die("too many -r inputs (at most %d)", MAX_INPUTS);
            o->inputs[o->n_inputs++] = optarg;
            break;
        case 'i':
            if (o->n_ifaces >= CAP_LIVE_MAX_IFACES)
                die("too many -i interfaces (at most %d)", CAP_LIVE_MAX_IFACES);
            o->ifaces[o->n_ifaces++] = optarg;
            break;
        case 'f':
            o->bpf = optarg;
            break;
        case OPT_USER:
            o->user = optarg;
            break;
        case OPT_GROUP:
            o->group = optarg;
            break;
        case OPT_PIDFILE:
            o->pidfile = optarg;
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
            if (o->n_rules >= MAX_INPUTS)
                die("too many -S rule files (at most %d)", MAX_INPUTS);
            o->rules[o->n_rules++] = optarg;
            break;
        case OPT_TEST_RULES:
            o->test_rules = true;
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
        case OPT_RUNMODE:
            if (strcmp(optarg, "single") == 0)
                o->single = true;
            else if (strcmp(optarg, "workers") == 0 || strcmp(optarg, "autofp") == 0)
                o->single = false;
            else
                die("--runmode takes single or workers, not '%s'", optarg);
            break;
        case OPT_THREADS: {
            char *end;
            unsigned long n = strtoul(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || n < 1 || n > 64)
                die("--threads takes a number from 1 to 64, not '%s'", optarg);
            o->threads = (unsigned)n;
            break;
        }
        case OPT_IGNORED:
            break;
        default:
            sensor_usage(stderr);
            exit(1);
        }
    }
    if (optind < argc)
        die("unexpected argument '%s' (see --help)", argv[optind]);
}

/* The configuration (file or built in) with the --set overrides; < 0 with msg. */
static int
sensor_read_config(struct cfg *c, const struct sensor_opts *o, char *msg, size_t len)
{
    unsigned i;

    cfg_init(c);
    if (o->config != NULL) {
        c->include_missing_ok = true;
        if (cfg_load_file(c, o->config) < 0) {
            snprintf(msg, len, "config: %s", c->err);
            return -1;
        }
    } else if (cfg_load_string(c, cfg_builtin_yaml, "<built-in>") < 0) {
        snprintf(msg, len, "config: built-in: %s", c->err);
        return -1;
    }
    for (i = 0; i < o->n_sets; i++)
        if (cfg_set(c, o->sets[i]) < 0) {
            snprintf(msg, len, "--set %s: %s", o->sets[i], c->err);
            return -1;
        }
    return 0;
}

static void
sensor_load_config(struct cfg *c, const struct sensor_opts *o)
{
    char msg[1024];

    if (sensor_read_config(c, o, msg, sizeof(msg)) < 0)
        die("%s", msg);
}

/*
 * The rule set: the -S files, else the config's rule-files. NULL when
 * there are none (detection off). Dies when a -S file cannot be read.
 * --test-rules: the summary goes to stdout and the process exits.
 */
static struct sig_db *
sensor_load_rules(struct cfg *c, const struct sensor_opts *o)
{
    struct sig_load_stats st;
    const struct cfg_node *files = cfg_lookup(c, "rule-files");
    struct sig_db *db;

    if (o->n_rules == 0 && (files == NULL || files->child == NULL)) {
        if (o->test_rules) {
            printf("0 rules loaded, 0 failed (no rule files)\n");
            exit(0);
        }
        return NULL;
    }
    db = sig_db_load(c, o->rules, o->n_rules, &st);
    if (db == NULL)
        die("rules could not be loaded");
    if (o->test_rules) {
        printf("%u rules loaded, %u failed, %u skipped (%u rule files, %.2f s)\n", st.loaded,
               st.failed, st.skipped, st.files, st.seconds);
        sig_db_destroy(db);
        exit(st.failed > 0 ? 1 : 0);
    }
    if (st.loaded == 0) {
        sig_db_destroy(db);
        return NULL;
    }
    return db;
}

/*
 * SIGUSR2, reload thread (pipeline_rules_fn): the configuration and the
 * rule files are read again (vars, classification, thresholds and the
 * rule files may have changed; other settings keep their start-up
 * values). A rule that fails is reported and left out, as at start-up.
 */
static int
sensor_reload_rules(void *ctx, struct sig_db **out)
{
    const struct sensor_opts *o = ctx;
    const struct cfg_node *files;
    struct sig_load_stats st;
    char msg[1024];
    struct cfg c;
    int rc = 0;

    *out = NULL;
    log_info("rule reload requested");
    if (sensor_read_config(&c, o, msg, sizeof(msg)) < 0) {
        log_error("rule reload: %s", msg);
        cfg_fini(&c);
        return -1;
    }
    files = cfg_lookup(&c, "rule-files");
    if (o->n_rules == 0 && (files == NULL || files->child == NULL)) {
        log_info("rule reload: no rule files: detection off");
    } else if ((*out = sig_db_load(&c, o->rules, o->n_rules, &st)) == NULL) {
        rc = -1;
    } else if (st.loaded == 0) {
        sig_db_destroy(*out);
        *out = NULL;
    }
    cfg_fini(&c);
    return rc;
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
sensor_on_sync(void *ctx, int region)
{
    pipeline_sync(ctx, region);
}

static void
sensor_on_packet(void *ctx, const uint8_t *data, uint32_t caplen, uint32_t wirelen, uint64_t ts_us,
                 int linktype, int region)
{
    struct pipeline *pl = ctx;

    if (sensor_reopen) {
        sensor_reopen = 0;
        pipeline_request_reopen(pl);
    }
    pipeline_packet(pl, data, caplen, wirelen, ts_us, linktype, region);
}

/* Workers: --threads, else threading.workers, else cores - 1 (at least 1). */
static unsigned
sensor_worker_count(const struct sensor_opts *o, const struct sensor_settings *set)
{
    long cores;

    if (o->single)
        return 0;
    if (o->threads > 0)
        return o->threads;
    if (set->workers > 0)
        return set->workers;
    cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores > 2 ? (unsigned)(cores - 1) : 1;
}

int
main(int argc, char **argv)
{
    static struct sensor_settings set;
    struct sensor_opts o;
    struct cap_stats cs = {0, 0, 0};
    struct pipeline_cfg pc;
    struct cfg c;
    char err[1024];
    struct sigaction sa;
    uint64_t pkts, flows, records;
    struct cap_live *live = NULL;
    struct sig_db *rules;

    sensor_parse_args(argc, argv, &o);
    sensor_load_config(&c, &o);
    if (o.dump_config) {
        cfg_dump(&c, stdout);
        cfg_fini(&c);
        return 0;
    }
    cfg_apply(&c, &set);
    app_detect_configure(&set.detect); /* before any worker starts */
    rules = sensor_load_rules(&c, &o);
    set.wrk.sigs = rules; /* shared read-only by every worker */
    cfg_apply_warn_unsupported(&c);
    cfg_fini(&c);
    if (o.n_inputs == 0 && o.n_ifaces == 0)
        die("nothing to read: give -r PCAP|DIR or -i IFACE (see --help)");
    if (o.n_inputs > 0 && o.n_ifaces > 0)
        die("-r and -i cannot be mixed");
    if (o.n_inputs > 0 && cap_pcap_check(o.inputs, o.n_inputs, err, sizeof(err)) < 0)
        die("%s", err);
    set.wrk.csum_check = o.csum != 0;
    stats_layout_init(&stats_layout, set.stats_decoder_events, set.stats_stream_events);
    if (sensor_mkdirs(o.logdir) != 0)
        die("cannot create log directory %s: %s", o.logdir, strerror(errno));
    pc.set = &set;
    pc.logdir = o.logdir;
    pc.n_workers = sensor_worker_count(&o, &set);
    pc.live = o.n_ifaces > 0;
    pc.rules = rules; /* the pipeline frees it (or the set a reload puts in its place) */
    pc.load_rules = sensor_reload_rules;
    pc.load_rules_ctx = &o;
    if (pc.live) {
        struct cap_live_cfg lc;
        memset(&lc, 0, sizeof(lc));
        memcpy(lc.ifaces, o.ifaces, sizeof(lc.ifaces));
        lc.n_ifaces = o.n_ifaces;
        lc.bpf = o.bpf != NULL ? o.bpf : set.bpf_filter[0] ? set.bpf_filter : NULL;
        lc.buffer_size = set.pcap_buffer_size;
        lc.promisc = set.pcap_promisc;
        live = cap_live_open(&lc, err, sizeof(err));
        if (live == NULL)
            die("%s", err);
    }
    privs_drop(o.user, o.group);
    privs_pidfile_write(o.pidfile);
    sensor_pl = pipeline_create(&pc);
    if (sensor_pl == NULL)
        die("start-up failed");

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = sensor_on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);

    if (live != NULL) {
        log_info("capturing; SIGINT or SIGTERM stops, SIGHUP reopens the logs, SIGUSR2 reloads "
                 "the rules");
        if (cap_live_run(live, sensor_pl, &sensor_stop) < 0)
            log_error("capture stopped early");
        cap_live_close(live);
    } else if (cap_pcap_run(o.inputs, o.n_inputs, sensor_on_packet, sensor_on_sync, sensor_pl, &cs,
                            &sensor_stop) < 0) {
        log_error("capture stopped early");
    }
    if (cs.truncated_files > 0)
        pipeline_count(sensor_pl, STAT_CAPTURE_ERRORS, cs.truncated_files);
    pipeline_finish(sensor_pl);
    pipeline_totals(sensor_pl, &pkts, &flows, &records);
    log_info("%llu packets, %llu flows, %llu EVE records", (unsigned long long)pkts,
             (unsigned long long)flows, (unsigned long long)records);
    pipeline_destroy(sensor_pl); /* and the rule set */
    privs_pidfile_remove(o.pidfile);
    return 0;
}
