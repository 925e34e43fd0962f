/*
 * test_cfg.c - unit tests for sensor/cfg.c, the YAML configuration tree.
 *
 * Fixtures live in tests/unit/cfg/ and the tests run from the repository
 * root. When ../shared/pcaps/suricata-verify exists, every suricata.yaml
 * there is loaded as well.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../sensor/cfg.c"

#define FIX(name)  "tests/unit/cfg/" name
#define CORPUS_DIR "../shared/pcaps/suricata-verify"

/* Fail with c->err printed when a call does not return 0. */
#define assert_cfg_ok(c, expr)                                                                     \
    do {                                                                                           \
        int rc_ = (expr);                                                                          \
        if (rc_ != 0)                                                                              \
            print_error("rc %d: %s\n", rc_, (c)->err);                                             \
        assert_int_equal(rc_, 0);                                                                  \
    } while (0)

/* Number of live nodes counted by walking the tree. */
static size_t
count_nodes(const struct cfg_node *n)
{
    const struct cfg_node *ch;
    size_t k = 1;

    for (ch = n->child; ch != NULL; ch = ch->next) {
        assert_ptr_equal(ch->parent, n);
        k += count_nodes(ch);
    }
    return k;
}

static int
setup_cfg(void **state)
{
    struct cfg *c = malloc(sizeof(*c));

    if (c == NULL)
        return -1;
    cfg_init(c);
    *state = c;
    return 0;
}

static int
teardown_cfg(void **state)
{
    struct cfg *c = *state;

    /* every node is in the tree: nothing held elsewhere (anchors, tmp roots) */
    if (c->root != NULL)
        assert_int_equal(count_nodes(c->root), c->n_nodes);
    else
        assert_int_equal(c->n_nodes, 0);
    cfg_fini(c);
    free(c);
    return 0;
}

/* The scalar value at `dotted`, or NULL. */
static const char *
val(struct cfg *c, const char *dotted)
{
    const struct cfg_node *n = cfg_lookup(c, dotted);

    return n != NULL && n->kind == CFG_KIND_SCALAR ? n->value : NULL;
}

/* Run fn(c) with stderr captured into buf (NUL-terminated). */
static void
capture_stderr(struct cfg *c, int (*fn)(struct cfg *), int *ret, char *buf, size_t len)
{
    char path[] = "/tmp/test_cfg_stderr_XXXXXX";
    int fd = mkstemp(path), saved;
    ssize_t n;

    assert_true(fd >= 0);
    fflush(stderr);
    saved = dup(STDERR_FILENO);
    assert_true(saved >= 0);
    assert_true(dup2(fd, STDERR_FILENO) >= 0);
    *ret = fn(c);
    fflush(stderr);
    assert_true(dup2(saved, STDERR_FILENO) >= 0);
    close(saved);
    assert_true(lseek(fd, 0, SEEK_SET) == 0);
    n = read(fd, buf, len - 1);
    assert_true(n >= 0);
    buf[n] = '\0';
    close(fd);
    unlink(path);
}

/* ---- loading --------------------------------------------------------------- */

static void
test_minimal(void **state)
{
    struct cfg *c = *state;
    const struct cfg_node *n, *root;

    assert_cfg_ok(c, cfg_load_file(c, FIX("minimal.yaml")));
    root = c->root;
    assert_non_null(root);
    assert_int_equal(root->kind, CFG_KIND_MAP);
    assert_string_equal(root->name, "");
    assert_int_equal(count_nodes(root), c->n_nodes);

    n = cfg_lookup(c, "stream.memcap");
    assert_non_null(n);
    assert_int_equal(n->kind, CFG_KIND_SCALAR);
    assert_string_equal(n->value, "64mb");
    assert_string_equal(n->name, "memcap");
    assert_string_equal(n->file, FIX("minimal.yaml"));
    assert_int_equal(n->line, 6);
    assert_true(n->used);
    assert_true(n->parent->used);

    n = cfg_lookup(c, "stream");
    assert_int_equal(n->kind, CFG_KIND_MAP);
    assert_null(n->value);
    assert_string_equal(n->child->name, "memcap");
    assert_string_equal(n->child->next->name, "midstream");
    assert_null(n->child->next->next);

    n = cfg_lookup(c, "outputs");
    assert_int_equal(n->kind, CFG_KIND_SEQ);
    assert_string_equal(n->child->name, "0");
    assert_int_equal(n->child->kind, CFG_KIND_MAP);
    assert_int_equal(n->child->line, 10);
    assert_string_equal(n->child->child->name, "eve-log");
    assert_string_equal(val(c, "outputs.0.eve-log.types.0"), "alert");
    assert_string_equal(val(c, "outputs.0.eve-log.types.1"), "flow");
    assert_int_equal(cfg_lookup(c, "outputs.0.eve-log.types.1")->line, 14);
    assert_string_equal(val(c, "rule-files.0"), "local.rules");

    assert_null(cfg_lookup(c, "stream.nope"));
    assert_null(cfg_lookup(c, "outputs.1"));
    assert_null(cfg_lookup(c, "stream..memcap"));
    assert_null(cfg_lookup(c, ".stream"));
    assert_null(cfg_lookup(c, "stream."));
    assert_ptr_equal(cfg_lookup(c, ""), root);

    /* relative lookups */
    n = cfg_lookup(c, "outputs.0");
    assert_string_equal(cfg_node_lookup(n, "eve-log.enabled")->value, "yes");
    assert_null(cfg_node_lookup(NULL, "x"));
}

static void
test_load_missing_file(void **state)
{
    struct cfg *c = *state;

    assert_int_equal(cfg_load_file(c, FIX("does-not-exist.yaml")), NIDS_EIO);
    assert_non_null(strstr(c->err, "does-not-exist.yaml"));
    assert_non_null(strstr(c->err, "No such file"));
    assert_int_equal(cfg_load_file(c, "tests/unit/cfg"), NIDS_EIO); /* a directory */
    assert_non_null(strstr(c->err, "tests/unit/cfg"));
}

