/*
 * out_eve_writer.h - one EVE file: an fd and a write buffer, so records
 * are written in batches, and reopen for log rotation.
 */
#ifndef OUT_EVE_WRITER_H
#define OUT_EVE_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nids.h"

#define EVE_WRITER_BUF (1u << 20)

struct eve_writer {
    int fd;
    bool append;
    char path[4096];
    char *buf;
    size_t len;
    uint64_t write_errors;
};

/* Open path (append or truncate) and allocate the buffer. Start-up. */
int eve_writer_open(struct eve_writer *w, const char *path, bool append) NIDS_MUST_CHECK;
/* Buffer one line (a newline is added); flushes when the buffer is full. */
void eve_writer_put(struct eve_writer *w, const char *line, size_t len);
void eve_writer_flush(struct eve_writer *w);
/* Write a block of whole lines as it is (after what is buffered). */
void eve_writer_write(struct eve_writer *w, const char *data, size_t len);
/* Flush n writers. */
void eve_writers_flush(struct eve_writer *w, unsigned n);
int eve_writer_reopen(struct eve_writer *w) NIDS_MUST_CHECK;
void eve_writer_close(struct eve_writer *w);

#endif /* OUT_EVE_WRITER_H */
