/*
 * sig_addr.c - address and port expressions of a rule header, with
 * Suricata's syntax and meaning:
 *
 *   any | 1.2.3.4 | 1.2.3.0/24 | 1.2.3.0/255.255.255.0 | 1.2.3.4-1.2.3.9
 *   2001:db8::/32 | $VAR | !expr | [expr, expr, ...]  (nested)
 *   ports: any | 80 | 1024:65535 | 1024: | :1023 | !80 | [80,443] | $VAR
 *
 * A list is the union of its plain items minus the union of its negated
 * ones (only negated items: "any" minus them). Variables come from
 * vars.address-groups / vars.port-groups of the configuration and may
 * name other variables (SIG_VAR_DEPTH deep). Each expression becomes a
 * sorted list of disjoint ranges per address family, so a packet is
 * matched with a binary search. Parsing is start-up work (malloc is
 * fine); the result lives in the set's arena.
 */
#include "sig_int.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"

/* ---- range lists ---- */

struct sig_rl {
    struct sig_iprange *r;
    uint32_t n, cap;
};

/* One set being built: [0] IPv4 (4-byte keys), [1] IPv6. */
struct sig_ipx {
    struct sig_rl f[2];
};

static const unsigned sig_fam_w[2] = {4, 16};

static void
sig_rl_free(struct sig_rl *l)
{
    free(l->r);
    l->r = NULL;
    l->n = l->cap = 0;
}

static void
sig_ipx_free(struct sig_ipx *x)
{
    sig_rl_free(&x->f[0]);
    sig_rl_free(&x->f[1]);
}

static int
sig_rl_push(struct sig_rl *l, const uint8_t *lo, const uint8_t *hi)
{
    if (l->n == l->cap) {
        uint32_t n = l->cap ? l->cap * 2 : 8;
        struct sig_iprange *q = realloc(l->r, sizeof(*q) * n);
        if (q == NULL)
            return NIDS_ENOMEM;
        l->r = q;
        l->cap = n;
    }
    memcpy(l->r[l->n].lo, lo, 16);
    memcpy(l->r[l->n].hi, hi, 16);
    l->n++;
    return 0;
}

/* a + 1 (w bytes); false on overflow. */
static bool
sig_key_inc(uint8_t *a, unsigned w)
{
    unsigned i = w;

    while (i-- > 0)
        if (++a[i] != 0)
            return true;
    return false;
}

static bool
sig_key_dec(uint8_t *a, unsigned w)
{
    unsigned i = w;

    while (i-- > 0)
        if (a[i]-- != 0)
            return true;
    return false;
}

static int
sig_range_cmp(const void *a, const void *b)
{
    return memcmp(((const struct sig_iprange *)a)->lo, ((const struct sig_iprange *)b)->lo, 16);
}

/* Sort and merge overlapping or adjacent ranges. */
static void
sig_rl_norm(struct sig_rl *l, unsigned w)
{
    uint32_t i, o = 0;

    if (l->n == 0)
        return;
    qsort(l->r, l->n, sizeof(*l->r), sig_range_cmp);
    for (i = 1; i < l->n; i++) {
        uint8_t next[16];
        memcpy(next, l->r[o].hi, 16);
        bool wrap = !sig_key_inc(next, w);
        if (wrap || memcmp(l->r[i].lo, next, 16) <= 0) {
            if (memcmp(l->r[i].hi, l->r[o].hi, 16) > 0)
                memcpy(l->r[o].hi, l->r[i].hi, 16);
            continue;
        }
        l->r[++o] = l->r[i];
    }
    l->n = o + 1;
}

static int
sig_rl_union(struct sig_rl *a, const struct sig_rl *b, unsigned w)
{
    uint32_t i;

    for (i = 0; i < b->n; i++)
        if (sig_rl_push(a, b->r[i].lo, b->r[i].hi) < 0)
            return NIDS_ENOMEM;
    sig_rl_norm(a, w);
    return 0;
}