static void
test_load_string(void **state)
{
    struct cfg *c = *state;
    const struct cfg_node *n;

    /* the built-in text may omit the header */
    assert_cfg_ok(c, cfg_load_string(c, "a:\n  b: 1\n  c: 2\nd: x\n", "<built-in>"));
    n = cfg_lookup(c, "a.b");
    assert_string_equal(n->file, "<built-in>");
    assert_int_equal(n->line, 2);
    /* a second load merges at the top level: a later key replaces */
    assert_cfg_ok(c, cfg_load_string(c, "%YAML 1.1\n---\na:\n  c: 3\ne: y\n", "second"));
    assert_null(cfg_lookup(c, "a.b"));
    assert_string_equal(val(c, "a.c"), "3");
    assert_string_equal(val(c, "d"), "x");
    assert_string_equal(val(c, "e"), "y");
    assert_string_equal(c->root->child->name, "a"); /* replaced in place */
    assert_string_equal(c->root->child->next->name, "d");
    /* empty and comment-only texts are empty configs */
    assert_cfg_ok(c, cfg_load_string(c, "", "empty"));
    assert_cfg_ok(c, cfg_load_string(c, "%YAML 1.1\n---\n# nothing\n", "comment"));
    assert_string_equal(val(c, "d"), "x");
    assert_int_equal(count_nodes(c->root), c->n_nodes);
}

static void
test_failed_load_changes_nothing(void **state)
{
    struct cfg *c = *state;
    size_t before;

    assert_cfg_ok(c, cfg_load_file(c, FIX("minimal.yaml")));
    before = c->n_nodes;
    /* stream would be replaced, but the file fails further down */
    assert_int_equal(cfg_load_string(c, "stream:\n  memcap: 1mb\nx: *nope\n", "bad"), NIDS_EINVAL);
    assert_string_equal(c->err, "bad:3: unknown alias '*nope'");
    assert_int_equal(c->n_nodes, before);
    assert_string_equal(val(c, "stream.memcap"), "64mb");
    assert_int_equal(cfg_set(c, "outputs.5.x=1"), NIDS_EINVAL);
    assert_int_equal(c->n_nodes, before);
    assert_int_equal(count_nodes(c->root), c->n_nodes);
}

static void
test_include(void **state)
{
    struct cfg *c = *state;
    const struct cfg_node *n;

    assert_cfg_ok(c, cfg_load_file(c, FIX("include_main.yaml")));
    /* include_base.yaml's stream is replaced by the later key */
    assert_string_equal(val(c, "stream.midstream"), "true");
    assert_null(cfg_lookup(c, "stream.memcap"));
    n = cfg_lookup(c, "stream.midstream");
    assert_string_equal(n->file, FIX("include_main.yaml"));
    assert_int_equal(n->line, 8);
    /* flow comes only from the include, with its own file and line */
    n = cfg_lookup(c, "flow.memcap");
    assert_string_equal(n->value, "128mb");
    assert_string_equal(n->file, FIX("include_base.yaml"));
    assert_int_equal(n->line, 9);
    /* include inside a mapping (sequence form), then a dotted override */
    assert_string_equal(val(c, "app-layer.protocols.http.enabled"), "yes");
    assert_string_equal(cfg_lookup(c, "app-layer.protocols.http")->file, FIX("include_proto.yaml"));
    assert_int_equal(cfg_lookup(c, "app-layer.protocols.http")->line, 4);
    assert_string_equal(val(c, "app-layer.protocols.dns.enabled"), "no");
    /* a plain key replaces the included subtree */
    assert_string_equal(val(c, "app-layer.parsers.limit"), "2");
    assert_null(cfg_lookup(c, "app-layer.parsers.depth"));
    /* key: !include FILE */
    assert_int_equal(cfg_lookup(c, "detect")->kind, CFG_KIND_MAP);
    assert_int_equal(cfg_lookup(c, "detect")->line, 20);
    assert_string_equal(val(c, "detect.profile"), "medium");
    assert_string_equal(cfg_lookup(c, "detect.profile")->file, FIX("include_detect.yaml"));
    assert_null(cfg_lookup(c, "include"));
    assert_null(cfg_lookup(c, "app-layer.include"));
    assert_int_equal(count_nodes(c->root), c->n_nodes);
}

static void
test_include_errors(void **state)
{
    struct cfg *c = *state;

    assert_int_equal(cfg_load_file(c, FIX("include_loop.yaml")), NIDS_EINVAL);
    assert_non_null(strstr(c->err, "include_loop.yaml:4: include 'include_loop.yaml'"));
    assert_non_null(strstr(c->err, "deeper than 8"));
    assert_null(c->root->child);

    assert_int_equal(cfg_load_file(c, FIX("include_missing.yaml")), NIDS_EIO);
    assert_non_null(strstr(c->err, "include_missing.yaml:6: include 'no-such-file.yaml'"));
    assert_non_null(strstr(c->err, "tests/unit/cfg/no-such-file.yaml"));
    assert_null(cfg_lookup(c, "stream"));

    c->include_missing_ok = true;
    assert_cfg_ok(c, cfg_load_file(c, FIX("include_missing.yaml")));
    assert_string_equal(val(c, "stream.memcap"), "1mb");

    /* an included file with a syntax error names both places */
    assert_int_equal(cfg_load_string(c, "include: tests/unit/cfg/bad_tab.yaml\n", "main"),
                     NIDS_EINVAL);
    assert_non_null(strstr(c->err, "bad_tab.yaml:4: "));
    assert_non_null(strstr(c->err, "(included from main:1)"));
    /* include takes names, not a mapping; and not an empty name */
    assert_int_equal(cfg_load_string(c, "include:\n  a: b\n", "m"), NIDS_EINVAL);
    assert_string_equal(c->err, "m:2: include takes a file name or a sequence of file names");
    assert_int_equal(cfg_load_string(c, "include:\n", "m"), NIDS_EINVAL);
    assert_string_equal(c->err, "m:1: include needs a file name");
}

