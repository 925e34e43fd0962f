/*
 * cfg.c - YAML configuration loader and tree, Suricata suricata.yaml layout.
 *
 * The libyaml event stream is read by recursive descent: one function per
 * YAML construct (stream, mapping, sequence, node). Each value is built as a
 * detached subtree and attached to its parent only when complete, so an
 * error frees exactly what was built. A whole file is parsed into a
 * temporary root and merged into the live tree only on success: a failed
 * load leaves the configuration as it was.
 *
 * Compared with Suricata's conf-yaml-loader.c:
 *   - same tree shape (sequence items "0","1",.., mapping items as "N.key"),
 *     same duplicate-key rule (the later key replaces, Suricata >= 7
 *     ConfNodePrune), same '_' to '-' key mangling, same `include` and
 *     `!include`, same dotted keys;
 *   - includes resolve against the including file's directory (Suricata uses
 *     the main file's directory for all of them);
 *   - every resource has a bound (see cfg.h) and errors carry FILE:LINE;
 *   - aliases are expanded by copying the anchored subtree (Suricata ignores
 *     them).
 */
#include "cfg.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "log.h"

#define CFG_MANGLE_WARN_MAX 10 /* like Suricata's MANGLE_ERRORS_MAX */
#define CFG_MSG_VALUE_MAX   64 /* bytes of a bad value quoted in a message */
#define CFG_PATH_MAX        1024

/* One interned source file name; nodes point at name. */
struct cfg_file {
    struct cfg_file *next;
    char name[];
};

/* A `&name` seen in the current document, with a private copy of its node. */
struct cfg_anchor {
    struct cfg_anchor *next;
    char *name;
    struct cfg_node *copy;
};

/* State of one document being parsed (the main file or one include). */
struct cfg_parse {
    struct cfg *c;
    yaml_parser_t parser;
    const char *file;  /* interned name, for nodes and messages */
    bool is_file;      /* false for cfg_load_string text */
    int include_depth; /* 0 for the file given to cfg_load_* */
    struct cfg_anchor *anchors;
};

enum cfg_match {
    CFG_MATCH_NONE = 0,
    CFG_MATCH_PREFIX,  /* the node lies on the way to a pattern */
    CFG_MATCH_NODE,    /* the pattern names exactly this node */
    CFG_MATCH_SUBTREE, /* a trailing ".**" covers the node and below */
    CFG_MATCH_COUNT
};

static int cfg_parse_map(struct cfg_parse *p, struct cfg_node *map, int depth);
static int cfg_parse_buffer(struct cfg *c, const char *buf, size_t len, const char *file,
                            bool is_file, int include_depth, struct cfg_node *target, int depth);

/* ---- errors -------------------------------------------------------------- */

static int __attribute__((format(printf, 5, 6)))
cfg_errf(struct cfg *c, int rc, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (line > 0)
        n = snprintf(c->err, sizeof(c->err), "%s:%d: ", file, line);
    else
        n = snprintf(c->err, sizeof(c->err), "%s: ", file);
    if (n < 0 || (size_t)n >= sizeof(c->err))
        return rc;
    va_start(ap, fmt);
    vsnprintf(c->err + n, sizeof(c->err) - (size_t)n, fmt, ap);
    va_end(ap);
    return rc;
}

/*
 * Append " (included from FILE:LINE)" to the current message if it fits and
 * does not already name an include.
 */
static void
cfg_err_append_include(struct cfg *c, const char *file, int line)
{
    size_t n = strlen(c->err);

    if (strstr(c->err, " (included from ") != NULL)
        return; /* name only the innermost include */
    snprintf(c->err + n, sizeof(c->err) - n, " (included from %s:%d)", file, line);
}

/*
 * Copy at most CFG_MSG_VALUE_MAX bytes of `s` for a message, with control
 * bytes replaced: a config value must not be able to drive the terminal.
 */
static void
cfg_str_sanitize(char *dst, size_t len, const char *s)
{
    size_t i = 0;

    for (; *s != '\0' && i + 1 < len && i < CFG_MSG_VALUE_MAX; s++, i++)
        dst[i] = ((unsigned char)*s < 0x20 || *s == 0x7f) ? '?' : *s;
    if (*s != '\0' && i + 3 < len) {
        memcpy(dst + i, "...", 3);
        i += 3;
    }
    dst[i] = '\0';
}

/* ---- nodes --------------------------------------------------------------- */

