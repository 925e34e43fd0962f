/*
 * mpm.h - multi-pattern matching behind one interface: literal patterns
 * (case-sensitive or not), each carrying the values (rule numbers) that
 * share it, compiled once into an immutable matcher; a scan reports each
 * pattern found, once per scan.
 *
 * The matcher is shared read-only by every worker; each worker has one
 * struct mpm_scratch grown at start-up to fit every matcher it will scan
 * with (Suricata util-mpm.h: InitCtx / InitThreadCtx). The implementation
 * is Hyperscan's literal API (mpm_hs.c).
 */
#ifndef MPM_H
#define MPM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nids.h"

struct mpm;
struct mpm_builder;
struct mpm_scratch;

/* A builder (start-up). NULL when out of memory. */
struct mpm_builder *mpm_builder_create(void);
void mpm_builder_destroy(struct mpm_builder *b);

/*
 * Add pattern pat[0..len) (len >= 1) with value val. The same bytes with
 * the same case mode become one pattern carrying every value given.
 */
int mpm_builder_add(struct mpm_builder *b, const uint8_t *pat, uint32_t len, bool nocase,
                    uint32_t val) NIDS_MUST_CHECK;

/* Patterns added so far (distinct). */
uint32_t mpm_builder_count(const struct mpm_builder *b);

/*
 * Compile what b holds (b is left as it was). NULL on failure with a
 * reason in err. A builder with no pattern compiles to NULL without error
 * (err[0] == '\0').
 */
struct mpm *mpm_compile(const struct mpm_builder *b, char *err, size_t errlen);
void mpm_destroy(struct mpm *m);

/* Make *s (NULL at first) large enough for m. Start-up only. */
int mpm_scratch_grow(struct mpm_scratch **s, const struct mpm *m) NIDS_MUST_CHECK;
void mpm_scratch_free(struct mpm_scratch *s);

/* A pattern found: the values that share it. */
typedef void (*mpm_hit_fn)(void *ctx, const uint32_t *vals, uint32_t n);

/*
 * Scan data[0..len) with m, calling fn once per distinct pattern found.
 * Worker thread; no allocation. Returns 0, or NIDS_EINVAL when the
 * matcher failed (the caller counts it).
 */
int mpm_scan(const struct mpm *m, struct mpm_scratch *s, const uint8_t *data, uint32_t len,
             mpm_hit_fn fn, void *ctx);

#endif /* MPM_H */
