/*
 * sig_kw_meta.c - keywords about the rule rather than the traffic: msg,
 * sid, rev, gid, classtype, priority, metadata, reference, target,
 * noalert, prefilter and requires.
 */
#include "sig_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The engine version `requires: version` is judged against (EVE layout of Suricata 8). */
#define SIG_COMPAT_MAJOR 8
#define SIG_COMPAT_MINOR 0
#define SIG_COMPAT_PATCH 7

static int
sig_kw_msg(struct sig_parse *ps, const char *val)
{
    char buf[4096];
    int rc;

    if (val == NULL)
        return sig_perr(ps, "msg needs a value");
    if ((rc = sig_unquote(ps, val, buf, sizeof(buf))) < 0)
        return rc;
    ps->s->msg = sig_arena_strdup(&ps->db->arena, buf);
    return ps->s->msg != NULL ? 0 : sig_perr(ps, "out of memory");
}

static int
sig_kw_u32(struct sig_parse *ps, const char *kw, const char *val, uint32_t *out, uint32_t min)
{
    uint64_t v;
    int rc = sig_parse_u64(ps, kw, val, UINT32_MAX, &v);

    if (rc < 0)
        return rc;
    if (v < min)
        return sig_perr(ps, "%s must be at least %u", kw, min);
    *out = (uint32_t)v;
    return 0;
}

static int
sig_kw_sid(struct sig_parse *ps, const char *val)
{
    ps->have_sid = true;
    return sig_kw_u32(ps, "sid", val, &ps->s->id, 1);
}

static int
sig_kw_rev(struct sig_parse *ps, const char *val)
{
    return sig_kw_u32(ps, "rev", val, &ps->s->rev, 0);
}

static int
sig_kw_gid(struct sig_parse *ps, const char *val)
{
    return sig_kw_u32(ps, "gid", val, &ps->s->gid, 0);
}

static int
sig_kw_classtype(struct sig_parse *ps, const char *val)
{
    char buf[256];
    int rc;

    if (val == NULL)
        return sig_perr(ps, "classtype needs a value");
    if ((rc = sig_unquote(ps, val, buf, sizeof(buf))) < 0)
        return rc;
    free(ps->classtype);
    ps->classtype = strdup(buf);
    return ps->classtype != NULL ? 0 : sig_perr(ps, "out of memory");
}

static int
sig_kw_priority(struct sig_parse *ps, const char *val)
{
    uint64_t v;
    int rc = sig_parse_u64(ps, "priority", val, 255, &v);

    if (rc < 0)
        return rc;
    if (v == 0)
        return sig_perr(ps, "priority must be 1 to 255");
    ps->s->prio = (uint8_t)v;
    ps->have_prio = true;
    return 0;
}

/* metadata: key value, key value, ... (logged as alert.metadata.key: [values]). */
static int
sig_kw_metadata(struct sig_parse *ps, const char *val)
{
    char buf[8192], *item, *rest = buf;
    int rc;

    if (val == NULL)
        return sig_perr(ps, "metadata needs a value");
    if ((rc = sig_unquote(ps, val, buf, sizeof(buf))) < 0)
        return rc;
    while ((item = sig_split(&rest, ',')) != NULL) {
        char *k = item, *v;
        if (*k == '\0')
            continue;
        v = strpbrk(k, " \t");
        if (v == NULL)
            return sig_perr(ps, "metadata: '%s' is not a 'key value' pair", k);
        *v++ = '\0';
        while (*v == ' ' || *v == '\t')
            v++;
        if (ps->n_meta >= SIG_META_MAX)
            return sig_perr(ps, "more than %d metadata entries", SIG_META_MAX);
        ps->meta[ps->n_meta].k = sig_arena_strdup(&ps->db->arena, k);
        ps->meta[ps->n_meta].v = sig_arena_strdup(&ps->db->arena, v);
        if (ps->meta[ps->n_meta].k == NULL || ps->meta[ps->n_meta].v == NULL)
            return sig_perr(ps, "out of memory");
        ps->n_meta++;
    }
    return 0;
}

/* reference: type,id. Checked, not logged. */
static int
sig_kw_reference(struct sig_parse *ps, const char *val)
{
    const char *comma = val != NULL ? strchr(val, ',') : NULL;

    if (comma == NULL || comma == val || comma[1] == '\0')
        return sig_perr(ps, "reference must be 'type,id'");
    return 0;
}

