/*
 * pipeline.c - run modes, worker threads, the writer thread and the
 * capture-side dispatch.
 */
#include "pipeline.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "out_eve.h"
#include "out_eve_chan.h"
#include "pkt_pool.h"
#include "ipfix.h"
#include "ring.h"
#include "sig.h"
#include "stats.h"
#include "stats_snap.h"
#include "wrk.h"

#define PIPE_BURST       32
#define PIPE_RING_SLOTS  8192
#define PIPE_POOL_SMALL  16384
#define PIPE_POOL_LARGE  64
#define PIPE_PUBLISH_PKTS 4096

/*
 * Rule reload hand-over between the reload thread and one worker (the
 * capture thread in single mode): the reload thread builds the worker's
 * new detection context and offers it (release); the worker takes it
 * between packets and gives the old one back (release); the reload
 * thread frees it. The worker never waits.
 */
enum {
    PIPE_SWAP_IDLE,
    PIPE_SWAP_OFFERED,
    PIPE_SWAP_TAKEN
};

struct pipe_swap {
    struct sig_thread *next; /* offered: the new context (NULL: detection off) */
    struct sig_thread *old;  /* taken: the context replaced */
    _Atomic int state;       /* PIPE_SWAP_* */
};

struct pipe_worker {
    unsigned id;
    pthread_t tid;
    struct pipeline *pl;
    struct ring *in;  /* capture -> worker: struct pkt_buf * */
    struct ring *ret; /* worker -> capture: the same buffers back */
    struct wrk w;
    struct eve eve;
    struct eve_chan chan;
    struct stats_snap snap;
    _Atomic int done;
    struct pipe_swap swap;
    /* Capture-side staging for burst enqueue. */
    void *stage[PIPE_BURST];
    unsigned n_stage;
};

struct pipeline {
    const struct sensor_settings *set;
    unsigned n_workers;
    bool live;
    struct eve_writer writers[EVE_MAX_OUTPUTS];
    unsigned n_writers;
    struct eve eve_main; /* single mode: everything; workers mode: stats, in the writer thread */
    struct wrk single;
    struct pipe_worker *workers;
    struct pkt_pool pool;
    uint32_t region_held[PIPE_REGIONS]; /* frames of each reader region with workers */
    pthread_t writer_tid;
    bool writer_started;
    uint64_t cap_ctr[STAT_ID_COUNT];
    struct stats_snap cap_snap;
    uint64_t pcap_cnt;
    uint64_t now_us;
    uint64_t last_tick_s;
    _Atomic uint64_t now_pub;
    _Atomic int reopen;
    uint64_t start_wall, last_stats_wall;
    uint64_t totals[STAT_ID_COUNT];
    /* NetFlow/IPFIX exporters, owned by the writer thread (single: capture). */
    struct ipfix_exporter *exporters[IPFIX_MAX_COLLECTORS];
    unsigned n_exporters;
    uint64_t export_sent, export_errors;
    uint64_t last_export_flush;
    /* Rule reload (SIGUSR2): a thread of its own builds the new set. */
    struct pipe_swap single_swap;
    struct sig_db *rules;      /* the set the workers run (owned) */
    struct sig_db *rules_prev; /* the set replaced, until every worker let it go */
    pipeline_rules_fn load_rules;
    void *load_rules_ctx;
    sem_t reload_sem;
    bool reload_sem_init;
    _Atomic int reload_stop;
    _Atomic unsigned reloads_done, reloads_failed;
    pthread_t reload_tid;
    bool reload_started;
};

static uint64_t
pipe_wall_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec;
}

/* Idle back-off, outside the packet path: spin a little, then sleep briefly. */
static void
pipe_backoff(unsigned *spins)
{
    if (++*spins < 64) {
        __builtin_ia32_pause();
        return;
    }
    struct timespec ts = {0, 20000};
    nanosleep(&ts, NULL);
}

static void
pipe_eve_setup(struct eve *e, const struct sensor_settings *set)
{
    unsigned i, t;

    for (i = 0; i < set->n_eve; i++) {
        const struct eve_output_cfg *oc = &set->eve[i];
        struct eve_output *o = &e->out[i];
        memset(o, 0, sizeof(*o));
        for (t = 0; t < EVE_TYPE_COUNT; t++)
            o->types[t] = oc->types[t];
        if (!set->stats_enabled)
            o->types[EVE_TYPE_STATS] = false;
        o->anomaly_decode = oc->anomaly_decode;
        o->anomaly_stream = oc->anomaly_stream;
        o->anomaly_applayer = oc->anomaly_applayer;
        o->stats_totals = oc->stats_totals;
        o->stats_null_values = oc->stats_null_values;
        o->community_id = oc->community_id;
        o->community_id_seed = oc->community_id_seed;
        o->dns = oc->dns;
        o->http = oc->http;
        o->smtp = oc->smtp;
        o->files = oc->files;
        o->alert = oc->alert;
    }
    e->n_out = set->n_eve;
}

