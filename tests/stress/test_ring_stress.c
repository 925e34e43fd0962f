/*
 * test_ring_stress.c - pushes sequenced items through a small SPSC ring
 * (so the indices wrap many times) between two threads, in bursts of
 * varying size, and checks order and a checksum on the consumer side.
 * Items: RING_STRESS_ITEMS (default 10^8). Built normally and under TSan.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "ring.h"

struct stress {
    struct ring *r;
    uint64_t items;
    uint64_t sum_sent;
    uint64_t sum_got;
    uint64_t out_of_order;
};

static void *
stress_producer(void *arg)
{
    struct stress *s = arg;
    void *burst[37];
    uint64_t next = 1, sum = 0;

    while (next <= s->items) {
        /* Burst sizes cycle through 1..37 to hit every wrap position. */
        uint32_t want = (uint32_t)(next % 37) + 1, i, n;
        if (want > s->items - next + 1)
            want = (uint32_t)(s->items - next + 1);
        for (i = 0; i < want; i++)
            burst[i] = (void *)(uintptr_t)(next + i);
        n = ring_enqueue_burst(s->r, burst, want);
        for (i = 0; i < n; i++)
            sum += next + i;
        next += n;
    }
    s->sum_sent = sum;
    return NULL;
}

static void *
stress_consumer(void *arg)
{
    struct stress *s = arg;
    void *burst[32];
    uint64_t expect = 1, sum = 0, bad = 0;

    while (expect <= s->items) {
        uint32_t n = ring_dequeue_burst(s->r, burst, 32), i;
        for (i = 0; i < n; i++) {
            uint64_t v = (uint64_t)(uintptr_t)burst[i];
            bad += v != expect;
            sum += v;
            expect++;
        }
    }
    s->sum_got = sum;
    s->out_of_order = bad;
    return NULL;
}

static void
test_ring_stress_two_threads(void **state)
{
    struct stress s = {0};
    pthread_t p, c;
    const char *env = getenv("RING_STRESS_ITEMS");

    (void)state;
    s.items = env ? strtoull(env, NULL, 10) : 100000000ull;
    s.r = ring_create(64);
    assert_non_null(s.r);
    assert_int_equal(ring_capacity(s.r), 64);
    assert_int_equal(pthread_create(&c, NULL, stress_consumer, &s), 0);
    assert_int_equal(pthread_create(&p, NULL, stress_producer, &s), 0);
    pthread_join(p, NULL);
    pthread_join(c, NULL);
    printf("ring stress: %llu items through a 64-slot ring\n", (unsigned long long)s.items);
    assert_int_equal(s.out_of_order, 0);
    assert_true(s.sum_sent == s.items * (s.items + 1) / 2);
    assert_true(s.sum_got == s.sum_sent);
    assert_int_equal(ring_count(s.r), 0);
    ring_destroy(s.r);
}

/* Single-threaded edge cases: full, empty, partial bursts, wraparound of uint32 indices. */
static void
test_ring_limits(void **state)
{
    struct ring *r = ring_create(5);
    void *in[16], *out[16];
    uint32_t i, round;

    (void)state;
    assert_non_null(r);
    assert_int_equal(ring_capacity(r), 8);
    for (i = 0; i < 16; i++)
        in[i] = (void *)(uintptr_t)(i + 1);
    assert_int_equal(ring_dequeue_burst(r, out, 4), 0);
    assert_int_equal(ring_enqueue_burst(r, in, 16), 8);
    assert_int_equal(ring_enqueue_burst(r, in, 1), 0);
    assert_int_equal(ring_dequeue_burst(r, out, 3), 3);
    assert_ptr_equal(out[0], in[0]);
    assert_ptr_equal(out[2], in[2]);
    assert_int_equal(ring_enqueue_burst(r, in + 8, 5), 3);
    assert_int_equal(ring_dequeue_burst(r, out, 16), 8);
    assert_ptr_equal(out[0], in[3]);
    assert_ptr_equal(out[7], in[10]);
    /* Start the indices just below 2^32 so they wrap during the test. */
    atomic_store(&r->head, 0xfffffff0u);
    atomic_store(&r->tail, 0xfffffff0u);
    r->tail_cache = r->head_cache = 0xfffffff0u;
    for (round = 0; round < 10; round++) {
        assert_int_equal(ring_enqueue_burst(r, in, 7), 7);
        assert_int_equal(ring_count(r), 7);
        assert_int_equal(ring_dequeue_burst(r, out, 16), 7);
        for (i = 0; i < 7; i++)
            assert_ptr_equal(out[i], in[i]);
    }
    ring_destroy(r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ring_limits),
        cmocka_unit_test(test_ring_stress_two_threads),
    };

    return cmocka_run_group_tests_name("ring_stress", tests, NULL, NULL);
}