static char *
cfg_str_dup(const char *s, size_t n)
{
    char *d = malloc(n + 1);

    if (d == NULL)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static const char *
cfg_kind_name(enum cfg_kind k)
{
    switch (k) {
    case CFG_KIND_MAP:
        return "a mapping";
    case CFG_KIND_SEQ:
        return "a sequence";
    case CFG_KIND_SCALAR:
    case CFG_KIND_COUNT:
        break;
    }
    return "a scalar";
}

/*
 * Allocate a detached node named name[0..name_len). Counts against
 * CFG_MAX_NODES. Returns 0, NIDS_EINVAL (cap) or NIDS_ENOMEM, c->err set.
 */
static int
cfg_node_create(struct cfg *c, const char *name, size_t name_len, enum cfg_kind kind,
                const char *file, int line, struct cfg_node **out)
{
    struct cfg_node *n;

    if (c->n_nodes >= CFG_MAX_NODES)
        return cfg_errf(c, NIDS_EINVAL, file, line,
                        "configuration has more than %d nodes (alias expansion?)", CFG_MAX_NODES);
    n = calloc(1, sizeof(*n));
    if (n == NULL)
        return cfg_errf(c, NIDS_ENOMEM, file, line, "out of memory");
    n->name = cfg_str_dup(name, name_len);
    if (n->name == NULL) {
        free(n);
        return cfg_errf(c, NIDS_ENOMEM, file, line, "out of memory");
    }
    n->kind = kind;
    n->file = file;
    n->line = line;
    c->n_nodes++;
    *out = n;
    return 0;
}

static void cfg_node_destroy(struct cfg *c, struct cfg_node *n);

/* Free all children of n; n itself stays. Recursion depth is tree depth. */
static void
cfg_node_children_destroy(struct cfg *c, struct cfg_node *n)
{
    struct cfg_node *ch = n->child, *next;

    for (; ch != NULL; ch = next) {
        next = ch->next;
        cfg_node_destroy(c, ch);
    }
    n->child = NULL;
}

/* Free n and its subtree. n must already be unlinked (or its parent dying). */
static void
cfg_node_destroy(struct cfg *c, struct cfg_node *n)
{
    if (n == NULL)
        return;
    cfg_node_children_destroy(c, n);
    free(n->name);
    free(n->value);
    free(n);
    c->n_nodes--;
}

static struct cfg_node *
cfg_node_child_find(const struct cfg_node *parent, const char *name, size_t len)
{
    struct cfg_node *ch;

    for (ch = parent->child; ch != NULL; ch = ch->next)
        if (strncmp(ch->name, name, len) == 0 && ch->name[len] == '\0')
            return ch;
    return NULL;
}

/*
 * Move the content of the detached node src (kind, value, children, origin)
 * into dst, dropping what dst held, and free src's shell. dst keeps its
 * name, parent and place among its siblings: this is "the later key
 * replaces the earlier one".
 */
static void
cfg_node_take(struct cfg *c, struct cfg_node *dst, struct cfg_node *src)
{
    struct cfg_node *ch;

    cfg_node_children_destroy(c, dst);
    free(dst->value);
    dst->value = src->value;
    dst->kind = src->kind;
    dst->child = src->child;
    dst->file = src->file;
    dst->line = src->line;
    for (ch = dst->child; ch != NULL; ch = ch->next)
        ch->parent = dst;
    src->value = NULL;
    src->child = NULL;
    cfg_node_destroy(c, src);
}

/*
 * Attach the detached node n under parent: replace a same-named child in
 * place, or append. Returns 0, or NIDS_EINVAL when parent is full.
 */
static int
cfg_node_attach(struct cfg *c, struct cfg_node *parent, struct cfg_node *n)
{
    struct cfg_node *ch, *last = NULL;
    int count = 0;

    for (ch = parent->child; ch != NULL; ch = ch->next) {
        if (strcmp(ch->name, n->name) == 0) {
            cfg_node_take(c, ch, n);
            return 0;
        }
        last = ch;
        count++;
    }
    if (count >= CFG_MAX_CHILDREN)
        return cfg_errf(c, NIDS_EINVAL, n->file, n->line, "more than %d keys in one mapping",
                        CFG_MAX_CHILDREN);
    n->parent = parent;
    if (last == NULL)
        parent->child = n;
    else
        last->next = n;
    return 0;
}

/*
 * Deep-copy src as a detached node named `name` (NULL keeps src's name) at
 * depth `depth`. A container deeper than CFG_MAX_DEPTH is an error.
 */
static int
cfg_node_copy(struct cfg *c, const struct cfg_node *src, const char *name, int depth,
              struct cfg_node **out)
{
    struct cfg_node *n, *ch, *cp, *last = NULL;
    int rc;

    if (src->kind != CFG_KIND_SCALAR && depth > CFG_MAX_DEPTH)
        return cfg_errf(c, NIDS_EINVAL, src->file, src->line,
                        "nesting deeper than %d levels (alias expansion)", CFG_MAX_DEPTH);
    if (name == NULL)
        name = src->name;
    rc = cfg_node_create(c, name, strlen(name), src->kind, src->file, src->line, &n);
    if (rc < 0)
        return rc;
    if (src->value != NULL) {
        n->value = cfg_str_dup(src->value, strlen(src->value));
        if (n->value == NULL) {
            cfg_node_destroy(c, n);
            return cfg_errf(c, NIDS_ENOMEM, src->file, src->line, "out of memory");
        }
    }
    for (ch = src->child; ch != NULL; ch = ch->next) {
        rc = cfg_node_copy(c, ch, NULL, depth + 1, &cp);
        if (rc < 0) {
            cfg_node_destroy(c, n);
            return rc;
        }
        cp->parent = n;
        if (last == NULL)
            n->child = cp;
        else
            last->next = cp;
        last = cp;
    }
    *out = n;
    return 0;
}

static bool
cfg_seg_is_index(const char *s, size_t len)
{
    size_t i;

    if (len == 0 || len > 9 || (len > 1 && s[0] == '0'))
        return false;
    for (i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/*
 * One step of cfg_path_make(): find or create the child `seg` of n. A SEQ
 * takes only an index <= its item count (== appends); a MAP takes any name.
 * A scalar n is turned into an empty container first (SEQ if seg is an
 * index). `dry` validates without changing anything; a missing child is
 * then reported as *out = NULL.
 */
static int
cfg_path_step(struct cfg *c, struct cfg_node *n, const char *seg, size_t len, const char *file,
              int line, bool dry, struct cfg_node **out)
{
    struct cfg_node *ch, *last = NULL;
    bool is_index = cfg_seg_is_index(seg, len);
    enum cfg_kind kind = n->kind;
    long count = 0;
    int rc;

    if (kind == CFG_KIND_SCALAR)
        kind = is_index ? CFG_KIND_SEQ : CFG_KIND_MAP;
    if (kind == CFG_KIND_SEQ && !is_index)
        return cfg_errf(c, NIDS_EINVAL, file, line, "'%.*s' is not an index of a sequence",
                        (int)len, seg);
    if (n->kind != CFG_KIND_SCALAR) {
        ch = cfg_node_child_find(n, seg, len);
        if (ch != NULL) {
            *out = ch;
            return 0;
        }
        for (ch = n->child; ch != NULL; ch = ch->next, count++)
            last = ch;
    }
    if (kind == CFG_KIND_SEQ && strtol(seg, NULL, 10) != count)
        return cfg_errf(c, NIDS_EINVAL, file, line,
                        "index %.*s is past the end of a sequence of %ld items", (int)len, seg,
                        count);
    if (count >= CFG_MAX_CHILDREN)
        return cfg_errf(c, NIDS_EINVAL, file, line, "more than %d children", CFG_MAX_CHILDREN);
    *out = NULL;
    if (dry)
        return 0;
    rc = cfg_node_create(c, seg, len, CFG_KIND_SCALAR, file, line, &ch);
    if (rc < 0)
        return rc;
    ch->value = cfg_str_dup("", 0);
    if (ch->value == NULL) {
        cfg_node_destroy(c, ch);
        return cfg_errf(c, NIDS_ENOMEM, file, line, "out of memory");
    }
    if (n->kind == CFG_KIND_SCALAR) {
        free(n->value);
        n->value = NULL;
        n->kind = kind;
    }
    ch->parent = n;
    if (last == NULL)
        n->child = ch;
    else
        last->next = ch;
    *out = ch;
    return 0;
}

/*
 * Walk the dotted `path` (len bytes) down from n (at depth base), creating missing nodes
 * (new leaves are empty scalars, turned into containers when a further
 * segment needs one). Validates the whole path first so that an error
 * changes nothing. Returns 0 with *out the last node, or NIDS_EINVAL /
 * NIDS_ENOMEM with c->err set.
 */
static int
cfg_path_make(struct cfg *c, struct cfg_node *n, int base, const char *path, size_t len,
              const char *file, int line, struct cfg_node **out)
{
    int pass, rc;

    for (pass = 0; pass < 2; pass++) {
        struct cfg_node *cur = n;
        size_t pos = 0;
        int depth = base;
        bool created = false; /* dry run went past the existing nodes */

        while (pos <= len) {
            const char *seg = path + pos;
            const char *dot = memchr(seg, '.', len - pos);
            size_t sl = dot != NULL ? (size_t)(dot - seg) : len - pos;

            if (sl == 0)
                return cfg_errf(c, NIDS_EINVAL, file, line, "empty segment in key '%.*s'", (int)len,
                                path);
            if (++depth > CFG_MAX_DEPTH + 1 || (dot != NULL && depth > CFG_MAX_DEPTH))
                return cfg_errf(c, NIDS_EINVAL, file, line, "key '%.*s' is nested deeper than %d",
                                (int)len, path, CFG_MAX_DEPTH);
            if (created) {
                /* new parent: a numeric segment makes it a sequence */
                if (cfg_seg_is_index(seg, sl) && strtol(seg, NULL, 10) != 0)
                    return cfg_errf(c, NIDS_EINVAL, file, line,
                                    "index %.*s is past the end of a new sequence", (int)sl, seg);
            } else {
                rc = cfg_path_step(c, cur, seg, sl, file, line, pass == 0, &cur);
                if (rc < 0)
                    return rc;
                created = cur == NULL;
            }
            pos += sl + 1;
        }
        if (pass == 1)
            *out = cur;
    }
    return 0;
}

/* Mark n and every ancestor used. */
static void
cfg_node_mark_used(const struct cfg_node *cn)
{
    /* The tree is malloc'd non-const; const only guards callers. */
    struct cfg_node *n = (struct cfg_node *)cn;

    for (; n != NULL; n = n->parent)
        n->used = true;
}

static struct cfg_node *
cfg_node_find(const struct cfg_node *n, const char *dotted)
{
    const char *seg = dotted;

    if (n == NULL)
        return NULL;
    if (dotted == NULL || *dotted == '\0')
        return (struct cfg_node *)n;
    for (;;) {
        const char *dot = strchr(seg, '.');
        size_t sl = dot != NULL ? (size_t)(dot - seg) : strlen(seg);

        if (sl == 0)
            return NULL;
        n = cfg_node_child_find(n, seg, sl);
        if (n == NULL || dot == NULL)
            return (struct cfg_node *)n;
        seg = dot + 1;
    }
}

/* ---- files --------------------------------------------------------------- */

/* Return a copy of name owned by c, shared by every node from that file. */
static const char *
cfg_file_intern(struct cfg *c, const char *name)
{
    struct cfg_file *f;
    size_t len = strlen(name);

    for (f = c->files; f != NULL; f = f->next)
        if (strcmp(f->name, name) == 0)
            return f->name;
    f = malloc(sizeof(*f) + len + 1);
    if (f == NULL)
        return NULL;
    memcpy(f->name, name, len + 1);
    f->next = c->files;
    c->files = f;
    return f->name;
}

/*
 * Read a whole file of at most CFG_MAX_FILE_SIZE bytes into a malloc'd
 * NUL-terminated buffer. Returns 0, NIDS_EIO (errno kept in *err_no),
 * NIDS_EINVAL (too large) or NIDS_ENOMEM.
 */
static int
cfg_file_read(const char *path, char **out, size_t *out_len, int *err_no)
{
    FILE *f;
    char *buf = NULL, *nb;
    size_t len = 0, cap = 0, n;
    int rc = 0;

    *err_no = 0;
    f = fopen(path, "rb");
    if (f == NULL) {
        *err_no = errno;
        return NIDS_EIO;
    }
    for (;;) {
        if (cap - len < 2) {
            cap = cap == 0 ? 8192 : cap * 2;
            if (cap > CFG_MAX_FILE_SIZE + 2)
                cap = CFG_MAX_FILE_SIZE + 2;
            nb = realloc(buf, cap);
            if (nb == NULL) {
                rc = NIDS_ENOMEM;
                goto out_free_buf;
            }
            buf = nb;
        }
        n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (len > CFG_MAX_FILE_SIZE) {
            rc = NIDS_EINVAL;
            goto out_free_buf;
        }
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        *err_no = errno != 0 ? errno : EIO;
        rc = NIDS_EIO;
        goto out_free_buf;
    }
    fclose(f);
    buf[len] = '\0';
    *out = buf;
    *out_len = len;
    return 0;

out_free_buf:
    free(buf);
    fclose(f);
    return rc;
}

/* "dir/of/including.yaml" + "inc.yaml" -> "dir/of/inc.yaml" (malloc'd). */
static char *
cfg_include_path(const struct cfg_parse *p, const char *name)
{
    const char *slash = p->is_file ? strrchr(p->file, '/') : NULL;
    size_t dl = slash != NULL ? (size_t)(slash - p->file) + 1 : 0;
    size_t nl = strlen(name);
    char *path;

    if (name[0] == '/')
        dl = 0;
    path = malloc(dl + nl + 1);
    if (path == NULL)
        return NULL;
    memcpy(path, p->file, dl);
    memcpy(path + dl, name, nl + 1);
    return path;
}

/* ---- YAML events --------------------------------------------------------- */

static int
cfg_mark_line(const yaml_mark_t *m)
{
    return m->line < (size_t)0x7fffffff ? (int)m->line + 1 : 0x7fffffff;
}

/* Next event, or a libyaml error turned into "FILE:LINE: problem". */
static int
cfg_parse_next(struct cfg_parse *p, yaml_event_t *ev)
{
    const yaml_parser_t *y = &p->parser;

    if (yaml_parser_parse(&p->parser, ev))
        return 0;
    if (y->error == YAML_MEMORY_ERROR)
        return cfg_errf(p->c, NIDS_ENOMEM, p->file, cfg_mark_line(&y->problem_mark),
                        "out of memory");
    return cfg_errf(p->c, NIDS_EINVAL, p->file, cfg_mark_line(&y->problem_mark), "%s%s%s",
                    y->context != NULL ? y->context : "", y->context != NULL ? ": " : "",
                    y->problem != NULL ? y->problem : "malformed YAML");
}

/* A plain (unquoted) "", "~" or "null" is a YAML null. */
static bool
cfg_scalar_is_null(const yaml_event_t *ev)
{
    const char *v = (const char *)ev->data.scalar.value;

    if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    return v[0] == '\0' || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
           strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0;
}

static const struct cfg_anchor *
cfg_anchor_find(const struct cfg_parse *p, const char *name)
{
    const struct cfg_anchor *a;

    for (a = p->anchors; a != NULL; a = a->next)
        if (strcmp(a->name, name) == 0)
            return a;
    return NULL;
}

/* Remember `&name` -> a private copy of n (n may later be replaced). */
static int
cfg_anchor_add(struct cfg_parse *p, const char *name, const struct cfg_node *n, int depth, int line)
{
    struct cfg_anchor *a = calloc(1, sizeof(*a));
    int rc;

    if (a == NULL)
        return cfg_errf(p->c, NIDS_ENOMEM, p->file, line, "out of memory");
    a->name = cfg_str_dup(name, strlen(name));
    if (a->name == NULL) {
        free(a);
        return cfg_errf(p->c, NIDS_ENOMEM, p->file, line, "out of memory");
    }
    rc = cfg_node_copy(p->c, n, "", depth, &a->copy);
    if (rc < 0) {
        free(a->name);
        free(a);
        return rc;
    }
    a->next = p->anchors;
    p->anchors = a;
    return 0;
}

static void
cfg_anchors_free(struct cfg_parse *p)
{
    struct cfg_anchor *a, *next;

    for (a = p->anchors; a != NULL; a = next) {
        next = a->next;
        cfg_node_destroy(p->c, a->copy);
        free(a->name);
        free(a);
    }
    p->anchors = NULL;
}

/*
 * Parse and merge the file `name` (named at p->file:line) into map, whose
 * depth is `depth`.
 */
static int
cfg_include(struct cfg_parse *p, struct cfg_node *map, int depth, const char *name, int line)
{
    struct cfg *c = p->c;
    const char *file;
    char *path, *buf = NULL;
    size_t len = 0;
    int rc, err_no;

    if (name[0] == '\0')
        return cfg_errf(c, NIDS_EINVAL, p->file, line, "include needs a file name");
    if (p->include_depth >= CFG_MAX_INCLUDE_DEPTH)
        return cfg_errf(c, NIDS_EINVAL, p->file, line,
                        "include '%s': includes nested deeper than %d (include loop?)", name,
                        CFG_MAX_INCLUDE_DEPTH);
    path = cfg_include_path(p, name);
    if (path == NULL)
        return cfg_errf(c, NIDS_ENOMEM, p->file, line, "out of memory");
    rc = cfg_file_read(path, &buf, &len, &err_no);
    if (rc == NIDS_EIO && err_no == ENOENT && c->include_missing_ok) {
        log_warn("%s:%d: include '%s': %s does not exist, skipped", p->file, line, name, path);
        free(path);
        return 0;
    }
    if (rc < 0) {
        cfg_errf(c, rc, p->file, line, "include '%s': cannot read %s: %s", name, path,
                 rc == NIDS_EIO      ? strerror(err_no)
                 : rc == NIDS_ENOMEM ? "out of memory"
                                     : "file too large");
        free(path);
        return rc;
    }
    file = cfg_file_intern(c, path);
    free(path);
    if (file == NULL) {
        free(buf);
        return cfg_errf(c, NIDS_ENOMEM, p->file, line, "out of memory");
    }
    rc = cfg_parse_buffer(c, buf, len, file, true, p->include_depth + 1, map, depth);
    free(buf);
    if (rc < 0)
        cfg_err_append_include(c, p->file, line);
    return rc;
}

/* The value of an `include:` key: one file name or a sequence of them. */
static int
cfg_parse_include_value(struct cfg_parse *p, struct cfg_node *map, int depth)
{
    yaml_event_t ev;
    bool in_seq = false;
    int rc;

    for (;;) {
        rc = cfg_parse_next(p, &ev);
        if (rc < 0)
            return rc;
        if (ev.type == YAML_SCALAR_EVENT) {
            if (memchr(ev.data.scalar.value, '\0', ev.data.scalar.length) != NULL)
                rc = cfg_errf(p->c, NIDS_EINVAL, p->file, cfg_mark_line(&ev.start_mark),
                              "NUL byte in include file name");
            else
                rc = cfg_include(p, map, depth, (const char *)ev.data.scalar.value,
                                 cfg_mark_line(&ev.start_mark));
        } else if (ev.type == YAML_SEQUENCE_START_EVENT && !in_seq) {
            in_seq = true;
        } else if (ev.type == YAML_SEQUENCE_END_EVENT && in_seq) {
            in_seq = false;
        } else {
            rc = cfg_errf(p->c, NIDS_EINVAL, p->file, cfg_mark_line(&ev.start_mark),
                          "include takes a file name or a sequence of file names");
        }
        yaml_event_delete(&ev);
        if (rc < 0 || !in_seq)
            return rc;
    }
}

/* Items of a sequence whose SEQUENCE_START was consumed; seq at `depth`. */
static int cfg_parse_seq(struct cfg_parse *p, struct cfg_node *seq, int depth);

/*
 * A scalar value: text (a YAML null becomes ""), or `!include FILE` which
 * becomes a mapping holding that file. *out is set even on error, for the
 * caller to free.
 */
static int
cfg_parse_scalar(struct cfg_parse *p, const yaml_event_t *ev, const char *name, int line, int depth,
                 struct cfg_node **out)
{
    const char *v = (const char *)ev->data.scalar.value;
    const char *tag = (const char *)ev->data.scalar.tag;
    struct cfg *c = p->c;
    int rc;

    *out = NULL;
    if (memchr(v, '\0', ev->data.scalar.length) != NULL)
        return cfg_errf(c, NIDS_EINVAL, p->file, line, "NUL byte in value");
    if (tag != NULL && strcmp(tag, "!include") == 0) {
        if (depth > CFG_MAX_DEPTH)
            return cfg_errf(c, NIDS_EINVAL, p->file, line, "nesting deeper than %d levels",
                            CFG_MAX_DEPTH);
        rc = cfg_node_create(c, name, strlen(name), CFG_KIND_MAP, p->file, line, out);
        if (rc < 0)
            return rc;
        return cfg_include(p, *out, depth, v, line);
    }
    rc = cfg_node_create(c, name, strlen(name), CFG_KIND_SCALAR, p->file, line, out);
    if (rc < 0)
        return rc;
    if (cfg_scalar_is_null(ev))
        (*out)->value = cfg_str_dup("", 0);
    else
        (*out)->value = cfg_str_dup(v, ev->data.scalar.length);
    if ((*out)->value == NULL)
        return cfg_errf(c, NIDS_ENOMEM, p->file, line, "out of memory");
    return 0;
}

/*
 * Build the detached node for the value whose first event is ev, named
 * `name`, at `depth`, with origin p->file:line. Registers its anchor.
 */
static int
cfg_parse_node(struct cfg_parse *p, const yaml_event_t *ev, const char *name, int line, int depth,
               struct cfg_node **out)
{
    struct cfg *c = p->c;
    const struct cfg_anchor *a;
    const char *anchor = NULL;
    struct cfg_node *n = NULL;
    int rc;

    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        anchor = (const char *)ev->data.scalar.anchor;
        rc = cfg_parse_scalar(p, ev, name, line, depth, &n);
        break;
    case YAML_MAPPING_START_EVENT:
    case YAML_SEQUENCE_START_EVENT:
        if (depth > CFG_MAX_DEPTH)
            return cfg_errf(c, NIDS_EINVAL, p->file, line, "nesting deeper than %d levels",
                            CFG_MAX_DEPTH);
        if (ev->type == YAML_MAPPING_START_EVENT) {
            anchor = (const char *)ev->data.mapping_start.anchor;
            rc = cfg_node_create(c, name, strlen(name), CFG_KIND_MAP, p->file, line, &n);
            if (rc == 0)
                rc = cfg_parse_map(p, n, depth);
        } else {
            anchor = (const char *)ev->data.sequence_start.anchor;
            rc = cfg_node_create(c, name, strlen(name), CFG_KIND_SEQ, p->file, line, &n);
            if (rc == 0)
                rc = cfg_parse_seq(p, n, depth);
        }
        break;
    case YAML_ALIAS_EVENT:
        a = cfg_anchor_find(p, (const char *)ev->data.alias.anchor);
        if (a == NULL)
            return cfg_errf(c, NIDS_EINVAL, p->file, line, "unknown alias '*%s'",
                            (const char *)ev->data.alias.anchor);
        rc = cfg_node_copy(c, a->copy, name, depth, &n);
        if (rc == 0) {
            n->file = p->file;
            n->line = line;
        }
        break;
    default:
        return cfg_errf(c, NIDS_EINVAL, p->file, line, "unexpected YAML event %d", ev->type);
    }
    if (rc == 0 && anchor != NULL)
        rc = cfg_anchor_add(p, anchor, n, depth, line);
    if (rc < 0) {
        cfg_node_destroy(c, n);
        return rc;
    }
    *out = n;
    return 0;
}

static int
cfg_parse_seq(struct cfg_parse *p, struct cfg_node *seq, int depth)
{
    struct cfg_node *n, *last = NULL;
    char name[16];
    yaml_event_t ev;
    int rc, idx;

    for (idx = 0;; idx++) {
        rc = cfg_parse_next(p, &ev);
        if (rc < 0)
            return rc;
        if (ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            return 0;
        }
        if (idx >= CFG_MAX_CHILDREN) {
            rc = cfg_errf(p->c, NIDS_EINVAL, p->file, cfg_mark_line(&ev.start_mark),
                          "more than %d items in one sequence", CFG_MAX_CHILDREN);
            yaml_event_delete(&ev);
            return rc;
        }
        snprintf(name, sizeof(name), "%d", idx);
        rc = cfg_parse_node(p, &ev, name, cfg_mark_line(&ev.start_mark), depth + 1, &n);
        yaml_event_delete(&ev);
        if (rc < 0)
            return rc;
        n->parent = seq;
        if (last == NULL)
            seq->child = n;
        else
            last->next = n;
        last = n;
    }
}

/*
 * Suricata turns '_' into '-' in keys (with a deprecation warning), except
 * for variable names under address-groups and port-groups.
 */
static void
cfg_key_mangle(struct cfg_parse *p, const struct cfg_node *parent, char *key, int line)
{
    static unsigned warned;
    char *u = strchr(key, '_');

    if (u == NULL || strcmp(parent->name, "address-groups") == 0 ||
        strcmp(parent->name, "port-groups") == 0)
        return;
    if (warned < CFG_MANGLE_WARN_MAX) {
        warned++;
        log_warn("%s:%d: key '%s' is deprecated, '_' read as '-'", p->file, line, key);
    }
    for (; u != NULL; u = strchr(u, '_'))
        *u = '-';
}

/* Read one key event of a mapping into a malloc'd string. */
static int
cfg_parse_key(struct cfg_parse *p, const yaml_event_t *ev, char **key)
{
    const struct cfg_anchor *a;
    int line = cfg_mark_line(&ev->start_mark);
    const char *s;
    size_t len;

    if (ev->type == YAML_SCALAR_EVENT) {
        s = (const char *)ev->data.scalar.value;
        len = ev->data.scalar.length;
    } else if (ev->type == YAML_ALIAS_EVENT) {
        a = cfg_anchor_find(p, (const char *)ev->data.alias.anchor);
        if (a == NULL)
            return cfg_errf(p->c, NIDS_EINVAL, p->file, line, "unknown alias '*%s'",
                            (const char *)ev->data.alias.anchor);
        if (a->copy->kind != CFG_KIND_SCALAR)
            return cfg_errf(p->c, NIDS_EINVAL, p->file, line, "a key must be a scalar");
        s = a->copy->value;
        len = strlen(s);
    } else {
        return cfg_errf(p->c, NIDS_EINVAL, p->file, line, "a key must be a scalar");
    }
    if (len == 0)
        return cfg_errf(p->c, NIDS_EINVAL, p->file, line, "empty key");
    if (memchr(s, '\0', len) != NULL)
        return cfg_errf(p->c, NIDS_EINVAL, p->file, line, "NUL byte in key");
    if (ev->type == YAML_SCALAR_EVENT && ev->data.scalar.anchor != NULL)
        return cfg_errf(p->c, NIDS_EINVAL, p->file, line, "anchors on keys are not supported");
    *key = cfg_str_dup(s, len);
    if (*key == NULL)
        return cfg_errf(p->c, NIDS_ENOMEM, p->file, line, "out of memory");
    return 0;
}

/*
 * One "key: value" pair of map (at depth) whose key is `key`; the value's
 * first event is ev. A dotted key creates the nodes on its path.
 */
static int
cfg_parse_pair(struct cfg_parse *p, struct cfg_node *map, int depth, char *key, int line,
               const yaml_event_t *ev)
{
    struct cfg_node *n, *dst;
    const char *dot;
    int rc, segs = 1;

    if (strchr(key, '.') == NULL) {
        cfg_key_mangle(p, map, key, line);
        rc = cfg_parse_node(p, ev, key, line, depth + 1, &n);
        if (rc < 0)
            return rc;
        rc = cfg_node_attach(p->c, map, n);
        if (rc < 0)
            cfg_node_destroy(p->c, n);
        return rc;
    }
    for (dot = key; (dot = strchr(dot, '.')) != NULL; dot++)
        segs++;
    if (segs > CFG_MAX_DEPTH)
        return cfg_errf(p->c, NIDS_EINVAL, p->file, line, "key '%s' is nested deeper than %d", key,
                        CFG_MAX_DEPTH);
    rc = cfg_parse_node(p, ev, "", line, depth + segs, &n);
    if (rc < 0)
        return rc;
    rc = cfg_path_make(p->c, map, depth, key, strlen(key), p->file, line, &dst);
    if (rc < 0) {
        cfg_node_destroy(p->c, n);
        return rc;
    }
    cfg_node_take(p->c, dst, n);
    return 0;
}

/* Pairs of a mapping whose MAPPING_START was consumed, into map at depth. */
static int
cfg_parse_map(struct cfg_parse *p, struct cfg_node *map, int depth)
{
    yaml_event_t kev, vev;
    char *key;
    int rc, line;

    for (;;) {
        rc = cfg_parse_next(p, &kev);
        if (rc < 0)
            return rc;
        if (kev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&kev);
            return 0;
        }
        line = cfg_mark_line(&kev.start_mark);
        key = NULL;
        rc = cfg_parse_key(p, &kev, &key);
        yaml_event_delete(&kev);
        if (rc < 0)
            return rc;
        if (strcmp(key, "include") == 0) {
            free(key);
            rc = cfg_parse_include_value(p, map, depth);
            if (rc < 0)
                return rc;
            continue;
        }
        rc = cfg_parse_next(p, &vev);
        if (rc == 0) {
            rc = cfg_parse_pair(p, map, depth, key, line, &vev);
            yaml_event_delete(&vev);
        }
        free(key);
        if (rc < 0)
            return rc;
    }
}

/* Expect an event of `type`; anything else is reported as `what`. */
static int
cfg_parse_expect(struct cfg_parse *p, yaml_event_type_t type, const char *what)
{
    yaml_event_t ev;
    int rc = cfg_parse_next(p, &ev);

    if (rc < 0)
        return rc;
    if (ev.type != type)
        rc = cfg_errf(p->c, NIDS_EINVAL, p->file, cfg_mark_line(&ev.start_mark), "%s", what);
    yaml_event_delete(&ev);
    return rc;
}

/*
 * A whole YAML stream: no document (empty config, as Suricata) or exactly
 * one whose top level is a mapping or empty. A file must carry the
 * "%YAML 1.1" directive, like Suricata requires.
 */
static int
cfg_parse_stream(struct cfg_parse *p, struct cfg_node *target, int depth)
{
    const yaml_version_directive_t *ver;
    yaml_event_t ev;
    int rc, line;

    rc = cfg_parse_expect(p, YAML_STREAM_START_EVENT, "no YAML stream");
    if (rc < 0)
        return rc;
    rc = cfg_parse_next(p, &ev);
    if (rc < 0)
        return rc;
    if (ev.type == YAML_STREAM_END_EVENT) {
        yaml_event_delete(&ev);
        return 0;
    }
    line = cfg_mark_line(&ev.start_mark);
    ver = ev.type == YAML_DOCUMENT_START_EVENT ? ev.data.document_start.version_directive : NULL;
    if (ver == NULL && p->is_file)
        rc = cfg_errf(p->c, NIDS_EINVAL, p->file, line,
                      "missing '%%YAML 1.1' header: a config starts with '%%YAML 1.1' and '---'");
    else if (ver != NULL && (ver->major != 1 || ver->minor != 1))
        rc = cfg_errf(p->c, NIDS_EINVAL, p->file, line, "YAML version %d.%d, expected 1.1",
                      ver->major, ver->minor);
    yaml_event_delete(&ev);
    if (rc < 0)
        return rc;

    rc = cfg_parse_next(p, &ev);
    if (rc < 0)
        return rc;
    if (ev.type == YAML_MAPPING_START_EVENT)
        rc = cfg_parse_map(p, target, depth);
    else if (ev.type != YAML_SCALAR_EVENT || !cfg_scalar_is_null(&ev))
        rc = cfg_errf(p->c, NIDS_EINVAL, p->file, cfg_mark_line(&ev.start_mark),
                      "the top level of a config must be a mapping");
    yaml_event_delete(&ev);
    if (rc < 0)
        return rc;
    rc = cfg_parse_expect(p, YAML_DOCUMENT_END_EVENT, "expected the end of the document");
    if (rc < 0)
        return rc;
    return cfg_parse_expect(p, YAML_STREAM_END_EVENT, "more than one YAML document");
}

/* Parse buf[0..len) (from `file`) into the map `target` at `depth`. */
static int
cfg_parse_buffer(struct cfg *c, const char *buf, size_t len, const char *file, bool is_file,
                 int include_depth, struct cfg_node *target, int depth)
{
    struct cfg_parse p;
    int rc;

    memset(&p, 0, sizeof(p));
    p.c = c;
    p.file = file;
    p.is_file = is_file;
    p.include_depth = include_depth;
    if (!yaml_parser_initialize(&p.parser))
        return cfg_errf(c, NIDS_ENOMEM, file, 0, "cannot initialise the YAML parser");
    yaml_parser_set_input_string(&p.parser, (const unsigned char *)buf, len);
    rc = cfg_parse_stream(&p, target, depth);
    cfg_anchors_free(&p);
    yaml_parser_delete(&p.parser);
    return rc;
}

/* ---- public -------------------------------------------------------------- */

void
cfg_init(struct cfg *c)
{
    memset(c, 0, sizeof(*c));
}

void
cfg_fini(struct cfg *c)
{
    struct cfg_file *f, *next;

    cfg_node_destroy(c, c->root);
    for (f = c->files; f != NULL; f = next) {
        next = f->next;
        free(f);
    }
    memset(c, 0, sizeof(*c));
}

static int
cfg_root_ensure(struct cfg *c)
{
    if (c->root != NULL)
        return 0;
    return cfg_node_create(c, "", 0, CFG_KIND_MAP, "", 0, &c->root);
}

/*
 * Parse text into a temporary root, then move its top-level keys into the
 * live tree. Only a full success touches c->root.
 */
static int
cfg_load_buffer(struct cfg *c, const char *buf, size_t len, const char *file, bool is_file)
{
    struct cfg_node *tmp, *n, *next, *ch;
    size_t count = 0;
    int rc;

    rc = cfg_root_ensure(c);
    if (rc < 0)
        return rc;
    rc = cfg_node_create(c, "", 0, CFG_KIND_MAP, file, 0, &tmp);
    if (rc < 0)
        return rc;
    rc = cfg_parse_buffer(c, buf, len, file, is_file, 0, tmp, 0);
    if (rc < 0)
        goto out_destroy_tmp;
    for (ch = c->root->child; ch != NULL; ch = ch->next)
        count++;
    for (ch = tmp->child; ch != NULL; ch = ch->next)
        count++;
    if (count > CFG_MAX_CHILDREN) {
        rc = cfg_errf(c, NIDS_EINVAL, file, 0, "more than %d top-level keys", CFG_MAX_CHILDREN);
        goto out_destroy_tmp;
    }
    for (n = tmp->child; n != NULL; n = next) {
        next = n->next;
        n->next = NULL;
        n->parent = NULL;
        tmp->child = next;
        rc = cfg_node_attach(c, c->root, n);
        NIDS_BUG_ON(rc < 0); /* room was checked above */
        if (rc < 0)
            cfg_node_destroy(c, n);
    }
    rc = 0;
out_destroy_tmp:
    cfg_node_destroy(c, tmp);
    return rc;
}

int
cfg_load_file(struct cfg *c, const char *path)
{
    const char *file;
    char *buf = NULL;
    size_t len = 0;
    int rc, err_no;

    c->err[0] = '\0';
    file = cfg_file_intern(c, path);
    if (file == NULL)
        return cfg_errf(c, NIDS_ENOMEM, path, 0, "out of memory");
    rc = cfg_file_read(path, &buf, &len, &err_no);
    if (rc < 0)
        return cfg_errf(c, rc, path, 0, "cannot read: %s",
                        rc == NIDS_EIO      ? strerror(err_no)
                        : rc == NIDS_ENOMEM ? "out of memory"
                                            : "file larger than 16 MiB");
    rc = cfg_load_buffer(c, buf, len, file, true);
    free(buf);
    return rc;
}

int
cfg_load_string(struct cfg *c, const char *yaml, const char *name)
{
    const char *file;

    c->err[0] = '\0';
    if (name == NULL)
        name = "<built-in>";
    file = cfg_file_intern(c, name);
    if (file == NULL)
        return cfg_errf(c, NIDS_ENOMEM, name, 0, "out of memory");
    return cfg_load_buffer(c, yaml, strlen(yaml), file, false);
}

int
cfg_set(struct cfg *c, const char *assignment)
{
    const char *eq = strchr(assignment, '=');
    struct cfg_node *n, *dst;
    char msg[CFG_MSG_VALUE_MAX + 4];
    int rc;

    c->err[0] = '\0';
    if (eq == NULL || eq == assignment) {
        cfg_str_sanitize(msg, sizeof(msg), assignment);
        return cfg_errf(c, NIDS_EINVAL, "--set", 0, "'%s': expected KEY=VALUE", msg);
    }
    rc = cfg_root_ensure(c);
    if (rc < 0)
        return rc;
    rc = cfg_node_create(c, "", 0, CFG_KIND_SCALAR, "--set", 0, &n);
    if (rc < 0)
        return rc;
    n->value = cfg_str_dup(eq + 1, strlen(eq + 1));
    if (n->value == NULL) {
        cfg_node_destroy(c, n);
        return cfg_errf(c, NIDS_ENOMEM, "--set", 0, "out of memory");
    }
    rc = cfg_path_make(c, c->root, 0, assignment, (size_t)(eq - assignment), "--set", 0, &dst);
    if (rc < 0) {
        cfg_node_destroy(c, n);
        return rc;
    }
    cfg_node_take(c, dst, n);
    return 0;
}

const struct cfg_node *
cfg_lookup(struct cfg *c, const char *dotted)
{
    return cfg_node_lookup(c->root, dotted);
}

const struct cfg_node *
cfg_node_lookup(const struct cfg_node *n, const char *dotted)
{
    n = cfg_node_find(n, dotted);
    if (n != NULL)
        cfg_node_mark_used(n);
    return n;
}

char *
cfg_node_path(const struct cfg_node *n, char *buf, size_t len)
{
    const struct cfg_node *p;
    size_t total = 0, end, start, nl, i;

    if (len == 0)
        return buf;
    for (p = n; p != NULL && p->parent != NULL; p = p->parent)
        total += strlen(p->name) + (p->parent->parent != NULL ? 1 : 0);
    buf[total < len - 1 ? total : len - 1] = '\0';
    /* Fill from the end; bytes at or past len - 1 are dropped. */
    end = total;
    for (p = n; p != NULL && p->parent != NULL; p = p->parent) {
        nl = strlen(p->name);
        start = end - nl;
        for (i = start; i < end && i < len - 1; i++)
            buf[i] = p->name[i - start];
        end = start;
        if (p->parent->parent != NULL) {
            end--;
            if (end < len - 1)
                buf[end] = '.';
        }
    }
    return buf;
}

/* "FILE:LINE: key 'a.b': expected WHAT, got 'v'" (or "got a mapping"). */
static int
cfg_type_error(struct cfg *c, const struct cfg_node *n, const char *what, int rc)
{
    char path[CFG_PATH_MAX], val[CFG_MSG_VALUE_MAX + 4];

    cfg_node_path(n, path, sizeof(path));
    if (n->kind != CFG_KIND_SCALAR)
        return cfg_errf(c, rc, n->file, n->line, "key '%s': expected %s, got %s", path, what,
                        cfg_kind_name(n->kind));
    cfg_str_sanitize(val, sizeof(val), n->value);
    if (rc == NIDS_ERANGE)
        return cfg_errf(c, rc, n->file, n->line, "key '%s': %s '%s' is out of range", path, what,
                        val);
    return cfg_errf(c, rc, n->file, n->line, "key '%s': expected %s, got '%s'", path, what, val);
}

/*
 * Find base.key for a getter and mark it used. *out = NULL when absent or
 * an empty scalar; a container is the type error for `what`.
 */
static int
cfg_get_scalar(struct cfg *c, const struct cfg_node *base, const char *key, const char *what,
               const struct cfg_node **out)
{
    const struct cfg_node *n;

    *out = NULL;
    n = cfg_node_lookup(base != NULL ? base : c->root, key);
    if (n == NULL)
        return 0;
    if (n->kind != CFG_KIND_SCALAR)
        return cfg_type_error(c, n, what, NIDS_EINVAL);
    if (n->value == NULL || n->value[0] == '\0')
        return 0;
    *out = n;
    return 0;
}

int
cfg_get_bool(struct cfg *c, const struct cfg_node *base, const char *key, bool dflt, bool *out)
{
    static const char *const yes[] = {"yes", "true", "on", "1", "enable", "enabled"};
    static const char *const no[] = {"no", "false", "off", "0", "disable", "disabled"};
    const struct cfg_node *n;
    size_t i;
    int rc;

    rc = cfg_get_scalar(c, base, key, "a boolean", &n);
    if (rc < 0)
        return rc;
    if (n == NULL) {
        *out = dflt;
        return 0;
    }
    for (i = 0; i < NIDS_ARRAY_LEN(yes); i++) {
        if (strcasecmp(n->value, yes[i]) == 0) {
            *out = true;
            return 0;
        }
        if (strcasecmp(n->value, no[i]) == 0) {
            *out = false;
            return 0;
        }
    }
    return cfg_type_error(c, n, "a boolean", NIDS_EINVAL);
}

/*
 * Decimal digits at *s into *v, advancing *s. Returns 0, NIDS_EINVAL (no
 * digit) or NIDS_ERANGE (overflow).
 */
static int
cfg_parse_decimal(const char **s, uint64_t *v)
{
    const char *p = *s;
    uint64_t acc = 0;
    unsigned d;

    if (*p < '0' || *p > '9')
        return NIDS_EINVAL;
    for (; *p >= '0' && *p <= '9'; p++) {
        d = (unsigned)(*p - '0');
        if (acc > (UINT64_MAX - d) / 10)
            return NIDS_ERANGE;
        acc = acc * 10 + d;
    }
    *s = p;
    *v = acc;
    return 0;
}

int
cfg_get_u64(struct cfg *c, const struct cfg_node *base, const char *key, uint64_t dflt,
            uint64_t *out)
{
    const struct cfg_node *n;
    const char *s;
    uint64_t v;
    int rc;

    rc = cfg_get_scalar(c, base, key, "a number", &n);
    if (rc < 0)
        return rc;
    if (n == NULL) {
        *out = dflt;
        return 0;
    }
    s = n->value;
    rc = cfg_parse_decimal(&s, &v);
    if (rc == 0 && *s != '\0')
        rc = NIDS_EINVAL;
    if (rc < 0)
        return cfg_type_error(c, n, "a number", rc);
    *out = v;
    return 0;
}

/*
 * "<digits>[.<digits>] [unit]" -> bytes; units are 1024-based. Fraction
 * digits past the sixth are ignored (sub-byte precision even for TiB).
 */
static int
cfg_size_parse(const char *s, uint64_t *out)
{
    static const struct {
        const char *name;
        unsigned shift;
    } units[] = {
            {"", 0},    {"kb", 10},  {"kib", 10}, {"mb", 20},  {"mib", 20},
            {"gb", 30}, {"gib", 30}, {"tb", 40},  {"tib", 40},
    };
    uint64_t whole, frac = 0, scale = 1, mult = 0;
    const char *u;
    size_t i, ul;
    int rc;

    while (*s == ' ' || *s == '\t')
        s++;
    rc = cfg_parse_decimal(&s, &whole);
    if (rc < 0)
        return rc;
    if (*s == '.') {
        s++;
        if (*s < '0' || *s > '9')
            return NIDS_EINVAL;
        for (; *s >= '0' && *s <= '9'; s++) {
            if (scale < 1000000) {
                frac = frac * 10 + (uint64_t)(*s - '0');
                scale *= 10;
            }
        }
    }
    while (*s == ' ' || *s == '\t')
        s++;
    u = s;
    while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
        s++;
    ul = (size_t)(s - u);
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s != '\0')
        return NIDS_EINVAL;
    for (i = 0; i < NIDS_ARRAY_LEN(units); i++)
        if (strlen(units[i].name) == ul && strncasecmp(u, units[i].name, ul) == 0)
            mult = (uint64_t)1 << units[i].shift;
    if (mult == 0)
        return NIDS_EINVAL;
    if (whole > UINT64_MAX / mult)
        return NIDS_ERANGE;
    whole *= mult;
    /* frac < 10^6 and mult <= 2^40: the product fits in 60 bits */
    frac = frac * mult / scale;
    if (whole > UINT64_MAX - frac)
        return NIDS_ERANGE;
    *out = whole + frac;
    return 0;
}

