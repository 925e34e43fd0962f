/*
 * nids.h - definitions shared by every module: error codes, attributes and
 * the invariant check.
 *
 * Functions return 0 on success or a negative enum nids_err; constructors
 * return a pointer or NULL.
 */
#ifndef NIDS_H
#define NIDS_H

#include <stdint.h>

enum nids_err {
    NIDS_OK      = 0,
    NIDS_EINVAL  = -1, /* bad argument or malformed input */
    NIDS_ENOMEM  = -2, /* pool empty or memcap reached */
    NIDS_EAGAIN  = -3, /* try again later (ring full, more bytes needed) */
    NIDS_EIO     = -4, /* file or socket error */
    NIDS_ENOENT  = -5, /* not found */
    NIDS_ERANGE  = -6, /* value out of range */
    NIDS_ERR_COUNT = -7
};

#define NIDS_MUST_CHECK __attribute__((warn_unused_result))
#define NIDS_UNUSED     __attribute__((unused))
#define NIDS_LIKELY(x)   __builtin_expect(!!(x), 1)
#define NIDS_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define NIDS_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define NIDS_CACHE_LINE  64

/*
 * NIDS_BUG_ON: a broken invariant. Debug and fuzz builds abort; release
 * builds count it (nids_bug_count) and carry on, so that hostile traffic
 * can never turn a logic slip into a crash in production.
 */
extern uint64_t nids_bug_count;
#if defined(NIDS_DEBUG) || defined(FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION)
#include <stdlib.h>
#define NIDS_BUG_ON(cond)                                                                          \
    do {                                                                                           \
        if (cond)                                                                                  \
            abort();                                                                               \
    } while (0)
#else
#define NIDS_BUG_ON(cond)                                                                          \
    do {                                                                                           \
        if (NIDS_UNLIKELY(cond))                                                                   \
            nids_bug_count++;                                                                      \
    } while (0)
#endif

#endif /* NIDS_H */