/* a = a - b (both normalised). */
static int
sig_rl_diff(struct sig_rl *a, const struct sig_rl *b, unsigned w)
{
    struct sig_rl out = {NULL, 0, 0};
    uint32_t i, j;

    for (i = 0; i < a->n; i++) {
        uint8_t lo[16], hi[16];
        bool alive = true;
        memcpy(lo, a->r[i].lo, 16);
        memcpy(hi, a->r[i].hi, 16);
        for (j = 0; j < b->n && alive; j++) {
            if (memcmp(b->r[j].hi, lo, 16) < 0 || memcmp(b->r[j].lo, hi, 16) > 0)
                continue; /* disjoint */
            if (memcmp(b->r[j].lo, lo, 16) > 0) {
                uint8_t end[16];
                memcpy(end, b->r[j].lo, 16);
                sig_key_dec(end, w);
                if (sig_rl_push(&out, lo, end) < 0)
                    goto out_nomem;
            }
            if (memcmp(b->r[j].hi, hi, 16) >= 0) {
                alive = false;
            } else {
                memcpy(lo, b->r[j].hi, 16);
                sig_key_inc(lo, w);
            }
        }
        if (alive && sig_rl_push(&out, lo, hi) < 0)
            goto out_nomem;
    }
    sig_rl_free(a);
    *a = out;
    return 0;

out_nomem:
    sig_rl_free(&out);
    return NIDS_ENOMEM;
}

static int
sig_ipx_full(struct sig_ipx *x)
{
    static const uint8_t zero[16], ones4[16] = {0xff, 0xff, 0xff, 0xff};
    uint8_t ones6[16];

    memset(ones6, 0xff, 16);
    if (sig_rl_push(&x->f[0], zero, ones4) < 0 || sig_rl_push(&x->f[1], zero, ones6) < 0)
        return NIDS_ENOMEM;
    return 0;
}

static bool
sig_ipx_is_full(const struct sig_ipx *x)
{
    static const uint8_t zero[16], ones4[16] = {0xff, 0xff, 0xff, 0xff};
    uint8_t ones6[16];

    memset(ones6, 0xff, 16);
    return x->f[0].n == 1 && x->f[1].n == 1 && memcmp(x->f[0].r[0].lo, zero, 16) == 0 &&
           memcmp(x->f[0].r[0].hi, ones4, 16) == 0 && memcmp(x->f[1].r[0].lo, zero, 16) == 0 &&
           memcmp(x->f[1].r[0].hi, ones6, 16) == 0;
}

/* ---- parser ---- */

struct sig_ap {
    struct sig_parse *ps;
    const char *s;
    size_t pos;
    unsigned depth;
    bool port; /* port expression (keys are 2 bytes in f[0]) */
};

static void
sig_ap_skip_ws(struct sig_ap *ap)
{
    while (ap->s[ap->pos] == ' ' || ap->s[ap->pos] == '\t')
        ap->pos++;
}

static int sig_ap_expr(struct sig_ap *ap, struct sig_ipx *out);

/* Prefix length to a mask applied on key (w bytes): lo keeps, hi fills. */
static void
sig_prefix_range(const uint8_t *a, unsigned w, unsigned plen, uint8_t *lo, uint8_t *hi)
{
    unsigned i;

    memset(lo, 0, 16);
    memset(hi, 0, 16);
    for (i = 0; i < w; i++) {
        unsigned bits = plen >= (i + 1) * 8 ? 8 : plen > i * 8 ? plen - i * 8 : 0;
        uint8_t m = (uint8_t)(bits == 0 ? 0 : 0xff << (8 - bits));
        lo[i] = a[i] & m;
        hi[i] = (uint8_t)(a[i] | (uint8_t)~m);
    }
}

