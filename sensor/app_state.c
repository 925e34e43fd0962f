/*
 * app_state.c - the per-flow parser states of one app-layer protocol.
 */
#include "app_state.h"

#include <stdlib.h>
#include <string.h>

int
app_state_pool_init(struct app_state_pool *sp, uint32_t n, size_t size)
{
    memset(sp, 0, sizeof(*sp));
    if (n == 0)
        n = 1;
    /* calloc: the kernel's zero pages, so untouched states cost no memory */
    sp->states = calloc(n, size);
    sp->links = calloc(n, sizeof(*sp->links));
    if (sp->states == NULL || sp->links == NULL) {
        app_state_pool_fini(sp);
        return NIDS_ENOMEM;
    }
    sp->size = size;
    pool_list_init(&sp->list, n);
    return 0;
}

void
app_state_pool_fini(struct app_state_pool *sp)
{
    free(sp->states);
    free(sp->links);
    memset(sp, 0, sizeof(*sp));
}

void *
app_state_pool_at(const struct app_state_pool *sp, uint32_t s)
{
    return sp->states + (size_t)(s - 1) * sp->size;
}

uint32_t
app_state_pool_touched(const struct app_state_pool *sp)
{
    return sp->list.fresh;
}

void *
app_state_pool_of(const struct app_state_pool *sp, const struct flow *f)
{
    if (f->app_state == 0 || f->app_state > sp->list.n)
        return NULL;
    return app_state_pool_at(sp, f->app_state);
}

void *
app_state_pool_get(struct app_state_pool *sp, struct flow *f, enum app_state_found *how)
{
    uint32_t s;
    void *st;

    if (f->app_state != 0) {
        st = app_state_pool_of(sp, f);
        *how = st != NULL ? APP_STATE_HAVE : APP_STATE_NONE;
        return st;
    }
    s = pool_list_alloc(&sp->list, sp->links, sizeof(*sp->links));
    if (s == 0) {
        f->app_state = APP_STATE_UNFOLLOWED;
        *how = APP_STATE_EMPTY;
        return NULL;
    }
    sp->used++;
    f->app_state = s;
    st = app_state_pool_at(sp, s);
    memset(st, 0, sp->size);
    *how = APP_STATE_NEW;
    return st;
}

void
app_state_pool_put(struct app_state_pool *sp, struct flow *f)
{
    uint32_t s = f->app_state;

    if (s == 0 || s > sp->list.n)
        return;
    memset(app_state_pool_at(sp, s), 0, sp->size);
    pool_list_free(&sp->list, sp->links, sizeof(*sp->links), s);
    sp->used--;
    f->app_state = 0;
}
