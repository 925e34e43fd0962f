/*
 * ipfix_export.c - the exporter of ipfix.h: template registry + session +
 * message builder, and the UDP transport.
 *
 * A message is begun by the first record after a send: templates first
 * when the session says they are due, then data records until one would
 * pass the MTU, which sends the message and begins the next. The datagram
 * goes to a send function (the connect()ed UDP socket, or a test's capture),
 * so everything but the socket is testable without one.
 *
 * Transport: blocking send() on a connect()ed UDP socket with a 4 MiB send
 * buffer (asked for; the kernel may cap it). Replaying a pcap produces
 * records far faster than a live link, and a local collector drops what
 * its receive buffer cannot hold, so every 64 datagrams the exporter sleeps
 * 200 us (caps a burst at about 64 * 1472 B per 200 us). That sleep is on
 * the exporter's own thread, never a worker's. A failed send (including
 * ECONNREFUSED from an earlier datagram's ICMP port unreachable) bumps
 * *ctr_errors and drops that message's records.
 */
#include "ipfix.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ipfix_msg.h"
#include "ipfix_session.h"
#include "ipfix_tmpl.h"
#include "log.h"

#define IPFIX_PACE_BURST    64      /* datagrams between two pauses */
#define IPFIX_PACE_PAUSE_NS 200000L /* 200 us */
#define IPFIX_SNDBUF        (4 << 20)

/* Transport: send one datagram; 0 or a negative enum nids_err. */
typedef int (*ipfix_send_fn)(void *ctx, const uint8_t *buf, size_t len);

struct ipfix_exporter {
    struct ipfix_collector_cfg cfg;
    struct ipfix_tmpl_reg reg;
    struct ipfix_session sess;
    struct ipfix_msg msg;
    uint8_t *buf; /* msg storage, cfg.mtu - 28 bytes */
    ipfix_send_fn send;
    void *send_ctx;
    int fd;           /* -1 when the transport is not the socket */
    uint32_t paced;   /* datagrams since the last pause */
    uint64_t last_ms; /* latest now_ms seen, for destroy's flush */
    uint64_t *ctr_sent;
    uint64_t *ctr_errors;
};

/* Payload limit for `mtu` (IPv4 + UDP headers off). */
static size_t
ipfix_export_cap(uint32_t mtu)
{
    size_t cap = mtu > IPFIX_IP_UDP_OVERHEAD ? mtu - IPFIX_IP_UDP_OVERHEAD : 0;

    return cap > IPFIX_MSG_MAX ? IPFIX_MSG_MAX : cap;
}

/*
 * Set up `x` for `cfg` over buf (ipfix_export_cap(cfg->mtu) bytes, caller's)
 * with the transport `send`: no socket, no allocation, so tests drive it
 * directly. Returns 0, or NIDS_ERANGE when the MTU cannot hold the templates
 * or a record, NIDS_EINVAL for a bad version.
 */
static int
ipfix_exporter_init(struct ipfix_exporter *x, const struct ipfix_collector_cfg *cfg, uint8_t *buf,
                    ipfix_send_fn send, void *send_ctx, uint64_t *ctr_sent, uint64_t *ctr_errors)
{
    memset(x, 0, sizeof(*x));
    x->cfg = *cfg;
    x->fd = -1;
    x->buf = buf;
    x->send = send;
    x->send_ctx = send_ctx;
    x->ctr_sent = ctr_sent;
    x->ctr_errors = ctr_errors;
    ipfix_tmpl_reg_init(&x->reg, cfg->version, cfg->biflow, cfg->app_name);
    ipfix_session_init(&x->sess, cfg->version, cfg->observation_domain, cfg->template_refresh_s,
                       cfg->template_refresh_pkts);
    if (cfg->mtu < ipfix_tmpl_reg_mtu_min(&x->reg) || cfg->mtu > IPFIX_MTU_MAX)
        return NIDS_ERANGE;
    return ipfix_msg_init(&x->msg, cfg->version, buf, ipfix_export_cap(cfg->mtu));
}

/* Send the current message (if it holds records) and reset it. */
static void
ipfix_exporter_send(struct ipfix_exporter *x, uint64_t now_ms)
{
    size_t len;

    if (ipfix_msg_is_empty(&x->msg))
        return;
    len = ipfix_session_hdr_emit(&x->sess, &x->msg, now_ms);
    if (x->send(x->send_ctx, x->buf, len) == 0) {
        *x->ctr_sent += x->msg.n_data;
        ipfix_session_put(&x->sess, &x->msg, now_ms);
    } else {
        (*x->ctr_errors)++;
    }
    ipfix_msg_reset(&x->msg);
}

/* Begin an empty message: the templates when they are due. */
static void
ipfix_exporter_begin(struct ipfix_exporter *x, uint64_t now_ms)
{
    uint16_t set_id = ipfix_msg_tmpl_set_id(x->cfg.version);
    unsigned i;

    if (!ipfix_session_tmpl_is_due(&x->sess, now_ms))
        return;
    for (i = 0; i < IPFIX_TMPL_COUNT; i++) {
        const struct ipfix_tmpl *t = &x->reg.t[i];
        uint8_t *p = ipfix_msg_reserve(&x->msg, set_id, t->def_len);
        /* cannot fail: ipfix_exporter_init checked the MTU */
        NIDS_BUG_ON(p == NULL);
        if (p != NULL)
            ipfix_tmpl_emit(t, p);
    }
}

