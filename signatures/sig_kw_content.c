/*
 * sig_kw_content.c - content and its modifiers: nocase, depth, offset,
 * distance, within, startswith, endswith, fast_pattern, rawbytes, and the
 * legacy uricontent.
 *
 *   content:"GET /"; content:!"|0d 0a|Host|3a|"; content:"a\;b";
 *
 * Bytes between '|' are hex pairs (blanks allowed); outside, \" \; \\ \:
 * and \| stand for the character. A modifier applies to the last content
 * of the rule (whatever its buffer); how they combine is checked when the
 * rule is finished (sig_parse.c).
 */
#include "sig_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int
sig_hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The pattern of a content value into out; *neg for '!'. */
static int
sig_content_bytes(struct sig_parse *ps, const char *val, uint8_t *out, uint32_t *len, bool *neg)
{
    const char *s = val, *e;
    bool hex = false;
    uint32_t n = 0;
    int hi = -1;

    while (*s == ' ' || *s == '\t')
        s++;
    *neg = false;
    if (*s == '!') {
        *neg = true;
        s++;
        while (*s == ' ' || *s == '\t')
            s++;
    }
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    if (*s == '"') {
        if (e - s < 2 || e[-1] != '"')
            return sig_perr(ps, "content: missing closing quote in '%s'", val);
        s++;
        e--;
    }
    for (; s < e; s++) {
        int c = (unsigned char)*s;
        if (hex) {
            int v;
            if (c == '|') {
                if (hi >= 0)
                    return sig_perr(ps, "content: odd number of hex digits in '%s'", val);
                hex = false;
                continue;
            }
            if (c == ' ' || c == '\t')
                continue;
            v = sig_hexval(c);
            if (v < 0)
                return sig_perr(ps, "content: invalid hex '%c' in '%s'", c, val);
            if (hi < 0) {
                hi = v;
                continue;
            }
            c = hi << 4 | v;
            hi = -1;
        } else if (c == '|') {
            hex = true;
            continue;
        } else if (c == '\\') {
            if (s + 1 >= e || strchr("\";\\:|", s[1]) == NULL)
                return sig_perr(ps, "content: invalid escape in '%s'", val);
            c = (unsigned char)*++s;
        } else if (c == '"') {
            return sig_perr(ps, "content: unescaped '\"' in '%s'", val);
        }
        if (n >= SIG_PAT_MAX)
            return sig_perr(ps, "content longer than %d bytes", SIG_PAT_MAX);
        out[n++] = (uint8_t)c;
    }
    if (hex)
        return sig_perr(ps, "content: unterminated hex in '%s'", val);
    if (n == 0)
        return sig_perr(ps, "content: empty pattern");
    *len = n;
    return 0;
}

/* A content into list l. */
static int
sig_content_add(struct sig_parse *ps, int l, const char *val)
{
    uint8_t pat[SIG_PAT_MAX];
    struct sig_parse_list *pl = &ps->lists[l];
    struct sig_content *c;
    uint32_t len = 0;
    bool neg = false;
    int rc;

    if (val == NULL)
        return sig_perr(ps, "content needs a value");
    if ((rc = sig_content_bytes(ps, val, pat, &len, &neg)) < 0)
        return rc;
    if (pl->n >= SIG_CM_MAX)
        return sig_perr(ps, "more than %d content/pcre in one buffer", SIG_CM_MAX);
    memset(&pl->cm[pl->n], 0, sizeof(pl->cm[pl->n]));
    pl->cm[pl->n].type = SIG_CM_CONTENT;
    c = &pl->cm[pl->n].u.c;
    c->pat = sig_arena_memdup(&ps->db->arena, pat, len);
    if (c->pat == NULL)
        return sig_perr(ps, "out of memory");
    c->len = len;
    if (neg)
        c->flags |= SIG_CF_NEGATED;
    ps->last_l = l;
    ps->last_cm = pl->n++;
    return 0;
}

static int
sig_kw_content_setup(struct sig_parse *ps, const char *val)
{
    return sig_content_add(ps, ps->cur, val);
}

