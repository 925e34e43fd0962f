/*
 * cap_pcap.c - offline capture from files and directories.
 */
#include "cap_pcap.h"

#include <dirent.h>
#include <errno.h>
#include <stdio_ext.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "decode.h"
#include "log.h"

#define CAP_DIR_MAX 4096

static int
cap_name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* True when the file starts with a pcap or pcapng magic number. */
static bool
cap_has_capture_magic(const char *path)
{
    static const uint32_t magics[] = {0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0x0a0d0d0a};
    uint8_t b[4];
    uint32_t m;
    size_t i;
    FILE *f = fopen(path, "rb");

    if (f == NULL)
        return false;
    i = fread(b, 1, sizeof(b), f);
    fclose(f);
    if (i != sizeof(b))
        return false;
    m = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
    for (i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
        if (m == magics[i])
            return true;
    return false;
}

/* Calls visit for the file, or for each regular file of the directory by name. */
static int
cap_each_file(const char *input, int (*visit)(const char *path, void *arg), void *arg)
{
    struct stat sb;
    DIR *d;
    struct dirent *de;
    char *names[CAP_DIR_MAX];
    unsigned n = 0, i;
    int rc = 0;

    if (stat(input, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return visit(input, arg);
    d = opendir(input);
    if (d == NULL)
        return visit(input, arg);
    while ((de = readdir(d)) != NULL && n < CAP_DIR_MAX) {
        char path[4096];
        if (de->d_name[0] == '.')
            continue;
        if (snprintf(path, sizeof(path), "%s/%s", input, de->d_name) >= (int)sizeof(path))
            continue;
        /* In a directory only captures count: notes and expectations beside
         * them are not an error. */
        if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || !cap_has_capture_magic(path))
            continue;
        names[n] = strdup(path);
        if (names[n] != NULL)
            n++;
    }
    closedir(d);
    qsort(names, n, sizeof(names[0]), cap_name_cmp);
    for (i = 0; i < n; i++) {
        if (rc == 0)
            rc = visit(names[i], arg);
        free(names[i]);
    }
    return rc;
}

struct cap_check_arg {
    char *err;
    size_t errlen;
    bool in_dir;
};

static int
cap_check_one(const char *path, void *arg)
{
    struct cap_check_arg *a = arg;
    char ebuf[PCAP_ERRBUF_SIZE];
    pcap_t *pc;
    int dlt;
    FILE *f = fopen(path, "rb");

    if (f == NULL) {
        snprintf(a->err, a->errlen, "cannot read %s: %m", path);
        return NIDS_EIO;
    }
    fclose(f);
    pc = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_MICRO, ebuf);
    if (pc == NULL) {
        snprintf(a->err, a->errlen, "%s is not a capture file (%s)", path, ebuf);
        return NIDS_EINVAL;
    }
    dlt = pcap_datalink(pc);
    pcap_close(pc);
    if (!dec_linktype_is_supported(dlt)) {
        snprintf(a->err, a->errlen, "%s: link type %d (%s) not supported", path, dlt,
                 pcap_datalink_val_to_name(dlt) ? pcap_datalink_val_to_name(dlt) : "?");
        return NIDS_EINVAL;
    }
    return 0;
}

int
cap_pcap_check(const char *const *inputs, unsigned n, char *err, size_t errlen)
{
    struct cap_check_arg a = {err, errlen, false};
    unsigned i;
    int rc;

    for (i = 0; i < n; i++) {
        rc = cap_each_file(inputs[i], cap_check_one, &a);
        if (rc < 0)
            return rc;
    }
    return 0;
}

struct cap_run_arg {
    cap_packet_fn fn;
    void *ctx;
    struct cap_stats *st;
    volatile int *stop;
};

#define CAP_READ_BUF (1u << 20)

/*
 * Opens a capture for reading through our own FILE: only this thread
 * reads it, so stdio's per-call locking (taken once threads exist) is
 * switched off, and a 1 MiB buffer cuts read(2) calls. The buffer must
 * outlive the handle: it is freed after pcap_close.
 */
static pcap_t *
cap_open_file(const char *path, char **iobuf, char *ebuf)
{
    FILE *f = fopen(path, "rb");
    pcap_t *pc;

    *iobuf = NULL;
    if (f == NULL) {
        snprintf(ebuf, PCAP_ERRBUF_SIZE, "%s", strerror(errno));
        return NULL;
    }
    __fsetlocking(f, FSETLOCKING_BYCALLER);
    *iobuf = malloc(CAP_READ_BUF);
    if (*iobuf != NULL)
        setvbuf(f, *iobuf, _IOFBF, CAP_READ_BUF);
    pc = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_MICRO, ebuf);
    if (pc == NULL) {
        fclose(f);
        free(*iobuf);
        *iobuf = NULL;
    }
    return pc;
}

static int
cap_run_one(const char *path, void *arg)
{
    char *iobuf;
    struct cap_run_arg *a = arg;
    char ebuf[PCAP_ERRBUF_SIZE];
    struct pcap_pkthdr *h;
    const u_char *data;
    pcap_t *pc;
    int dlt, rc = 0;

    pc = cap_open_file(path, &iobuf, ebuf);
    if (pc == NULL) {
        log_error("%s: %s", path, ebuf);
        return NIDS_EIO;
    }
    dlt = pcap_datalink(pc);
    a->st->files++;
    log_info("reading %s (link type %d)", path, dlt);
    while (!*a->stop && (rc = pcap_next_ex(pc, &h, &data)) == 1) {
        uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec;
        a->st->packets++;
        a->fn(a->ctx, data, h->caplen, h->len, ts, dlt);
    }
    if (!*a->stop && rc == PCAP_ERROR) {
        /* libpcap reports a record cut short as an error: keep what was read. */
        log_warn("%s: %s; processed the %llu packets before it", path, pcap_geterr(pc),
                 (unsigned long long)a->st->packets);
        a->st->truncated_files++;
    }
    pcap_close(pc);
    free(iobuf);
    return 0;
}

int
cap_pcap_run(const char *const *inputs, unsigned n, cap_packet_fn fn, void *ctx,
             struct cap_stats *st, volatile int *stop)
{
    struct cap_run_arg a = {fn, ctx, st, stop};
    unsigned i;
    int rc;

    for (i = 0; i < n && !*stop; i++) {
        rc = cap_each_file(inputs[i], cap_run_one, &a);
        if (rc < 0)
            return rc;
    }
    return 0;
}
