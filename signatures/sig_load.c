/*
 * sig_load.c - reading a rule set: the rule files (-S, or the config's
 * default-rule-path and rule-files), classification-file,
 * threshold-file and the engine's settings, then the build.
 *
 * A rule file holds one rule per line; a line ending in '\' continues on
 * the next; '#' starts a comment line. Every rule that fails is reported
 * as "FILE:LINE: reason" and the others load; one summary line ends the
 * load. Settings read here:
 *
 *   packet-alert-max              alerts written per packet (default 15; 0 = default)
 *   pcre.match-limit              pcre2 match limit (3500)
 *   pcre.match-limit-recursion    pcre2 depth limit (1500)
 *   detect.flow-states            per-worker flow detection states (16384)
 *   detect.stream-windows         per-worker stream windows of 4 KiB (4096)
 *   detect.threshold-entries      per-worker threshold trackers (16384)
 */
#include "sig_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cfg.h"
#include "log.h"

static double
sig_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
sig_load_u32(struct cfg *c, const char *key, uint32_t *out)
{
    uint64_t v;

    if (cfg_get_u64(c, NULL, key, *out, &v) < 0) {
        log_error("config: %s", c->err);
        return NIDS_EINVAL;
    }
    if (v > UINT32_MAX) {
        log_error("config: %s: %llu is too large", key, (unsigned long long)v);
        return NIDS_ERANGE;
    }
    *out = (uint32_t)v;
    return 0;
}

static int
sig_load_settings(struct sig_db *db, struct cfg *c)
{
    const char *path = NULL;

    if (sig_load_u32(c, "packet-alert-max", &db->packet_alert_max) < 0 ||
        sig_load_u32(c, "pcre.match-limit", &db->pcre_match_limit) < 0 ||
        sig_load_u32(c, "pcre.match-limit-recursion", &db->pcre_depth_limit) < 0 ||
        sig_load_u32(c, "detect.flow-states", &db->flow_states) < 0 ||
        sig_load_u32(c, "detect.stream-windows", &db->stream_windows) < 0 ||
        sig_load_u32(c, "detect.threshold-entries", &db->thr_entries) < 0)
        return NIDS_EINVAL;
    if (db->packet_alert_max == 0 || db->packet_alert_max > 65535)
        db->packet_alert_max = 15; /* Suricata: out of range means the default */
    if (cfg_get_str(c, NULL, "classification-file", NULL, &path) < 0) {
        log_error("config: %s", c->err);
        return NIDS_EINVAL;
    }
    if (path != NULL && path[0] != '\0') {
        FILE *fp = fopen(path, "r");
        char *text = NULL;
        size_t cap = 0;
        ssize_t n;
        if (fp == NULL) {
            log_warn("classification-file %s: %s (built-in classification used)", path,
                     strerror(errno));
            return 0;
        }
        n = getdelim(&text, &cap, '\0', fp);
        fclose(fp);
        if (n >= 0 && sig_class_load_text(db, text, path) < 0) {
            free(text);
            return NIDS_ENOMEM;
        }
        free(text);
    }
    return 0;
}

/* One file: rules (continuations joined) to the parser. */
static int
sig_load_file(struct sig_parse *ps, const char *path, struct sig_load_stats *st)
{
    FILE *fp = fopen(path, "r");
    char *line = NULL, *rule;
    size_t cap = 0, rlen = 0;
    ssize_t n;
    uint32_t ln = 0, first = 0;
    bool too_long = false;

    if (fp == NULL) {
        log_error("rule file %s: %s", path, strerror(errno));
        return NIDS_EIO;
    }
    rule = malloc(SIG_RULE_MAX);
    ps->file = sig_arena_strdup(&ps->db->arena, path);
    if (rule == NULL || ps->file == NULL) {
        fclose(fp);
        free(rule);
        return NIDS_ENOMEM;
    }
    st->files++;
    while ((n = getline(&line, &cap, fp)) >= 0) {
        size_t len = (size_t)n;
        bool cont;
        char *s = line;
        int rc;
        ln++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (rlen == 0) {
            while (*s == ' ' || *s == '\t')
                s++;
            if (*s == '\0' || *s == '#')
                continue;
            len -= (size_t)(s - line);
            first = ln;
            too_long = false;
        }
        cont = len > 0 && s[len - 1] == '\\';
        if (cont)
            len--;
        if (rlen + len + 1 > SIG_RULE_MAX)
            too_long = true;
        else {
            memcpy(rule + rlen, s, len);
            rlen += len;
        }
        if (cont)
            continue;
        rule[rlen] = '\0';
        rlen = 0;
        ps->line = first;
        if (too_long) {
            log_warn("%s:%u: rule longer than %d bytes", path, first, SIG_RULE_MAX);
            st->failed++;
            continue;
        }
        rc = sig_parse_rule(ps, rule);
        if (rc < 0) {
            log_warn("%s:%u: %s", path, first, ps->err);
            st->failed++;
        } else if (rc == 1 && ps->skip) {
            st->skipped++;
        }
    }
    if (rlen > 0) {
        log_warn("%s:%u: rule continues past the end of the file", path, first);
        st->failed++;
    }
    free(line);
    free(rule);
    fclose(fp);
    return 0;
}