static int
sig_kw_uricontent(struct sig_parse *ps, const char *val)
{
    int cur = ps->cur, rc;

    if ((rc = sig_parse_set_buffer(ps, sig_buf_by_modifier("http_uri"), "uricontent")) < 0)
        return rc;
    rc = sig_content_add(ps, ps->cur, val);
    ps->cur = cur;
    return rc;
}

/* filename:[!]"name"; -- Suricata's legacy form of file.name; content:"name"; nocase; */
static int
sig_kw_filename(struct sig_parse *ps, const char *val)
{
    int cur = ps->cur, rc;
    uint16_t id = sig_buf_by_name("file.name", ps->s->app_proto);
    struct sig_content *c;
    uint32_t i;

    if (id == 0)
        return sig_perr(ps, "filename: no protocol here has file names");
    if ((rc = sig_parse_set_buffer(ps, id, "filename")) < 0)
        return rc;
    rc = sig_content_add(ps, ps->cur, val);
    ps->cur = cur;
    if (rc < 0)
        return rc;
    c = sig_parse_last_content(ps, "filename");
    c->flags |= SIG_CF_NOCASE;
    for (i = 0; i < c->len; i++)
        ((uint8_t *)(uintptr_t)c->pat)[i] = (uint8_t)tolower(c->pat[i]);
    return 0;
}

static int
sig_kw_nocase(struct sig_parse *ps, const char *val)
{
    struct sig_content *c = sig_parse_last_content(ps, "nocase");
    uint8_t *p;
    uint32_t i;

    if (c == NULL)
        return NIDS_EINVAL;
    if (val != NULL)
        return sig_perr(ps, "nocase takes no value");
    if (c->flags & SIG_CF_NOCASE)
        return sig_perr(ps, "nocase set twice");
    c->flags |= SIG_CF_NOCASE;
    p = (uint8_t *)(uintptr_t)c->pat; /* the rule's own arena copy */
    for (i = 0; i < c->len; i++)
        p[i] = (uint8_t)tolower(p[i]);
    return 0;
}

/* depth, offset, distance, within: a number (distance and offset may be negative/zero). */
static int
sig_content_num(struct sig_parse *ps, const char *kw, const char *val, uint32_t flag, int32_t *out,
                int32_t min)
{
    struct sig_content *c = sig_parse_last_content(ps, kw);
    const char *s = val;
    char *end;
    long v;

    if (c == NULL)
        return NIDS_EINVAL;
    if (val == NULL)
        return sig_perr(ps, "%s needs a value", kw);
    while (*s == ' ' || *s == '\t')
        s++;
    if (!isdigit((unsigned char)*s) && *s != '-')
        return sig_perr(ps, "%s: '%s' is not a number (variables are not supported)", kw, val);
    v = strtol(s, &end, 10);
    while (*end == ' ' || *end == '\t')
        end++;
    if (*end != '\0' || v < min || v > 65535)
        return sig_perr(ps, "%s: invalid value '%s'", kw, val);
    if (c->flags & flag)
        return sig_perr(ps, "%s set twice for one content", kw);
    if ((c->flags & SIG_CF_NEGATED) && flag == SIG_CF_FAST_PATTERN)
        return sig_perr(ps, "%s on a negated content", kw);
    c->flags |= flag;
    *out = (int32_t)v;
    return 0;
}

static int
sig_kw_depth(struct sig_parse *ps, const char *val)
{
    struct sig_content *c = sig_parse_last_content(ps, "depth");

    return c == NULL ? NIDS_EINVAL : sig_content_num(ps, "depth", val, SIG_CF_DEPTH, &c->depth, 1);
}

static int
sig_kw_offset(struct sig_parse *ps, const char *val)
{
    struct sig_content *c = sig_parse_last_content(ps, "offset");

    return c == NULL ? NIDS_EINVAL
                     : sig_content_num(ps, "offset", val, SIG_CF_OFFSET, &c->offset, 0);
}