static int
pipe_open_writers(struct pipeline *pl, const char *logdir)
{
    unsigned i;

    for (i = 0; i < pl->set->n_eve; i++) {
        const struct eve_output_cfg *oc = &pl->set->eve[i];
        char path[4096];
        int n = oc->filename[0] == '/'
                        ? snprintf(path, sizeof(path), "%s", oc->filename)
                        : snprintf(path, sizeof(path), "%s/%s", logdir, oc->filename);
        if (n < 0 || n >= (int)sizeof(path)) {
            log_error("log path too long: %s/%s", logdir, oc->filename);
            return NIDS_EINVAL;
        }
        if (eve_writer_open(&pl->writers[i], path, oc->append) < 0) {
            log_error("cannot open %s: %s", path, strerror(errno));
            return NIDS_EIO;
        }
        pl->n_writers++;
        log_info("EVE output %s", path);
    }
    return 0;
}

/* Sum of every thread's counters (workers from their snapshots). */
static void
pipe_sum(struct pipeline *pl, uint64_t *sum)
{
    uint64_t tmp[STAT_ID_COUNT];
    unsigned i;

    memset(sum, 0, sizeof(uint64_t) * STAT_ID_COUNT);
    if (pl->n_workers == 0) {
        stats_merge(sum, pl->single.ctr);
        stats_merge(sum, pl->cap_ctr);
        return;
    }
    stats_snap_read(&pl->cap_snap, tmp);
    stats_merge(sum, tmp);
    for (i = 0; i < pl->n_workers; i++) {
        stats_snap_read(&pl->workers[i].snap, tmp);
        stats_merge(sum, tmp);
    }
}

/* Writes a stats record; the caller owns the files (single: capture, workers: writer). */
static void
pipe_emit_stats(struct pipeline *pl)
{
    uint64_t sum[STAT_ID_COUNT];
    uint64_t now = atomic_load_explicit(&pl->now_pub, memory_order_relaxed);

    pipe_sum(pl, sum);
    eve_emit_stats(&pl->eve_main, sum, NULL, now, pipe_wall_s() - pl->start_wall);
}

static void
pipe_reopen_writers(struct pipeline *pl)
{
    unsigned i;

    for (i = 0; i < pl->n_writers; i++)
        if (eve_writer_reopen(&pl->writers[i]) < 0)
            pl->writers[i].write_errors++;
}

/* Hands one record to every exporter (the thread that owns them). */
static void
pipe_export_now(struct pipeline *pl, const struct ipfix_flow_rec *r)
{
    uint64_t now_ms = atomic_load_explicit(&pl->now_pub, memory_order_relaxed) / 1000u;
    unsigned i;

    for (i = 0; i < pl->n_exporters; i++)
        ipfix_exporter_add(pl->exporters[i], r, now_ms);
}

/* Single mode: the one thread exports itself. */
static void
pipe_export_direct(void *ctx, const struct ipfix_flow_rec *r)
{
    pipe_export_now(ctx, r);
}

/* Workers: records travel to the writer thread in the worker's chunks. */
static void
pipe_export_queue(void *ctx, const struct ipfix_flow_rec *r)
{
    struct pipe_worker *pw = ctx;

    eve_chan_put_raw(&pw->chan, EVE_CHAN_EXPORT, r, sizeof(*r));
}

static void
pipe_exporters_flush(struct pipeline *pl)
{
    uint64_t now_ms = atomic_load_explicit(&pl->now_pub, memory_order_relaxed) / 1000u;
    unsigned i;

    for (i = 0; i < pl->n_exporters; i++)
        ipfix_exporter_flush(pl->exporters[i], now_ms);
}

static void
pipe_maybe_stats(struct pipeline *pl)
{
    uint64_t now = pipe_wall_s();

    /* Records do not wait in a half-full export message for more than a second. */
    if (pl->n_exporters > 0 && now != pl->last_export_flush) {
        pl->last_export_flush = now;
        pipe_exporters_flush(pl);
    }
    if (pl->set->stats_interval > 0 && now - pl->last_stats_wall >= pl->set->stats_interval) {
        pl->last_stats_wall = now;
        pipe_emit_stats(pl);
    }
    /* Pairs with the release store in pipeline_request_reopen. */
    if (atomic_exchange_explicit(&pl->reopen, 0, memory_order_acquire))
        pipe_reopen_writers(pl);
}