static void
test_scalar_kinds(void **state)
{
    struct cfg *c = *state;
    const struct cfg_node *n;

    assert_cfg_ok(c, cfg_load_file(c, FIX("scalars.yaml")));
    assert_string_equal(val(c, "plain"), "hello world");
    assert_string_equal(val(c, "single"), "it's single");
    assert_string_equal(val(c, "double"), "tab\there \xc3\xa9 \"q\"");
    assert_string_equal(val(c, "literal"), "line one\nline two\n");
    assert_string_equal(val(c, "folded"), "folded text\n");
    /* YAML nulls are empty scalars; a quoted "null" is text */
    assert_int_equal(cfg_lookup(c, "nulls.empty")->kind, CFG_KIND_SCALAR);
    assert_string_equal(val(c, "nulls.empty"), "");
    assert_string_equal(val(c, "nulls.tilde"), "");
    assert_string_equal(val(c, "nulls.word"), "");
    assert_string_equal(val(c, "nulls.quoted-null"), "null");
    /* flow collections have the block layout */
    n = cfg_lookup(c, "flow-seq");
    assert_int_equal(n->kind, CFG_KIND_SEQ);
    assert_string_equal(val(c, "flow-seq.0"), "a");
    assert_string_equal(val(c, "flow-seq.1"), "b c");
    assert_string_equal(val(c, "flow-seq.2"), "3");
    assert_null(cfg_lookup(c, "flow-seq.3"));
    assert_int_equal(cfg_lookup(c, "flow-map")->kind, CFG_KIND_MAP);
    assert_string_equal(val(c, "flow-map.y"), "two");
    assert_int_equal(cfg_lookup(c, "flow-map.y")->line, 50);
    /* anchors and aliases copy the subtree */
    assert_string_equal(val(c, "copy.depth"), "1mb");
    assert_string_equal(val(c, "copy.inline"), "true");
    assert_int_equal(cfg_lookup(c, "copy")->line, 54);
    assert_ptr_not_equal(cfg_lookup(c, "copy.depth"), cfg_lookup(c, "anchored.depth"));
    assert_string_equal(val(c, "scalar-copy"), "eve.json");
    /* dotted keys nest; duplicates: the later wins, in the first place */
    assert_string_equal(val(c, "dotted.key.here"), "deep");
    assert_int_equal(cfg_lookup(c, "dotted.key")->kind, CFG_KIND_MAP);
    n = cfg_lookup(c, "dup");
    assert_string_equal(n->value, "second");
    assert_int_equal(n->line, 59);
    assert_string_equal(n->next->name, "under-score");
    /* '_' becomes '-' except for variable names */
    assert_string_equal(val(c, "under-score"), "mangled");
    assert_null(cfg_lookup(c, "under_score"));
    assert_string_equal(val(c, "vars.address-groups.MY_NET_2"), "any");
    assert_int_equal(count_nodes(c->root), c->n_nodes);
}

/* Load `fixture`, expect NIDS_EINVAL and an error starting "FILE:LINE: ". */
static void
expect_malformed(struct cfg *c, const char *fixture, int line, const char *text)
{
    char prefix[256];

    assert_int_equal(cfg_load_file(c, fixture), NIDS_EINVAL);
    snprintf(prefix, sizeof(prefix), "%s:%d: ", fixture, line);
    if (strncmp(c->err, prefix, strlen(prefix)) != 0 || strstr(c->err, text) == NULL)
        fail_msg("%s: got '%s', want '%s...%s'", fixture, c->err, prefix, text);
}

static void
test_malformed_files(void **state)
{
    struct cfg *c = *state;

    expect_malformed(c, FIX("bad_tab.yaml"), 4, "cannot start any token");
    expect_malformed(c, FIX("bad_quote.yaml"), 7, "quoted scalar");
    expect_malformed(c, FIX("bad_indent.yaml"), 5, "mapping values are not allowed");
    expect_malformed(c, FIX("bad_noheader.yaml"), 1, "missing '%YAML 1.1' header");
    expect_malformed(c, FIX("bad_version.yaml"), 1, "YAML version 1.2");
    expect_malformed(c, FIX("bad_alias.yaml"), 5, "unknown alias '*nowhere'");
    expect_malformed(c, FIX("bad_toplevel.yaml"), 3, "must be a mapping");
    expect_malformed(c, FIX("bad_twodocs.yaml"), 5, "more than one YAML document");
    assert_null(c->root->child);
    assert_int_equal(c->n_nodes, 1);
}

static void
test_malformed_strings(void **state)
{
    struct cfg *c = *state;

    assert_int_equal(cfg_load_string(c, "a: 1\n? [x]\n: 2\n", "s"), NIDS_EINVAL);
    assert_string_equal(c->err, "s:2: a key must be a scalar");
    assert_int_equal(cfg_load_string(c, "a: 1\n'': 2\n", "s"), NIDS_EINVAL);
    assert_string_equal(c->err, "s:2: empty key");
    assert_int_equal(cfg_load_string(c, "a: \"x\\0y\"\n", "s"), NIDS_EINVAL);
    assert_string_equal(c->err, "s:1: NUL byte in value");
    assert_int_equal(cfg_load_string(c, "a: [1, 2\n", "s"), NIDS_EINVAL);
    assert_non_null(strstr(c->err, "s:2: "));
    assert_int_equal(cfg_load_string(c, "a: b: c\n", "s"), NIDS_EINVAL);
    assert_non_null(strstr(c->err, "s:1: "));
    assert_int_equal(cfg_load_string(c, "a: *x\n", "s"), NIDS_EINVAL);
    assert_string_equal(c->err, "s:1: unknown alias '*x'");
    /* an alias to an anchor that is still open is unknown too */
    assert_int_equal(cfg_load_string(c, "a: &x [ *x ]\n", "s"), NIDS_EINVAL);
    assert_non_null(strstr(c->err, "unknown alias '*x'"));
    assert_null(c->root->child);
}

