/*
 * log.h - start-up and shutdown messages on stderr, and the one place that
 * exits on a fatal error. The packet path never logs (counters instead).
 */
#ifndef LOG_H
#define LOG_H

#include <stdbool.h>

/* 0 = warnings and errors only, 1 = info (-v), 2 = debug (-vv). */
extern int log_verbosity;

/* Print "sensor: error: ..." and exit(1). Start-up and config only. */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* LOG_H */
