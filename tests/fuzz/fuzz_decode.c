/*
 * fuzz_decode.c - libFuzzer target for the whole per-packet path of a
 * worker: link-layer dispatch, every decoder, defrag, the flow table and
 * its timeouts, and the EVE formatters (flow, netflow, anomaly, stats);
 * plus the capture thread's dispatch hash (dec_dispatch_hash) on the
 * same frame.
 *
 * Input layout:
 *
 *   0      1                                   size
 *   +------+-----------------------------------+
 *   | ctl  | frame (link layer first)          |
 *   +------+-----------------------------------+
 *
 *   ctl & 0x7f, modulo the table size, picks the link type from
 *   fuzz_linktypes[] (0 = Ethernet, see tests/fuzz/mkcorpus);
 *   ctl & 0x80 turns on checksum validation (-k all) for this frame.
 *
 * The frame is copied into a heap buffer of exactly its size, so ASan
 * reports any read past the captured length. One static worker lives for
 * the whole run: flows and fragment trackers carry over between inputs,
 * as they do between packets of a capture. Its memcaps are small (flow
 * 8 KiB, about 50 flows; defrag 1 MiB, 64 trackers, 256 fragments) so
 * that the memcap, emergency and eviction paths are reached within a few
 * hundred inputs. Capture time advances by FUZZ_TS_STEP_US per input and
 * jumps FUZZ_TS_JUMP_US every FUZZ_JUMP_EVERY inputs, so every flow and
 * defrag timeout fires; every FUZZ_FLUSH_EVERY inputs every flow
 * is flushed (the end-of-input path) and a stats record is written.
 * Records go to /dev/null through the normal writer (struct eve's
 * writers[], the single-threaded sink; no channel).
 *
 * Oracles besides ASan/UBSan: NIDS_BUG_ON aborts in this build
 * (FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION); a record dropped as
 * malformed JSON aborts (records here are far below EVE_RECORD_MAX, so a
 * drop means a formatter broke the json.c sequence rules); a flush that
 * leaves a flow in the table aborts.
 *
 * Because state carries over, a crash found by the fuzzer may need the
 * inputs before it; libFuzzer's crash file alone reproduces most of them
 * (`build/fuzz/replay_decode FILE`).
 */
#include "fuzz.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "defrag.h"
#include "flow.h"
#include "out_eve.h"
#include "out_eve_writer.h"
#include "stats.h"
#include "wrk.h"

#define FUZZ_TS_START_US (1700000000ull * 1000000u)
#define FUZZ_TS_STEP_US  100000u           /* 100 ms of capture time per input */
#define FUZZ_TS_JUMP_US  (301u * 1000000u) /* past every flow timeout (300 s) */
#define FUZZ_JUMP_EVERY  250u
#define FUZZ_FLUSH_EVERY 1000u

static const int fuzz_linktypes[] = {
        DEC_DLT_EN10MB, DEC_DLT_RAW,  DEC_DLT_RAW_ALT, DEC_DLT_IPV4, DEC_DLT_IPV6,
        DEC_DLT_NULL,   DEC_DLT_LOOP, DEC_DLT_SLL,     DEC_DLT_SLL2,
};

/* Keeps the dispatch hash from being optimised away. */
static volatile uint32_t fuzz_hash_sink;

static struct fuzz_state {
    bool ready;
    struct wrk w;
    struct eve eve;
    struct eve_writer out; /* the one file: /dev/null */
    uint64_t ts_us;
    uint64_t n_inputs;
} fuzz;

static void
fuzz_fail(const char *what)
{
    fprintf(stderr, "fuzz_decode: %s\n", what);
    abort();
}