static int
sig_kw_target(struct sig_parse *ps, const char *val)
{
    char buf[32];
    int rc;

    if (val == NULL)
        return sig_perr(ps, "target needs src_ip or dest_ip");
    if ((rc = sig_unquote(ps, val, buf, sizeof(buf))) < 0)
        return rc;
    if (strcmp(buf, "dest_ip") == 0)
        ps->s->flags |= SIG_F_TARGET_DST;
    else if (strcmp(buf, "src_ip") == 0)
        ps->s->flags |= SIG_F_TARGET_SRC;
    else
        return sig_perr(ps, "target must be src_ip or dest_ip, not '%s'", buf);
    return 0;
}

static int
sig_kw_noalert(struct sig_parse *ps, const char *val)
{
    if (val != NULL)
        return sig_perr(ps, "noalert takes no value");
    ps->s->flags |= SIG_F_NOALERT;
    return 0;
}

static int
sig_kw_prefilter(struct sig_parse *ps, const char *val)
{
    if (val != NULL)
        return sig_perr(ps, "prefilter takes no value");
    ps->s->flags |= SIG_F_PREFILTER;
    return 0;
}

/* "8", "7.0.3": missing parts are 0. */
static bool
sig_version_read(const char **sp, long v[3])
{
    const char *s = *sp;
    int i;

    v[0] = v[1] = v[2] = 0;
    for (i = 0; i < 3; i++) {
        char *end;
        if (!isdigit((unsigned char)*s))
            return i > 0;
        v[i] = strtol(s, &end, 10);
        s = end;
        *sp = s;
        if (*s != '.')
            return true;
        s++;
    }
    return true;
}

static int
sig_version_cmp(const long a[3], const long b[3])
{
    int i;

    for (i = 0; i < 3; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

/* "version >= 7.0.3 < 8": every comparison must hold. */
static int
sig_requires_version(struct sig_parse *ps, const char *s, bool *met)
{
    static const long have[3] = {SIG_COMPAT_MAJOR, SIG_COMPAT_MINOR, SIG_COMPAT_PATCH};
    int n = 0;

    *met = true;
    for (;;) {
        const char *op;
        size_t ol;
        long want[3];
        int c;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '\0')
            break;
        op = s;
        while (*s == '<' || *s == '>' || *s == '=' || *s == '!')
            s++;
        ol = (size_t)(s - op);
        while (*s == ' ' || *s == '\t')
            s++;
        if (!sig_version_read(&s, want))
            return sig_perr(ps, "requires: invalid version in '%s'", op);
        c = sig_version_cmp(have, want);
        if (ol == 2 && strncmp(op, ">=", 2) == 0)
            *met &= c >= 0;
        else if (ol == 2 && strncmp(op, "<=", 2) == 0)
            *met &= c <= 0;
        else if (ol == 1 && *op == '>')
            *met &= c > 0;
        else if (ol == 1 && *op == '<')
            *met &= c < 0;
        else if ((ol == 1 && *op == '=') || (ol == 2 && strncmp(op, "==", 2) == 0))
            *met &= c == 0;
        else
            return sig_perr(ps, "requires: invalid operator in '%s'", op);
        n++;
    }
    return n > 0 ? 0 : sig_perr(ps, "requires: version needs a comparison");
}

/* requires: feature X, version >= N ... Unmet requirements skip the rule. */
static int
sig_kw_requires(struct sig_parse *ps, const char *val)
{
    char buf[1024], *item, *rest = buf;
    int rc;

    if (val == NULL)
        return sig_perr(ps, "requires needs a value");
    if ((rc = sig_unquote(ps, val, buf, sizeof(buf))) < 0)
        return rc;
    while ((item = sig_split(&rest, ',')) != NULL) {
        bool met = true;
        if (strncasecmp(item, "version", 7) == 0) {
            if ((rc = sig_requires_version(ps, item + 7, &met)) < 0)
                return rc;
        } else if (strncasecmp(item, "feature", 7) == 0) {
            met = false; /* no optional build features are claimed */
        } else {
            return sig_perr(ps, "requires: unknown requirement '%s'", item);
        }
        if (!met)
            ps->skip = true;
    }
    return 0;
}

const struct sig_kw sig_kw_meta[] = {
        {"msg", sig_kw_msg},
        {"sid", sig_kw_sid},
        {"rev", sig_kw_rev},
        {"gid", sig_kw_gid},
        {"classtype", sig_kw_classtype},
        {"priority", sig_kw_priority},
        {"metadata", sig_kw_metadata},
        {"reference", sig_kw_reference},
        {"target", sig_kw_target},
        {"noalert", sig_kw_noalert},
        {"prefilter", sig_kw_prefilter},
        {"requires", sig_kw_requires},
};
const unsigned sig_kw_meta_count = NIDS_ARRAY_LEN(sig_kw_meta);