/* "a:\n  a:\n    a: ..." nested `levels` mappings deep, ending in "v". */
static char *
nested_yaml(int levels)
{
    size_t cap = (size_t)levels * ((size_t)levels * 2 + 8) + 16, pos = 0;
    char *s = malloc(cap);
    int i;

    assert_non_null(s);
    for (i = 0; i < levels; i++)
        pos += (size_t)snprintf(s + pos, cap - pos, "%*sk:%s\n", i * 2, "",
                                i == levels - 1 ? " v" : "");
    return s;
}

static void
test_deep_nesting(void **state)
{
    struct cfg *c = *state;
    char *s;

    /* 64 nested mappings below the root plus a scalar: accepted */
    s = nested_yaml(CFG_MAX_DEPTH + 1);
    assert_cfg_ok(c, cfg_load_string(c, s, "deep"));
    free(s);
    /* one more is too deep, with the line of the offending mapping */
    s = nested_yaml(CFG_MAX_DEPTH + 2);
    assert_int_equal(cfg_load_string(c, s, "deep"), NIDS_EINVAL);
    assert_non_null(strstr(c->err, "deep:65: nesting deeper than 64"));
    free(s);
    /* flow style, far beyond the limit */
    s = malloc(100003);
    assert_non_null(s);
    memcpy(s, "a: ", 3);
    memset(s + 3, '[', 100000);
    s[100002] = '\0';
    assert_int_equal(cfg_load_string(c, s, "flow"), NIDS_EINVAL);
    assert_non_null(strstr(c->err, "flow:1: "));
    free(s);
}

static void
test_binary_garbage(void **state)
{
    struct cfg *c = *state;
    char path[] = "/tmp/test_cfg_garbage_XXXXXX";
    unsigned char buf[4096];
    uint32_t x = 2463534242u;
    size_t i;
    int fd, round;

    /* fixed xorshift stream: deterministic garbage with NULs and high bytes */
    for (round = 0; round < 8; round++) {
        for (i = 0; i < sizeof(buf); i++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            buf[i] = (unsigned char)x;
        }
        if (round == 0)
            memcpy(buf, "%YAML 1.1\n---\n", 14);
        fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, buf, sizeof(buf)), (ssize_t)sizeof(buf));
        close(fd);
        assert_int_equal(cfg_load_file(c, path), NIDS_EINVAL);
        assert_int_equal(strncmp(c->err, path, strlen(path)), 0);
        assert_int_equal(c->err[strlen(path)], ':');
        unlink(path);
        memcpy(path + sizeof(path) - 7, "XXXXXX", 6);
    }
    assert_null(c->root->child);
}

static void
test_alias_bomb(void **state)
{
    struct cfg *c = *state;
    const char *bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
                       "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                       "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                       "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                       "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                       "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                       "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n";

    assert_int_equal(cfg_load_string(c, bomb, "bomb"), NIDS_EINVAL);
    assert_non_null(strstr(c->err, "more than 100000 nodes"));
    assert_null(c->root->child);
    assert_int_equal(c->n_nodes, 1);
}

static void
test_sequence_of_maps(void **state)
{
    struct cfg *c = *state;

    assert_cfg_ok(c, cfg_load_string(c,
                                     "outputs:\n"
                                     "  - fast:\n"
                                     "      enabled: yes\n"
                                     "  - eve-log:\n"
                                     "      types:\n"
                                     "        - alert:\n"
                                     "            payload: yes\n"
                                     "        - flow\n"
                                     "  - plain\n",
                                     "seq"));
    assert_int_equal(cfg_lookup(c, "outputs.0")->kind, CFG_KIND_MAP);
    assert_string_equal(cfg_lookup(c, "outputs.0")->child->name, "fast");
    assert_string_equal(val(c, "outputs.0.fast.enabled"), "yes");
    assert_int_equal(cfg_lookup(c, "outputs.1")->line, 4);
    assert_string_equal(val(c, "outputs.1.eve-log.types.0.alert.payload"), "yes");
    assert_string_equal(val(c, "outputs.1.eve-log.types.1"), "flow");
    assert_string_equal(cfg_lookup(c, "outputs.1.eve-log.types.1")->name, "1");
    assert_string_equal(val(c, "outputs.2"), "plain");
}

static void
test_corpus(void **state)
{
    struct cfg *c = *state;
    struct stat st;
    glob_t g;
    size_t i, n_ok = 0, n_missing_include = 0;
    int rc;

    if (stat(CORPUS_DIR, &st) != 0 || !S_ISDIR(st.st_mode)) {
        print_message("skip: %s not found (run from the repository root)\n", CORPUS_DIR);
        skip();
    }
    assert_int_equal(glob(CORPUS_DIR "/*/suricata.yaml", 0, NULL, &g), 0);
    assert_true(g.gl_pathc > 0);
    for (i = 0; i < g.gl_pathc; i++) {
        cfg_fini(c);
        cfg_init(c);
        rc = cfg_load_file(c, g.gl_pathv[i]);
        if (rc == NIDS_EIO && strstr(c->err, "include 'default.yaml'") != NULL) {
            /* the corpus does not ship Suricata's default.yaml */
            n_missing_include++;
            cfg_fini(c);
            cfg_init(c);
            c->include_missing_ok = true;
            rc = cfg_load_file(c, g.gl_pathv[i]);
        }
        if (rc != 0)
            fail_msg("%s: %s", g.gl_pathv[i], c->err);
        assert_non_null(c->root->child);
        assert_int_equal(count_nodes(c->root), c->n_nodes);
        n_ok++;
    }
    print_message("loaded %zu corpus suricata.yaml files (%zu include a missing default.yaml)\n",
                  n_ok, n_missing_include);
    globfree(&g);

    cfg_fini(c);
    cfg_init(c);
    assert_cfg_ok(c, cfg_load_file(c, CORPUS_DIR "/eve-flow-vlan/suricata.yaml"));
    assert_string_equal(val(c, "outputs.0.eve-log.types.0"), "flow");
    assert_string_equal(val(c, "outputs.0.eve-log.filename"), "eve.json");
}

/* ---- --set ------------------------------------------------------------------ */

