/*
 * onefile.c - replay fuzz inputs through LLVMFuzzerTestOneInput without
 * libFuzzer, for CI (`make fuzz-replay`) and for reproducing a crash
 * under a debugger. After libpcap's testprogs/fuzz/onefile.c.
 *
 *   replay_<target> PATH...
 *
 * Each PATH is a file (one input) or a directory, whose regular files
 * are replayed in name order (subdirectories too, down to
 * ONEFILE_MAX_DEPTH; dot files are skipped). Every input is read into a
 * heap buffer of exactly its size. Prints `onefile: N inputs ran` and
 * exits 0; a missing or unreadable path exits 1; a bug aborts through the
 * sanitizers as it would under libFuzzer.
 */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ONEFILE_MAX_DEPTH 4
#define ONEFILE_MAX_SIZE  (16u << 20) /* larger files are not fuzz inputs */

static unsigned long onefile_ran;

/* Replay one file. Returns 0 or -1 (reported). */
static int
onefile_run_file(const char *path)
{
    FILE *f;
    uint8_t *buf;
    long len;
    size_t got;

    f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "onefile: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fprintf(stderr, "onefile: %s: cannot size the file\n", path);
        fclose(f);
        return -1;
    }
    if ((unsigned long)len > ONEFILE_MAX_SIZE) {
        fprintf(stderr, "onefile: %s: %ld bytes, more than %u: skipped\n", path, len,
                ONEFILE_MAX_SIZE);
        fclose(f);
        return 0;
    }
    /* Exact size, so the target's over-reads hit ASan's redzone. */
    buf = malloc(len > 0 ? (size_t)len : 1);
    if (buf == NULL) {
        fprintf(stderr, "onefile: %s: out of memory\n", path);
        fclose(f);
        return -1;
    }
    got = fread(buf, 1, (size_t)len, f);
    fclose(f);
    if (got != (size_t)len) {
        fprintf(stderr, "onefile: %s: short read\n", path);
        free(buf);
        return -1;
    }
    (void)LLVMFuzzerTestOneInput(buf, got);
    free(buf);
    onefile_ran++;
    return 0;
}

static int onefile_run_path(const char *path, unsigned depth);

static int
onefile_skip_dot(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

/* Replay every entry of a directory in name order. */
static int
onefile_run_dir(const char *path, unsigned depth)
{
    struct dirent **ents;
    char sub[4096];
    int i, n, rc = 0;

    n = scandir(path, &ents, onefile_skip_dot, alphasort);
    if (n < 0) {
        fprintf(stderr, "onefile: %s: %s\n", path, strerror(errno));
        return -1;
    }
    for (i = 0; i < n; i++) {
        if (snprintf(sub, sizeof(sub), "%s/%s", path, ents[i]->d_name) >= (int)sizeof(sub)) {
            fprintf(stderr, "onefile: %s/%s: path too long\n", path, ents[i]->d_name);
            rc = -1;
        } else if (onefile_run_path(sub, depth + 1) < 0) {
            rc = -1;
        }
        free(ents[i]);
    }
    free(ents);
    return rc;
}

static int
onefile_run_path(const char *path, unsigned depth)
{
    struct stat st;

    if (stat(path, &st) != 0) {
        fprintf(stderr, "onefile: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        if (depth >= ONEFILE_MAX_DEPTH) {
            fprintf(stderr, "onefile: %s: deeper than %u levels: skipped\n", path,
                    ONEFILE_MAX_DEPTH);
            return 0;
        }
        return onefile_run_dir(path, depth);
    }
    if (!S_ISREG(st.st_mode))
        return 0;
    return onefile_run_file(path);
}

int
main(int argc, char **argv)
{
    int i, rc = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
        return 2;
    }
    for (i = 1; i < argc; i++)
        if (onefile_run_path(argv[i], 0) < 0)
            rc = 1;
    printf("onefile: %lu inputs ran\n", onefile_ran);
    fflush(stdout);
    return rc;
}