int
cfg_get_size(struct cfg *c, const struct cfg_node *base, const char *key, uint64_t dflt,
             uint64_t *out)
{
    const struct cfg_node *n;
    uint64_t v;
    int rc;

    rc = cfg_get_scalar(c, base, key, "a size", &n);
    if (rc < 0)
        return rc;
    if (n == NULL) {
        *out = dflt;
        return 0;
    }
    rc = cfg_size_parse(n->value, &v);
    if (rc < 0)
        return cfg_type_error(c, n, "a size", rc);
    *out = v;
    return 0;
}

int
cfg_get_str(struct cfg *c, const struct cfg_node *base, const char *key, const char *dflt,
            const char **out)
{
    const struct cfg_node *n;
    int rc;

    rc = cfg_get_scalar(c, base, key, "a string", &n);
    if (rc < 0)
        return rc;
    *out = n != NULL ? n->value : dflt;
    return 0;
}

/* How the pattern `pat` relates to the node whose path is segs[0..nsegs). */
static enum cfg_match
cfg_pattern_match(const char *pat, const char *const *segs, int nsegs)
{
    const char *p = pat;
    int i;

    for (i = 0; i < nsegs; i++) {
        const char *dot = strchr(p, '.');
        size_t pl = dot != NULL ? (size_t)(dot - p) : strlen(p);

        if (*p == '\0')
            return CFG_MATCH_NONE;
        if (dot == NULL && pl == 2 && p[0] == '*' && p[1] == '*')
            return CFG_MATCH_SUBTREE;
        if (!(pl == 1 && p[0] == '*') && !(strncmp(segs[i], p, pl) == 0 && segs[i][pl] == '\0'))
            return CFG_MATCH_NONE;
        p = dot != NULL ? dot + 1 : p + pl;
    }
    if (*p == '\0')
        return CFG_MATCH_NODE;
    if (strcmp(p, "**") == 0)
        return CFG_MATCH_SUBTREE;
    return CFG_MATCH_PREFIX;
}

