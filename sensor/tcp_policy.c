/*
 * tcp_policy.c - host-os-policy table and the overlap rules per policy.
 */
#include "tcp_policy.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

static const char *const tcp_policy_names[TCP_POL_COUNT] = {
        [TCP_POL_BSD] = "bsd",
        [TCP_POL_BSD_RIGHT] = "bsd-right",
        [TCP_POL_OLD_LINUX] = "old-linux",
        [TCP_POL_LINUX] = "linux",
        [TCP_POL_OLD_SOLARIS] = "old-solaris",
        [TCP_POL_SOLARIS] = "solaris",
        [TCP_POL_HPUX10] = "hpux10",
        [TCP_POL_HPUX11] = "hpux11",
        [TCP_POL_IRIX] = "irix",
        [TCP_POL_MACOS] = "macos",
        [TCP_POL_WINDOWS] = "windows",
        [TCP_POL_VISTA] = "vista",
        [TCP_POL_WINDOWS2K3] = "windows2k3",
        [TCP_POL_FIRST] = "first",
        [TCP_POL_LAST] = "last",
};

int
tcp_policy_by_name(const char *name)
{
    int i;

    for (i = 0; i < TCP_POL_COUNT; i++)
        if (strcmp(name, tcp_policy_names[i]) == 0)
            return i;
    return -1;
}

const char *
tcp_policy_name(uint8_t policy)
{
    return policy < TCP_POL_COUNT ? tcp_policy_names[policy] : "?";
}

static void
tcp_policy_mask(uint8_t *a, unsigned bytes, unsigned prefix)
{
    unsigned i;

    for (i = 0; i < bytes; i++) {
        unsigned keep = prefix >= 8 * (i + 1) ? 8 : prefix > 8 * i ? prefix - 8 * i : 0;
        a[i] &= (uint8_t)(0xff00u >> keep);
    }
}

int
tcp_policy_add(struct tcp_policy_table *t, const char *net, uint8_t policy, const char **why)
{
    char buf[64];
    const char *slash = strchr(net, '/');
    size_t alen = slash ? (size_t)(slash - net) : strlen(net);
    struct tcp_policy_net *n;
    unsigned max;

    if (t->n >= TCP_POLICY_MAX_NETS) {
        *why = "more than 256 networks";
        return -1;
    }
    if (alen == 0 || alen >= sizeof(buf)) {
        *why = "not an address";
        return -1;
    }
    n = &t->nets[t->n];
    memset(n, 0, sizeof(*n));
    memcpy(buf, net, alen);
    buf[alen] = '\0';
    if (inet_pton(AF_INET, buf, n->addr) == 1) {
        n->ip_ver = 4;
        max = 32;
    } else if (inet_pton(AF_INET6, buf, n->addr) == 1) {
        n->ip_ver = 6;
        max = 128;
    } else {
        *why = "not an IPv4 or IPv6 address";
        return -1;
    }
    n->prefix = (uint8_t)max;
    if (slash != NULL) {
        char *end;
        unsigned long p = strtoul(slash + 1, &end, 10);
        if (slash[1] == '\0' || *end != '\0' || p > max) {
            *why = "bad prefix length";
            return -1;
        }
        n->prefix = (uint8_t)p;
    }
    tcp_policy_mask(n->addr, max / 8, n->prefix);
    n->policy = policy;
    t->n++;
    return 0;
}

uint8_t
tcp_policy_lookup(const struct tcp_policy_table *t, const uint8_t *addr, uint8_t ip_ver)
{
    uint8_t best = TCP_POL_BSD, a[16];
    int best_len = -1;
    unsigned i, bytes = ip_ver == 4 ? 4 : 16;

    for (i = 0; i < t->n; i++) {
        const struct tcp_policy_net *n = &t->nets[i];
        if (n->ip_ver != ip_ver || (int)n->prefix <= best_len)
            continue;
        memcpy(a, addr, bytes);
        tcp_policy_mask(a, bytes, n->prefix);
        if (memcmp(a, n->addr, bytes) == 0) {
            best = n->policy;
            best_len = n->prefix;
        }
    }
    return best;
}

static int32_t
tcp_policy_seq_cmp(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b);
}

bool
tcp_policy_new_wins(uint8_t policy, uint32_t seg, uint32_t seg_end, uint32_t old,
                    uint32_t old_end)
{
    int32_t start = tcp_policy_seq_cmp(seg, old), end = tcp_policy_seq_cmp(seg_end, old_end);

    if (policy == TCP_POL_LAST)
        return true;
    if (start == 0) { /* both start at the same place */
        if (end < 0)
            return false;
        if (end > 0 && policy == TCP_POL_LINUX)
            return true;
        return policy == TCP_POL_OLD_LINUX || policy == TCP_POL_SOLARIS ||
               policy == TCP_POL_HPUX11;
    }
    if (start < 0) { /* the new segment starts first */
        if (end >= 0 && (policy == TCP_POL_SOLARIS || policy == TCP_POL_HPUX11))
            return true;
        switch (policy) {
        case TCP_POL_BSD:
        case TCP_POL_HPUX10:
        case TCP_POL_IRIX:
        case TCP_POL_WINDOWS:
        case TCP_POL_WINDOWS2K3:
        case TCP_POL_OLD_LINUX:
        case TCP_POL_LINUX:
        case TCP_POL_MACOS:
            return true;
        default:
            return false;
        }
    }
    /* the stored data starts first */
    return end > 0 && (policy == TCP_POL_SOLARIS || policy == TCP_POL_HPUX11);
}
