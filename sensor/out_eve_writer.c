/*
 * out_eve_writer.c - buffered line output to a regular file. A failed or
 * short write is counted and the buffer dropped: the sensor never stops
 * on a full disk.
 */
#include "out_eve_writer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int
eve_writer_open_fd(struct eve_writer *w)
{
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (w->append ? O_APPEND : O_TRUNC);

    w->fd = open(w->path, flags, 0640);
    return w->fd < 0 ? NIDS_EIO : 0;
}

int
eve_writer_open(struct eve_writer *w, const char *path, bool append)
{
    memset(w, 0, sizeof(*w));
    w->fd = -1;
    if (snprintf(w->path, sizeof(w->path), "%s", path) >= (int)sizeof(w->path))
        return NIDS_EINVAL;
    w->append = append;
    w->buf = malloc(EVE_WRITER_BUF);
    if (w->buf == NULL)
        return NIDS_ENOMEM;
    if (eve_writer_open_fd(w) < 0) {
        free(w->buf);
        w->buf = NULL;
        return NIDS_EIO;
    }
    return 0;
}

void
eve_writer_flush(struct eve_writer *w)
{
    size_t done = 0;

    while (done < w->len && w->fd >= 0) {
        ssize_t n = write(w->fd, w->buf + done, w->len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            w->write_errors++;
            break;
        }
        done += (size_t)n;
    }
    w->len = 0;
}

void
eve_writer_write(struct eve_writer *w, const char *data, size_t len)
{
    size_t done = 0;

    eve_writer_flush(w);
    while (done < len && w->fd >= 0) {
        ssize_t n = write(w->fd, data + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            w->write_errors++;
            break;
        }
        done += (size_t)n;
    }
}

void
eve_writer_put(struct eve_writer *w, const char *line, size_t len)
{
    if (w->buf == NULL)
        return;
    if (len + 1 > EVE_WRITER_BUF - w->len)
        eve_writer_flush(w);
    if (len + 1 > EVE_WRITER_BUF) {
        w->write_errors++;
        return;
    }
    memcpy(w->buf + w->len, line, len);
    w->len += len;
    w->buf[w->len++] = '\n';
}

void
eve_writers_flush(struct eve_writer *w, unsigned n)
{
    unsigned i;

    for (i = 0; i < n; i++)
        eve_writer_flush(&w[i]);
}

int
eve_writer_reopen(struct eve_writer *w)
{
    eve_writer_flush(w);
    if (w->fd >= 0)
        close(w->fd);
    /* After rotation the file is new: always append to what is there. */
    w->append = true;
    return eve_writer_open_fd(w);
}

void
eve_writer_close(struct eve_writer *w)
{
    eve_writer_flush(w);
    if (w->fd >= 0)
        close(w->fd);
    w->fd = -1;
    free(w->buf);
    w->buf = NULL;
}
