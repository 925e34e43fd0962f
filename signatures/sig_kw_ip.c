/*
 * sig_kw_ip.c - IP header keywords: ttl, tos, ipopts, sameip, ip_proto,
 * fragbits, id. Values are checked here; the packet side is in
 * sig_match.c.
 *
 *   ttl:<5;  tos:!8;  ipopts:rr;  sameip;  ip_proto:!tcp;  fragbits:M+;  id:31337;
 */
#include "sig_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ipopts bits (one per option Suricata names). */
#define SIG_IPOPT_EOL   0x001u
#define SIG_IPOPT_NOP   0x002u
#define SIG_IPOPT_RR    0x004u
#define SIG_IPOPT_TS    0x008u
#define SIG_IPOPT_SEC   0x010u
#define SIG_IPOPT_ESEC  0x020u
#define SIG_IPOPT_LSRR  0x040u
#define SIG_IPOPT_SSRR  0x080u
#define SIG_IPOPT_SATID 0x100u
#define SIG_IPOPT_ANY   0x1ffu

static int
sig_kw_ttl(struct sig_parse *ps, const char *val)
{
    struct sig_pm *pm = sig_parse_add_pm(ps, SIG_PM_TTL);

    return pm == NULL ? NIDS_EINVAL : sig_parse_num(ps, "ttl", val, 255, &pm->num);
}

static int
sig_kw_tos(struct sig_parse *ps, const char *val)
{
    struct sig_pm *pm = sig_parse_add_pm(ps, SIG_PM_TOS);
    const char *s = val;
    char *end;
    unsigned long v;
    bool neg = false;

    if (pm == NULL)
        return NIDS_EINVAL;
    if (val == NULL)
        return sig_perr(ps, "tos needs a value");
    while (*s == ' ')
        s++;
    if (*s == '!') {
        neg = true;
        s++;
    }
    while (*s == ' ')
        s++;
    if (*s == 'x' || *s == 'X')
        v = strtoul(s + 1, &end, 16);
    else
        v = strtoul(s, &end, 10);
    while (*end == ' ')
        end++;
    if (!isxdigit((unsigned char)s[(*s == 'x' || *s == 'X') ? 1 : 0]) || *end != '\0' || v > 255)
        return sig_perr(ps, "tos: invalid value '%s'", val);
    pm->num.op = neg ? SIG_OP_NE : SIG_OP_EQ;
    pm->num.a = v;
    return 0;
}

static int
sig_kw_ipopts(struct sig_parse *ps, const char *val)
{
    static const struct {
        const char *name;
        uint32_t bit;
    } opts[] = {
            {"eol", SIG_IPOPT_EOL},   {"nop", SIG_IPOPT_NOP},   {"rr", SIG_IPOPT_RR},
            {"ts", SIG_IPOPT_TS},     {"sec", SIG_IPOPT_SEC},   {"esec", SIG_IPOPT_ESEC},
            {"lsrr", SIG_IPOPT_LSRR}, {"ssrr", SIG_IPOPT_SSRR}, {"satid", SIG_IPOPT_SATID},
            {"any", SIG_IPOPT_ANY},
    };
    struct sig_pm *pm = sig_parse_add_pm(ps, SIG_PM_IPOPTS);
    char buf[32];
    size_t i;
    int rc;

    if (pm == NULL)
        return NIDS_EINVAL;
    if (val == NULL)
        return sig_perr(ps, "ipopts needs a value");
    if ((rc = sig_unquote(ps, val, buf, sizeof(buf))) < 0)
        return rc;
    for (i = 0; i < NIDS_ARRAY_LEN(opts); i++)
        if (strcasecmp(buf, opts[i].name) == 0) {
            pm->mask = opts[i].bit;
            return 0;
        }
    return sig_perr(ps, "ipopts: unknown option '%s'", buf);
}

static int
sig_kw_sameip(struct sig_parse *ps, const char *val)
{
    if (val != NULL)
        return sig_perr(ps, "sameip takes no value");
    return sig_parse_add_pm(ps, SIG_PM_SAMEIP) == NULL ? NIDS_EINVAL : 0;
}

static int
sig_kw_ip_proto(struct sig_parse *ps, const char *val)
{
    static const struct {
        const char *name;
        uint8_t num;
    } names[] = {
            {"ip", 0},          {"hopopt", 0},     {"icmp", 1},    {"igmp", 2},
            {"ipip", 4},        {"tcp", 6},        {"udp", 17},    {"ipv6", 41},
            {"ipv6-route", 43}, {"ipv6-frag", 44}, {"gre", 47},    {"esp", 50},
            {"ah", 51},         {"ipv6-icmp", 58}, {"icmpv6", 58}, {"ipv6-nonxt", 59},
            {"ipv6-opts", 60},  {"pim", 103},      {"sctp", 132},
    };
    struct sig_pm *pm = sig_parse_add_pm(ps, SIG_PM_IP_PROTO);
    char buf[64], num[80], *s;
    size_t i;
    int rc;

    if (pm == NULL)
        return NIDS_EINVAL;
    if (val == NULL)
        return sig_perr(ps, "ip_proto needs a value");
    if ((rc = sig_unquote(ps, val, buf, sizeof(buf))) < 0)
        return rc;
    s = buf;
    while (*s == '!' || *s == '<' || *s == '>' || *s == ' ')
        s++;
    if (isalpha((unsigned char)*s)) {
        for (i = 0; i < NIDS_ARRAY_LEN(names); i++)
            if (strcasecmp(s, names[i].name) == 0)
                break;
        if (i == NIDS_ARRAY_LEN(names))
            return sig_perr(ps, "ip_proto: unknown protocol '%s'", s);
        memcpy(num, buf, (size_t)(s - buf));
        snprintf(num + (s - buf), sizeof(num) - (size_t)(s - buf), "%u", names[i].num);
        return sig_parse_num(ps, "ip_proto", num, 255, &pm->num);
    }
    return sig_parse_num(ps, "ip_proto", buf, 255, &pm->num);
}

static int
sig_kw_fragbits(struct sig_parse *ps, const char *val)
{
    static const uint32_t bits[] = {0x1, 0x2, 0x4}; /* M D R */
    struct sig_pm *pm = sig_parse_add_pm(ps, SIG_PM_FRAGBITS);

    return pm == NULL ? NIDS_EINVAL : sig_parse_bitflags(ps, "fragbits", val, "MDR", bits, pm);
}

static int
sig_kw_id(struct sig_parse *ps, const char *val)
{
    struct sig_pm *pm = sig_parse_add_pm(ps, SIG_PM_ID);
    char buf[32];
    int rc;

    if (pm == NULL)
        return NIDS_EINVAL;
    if (val == NULL)
        return sig_perr(ps, "id needs a value");
    if ((rc = sig_unquote(ps, val, buf, sizeof(buf))) < 0)
        return rc;
    return sig_parse_num(ps, "id", buf, 65535, &pm->num);
}

const struct sig_kw sig_kw_ip[] = {
        {"ttl", sig_kw_ttl},       {"tos", sig_kw_tos},           {"ipopts", sig_kw_ipopts},
        {"sameip", sig_kw_sameip}, {"ip_proto", sig_kw_ip_proto}, {"fragbits", sig_kw_fragbits},
        {"id", sig_kw_id},
};
const unsigned sig_kw_ip_count = NIDS_ARRAY_LEN(sig_kw_ip);
