/*
 * eve_fixture.h - a temporary EVE file for unit tests, shared by the
 * app-layer suites (test_dns.c, test_dns_tcp.c, test_http.c,
 * test_smtp.c).
 *
 * Offers struct eve_fx (a struct eve with one output written by an
 * eve_writer to a mkstemp file in /tmp) and eve_fx_open to set it up;
 * readers that flush and read the file back: the whole file or only what
 * came since the last such read, into a text buffer of the size given to
 * eve_fx_open, or the whole file as a heap string; eve_fx_count to count
 * substrings of the text; eve_fx_close to close and unlink the file.
 * Header-only: static inline functions, so a suite that uses only some of
 * them still builds with -Werror. Include it after <cmocka.h> (the
 * readers assert).
 */
#ifndef EVE_FIXTURE_H
#define EVE_FIXTURE_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "out_eve.h"
#include "out_eve_writer.h"

struct eve_fx {
    struct eve e;
    struct eve_writer w;
    char path[64];
    char *text; /* text_cap bytes for eve_fx_read and eve_fx_read_new, or NULL */
    size_t text_cap;
    long read_off; /* where the next eve_fx_read_new starts */
};

/*
 * Zero fx, create /tmp/<name>.XXXXXX and an eve with one output writing
 * to it, with event type `type` and applayer anomalies enabled; other
 * options are the caller's to set. text_cap: the size of the buffer the
 * text is read into by eve_fx_read and eve_fx_read_new (0: none, for
 * eve_fx_read_all only). Returns 0, or -1 on failure.
 */
static inline int
eve_fx_open(struct eve_fx *fx, const char *name, enum eve_type type, size_t text_cap)
{
    int fd;

    memset(fx, 0, sizeof(*fx));
    if (eve_init(&fx->e) < 0)
        return -1;
    if (text_cap > 0) {
        fx->text = malloc(text_cap);
        if (fx->text == NULL)
            return -1;
        fx->text_cap = text_cap;
    }
    snprintf(fx->path, sizeof(fx->path), "/tmp/%s.XXXXXX", name);
    fd = mkstemp(fx->path);
    if (fd < 0)
        return -1;
    close(fd);
    if (eve_writer_open(&fx->w, fx->path, false) < 0)
        return -1;
    fx->e.writers = &fx->w;
    fx->e.n_out = 1;
    fx->e.out[0].types[type] = true;
    fx->e.out[0].types[EVE_TYPE_ANOMALY] = true;
    fx->e.out[0].anomaly_applayer = true;
    return 0;
}

/* Flush, then read the file from byte `from` into fx->text, NUL-terminated; the bytes read. */
static inline size_t
eve_fx_read_at(struct eve_fx *fx, long from)
{
    FILE *fp;
    size_t n;

    assert_non_null(fx->text);
    eve_writer_flush(&fx->w);
    fp = fopen(fx->path, "r");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, from, SEEK_SET), 0);
    n = fread(fx->text, 1, fx->text_cap - 1, fp);
    fclose(fp);
    fx->text[n] = '\0';
    return n;
}

/* The EVE text so far (at most text_cap - 1 bytes); valid until the next read or close. */
static inline const char *
eve_fx_read(struct eve_fx *fx)
{
    eve_fx_read_at(fx, 0);
    return fx->text;
}

/* The EVE text written since the last call (at most text_cap - 1 bytes), as eve_fx_read. */
static inline const char *
eve_fx_read_new(struct eve_fx *fx)
{
    fx->read_off += (long)eve_fx_read_at(fx, fx->read_off);
    return fx->text;
}

/* Flush, then the whole EVE text (heap, caller frees). */
static inline char *
eve_fx_read_all(struct eve_fx *fx)
{
    FILE *fp;
    long n;
    char *text;

    eve_writer_flush(&fx->w);
    fp = fopen(fx->path, "r");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    text = malloc((size_t)n + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)n, fp), (size_t)n);
    text[n] = '\0';
    fclose(fp);
    return text;
}

/* Close the writer, remove the file, free the eve's buffer and the text buffer. */
static inline void
eve_fx_close(struct eve_fx *fx)
{
    eve_writer_close(&fx->w);
    unlink(fx->path);
    eve_fini(&fx->e);
    free(fx->text);
    fx->text = NULL;
}

/* Occurrences of needle in text, overlapping ones included. */
static inline unsigned
eve_fx_count(const char *text, const char *needle)
{
    unsigned n = 0;

    for (; (text = strstr(text, needle)) != NULL; text++)
        n++;
    return n;
}

#endif /* EVE_FIXTURE_H */