static int
sig_kw_distance(struct sig_parse *ps, const char *val)
{
    struct sig_content *c = sig_parse_last_content(ps, "distance");

    return c == NULL ? NIDS_EINVAL
                     : sig_content_num(ps, "distance", val, SIG_CF_DISTANCE, &c->distance, -65535);
}

static int
sig_kw_within(struct sig_parse *ps, const char *val)
{
    struct sig_content *c = sig_parse_last_content(ps, "within");

    return c == NULL ? NIDS_EINVAL
                     : sig_content_num(ps, "within", val, SIG_CF_WITHIN, &c->within, 1);
}

static int
sig_content_flag(struct sig_parse *ps, const char *kw, const char *val, uint32_t flag)
{
    struct sig_content *c = sig_parse_last_content(ps, kw);

    if (c == NULL)
        return NIDS_EINVAL;
    if (val != NULL)
        return sig_perr(ps, "%s takes no value", kw);
    if (c->flags & flag)
        return sig_perr(ps, "%s set twice", kw);
    c->flags |= flag;
    return 0;
}

static int
sig_kw_startswith(struct sig_parse *ps, const char *val)
{
    return sig_content_flag(ps, "startswith", val, SIG_CF_STARTSWITH);
}

static int
sig_kw_endswith(struct sig_parse *ps, const char *val)
{
    return sig_content_flag(ps, "endswith", val, SIG_CF_ENDSWITH);
}

static int
sig_kw_rawbytes(struct sig_parse *ps, const char *val)
{
    return sig_content_flag(ps, "rawbytes", val, SIG_CF_RAWBYTES);
}

/* fast_pattern; fast_pattern:only; fast_pattern:off,len */
static int
sig_kw_fast_pattern(struct sig_parse *ps, const char *val)
{
    struct sig_content *c = sig_parse_last_content(ps, "fast_pattern");
    uint16_t l, i;

    if (c == NULL)
        return NIDS_EINVAL;
    if (c->flags & SIG_CF_NEGATED)
        return sig_perr(ps, "fast_pattern on a negated content");
    for (l = 0; l < ps->n_lists; l++)
        for (i = 0; i < ps->lists[l].n; i++)
            if (ps->lists[l].cm[i].type == SIG_CM_CONTENT &&
                (ps->lists[l].cm[i].u.c.flags & SIG_CF_FAST_PATTERN))
                return sig_perr(ps, "fast_pattern set on more than one content");
    c->flags |= SIG_CF_FAST_PATTERN;
    if (val == NULL)
        return 0;
    if (strcmp(val, "only") == 0) {
        c->flags |= SIG_CF_FP_ONLY;
        return 0;
    }
    {
        const char *s = val;
        char *end;
        unsigned long off, len;
        off = strtoul(s, &end, 10);
        if (!isdigit((unsigned char)*s) || *end != ',')
            return sig_perr(ps, "fast_pattern: expected 'only' or 'offset,length', not '%s'", val);
        s = end + 1;
        while (*s == ' ')
            s++;
        len = strtoul(s, &end, 10);
        if (!isdigit((unsigned char)*s) || *end != '\0' || off > 65535 || len > 65535)
            return sig_perr(ps, "fast_pattern: invalid 'offset,length' '%s'", val);
        c->fp_off = (uint16_t)off;
        c->fp_len = (uint16_t)len;
        c->flags |= SIG_CF_FP_CHOP;
    }
    return 0;
}

const struct sig_kw sig_kw_content[] = {
        {"content", sig_kw_content_setup}, {"uricontent", sig_kw_uricontent},
        {"filename", sig_kw_filename},     {"nocase", sig_kw_nocase},
        {"depth", sig_kw_depth},           {"offset", sig_kw_offset},
        {"distance", sig_kw_distance},     {"within", sig_kw_within},
        {"startswith", sig_kw_startswith}, {"endswith", sig_kw_endswith},
        {"rawbytes", sig_kw_rawbytes},     {"fast_pattern", sig_kw_fast_pattern},
};
const unsigned sig_kw_content_count = NIDS_ARRAY_LEN(sig_kw_content);
