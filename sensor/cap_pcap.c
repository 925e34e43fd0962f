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
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

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
    cap_sync_fn sync;
    void *ctx;
    struct cap_stats *st;
    volatile int *stop;
    int linktype;
    uint8_t *block;  /* cap_run_block's blocks, CAP_REGIONS x CAP_BLOCK bytes */
    unsigned region; /* the block being read */
};

static void
cap_on_record(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
    struct cap_run_arg *a = (struct cap_run_arg *)(void *)user;
    uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec;

    a->st->packets++;
    a->fn(a->ctx, data, h->caplen, h->len, ts, a->linktype, -1);
}

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

/* Classic pcap file header fields (pcap-savefile(5)). */
struct cap_file_hdr {
    bool swap;  /* written on a machine of the other byte order */
    bool nsec;  /* nanosecond timestamps */
    int linktype;
};

static uint32_t
cap_u32(const uint8_t *b, bool swap)
{
    return swap ? (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3]
                : (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0];
}

/* Reads the 24-byte global header; false when not a classic pcap file. */
static bool
cap_file_hdr_parse(const uint8_t *b, size_t len, struct cap_file_hdr *h)
{
    uint32_t magic;

    if (len < 24)
        return false;
    magic = cap_u32(b, false);
    switch (magic) {
    case 0xa1b2c3d4:
    case 0xa1b23c4d:
        h->swap = false;
        break;
    case 0xd4c3b2a1:
    case 0x4d3cb2a1:
        h->swap = true;
        magic = cap_u32(b, true);
        break;
    default:
        return false;
    }
    h->nsec = magic == 0xa1b23c4d;
    /* The upper bits of the link type field carry FCS information. */
    h->linktype = (int)(cap_u32(b + 20, h->swap) & 0x03ffffff);
    return true;
}

#define CAP_MAX_CAPLEN 262144u

/*
 * Classic pcap files are read with read(2) into CAP_REGIONS blocks used in
 * turn, and the frames handed over in place: a block is refilled only after
 * the sink's sync says it holds none of its frames. A mapped file would
 * cost a page fault, or on a virtual machine a page-table fill, for every
 * 4 KiB on first touch: on a 2-vCPU VM that was half the capture thread's
 * time; blocks that stay mapped cost one copy by the kernel.
 */
#define CAP_BLOCK (4u << 20) /* > 16 + CAP_MAX_CAPLEN: a whole record always fits */

/* Fills buf[*have..CAP_BLOCK) from fd; 0 at end of file, -1 on error. */
static ssize_t
cap_block_fill(int fd, uint8_t *buf, size_t *have)
{
    ssize_t r;

    do
        r = read(fd, buf + *have, CAP_BLOCK - *have);
    while (r < 0 && errno == EINTR);
    if (r > 0)
        *have += (size_t)r;
    return r;
}

/*
 * Walks the records of a classic pcap file from its first record on.
 * Returns false when the file ended inside a record or a record was
 * impossible (libpcap stops at the same places).
 */
static bool
cap_block_records(struct cap_run_arg *a, int fd, const struct cap_file_hdr *h, const char **why)
{
    size_t have = 0, pos = 0;
    unsigned cur = a->region;
    uint8_t *buf = a->block + (size_t)cur * CAP_BLOCK;
    ssize_t r;

    while (!*a->stop) {
        while (have - pos >= 16 && !*a->stop) {
            const uint8_t *rec = buf + pos;
            uint32_t sec = cap_u32(rec, h->swap);
            uint32_t frac = cap_u32(rec + 4, h->swap);
            uint32_t caplen = cap_u32(rec + 8, h->swap);
            uint32_t wirelen = cap_u32(rec + 12, h->swap);
            if (caplen > CAP_MAX_CAPLEN) {
                *why = "invalid packet capture length, bigger than the maximum of 262144";
                return false;
            }
            if (caplen > have - pos - 16)
                break; /* the rest of it is in the next block */
            uint64_t ts = (uint64_t)sec * 1000000u + (h->nsec ? frac / 1000u : frac);
            a->st->packets++;
            a->fn(a->ctx, rec + 16, caplen, wirelen, ts, h->linktype, (int)cur);
            pos += 16 + (size_t)caplen;
        }
        /* The next block, once the sink is done with its frames; the record
         * cut at the end of this one moves to its start. */
        unsigned next = (cur + 1) % CAP_REGIONS;
        uint8_t *nbuf = a->block + (size_t)next * CAP_BLOCK;
        a->sync(a->ctx, (int)next);
        memcpy(nbuf, buf + pos, have - pos);
        have -= pos;
        pos = 0;
        cur = next;
        buf = nbuf;
        a->region = cur;
        r = cap_block_fill(fd, buf, &have);
        if (r < 0) {
            *why = strerror(errno);
            return false;
        }
        if (r == 0)
            break;
    }
    if (*a->stop || have == 0)
        return true;
    *why = have < 16 ? "truncated dump file; the last record header is cut"
                     : "truncated dump file; the last packet is cut";
    return false;
}

