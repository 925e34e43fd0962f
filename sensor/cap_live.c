/*
 * cap_live.c - libpcap live capture, polled with poll(2) so that one
 * thread serves several interfaces and notices a stop request within
 * 100 ms even on a quiet link.
 */
#include "cap_live.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "log.h"
#include "stats_defs.h"

struct cap_live {
    pcap_t *pc[CAP_LIVE_MAX_IFACES];
    int linktype[CAP_LIVE_MAX_IFACES];
    unsigned n;
};

struct cap_live_cb {
    struct pipeline *pl;
    int linktype;
};

static void
cap_live_close_handles(struct cap_live *cl)
{
    unsigned i;

    for (i = 0; i < cl->n; i++)
        pcap_close(cl->pc[i]);
    cl->n = 0;
}

/* Creates, configures and activates one handle; NULL with err filled. */
static pcap_t *
cap_live_open_one(const struct cap_live_cfg *cfg, const char *ifname, char *err, size_t errlen)
{
    char ebuf[PCAP_ERRBUF_SIZE];
    struct bpf_program prog;
    pcap_t *pc = pcap_create(ifname, ebuf);
    int rc;

    if (pc == NULL) {
        snprintf(err, errlen, "interface %s: %s", ifname, ebuf);
        return NULL;
    }
    pcap_set_snaplen(pc, CAP_LIVE_SNAPLEN);
    pcap_set_promisc(pc, cfg->promisc);
    pcap_set_immediate_mode(pc, 1);
    pcap_set_timeout(pc, 100);
    if (cfg->buffer_size > 0)
        pcap_set_buffer_size(pc, (int)(cfg->buffer_size > 0x7fffffff ? 0x7fffffff
                                                                      : cfg->buffer_size));
    rc = pcap_activate(pc);
    if (rc < 0) {
        snprintf(err, errlen, "interface %s: %s", ifname, pcap_geterr(pc));
        pcap_close(pc);
        return NULL;
    }
    if (rc > 0)
        log_warn("interface %s: %s", ifname, pcap_statustostr(rc));
    if (cfg->bpf != NULL) {
        if (pcap_compile(pc, &prog, cfg->bpf, 1, PCAP_NETMASK_UNKNOWN) < 0 ||
            pcap_setfilter(pc, &prog) < 0) {
            snprintf(err, errlen, "BPF filter '%s' on %s: %s", cfg->bpf, ifname, pcap_geterr(pc));
            pcap_close(pc);
            return NULL;
        }
        pcap_freecode(&prog);
    }
    if (pcap_setnonblock(pc, 1, ebuf) < 0) {
        snprintf(err, errlen, "interface %s: %s", ifname, ebuf);
        pcap_close(pc);
        return NULL;
    }
    return pc;
}

struct cap_live *
cap_live_open(const struct cap_live_cfg *cfg, char *err, size_t errlen)
{
    struct cap_live *cl = calloc(1, sizeof(*cl));
    unsigned i;

    if (cl == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    for (i = 0; i < cfg->n_ifaces; i++) {
        pcap_t *pc = cap_live_open_one(cfg, cfg->ifaces[i], err, errlen);
        if (pc == NULL) {
            cap_live_close(cl);
            return NULL;
        }
        cl->pc[cl->n] = pc;
        cl->linktype[cl->n] = pcap_datalink(pc);
        cl->n++;
        log_info("capturing on %s (link type %d)", cfg->ifaces[i], pcap_datalink(pc));
    }
    return cl;
}

static void
cap_live_on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
    struct cap_live_cb *cb = (struct cap_live_cb *)(void *)user;
    uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec;

    pipeline_packet(cb->pl, data, h->caplen, h->len, ts, cb->linktype, -1);
}

static uint64_t
cap_live_now_us(void)
{
    struct timeval tv;

    gettimeofday(&tv, NULL);
    return (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec;
}

/* Kernel counters summed over the interfaces, as absolute totals. */
static void
cap_live_kernel_stats(struct cap_live *cl, struct pipeline *pl)
{
    uint64_t recv = 0, drop = 0, ifdrop = 0;
    struct pcap_stat ps;
    unsigned i;

    for (i = 0; i < cl->n; i++) {
        if (pcap_stats(cl->pc[i], &ps) != 0)
            continue;
        recv += ps.ps_recv;
        drop += ps.ps_drop;
        ifdrop += ps.ps_ifdrop;
    }
    pipeline_count_set(pl, STAT_CAPTURE_KERNEL_PACKETS, recv);
    pipeline_count_set(pl, STAT_CAPTURE_KERNEL_DROPS, drop);
    pipeline_count_set(pl, STAT_CAPTURE_KERNEL_IFDROPS, ifdrop);
}

int
cap_live_run(struct cap_live *cl, struct pipeline *pl, volatile int *stop)
{
    struct pollfd pfd[CAP_LIVE_MAX_IFACES];
    struct cap_live_cb cb[CAP_LIVE_MAX_IFACES];
    uint64_t last_stats = 0;
    unsigned i;

    for (i = 0; i < cl->n; i++) {
        pfd[i].fd = pcap_get_selectable_fd(cl->pc[i]);
        pfd[i].events = POLLIN;
        cb[i].pl = pl;
        cb[i].linktype = cl->linktype[i];
        if (pfd[i].fd < 0)
            return NIDS_EINVAL;
    }
    while (!*stop) {
        int got = 0, rc = poll(pfd, cl->n, 100);
        if (rc < 0 && errno != EINTR)
            return NIDS_EIO;
        for (i = 0; i < cl->n; i++) {
            int n = pcap_dispatch(cl->pc[i], 256, cap_live_on_packet, (u_char *)&cb[i]);
            if (n < 0 && n != PCAP_ERROR_BREAK) {
                log_error("capture: %s", pcap_geterr(cl->pc[i]));
                pipeline_count(pl, STAT_CAPTURE_ERRORS, 1);
            } else if (n > 0) {
                got += n;
            }
        }
        uint64_t now = cap_live_now_us();
        /* Hand staged packets over and move the workers' clocks. */
        pipeline_idle(pl, got > 0 ? 0 : now);
        if (now / 1000000u != last_stats) {
            last_stats = now / 1000000u;
            cap_live_kernel_stats(cl, pl);
        }
    }
    /* Take what the kernel already holds (bounded: traffic may not stop),
     * then the final counters. */
    for (i = 0; i < cl->n; i++) {
        unsigned rounds = 0;
        while (rounds++ < 64 &&
               pcap_dispatch(cl->pc[i], 256, cap_live_on_packet, (u_char *)&cb[i]) > 0)
            ;
    }
    cap_live_kernel_stats(cl, pl);
    return 0;
}

void
cap_live_close(struct cap_live *cl)
{
    if (cl == NULL)
        return;
    cap_live_close_handles(cl);
    free(cl);
}
