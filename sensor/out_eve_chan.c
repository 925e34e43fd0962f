/*
 * out_eve_chan.c - chunked record channel between a worker and the
 * writer thread. Both rings hold every chunk at most once, so they are
 * sized to the chunk count and never overflow.
 */
#include "out_eve_chan.h"

#include <string.h>
#include <time.h>

int
eve_chan_init(struct eve_chan *ch, uint32_t n_chunks)
{
    uint32_t i;

    memset(ch, 0, sizeof(*ch));
    ch->chunks = calloc(n_chunks, sizeof(struct eve_chunk));
    ch->to_writer = ring_create(n_chunks);
    ch->to_worker = ring_create(n_chunks);
    if (ch->chunks == NULL || ch->to_writer == NULL || ch->to_worker == NULL) {
        eve_chan_fini(ch);
        return NIDS_ENOMEM;
    }
    ch->n_chunks = n_chunks;
    for (i = 0; i < n_chunks; i++) {
        void *c = &ch->chunks[i];
        (void)ring_enqueue_burst(ch->to_worker, &c, 1);
    }
    return 0;
}

void
eve_chan_fini(struct eve_chan *ch)
{
    ring_destroy(ch->to_writer);
    ring_destroy(ch->to_worker);
    free(ch->chunks);
    memset(ch, 0, sizeof(*ch));
}

/* Waits for an empty chunk from the writer: spin, then short sleeps. */
static struct eve_chunk *
eve_chan_get_empty(struct eve_chan *ch)
{
    void *c = NULL;
    unsigned spins = 0;

    while (ring_dequeue_burst(ch->to_worker, &c, 1) == 0) {
        if (spins++ == 0)
            ch->waits++;
        if (spins > 64) {
            struct timespec ts = {0, 50000};
            nanosleep(&ts, NULL);
        }
    }
    return c;
}

static void
eve_chan_ship(struct eve_chan *ch, unsigned idx)
{
    void *c = ch->cur[idx];

    ch->cur[idx] = NULL;
    /* Never full: the ring has room for every chunk. */
    (void)ring_enqueue_burst(ch->to_writer, &c, 1);
}

/* Room for need bytes in stream idx's current chunk, shipping a full one. */
static struct eve_chunk *
eve_chan_room(struct eve_chan *ch, unsigned idx, size_t need)
{
    struct eve_chunk *c = ch->cur[idx];

    if (c != NULL && need > EVE_CHUNK_SIZE - c->len) {
        eve_chan_ship(ch, idx);
        c = NULL;
    }
    if (c == NULL) {
        c = eve_chan_get_empty(ch);
        c->len = 0;
        c->out_idx = (uint8_t)idx;
        ch->cur[idx] = c;
    }
    return c;
}

void
eve_chan_put(struct eve_chan *ch, unsigned idx, const char *line, size_t len)
{
    struct eve_chunk *c;

    if (len + 1 > EVE_CHUNK_SIZE)
        return;
    c = eve_chan_room(ch, idx, len + 1);
    memcpy(c->data + c->len, line, len);
    c->len += (uint32_t)len;
    c->data[c->len++] = '\n';
}

void
eve_chan_put_raw(struct eve_chan *ch, unsigned idx, const void *data, size_t len)
{
    struct eve_chunk *c;

    if (len > EVE_CHUNK_SIZE)
        return;
    c = eve_chan_room(ch, idx, len);
    memcpy(c->data + c->len, data, len);
    c->len += (uint32_t)len;
}

void
eve_chan_flush(struct eve_chan *ch)
{
    unsigned i;

    for (i = 0; i <= EVE_MAX_OUTPUTS; i++)
        if (ch->cur[i] != NULL && ch->cur[i]->len > 0)
            eve_chan_ship(ch, i);
}

struct eve_chunk *
eve_chan_take(struct eve_chan *ch)
{
    void *c = NULL;

    return ring_dequeue_burst(ch->to_writer, &c, 1) ? c : NULL;
}

void
eve_chan_give_back(struct eve_chan *ch, struct eve_chunk *c)
{
    void *p = c;

    (void)ring_enqueue_burst(ch->to_worker, &p, 1);
}