/* Worker side, between packets: take the detection context offered, if any. */
static void
pipe_swap_poll(struct pipe_swap *sw, struct wrk *w)
{
    /* Acquire: pairs with the release store in pipe_reload. */
    if (atomic_load_explicit(&sw->state, memory_order_acquire) != PIPE_SWAP_OFFERED)
        return;
    sw->old = wrk_sig_replace(w, sw->next);
    sw->next = NULL;
    /* Release: the hand-over before TAKEN; pairs with the acquire load in pipe_reload. */
    atomic_store_explicit(&sw->state, PIPE_SWAP_TAKEN, memory_order_release);
}

static struct pipe_swap *
pipe_swap_of(struct pipeline *pl, unsigned i, struct wrk **w)
{
    if (pl->n_workers == 0) {
        *w = &pl->single;
        return &pl->single_swap;
    }
    *w = &pl->workers[i].w;
    return &pl->workers[i].swap;
}

/* Reload thread: build the new set and contexts, offer them, free the old ones. */
static void
pipe_reload(struct pipeline *pl)
{
    unsigned i, n = pl->n_workers > 0 ? pl->n_workers : 1;
    struct timespec ts = {0, 1000000};
    struct sig_db *db = NULL;
    struct pipe_swap *sw;
    struct wrk *w;

    if (pl->load_rules(pl->load_rules_ctx, &db) < 0) {
        log_error("rule reload failed: the running rules stay");
        atomic_fetch_add_explicit(&pl->reloads_failed, 1, memory_order_release);
        return;
    }
    if (db != NULL && sig_db_count(db) == 0) { /* no rules: detection off, as at start-up */
        sig_db_destroy(db);
        db = NULL;
    }
    for (i = 0; i < n; i++) {
        sw = pipe_swap_of(pl, i, &w);
        sw->next = NULL;
        if (db != NULL && (sw->next = wrk_sig_create(w, db)) == NULL)
            break;
    }
    if (i < n || atomic_load_explicit(&pl->reload_stop, memory_order_acquire)) {
        if (i < n) {
            log_error("rule reload: out of memory for the workers' detection state; the "
                      "running rules stay");
            atomic_fetch_add_explicit(&pl->reloads_failed, 1, memory_order_release);
        }
        while (i-- > 0) {
            sw = pipe_swap_of(pl, i, &w);
            sig_thread_destroy(sw->next);
            sw->next = NULL;
        }
        sig_db_destroy(db);
        return;
    }
    pl->rules_prev = pl->rules;
    pl->rules = db;
    for (i = 0; i < n; i++) /* Release: the contexts and the set before OFFERED. */
        atomic_store_explicit(&pipe_swap_of(pl, i, &w)->state, PIPE_SWAP_OFFERED,
                              memory_order_release);
    /* Grace period: every worker switches between two of its packets. */
    for (i = 0; i < n; i++) {
        sw = pipe_swap_of(pl, i, &w);
        while (atomic_load_explicit(&sw->state, memory_order_acquire) != PIPE_SWAP_TAKEN) {
            if (atomic_load_explicit(&pl->reload_stop, memory_order_acquire))
                return; /* shutting down: the workers switch as they stop, destroy frees */
            nanosleep(&ts, NULL);
        }
        sig_thread_destroy(sw->old);
        sw->old = NULL;
        atomic_store_explicit(&sw->state, PIPE_SWAP_IDLE, memory_order_relaxed);
    }
    sig_db_destroy(pl->rules_prev);
    pl->rules_prev = NULL;
    log_info("rule reload done: %u rules in use", pl->rules != NULL ? sig_db_count(pl->rules) : 0);
    atomic_fetch_add_explicit(&pl->reloads_done, 1, memory_order_release);
}

static void *
pipe_reload_main(void *arg)
{
    struct pipeline *pl = arg;

    for (;;) {
        while (sem_wait(&pl->reload_sem) != 0 && errno == EINTR)
            ;
        if (atomic_load_explicit(&pl->reload_stop, memory_order_acquire))
            break;
        /* Requests made until now are all served by this load. */
        while (sem_trywait(&pl->reload_sem) == 0)
            ;
        pipe_reload(pl);
    }
    return NULL;
}

/* Stop the reload thread (before the workers stop). */
static void
pipe_reload_stop(struct pipeline *pl)
{
    if (!pl->reload_started)
        return;
    atomic_store_explicit(&pl->reload_stop, 1, memory_order_release);
    sem_post(&pl->reload_sem);
    pthread_join(pl->reload_tid, NULL);
    pl->reload_started = false;
}

