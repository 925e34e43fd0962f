/*
 * sig_parse.c - one rule of Suricata's language into a struct sig:
 *
 *   action proto src sport -> dst dport (keyword:value; keyword; ...)
 *
 * The header is split on blanks (brackets kept whole); options are split
 * on unescaped ';' and handed to the keyword tables of sig_kw_*.c, which
 * fill the parse state (struct sig_parse). sig_parse_finish() then checks
 * what the keywords built together, picks the fast pattern, works out
 * what kind of rule it is (IP-only, packet, payload, transaction) and in
 * which directions and at which transaction stage it is inspected, and
 * copies it into the set's arena.
 *
 * Every error is a message in ps->err naming the keyword and value; the
 * caller prefixes FILE:LINE. Start-up (and reload) thread only.
 */
#include "sig_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app_detect.h"

static const struct {
    const struct sig_kw *kw;
    const unsigned *n;
} sig_kw_tables[] = {
        {sig_kw_meta, &sig_kw_meta_count},         {sig_kw_content, &sig_kw_content_count},
        {sig_kw_pcre, &sig_kw_pcre_count},         {sig_kw_flow, &sig_kw_flow_count},
        {sig_kw_flowbits, &sig_kw_flowbits_count}, {sig_kw_ip, &sig_kw_ip_count},
        {sig_kw_tcp, &sig_kw_tcp_count},           {sig_kw_icmp, &sig_kw_icmp_count},
        {sig_kw_dsize, &sig_kw_dsize_count},       {sig_kw_threshold, &sig_kw_threshold_count},
        {sig_kw_buffer, &sig_kw_buffer_count},     {sig_kw_event, &sig_kw_event_count},
};

int
sig_perr(struct sig_parse *ps, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(ps->err, sizeof(ps->err), fmt, ap);
    va_end(ap);
    return NIDS_EINVAL;
}

struct sig_parse *
sig_parse_create(struct sig_db *db, struct cfg *cfg)
{
    struct sig_parse *ps = calloc(1, sizeof(*ps));

    if (ps == NULL)
        return NULL;
    ps->s = calloc(1, sizeof(*ps->s));
    if (ps->s == NULL) {
        free(ps);
        return NULL;
    }
    ps->db = db;
    ps->cfg = cfg;
    return ps;
}

void
sig_parse_destroy(struct sig_parse *ps)
{
    if (ps == NULL)
        return;
    free(ps->s);
    free(ps->classtype);
    free(ps);
}

static void
sig_parse_reset(struct sig_parse *ps)
{
    struct sig *s = ps->s;
    struct sig_db *db = ps->db;
    struct cfg *cfg = ps->cfg;
    const char *file = ps->file;
    uint32_t line = ps->line;

    free(ps->classtype);
    memset(s, 0, sizeof(*s));
    memset(ps, 0, sizeof(*ps));
    ps->s = s;
    ps->db = db;
    ps->cfg = cfg;
    ps->file = file;
    ps->line = line;
    s->file = file;
    s->line = line;
    ps->n_lists = 1; /* list 0: payload */
    ps->cur = 0;
    ps->last_l = -1;
    ps->last_cm = -1;
    s->gid = 1;
    s->prio = 0;
    s->fp_list = -1;
}

/* ---- value helpers ---- */

static const char *
sig_skip_ws(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    return s;
}

int
sig_unquote(struct sig_parse *ps, const char *val, char *out, size_t cap)
{
    const char *s, *e;
    size_t o = 0;

    if (val == NULL)
        return sig_perr(ps, "missing value");
    s = sig_skip_ws(val);
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    if (*s == '"') {
        const char *q = e - 1;
        size_t bs = 0;
        while (q - 1 - (ptrdiff_t)bs > s && q[-1 - (ptrdiff_t)bs] == '\\')
            bs++;
        if (e - s < 2 || *q != '"' || (bs & 1))
            return sig_perr(ps, "missing closing quote in '%s'", val);
        s++;
        e--;
    }
    for (; s < e; s++) {
        char c = *s;
        if (c == '\\' && s + 1 < e && strchr("\\\";:", s[1]) != NULL)
            c = *++s;
        if (o + 1 >= cap)
            return sig_perr(ps, "value too long");
        out[o++] = c;
    }
    out[o] = '\0';
    return 0;
}

