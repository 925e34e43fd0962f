/*
 * log.c - stderr messages for start-up, configuration and shutdown.
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "nids.h"

int log_verbosity;
uint64_t nids_bug_count;

static void log_vprint(const char *level, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void
log_vprint(const char *level, const char *fmt, va_list ap)
{
    fprintf(stderr, "sensor: %s", level);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void
die(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_vprint("error: ", fmt, ap);
    va_end(ap);
    exit(1);
}

void
log_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_vprint("error: ", fmt, ap);
    va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_vprint("warning: ", fmt, ap);
    va_end(ap);
}

void
log_info(const char *fmt, ...)
{
    va_list ap;

    if (log_verbosity < 1)
        return;
    va_start(ap, fmt);
    log_vprint("", fmt, ap);
    va_end(ap);
}