static void *
pipe_worker_main(void *arg)
{
    struct pipe_worker *pw = arg;
    void *bufs[PIPE_BURST];
    unsigned spins = 0, since_pub = 0, i, n;
    bool stop = false, flushed = true;

    while (!stop) {
        pipe_swap_poll(&pw->swap, &pw->w);
        n = ring_dequeue_burst(pw->in, bufs, PIPE_BURST);
        if (n == 0) {
            /* Idle: hand partial output to the writer once, then back off. */
            if (!flushed) {
                eve_chan_flush(&pw->chan);
                stats_snap_publish(&pw->snap, pw->w.ctr);
                flushed = true;
            }
            pipe_backoff(&spins);
            continue;
        }
        spins = 0;
        flushed = false;
        /* The capture thread wrote these descriptors and frames: ask for
         * them all now rather than wait for each in turn. */
        for (i = 0; i < n; i++)
            __builtin_prefetch(bufs[i]);
        for (i = 0; i < n && i < 2; i++) {
            const uint8_t *d = ((struct pkt_buf *)bufs[i])->data;
            __builtin_prefetch(d);
            __builtin_prefetch(d + 64);
        }
        for (i = 0; i < n; i++) {
            struct pkt_buf *b = bufs[i];
            if (i + 2 < n) {
                const uint8_t *d = ((struct pkt_buf *)bufs[i + 2])->data;
                __builtin_prefetch(d);
                __builtin_prefetch(d + 64);
            }
            if (b->kind == PKT_BUF_PACKET)
                wrk_packet(&pw->w, b->data, b->caplen, b->wirelen, b->ts_us, b->linktype,
                           b->pcap_cnt);
            else if (b->kind == PKT_BUF_TICK)
                wrk_advance(&pw->w, b->ts_us);
            else {
                wrk_advance(&pw->w, b->ts_us);
                stop = true;
            }
        }
        /* The return ring holds the whole pool: it cannot be full. */
        (void)ring_enqueue_burst(pw->ret, bufs, n);
        since_pub += n;
        if (since_pub >= PIPE_PUBLISH_PKTS) {
            stats_snap_publish(&pw->snap, pw->w.ctr);
            since_pub = 0;
        }
    }
    /* A context offered before the stop (the reload thread is gone by now). */
    pipe_swap_poll(&pw->swap, &pw->w);
    wrk_shutdown(&pw->w);
    eve_chan_flush(&pw->chan);
    stats_snap_publish(&pw->snap, pw->w.ctr);
    /* Release: everything above (chunks, snapshot) before done; pairs with
     * the acquire load in pipe_writer_main. */
    atomic_store_explicit(&pw->done, 1, memory_order_release);
    return NULL;
}

/* Writes every chunk waiting from every worker; returns how many. */
static unsigned
pipe_writer_drain(struct pipeline *pl)
{
    unsigned i, n = 0;

    for (i = 0; i < pl->n_workers; i++) {
        struct pipe_worker *pw = &pl->workers[i];
        struct eve_chunk *c;
        while ((c = eve_chan_take(&pw->chan)) != NULL) {
            if (c->out_idx == EVE_CHAN_EXPORT) {
                struct ipfix_flow_rec r;
                uint32_t off;
                for (off = 0; off + sizeof(r) <= c->len; off += (uint32_t)sizeof(r)) {
                    memcpy(&r, c->data + off, sizeof(r));
                    pipe_export_now(pl, &r);
                }
            } else if (c->out_idx < pl->n_writers) {
                eve_writer_write(&pl->writers[c->out_idx], c->data, c->len);
            }
            eve_chan_give_back(&pw->chan, c);
            n++;
        }
    }
    return n;
}

static void *
pipe_writer_main(void *arg)
{
    struct pipeline *pl = arg;
    unsigned spins = 0, i;

    for (;;) {
        bool all_done = true;
        for (i = 0; i < pl->n_workers; i++)
            if (!atomic_load_explicit(&pl->workers[i].done, memory_order_acquire))
                all_done = false;
        unsigned n = pipe_writer_drain(pl);
        pipe_maybe_stats(pl);
        if (all_done) {
            /* Every worker published its last chunk before done. */
            pipe_writer_drain(pl);
            break;
        }
        if (n == 0) {
            struct timespec ts = {0, 100000};
            (void)spins;
            nanosleep(&ts, NULL);
        }
    }
    pipe_exporters_flush(pl);
    pipe_emit_stats(pl);
    for (i = 0; i < pl->n_writers; i++)
        eve_writer_flush(&pl->writers[i]);
    return NULL;
}

