/*
 * cap_pcap.h - offline capture: reads pcap/pcapng files (or every capture
 * in a directory, by name) with libpcap and hands each frame to a
 * callback. libpcap is used only here.
 */
#ifndef CAP_PCAP_H
#define CAP_PCAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nids.h"

/*
 * One frame. Classic pcap files are read into CAP_REGIONS blocks used in
 * turn: a frame with region >= 0 stays readable until the sink's sync call
 * for that region, so the sink may keep it without a copy. With region < 0
 * the data is valid only during the call and must be copied to be kept.
 */
#define CAP_REGIONS 8
typedef void (*cap_packet_fn)(void *ctx, const uint8_t *data, uint32_t caplen, uint32_t wirelen,
                              uint64_t ts_us, int linktype, int region);
/* region is about to be overwritten (-1: every region, the reader is done):
 * returns once the sink holds no frame of it. */
typedef void (*cap_sync_fn)(void *ctx, int region);

struct cap_stats {
    uint64_t files;
    uint64_t packets;
    uint64_t truncated_files; /* files that ended mid-record */
};

/*
 * Check that every input exists and opens as a capture with a supported
 * link type, before anything is processed. On failure writes a one-line
 * reason into err and returns NIDS_EINVAL / NIDS_EIO.
 */
int cap_pcap_check(const char *const *inputs, unsigned n, char *err, size_t errlen) NIDS_MUST_CHECK;

/*
 * Read every input in order, calling fn for each frame. Classic pcap files
 * are read into CAP_REGIONS blocks in turn and their frames handed over in
 * place (sync before a block is reused); pcapng goes through libpcap. A
 * file cut in the middle of a record is read up to the cut, warned about
 * and counted. *stop is polled between packets (signals). Returns 0 or a
 * negative error.
 */
int cap_pcap_run(const char *const *inputs, unsigned n, cap_packet_fn fn, cap_sync_fn sync,
                 void *ctx, struct cap_stats *st, volatile int *stop) NIDS_MUST_CHECK;

#endif /* CAP_PCAP_H */
