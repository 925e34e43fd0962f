/*
 * flow_tcp.h - TCP session state from flags, the light tracking the flow
 * table needs (state names, flow state, flags per direction, reuse).
 * Sequence-level tracking and reassembly live in tcp_stream.c.
 */
#ifndef FLOW_TCP_H
#define FLOW_TCP_H

#include <stdbool.h>
#include <stdint.h>

#include "flow.h"

/*
 * Update f's TCP state and counters with packet p going in direction dir.
 * max_syn_queued: stream.max-syn-queued (SYNs with a new ISN before the
 * SYN/ACK that are not yet a 3whs_syn_flood event).
 */
void flow_tcp_update(struct flow *f, struct pkt *p, int dir, uint64_t *ctr, bool midstream,
                     bool async_oneside, uint8_t max_syn_queued);

/* True when p is a new SYN on a flow whose session is over (port reuse). */
bool flow_tcp_is_reuse(const struct flow *f, const struct pkt *p);

#endif /* FLOW_TCP_H */
