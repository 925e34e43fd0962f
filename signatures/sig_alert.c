/*
 * sig_alert.c - the alerts of one inspection: queued as rules match,
 * then put in rule order, passed through pass rules, thresholds and
 * suppressions and packet-alert-max, and written as EVE `alert` records
 * (sensor/out_eve_alert.c). Counters: detect.alert,
 * detect.alert_queue_overflow, detect.alerts_suppressed.
 */
#include "sig_int.h"

#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "flow.h"

void
sig_alert_queue(struct sig_thread *t, const struct sig *s, const struct sig_ectx *e)
{
    struct sig_alert *a;

    if (t->nq >= t->capq) {
        t->ctr[STAT_DETECT_ALERT_QUEUE_OVERFLOW]++;
        return;
    }
    a = &t->q[t->nq++];
    a->s = s;
    a->flags = 0;
    a->pl = NULL;
    a->pl_len = 0;
    if (s->kind == SIG_KIND_TX && e->tx != NULL) {
        a->flags |= SIG_AF_TX;
        a->tx = *e->tx;
    }
    if (e->stream && s->kind != SIG_KIND_TX) {
        a->flags |= SIG_AF_STREAM;
        a->pl = e->pl;
        a->pl_len = e->pl_len;
    }
}

static int
sig_alert_cmp(const void *a, const void *b)
{
    const struct sig_alert *x = a, *y = b;

    if (x->s->num != y->s->num)
        return x->s->num < y->s->num ? -1 : 1;
    return x->tx.tx_id < y->tx.tx_id ? -1 : x->tx.tx_id > y->tx.tx_id;
}

static void
sig_alert_emit(struct sig_thread *t, const struct sig_alert *a, const struct sig_pview *v)
{
    const struct sig *s = a->s;
    const struct pkt *p = v->p;
    struct eve_alert r;
    static const char *const src[SIG_PKTSRC_COUNT] = {"wire/pcap", "defrag",
                                                      "stream (flow timeout)"};

    memset(&r, 0, sizeof(r));
    r.ts_us = v->ts_us;
    r.pcap_cnt = v->pcap_cnt;
    r.f = v->f;
    r.pkt_src = src[v->pkt_src < SIG_PKTSRC_COUNT ? v->pkt_src : 0];
    r.ip_ver = v->ip_ver;
    r.proto = v->proto;
    r.src = v->src;
    r.dst = v->dst;
    r.sp = v->sp;
    r.dp = v->dp;
    r.dir = v->dir;
    if (p != NULL) {
        r.vlan_idx = p->vlan_idx;
        memcpy(r.vlan_id, p->vlan_id, sizeof(r.vlan_id));
        if ((p->proto == 1 || p->proto == 58) && (p->flags & PKT_HAS_L4)) {
            r.icmp = true;
            r.icmp_type = p->icmp_type;
            r.icmp_code = p->icmp_code;
        }
        r.packet = p->data;
        r.packet_len = p->caplen;
        r.linktype = p->linktype;
    } else if (v->f != NULL) {
        r.vlan_idx = v->f->key.vlan_idx;
        memcpy(r.vlan_id, v->f->key.vlan_id, sizeof(r.vlan_id));
    }
    r.action = "allowed";
    r.gid = s->gid;
    r.sid = s->id;
    r.rev = s->rev;
    r.msg = s->msg;
    r.category = s->class_msg;
    r.severity = s->prio;
    r.target = (s->flags & SIG_F_TARGET_DST) ? 1 : (s->flags & SIG_F_TARGET_SRC) ? 2 : 0;
    r.meta = s->meta;
    r.n_meta = s->n_meta;
    if (a->flags & SIG_AF_TX) {
        r.has_tx = true;
        r.tx_id = a->tx.tx_id;
        r.app_tx = a->tx.tx;
        r.dns_response = a->tx.response;
        r.app_kind = a->tx.app_proto == APP_PROTO_HTTP  ? EVE_ALERT_APP_HTTP
                     : a->tx.app_proto == APP_PROTO_DNS ? EVE_ALERT_APP_DNS
                                                        : EVE_ALERT_APP_NONE;
        if (a->tx.app_proto == APP_PROTO_SMTP) {
            const struct sig_smtp_view *sv = a->tx.tx;
            r.app_kind = EVE_ALERT_APP_SMTP;
            r.app_tx = sv->tx;
            r.app_conn = sv->c;
        }
    }
    if ((a->flags & SIG_AF_STREAM) && a->pl_len > 0) {
        r.payload = a->pl;
        r.payload_len = a->pl_len;
        r.stream = true;
    } else if (p != NULL && p->payload_len > 0) {
        struct cursor c;
        cur_init(&c, p->data, p->caplen);
        cur_skip(&c, p->payload_off);
        r.payload = cur_bytes(&c, p->payload_len);
        r.payload_len = r.payload != NULL ? p->payload_len : 0;
        r.stream = (a->flags & SIG_AF_STREAM) != 0;
    }
    eve_emit_alert(t->eve, &r, t->out);
}

void
sig_alert_flush(struct sig_thread *t, const struct sig_pview *v)
{
    uint32_t i, written = 0;

    if (t->nq == 0)
        return;
    if (t->nq > 1)
        qsort(t->q, t->nq, sizeof(*t->q), sig_alert_cmp);
    for (i = 0; i < t->nq; i++) {
        const struct sig_alert *a = &t->q[i];
        if (!sig_thresh_allows(t, a->s, v)) {
            t->ctr[STAT_DETECT_ALERTS_SUPPRESSED]++;
            continue;
        }
        if (a->s->action == SIG_ACT_PASS) {
            /* Pass: nothing after it on this packet, nothing more on its flow. */
            struct sig_fslot *sl = sig_slot(t, v->f);
            if (sl != NULL)
                sl->flags |= SIG_FS_PASS;
            break;
        }
        if (written >= t->db->packet_alert_max) {
            t->ctr[STAT_DETECT_ALERT_QUEUE_OVERFLOW]++;
            continue;
        }
        sig_alert_emit(t, a, v);
        written++;
        t->ctr[STAT_DETECT_ALERT]++;
        if (v->f != NULL)
            v->f->flags |= FLOW_F_ALERTED;
    }
    t->nq = 0;
}
