/*
 * send_records.c - test driver: send flow records through the exporter
 * (sensor/ipfix_*.c) to the collectors of a config file, so the collector
 * side (nfcapd/nfdump) can be checked without the sensor.
 *
 *   send_records -c CONF [RECORDS]
 *
 * CONF is a sensor config; every enabled `outputs: - ipfix:` entry gets an
 * exporter. RECORDS (default stdin) has one flow per line, '#' comments:
 *
 *   ipver proto src dst sp dp pkts_ts bytes_ts pkts_tc bytes_tc start_ms end_ms
 *   [flags_ts flags_tc tos vlan end_reason app]
 *
 * separated by spaces or commas. Each record is added with now_ms = end_ms
 * (when the sensor would export it), then every exporter is destroyed
 * (flush + close). Prints "send_records: N flows, S data records sent, E
 * errors" on stderr; exits 1 on any error. Built by tools/collector-test:
 *
 *   cc -std=c11 -D_GNU_SOURCE -Isensor tests/ipfix/send_records.c \
 *      sensor/ipfix_*.c sensor/cfg.c sensor/log.c -lyaml
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipfix.h"
#include "log.h"

#define SEND_FIELDS_MIN 12
#define SEND_FIELDS_MAX 18

struct send_ctx {
    struct ipfix_exporter *x[IPFIX_MAX_COLLECTORS];
    int n;
    uint64_t sent[IPFIX_MAX_COLLECTORS], errors[IPFIX_MAX_COLLECTORS];
};

static int
send_u64(const char *s, uint64_t max, uint64_t *out)
{
    char *end;
    unsigned long long v;

    if (s[0] < '0' || s[0] > '9')
        return -1;
    v = strtoull(s, &end, 10);
    if (*end != '\0' || v > max)
        return -1;
    *out = v;
    return 0;
}

static int
send_addr(const char *s, struct ipfix_flow_rec *r, uint8_t *out)
{
    return inet_pton(r->ip_ver == 6 ? AF_INET6 : AF_INET, s, out) == 1 ? 0 : -1;
}

/* Split `line` on spaces/commas into at most SEND_FIELDS_MAX fields. */
static int
send_split(char *line, char **f)
{
    int n = 0;
    char *save = NULL, *tok;

    for (tok = strtok_r(line, " ,\t\r\n", &save); tok != NULL && n < SEND_FIELDS_MAX;
         tok = strtok_r(NULL, " ,\t\r\n", &save))
        f[n++] = tok;
    return n;
}

static int
send_rec_parse(char *line, struct ipfix_flow_rec *r)
{
    static const uint64_t max[SEND_FIELDS_MAX] = {
            6,          255,        0,          0,          65535,      65535,
            UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX,
            255,        255,        255,        4095,       255,        0};
    uint64_t v[SEND_FIELDS_MAX] = {0};
    char *f[SEND_FIELDS_MAX];
    int n = send_split(line, f), i;

    if (n < SEND_FIELDS_MIN)
        return -1;
    for (i = 0; i < n && i < SEND_FIELDS_MAX - 1; i++)
        if (i != 2 && i != 3 && send_u64(f[i], max[i], &v[i]) < 0)
            return -1;
    memset(r, 0, sizeof(*r));
    r->ip_ver = (uint8_t)v[0];
    r->proto = (uint8_t)v[1];
    if (send_addr(f[2], r, r->src) < 0 || send_addr(f[3], r, r->dst) < 0)
        return -1;
    r->sp = (uint16_t)v[4];
    r->dp = (uint16_t)v[5];
    r->pkts[0] = v[6];
    r->bytes[0] = v[7];
    r->pkts[1] = v[8];
    r->bytes[1] = v[9];
    r->start_ms = v[10];
    r->end_ms = v[11];
    r->tcp_flags[0] = (uint8_t)v[12];
    r->tcp_flags[1] = (uint8_t)v[13];
    r->tos = (uint8_t)v[14];
    r->vlan_id = (uint16_t)v[15];
    r->end_reason = n > 16 ? (uint8_t)v[16] : IPFIX_END_IDLE_TIMEOUT;
    if (n > 17)
        snprintf(r->app_name, sizeof(r->app_name), "%s", f[17]);
    return 0;
}

static int
send_open(const char *conf, struct send_ctx *s)
{
    struct ipfix_collector_cfg cc[IPFIX_MAX_COLLECTORS];
    struct cfg c;
    char err[512];
    int i, n;

    cfg_init(&c);
    if (cfg_load_file(&c, conf) < 0) {
        fprintf(stderr, "send_records: %s\n", c.err);
        cfg_fini(&c);
        return -1;
    }
    n = ipfix_config_parse(&c, cc, IPFIX_MAX_COLLECTORS, err, sizeof(err));
    cfg_fini(&c);
    if (n <= 0) {
        fprintf(stderr, "send_records: %s\n", n < 0 ? err : "no ipfix output in the config");
        return -1;
    }
    for (i = 0; i < n; i++) {
        s->x[i] = ipfix_exporter_create(&cc[i], &s->sent[i], &s->errors[i]);
        if (s->x[i] == NULL)
            return -1;
        s->n++;
    }
    return 0;
}

int
main(int argc, char **argv)
{
    struct send_ctx s;
    struct ipfix_flow_rec r;
    char line[1024];
    FILE *in = stdin;
    uint64_t flows = 0, sent = 0, errors = 0;
    int i, bad = 0, lineno = 0;

    memset(&s, 0, sizeof(s));
    if (argc < 3 || argc > 4 || strcmp(argv[1], "-c") != 0) {
        fprintf(stderr, "usage: send_records -c CONF [RECORDS]\n");
        return 2;
    }
    if (argc == 4 && (in = fopen(argv[3], "r")) == NULL) {
        perror(argv[3]);
        return 2;
    }
    if (send_open(argv[2], &s) < 0)
        bad = 1;
    while (!bad && fgets(line, sizeof(line), in) != NULL) {
        lineno++;
        if (line[strspn(line, " \t")] == '#' || line[strspn(line, " \t\r\n")] == '\0')
            continue;
        if (send_rec_parse(line, &r) < 0) {
            fprintf(stderr, "send_records: line %d: bad record\n", lineno);
            bad = 1;
            break;
        }
        for (i = 0; i < s.n; i++)
            ipfix_exporter_add(s.x[i], &r, r.end_ms);
        flows++;
    }
    for (i = 0; i < s.n; i++) {
        ipfix_exporter_destroy(s.x[i]);
        sent += s.sent[i];
        errors += s.errors[i];
    }
    if (in != stdin)
        fclose(in);
    fprintf(stderr,
            "send_records: %" PRIu64 " flows, %" PRIu64 " data records sent, %" PRIu64 " errors\n",
            flows, sent, errors);
    return bad || errors > 0 ? 1 : 0;
}
