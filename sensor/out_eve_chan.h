/*
 * out_eve_chan.h - the channel from one worker to the EVE writer thread.
 *
 * A worker appends whole records to a chunk per output; a full chunk (or
 * every chunk at a flush) goes to the writer over an SPSC ring, and the
 * writer hands it back empty over a second ring. Chunks are preallocated:
 * no allocation, lock or syscall on the worker side, which only waits
 * (back-pressure) when the writer has every chunk.
 */
#ifndef OUT_EVE_CHAN_H
#define OUT_EVE_CHAN_H

#include <stddef.h>
#include <stdint.h>

#include "nids.h"
#include "out_eve.h"
#include "ring.h"

#define EVE_CHUNK_SIZE  (EVE_RECORD_MAX + 4096u)
#define EVE_CHAN_CHUNKS 32
/* Stream index of flow export records (struct ipfix_flow_rec, back to back). */
#define EVE_CHAN_EXPORT EVE_MAX_OUTPUTS

struct eve_chunk {
    uint32_t len;
    uint8_t out_idx;
    char data[EVE_CHUNK_SIZE];
};

struct eve_chan {
    struct ring *to_writer; /* filled chunks, worker -> writer */
    struct ring *to_worker; /* empty chunks, writer -> worker */
    struct eve_chunk *cur[EVE_MAX_OUTPUTS + 1];
    struct eve_chunk *chunks;
    uint32_t n_chunks;
    uint64_t waits; /* times the worker waited for the writer */
};

/* Allocate n_chunks chunks and both rings (start-up). */
int eve_chan_init(struct eve_chan *ch, uint32_t n_chunks) NIDS_MUST_CHECK;
void eve_chan_fini(struct eve_chan *ch);

/* Worker: append one record (a newline is added) for output idx. */
void eve_chan_put(struct eve_chan *ch, unsigned idx, const char *line, size_t len);
/* Worker: append len bytes as they are to stream idx (EVE_CHAN_EXPORT records). */
void eve_chan_put_raw(struct eve_chan *ch, unsigned idx, const void *data, size_t len);
/* Worker: hand every partly filled chunk to the writer. */
void eve_chan_flush(struct eve_chan *ch);

/* Writer: the next filled chunk, or NULL. */
struct eve_chunk *eve_chan_take(struct eve_chan *ch);
/* Writer: give an emptied chunk back to the worker. */
void eve_chan_give_back(struct eve_chan *ch, struct eve_chunk *c);

#endif /* OUT_EVE_CHAN_H */
