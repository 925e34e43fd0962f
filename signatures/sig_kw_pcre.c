/*
 * sig_kw_pcre.c - pcre:[!]"/regex/flags".
 *
 * Flags: i s m x A E G (PCRE2 options), R (relative to the previous
 * match), O (no match limit), B (rawbytes, ignored) and the buffer
 * letters of Suricata's legacy form: U http_uri, I http_raw_uri,
 * H http_header, D http_raw_header, M http_method, C http_cookie,
 * S http_stat_code, Y http_stat_msg, V http_user_agent, W http_host,
 * Z http_raw_host. A buffer letter puts the regex in that buffer without
 * changing the current sticky buffer.
 *
 * The regex is compiled and JIT-compiled at load; match limits come from
 * pcre.match-limit / pcre.match-limit-recursion (per-worker match
 * context, sig_thread.c).
 */
#include "sig_int.h"

#include <string.h>

static const struct {
    char flag;
    const char *modifier;
} sig_pcre_bufs[] = {
        {'U', "http_uri"},        {'I', "http_raw_uri"},  {'H', "http_header"},
        {'D', "http_raw_header"}, {'M', "http_method"},   {'C', "http_cookie"},
        {'S', "http_stat_code"},  {'Y', "http_stat_msg"}, {'V', "http_user_agent"},
        {'W', "http_host"},       {'Z', "http_raw_host"},
};

static int
sig_pcre_flags(struct sig_parse *ps, const char *f, uint32_t *opts, uint32_t *pflags, uint16_t *buf)
{
    size_t i;

    for (; *f != '\0'; f++) {
        switch (*f) {
        case 'i':
            *opts |= PCRE2_CASELESS;
            continue;
        case 's':
            *opts |= PCRE2_DOTALL;
            continue;
        case 'm':
            *opts |= PCRE2_MULTILINE;
            continue;
        case 'x':
            *opts |= PCRE2_EXTENDED;
            continue;
        case 'A':
            *opts |= PCRE2_ANCHORED;
            continue;
        case 'E':
            *opts |= PCRE2_DOLLAR_ENDONLY;
            continue;
        case 'G':
            *opts |= PCRE2_UNGREEDY;
            continue;
        case 'R':
            *pflags |= SIG_PF_RELATIVE;
            continue;
        case 'O':
            *pflags |= SIG_PF_NO_LIMIT;
            continue;
        case 'B':
            continue;
        case ' ':
        case '\t':
            continue;
        default:
            break;
        }
        for (i = 0; i < NIDS_ARRAY_LEN(sig_pcre_bufs); i++)
            if (sig_pcre_bufs[i].flag == *f)
                break;
        if (i == NIDS_ARRAY_LEN(sig_pcre_bufs))
            return sig_perr(ps, "pcre: unsupported flag '%c'", *f);
        if (*buf != 0)
            return sig_perr(ps, "pcre: more than one buffer flag");
        *buf = sig_buf_by_modifier(sig_pcre_bufs[i].modifier);
        if (*buf == 0)
            return sig_perr(ps, "pcre: buffer flag '%c' is not supported", *f);
    }
    return 0;
}

static int
sig_kw_pcre_setup(struct sig_parse *ps, const char *val)
{
    char re_src[SIG_PAT_MAX + 1];
    const char *s = val, *q, *last;
    uint32_t opts = 0, pflags = 0;
    uint16_t buf = 0;
    size_t n;
    int l, rc, errcode;
    PCRE2_SIZE erroff;
    pcre2_code *re;
    uint32_t caps = 0;
    struct sig_parse_list *pl;
    struct sig_cm *cm;

    if (val == NULL)
        return sig_perr(ps, "pcre needs a value");
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s == '!') {
        pflags |= SIG_PF_NEGATED;
        s++;
    }
    if (*s != '"')
        return sig_perr(ps, "pcre: value must be quoted: \"/regex/flags\"");
    s++;
    q = strrchr(s, '"');
    if (q == NULL || q == s)
        return sig_perr(ps, "pcre: missing closing quote");
    if (*s != '/')
        return sig_perr(ps, "pcre: the regex must start with '/'");
    s++;
    last = q;
    while (last > s && last[-1] != '/')
        last--;
    if (last <= s)
        return sig_perr(ps, "pcre: missing closing '/'");
    n = (size_t)(last - 1 - s);
    if (n > SIG_PAT_MAX)
        return sig_perr(ps, "pcre: regex longer than %d bytes", SIG_PAT_MAX);
    memcpy(re_src, s, n);
    re_src[n] = '\0';
    {
        char flags[64];
        size_t fl = (size_t)(q - last);
        if (fl >= sizeof(flags))
            return sig_perr(ps, "pcre: too many flags");
        memcpy(flags, last, fl);
        flags[fl] = '\0';
        if ((rc = sig_pcre_flags(ps, flags, &opts, &pflags, &buf)) < 0)
            return rc;
    }
    re = pcre2_compile((PCRE2_SPTR)re_src, n, opts, &errcode, &erroff, NULL);
    if (re == NULL) {
        PCRE2_UCHAR msg[128];
        pcre2_get_error_message(errcode, msg, sizeof(msg));
        return sig_perr(ps, "pcre: '%s' at offset %zu: %s", re_src, (size_t)erroff,
                        (const char *)msg);
    }
    if (sig_db_keep_pcre(ps->db, re) < 0) {
        pcre2_code_free(re);
        return sig_perr(ps, "out of memory");
    }
    (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* interpreted when JIT is unavailable */
    if (pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &caps) == 0 && caps > ps->db->max_captures)
        ps->db->max_captures = caps;
    if (buf != 0) {
        int cur = ps->cur;
        if ((rc = sig_parse_set_buffer(ps, buf, "pcre")) < 0)
            return rc;
        l = ps->cur;
        ps->cur = cur;
    } else {
        l = ps->cur;
    }
    pl = &ps->lists[l];
    if (pl->n >= SIG_CM_MAX)
        return sig_perr(ps, "more than %d content/pcre in one buffer", SIG_CM_MAX);
    cm = &pl->cm[pl->n];
    memset(cm, 0, sizeof(*cm));
    cm->type = SIG_CM_PCRE;
    cm->u.r.re = re;
    cm->u.r.flags = pflags;
    ps->last_l = l;
    ps->last_cm = pl->n++;
    return 0;
}

const struct sig_kw sig_kw_pcre[] = {
        {"pcre", sig_kw_pcre_setup},
};
const unsigned sig_kw_pcre_count = NIDS_ARRAY_LEN(sig_kw_pcre);
