/*
 * pipeline.h - the run modes and the threads that carry packets from
 * capture to output.
 *
 * single:  one thread decodes, tracks and writes (output identical run
 *          to run).
 * workers: the capture thread hashes each frame to one of N workers over
 *          an SPSC ring; each worker owns its flows and formats EVE
 *          records into chunks for the writer thread, which owns the
 *          files and writes the stats records. Buffers return to capture
 *          over a return ring per worker: no allocation, lock or syscall
 *          per packet outside capture.
 */
#ifndef PIPELINE_H
#define PIPELINE_H

#include <stdbool.h>
#include <stdint.h>

#include "cfg_apply.h"
#include "nids.h"

struct pipeline;
struct sig_db;

/*
 * Rule reload: builds the new rule set (reload thread). *out: the set, or
 * NULL when there are no rules (detection off). < 0: it could not be
 * built (reason logged); the running set stays.
 */
typedef int (*pipeline_rules_fn)(void *ctx, struct sig_db **out);

struct pipeline_cfg {
    const struct sensor_settings *set;
    const char *logdir;
    unsigned n_workers; /* 0 = single run mode */
    bool live;          /* drop on a full ring instead of waiting */
    /* The set in set->wrk.sigs (or NULL): the pipeline owns it from here on. */
    struct sig_db *rules;
    pipeline_rules_fn load_rules; /* NULL: no reload */
    void *load_rules_ctx;
};

/* Open outputs, allocate and start the threads (start-up). NULL on failure, with a message. */
struct pipeline *pipeline_create(const struct pipeline_cfg *cfg);

/*
 * Capture thread: one captured frame. A frame of a reader's region
 * (0 <= region < PIPE_REGIONS) stays readable until pipeline_sync for
 * that region and goes to a worker without a copy; region < 0: copied.
 */
#define PIPE_REGIONS 64
void pipeline_packet(struct pipeline *pl, const uint8_t *data, uint32_t caplen, uint32_t wirelen,
                     uint64_t ts_us, int linktype, int region);

/* Capture thread: returns once workers hold no frame of region (-1: no frame at all). */
void pipeline_sync(struct pipeline *pl, int region);

/* Capture thread, live: no packet for a while (hand staged packets to workers). */
void pipeline_idle(struct pipeline *pl, uint64_t now_us);

/* Capture thread: add to a capture counter (capture.*). */
void pipeline_count(struct pipeline *pl, unsigned stat_id, uint64_t n);

/* Capture thread: set a capture counter to an absolute value (kernel stats). */
void pipeline_count_set(struct pipeline *pl, unsigned stat_id, uint64_t v);

/* Any thread (signal-safe flag): reopen the log files. */
void pipeline_request_reopen(struct pipeline *pl);

/*
 * Any thread (sem_post: signal-safe): reload the rules. The reload thread
 * builds the new set and one detection context per worker beside the
 * running ones; each worker switches between two packets, carrying its
 * flows' detection state over (sig_thread_adopt), and the old contexts
 * and set are freed once every worker has switched. Workers never wait.
 */
void pipeline_request_reload(struct pipeline *pl);

/* Any thread: reloads finished (every worker switched) and reloads that failed so far. */
void pipeline_reload_count(struct pipeline *pl, unsigned *done, unsigned *failed);

/* End of input: flush every flow, write the final stats, stop the threads. */
void pipeline_finish(struct pipeline *pl);

/* Totals after pipeline_finish (for the closing log line). */
void pipeline_totals(struct pipeline *pl, uint64_t *pkts, uint64_t *flows, uint64_t *records);

void pipeline_destroy(struct pipeline *pl);

#endif /* PIPELINE_H */
