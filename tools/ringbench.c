/*
 * ringbench.c - items per second through one SPSC ring between two
 * threads, with bursts of 32 (the pipeline's burst), for `make bench`.
 *
 *   ringbench [ITEMS] [SLOTS]     defaults: 200000000 items, 4096 slots
 * Prints "ring: N items in S s: M Mitems/s".
 */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ring.h"

#define BURST 32

static struct ring *bench_ring;
static uint64_t bench_items;

static void
bench_pin(int cpu)
{
    cpu_set_t set;

    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    (void)pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void *
bench_consumer(void *arg)
{
    void *b[BURST];
    uint64_t got = 0, sum = 0;
    uint32_t i, n;

    (void)arg;
    bench_pin(1);
    while (got < bench_items) {
        n = ring_dequeue_burst(bench_ring, b, BURST);
        for (i = 0; i < n; i++)
            sum += (uint64_t)(uintptr_t)b[i];
        got += n;
    }
    return (void *)(uintptr_t)(sum == bench_items * (bench_items + 1) / 2);
}

int
main(int argc, char **argv)
{
    uint32_t slots = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 10) : 4096;
    void *b[BURST];
    uint64_t next = 1;
    struct timespec t0, t1;
    pthread_t c;
    void *ok;
    double s;
    uint32_t i, n;

    bench_items = argc > 1 ? strtoull(argv[1], NULL, 10) : 200000000ull;
    bench_ring = ring_create(slots);
    if (bench_ring == NULL)
        return 1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pthread_create(&c, NULL, bench_consumer, NULL);
    bench_pin(0);
    while (next <= bench_items) {
        uint32_t want = BURST;
        if (bench_items - next + 1 < want)
            want = (uint32_t)(bench_items - next + 1);
        for (i = 0; i < want; i++)
            b[i] = (void *)(uintptr_t)(next + i);
        n = ring_enqueue_burst(bench_ring, b, want);
        next += n;
    }
    pthread_join(c, &ok);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("ring: %llu items in %.3f s: %.1f Mitems/s (burst %d, %u slots)%s\n",
           (unsigned long long)bench_items, s, (double)bench_items / s / 1e6, BURST,
           ring_capacity(bench_ring), ok ? "" : " CHECKSUM MISMATCH");
    ring_destroy(bench_ring);
    return ok ? 0 : 1;
}
