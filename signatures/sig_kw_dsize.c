/*
 * sig_kw_dsize.c - dsize: the payload size of the packet.
 *
 *   dsize:>0;  dsize:300<>400;  dsize:!0;  dsize:<=20;
 *
 * A rule with dsize looks at packets only, never at the TCP stream (as
 * Suricata: the size is the packet's).
 */
#include "sig_int.h"

static int
sig_kw_dsize_setup(struct sig_parse *ps, const char *val)
{
    struct sig_pm *pm = sig_parse_add_pm(ps, SIG_PM_DSIZE);

    if (pm == NULL)
        return NIDS_EINVAL;
    ps->pkt_only = true;
    return sig_parse_num(ps, "dsize", val, 65535, &pm->num);
}

const struct sig_kw sig_kw_dsize[] = {
        {"dsize", sig_kw_dsize_setup},
};
const unsigned sig_kw_dsize_count = NIDS_ARRAY_LEN(sig_kw_dsize);
