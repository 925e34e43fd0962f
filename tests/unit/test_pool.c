/*
 * test_pool.c - unit tests for sensor/pool.h (free lists by slot number)
 * and sensor/app_state.c (per-flow parser states): never-used slots come
 * in order and untouched, freed ones come back last-freed first, links kept
 * in an array or in a field of each object, an empty pool says so, and a
 * flow that found the state pool empty stays unfollowed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "../../sensor/app_state.c"

struct obj {
    uint64_t payload;
    uint32_t link; /* free-list link inside the object */
    uint32_t pad;
};

static void
test_fresh_slots_in_order(void **state)
{
    uint32_t links[4] = {0xdead, 0xdead, 0xdead, 0xdead};
    struct pool_list l;

    (void)state;
    pool_list_init(&l, 4);
    assert_false(pool_list_is_empty(&l));
    assert_int_equal(pool_list_alloc(&l, links, sizeof(links[0])), 1);
    assert_int_equal(pool_list_alloc(&l, links, sizeof(links[0])), 2);
    assert_int_equal(pool_list_alloc(&l, links, sizeof(links[0])), 3);
    assert_int_equal(pool_list_alloc(&l, links, sizeof(links[0])), 4);
    assert_true(pool_list_is_empty(&l));
    assert_int_equal(pool_list_alloc(&l, links, sizeof(links[0])), 0);
    /* handing out never-used slots wrote no link */
    assert_int_equal(links[0], 0xdead);
    assert_int_equal(links[3], 0xdead);
}

static void
test_freed_slots_reused_last_first(void **state)
{
    uint32_t links[3];
    struct pool_list l;

    (void)state;
    pool_list_init(&l, 3);
    assert_int_equal(pool_list_alloc(&l, links, sizeof(links[0])), 1);
    assert_int_equal(pool_list_alloc(&l, links, sizeof(links[0])), 2);
    pool_list_free(&l, links, sizeof(links[0]), 1);
    pool_list_free(&l, links, sizeof(links[0]), 2);
    /* freed ones first, the last freed first, then the never-used one */
    assert_int_equal(pool_list_alloc(&l, links, sizeof(links[0])), 2);
    assert_int_equal(pool_list_alloc(&l, links, sizeof(links[0])), 1);
    assert_int_equal(pool_list_alloc(&l, links, sizeof(links[0])), 3);
    assert_true(pool_list_is_empty(&l));
    pool_list_free(&l, links, sizeof(links[0]), 3);
    assert_false(pool_list_is_empty(&l));
    assert_int_equal(pool_list_alloc(&l, links, sizeof(links[0])), 3);
}

static void
test_links_inside_objects(void **state)
{
    struct obj objs[3];
    struct pool_list l;

    (void)state;
    memset(objs, 0, sizeof(objs));
    pool_list_init(&l, 3);
    assert_int_equal(pool_list_alloc(&l, &objs[0].link, sizeof(objs[0])), 1);
    assert_int_equal(pool_list_alloc(&l, &objs[0].link, sizeof(objs[0])), 2);
    assert_int_equal(pool_list_alloc(&l, &objs[0].link, sizeof(objs[0])), 3);
    pool_list_free(&l, &objs[0].link, sizeof(objs[0]), 3);
    pool_list_free(&l, &objs[0].link, sizeof(objs[0]), 1);
    /* slot 1's link names slot 3; the payloads are not touched */
    assert_int_equal(objs[0].link, 3);
    assert_int_equal(objs[2].link, 0);
    assert_int_equal(objs[1].payload, 0);
    assert_int_equal(pool_list_alloc(&l, &objs[0].link, sizeof(objs[0])), 1);
    assert_int_equal(pool_list_alloc(&l, &objs[0].link, sizeof(objs[0])), 3);
    assert_int_equal(pool_list_alloc(&l, &objs[0].link, sizeof(objs[0])), 0);
}

static void
test_empty_pool(void **state)
{
    uint32_t link;
    struct pool_list l;

    (void)state;
    pool_list_init(&l, 0);
    assert_true(pool_list_is_empty(&l));
    assert_int_equal(pool_list_alloc(&l, &link, sizeof(link)), 0);
}

struct st {
    uint32_t a;
    char b[20];
};

static void
test_app_state_take_and_give_back(void **state)
{
    struct app_state_pool sp;
    struct flow f, g;
    enum app_state_found how;
    struct st *s, *t;

    (void)state;
    memset(&f, 0, sizeof(f));
    memset(&g, 0, sizeof(g));
    assert_int_equal(app_state_pool_init(&sp, 2, sizeof(struct st)), 0);
    assert_int_equal(app_state_pool_touched(&sp), 0);
    assert_null(app_state_pool_of(&sp, &f));
    s = app_state_pool_get(&sp, &f, &how);
    assert_non_null(s);
    assert_int_equal(how, APP_STATE_NEW);
    assert_int_equal(f.app_state, 1);
    assert_int_equal(sp.used, 1);
    s->a = 7;
    strcpy(s->b, "dirty");
    /* the same flow finds its own state */
    assert_ptr_equal(app_state_pool_get(&sp, &f, &how), s);
    assert_int_equal(how, APP_STATE_HAVE);
    assert_ptr_equal(app_state_pool_of(&sp, &f), s);
    /* back to the pool zeroed; the next flow takes the same slot, clean */
    app_state_pool_put(&sp, &f);
    assert_int_equal(f.app_state, 0);
    assert_int_equal(sp.used, 0);
    t = app_state_pool_get(&sp, &g, &how);
    assert_ptr_equal(t, s);
    assert_int_equal(how, APP_STATE_NEW);
    assert_int_equal(t->a, 0);
    assert_int_equal(t->b[0], 0);
    assert_int_equal(app_state_pool_touched(&sp), 1);
    assert_ptr_equal(app_state_pool_at(&sp, 1), t);
    app_state_pool_fini(&sp);
}

static void
test_app_state_empty_pool_unfollowed(void **state)
{
    struct app_state_pool sp;
    struct flow f, g;
    enum app_state_found how;

    (void)state;
    memset(&f, 0, sizeof(f));
    memset(&g, 0, sizeof(g));
    assert_int_equal(app_state_pool_init(&sp, 1, sizeof(struct st)), 0);
    assert_non_null(app_state_pool_get(&sp, &f, &how));
    assert_null(app_state_pool_get(&sp, &g, &how));
    assert_int_equal(how, APP_STATE_EMPTY);
    assert_int_equal(g.app_state, APP_STATE_UNFOLLOWED);
    /* a slot coming free later does not pick the flow up mid-stream */
    app_state_pool_put(&sp, &f);
    assert_null(app_state_pool_get(&sp, &g, &how));
    assert_int_equal(how, APP_STATE_NONE);
    assert_null(app_state_pool_of(&sp, &g));
    /* giving back a flow that has no state changes nothing */
    app_state_pool_put(&sp, &g);
    assert_int_equal(g.app_state, APP_STATE_UNFOLLOWED);
    assert_int_equal(sp.used, 0);
    app_state_pool_fini(&sp);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_fresh_slots_in_order),
            cmocka_unit_test(test_freed_slots_reused_last_first),
            cmocka_unit_test(test_links_inside_objects),
            cmocka_unit_test(test_empty_pool),
            cmocka_unit_test(test_app_state_take_and_give_back),
            cmocka_unit_test(test_app_state_empty_pool_unfollowed),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