static void
test_set(void **state)
{
    struct cfg *c = *state;
    const struct cfg_node *n;

    assert_cfg_ok(c, cfg_load_file(c, FIX("set_base.yaml")));
    /* the suricata-verify form: a null "types" becomes a mapping */
    assert_cfg_ok(c, cfg_set(c, "outputs.1.eve-log.types.2.anomaly.types.stream=yes"));
    n = cfg_lookup(c, "outputs.1.eve-log.types.2.anomaly.types.stream");
    assert_non_null(n);
    assert_string_equal(n->value, "yes");
    assert_string_equal(n->file, "--set");
    assert_int_equal(n->line, 0);
    assert_int_equal(cfg_lookup(c, "outputs.1.eve-log.types.2.anomaly.types")->kind, CFG_KIND_MAP);
    /* replace an existing scalar, keep its place */
    assert_cfg_ok(c, cfg_set(c, "outputs.0.fast.enabled=no"));
    n = cfg_lookup(c, "outputs.0.fast.enabled");
    assert_string_equal(n->value, "no");
    assert_string_equal(n->next->name, "filename");
    /* a sequence item replaced, then one appended */
    assert_cfg_ok(c, cfg_set(c, "rule-files.1=c.rules"));
    assert_cfg_ok(c, cfg_set(c, "rule-files.2=d.rules"));
    assert_string_equal(val(c, "rule-files.1"), "c.rules");
    assert_string_equal(val(c, "rule-files.2"), "d.rules");
    /* append a map item to a sequence of maps */
    assert_cfg_ok(c, cfg_set(c, "outputs.1.eve-log.types.4.dns.enabled=yes"));
    assert_string_equal(val(c, "outputs.1.eve-log.types.4.dns.enabled"), "yes");
    assert_string_equal(val(c, "outputs.1.eve-log.types.3"), "flow");
    /* new paths; a new node followed by 0 is a sequence */
    assert_cfg_ok(c, cfg_set(c, "stream.reassembly.depth=1mb"));
    assert_string_equal(val(c, "stream.reassembly.depth"), "1mb");
    assert_cfg_ok(c, cfg_set(c, "new-list.0=first"));
    assert_int_equal(cfg_lookup(c, "new-list")->kind, CFG_KIND_SEQ);
    assert_string_equal(val(c, "new-list.0"), "first");
    /* the value keeps '=' and may be empty; a map becomes a scalar */
    assert_cfg_ok(c, cfg_set(c, "vars.address-groups.HOME_NET=[10.0.0.0/8]=x"));
    assert_string_equal(val(c, "vars.address-groups.HOME_NET"), "[10.0.0.0/8]=x");
    assert_cfg_ok(c, cfg_set(c, "outputs.0.fast="));
    assert_string_equal(val(c, "outputs.0.fast"), "");
    assert_null(cfg_lookup(c, "outputs.0.fast.filename"));
    /* numeric keys of a mapping are just names */
    assert_cfg_ok(c, cfg_set(c, "stream.7=x"));
    assert_string_equal(val(c, "stream.7"), "x");
    assert_int_equal(count_nodes(c->root), c->n_nodes);
}

static void
test_set_errors(void **state)
{
    struct cfg *c = *state;
    size_t before;
    char *deep;
    int i;

    assert_cfg_ok(c, cfg_load_file(c, FIX("set_base.yaml")));
    before = c->n_nodes;
    assert_int_equal(cfg_set(c, "novalue"), NIDS_EINVAL);
    assert_string_equal(c->err, "--set: 'novalue': expected KEY=VALUE");
    assert_int_equal(cfg_set(c, "=x"), NIDS_EINVAL);
    assert_non_null(strstr(c->err, "expected KEY=VALUE"));
    assert_int_equal(cfg_set(c, "a..b=x"), NIDS_EINVAL);
    assert_non_null(strstr(c->err, "empty segment"));
    assert_int_equal(cfg_set(c, ".a=x"), NIDS_EINVAL);
    assert_int_equal(cfg_set(c, "a.=x"), NIDS_EINVAL);
    /* index two past the end */
    assert_int_equal(cfg_set(c, "rule-files.3=x"), NIDS_EINVAL);
    assert_string_equal(c->err, "--set: index 3 is past the end of a sequence of 2 items");
    assert_int_equal(cfg_set(c, "rule-files.01=x"), NIDS_EINVAL);
    assert_int_equal(cfg_set(c, "rule-files.x=y"), NIDS_EINVAL);
    assert_non_null(strstr(c->err, "'x' is not an index"));
    assert_int_equal(cfg_set(c, "brand.new.1=x"), NIDS_EINVAL);
    assert_null(cfg_lookup(c, "brand"));
    assert_int_equal(c->n_nodes, before);

    /* depth limit */
    deep = malloc(CFG_MAX_DEPTH * 2 + 16);
    assert_non_null(deep);
    for (i = 0; i < CFG_MAX_DEPTH + 1; i++)
        memcpy(deep + i * 2, "a.", 2);
    memcpy(deep + (CFG_MAX_DEPTH + 1) * 2 - 1, "=1", 3);
    assert_cfg_ok(c, cfg_set(c, deep)); /* 65 segments: 64 maps and a leaf */
    memcpy(deep + (CFG_MAX_DEPTH + 1) * 2 - 1, ".b=1", 5);
    assert_int_equal(cfg_set(c, deep), NIDS_EINVAL);
    assert_non_null(strstr(c->err, "nested deeper than 64"));
    free(deep);

    /* --set on an empty config creates the root */
    cfg_fini(c);
    cfg_init(c);
    assert_cfg_ok(c, cfg_set(c, "a.b=1"));
    assert_string_equal(val(c, "a.b"), "1");
}

/* ---- getters ---------------------------------------------------------------- */

/* The error must name the key and the line. */
static void
expect_type_error(struct cfg *c, int rc, int want_rc, const char *msg)
{
    assert_int_equal(rc, want_rc);
    if (strcmp(c->err, msg) != 0)
        fail_msg("got '%s', want '%s'", c->err, msg);
}

