/*
 * test_http_range.c - unit tests for sensor/app_http_range.c: byte ranges
 * of one URL joined into a whole file in any order, with overlaps and
 * duplicates; keys; the pool cap, its timeout reuse and the piece cap.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../../sensor/app_http_range.c"

#define SEC 1000000ull

static uint64_t ctr[STAT_ID_COUNT];

static bool
add(struct app_http_range *r, const char *host, const char *path, uint64_t start, uint64_t len,
    uint64_t total, uint64_t now, struct app_http_range_res *res)
{
    app_http_range_add(r, (const uint8_t *)host, (uint32_t)strlen(host), (const uint8_t *)path,
                       (uint32_t)strlen(path), start, len, total, false, now, res);
    return res->whole;
}

/* In order: whole at the last piece, with the whole size; nothing after. */
static void
test_in_order(void **state)
{
    struct app_http_range *r = app_http_range_create(4, ctr);
    struct app_http_range_res res;
    uint64_t o;

    (void)state;
    assert_non_null(r);
    for (o = 0; o + 10000 < 146515; o += 10000)
        assert_false(add(r, "i.imgur.com", "/z.jpg", o, 10000, 146515, o, &res));
    assert_true(add(r, "i.imgur.com", "/z.jpg", o, 146515 - o, 146515, o, &res));
    assert_int_equal(res.size, 146515);
    assert_false(res.gaps);
    /* The same range again: the file was logged already. */
    assert_false(add(r, "i.imgur.com", "/z.jpg", 0, 10000, 146515, o, &res));
    assert_int_equal(app_http_range_used(r), 1);
    app_http_range_destroy(r);
}

/* Out of order, overlapping, duplicated: whole once every byte from 0 is there. */
static void
test_unordered(void **state)
{
    static const uint64_t pieces[][2] = {{1000, 1000}, {0, 1000},    {500, 1000},  {5000, 1000},
                                         {1500, 1000}, {8000, 1000}, {6400, 1600}, {2500, 1000},
                                         {8000, 1000}, {3000, 1000}, {6000, 1000}};
    struct app_http_range *r = app_http_range_create(4, ctr);
    struct app_http_range_res res;
    size_t i;

    (void)state;
    assert_non_null(r);
    for (i = 0; i < NIDS_ARRAY_LEN(pieces); i++)
        assert_false(add(r, "h", "/f", pieces[i][0], pieces[i][1], 9323, i, &res));
    /* 4000-5000 is the last hole; the tail 9000- too. */
    assert_false(add(r, "h", "/f", 9000, 323, 9323, 20, &res));
    assert_true(add(r, "h", "/f", 4000, 1000, 9323, 21, &res));
    assert_int_equal(res.size, 9323);
    app_http_range_destroy(r);
}

/* Host and path both make the key; a piece with gaps marks the file. */
static void
test_keys(void **state)
{
    struct app_http_range *r = app_http_range_create(4, ctr);
    struct app_http_range_res res;
    static char longpath[APP_HTTP_RANGE_KEY_MAX + 2];

    (void)state;
    assert_non_null(r);
    assert_false(add(r, "a", "bc", 0, 5, 10, 0, &res));
    assert_false(add(r, "ab", "c", 5, 5, 10, 0, &res)); /* another file */
    assert_false(add(r, "b", "bc", 5, 5, 10, 0, &res));
    assert_int_equal(app_http_range_used(r), 3);
    app_http_range_add(r, (const uint8_t *)"a", 1, (const uint8_t *)"bc", 2, 5, 5, 10, true, 1,
                       &res);
    assert_true(res.whole);
    assert_true(res.gaps);
    memset(longpath, 'x', sizeof(longpath) - 1);
    assert_false(add(r, "h", longpath, 0, 10, 10, 2, &res));
    assert_int_equal(ctr[STAT_HTTP_RANGE_KEY_TOO_LONG], 1);
    /* Nothing to add. */
    assert_false(add(r, "h", "/", 0, 0, 10, 2, &res));
    assert_false(add(r, "h", "/", 0, 10, 0, 2, &res));
    app_http_range_destroy(r);
}

/* The pool cap: a third URL waits for a container past the timeout. */
static void
test_pool(void **state)
{
    struct app_http_range *r = app_http_range_create(2, ctr);
    struct app_http_range_res res;
    uint64_t before = ctr[STAT_HTTP_RANGE_POOL_EMPTY];

    (void)state;
    assert_non_null(r);
    assert_false(add(r, "h", "/1", 0, 1, 10, 0, &res));
    assert_false(add(r, "h", "/2", 0, 1, 10, 5 * SEC, &res));
    assert_false(add(r, "h", "/3", 0, 1, 10, 30 * SEC, &res));
    assert_int_equal(ctr[STAT_HTTP_RANGE_POOL_EMPTY], before + 1);
    /* /1 has been idle for the timeout: its container goes to /3. */
    assert_false(add(r, "h", "/3", 0, 5, 10, (APP_HTTP_RANGE_TIMEOUT + 1) * SEC, &res));
    assert_true(add(r, "h", "/3", 5, 5, 10, (APP_HTTP_RANGE_TIMEOUT + 1) * SEC, &res));
    /* /1 starts again from nothing. */
    assert_false(add(r, "h", "/1", 1, 9, 10, (APP_HTTP_RANGE_TIMEOUT + 80) * SEC, &res));
    assert_int_equal(app_http_range_used(r), 2);
    app_http_range_destroy(r);
}

/* More disjoint pieces than a container keeps: dropped and counted. */
static void
test_pieces_cap(void **state)
{
    struct app_http_range *r = app_http_range_create(2, ctr);
    struct app_http_range_res res;
    uint64_t i;

    (void)state;
    assert_non_null(r);
    for (i = 0; i < APP_HTTP_RANGE_PIECES; i++)
        assert_false(add(r, "h", "/p", 10 + 2 * i, 1, 1000, 0, &res));
    assert_int_equal(app_http_range_used(r), 1);
    /* One more touching piece merges; a new disjoint one overflows. */
    assert_false(add(r, "h", "/p", 11, 1, 1000, 0, &res));
    assert_false(add(r, "h", "/p", 500, 1, 1000, 0, &res));
    assert_int_equal(ctr[STAT_HTTP_RANGE_TOO_MANY_PIECES], 0);
    assert_false(add(r, "h", "/p", 600, 1, 1000, 0, &res));
    assert_int_equal(ctr[STAT_HTTP_RANGE_TOO_MANY_PIECES], 1);
    assert_int_equal(app_http_range_used(r), 0);
    app_http_range_destroy(r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_in_order),   cmocka_unit_test(test_unordered),
            cmocka_unit_test(test_keys),       cmocka_unit_test(test_pool),
            cmocka_unit_test(test_pieces_cap),
    };
    return cmocka_run_group_tests_name("http_range", tests, NULL, NULL);
}