char *
sig_split(char **sp, char sep)
{
    char *s = *sp, *e, *item;

    if (s == NULL)
        return NULL;
    e = strchr(s, sep);
    if (e != NULL) {
        *e = '\0';
        *sp = e + 1;
    } else {
        *sp = NULL;
    }
    item = (char *)sig_skip_ws(s);
    e = item + strlen(item);
    while (e > item && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
        *--e = '\0';
    return item;
}

int
sig_parse_u64(struct sig_parse *ps, const char *kw, const char *val, uint64_t max, uint64_t *out)
{
    const char *s;
    char *end;
    unsigned long long v;

    if (val == NULL)
        return sig_perr(ps, "%s needs a value", kw);
    s = sig_skip_ws(val);
    if (!isdigit((unsigned char)*s))
        return sig_perr(ps, "%s: invalid number '%s'", kw, val);
    v = strtoull(s, &end, 10);
    end = (char *)sig_skip_ws(end);
    if (*end != '\0' || v > max)
        return sig_perr(ps, "%s: invalid number '%s' (0..%llu)", kw, val, (unsigned long long)max);
    *out = v;
    return 0;
}

/* A decimal at *sp, advancing it; false when there is none or it exceeds max. */
static bool
sig_num_read(const char **sp, uint64_t max, uint64_t *v)
{
    const char *s = sig_skip_ws(*sp);
    char *end;
    unsigned long long x;

    if (!isdigit((unsigned char)*s))
        return false;
    x = strtoull(s, &end, 10);
    if (x > max)
        return false;
    *v = x;
    *sp = end;
    return true;
}

int
sig_parse_num(struct sig_parse *ps, const char *kw, const char *val, uint64_t max,
              struct sig_num *out)
{
    const char *s;
    bool neg = false;

    if (val == NULL)
        return sig_perr(ps, "%s needs a value", kw);
    s = sig_skip_ws(val);
    memset(out, 0, sizeof(*out));
    out->op = SIG_OP_EQ;
    if (s[0] == '!') {
        neg = true;
        s += s[1] == '=' ? 2 : 1;
    } else if (s[0] == '<' && s[1] == '=') {
        out->op = SIG_OP_LE;
        s += 2;
    } else if (s[0] == '>' && s[1] == '=') {
        out->op = SIG_OP_GE;
        s += 2;
    } else if (s[0] == '<') {
        out->op = SIG_OP_LT;
        s++;
    } else if (s[0] == '>') {
        out->op = SIG_OP_GT;
        s++;
    } else if (s[0] == '=') {
        s++;
    }
    if (!sig_num_read(&s, max, &out->a))
        return sig_perr(ps, "%s: invalid value '%s'", kw, val);
    s = sig_skip_ws(s);
    if (out->op == SIG_OP_EQ && ((s[0] == '<' && s[1] == '>') || s[0] == '-')) {
        s += s[0] == '-' ? 1 : 2;
        if (!sig_num_read(&s, max, &out->b) || out->b <= out->a)
            return sig_perr(ps, "%s: invalid range '%s'", kw, val);
        out->op = neg ? SIG_OP_NRANGE : SIG_OP_RANGE;
        neg = false;
        s = sig_skip_ws(s);
    }
    if (*s != '\0')
        return sig_perr(ps, "%s: invalid value '%s'", kw, val);
    if (neg)
        out->op = SIG_OP_NE;
    if ((out->op == SIG_OP_LT && out->a == 0) || (out->op == SIG_OP_GT && out->a >= max))
        return sig_perr(ps, "%s: '%s' can never match", kw, val);
    return 0;
}

bool
sig_num_match(const struct sig_num *n, uint64_t v)
{
    switch (n->op) {
    case SIG_OP_EQ:
        return v == n->a;
    case SIG_OP_NE:
        return v != n->a;
    case SIG_OP_LT:
        return v < n->a;
    case SIG_OP_LE:
        return v <= n->a;
    case SIG_OP_GT:
        return v > n->a;
    case SIG_OP_GE:
        return v >= n->a;
    case SIG_OP_RANGE:
        return v > n->a && v < n->b;
    case SIG_OP_NRANGE:
        return !(v > n->a && v < n->b);
    default:
        return false;
    }
}

int
sig_parse_bitflags(struct sig_parse *ps, const char *kw, const char *val, const char *letters,
                   const uint32_t *bits, struct sig_pm *pm)
{
    const char *s = val;
    bool seen_mod = false, zero = false;

    if (val == NULL)
        return sig_perr(ps, "%s needs a value", kw);
    pm->mod = SIG_MOD_EXACT;
    for (; *s != '\0'; s++) {
        const char *l;
        if (*s == ' ' || *s == '\t')
            continue;
        if (*s == '!' || *s == '+' || *s == '*') {
            if (seen_mod)
                return sig_perr(ps, "%s: more than one modifier in '%s'", kw, val);
            seen_mod = true;
            pm->mod = *s == '!' ? SIG_MOD_NOT : *s == '+' ? SIG_MOD_PLUS : SIG_MOD_ANY;
            continue;
        }
        if (*s == '0') {
            zero = true;
            continue;
        }
        l = strchr(letters, toupper((unsigned char)*s));
        if (l == NULL)
            return sig_perr(ps, "%s: unknown flag '%c' in '%s'", kw, *s, val);
        pm->mask |= bits[l - letters];
    }
    if (pm->mask == 0 && !zero)
        return sig_perr(ps, "%s: no flag in '%s'", kw, val);
    return 0;
}

struct sig_content *
sig_parse_last_content(struct sig_parse *ps, const char *kw)
{
    struct sig_cm *cm;

    if (ps->last_l < 0) {
        sig_perr(ps, "%s needs a preceding content", kw);
        return NULL;
    }
    cm = &ps->lists[ps->last_l].cm[ps->last_cm];
    if (cm->type != SIG_CM_CONTENT) {
        sig_perr(ps, "%s needs a preceding content (the last one is a pcre)", kw);
        return NULL;
    }
    return &cm->u.c;
}

struct sig_pm *
sig_parse_add_pm(struct sig_parse *ps, uint8_t type)
{
    struct sig_pm *pm;

    if (ps->n_pm >= SIG_PM_MAX) {
        sig_perr(ps, "more than %d packet keywords", SIG_PM_MAX);
        return NULL;
    }
    pm = &ps->pm[ps->n_pm++];
    memset(pm, 0, sizeof(*pm));
    pm->type = type;
    return pm;
}

int
sig_parse_flowbit(struct sig_parse *ps, const char *name)
{
    struct sig_db *db = ps->db;
    uint32_t i;

    for (i = 0; i < db->n_flowbits; i++)
        if (strcmp(db->flowbits[i], name) == 0)
            return (int)i;
    if (db->n_flowbits >= SIG_FLOWBITS_MAX)
        return sig_perr(ps, "more than %d flowbit names in the rule set", SIG_FLOWBITS_MAX);
    db->flowbits[db->n_flowbits] = sig_arena_strdup(&db->arena, name);
    if (db->flowbits[db->n_flowbits] == NULL)
        return sig_perr(ps, "out of memory");
    return (int)db->n_flowbits++;
}

int
sig_parse_set_buffer(struct sig_parse *ps, uint16_t buf, const char *kw)
{
    uint16_t i;

    for (i = 0; i < ps->n_lists; i++)
        if (ps->lists[i].buf == buf)
            break;
    if (i == ps->n_lists) {
        if (ps->n_lists >= SIG_LISTS_MAX)
            return sig_perr(ps, "%s: more than %d buffers", kw, SIG_LISTS_MAX);
        ps->lists[i].buf = buf;
        ps->lists[i].n = 0;
        ps->n_lists++;
    }
    ps->cur = i;
    return 0;
}

/* ---- header ---- */

/* One header token (brackets kept whole) into out; false at the end or when too long. */
static bool
sig_hdr_tok(const char **pp, char *out, size_t cap)
{
    const char *p = sig_skip_ws(*pp);
    size_t n = 0;
    int depth = 0;

    if (*p == '\0' || *p == '(')
        return false;
    while (*p != '\0' && (depth > 0 || (*p != ' ' && *p != '\t' && *p != '('))) {
        if (*p == '[')
            depth++;
        else if (*p == ']')
            depth--;
        if (n + 1 >= cap)
            return false;
        out[n++] = *p++;
    }
    out[n] = '\0';
    *pp = p;
    return true;
}

static void
sig_proto_set(struct sig *s, uint8_t p)
{
    s->proto[p / 8] = (uint8_t)(s->proto[p / 8] | (1u << (p % 8)));
}

static int
sig_parse_proto(struct sig_parse *ps, const char *t)
{
    static const struct {
        const char *name;
        uint8_t app;
        bool tcp, udp;
    } apps[] = {
            {"http", APP_PROTO_HTTP, true, false}, {"http1", APP_PROTO_HTTP, true, false},
            {"dns", APP_PROTO_DNS, true, true},    {"smtp", APP_PROTO_SMTP, true, false},
            {"tls", APP_PROTO_TLS, true, false},   {"ssh", APP_PROTO_SSH, true, false},
    };
    struct sig *s = ps->s;
    size_t i;

    if (strcasecmp(t, "ip") == 0 || strcasecmp(t, "pkthdr") == 0) {
        s->proto_any = true;
    } else if (strcasecmp(t, "ipv4") == 0 || strcasecmp(t, "ip4") == 0) {
        s->proto_any = true;
        s->ip_ver = 4;
    } else if (strcasecmp(t, "ipv6") == 0 || strcasecmp(t, "ip6") == 0) {
        s->proto_any = true;
        s->ip_ver = 6;
    } else if (strcasecmp(t, "tcp") == 0) {
        sig_proto_set(s, 6);
    } else if (strcasecmp(t, "tcp-pkt") == 0) {
        sig_proto_set(s, 6);
        s->flags |= SIG_F_PKT_ONLY;
    } else if (strcasecmp(t, "tcp-stream") == 0) {
        sig_proto_set(s, 6);
        s->flags |= SIG_F_STREAM_ONLY;
    } else if (strcasecmp(t, "udp") == 0) {
        sig_proto_set(s, 17);
    } else if (strcasecmp(t, "icmp") == 0) {
        sig_proto_set(s, 1);
        sig_proto_set(s, 58);
    } else if (strcasecmp(t, "icmpv4") == 0) {
        sig_proto_set(s, 1);
    } else if (strcasecmp(t, "icmpv6") == 0) {
        sig_proto_set(s, 58);
    } else if (strcasecmp(t, "sctp") == 0) {
        sig_proto_set(s, 132);
    } else {
        for (i = 0; i < NIDS_ARRAY_LEN(apps); i++)
            if (strcasecmp(t, apps[i].name) == 0)
                break;
        if (i == NIDS_ARRAY_LEN(apps))
            return sig_perr(ps, "unsupported protocol '%s'", t);
        s->app_proto = apps[i].app;
        if (apps[i].tcp)
            sig_proto_set(s, 6);
        if (apps[i].udp)
            sig_proto_set(s, 17);
    }
    return 0;
}

static int
sig_parse_header(struct sig_parse *ps, const char **pp)
{
    char tok[8][4096];
    struct sig *s = ps->s;
    unsigned i;
    int rc;

    for (i = 0; i < 7; i++)
        if (!sig_hdr_tok(pp, tok[i], sizeof(tok[i])))
            return sig_perr(ps, "incomplete rule header (action proto src sport -> dst dport)");
    if (strcasecmp(tok[0], "alert") == 0)
        s->action = SIG_ACT_ALERT;
    else if (strcasecmp(tok[0], "pass") == 0)
        s->action = SIG_ACT_PASS;
    else if (strcasecmp(tok[0], "drop") == 0 || strncasecmp(tok[0], "reject", 6) == 0)
        s->action = SIG_ACT_ALERT; /* IDS mode: Suricata alerts only */
    else
        return sig_perr(ps, "unsupported action '%s'", tok[0]);
    if ((rc = sig_parse_proto(ps, tok[1])) < 0)
        return rc;
    if (strcmp(tok[4], "<>") == 0)
        s->flags |= SIG_F_BIDIR;
    else if (strcmp(tok[4], "->") != 0)
        return sig_perr(ps, "direction must be '->' or '<>', not '%s'", tok[4]);
    if ((rc = sig_addr_parse(ps, tok[2], &s->src)) < 0 ||
        (rc = sig_port_parse(ps, tok[3], &s->sp)) < 0 ||
        (rc = sig_addr_parse(ps, tok[5], &s->dst)) < 0 ||
        (rc = sig_port_parse(ps, tok[6], &s->dp)) < 0)
        return rc;
    *pp = sig_skip_ws(*pp);
    if (**pp != '(')
        return sig_perr(ps, "expected '(' after the header");
    return 0;
}

/* ---- options ---- */

#define SIG_OPTS_MAX 512

struct sig_opt {
    char *name, *val;
};

static char *
sig_trim(char *s)
{
    char *e;

    s = (char *)sig_skip_ws(s);
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
        *--e = '\0';
    return s;
}

static int
sig_parse_option(struct sig_parse *ps, const char *name, const char *val)
{
    bool handled = false;
    size_t t, k;
    int rc;

    for (t = 0; t < NIDS_ARRAY_LEN(sig_kw_tables); t++)
        for (k = 0; k < *sig_kw_tables[t].n; k++)
            if (strcasecmp(sig_kw_tables[t].kw[k].name, name) == 0)
                return sig_kw_tables[t].kw[k].setup(ps, val);
    rc = sig_kw_buffer_any(ps, name, val, &handled);
    if (handled)
        return rc;
    return sig_perr(ps, "unsupported keyword '%s'", name);
}

/*
 * Options between '(' and the last ')', split on unescaped ';' (each one
 * must end with it), name and value split on the first ':'. `requires`
 * goes first, so a rule for a newer engine is skipped before its unknown
 * keywords count as errors (as Suricata 7.0.3 on).
 */
static int
sig_parse_options(struct sig_parse *ps, const char *p)
{
    size_t len = strlen(p), i, start = 0, n_opts = 0;
    struct sig_opt *opts;
    char *buf;
    bool esc = false;
    int rc = 0, pass;

    while (len > 0 &&
           (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r' || p[len - 1] == '\n'))
        len--;
    if (len < 2 || p[0] != '(' || p[len - 1] != ')')
        return sig_perr(ps, "options must be enclosed in ( )");
    buf = malloc(len);
    opts = malloc(sizeof(*opts) * SIG_OPTS_MAX);
    if (buf == NULL || opts == NULL) {
        free(buf);
        free(opts);
        return sig_perr(ps, "out of memory");
    }
    memcpy(buf, p + 1, len - 2);
    buf[len - 2] = '\0';
    for (i = 0; i < len - 2 && rc == 0; i++) {
        char *colon, *o;
        if (esc) {
            esc = false;
            continue;
        }
        if (buf[i] == '\\') {
            esc = true;
            continue;
        }
        if (buf[i] != ';')
            continue;
        buf[i] = '\0';
        o = buf + start;
        start = i + 1;
        if (*sig_skip_ws(o) == '\0') {
            rc = sig_perr(ps, "empty option");
            break;
        }
        if (n_opts == SIG_OPTS_MAX) {
            rc = sig_perr(ps, "more than %d options", SIG_OPTS_MAX);
            break;
        }
        colon = strchr(o, ':');
        if (colon != NULL)
            *colon = '\0';
        opts[n_opts].name = sig_trim(o);
        opts[n_opts].val = colon != NULL ? sig_trim(colon + 1) : NULL;
        if (*opts[n_opts].name == '\0')
            rc = sig_perr(ps, "option without a keyword");
        n_opts++;
    }
    if (rc == 0 && *sig_skip_ws(buf + start) != '\0')
        rc = sig_perr(ps, "the last option must end with ';'");
    for (pass = 0; pass < 2 && rc == 0 && !ps->skip; pass++)
        for (i = 0; i < n_opts && rc == 0 && !ps->skip; i++)
            if ((strcasecmp(opts[i].name, "requires") == 0) == (pass == 0))
                rc = sig_parse_option(ps, opts[i].name, opts[i].val);
    free(opts);
    free(buf);
    return rc;
}

/* ---- finishing ---- */

static bool
sig_cm_is_relative(const struct sig_cm *cm)
{
    if (cm->type == SIG_CM_CONTENT)
        return (cm->u.c.flags & (SIG_CF_DISTANCE | SIG_CF_WITHIN)) != 0;
    return (cm->u.r.flags & SIG_PF_RELATIVE) != 0;
}

/* Checks and derived values of one content (startswith, relative flags, lengths). */
static int
sig_finish_content(struct sig_parse *ps, struct sig_content *c)
{
    uint32_t i;

    if (c->flags & SIG_CF_STARTSWITH) {
        if (c->flags & (SIG_CF_DEPTH | SIG_CF_OFFSET | SIG_CF_DISTANCE | SIG_CF_WITHIN))
            return sig_perr(ps, "startswith cannot be combined with depth, offset, distance or "
                                "within");
        c->flags |= SIG_CF_DEPTH;
        c->depth = (int32_t)c->len;
    }
    if ((c->flags & (SIG_CF_DEPTH | SIG_CF_OFFSET)) &&
        (c->flags & (SIG_CF_DISTANCE | SIG_CF_WITHIN)))
        return sig_perr(ps, "content: depth/offset cannot be combined with distance/within");
    if ((c->flags & SIG_CF_DEPTH) && c->depth < (int32_t)c->len)
        return sig_perr(ps, "content: depth %d is shorter than the pattern (%u bytes)", c->depth,
                        c->len);
    if ((c->flags & SIG_CF_WITHIN) && c->within < (int32_t)c->len)
        return sig_perr(ps, "content: within %d is shorter than the pattern (%u bytes)", c->within,
                        c->len);
    if (c->flags & SIG_CF_DEPTH)
        c->depth += c->offset; /* Suricata: depth counts from the offset */
    if (c->flags & SIG_CF_FP_CHOP) {
        if ((uint32_t)c->fp_off + c->fp_len > c->len || c->fp_len == 0)
            return sig_perr(ps, "fast_pattern: %u,%u is outside the pattern", c->fp_off, c->fp_len);
    }
    if (c->flags & SIG_CF_NOCASE) {
        uint16_t *skip = sig_arena_alloc(&ps->db->arena, sizeof(uint16_t) * 256);
        if (skip == NULL)
            return sig_perr(ps, "out of memory");
        for (i = 0; i < 256; i++)
            skip[i] = (uint16_t)c->len;
        for (i = 0; i + 1 < c->len; i++) {
            uint8_t ch = c->pat[i];
            skip[ch] = (uint16_t)(c->len - 1 - i);
            if (ch >= 'a' && ch <= 'z')
                skip[ch - 32] = (uint16_t)(c->len - 1 - i);
        }
        c->skip = skip;
    }
    return 0;
}

static int
sig_finish_lists(struct sig_parse *ps)
{
    uint16_t l, i;
    int rc;

    for (l = 0; l < ps->n_lists; l++) {
        struct sig_parse_list *pl = &ps->lists[l];
        if (l > 0 && pl->n == 0)
            return sig_perr(ps, "buffer %s has no content or pcre", sig_buf_get(pl->buf)->name);
        for (i = 0; i < pl->n; i++) {
            if (pl->cm[i].type == SIG_CM_CONTENT &&
                (rc = sig_finish_content(ps, &pl->cm[i].u.c)) < 0)
                return rc;
            if (i > 0 && sig_cm_is_relative(&pl->cm[i])) {
                if (pl->cm[i - 1].type == SIG_CM_CONTENT)
                    pl->cm[i - 1].u.c.flags |= SIG_CF_RELATIVE_NEXT;
                else
                    pl->cm[i - 1].u.r.flags |= SIG_PF_RELATIVE_NEXT;
            }
        }
    }
    return 0;
}

/* Fast pattern: the one marked, else the longest plain content (buffers before payload). */
static void
sig_finish_fp(struct sig_parse *ps, bool tx)
{
    struct sig *s = ps->s;
    uint32_t best_len = 0;
    int best_l = -1, best_i = -1, pass;
    uint16_t l, i;

    for (l = 0; l < ps->n_lists; l++)
        for (i = 0; i < ps->lists[l].n; i++) {
            const struct sig_cm *cm = &ps->lists[l].cm[i];
            if (cm->type == SIG_CM_CONTENT && (cm->u.c.flags & SIG_CF_FAST_PATTERN) &&
                !(cm->u.c.flags & SIG_CF_NEGATED) && (!tx || l > 0)) {
                s->fp_list = (int16_t)l;
                s->fp_cm = i;
                return;
            }
        }
    for (pass = tx ? 1 : 0; pass < 2 && best_l < 0; pass++)
        for (l = (uint16_t)(tx ? 1 : 0); l < ps->n_lists; l++)
            for (i = 0; i < ps->lists[l].n; i++) {
                const struct sig_cm *cm = &ps->lists[l].cm[i];
                if (cm->type != SIG_CM_CONTENT || (cm->u.c.flags & SIG_CF_NEGATED))
                    continue;
                if (cm->u.c.len > best_len) {
                    best_len = cm->u.c.len;
                    best_l = l;
                    best_i = i;
                }
            }
    if (best_l >= 0) {
        s->fp_list = (int16_t)best_l;
        s->fp_cm = (uint16_t)best_i;
    }
}

/* Directions and stage of a transaction rule. */
static int
sig_finish_tx(struct sig_parse *ps)
{
    struct sig *s = ps->s;
    bool ts_only = false, tc_only = false;
    uint8_t app = 0, d;
    uint16_t l, e;

    for (l = 1; l < ps->n_lists; l++) {
        const struct sig_buf_def *b = sig_buf_get(ps->lists[l].buf);
        if (app != 0 && b->app_proto != app)
            return sig_perr(ps, "buffers of different protocols in one rule");
        app = b->app_proto;
        ts_only |= b->dirs == SIG_DIR_TS;
        tc_only |= b->dirs == SIG_DIR_TC;
    }
    for (e = 0; e < ps->n_ev; e++) {
        if (app != 0 && ps->ev[e].app_proto != app)
            return sig_perr(ps, "app-layer-event of another protocol than the buffers");
        app = ps->ev[e].app_proto;
    }
    if (s->app_proto != 0 && s->app_proto != app)
        return sig_perr(ps, "rule protocol '%s' does not match its buffers (%s)",
                        app_proto_name(s->app_proto), app_proto_name(app));
    s->app_proto = app;
    if (s->flow & SIG_FLOW_TOSERVER) {
        if (tc_only)
            return sig_perr(ps, "flow:to_server with a response buffer");
        s->tx_dirs = SIG_DIR_TS;
    } else if (s->flow & SIG_FLOW_TOCLIENT) {
        s->tx_dirs = SIG_DIR_TC;
    } else if (tc_only) {
        s->tx_dirs = SIG_DIR_TC;
    } else if (ts_only) {
        s->tx_dirs = SIG_DIR_TS;
    } else {
        s->tx_dirs = SIG_DIR_TS | SIG_DIR_TC;
    }
    for (d = 0; d < 2; d++) {
        uint8_t st = 0;
        if (!(s->tx_dirs & (1u << d)))
            continue;
        for (l = 1; l < ps->n_lists; l++) {
            const struct sig_buf_def *b = sig_buf_get(ps->lists[l].buf);
            uint8_t side = b->dirs == SIG_DIR_TS ? 0 : b->dirs == SIG_DIR_TC ? 1 : d;
            if (b->stage[side] > st)
                st = b->stage[side];
        }
        if (ps->n_ev > 0) {
            uint8_t fin = app == APP_PROTO_HTTP
                                  ? (d == 0 ? SIG_STAGE_HTTP_REQ_DONE : SIG_STAGE_HTTP_RES_DONE)
                                  : 1;
            if (fin > st)
                st = fin;
        }
        /* A response-side inspection runs once the response is there (Suricata
         * inspects that side on the server's packets). */
        if (app == APP_PROTO_HTTP && d == 1 && st < SIG_STAGE_HTTP_RES_HDR)
            st = SIG_STAGE_HTTP_RES_HDR;
        s->tx_stage[d] = st > 0 ? st : 1;
    }
    return 0;
}

static bool
sig_ports_any(const struct sig *s)
{
    return s->sp.any && s->dp.any;
}

static int
sig_finish_kind(struct sig_parse *ps)
{
    struct sig *s = ps->s;
    int rc;

    if (ps->n_lists > 1 || ps->n_ev > 0) {
        s->kind = SIG_KIND_TX;
        if ((rc = sig_finish_tx(ps)) < 0)
            return rc;
    } else if (ps->lists[0].n > 0) {
        s->kind = SIG_KIND_PAYLOAD;
    } else if (ps->n_pm > 0 || s->flow != 0 || !sig_ports_any(s) || s->app_proto != 0) {
        s->kind = SIG_KIND_PKT;
    } else {
        s->kind = SIG_KIND_IPONLY;
    }
    if (ps->pkt_only || (s->flow & SIG_FLOW_NO_STREAM))
        s->flags |= SIG_F_PKT_ONLY;
    if (s->flow & SIG_FLOW_ONLY_STREAM)
        s->flags |= SIG_F_STREAM_ONLY;
    if ((s->flags & SIG_F_PKT_ONLY) && (s->flags & SIG_F_STREAM_ONLY))
        return sig_perr(ps, "a rule cannot be both stream-only and packet-only");
    return 0;
}

/* Copy the parse state into the arena as a rule of its own. */
static struct sig *
sig_finish_copy(struct sig_parse *ps)
{
    struct sig_arena *a = &ps->db->arena;
    struct sig *s = sig_arena_memdup(a, ps->s, sizeof(*s));
    uint16_t l, k = 0;

    if (s == NULL)
        return NULL;
    if (ps->n_pm > 0 && (s->pm = sig_arena_memdup(a, ps->pm, sizeof(*s->pm) * ps->n_pm)) == NULL)
        return NULL;
    s->n_pm = ps->n_pm;
    if (ps->n_post > 0 &&
        (s->post = sig_arena_memdup(a, ps->post, sizeof(*s->post) * ps->n_post)) == NULL)
        return NULL;
    s->n_post = ps->n_post;
    if (ps->n_ev > 0 && (s->ev = sig_arena_memdup(a, ps->ev, sizeof(*s->ev) * ps->n_ev)) == NULL)
        return NULL;
    s->n_ev = ps->n_ev;
    if (ps->n_meta > 0 &&
        (s->meta = sig_arena_memdup(a, ps->meta, sizeof(*s->meta) * ps->n_meta)) == NULL)
        return NULL;
    s->n_meta = ps->n_meta;
    s->payload.buf = SIG_BUF_PAYLOAD;
    s->payload.n = ps->lists[0].n;
    if (s->payload.n > 0 &&
        (s->payload.cm = sig_arena_memdup(a, ps->lists[0].cm,
                                          sizeof(struct sig_cm) * s->payload.n)) == NULL)
        return NULL;
    if (ps->n_lists > 1) {
        s->bufs = sig_arena_alloc(a, sizeof(*s->bufs) * (ps->n_lists - 1u));
        if (s->bufs == NULL)
            return NULL;
        for (l = 1; l < ps->n_lists; l++, k++) {
            s->bufs[k].buf = ps->lists[l].buf;
            s->bufs[k].n = ps->lists[l].n;
            s->bufs[k].cm =
                    sig_arena_memdup(a, ps->lists[l].cm, sizeof(struct sig_cm) * ps->lists[l].n);
            if (s->bufs[k].cm == NULL)
                return NULL;
        }
    }
    s->n_bufs = k;
    return s;
}

static int
sig_parse_finish(struct sig_parse *ps)
{
    struct sig *s = ps->s;
    const struct sig_class *cls = NULL;
    bool sets = false, reads = false;
    uint16_t i;
    int rc;

    if (!ps->have_sid)
        return sig_perr(ps, "no sid");
    if (ps->classtype != NULL) {
        cls = sig_class_find(ps->db, ps->classtype);
        if (cls == NULL)
            return sig_perr(ps, "unknown classtype '%s'", ps->classtype);
        s->class_msg = cls->desc;
        if (!ps->have_prio)
            s->prio = cls->prio;
    }
    if (s->prio == 0)
        s->prio = 3;
    if ((rc = sig_finish_lists(ps)) < 0 || (rc = sig_finish_kind(ps)) < 0)
        return rc;
    sig_finish_fp(ps, s->kind == SIG_KIND_TX);
    if (s->kind == SIG_KIND_TX && s->fp_list == 0)
        s->fp_list = -1; /* transaction prefilters look at buffers only */
    sets = ps->n_post > 0;
    for (i = 0; i < ps->n_pm; i++)
        reads |= ps->pm[i].type == SIG_PM_FLOWBITS;
    s->fb_rank = (uint8_t)(sets && !reads ? 1 : sets ? 2 : reads ? 3 : 0);
    if (ps->n_post > 0 || reads)
        ps->db->has_state = true;
    return 0;
}

int
sig_parse_rule(struct sig_parse *ps, const char *text)
{
    const char *p = text;
    struct sig *s;
    char err[256];
    int rc;

    sig_parse_reset(ps);
    if ((rc = sig_parse_header(ps, &p)) < 0 || (rc = sig_parse_options(ps, p)) < 0)
        return rc;
    if (ps->skip)
        return 1;
    if ((rc = sig_parse_finish(ps)) < 0)
        return rc;
    s = sig_finish_copy(ps);
    if (s == NULL)
        return sig_perr(ps, "out of memory");
    rc = sig_db_add(ps->db, s, err, sizeof(err));
    if (rc < 0)
        return sig_perr(ps, "%s", err);
    return rc;
}
