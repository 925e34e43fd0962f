/*
 * cap_live.h - live capture from one or more interfaces with libpcap:
 * promiscuous, snap length 262144, immediate mode, a configurable kernel
 * buffer and a BPF filter. One capture thread polls every handle.
 */
#ifndef CAP_LIVE_H
#define CAP_LIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "nids.h"
#include "pipeline.h"

#define CAP_LIVE_MAX_IFACES 8
#define CAP_LIVE_SNAPLEN    262144

struct cap_live_cfg {
    const char *ifaces[CAP_LIVE_MAX_IFACES];
    unsigned n_ifaces;
    const char *bpf;       /* NULL = everything */
    uint64_t buffer_size;  /* kernel buffer bytes, 0 = libpcap default */
    bool promisc;
};

struct cap_live;

/* Open and activate every interface (before privileges are dropped). */
struct cap_live *cap_live_open(const struct cap_live_cfg *cfg, char *err, size_t errlen);

/*
 * Capture until *stop: frames go to the pipeline; every second the kernel
 * counters (capture.kernel_packets, kernel_drops, kernel_ifdrops) are
 * refreshed and the pipeline is told the time. Capture thread.
 */
int cap_live_run(struct cap_live *cl, struct pipeline *pl, volatile int *stop) NIDS_MUST_CHECK;

void cap_live_close(struct cap_live *cl);

#endif /* CAP_LIVE_H */