static int
pipe_worker_init(struct pipeline *pl, struct pipe_worker *pw, unsigned id)
{
    pw->id = id;
    pw->pl = pl;
    atomic_init(&pw->done, 0);
    atomic_init(&pw->swap.state, PIPE_SWAP_IDLE);
    stats_snap_init(&pw->snap);
    pw->in = ring_create(PIPE_RING_SLOTS);
    pw->ret = ring_create(pkt_pool_size(&pl->pool) + PIPE_BURST);
    if (pw->in == NULL || pw->ret == NULL)
        return NIDS_ENOMEM;
    if (eve_init(&pw->eve) < 0 || eve_chan_init(&pw->chan, EVE_CHAN_CHUNKS) < 0)
        return NIDS_ENOMEM;
    pipe_eve_setup(&pw->eve, pl->set);
    pw->eve.chan = &pw->chan;
    /*
     * Memcaps apply per worker (each owns its tables; nothing is shared),
     * so a capture gives the same records whatever the thread count unless
     * one worker alone reaches its cap.
     */
    if (wrk_init(&pw->w, &pl->set->wrk, &pw->eve) < 0)
        return NIDS_ENOMEM;
    if (pl->n_exporters > 0) {
        pw->w.export_fn = pipe_export_queue;
        pw->w.export_ctx = pw;
    }
    return 0;
}

/* The reload thread (when reload is wanted); without it SIGUSR2 does nothing. */
static void
pipe_reload_start(struct pipeline *pl)
{
    if (pl->load_rules == NULL)
        return;
    if (sem_init(&pl->reload_sem, 0, 0) != 0)
        die("cannot create the rule reload semaphore");
    pl->reload_sem_init = true;
    if (pthread_create(&pl->reload_tid, NULL, pipe_reload_main, pl) != 0)
        die("cannot start the rule reload thread");
    pl->reload_started = true;
}

struct pipeline *
pipeline_create(const struct pipeline_cfg *cfg)
{
    struct pipeline *pl = calloc(1, sizeof(*pl));
    unsigned i;

    if (pl == NULL)
        return NULL;
    pl->set = cfg->set;
    pl->n_workers = cfg->n_workers;
    pl->live = cfg->live;
    pl->rules = cfg->rules;
    pl->load_rules = cfg->load_rules;
    pl->load_rules_ctx = cfg->load_rules_ctx;
    atomic_init(&pl->single_swap.state, PIPE_SWAP_IDLE);
    atomic_init(&pl->reload_stop, 0);
    atomic_init(&pl->reloads_done, 0);
    atomic_init(&pl->reloads_failed, 0);
    atomic_init(&pl->now_pub, 0);
    atomic_init(&pl->reopen, 0);
    stats_snap_init(&pl->cap_snap);
    pl->start_wall = pl->last_stats_wall = pipe_wall_s();
    if (pipe_open_writers(pl, cfg->logdir) < 0 || eve_init(&pl->eve_main) < 0)
        goto out_destroy;
    pipe_eve_setup(&pl->eve_main, pl->set);
    pl->eve_main.writers = pl->writers;
    for (i = 0; i < pl->set->n_ipfix; i++) {
        pl->exporters[i] =
                ipfix_exporter_create(&pl->set->ipfix[i], &pl->export_sent, &pl->export_errors);
        if (pl->exporters[i] == NULL)
            goto out_destroy;
        pl->n_exporters++;
    }
    if (pl->n_workers == 0) {
        if (wrk_init(&pl->single, &pl->set->wrk, &pl->eve_main) < 0) {
            log_error("out of memory for the flow table (flow.memcap) or defrag (defrag.memcap)");
            goto out_destroy;
        }
        if (pl->n_exporters > 0) {
            pl->single.export_fn = pipe_export_direct;
            pl->single.export_ctx = pl;
        }
        log_info("run mode single: flow table of %u flows, %llu bytes per flow",
                 pl->single.ft.capacity,
                 (unsigned long long)flow_table_bytes_per_flow(&pl->single.ft));
        pipe_reload_start(pl);
        return pl;
    }
    if (pkt_pool_init(&pl->pool, PIPE_POOL_SMALL, PIPE_POOL_LARGE) < 0)
        goto out_nomem;
    pl->workers = calloc(pl->n_workers, sizeof(*pl->workers));
    if (pl->workers == NULL)
        goto out_nomem;
    for (i = 0; i < pl->n_workers; i++)
        if (pipe_worker_init(pl, &pl->workers[i], i) < 0)
            goto out_nomem;
    log_info("run mode workers: %u worker(s), flow table of %u flows each, %llu bytes per flow",
             pl->n_workers, pl->workers[0].w.ft.capacity,
             (unsigned long long)flow_table_bytes_per_flow(&pl->workers[0].w.ft));
    for (i = 0; i < pl->n_workers; i++)
        if (pthread_create(&pl->workers[i].tid, NULL, pipe_worker_main, &pl->workers[i]) != 0)
            die("cannot start worker thread %u", i);
    if (pthread_create(&pl->writer_tid, NULL, pipe_writer_main, pl) != 0)
        die("cannot start the writer thread");
    pl->writer_started = true;
    pipe_reload_start(pl);
    return pl;

out_nomem:
    log_error("out of memory starting %u workers (flow.memcap, defrag.memcap per worker)",
              pl->n_workers);
out_destroy:
    pipeline_destroy(pl);
    return NULL;
}

