/*
 * ipfix_cfg.c - `outputs: - ipfix: {...}` entries of the configuration
 * (ipfix_config_parse in ipfix.h).
 *
 *   outputs:
 *     - ipfix:
 *         enabled: yes
 *         host: 127.0.0.1            # required: name or address of the collector
 *         port: 4739                 # default 4739 (IPFIX), 2055 (v9)
 *         version: 10                # 9 = NetFlow v9, 10 = IPFIX
 *         template-refresh: 600      # seconds; 0 = off
 *         template-refresh-packets: 20   # export packets; 0 = off
 *         observation-domain: 0      # v9 source id
 *         mtu: 1500                  # UDP payload <= mtu - 28
 *         biflow: no                 # RFC 5103 reverse counters (IPFIX only)
 *         app-name: no               # applicationName (IE 96)
 *
 * A config file is trusted but may be wrong: every number is range
 * checked and every error names the full dotted key and its line.
 */
#include "ipfix.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ipfix_msg.h"
#include "ipfix_tmpl.h"
#include "log.h"

#define IPFIX_PORT_IPFIX    4739 /* RFC 7011 §10.3.1 */
#define IPFIX_PORT_V9       2055 /* customary NetFlow port */
#define IPFIX_REFRESH_S_MAX 86400
#define IPFIX_MTU_MIN       128