/*
 * Reads a classic pcap file with cap_block_records. Returns 1 when done,
 * 0 when the file is not one this reader takes (pcapng and anything else
 * libpcap reads), negative on error.
 */
static int
cap_run_block(const char *path, struct cap_run_arg *a)
{
    struct cap_file_hdr h;
    struct stat sb;
    const char *why = NULL;
    uint8_t hdr[24];
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
        pread(fd, hdr, sizeof(hdr), 0) != (ssize_t)sizeof(hdr) ||
        !cap_file_hdr_parse(hdr, sizeof(hdr), &h) || !dec_linktype_is_supported(h.linktype)) {
        if (fd >= 0)
            close(fd);
        return 0;
    }
    if (a->block == NULL) {
        /* Huge pages where the kernel has them: the blocks are touched all the time. */
        a->block = aligned_alloc(2u << 20, (size_t)CAP_REGIONS * CAP_BLOCK);
        if (a->block == NULL) {
            close(fd);
            return 0; /* libpcap reads it with its own buffer */
        }
        (void)madvise(a->block, (size_t)CAP_REGIONS * CAP_BLOCK, MADV_HUGEPAGE);
    }
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    if (lseek(fd, sizeof(hdr), SEEK_SET) < 0) {
        close(fd);
        return 0;
    }
    a->st->files++;
    log_info("reading %s (link type %d)", path, h.linktype);
    if (!cap_block_records(a, fd, &h, &why)) {
        log_warn("%s: %s; processed the %llu packets before it", path, why,
                 (unsigned long long)a->st->packets);
        a->st->truncated_files++;
    }
    close(fd);
    return 1;
}

static int
cap_run_one(const char *path, void *arg)
{
    char *iobuf;
    struct cap_run_arg *a = arg;
    char ebuf[PCAP_ERRBUF_SIZE];
    pcap_t *pc;
    int rc = 0;

    rc = cap_run_block(path, a);
    if (rc != 0)
        return rc < 0 ? rc : 0;
    pc = cap_open_file(path, &iobuf, ebuf);
    if (pc == NULL) {
        log_error("%s: %s", path, ebuf);
        return NIDS_EIO;
    }
    a->linktype = pcap_datalink(pc);
    a->st->files++;
    log_info("reading %s (link type %d)", path, a->linktype);
    /* pcap_dispatch hands records straight to the callback (pcap_next_ex
     * copies each header once more); batches keep stop requests prompt. */
    while (!*a->stop && (rc = pcap_dispatch(pc, 1024, cap_on_record, (u_char *)a)) > 0)
        ;
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
cap_pcap_run(const char *const *inputs, unsigned n, cap_packet_fn fn, cap_sync_fn sync, void *ctx,
             struct cap_stats *st, volatile int *stop)
{
    struct cap_run_arg a = {fn, sync, ctx, st, stop, 0, NULL, 0};
    unsigned i;
    int rc = 0;

    for (i = 0; i < n && !*stop && rc >= 0; i++)
        rc = cap_each_file(inputs[i], cap_run_one, &a);
    /* The sink lets go of every frame before the blocks go. */
    sync(ctx, -1);
    free(a.block);
    return rc < 0 ? rc : 0;
}
