/*
 * sig_kw_tcp.c - TCP header keywords: flags (tcp.flags), seq, ack, window.
 *
 *   flags:SA;  flags:S,12;  tcp.flags:R,A;  flags:!R;  seq:0;  ack:1;  window:!512;
 *
 * flags letters F S R P A U E C (ECE, CWR; 1 and 2 are their old names),
 * 0 for none; after a comma the flags to ignore. Modifiers: none (exactly
 * these), + (these and others), * (any of these), ! (not all of these).
 */
#include "sig_int.h"

#include <string.h>

static const char sig_tcp_letters[] = "FSRPAUEC21";
static const uint32_t sig_tcp_bits[] = {TCP_FIN, TCP_SYN, TCP_RST, TCP_PSH, TCP_ACK,
                                        TCP_URG, TCP_ECE, TCP_CWR, TCP_ECE, TCP_CWR};

static int
sig_kw_flags(struct sig_parse *ps, const char *val)
{
    struct sig_pm *pm = sig_parse_add_pm(ps, SIG_PM_FLAGS);
    char buf[64], *comma;
    int rc;

    if (pm == NULL)
        return NIDS_EINVAL;
    if (val == NULL)
        return sig_perr(ps, "flags needs a value");
    if ((rc = sig_unquote(ps, val, buf, sizeof(buf))) < 0)
        return rc;
    comma = strchr(buf, ',');
    if (comma != NULL) {
        struct sig_pm ign;
        *comma = '\0';
        memset(&ign, 0, sizeof(ign));
        if ((rc = sig_parse_bitflags(ps, "flags", comma + 1, sig_tcp_letters, sig_tcp_bits, &ign)) <
            0)
            return rc;
        if (ign.mod != SIG_MOD_EXACT)
            return sig_perr(ps, "flags: modifier in the ignore part '%s'", comma + 1);
        pm->ignore = ign.mask;
    }
    return sig_parse_bitflags(ps, "flags", buf, sig_tcp_letters, sig_tcp_bits, pm);
}

static int
sig_kw_tcp_u32(struct sig_parse *ps, const char *kw, const char *val, uint8_t type, uint64_t max)
{
    struct sig_pm *pm = sig_parse_add_pm(ps, type);
    const char *s = val;

    if (pm == NULL)
        return NIDS_EINVAL;
    if (val == NULL)
        return sig_perr(ps, "%s needs a value", kw);
    while (*s == ' ')
        s++;
    if (*s == '!') {
        pm->neg = true;
        s++;
    }
    pm->num.op = SIG_OP_EQ;
    return sig_parse_u64(ps, kw, s, max, &pm->num.a);
}

static int
sig_kw_seq(struct sig_parse *ps, const char *val)
{
    return sig_kw_tcp_u32(ps, "seq", val, SIG_PM_SEQ, UINT32_MAX);
}

static int
sig_kw_ack(struct sig_parse *ps, const char *val)
{
    return sig_kw_tcp_u32(ps, "ack", val, SIG_PM_ACK, UINT32_MAX);
}

static int
sig_kw_window(struct sig_parse *ps, const char *val)
{
    return sig_kw_tcp_u32(ps, "window", val, SIG_PM_WINDOW, 65535);
}

const struct sig_kw sig_kw_tcp[] = {
        {"flags", sig_kw_flags}, {"tcp.flags", sig_kw_flags}, {"seq", sig_kw_seq},
        {"ack", sig_kw_ack},     {"window", sig_kw_window},
};
const unsigned sig_kw_tcp_count = NIDS_ARRAY_LEN(sig_kw_tcp);
