/*
 * sig_kw_icmp.c - ICMP (v4 and v6) keywords: itype, icode, icmp_id, icmp_seq.
 *
 *   itype:8;  itype:<15;  itype:7<>20;  itype:!0;  icode:0;  icmp_id:21781;  icmp_seq:1;
 *
 * icmp_id and icmp_seq only match echo, timestamp, information and
 * address-mask messages (and the ICMPv6 echo pair), which carry them.
 */
#include "sig_int.h"

static int
sig_kw_icmp_num(struct sig_parse *ps, const char *kw, const char *val, uint8_t type, uint64_t max)
{
    struct sig_pm *pm = sig_parse_add_pm(ps, type);

    return pm == NULL ? NIDS_EINVAL : sig_parse_num(ps, kw, val, max, &pm->num);
}

static int
sig_kw_itype(struct sig_parse *ps, const char *val)
{
    return sig_kw_icmp_num(ps, "itype", val, SIG_PM_ITYPE, 255);
}

static int
sig_kw_icode(struct sig_parse *ps, const char *val)
{
    return sig_kw_icmp_num(ps, "icode", val, SIG_PM_ICODE, 255);
}

static int
sig_kw_icmp_id(struct sig_parse *ps, const char *val)
{
    return sig_kw_icmp_num(ps, "icmp_id", val, SIG_PM_ICMP_ID, 65535);
}

static int
sig_kw_icmp_seq(struct sig_parse *ps, const char *val)
{
    return sig_kw_icmp_num(ps, "icmp_seq", val, SIG_PM_ICMP_SEQ, 65535);
}

const struct sig_kw sig_kw_icmp[] = {
        {"itype", sig_kw_itype},
        {"icode", sig_kw_icode},
        {"icmp_id", sig_kw_icmp_id},
        {"icmp_seq", sig_kw_icmp_seq},
};
const unsigned sig_kw_icmp_count = NIDS_ARRAY_LEN(sig_kw_icmp);
