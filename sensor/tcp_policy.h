/*
 * tcp_policy.h - target-based overlap policy for TCP reassembly, after
 * Suricata's host-os-policy: which bytes a receiving host keeps when a
 * segment overlaps data it already holds depends on its TCP stack. The
 * sensor reassembles each direction as its receiver would.
 *
 * The table maps networks to a policy (longest prefix wins); hosts not in
 * it get bsd, Suricata's default. It is filled at start-up and read-only
 * afterwards; a lookup happens only when an overlap is seen.
 */
#ifndef TCP_POLICY_H
#define TCP_POLICY_H

#include <stdbool.h>
#include <stdint.h>

enum tcp_os_policy {
    TCP_POL_BSD = 0, /* the default */
    TCP_POL_BSD_RIGHT,
    TCP_POL_OLD_LINUX,
    TCP_POL_LINUX,
    TCP_POL_OLD_SOLARIS,
    TCP_POL_SOLARIS,
    TCP_POL_HPUX10,
    TCP_POL_HPUX11,
    TCP_POL_IRIX,
    TCP_POL_MACOS,
    TCP_POL_WINDOWS,
    TCP_POL_VISTA,
    TCP_POL_WINDOWS2K3,
    TCP_POL_FIRST, /* the data first received always wins */
    TCP_POL_LAST,  /* the data last received always wins */
    TCP_POL_COUNT
};

#define TCP_POLICY_MAX_NETS 256

struct tcp_policy_net {
    uint8_t addr[16]; /* masked to prefix */
    uint8_t ip_ver;   /* 4 or 6 */
    uint8_t prefix;   /* bits */
    uint8_t policy;   /* enum tcp_os_policy */
};

struct tcp_policy_table {
    struct tcp_policy_net nets[TCP_POLICY_MAX_NETS];
    unsigned n;
};

/* Policy named as in suricata.yaml's host-os-policy ("windows", "old-linux"...); -1 if none. */
int tcp_policy_by_name(const char *name);
const char *tcp_policy_name(uint8_t policy);

/*
 * Adds "ADDR" or "ADDR/PREFIX" (IPv4 or IPv6) with a policy. Returns 0, or
 * -1 with *why set (bad address or prefix, table full).
 */
int tcp_policy_add(struct tcp_policy_table *t, const char *net, uint8_t policy, const char **why);

/* Policy of the host at addr (4 or 16 bytes by ip_ver). */
uint8_t tcp_policy_lookup(const struct tcp_policy_table *t, const uint8_t *addr, uint8_t ip_ver);

/*
 * A new segment [seg, seg_end) overlaps stored data [old, old_end) with
 * different bytes: true when the receiver keeps the new bytes (Suricata's
 * DoHandleDataOverlap rules, sequence numbers compared modulo 2^32).
 */
bool tcp_policy_new_wins(uint8_t policy, uint32_t seg, uint32_t seg_end, uint32_t old,
                         uint32_t old_end);

#endif /* TCP_POLICY_H */
