/*
 * cfg.h - the configuration tree, read from YAML laid out like Suricata's
 * suricata.yaml.
 *
 * The file becomes a tree in the manner of Suricata's ConfNode:
 *   - a mapping is a CFG_KIND_MAP node whose children are its keys, in file
 *     order;
 *   - a sequence is a CFG_KIND_SEQ node whose children are named "0", "1", ...;
 *     an item that is a mapping (`- eve-log:`) is child "N" holding the keys;
 *   - a scalar is a CFG_KIND_SCALAR node with a value. A YAML null (`key:`,
 *     `~`, `null`) is a scalar with value "", and the typed getters treat an
 *     empty scalar as absent.
 * A key written twice in one mapping: the later one replaces the earlier one
 * (subtree and all) but keeps its place in the order. `include: FILE` (or a
 * sequence of files) in any mapping, and `key: !include FILE`, merge another
 * file's mapping at that point. Keys are "mangled" like Suricata does ('_'
 * becomes '-', except under address-groups and port-groups), and a key with
 * dots (`a.b: x`) creates the nested nodes.
 *
 * Bounds (a config file is trusted but may be wrong): 16 MiB per file,
 * nesting depth 64, include depth 8, 10000 children per node, 100000 nodes
 * in all (this also stops alias "billion laughs" expansion).
 *
 * Threads: everything here runs during start-up (and reload) on one thread.
 * The tree is then read-only; the typed getters and lookups write the `used`
 * flag, so they too belong to the start-up thread.
 */
#ifndef CFG_H
#define CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "nids.h"

enum cfg_kind {
    CFG_KIND_SCALAR = 0,
    CFG_KIND_MAP,
    CFG_KIND_SEQ,
    CFG_KIND_COUNT
};

#define CFG_MAX_DEPTH         64     /* nesting of maps and sequences */
#define CFG_MAX_INCLUDE_DEPTH 8      /* include inside include inside ... */
#define CFG_MAX_CHILDREN      10000  /* keys of one map, items of one sequence */
#define CFG_MAX_NODES         100000 /* whole tree, aliases expanded */
#define CFG_MAX_FILE_SIZE     (16u << 20)

struct cfg_node {
    char *name;  /* key, or "0","1".. for sequence items; "" for the root */
    char *value; /* scalar text ("" for a YAML null), NULL for maps and sequences */
    enum cfg_kind kind;
    const char *file; /* source file name (owned by struct cfg), "--set" or "<built-in>" */
    int line;         /* 1-based; 0 when the node has no line (--set, root) */
    bool used;        /* set by lookups; see cfg_warn_unsupported() */
    struct cfg_node *parent, *child, *next; /* first child, next sibling, file order */
};

struct cfg_file;

struct cfg {
    struct cfg_node *root; /* NULL until something is loaded or set */
    char err[512];         /* last error: "FILE:LINE: message" */
    /*
     * Set before loading: an include whose file does not exist is logged
     * with log_warn and skipped instead of failing the load. Some
     * suricata-verify configs include the stock `default.yaml`, which the
     * corpus does not ship.
     */
    bool include_missing_ok;
    /* private */
    struct cfg_file *files; /* interned source file names, freed by cfg_fini */
    size_t n_nodes;         /* live nodes, capped at CFG_MAX_NODES */
};

/* Make `c` an empty configuration. Never fails; pair with cfg_fini(). */
void cfg_init(struct cfg *c);

/*
 * Free every node and file name of `c` and leave it as cfg_init() did.
 * Pointers returned by lookups and getters become invalid.
 */
void cfg_fini(struct cfg *c);

/*
 * Parse the YAML file at `path` and merge its top-level keys into `c` (a key
 * already present is replaced). The file must start with "%YAML 1.1" and
 * "---", like a Suricata config; relative includes are resolved against the
 * directory of the file that names them. On failure `c` is unchanged and
 * c->err says "FILE:LINE: message".
 * Returns 0; NIDS_EIO if the file (or an include) cannot be read;
 * NIDS_EINVAL for malformed YAML, a broken layout or an exceeded bound;
 * NIDS_ENOMEM.
 */
int cfg_load_file(struct cfg *c, const char *path) NIDS_MUST_CHECK;

/*
 * As cfg_load_file() but from the NUL-terminated text `yaml` (the built-in
 * default config); `name` (copied) names it in messages. The "%YAML 1.1"
 * header is optional here, and relative includes resolve against the
 * current directory.
 */