static int
cfg_warn_walk(const struct cfg_node *n, const char **segs, int depth, const char *const *supported)
{
    const struct cfg_node *ch;
    enum cfg_match best, m;
    char path[CFG_PATH_MAX];
    int count = 0;
    size_t i;

    if (depth >= CFG_MAX_DEPTH + 2) {
        NIDS_BUG_ON(1); /* tree depth is bounded when nodes are made */
        return 0;
    }
    for (ch = n->child; ch != NULL; ch = ch->next) {
        segs[depth] = ch->name;
        best = CFG_MATCH_NONE;
        for (i = 0; supported != NULL && supported[i] != NULL; i++) {
            m = cfg_pattern_match(supported[i], segs, depth + 1);
            if (m > best)
                best = m;
        }
        if (best == CFG_MATCH_SUBTREE)
            continue;
        if (best == CFG_MATCH_NONE && !ch->used) {
            log_warn("%s:%d: unsupported key '%s' ignored", ch->file, ch->line,
                     cfg_node_path(ch, path, sizeof(path)));
            count++;
            continue;
        }
        count += cfg_warn_walk(ch, segs, depth + 1, supported);
    }
    return count;
}

int
cfg_warn_unsupported(struct cfg *c, const char *const *supported)
{
    const char *segs[CFG_MAX_DEPTH + 2];

    if (c->root == NULL)
        return 0;
    return cfg_warn_walk(c->root, segs, 0, supported);
}

static void
cfg_dump_walk(const struct cfg_node *n, const char **segs, int depth, FILE *out)
{
    const struct cfg_node *ch;
    int i;

    if (depth >= CFG_MAX_DEPTH + 2) {
        NIDS_BUG_ON(1);
        return;
    }
    for (ch = n->child; ch != NULL; ch = ch->next) {
        segs[depth] = ch->name;
        if (ch->kind != CFG_KIND_SCALAR) {
            cfg_dump_walk(ch, segs, depth + 1, out);
            continue;
        }
        for (i = 0; i <= depth; i++) {
            if (i > 0)
                fputc('.', out);
            fputs(segs[i], out);
        }
        fprintf(out, " = %s\n", ch->value != NULL ? ch->value : "");
    }
}

void
cfg_dump(struct cfg *c, FILE *out)
{
    const char *segs[CFG_MAX_DEPTH + 2];

    if (c->root != NULL)
        cfg_dump_walk(c->root, segs, 0, out);
}