/* Takes back every buffer the workers have returned. */
static void
pipe_buf_free(struct pipeline *pl, struct pkt_buf *b)
{
    if (b->region >= 0)
        pl->region_held[b->region]--;
    pkt_pool_free(&pl->pool, b);
}

static void
pipe_reclaim(struct pipeline *pl)
{
    void *bufs[PIPE_BURST];
    unsigned i, n, k;

    for (i = 0; i < pl->n_workers; i++)
        while ((n = ring_dequeue_burst(pl->workers[i].ret, bufs, PIPE_BURST)) > 0)
            for (k = 0; k < n; k++)
                pipe_buf_free(pl, bufs[k]);
}

/* Hands worker i's staged buffers over; offline waits for room, live drops. */
static void
pipe_flush_stage(struct pipeline *pl, struct pipe_worker *pw)
{
    unsigned done = 0, spins = 0;

    while (done < pw->n_stage) {
        done += ring_enqueue_burst(pw->in, pw->stage + done, pw->n_stage - done);
        if (done == pw->n_stage)
            break;
        if (pl->live) {
            /* Ring full on a live link: drop, count, never wait. */
            for (; done < pw->n_stage; done++) {
                pipe_buf_free(pl, pw->stage[done]);
                pl->cap_ctr[STAT_CAPTURE_RING_FULL]++;
                pl->cap_ctr[STAT_CAPTURE_ERRORS]++;
            }
            break;
        }
        pipe_reclaim(pl);
        pipe_backoff(&spins);
    }
    pw->n_stage = 0;
}

static void
pipe_flush_all(struct pipeline *pl)
{
    unsigned i;

    for (i = 0; i < pl->n_workers; i++)
        if (pl->workers[i].n_stage > 0)
            pipe_flush_stage(pl, &pl->workers[i]);
}

static struct pkt_buf *
pipe_get_buf(struct pipeline *pl, uint32_t caplen)
{
    struct pkt_buf *b = pkt_pool_alloc(&pl->pool, caplen);
    unsigned spins = 0;

    if (b == NULL)
        pipe_reclaim(pl);
    while (b == NULL && (b = pkt_pool_alloc(&pl->pool, caplen)) == NULL) {
        /* Staged buffers are only returned once workers see them. */
        pipe_flush_all(pl);
        if (pl->live || caplen > PKT_BUF_LARGE)
            return NULL;
        pipe_backoff(&spins);
        pipe_reclaim(pl);
    }
    b->region = -1;
    return b;
}

static void
pipe_stage(struct pipeline *pl, struct pipe_worker *pw, struct pkt_buf *b)
{
    pw->stage[pw->n_stage++] = b;
    if (pw->n_stage == PIPE_BURST) {
        pipe_flush_stage(pl, pw);
        /* Buffers come back as soon as workers are done with them: the
         * same few stay in the cache instead of the whole pool cycling. */
        pipe_reclaim(pl);
    }
}

/* A control message (tick, stop) to every worker, in order with packets. */
static void
pipe_broadcast(struct pipeline *pl, enum pkt_buf_kind kind)
{
    unsigned i;

    for (i = 0; i < pl->n_workers; i++) {
        struct pkt_buf *b = pipe_get_buf(pl, 0);
        if (b == NULL) {
            pl->cap_ctr[STAT_CAPTURE_RING_FULL]++;
            pl->cap_ctr[STAT_CAPTURE_ERRORS]++;
            continue;
        }
        b->kind = (uint8_t)kind;
        b->ts_us = pl->now_us;
        b->caplen = b->wirelen = 0;
        pipe_stage(pl, &pl->workers[i], b);
        if (kind == PKT_BUF_STOP)
            pipe_flush_stage(pl, &pl->workers[i]);
    }
}

