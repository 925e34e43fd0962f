/*
 * app_state.h - the per-flow parser states of one app-layer protocol.
 *
 * A fixed pool of equal-sized states, one per followed flow, owned by one
 * worker. f->app_state holds the flow's slot (pool.h numbering: 0 means
 * none yet). A flow that needed a state when the pool was empty is marked
 * APP_STATE_UNFOLLOWED and never followed: picking it up later would
 * start in the middle of a message.
 */
#ifndef APP_STATE_H
#define APP_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "flow.h"
#include "nids.h"
#include "pool.h"

#define APP_STATE_UNFOLLOWED UINT32_MAX

enum app_state_found {
    APP_STATE_HAVE = 0, /* the flow's own state */
    APP_STATE_NEW,      /* taken from the pool just now, zeroed */
    APP_STATE_NONE,     /* the flow is not followed */
    APP_STATE_EMPTY,    /* the pool is empty: the flow is not followed from now on */
    APP_STATE_FOUND_COUNT
};

struct app_state_pool {
    uint8_t *states; /* n * size bytes, untouched until handed out */
    uint32_t *links; /* free-list links */
    size_t size;
    struct pool_list list;
    uint32_t used;
};

/* n states of size bytes each (start-up; memory is only touched when used). */
int app_state_pool_init(struct app_state_pool *sp, uint32_t n, size_t size) NIDS_MUST_CHECK;
void app_state_pool_fini(struct app_state_pool *sp);
/* The flow's state, taking one on first use; NULL when not followed (*how says why). */
void *app_state_pool_get(struct app_state_pool *sp, struct flow *f, enum app_state_found *how);
/* The flow's state, or NULL: never takes one. */
void *app_state_pool_of(const struct app_state_pool *sp, const struct flow *f);
/* The flow's state goes back (zeroed) and the flow has none again. */
void app_state_pool_put(struct app_state_pool *sp, struct flow *f);
/* Slot s (1-based) of those ever handed out (s <= app_state_pool_touched): tear-down. */
void *app_state_pool_at(const struct app_state_pool *sp, uint32_t s);
uint32_t app_state_pool_touched(const struct app_state_pool *sp);

#endif /* APP_STATE_H */