static void
test_get_bool(void **state)
{
    static const char *const t[] = {"yes-word", "true-word", "on-word", "one", "enabled-word"};
    static const char *const f[] = {"no-word", "false-word", "off-word", "zero", "disable-word"};
    struct cfg *c = *state;
    const struct cfg_node *bools;
    bool b;
    size_t i;

    /* no config at all: defaults */
    b = false;
    assert_cfg_ok(c, cfg_get_bool(c, NULL, "stream.midstream", true, &b));
    assert_true(b);

    assert_cfg_ok(c, cfg_load_file(c, FIX("scalars.yaml")));
    bools = cfg_lookup(c, "bools");
    for (i = 0; i < NIDS_ARRAY_LEN(t); i++) {
        b = false;
        assert_cfg_ok(c, cfg_get_bool(c, bools, t[i], false, &b));
        assert_true(b);
        b = true;
        assert_cfg_ok(c, cfg_get_bool(c, bools, f[i], true, &b));
        assert_false(b);
    }
    b = false;
    assert_cfg_ok(c, cfg_get_bool(c, NULL, "bools.absent", true, &b));
    assert_true(b);
    b = true;
    assert_cfg_ok(c, cfg_get_bool(c, NULL, "nulls.empty", false, &b)); /* `key:` */
    assert_false(b);
    /* key NULL reads base itself */
    assert_cfg_ok(c, cfg_get_bool(c, cfg_lookup(c, "bools.one"), NULL, false, &b));
    assert_true(b);

    b = true;
    expect_type_error(c, cfg_get_bool(c, NULL, "bools.maybe", false, &b), NIDS_EINVAL,
                      FIX("scalars.yaml") ":30: key 'bools.maybe': expected a boolean, "
                                          "got 'maybe'");
    assert_true(b); /* untouched */
    expect_type_error(c, cfg_get_bool(c, bools, NULL, false, &b), NIDS_EINVAL,
                      FIX("scalars.yaml") ":19: key 'bools': expected a boolean, "
                                          "got a mapping");
    expect_type_error(c, cfg_get_bool(c, NULL, "flow-seq", false, &b), NIDS_EINVAL,
                      FIX("scalars.yaml") ":49: key 'flow-seq': expected a boolean, "
                                          "got a sequence");
    /* the message for a --set value */
    assert_cfg_ok(c, cfg_set(c, "stream.midstream=maybe"));
    expect_type_error(c, cfg_get_bool(c, NULL, "stream.midstream", false, &b), NIDS_EINVAL,
                      "--set: key 'stream.midstream': expected a boolean, got 'maybe'");
}

static void
test_get_u64(void **state)
{
    struct cfg *c = *state;
    const struct cfg_node *nums;
    uint64_t v;

    assert_cfg_ok(c, cfg_load_file(c, FIX("scalars.yaml")));
    nums = cfg_lookup(c, "numbers");
    v = 1;
    assert_cfg_ok(c, cfg_get_u64(c, nums, "zero", 7, &v));
    assert_int_equal(v, 0);
    assert_cfg_ok(c, cfg_get_u64(c, nums, "big", 7, &v));
    assert_true(v == UINT64_MAX);
    assert_cfg_ok(c, cfg_get_u64(c, nums, "absent", 7, &v));
    assert_int_equal(v, 7);
    assert_cfg_ok(c, cfg_get_u64(c, NULL, "nulls.tilde", 9, &v));
    assert_int_equal(v, 9);
    assert_cfg_ok(c, cfg_get_u64(c, NULL, "flow-seq.2", 9, &v));
    assert_int_equal(v, 3);

    v = 5;
    expect_type_error(c, cfg_get_u64(c, nums, "over", 0, &v), NIDS_ERANGE,
                      FIX("scalars.yaml") ":34: key 'numbers.over': a number "
                                          "'18446744073709551616' is out of range");
    assert_int_equal(v, 5);
    expect_type_error(c, cfg_get_u64(c, nums, "negative", 0, &v), NIDS_EINVAL,
                      FIX("scalars.yaml") ":35: key 'numbers.negative': expected a number, "
                                          "got '-1'");
    expect_type_error(c, cfg_get_u64(c, nums, "hex", 0, &v), NIDS_EINVAL,
                      FIX("scalars.yaml") ":36: key 'numbers.hex': expected a number, "
                                          "got '0x10'");
    assert_int_equal(cfg_get_u64(c, nums, "float", 0, &v), NIDS_EINVAL);
    assert_int_equal(cfg_get_u64(c, NULL, "sizes.mb", 0, &v), NIDS_EINVAL);
    expect_type_error(c, cfg_get_u64(c, NULL, "flow-map", 0, &v), NIDS_EINVAL,
                      FIX("scalars.yaml") ":50: key 'flow-map': expected a number, "
                                          "got a mapping");
    assert_int_equal(v, 5);
}

static void
test_get_size(void **state)
{
    static const struct {
        const char *key;
        uint64_t want;
    } ok[] = {
            {"plain", 1048576},          {"kb", 512 * 1024},       {"mb", 64 * 1024 * 1024},
            {"gb", 1024 * 1024 * 1024},  {"mib", 2 * 1024 * 1024}, {"upper", 4096},
            {"gib", 1024 * 1024 * 1024}, {"frac", 1536},
    };
    struct cfg *c = *state;
    const struct cfg_node *sizes;
    uint64_t v;
    size_t i;

    assert_cfg_ok(c, cfg_load_file(c, FIX("scalars.yaml")));
    sizes = cfg_lookup(c, "sizes");
    for (i = 0; i < NIDS_ARRAY_LEN(ok); i++) {
        v = 0;
        assert_cfg_ok(c, cfg_get_size(c, sizes, ok[i].key, 1, &v));
        if (v != ok[i].want)
            fail_msg("%s: got %llu, want %llu", ok[i].key, (unsigned long long)v,
                     (unsigned long long)ok[i].want);
    }
    assert_cfg_ok(c, cfg_get_size(c, sizes, "absent", 12345, &v));
    assert_int_equal(v, 12345);

    expect_type_error(c, cfg_get_size(c, sizes, "bad-unit", 0, &v), NIDS_EINVAL,
                      FIX("scalars.yaml") ":47: key 'sizes.bad-unit': expected a size, "
                                          "got '10xb'");
    expect_type_error(c, cfg_get_size(c, sizes, "too-big", 0, &v), NIDS_ERANGE,
                      FIX("scalars.yaml") ":48: key 'sizes.too-big': a size '16777216tb' is "
                                          "out of range");
    assert_int_equal(cfg_get_size(c, NULL, "numbers.negative", 0, &v), NIDS_EINVAL);
    assert_int_equal(cfg_get_size(c, NULL, "plain", 0, &v), NIDS_EINVAL);
}