/* Add one data record of `r` in direction `dir`. */
static void
ipfix_exporter_rec_add(struct ipfix_exporter *x, const struct ipfix_flow_rec *r, enum ipfix_dir dir,
                       uint64_t now_ms)
{
    const struct ipfix_tmpl *t = ipfix_tmpl_reg_lookup(&x->reg, r->ip_ver);
    size_t n = ipfix_tmpl_rec_len(t, r);
    uint8_t *p;

    if (ipfix_msg_is_empty(&x->msg))
        ipfix_exporter_begin(x, now_ms);
    p = ipfix_msg_reserve(&x->msg, t->id, n);
    if (p == NULL) {
        ipfix_exporter_send(x, now_ms);
        ipfix_exporter_begin(x, now_ms);
        p = ipfix_msg_reserve(&x->msg, t->id, n);
    }
    NIDS_BUG_ON(p == NULL); /* ipfix_exporter_init checked the MTU */
    if (p == NULL) {
        (*x->ctr_errors)++;
        return;
    }
    ipfix_tmpl_rec_emit(t, r, dir, p);
}

void
ipfix_exporter_add(struct ipfix_exporter *x, const struct ipfix_flow_rec *r, uint64_t now_ms)
{
    unsigned n = ipfix_tmpl_reg_rec_count(&x->reg, r);

    ipfix_session_clock(&x->sess, now_ms);
    x->last_ms = now_ms;
    /* Uni-directional: no record for a direction without packets (an
     * interim report may have only replies). */
    if (n == 1 || r->pkts[IPFIX_DIR_FWD] > 0)
        ipfix_exporter_rec_add(x, r, IPFIX_DIR_FWD, now_ms);
    if (n == 2)
        ipfix_exporter_rec_add(x, r, IPFIX_DIR_REV, now_ms);
}

void
ipfix_exporter_flush(struct ipfix_exporter *x, uint64_t now_ms)
{
    ipfix_session_clock(&x->sess, now_ms);
    x->last_ms = now_ms;
    if (ipfix_msg_is_empty(&x->msg))
        ipfix_exporter_begin(x, now_ms); /* a templates-only message when due */
    ipfix_exporter_send(x, now_ms);
}

/* The socket transport, with pacing. */
static int
ipfix_udp_send(void *ctx, const uint8_t *buf, size_t len)
{
    struct ipfix_exporter *x = ctx;
    struct timespec pause = {0, IPFIX_PACE_PAUSE_NS};
    ssize_t n;

    if (++x->paced >= IPFIX_PACE_BURST) {
        x->paced = 0;
        nanosleep(&pause, NULL);
    }
    do {
        n = send(x->fd, buf, len, 0);
    } while (n < 0 && errno == EINTR);
    return n == (ssize_t)len ? 0 : NIDS_EIO;
}

/* Resolve host:port and connect a UDP socket to it; -1 after log_error. */
static int
ipfix_udp_open(const struct ipfix_collector_cfg *cfg)
{
    struct addrinfo hints, *res = NULL, *ai;
    char port[8];
    int fd = -1, rc, sndbuf = IPFIX_SNDBUF;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = AI_NUMERICSERV;
    snprintf(port, sizeof(port), "%u", (unsigned)cfg->port);
    rc = getaddrinfo(cfg->host, port, &hints, &res);
    if (rc != 0) {
        log_error("ipfix: cannot resolve collector '%s': %s", cfg->host, gai_strerror(rc));
        return -1;
    }
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0)
            continue;
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
            break;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        log_error("ipfix: cannot open a UDP socket to %s:%u: %s", cfg->host, (unsigned)cfg->port,
                  strerror(errno));
        return -1;
    }
    /* best effort: the kernel caps it at net.core.wmem_max */
    (void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
    return fd;
}

struct ipfix_exporter *
ipfix_exporter_create(const struct ipfix_collector_cfg *cfg, uint64_t *ctr_sent,
                      uint64_t *ctr_errors)
{
    struct ipfix_exporter *x;
    uint8_t *buf;

    if (cfg == NULL || ctr_sent == NULL || ctr_errors == NULL) {
        log_error("ipfix: exporter created without config or counters");
        return NULL;
    }
    x = malloc(sizeof(*x));
    buf = malloc(ipfix_export_cap(cfg->mtu) + 1); /* + 1: never malloc(0) */
    if (x == NULL || buf == NULL) {
        log_error("ipfix: out of memory");
        goto out_free;
    }
    if (ipfix_exporter_init(x, cfg, buf, ipfix_udp_send, x, ctr_sent, ctr_errors) < 0) {
        log_error("ipfix: collector %s:%u: version %u, mtu %u invalid (templates need mtu >= %u)",
                  cfg->host, (unsigned)cfg->port, (unsigned)cfg->version, (unsigned)cfg->mtu,
                  (unsigned)ipfix_tmpl_reg_mtu_min(&x->reg));
        goto out_free;
    }
    x->fd = ipfix_udp_open(cfg);
    if (x->fd < 0)
        goto out_free;
    log_info("ipfix: exporting %s to %s:%u (domain %u, mtu %u%s%s)",
             cfg->version == 9 ? "NetFlow v9" : "IPFIX", cfg->host, (unsigned)cfg->port,
             (unsigned)cfg->observation_domain, (unsigned)cfg->mtu, x->reg.biflow ? ", biflow" : "",
             cfg->app_name ? ", app-name" : "");
    return x;

out_free:
    free(buf);
    free(x);
    return NULL;
}

void
ipfix_exporter_destroy(struct ipfix_exporter *x)
{
    if (x == NULL)
        return;
    if (x->sess.booted)
        ipfix_exporter_flush(x, x->last_ms);
    if (x->fd >= 0)
        close(x->fd);
    free(x->buf);
    free(x);
}