/* End of a batch (and of the run): flush every flow, then a stats record. */
static void
fuzz_flush(void)
{
    wrk_shutdown(&fuzz.w);
    if (fuzz.w.ft.in_use != 0)
        fuzz_fail("flows left in the table after wrk_shutdown");
    eve_emit_stats(&fuzz.eve, fuzz.w.ctr, NULL, fuzz.w.now_us, fuzz.n_inputs);
    if (fuzz.eve.dropped != 0)
        fuzz_fail("an EVE record was dropped: a formatter wrote malformed JSON");
    eve_writer_flush(&fuzz.out);
}

static void
fuzz_at_exit(void)
{
    if (fuzz.ready)
        fuzz_flush();
}

static void
fuzz_setup(void)
{
    struct eve_output *o;
    struct wrk_config cfg;

    memset(&cfg, 0, sizeof(cfg));
    flow_config_defaults(&cfg.flow);
    /* About 50 flows in 16 buckets: new flows live 300 inputs (30 s), so
     * the memcap, emergency mode, eviction and long hash chains are all
     * reached within a batch. */
    cfg.flow.memcap = 8u * 1024u;
    cfg.flow.hash_size = 16;
    cfg.flow.seed = 1; /* fixed, so runs repeat */
    cfg.flow.midstream = true;
    defrag_config_defaults(&cfg.defrag);
    cfg.defrag.memcap = 1u << 20;
    cfg.defrag.trackers = 64;
    cfg.defrag.max_frags = 256;

    stats_layout_init(&stats_layout, true, true);
    if (eve_init(&fuzz.eve) < 0)
        fuzz_fail("eve_init failed");
    if (eve_writer_open(&fuzz.out, "/dev/null", false) < 0)
        fuzz_fail("cannot open /dev/null for EVE");
    fuzz.eve.writers = &fuzz.out; /* records go straight to the file, no channel */
    o = &fuzz.eve.out[0];
    memset(o, 0, sizeof(*o));
    o->types[EVE_TYPE_FLOW] = true;
    o->types[EVE_TYPE_NETFLOW] = true;
    o->types[EVE_TYPE_ANOMALY] = true;
    o->types[EVE_TYPE_STATS] = true;
    o->anomaly_decode = true;
    o->anomaly_stream = true;
    o->stats_totals = true;
    o->community_id = true;
    fuzz.eve.n_out = 1;
    if (wrk_init(&fuzz.w, &cfg, &fuzz.eve) < 0)
        fuzz_fail("wrk_init failed");
    fuzz.ts_us = FUZZ_TS_START_US;
    fuzz.ready = true;
    atexit(fuzz_at_exit);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *frame;
    uint32_t len;
    uint8_t ctl;
    int linktype;

    if (size == 0 || size - 1 > UINT32_MAX)
        return 0;
    if (!fuzz.ready)
        fuzz_setup();
    ctl = data[0];
    len = (uint32_t)(size - 1);
    /* Exact size, so ASan sees a read one byte past the frame. malloc(0)
     * gives a pointer with no accessible bytes, which is what we want. */
    frame = malloc(len);
    if (frame == NULL)
        return 0;
    if (len > 0)
        memcpy(frame, data + 1, len);

    linktype = fuzz_linktypes[(ctl & 0x7fu) % NIDS_ARRAY_LEN(fuzz_linktypes)];
    fuzz.w.csum_check = (ctl & 0x80) != 0;
    fuzz.n_inputs++;
    fuzz.ts_us += fuzz.n_inputs % FUZZ_JUMP_EVERY == 0 ? FUZZ_TS_JUMP_US : FUZZ_TS_STEP_US;
    /* The capture thread's worker choice reads the same hostile bytes. */
    fuzz_hash_sink ^= dec_dispatch_hash(frame, len, linktype);
    wrk_packet(&fuzz.w, frame, len, len, fuzz.ts_us, linktype, fuzz.n_inputs);
    free(frame);
    if (fuzz.eve.dropped != 0)
        fuzz_fail("an EVE record was dropped: a formatter wrote malformed JSON");
    if (fuzz.n_inputs % FUZZ_FLUSH_EVERY == 0)
        fuzz_flush();
    return 0;
}
