/*
 * sig_kw_flowbits.c - flowbits: named bits kept per flow.
 *
 *   flowbits:set,name;  unset  toggle  isset  isnotset  flowbits:noalert;
 *
 * Several names join with '|' (any of them) or '&' (all of them). set,
 * unset and toggle act after the rule matched (even when the alert is
 * thresholded or noalert); isset and isnotset are conditions. Names are
 * numbered across the set (at most SIG_FLOWBITS_MAX); the bits live in
 * the flow's detection state (sig_state.c).
 */
#include "sig_int.h"

#include <string.h>
#include <strings.h>

static int
sig_kw_flowbits_setup(struct sig_parse *ps, const char *val)
{
    static const char *const cmds[SIG_FB_COUNT] = {"set", "unset", "toggle", "isset", "isnotset"};
    char buf[1024], *rest = buf, *cmd, *names, *name;
    struct sig_fbop op;
    bool or_sep, and_sep;
    unsigned c;
    int rc, bit;

    if (val == NULL)
        return sig_perr(ps, "flowbits needs a value");
    if ((rc = sig_unquote(ps, val, buf, sizeof(buf))) < 0)
        return rc;
    cmd = sig_split(&rest, ',');
    if (strcasecmp(cmd, "noalert") == 0 && rest == NULL) {
        ps->s->flags |= SIG_F_NOALERT;
        return 0;
    }
    for (c = 0; c < SIG_FB_COUNT; c++)
        if (strcasecmp(cmd, cmds[c]) == 0)
            break;
    if (c == SIG_FB_COUNT)
        return sig_perr(ps, "flowbits: unknown command '%s'", cmd);
    names = rest;
    if (names == NULL || *names == '\0')
        return sig_perr(ps, "flowbits:%s needs a name", cmd);
    memset(&op, 0, sizeof(op));
    op.cmd = (uint8_t)c;
    or_sep = strchr(names, '|') != NULL;
    and_sep = strchr(names, '&') != NULL;
    if (or_sep && and_sep)
        return sig_perr(ps, "flowbits: '|' and '&' together");
    op.all = and_sep;
    rest = names;
    while ((name = sig_split(&rest, or_sep ? '|' : '&')) != NULL) {
        size_t i;
        if (*name == '\0')
            return sig_perr(ps, "flowbits: empty name");
        for (i = 0; name[i] != '\0'; i++)
            if (name[i] == ' ' || name[i] == '\t' || name[i] == ',')
                return sig_perr(ps, "flowbits: invalid name '%s'", name);
        if (op.n >= SIG_FB_NAMES)
            return sig_perr(ps, "flowbits: more than %d names", SIG_FB_NAMES);
        if ((bit = sig_parse_flowbit(ps, name)) < 0)
            return bit;
        op.bit[op.n++] = (uint16_t)bit;
    }
    if (c == SIG_FB_ISSET || c == SIG_FB_ISNOTSET) {
        struct sig_pm *pm = sig_parse_add_pm(ps, SIG_PM_FLOWBITS);
        if (pm == NULL)
            return NIDS_EINVAL;
        pm->fb = op;
        return 0;
    }
    if (ps->n_post >= SIG_POST_MAX)
        return sig_perr(ps, "more than %d flowbits actions", SIG_POST_MAX);
    ps->post[ps->n_post++] = op;
    return 0;
}

const struct sig_kw sig_kw_flowbits[] = {
        {"flowbits", sig_kw_flowbits_setup},
};
const unsigned sig_kw_flowbits_count = NIDS_ARRAY_LEN(sig_kw_flowbits);