int cfg_load_string(struct cfg *c, const char *yaml, const char *name) NIDS_MUST_CHECK;

/*
 * Apply one "dotted.key=value" assignment like `suricata --set`: missing
 * nodes are created (file "--set", line 0), an existing node is replaced by
 * the scalar. A numeric segment indexes a sequence; an index equal to the
 * item count appends. A new node followed by a numeric segment becomes a
 * sequence. Only the first '=' splits, so the value may contain '='.
 * Returns 0; NIDS_EINVAL (c->err set) for a missing '=', an empty key or
 * segment, an index past the end or a path deeper than CFG_MAX_DEPTH;
 * NIDS_ENOMEM.
 */
int cfg_set(struct cfg *c, const char *assignment) NIDS_MUST_CHECK;

/*
 * Find the node at `dotted` ("outputs.0.eve-log.types") from the root; ""
 * is the root itself. Marks the node and its ancestors used. Returns NULL if
 * absent. The node belongs to `c`.
 */
const struct cfg_node *cfg_lookup(struct cfg *c, const char *dotted);

/* As cfg_lookup() but relative to `n` (NULL gives NULL). */
const struct cfg_node *cfg_node_lookup(const struct cfg_node *n, const char *dotted);

/*
 * Typed getters. `base` NULL means the root; `key` is dotted and relative to
 * base (NULL or "" means base itself). The node found is marked used.
 * Absent, or an empty scalar: *out = dflt and return 0. Present: parse it,
 * or return NIDS_EINVAL with c->err =
 *   "FILE:LINE: key 'stream.midstream': expected a boolean, got 'maybe'"
 * (the full dotted key and the node's line). *out is untouched on error.
 */

/* yes/no, true/false, on/off, 1/0, enable(d)/disable(d); any case. */
int cfg_get_bool(struct cfg *c, const struct cfg_node *base, const char *key, bool dflt,
                 bool *out) NIDS_MUST_CHECK;

/* Plain decimal digits. A value above UINT64_MAX is NIDS_ERANGE. */
int cfg_get_u64(struct cfg *c, const struct cfg_node *base, const char *key, uint64_t dflt,
                uint64_t *out) NIDS_MUST_CHECK;

/*
 * A byte size like Suricata's ParseSizeStringU64: "1048576", "64mb", "1gb",
 * "512kb", "2 MiB", "1.5gb"; units kb/mb/gb/tb and kib/mib/gib/tib, any
 * case, all 1024-based; a fraction is truncated to whole bytes. Overflow is
 * NIDS_ERANGE.
 */
int cfg_get_size(struct cfg *c, const struct cfg_node *base, const char *key, uint64_t dflt,
                 uint64_t *out) NIDS_MUST_CHECK;

/*
 * The scalar text. *out points into the tree (owned by `c`, valid until
 * cfg_fini or a replacing load/set) or is `dflt`. A map or sequence is the
 * type error.
 */
int cfg_get_str(struct cfg *c, const struct cfg_node *base, const char *key, const char *dflt,
                const char **out) NIDS_MUST_CHECK;

/*
 * Write the dotted path of `n` ("outputs.1.eve-log.types"; "" for the root)
 * into buf, truncated to len - 1 bytes. Returns buf.
 */
char *cfg_node_path(const struct cfg_node *n, char *buf, size_t len);

/*
 * Log one warning per unsupported subtree:
 *   "FILE:LINE: unsupported key 'app-layer.protocols.tls' ignored"
 * `supported` is a NULL-terminated array (or NULL) of dotted patterns where
 * "*" matches one segment and a trailing ".**" matches the node and its
 * whole subtree ("outputs.*.eve-log.**", "vars.address-groups.*"). A node is
 * supported when a pattern matches it, when it lies on the way to a pattern
 * ("outputs", "outputs.0"), or when a lookup or getter has marked it used.
 * Only the topmost unsupported node of a subtree is reported.
 * Returns the number of warnings.
 */
int cfg_warn_unsupported(struct cfg *c, const char *const *supported);

/*
 * --dump-config: every scalar as "dotted.path = value\n", in tree order,
 * like `suricata --dump-config`.
 */
void cfg_dump(struct cfg *c, FILE *out);

#endif /* CFG_H */