static void
test_size_parse(void **state)
{
    static const struct {
        const char *s;
        int rc;
        uint64_t want;
    } t[] = {
            {"0", 0, 0},
            {"1", 0, 1},
            {"  10  ", 0, 10},
            {"1kb", 0, 1024},
            {"1KiB", 0, 1024},
            {"1 mb", 0, 1048576},
            {"3MIB", 0, 3145728},
            {"2gb", 0, 2147483648u},
            {"2GiB", 0, 2147483648u},
            {"1tb", 0, 1099511627776ull},
            {"0.5kb", 0, 512},
            {"1.5", 0, 1},
            {"1.0000001gb", 0, 1073741824},
            {"16777215tb", 0, 16777215ull << 40},
            {"18446744073709551615", 0, UINT64_MAX},
            {"18446744073709551616", NIDS_ERANGE, 0},
            {"16777216tb", NIDS_ERANGE, 0},
            {"", NIDS_EINVAL, 0},
            {"mb", NIDS_EINVAL, 0},
            {"1 m", NIDS_EINVAL, 0},
            {"1k", NIDS_EINVAL, 0},
            {"1b", NIDS_EINVAL, 0},
            {"1.kb", NIDS_EINVAL, 0},
            {".5kb", NIDS_EINVAL, 0},
            {"1kb2", NIDS_EINVAL, 0},
            {"1 kb x", NIDS_EINVAL, 0},
            {"-1kb", NIDS_EINVAL, 0},
            {"1kbb", NIDS_EINVAL, 0},
    };
    uint64_t v;
    size_t i;
    int rc;

    (void)state;
    for (i = 0; i < NIDS_ARRAY_LEN(t); i++) {
        v = 0;
        rc = cfg_size_parse(t[i].s, &v);
        if (rc != t[i].rc || (rc == 0 && v != t[i].want))
            fail_msg("'%s': rc %d value %llu, want rc %d value %llu", t[i].s, rc,
                     (unsigned long long)v, t[i].rc, (unsigned long long)t[i].want);
    }
}

static void
test_get_str(void **state)
{
    struct cfg *c = *state;
    const char *s = NULL;

    assert_cfg_ok(c, cfg_get_str(c, NULL, "x", "dflt", &s));
    assert_string_equal(s, "dflt");
    assert_cfg_ok(c, cfg_load_file(c, FIX("scalars.yaml")));
    assert_cfg_ok(c, cfg_get_str(c, NULL, "plain", NULL, &s));
    assert_string_equal(s, "hello world");
    assert_cfg_ok(c, cfg_get_str(c, NULL, "nulls.empty", "dflt", &s));
    assert_string_equal(s, "dflt");
    assert_cfg_ok(c, cfg_get_str(c, NULL, "absent", NULL, &s));
    assert_null(s);
    assert_cfg_ok(c, cfg_get_str(c, cfg_lookup(c, "flow-seq"), "1", NULL, &s));
    assert_string_equal(s, "b c");
    s = "keep";
    expect_type_error(c, cfg_get_str(c, NULL, "copy", NULL, &s), NIDS_EINVAL,
                      FIX("scalars.yaml") ":54: key 'copy': expected a string, got a mapping");
    assert_string_equal(s, "keep");
    /* getters mark what they read */
    assert_true(cfg_node_find(c->root, "plain")->used);
    assert_false(cfg_node_find(c->root, "single")->used);
}