/* The config's rule files: rule-files under default-rule-path. */
static int
sig_load_cfg_files(struct sig_parse *ps, struct cfg *c, struct sig_load_stats *st)
{
    const struct cfg_node *list = cfg_lookup(c, "rule-files"), *it;
    const char *dir = NULL;
    char path[4096];

    if (cfg_get_str(c, NULL, "default-rule-path", "", &dir) < 0) {
        log_error("config: %s", c->err);
        return NIDS_EINVAL;
    }
    if (list == NULL)
        return 0;
    if (list->kind != CFG_KIND_SEQ) {
        log_error("config: rule-files (%s:%d): expected a list", list->file, list->line);
        return NIDS_EINVAL;
    }
    for (it = list->child; it != NULL; it = it->next) {
        const char *name = it->value;
        int rc;
        if (name == NULL || name[0] == '\0')
            continue;
        if (name[0] == '/' || dir[0] == '\0')
            snprintf(path, sizeof(path), "%s", name);
        else
            snprintf(path, sizeof(path), "%s/%s", dir, name);
        rc = sig_load_file(ps, path, st);
        if (rc == NIDS_ENOMEM)
            return rc;
        if (rc < 0)
            log_warn("rule file %s skipped", path); /* Suricata goes on without it */
    }
    return 0;
}

struct sig_db *
sig_db_load(struct cfg *c, const char *const *files, unsigned n_files, struct sig_load_stats *st)
{
    struct sig_db *db = calloc(1, sizeof(*db));
    struct sig_parse *ps = NULL;
    const char *thr = NULL;
    double t0 = sig_now();
    char err[256];
    unsigned i;

    memset(st, 0, sizeof(*st));
    if (db == NULL || sig_db_init(db) < 0)
        goto out_nomem;
    if (c != NULL && sig_load_settings(db, c) < 0)
        goto out_fail;
    ps = sig_parse_create(db, c);
    if (ps == NULL)
        goto out_nomem;
    for (i = 0; i < n_files; i++) {
        int rc = sig_load_file(ps, files[i], st);
        if (rc == NIDS_ENOMEM)
            goto out_nomem;
        if (rc < 0)
            goto out_fail;
    }
    if (n_files == 0 && c != NULL && sig_load_cfg_files(ps, c, st) < 0)
        goto out_fail;
    if (c != NULL && cfg_get_str(c, NULL, "threshold-file", NULL, &thr) == 0 && thr != NULL &&
        thr[0] != '\0')
        (void)sig_threshold_file_load(db, thr, c);
    sig_parse_destroy(ps);
    ps = NULL;
    if (sig_db_build(db, err, sizeof(err)) < 0) {
        log_error("rules: %s", err);
        goto out_fail;
    }
    st->loaded = db->n_sigs;
    st->seconds = sig_now() - t0;
    if (st->failed > 0)
        log_warn("%u rules loaded, %u failed (%u rule files, %.2f s)", st->loaded, st->failed,
                 st->files, st->seconds);
    else
        log_info("%u rules loaded, %u failed (%u rule files, %.2f s)", st->loaded, st->failed,
                 st->files, st->seconds);
    return db;

out_nomem:
    log_error("rules: out of memory");
out_fail:
    sig_parse_destroy(ps);
    sig_db_destroy(db);
    return NULL;
}

void
sig_db_destroy(struct sig_db *db)
{
    if (db == NULL)
        return;
    sig_db_fini(db);
    free(db);
}