void
pipeline_packet(struct pipeline *pl, const uint8_t *data, uint32_t caplen, uint32_t wirelen,
                uint64_t ts_us, int linktype, int region)
{
    struct pkt_buf *b;
    struct pipe_worker *pw;

    pl->pcap_cnt++;
    if (ts_us > pl->now_us) {
        pl->now_us = ts_us;
        atomic_store_explicit(&pl->now_pub, ts_us, memory_order_relaxed);
    }
    if (pl->n_workers == 0) {
        pipe_swap_poll(&pl->single_swap, &pl->single);
        wrk_packet(&pl->single, data, caplen, wirelen, ts_us, linktype, pl->pcap_cnt);
        if ((pl->pcap_cnt & 4095) == 0)
            pipe_maybe_stats(pl);
        return;
    }
    /* Every worker's clock moves with capture time, once a second. */
    if (pl->now_us / 1000000u != pl->last_tick_s) {
        pl->last_tick_s = pl->now_us / 1000000u;
        pipe_broadcast(pl, PKT_BUF_TICK);
    }
    /* With one worker there is nothing to choose: the frame is not touched. */
    pw = pl->n_workers == 1 ? &pl->workers[0]
                            : &pl->workers[dec_dispatch_hash(data, caplen, linktype) % pl->n_workers];
    if (region >= PIPE_REGIONS)
        region = -1;
    b = pipe_get_buf(pl, region >= 0 ? 0 : caplen);
    if (b == NULL) {
        /* Lost at capture: counted in capture.errors, which EVE shows. */
        if (caplen <= PKT_BUF_LARGE)
            pl->cap_ctr[STAT_CAPTURE_RING_FULL]++;
        pl->cap_ctr[STAT_CAPTURE_ERRORS]++;
        return;
    }
    if (region >= 0) {
        b->data = (uint8_t *)(uintptr_t)data; /* read-only use until pipeline_sync */
        b->region = (int8_t)region;
        pl->region_held[region]++;
    } else
        memcpy(b->data, data, caplen);
    b->kind = PKT_BUF_PACKET;
    b->caplen = caplen;
    b->wirelen = wirelen;
    b->ts_us = ts_us;
    b->linktype = linktype;
    b->pcap_cnt = pl->pcap_cnt;
    pipe_stage(pl, pw, b);
    if ((pl->pcap_cnt & 4095) == 0)
        stats_snap_publish(&pl->cap_snap, pl->cap_ctr);
}

void
pipeline_sync(struct pipeline *pl, int region)
{
    unsigned spins = 0;

    if (pl->n_workers == 0)
        return;
    pipe_reclaim(pl);
    if (region >= 0 && region < PIPE_REGIONS && pl->region_held[region] == 0)
        return;
    pipe_flush_all(pl);
    while (region >= 0 && region < PIPE_REGIONS ? pl->region_held[region] != 0
                                                : !pkt_pool_is_full(&pl->pool)) {
        pipe_backoff(&spins);
        pipe_reclaim(pl);
    }
}

void
pipeline_idle(struct pipeline *pl, uint64_t now_us)
{
    if (now_us > pl->now_us) {
        pl->now_us = now_us;
        atomic_store_explicit(&pl->now_pub, now_us, memory_order_relaxed);
    }
    if (pl->n_workers == 0) {
        pipe_swap_poll(&pl->single_swap, &pl->single);
        wrk_advance(&pl->single, pl->now_us);
        pipe_maybe_stats(pl);
        eve_writers_flush(pl->writers, pl->n_writers);
        return;
    }
    if (pl->now_us / 1000000u != pl->last_tick_s) {
        pl->last_tick_s = pl->now_us / 1000000u;
        pipe_broadcast(pl, PKT_BUF_TICK);
    }
    pipe_flush_all(pl);
    pipe_reclaim(pl);
    stats_snap_publish(&pl->cap_snap, pl->cap_ctr);
}

void
pipeline_count(struct pipeline *pl, unsigned stat_id, uint64_t n)
{
    pl->cap_ctr[stat_id] += n;
    stats_snap_publish(&pl->cap_snap, pl->cap_ctr);
}

void
pipeline_count_set(struct pipeline *pl, unsigned stat_id, uint64_t v)
{
    pl->cap_ctr[stat_id] = v;
    stats_snap_publish(&pl->cap_snap, pl->cap_ctr);
}