/* err = "FILE:LINE: key 'DOTTED.KEY': <fmt>" for `key` under `base`. */
static int __attribute__((format(printf, 6, 7)))
ipfix_cfg_errf(char *err, size_t errlen, int rc, const struct cfg_node *base, const char *key,
               const char *fmt, ...)
{
    const struct cfg_node *n = cfg_node_lookup(base, key);
    const struct cfg_node *at = n != NULL ? n : base;
    char path[256], msg[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    cfg_node_path(base, path, sizeof(path));
    if (errlen > 0)
        snprintf(err, errlen, "%s:%d: key '%s%s%s': %s", at->file != NULL ? at->file : "?",
                 at->line, path, key[0] != '\0' ? "." : "", key, msg);
    return rc;
}

/* A getter failed: its message (c->err) names the key already. */
static int
ipfix_cfg_err_copy(struct cfg *c, char *err, size_t errlen, int rc)
{
    if (errlen > 0)
        snprintf(err, errlen, "%s", c->err);
    return rc;
}

/* An unsigned integer in [min, max]. */
static int
ipfix_cfg_u32(struct cfg *c, const struct cfg_node *base, const char *key, uint32_t dflt,
              uint32_t min, uint32_t max, uint32_t *out, char *err, size_t errlen)
{
    uint64_t v;
    int rc = cfg_get_u64(c, base, key, dflt, &v);

    if (rc < 0)
        return ipfix_cfg_err_copy(c, err, errlen, rc);
    if (v < min || v > max)
        return ipfix_cfg_errf(err, errlen, NIDS_ERANGE, base, key, "value %llu out of range %u..%u",
                              (unsigned long long)v, (unsigned)min, (unsigned)max);
    *out = (uint32_t)v;
    return 0;
}

static int
ipfix_cfg_bool(struct cfg *c, const struct cfg_node *base, const char *key, bool dflt, bool *out,
               char *err, size_t errlen)
{
    int rc = cfg_get_bool(c, base, key, dflt, out);

    return rc < 0 ? ipfix_cfg_err_copy(c, err, errlen, rc) : 0;
}

static int
ipfix_cfg_host_parse(struct cfg *c, const struct cfg_node *ix, struct ipfix_collector_cfg *o,
                     char *err, size_t errlen)
{
    const char *host;
    int rc = cfg_get_str(c, ix, "host", NULL, &host);

    if (rc < 0)
        return ipfix_cfg_err_copy(c, err, errlen, rc);
    if (host == NULL)
        return ipfix_cfg_errf(err, errlen, NIDS_EINVAL, ix, "host",
                              "missing: the collector's name or address is required");
    if (strlen(host) >= sizeof(o->host))
        return ipfix_cfg_errf(err, errlen, NIDS_ERANGE, ix, "host", "longer than %zu bytes",
                              sizeof(o->host) - 1);
    snprintf(o->host, sizeof(o->host), "%s", host);
    return 0;
}

/* Everything but the host, in dependency order (port and mtu need version). */
static int
ipfix_cfg_nums_parse(struct cfg *c, const struct cfg_node *ix, struct ipfix_collector_cfg *o,
                     char *err, size_t errlen)
{
    struct ipfix_tmpl_reg reg;
    uint32_t v, port, mtu_min;
    int rc;

    if ((rc = ipfix_cfg_u32(c, ix, "version", 10, 9, 10, &v, err, errlen)) < 0)
        return rc;
    o->version = (uint8_t)v;
    if ((rc = ipfix_cfg_u32(c, ix, "port", v == 9 ? IPFIX_PORT_V9 : IPFIX_PORT_IPFIX, 1, 65535,
                            &port, err, errlen)) < 0)
        return rc;
    o->port = (uint16_t)port;
    if ((rc = ipfix_cfg_u32(c, ix, "template-refresh", 600, 0, IPFIX_REFRESH_S_MAX,
                            &o->template_refresh_s, err, errlen)) < 0 ||
        (rc = ipfix_cfg_u32(c, ix, "template-refresh-packets", 20, 0, UINT32_MAX,
                            &o->template_refresh_pkts, err, errlen)) < 0 ||
        (rc = ipfix_cfg_u32(c, ix, "observation-domain", 0, 0, UINT32_MAX, &o->observation_domain,
                            err, errlen)) < 0 ||
        (rc = ipfix_cfg_bool(c, ix, "biflow", false, &o->biflow, err, errlen)) < 0 ||
        (rc = ipfix_cfg_bool(c, ix, "app-name", false, &o->app_name, err, errlen)) < 0 ||
        (rc = ipfix_cfg_u32(c, ix, "mtu", 1500, IPFIX_MTU_MIN, IPFIX_MTU_MAX, &o->mtu, err,
                            errlen)) < 0)
        return rc;
    if (o->template_refresh_s == 0 && o->template_refresh_pkts == 0)
        return ipfix_cfg_errf(err, errlen, NIDS_EINVAL, ix, "template-refresh",
                              "0 with template-refresh-packets 0: over UDP templates must be "
                              "re-sent (RFC 7011 §8.4)");
    ipfix_tmpl_reg_init(&reg, o->version, o->biflow, o->app_name);
    mtu_min = ipfix_tmpl_reg_mtu_min(&reg);
    if (o->mtu < mtu_min)
        return ipfix_cfg_errf(err, errlen, NIDS_ERANGE, ix, "mtu",
                              "%u too small: the templates need at least %u", (unsigned)o->mtu,
                              (unsigned)mtu_min);
    return 0;
}

/* One `ipfix` node. Returns 1 when stored, 0 when disabled, or an error. */
static int
ipfix_cfg_entry_parse(struct cfg *c, const struct cfg_node *ix, struct ipfix_collector_cfg *o,
                      char *err, size_t errlen)
{
    bool enabled;
    int rc;

    if (ix->kind == CFG_KIND_SEQ || (ix->kind == CFG_KIND_SCALAR && ix->value[0] != '\0'))
        return ipfix_cfg_errf(err, errlen, NIDS_EINVAL, ix, "", "expected a mapping");
    if ((rc = ipfix_cfg_bool(c, ix, "enabled", true, &enabled, err, errlen)) < 0)
        return rc;
    if (!enabled)
        return 0;
    memset(o, 0, sizeof(*o));
    if ((rc = ipfix_cfg_host_parse(c, ix, o, err, errlen)) < 0 ||
        (rc = ipfix_cfg_nums_parse(c, ix, o, err, errlen)) < 0)
        return rc;
    if (o->biflow && o->version == 9)
        log_warn("config: %s:%d: ipfix biflow needs version 10; NetFlow v9 sends one record "
                 "per direction",
                 ix->file != NULL ? ix->file : "?", ix->line);
    return 1;
}

int
ipfix_config_parse(struct cfg *c, struct ipfix_collector_cfg *out, int max, char *err,
                   size_t errlen)
{
    const struct cfg_node *outputs = cfg_lookup(c, "outputs"), *it;
    struct ipfix_collector_cfg tmp;
    int n = 0, rc;

    if (errlen > 0)
        err[0] = '\0';
    for (it = outputs != NULL ? outputs->child : NULL; it != NULL; it = it->next) {
        const struct cfg_node *ix = cfg_node_lookup(it, "ipfix");
        if (ix == NULL)
            continue;
        rc = ipfix_cfg_entry_parse(c, ix, &tmp, err, errlen);
        if (rc < 0)
            return rc;
        if (rc == 0)
            continue;
        if (n >= max) {
            log_warn("config: more than %d ipfix outputs, extra ones skipped", max);
            continue;
        }
        out[n++] = tmp;
    }
    return n;
}