/* One address literal: addr, addr/len, addr/mask, addrA-addrB. */
static int
sig_ap_ip_literal(struct sig_ap *ap, const char *tok, struct sig_ipx *out)
{
    char a[64], b[64];
    const char *slash = strchr(tok, '/'), *dash = strchr(tok, '-');
    bool v6 = strchr(tok, ':') != NULL;
    unsigned w = v6 ? 16 : 4, fam = v6 ? 1 : 0;
    uint8_t k1[16] = {0}, k2[16] = {0}, lo[16], hi[16];
    size_t n;

    if (strlen(tok) >= sizeof(a))
        return sig_perr(ap->ps, "address '%s' too long", tok);
    if (slash != NULL || dash != NULL) {
        const char *sep = slash != NULL ? slash : dash;
        n = (size_t)(sep - tok);
        memcpy(a, tok, n);
        a[n] = '\0';
        memcpy(b, sep + 1, strlen(sep + 1) + 1); /* shorter than tok: fits */
    } else {
        memcpy(a, tok, strlen(tok) + 1);
        b[0] = '\0';
    }
    if (inet_pton(v6 ? AF_INET6 : AF_INET, a, k1) != 1)
        return sig_perr(ap->ps, "invalid address '%s'", tok);
    if (slash != NULL) {
        char *end;
        unsigned long plen;
        if (!v6 && strchr(b, '.') != NULL) {
            uint8_t m[4];
            uint32_t mv, i;
            if (inet_pton(AF_INET, b, m) != 1)
                return sig_perr(ap->ps, "invalid netmask in '%s'", tok);
            mv = (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 | (uint32_t)m[2] << 8 | m[3];
            for (plen = 0; plen < 32 && (mv & (0x80000000u >> plen)); plen++)
                ;
            for (i = (uint32_t)plen; i < 32; i++)
                if (mv & (0x80000000u >> i))
                    return sig_perr(ap->ps, "non-contiguous netmask in '%s'", tok);
        } else {
            plen = strtoul(b, &end, 10);
            if (b[0] == '\0' || *end != '\0' || plen > w * 8)
                return sig_perr(ap->ps, "invalid prefix length in '%s'", tok);
        }
        sig_prefix_range(k1, w, (unsigned)plen, lo, hi);
    } else if (dash != NULL) {
        if (inet_pton(v6 ? AF_INET6 : AF_INET, b, k2) != 1)
            return sig_perr(ap->ps, "invalid address range '%s'", tok);
        if (memcmp(k1, k2, w) > 0)
            return sig_perr(ap->ps, "address range '%s' ends before it starts", tok);
        memcpy(lo, k1, 16);
        memcpy(hi, k2, 16);
    } else {
        memcpy(lo, k1, 16);
        memcpy(hi, k1, 16);
    }
    return sig_rl_push(&out->f[fam], lo, hi);
}

static int
sig_ap_port_literal(struct sig_ap *ap, const char *tok, struct sig_ipx *out)
{
    const char *colon = strchr(tok, ':');
    unsigned long lo = 0, hi = 65535;
    uint8_t klo[16] = {0}, khi[16] = {0};
    char *end;

    if (colon == NULL) {
        lo = hi = strtoul(tok, &end, 10);
        if (tok[0] < '0' || tok[0] > '9' || *end != '\0' || lo > 65535)
            return sig_perr(ap->ps, "invalid port '%s'", tok);
    } else {
        if (colon != tok) {
            lo = strtoul(tok, &end, 10);
            if (tok[0] < '0' || tok[0] > '9' || end != colon || lo > 65535)
                return sig_perr(ap->ps, "invalid port range '%s'", tok);
        }
        if (colon[1] != '\0') {
            hi = strtoul(colon + 1, &end, 10);
            if (colon[1] < '0' || colon[1] > '9' || *end != '\0' || hi > 65535)
                return sig_perr(ap->ps, "invalid port range '%s'", tok);
        }
        if (lo > hi)
            return sig_perr(ap->ps, "port range '%s' ends before it starts", tok);
    }
    klo[0] = (uint8_t)(lo >> 8);
    klo[1] = (uint8_t)lo;
    khi[0] = (uint8_t)(hi >> 8);
    khi[1] = (uint8_t)hi;
    return sig_rl_push(&out->f[0], klo, khi);
}

static int
sig_ap_full(struct sig_ap *ap, struct sig_ipx *x)
{
    static const uint8_t zero[16], ones2[16] = {0xff, 0xff};

    if (ap->port)
        return sig_rl_push(&x->f[0], zero, ones2);
    return sig_ipx_full(x);
}

/* A variable: its value parsed as a whole expression. */
static int
sig_ap_var(struct sig_ap *ap, const char *name, struct sig_ipx *out)
{
    char key[256];
    const char *val = NULL;
    struct sig_ap sub;
    int rc;

    if (ap->depth >= SIG_VAR_DEPTH)
        return sig_perr(ap->ps, "variable $%s nested too deep (loop?)", name);
    if (ap->ps->cfg == NULL)
        return sig_perr(ap->ps, "variable $%s: no configuration", name);
    snprintf(key, sizeof(key), "vars.%s.%s", ap->port ? "port-groups" : "address-groups", name);
    if (cfg_get_str(ap->ps->cfg, NULL, key, NULL, &val) < 0 || val == NULL || val[0] == '\0')
        return sig_perr(ap->ps, "undefined %s variable $%s", ap->port ? "port" : "address", name);
    sub = *ap;
    sub.s = val;
    sub.pos = 0;
    sub.depth = ap->depth + 1;
    rc = sig_ap_expr(&sub, out);
    if (rc == 0) {
        sig_ap_skip_ws(&sub);
        if (sub.s[sub.pos] != '\0')
            return sig_perr(ap->ps, "variable $%s: trailing text '%s'", name, sub.s + sub.pos);
    }
    return rc;
}

/* One item; *neg says it was written with '!'. */
static int
sig_ap_item(struct sig_ap *ap, struct sig_ipx *out, bool *neg)
{
    char tok[128];
    size_t n = 0;

    sig_ap_skip_ws(ap);
    *neg = false;
    while (ap->s[ap->pos] == '!') {
        *neg = !*neg;
        ap->pos++;
        sig_ap_skip_ws(ap);
    }
    if (ap->s[ap->pos] == '[') {
        int rc;
        if (ap->depth >= SIG_VAR_DEPTH * 4)
            return sig_perr(ap->ps, "lists nested too deep");
        ap->pos++;
        ap->depth++;
        rc = sig_ap_expr(ap, out);
        ap->depth--;
        if (rc < 0)
            return rc;
        sig_ap_skip_ws(ap);
        if (ap->s[ap->pos] != ']')
            return sig_perr(ap->ps, "missing ']' in '%s'", ap->s);
        ap->pos++;
        return 0;
    }
    while (ap->s[ap->pos] != '\0' && ap->s[ap->pos] != ',' && ap->s[ap->pos] != ']' &&
           ap->s[ap->pos] != ' ' && ap->s[ap->pos] != '\t') {
        if (n + 1 >= sizeof(tok))
            return sig_perr(ap->ps, "item too long in '%s'", ap->s);
        tok[n++] = ap->s[ap->pos++];
    }
    tok[n] = '\0';
    if (n == 0)
        return sig_perr(ap->ps, "empty item in '%s'", ap->s);
    if (tok[0] == '$')
        return sig_ap_var(ap, tok + 1, out);
    if (strcmp(tok, "any") == 0)
        return sig_ap_full(ap, out);
    return ap->port ? sig_ap_port_literal(ap, tok, out) : sig_ap_ip_literal(ap, tok, out);
}

/* item (',' item)*: union of plain items minus union of negated ones. */
static int
sig_ap_expr(struct sig_ap *ap, struct sig_ipx *out)
{
    struct sig_ipx pos = {{{0}}}, neg = {{{0}}};
    bool any_pos = false;
    unsigned fam, nf = ap->port ? 1 : 2;
    int rc = 0;

    for (;;) {
        struct sig_ipx it = {{{0}}};
        bool is_neg;
        rc = sig_ap_item(ap, &it, &is_neg);
        if (rc == 0) {
            for (fam = 0; fam < nf && rc == 0; fam++) {
                unsigned w = ap->port ? 2 : sig_fam_w[fam];
                sig_rl_norm(&it.f[fam], w);
                rc = sig_rl_union(is_neg ? &neg.f[fam] : &pos.f[fam], &it.f[fam], w);
            }
            any_pos |= !is_neg;
        }
        sig_ipx_free(&it);
        if (rc < 0)
            goto out;
        sig_ap_skip_ws(ap);
        if (ap->s[ap->pos] != ',')
            break;
        ap->pos++;
    }
    if (!any_pos && (rc = sig_ap_full(ap, &pos)) < 0)
        goto out;
    for (fam = 0; fam < nf && rc == 0; fam++) {
        unsigned w = ap->port ? 2 : sig_fam_w[fam];
        sig_rl_norm(&pos.f[fam], w);
        rc = sig_rl_diff(&pos.f[fam], &neg.f[fam], w);
        if (rc == 0)
            rc = sig_rl_union(&out->f[fam], &pos.f[fam], w);
    }
out:
    sig_ipx_free(&pos);
    sig_ipx_free(&neg);
    return rc == NIDS_ENOMEM ? sig_perr(ap->ps, "out of memory") : rc;
}

static int
sig_ap_run(struct sig_parse *ps, const char *s, bool port, struct sig_ipx *x)
{
    struct sig_ap ap = {ps, s, 0, 0, port};
    int rc = sig_ap_expr(&ap, x);

    if (rc < 0)
        return rc;
    sig_ap_skip_ws(&ap);
    if (s[ap.pos] != '\0')
        return sig_perr(ps, "unexpected '%s' in '%s'", s + ap.pos, s);
    return 0;
}

int
sig_addr_parse(struct sig_parse *ps, const char *s, struct sig_ipset *out)
{
    struct sig_ipx x = {{{0}}};
    int rc = sig_ap_run(ps, s, false, &x);
    unsigned fam;

    memset(out, 0, sizeof(*out));
    if (rc < 0)
        goto out;
    if (x.f[0].n == 0 && x.f[1].n == 0) {
        rc = sig_perr(ps, "address '%s' matches nothing", s);
        goto out;
    }
    out->any = sig_ipx_is_full(&x);
    for (fam = 0; fam < 2 && !out->any; fam++) {
        size_t sz = sizeof(struct sig_iprange) * x.f[fam].n;
        struct sig_iprange *r = sz ? sig_arena_memdup(&ps->db->arena, x.f[fam].r, sz) : NULL;
        if (sz && r == NULL) {
            rc = sig_perr(ps, "out of memory");
            goto out;
        }
        if (fam == 0) {
            out->r4 = r;
            out->n4 = x.f[0].n;
        } else {
            out->r6 = r;
            out->n6 = x.f[1].n;
        }
    }
out:
    sig_ipx_free(&x);
    return rc;
}

int
sig_port_parse(struct sig_parse *ps, const char *s, struct sig_portset *out)
{
    struct sig_ipx x = {{{0}}};
    int rc = sig_ap_run(ps, s, true, &x);
    uint32_t i;

    memset(out, 0, sizeof(*out));
    if (rc < 0)
        goto out;
    if (x.f[0].n == 0) {
        rc = sig_perr(ps, "port '%s' matches nothing", s);
        goto out;
    }
    if (x.f[0].n == 1 && x.f[0].r[0].lo[0] == 0 && x.f[0].r[0].lo[1] == 0 &&
        x.f[0].r[0].hi[0] == 0xff && x.f[0].r[0].hi[1] == 0xff) {
        out->any = true;
        goto out;
    }
    out->r = sig_arena_alloc(&ps->db->arena, sizeof(*out->r) * x.f[0].n);
    if (out->r == NULL) {
        rc = sig_perr(ps, "out of memory");
        goto out;
    }
    for (i = 0; i < x.f[0].n; i++) {
        out->r[i].lo = (uint16_t)(x.f[0].r[i].lo[0] << 8 | x.f[0].r[i].lo[1]);
        out->r[i].hi = (uint16_t)(x.f[0].r[i].hi[0] << 8 | x.f[0].r[i].hi[1]);
    }
    out->n = x.f[0].n;
out:
    sig_ipx_free(&x);
    return rc;
}

bool
sig_ipset_has(const struct sig_ipset *set, uint8_t ip_ver, const uint8_t *addr)
{
    const struct sig_iprange *r = ip_ver == 4 ? set->r4 : set->r6;
    uint32_t lo = 0, hi = ip_ver == 4 ? set->n4 : set->n6;
    size_t w = ip_ver == 4 ? 4 : 16;

    if (set->any)
        return true;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (memcmp(addr, r[mid].hi, w) > 0)
            lo = mid + 1;
        else if (memcmp(addr, r[mid].lo, w) < 0)
            hi = mid;
        else
            return true;
    }
    return false;
}

bool
sig_portset_has(const struct sig_portset *set, uint16_t port)
{
    uint32_t lo = 0, hi = set->n;

    if (set->any)
        return true;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (port > set->r[mid].hi)
            lo = mid + 1;
        else if (port < set->r[mid].lo)
            hi = mid;
        else
            return true;
    }
    return false;
}