void
pipeline_request_reload(struct pipeline *pl)
{
    if (pl->reload_sem_init)
        sem_post(&pl->reload_sem); /* async-signal-safe */
}

void
pipeline_reload_count(struct pipeline *pl, unsigned *done, unsigned *failed)
{
    *done = atomic_load_explicit(&pl->reloads_done, memory_order_acquire);
    *failed = atomic_load_explicit(&pl->reloads_failed, memory_order_acquire);
}

void
pipeline_request_reopen(struct pipeline *pl)
{
    /* Release: pairs with the acquire exchange in pipe_maybe_stats. */
    atomic_store_explicit(&pl->reopen, 1, memory_order_release);
}

void
pipeline_finish(struct pipeline *pl)
{
    unsigned i;

    pipe_reload_stop(pl);
    if (pl->n_workers == 0) {
        pipe_swap_poll(&pl->single_swap, &pl->single);
        wrk_shutdown(&pl->single);
        pipe_exporters_flush(pl);
        pipe_emit_stats(pl);
        eve_writers_flush(pl->writers, pl->n_writers);
        pipe_sum(pl, pl->totals);
        return;
    }
    stats_snap_publish(&pl->cap_snap, pl->cap_ctr);
    pipe_broadcast(pl, PKT_BUF_STOP);
    for (i = 0; i < pl->n_workers; i++)
        pthread_join(pl->workers[i].tid, NULL);
    pthread_join(pl->writer_tid, NULL);
    pl->writer_started = false;
    pipe_sum(pl, pl->totals);
}

void
pipeline_totals(struct pipeline *pl, uint64_t *pkts, uint64_t *flows, uint64_t *records)
{
    unsigned i;
    uint64_t r = pl->eve_main.records;

    for (i = 0; i < pl->n_workers; i++)
        r += pl->workers[i].eve.records;
    *pkts = pl->totals[STAT_DECODER_PKTS];
    *flows = pl->totals[STAT_FLOW_TOTAL];
    *records = r;
}

void
pipeline_destroy(struct pipeline *pl)
{
    unsigned i;

    if (pl == NULL)
        return;
    pipe_reload_stop(pl);
    if (pl->workers != NULL) {
        for (i = 0; i < pl->n_workers; i++) {
            struct pipe_worker *pw = &pl->workers[i];
            sig_thread_destroy(pw->swap.old);
            sig_thread_destroy(pw->swap.next);
            wrk_fini(&pw->w);
            eve_fini(&pw->eve);
            eve_chan_fini(&pw->chan);
            ring_destroy(pw->in);
            ring_destroy(pw->ret);
        }
        free(pl->workers);
    }
    if (pl->n_workers == 0) {
        sig_thread_destroy(pl->single_swap.old);
        sig_thread_destroy(pl->single_swap.next);
        wrk_fini(&pl->single);
    }
    /* The workers' detection contexts are gone: the rule sets can go. */
    sig_db_destroy(pl->rules_prev);
    sig_db_destroy(pl->rules);
    if (pl->reload_sem_init)
        sem_destroy(&pl->reload_sem);
    pkt_pool_fini(&pl->pool);
    for (i = 0; i < pl->n_exporters; i++)
        ipfix_exporter_destroy(pl->exporters[i]);
    if (pl->cap_ctr[STAT_CAPTURE_RING_FULL] > 0)
        log_warn("%llu frames dropped at capture: worker rings full (capture.errors)",
                 (unsigned long long)pl->cap_ctr[STAT_CAPTURE_RING_FULL]);
    /* nDPI's caps (their counters have no key in Suricata's stats schema). */
    if (pl->totals[STAT_NDPI_POOL_EMPTY] + pl->totals[STAT_NDPI_RESULT_POOL_EMPTY] +
                pl->totals[STAT_NDPI_MEMCAP] >
        0)
        log_warn("ndpi: %llu flows not identified (ndpi.flows all in use), %llu server names "
                 "or metadata not kept, %llu allocations refused (ndpi.memcap)",
                 (unsigned long long)pl->totals[STAT_NDPI_POOL_EMPTY],
                 (unsigned long long)pl->totals[STAT_NDPI_RESULT_POOL_EMPTY],
                 (unsigned long long)pl->totals[STAT_NDPI_MEMCAP]);
    if (pl->n_exporters > 0)
        log_info("flow export: %llu records sent, %llu send errors",
                 (unsigned long long)pl->export_sent, (unsigned long long)pl->export_errors);
    eve_fini(&pl->eve_main);
    for (i = 0; i < pl->n_writers; i++)
        eve_writer_close(&pl->writers[i]);
    free(pl);
}