static void
test_message_sanitized(void **state)
{
    struct cfg *c = *state;
    bool b;

    assert_cfg_ok(c, cfg_load_string(c, "k: \"\\e[31mred\"\n", "s"));
    assert_int_equal(cfg_get_bool(c, NULL, "k", false, &b), NIDS_EINVAL);
    assert_string_equal(c->err, "s:1: key 'k': expected a boolean, got '?[31mred'");
    assert_cfg_ok(c, cfg_set(c, "long=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                                "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
    assert_int_equal(cfg_get_bool(c, NULL, "long", false, &b), NIDS_EINVAL);
    assert_non_null(strstr(c->err, "xxx...'"));
}

/* ---- paths, warnings, dump -------------------------------------------------- */

static void
test_node_path(void **state)
{
    struct cfg *c = *state;
    const struct cfg_node *n;
    char buf[64], small[8];

    assert_cfg_ok(c, cfg_load_file(c, FIX("set_base.yaml")));
    n = cfg_lookup(c, "outputs.1.eve-log.types");
    assert_string_equal(cfg_node_path(n, buf, sizeof(buf)), "outputs.1.eve-log.types");
    assert_string_equal(cfg_node_path(c->root, buf, sizeof(buf)), "");
    assert_string_equal(cfg_node_path(n, small, sizeof(small)), "outputs");
    assert_string_equal(cfg_node_path(n, small, 3), "ou");
    assert_string_equal(cfg_node_path(n, small, 1), "");
    assert_ptr_equal(cfg_node_path(n, small, 0), small);
}

static const char *const supported_keys[] = {
        "vars.address-groups.*",      "stream.memcap",
        "stream.reassembly.depth",    "outputs.*.eve-log.**",
        "app-layer.protocols.dns.**", NULL,
};

static int
warn_unsupported(struct cfg *c)
{
    return cfg_warn_unsupported(c, supported_keys);
}

static void
test_warn_unsupported(void **state)
{
    struct cfg *c = *state;
    char out[4096];
    int n;

    assert_int_equal(cfg_warn_unsupported(c, supported_keys), 0);
    assert_cfg_ok(c, cfg_load_file(c, FIX("unsupported.yaml")));
    capture_stderr(c, warn_unsupported, &n, out, sizeof(out));
    assert_int_equal(n, 5);
    assert_non_null(strstr(out, FIX("unsupported.yaml") ":12: unsupported key "
                                                        "'stream.reassembly.toserver-chunk-size'"
                                                        " ignored\n"));
    assert_non_null(strstr(out, FIX("unsupported.yaml") ":18: unsupported key 'outputs.1.fast' "
                                                        "ignored\n"));
    assert_non_null(strstr(out, "unsupported.yaml:20: unsupported key 'outputs.2.pcap-log'"));
    assert_non_null(strstr(out, "unsupported.yaml:24: unsupported key "
                                "'app-layer.protocols.tls' ignored"));
    assert_non_null(strstr(out, "unsupported.yaml:28: unsupported key 'luajit' ignored"));
    /* only the topmost node of an unsupported subtree */
    assert_null(strstr(out, "luajit.states"));
    assert_null(strstr(out, "tls.enabled"));

    /* what a module looked up counts as supported */
    assert_non_null(cfg_lookup(c, "luajit.states"));
    assert_int_equal(cfg_warn_unsupported(c, supported_keys), 4);
    /* without patterns only the used nodes pass; "**" passes everything */
    assert_int_equal(cfg_warn_unsupported(c, NULL), 4); /* vars stream outputs app-layer */
    {
        static const char *const all[] = {"**", NULL};
        static const char *const top[] = {"*", NULL};

        assert_int_equal(cfg_warn_unsupported(c, all), 0);
        /* "*" names the top-level nodes but not their children */
        assert_int_equal(cfg_warn_unsupported(c, top), 7);
    }
}

static void
test_pattern_match(void **state)
{
    const char *segs[] = {"outputs", "0", "eve-log", "types"};

    (void)state;
    assert_int_equal(cfg_pattern_match("outputs.*.eve-log.**", segs, 1), CFG_MATCH_PREFIX);
    assert_int_equal(cfg_pattern_match("outputs.*.eve-log.**", segs, 2), CFG_MATCH_PREFIX);
    assert_int_equal(cfg_pattern_match("outputs.*.eve-log.**", segs, 3), CFG_MATCH_SUBTREE);
    assert_int_equal(cfg_pattern_match("outputs.*.eve-log.**", segs, 4), CFG_MATCH_SUBTREE);
    assert_int_equal(cfg_pattern_match("outputs.*.fast.**", segs, 3), CFG_MATCH_NONE);
    assert_int_equal(cfg_pattern_match("outputs.*", segs, 2), CFG_MATCH_NODE);
    assert_int_equal(cfg_pattern_match("outputs.*", segs, 3), CFG_MATCH_NONE);
    assert_int_equal(cfg_pattern_match("outputs", segs, 1), CFG_MATCH_NODE);
    assert_int_equal(cfg_pattern_match("output", segs, 1), CFG_MATCH_NONE);
    assert_int_equal(cfg_pattern_match("outputsx", segs, 1), CFG_MATCH_NONE);
    assert_int_equal(cfg_pattern_match("**", segs, 4), CFG_MATCH_SUBTREE);
    assert_int_equal(cfg_pattern_match("", segs, 1), CFG_MATCH_NONE);
}

static void
test_dump(void **state)
{
    struct cfg *c = *state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f;

    assert_cfg_ok(c, cfg_load_file(c, FIX("minimal.yaml")));
    assert_cfg_ok(c, cfg_set(c, "outputs.0.eve-log.types.2=dns"));
    f = open_memstream(&buf, &len);
    assert_non_null(f);
    cfg_dump(c, f);
    fclose(f);
    assert_string_equal(buf, "stream.memcap = 64mb\n"
                             "stream.midstream = false\n"
                             "outputs.0.eve-log.enabled = yes\n"
                             "outputs.0.eve-log.types.0 = alert\n"
                             "outputs.0.eve-log.types.1 = flow\n"
                             "outputs.0.eve-log.types.2 = dns\n"
                             "rule-files.0 = local.rules\n");
    free(buf);

    /* an empty config dumps nothing */
    cfg_fini(c);
    cfg_init(c);
    buf = NULL;
    f = open_memstream(&buf, &len);
    assert_non_null(f);
    cfg_dump(c, f);
    fclose(f);
    assert_string_equal(buf, "");
    free(buf);
}

static void
test_fini_twice(void **state)
{
    struct cfg *c = *state;

    assert_cfg_ok(c, cfg_load_file(c, FIX("include_main.yaml")));
    cfg_fini(c);
    assert_null(c->root);
    assert_null(c->files);
    cfg_fini(c);
    cfg_init(c);
    assert_null(cfg_lookup(c, "stream"));
    assert_int_equal(cfg_warn_unsupported(c, NULL), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_cfg, teardown_cfg)

int
main(void)
{
    const struct CMUnitTest tests[] = {
            T(test_minimal),
            T(test_load_missing_file),
            T(test_load_string),
            T(test_failed_load_changes_nothing),
            T(test_include),
            T(test_include_errors),
            T(test_scalar_kinds),
            T(test_malformed_files),
            T(test_malformed_strings),
            T(test_deep_nesting),
            T(test_binary_garbage),
            T(test_alias_bomb),
            T(test_sequence_of_maps),
            T(test_corpus),
            T(test_set),
            T(test_set_errors),
            T(test_get_bool),
            T(test_get_u64),
            T(test_get_size),
            T(test_size_parse),
            T(test_get_str),
            T(test_message_sanitized),
            T(test_node_path),
            T(test_warn_unsupported),
            T(test_pattern_match),
            T(test_dump),
            T(test_fini_twice),
    };

    return cmocka_run_group_tests_name("cfg", tests, NULL, NULL);
}
