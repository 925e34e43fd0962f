/*
 * app_dns_tcp.c - DNS over TCP (RFC 1035 4.2.2, RFC 7766 8): framing,
 * acknowledgement and Suricata 8's rules (rust/src/dns/dns.rs
 * parse_request_tcp, parse_response_tcp, request_gap, probe_tcp).
 *
 *   +----------------+---------------------------+----------------+----
 *   | length (16 bit)| DNS message (length bytes)| length (16 bit)| ...
 *   +----------------+---------------------------+----------------+----
 *
 * A direction's bytes are copied into a buffer from the pool and wait
 * there until the other side's ACK covers whole messages, which are then
 * parsed, numbered (one transaction each, both directions, in the order
 * parsed) and logged with the acknowledging packet. A length of zero is
 * skipped (two bytes). What Suricata does with a message, and so here:
 *  - one that fails the header check (DNS_NOT_DNS), one that does not
 *    parse, or a response sent to the server is a parser error: the flow's
 *    DNS parsing ends (app_layer.error.dns_tcp.parser). The malformed_data
 *    and not_a_request events it sets go on an already logged transaction,
 *    so no record shows them: counted only (dns.tcp.*);
 *  - a query sent to the client is a transaction with not_response;
 *  - after a gap, a piece that does not start like a DNS message (probe)
 *    is dropped until one does. Suricata's request side means to do this
 *    too but skips the drop (a missing `return` in parse_request_tcp), so
 *    it errors out on the first non-DNS bytes; this file drops them on
 *    both sides;
 *  - an RST, or the end of the flow, parses what is left; bytes of a
 *    message cut by the end are counted (dns.tcp.truncated).
 * Messages that fill a whole buffer before they are acknowledged (only a
 * peer ignoring TCP windows sends that much) are parsed at once.
 */
#include "app_dns_tcp.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "app_dns.h"
#include "app_dns_udp.h"
#include "app_state.h"
#include "cursor.h"
#include "out_eve.h"

/* Messages of one direction logged and waiting for their detection. */
#define APP_DNS_TCP_PENDING 8

/* One direction: its unparsed bytes (from a message start) in a pool buffer. */
struct dns_tcp_dir {
    uint32_t buf;  /* index + 1 in the buffer pool, 0 = none */
    uint32_t have; /* bytes in it */
    uint32_t seq;  /* TCP sequence number of its first byte */
    bool gap;      /* bytes were lost: wait for something that probes as DNS */
    bool eof;      /* the direction ended (FIN): nothing more will come */
    /*
     * Detection of a message waits for the next packet of its own
     * direction, as Suricata inspects a transaction's side with packets
     * going that way (the record is written with the peer's ACK). The
     * first `logged` bytes of the buffer are such messages, pending[] their
     * transaction ids.
     */
    uint32_t logged;
    uint32_t n_pending;
    uint32_t pending[APP_DNS_TCP_PENDING];
};

struct dns_tcp_flow {
    struct dns_tcp_dir d[2];
    bool stopped; /* parser error or no buffer: nothing more is parsed */
};

struct app_dns_tcp_ctx {
    struct app_dns_tcp_cfg cfg;
    struct eve *eve;
    uint64_t *ctr;
    bool dns_on, anomaly_on;
    app_dns_tcp_detect_fn detect; /* transaction detection, or NULL */
    void *detect_ctx;
    struct app_state_pool flows; /* struct dns_tcp_flow, one per followed flow */
    uint8_t *bufs;               /* cfg.bufs x APP_DNS_TCP_BUF */
    uint32_t *buf_next;          /* free-list links (pool.h) */
    struct pool_list buf_list;
    uint32_t bufs_used;
    struct dns_msg msg;
    uint8_t names[64u * 1024u];
    char esc[EVE_DNS_ESC_MAX];
};

void
app_dns_tcp_cfg_defaults(struct app_dns_tcp_cfg *c)
{
    c->flows = 1024;
    c->bufs = 32;
}

struct app_dns_tcp_ctx *
app_dns_tcp_ctx_create(const struct app_dns_tcp_cfg *cfg, struct eve *eve, uint64_t *ctr)
{
    struct app_dns_tcp_ctx *x = calloc(1, sizeof(*x));

    if (x == NULL)
        return NULL;
    x->cfg = *cfg;
    if (x->cfg.flows == 0)
        x->cfg.flows = 1;
    x->eve = eve;
    x->ctr = ctr;
    if (x->cfg.bufs > 0) {
        x->bufs = malloc((size_t)x->cfg.bufs * APP_DNS_TCP_BUF);
        x->buf_next = calloc(x->cfg.bufs, sizeof(*x->buf_next));
    }
    if (app_state_pool_init(&x->flows, x->cfg.flows, sizeof(struct dns_tcp_flow)) < 0 ||
        (x->cfg.bufs > 0 && (x->bufs == NULL || x->buf_next == NULL))) {
        app_dns_tcp_ctx_destroy(x);
        return NULL;
    }
    pool_list_init(&x->buf_list, x->cfg.bufs);
    if (eve != NULL) {
        x->dns_on = eve_has_type(eve, EVE_TYPE_DNS);
        x->anomaly_on = eve_has_type(eve, EVE_TYPE_ANOMALY);
    }
    return x;
}

void
app_dns_tcp_ctx_destroy(struct app_dns_tcp_ctx *x)
{
    if (x == NULL)
        return;
    app_state_pool_fini(&x->flows);
    free(x->bufs);
    free(x->buf_next);
    free(x);
}

void
app_dns_tcp_set_detect(struct app_dns_tcp_ctx *x, app_dns_tcp_detect_fn fn, void *ctx)
{
    x->detect = fn;
    x->detect_ctx = ctx;
}

uint32_t
app_dns_tcp_states_used(const struct app_dns_tcp_ctx *x)
{
    return x->flows.used;
}

uint32_t
app_dns_tcp_bufs_used(const struct app_dns_tcp_ctx *x)
{
    return x->bufs_used;
}

static uint8_t *
dns_tcp_buf(struct app_dns_tcp_ctx *x, const struct dns_tcp_dir *d)
{
    return x->bufs + (size_t)(d->buf - 1) * APP_DNS_TCP_BUF;
}

static bool
dns_tcp_buf_get(struct app_dns_tcp_ctx *x, struct dns_tcp_dir *d)
{
    uint32_t i = pool_list_alloc(&x->buf_list, x->buf_next, sizeof(*x->buf_next));

    if (i == 0) {
        x->ctr[STAT_DNS_TCP_BUF_POOL_EMPTY]++;
        return false;
    }
    x->bufs_used++;
    d->buf = i;
    d->have = 0;
    return true;
}

static void
dns_tcp_buf_put(struct app_dns_tcp_ctx *x, struct dns_tcp_dir *d)
{
    if (d->buf == 0)
        return;
    pool_list_free(&x->buf_list, x->buf_next, sizeof(*x->buf_next), d->buf);
    x->bufs_used--;
    d->buf = 0;
    d->have = 0;
}

/* Nothing more is parsed on this flow; its buffers go back. */
static void
dns_tcp_stop(struct app_dns_tcp_ctx *x, struct dns_tcp_flow *st)
{
    st->stopped = true;
    dns_tcp_buf_put(x, &st->d[0]);
    dns_tcp_buf_put(x, &st->d[1]);
}

static struct dns_tcp_flow *
dns_tcp_state_of(struct app_dns_tcp_ctx *x, const struct flow *f)
{
    return app_state_pool_of(&x->flows, f);
}

/* The flow's state, taken from the pool on first use (and counted then). */
static struct dns_tcp_flow *
dns_tcp_state_get(struct app_dns_tcp_ctx *x, struct flow *f)
{
    enum app_state_found how;
    struct dns_tcp_flow *st = app_state_pool_get(&x->flows, f, &how);

    if (how == APP_STATE_NEW || how == APP_STATE_EMPTY)
        x->ctr[STAT_APP_LAYER_FLOW_DNS_TCP]++;
    if (how == APP_STATE_EMPTY)
        x->ctr[STAT_DNS_TCP_STATE_POOL_EMPTY]++;
    return st;
}

/* Applayer anomalies for the events of a new transaction. */
static void
dns_tcp_events(struct app_dns_tcp_ctx *x, const struct pkt *p, const struct flow *f, bool response,
               uint64_t tx_id, uint64_t ts_us)
{
    const char *ev[APP_DNS_EVENTS_MAX];
    unsigned n = app_dns_events(&x->msg, response, ev), i;

    for (i = 0; i < n; i++)
        eve_emit_dns_stream_anomaly(x->eve, p, f, response, ev[i], tx_id, ts_us);
}

/*
 * One message of direction dir: a transaction, or a parser error that
 * stops the flow (false). p: the packet it is logged with (NULL at flow
 * end, time ts_us).
 */
static bool
dns_tcp_message(struct app_dns_tcp_ctx *x, struct flow *f, struct dns_tcp_flow *st, int dir,
                const uint8_t *msg, uint32_t len, const struct pkt *p, uint64_t ts_us, bool defer)
{
    struct dns_msg *m = &x->msg;
    enum dns_status s = dns_parse_message(msg, len, m, x->names, sizeof(x->names));
    bool response = dir == FLOW_TOCLIENT;
    uint64_t tx_id;

    x->ctr[STAT_DNS_NOT_STORED] += m->not_stored;
    x->ctr[STAT_DNS_NAME_NOT_STORED] += m->names_not_stored;
    if (s != DNS_OK || (!response && m->qr)) {
        x->ctr[s == DNS_NOT_DNS     ? STAT_DNS_TCP_NOT_DNS
               : s == DNS_MALFORMED ? STAT_DNS_TCP_MALFORMED
                                    : STAT_DNS_TCP_NOT_REQUEST]++;
        x->ctr[STAT_APP_LAYER_ERROR_DNS_TCP_PARSER]++;
        dns_tcp_stop(x, st);
        return false;
    }
    tx_id = f->app_tx++;
    x->ctr[STAT_APP_LAYER_TX_DNS_TCP]++;
    /* Detection runs before the loggers, as in Suricata's packet path. */
    if (x->detect != NULL && !defer)
        x->detect(x->detect_ctx, p, f, m, response, tx_id);
    else if (defer)
        st->d[dir].pending[st->d[dir].n_pending++] = (uint32_t)tx_id;
    if (x->dns_on)
        eve_emit_dns_stream(x->eve, p, f, m, response, tx_id, ts_us, x->esc);
    if (x->anomaly_on)
        dns_tcp_events(x, p, f, response, tx_id, ts_us);
    return true;
}

static int32_t
dns_tcp_seq_diff(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b);
}

/* Drop the first n bytes of d's buffer; an empty buffer goes back to the pool. */
static void
dns_tcp_consume(struct app_dns_tcp_ctx *x, struct dns_tcp_dir *d, uint32_t n)
{
    uint8_t *b = dns_tcp_buf(x, d);

    memmove(b, b + n, d->have - n);
    d->have -= n;
    d->seq += n;
    if (d->have == 0)
        dns_tcp_buf_put(x, d);
}

/*
 * Run the detection the logged messages of direction dir wait for, with
 * packet p (NULL at the end of the flow), and drop their bytes.
 */
static void
dns_tcp_detect_pending(struct app_dns_tcp_ctx *x, struct flow *f, struct dns_tcp_flow *st,
                       int dir, const struct pkt *p)
{
    struct dns_tcp_dir *d = &st->d[dir];
    struct cursor c;
    uint32_t i = 0;

    if (d->logged == 0 || d->buf == 0)
        return;
    cur_init(&c, dns_tcp_buf(x, d), d->logged);
    while (cur_left(&c) >= 2 && i < d->n_pending) {
        uint16_t n = cur_be16(&c);
        const uint8_t *msg = cur_bytes(&c, n);
        if (msg == NULL)
            break;
        if (n == 0)
            continue;
        /* It parsed when it was logged: the same bytes parse the same. */
        if (dns_parse_message(msg, n, &x->msg, x->names, sizeof(x->names)) == DNS_OK &&
            x->detect != NULL)
            x->detect(x->detect_ctx, p, f, &x->msg, dir == FLOW_TOCLIENT, d->pending[i]);
        i++;
    }
    dns_tcp_consume(x, d, d->logged);
    d->logged = 0;
    d->n_pending = 0;
}

/*
 * Parse the whole messages at the front of direction dir's buffer (after
 * those logged and waiting for detection): all of them (all), or those
 * that end at or before sequence number ack. Those parsed on the peer's
 * ACK (defer) wait for a packet of their own direction to be inspected;
 * the others are inspected with p. The rest moves to the front.
 */
static void
dns_tcp_flush(struct app_dns_tcp_ctx *x, struct flow *f, struct dns_tcp_flow *st, int dir,
              const struct pkt *p, uint64_t ts_us, bool all, uint32_t ack)
{
    struct dns_tcp_dir *d = &st->d[dir];
    uint8_t *b;
    struct cursor c;
    uint32_t off;
    bool defer = !all && p != NULL && x->detect != NULL;

    if (all)
        dns_tcp_detect_pending(x, f, st, dir, p);
again:
    if (d->buf == 0 || st->stopped)
        return;
    off = d->logged;
    b = dns_tcp_buf(x, d);
    cur_init(&c, b + off, d->have - off);
    while (cur_left(&c) >= 2) {
        uint16_t n = cur_be16(&c);
        const uint8_t *msg = cur_bytes(&c, n);
        if (msg == NULL)
            break; /* not all there yet */
        if (!all && dns_tcp_seq_diff(d->seq + off + 2u + n, ack) > 0)
            break; /* not acknowledged yet */
        if (defer && d->n_pending == APP_DNS_TCP_PENDING) {
            /* No room to wait: the waiting ones now, then the rest with p. */
            dns_tcp_detect_pending(x, f, st, dir, p);
            defer = false;
            goto again;
        }
        off += 2u + n;
        if (n > 0 && !dns_tcp_message(x, f, st, dir, msg, n, p, ts_us, defer))
            return; /* stopped: the buffers are gone */
        if (defer)
            d->logged = off; /* kept until their detection */
    }
    if (!defer && off > 0)
        dns_tcp_consume(x, d, off);
}

/* True when the buffer of d holds a whole message at its front. */
static bool
dns_tcp_has_message(struct app_dns_tcp_ctx *x, const struct dns_tcp_dir *d)
{
    struct cursor c;
    uint16_t n;

    if (d->buf == 0)
        return false;
    cur_init(&c, dns_tcp_buf(x, d) + d->logged, d->have - d->logged);
    n = cur_be16(&c);
    return cur_bytes(&c, n) != NULL;
}

/* The end: parse everything whole, count the bytes of a cut message. */
static void
dns_tcp_finish(struct app_dns_tcp_ctx *x, struct flow *f, struct dns_tcp_flow *st, int dir,
               const struct pkt *p, uint64_t ts_us)
{
    struct dns_tcp_dir *d = &st->d[dir];

    dns_tcp_flush(x, f, st, dir, p, ts_us, true, 0);
    if (d->buf != 0) {
        x->ctr[STAT_DNS_TCP_TRUNCATED]++;
        dns_tcp_buf_put(x, d);
    }
}

/* Bytes of direction dir that start at sequence number seq: into the buffer. */
static void
dns_tcp_append(struct app_dns_tcp_ctx *x, struct flow *f, struct dns_tcp_flow *st, int dir,
               const uint8_t *data, uint32_t len, uint32_t seq, const struct pkt *p, uint64_t ts_us)
{
    struct dns_tcp_dir *d = &st->d[dir];

    while (len > 0 && !st->stopped) {
        uint32_t n;
        if (d->buf == 0) {
            if (!dns_tcp_buf_get(x, d)) {
                dns_tcp_stop(x, st);
                return;
            }
            d->seq = seq;
        }
        n = APP_DNS_TCP_BUF - d->have;
        if (n > len)
            n = len;
        memcpy(dns_tcp_buf(x, d) + d->have, data, n);
        d->have += n;
        data += n;
        len -= n;
        seq += n;
        if (len > 0) {
            /* Full of unacknowledged messages (it holds at least one whole
             * one): they cannot wait. */
            x->ctr[STAT_DNS_TCP_UNACKED_PARSED]++;
            dns_tcp_flush(x, f, st, dir, p, ts_us, true, 0);
        }
    }
}

void
app_dns_tcp_data(struct app_dns_tcp_ctx *x, struct flow *f, int dir, const uint8_t *data,
                 uint32_t len, uint32_t flags, const struct pkt *p, uint64_t now_us)
{
    struct dns_tcp_flow *st = dns_tcp_state_get(x, f);
    struct dns_tcp_dir *d;
    bool is_request;

    if (st == NULL || st->stopped)
        return;
    d = &st->d[dir];
    if (flags & APP_FLAG_GAP) {
        /* The hole was acknowledged (or the flow ends): what came before is
         * acknowledged too. A message cut by it is lost. */
        x->ctr[STAT_DNS_TCP_GAP]++;
        dns_tcp_finish(x, f, st, dir, p, now_us);
        d->gap = true;
        return;
    }
    if (flags & APP_FLAG_EOF) {
        d->eof = true;
        if (p == NULL || (p->tcp_flags & TCP_RST))
            dns_tcp_finish(x, f, st, dir, p, now_us);
        return;
    }
    if (data == NULL || len == 0)
        return;
    if (d->gap) {
        if (dns_probe_tcp(data, len, &is_request) == DNS_PROBE_NO) {
            x->ctr[STAT_DNS_TCP_GAP_SKIPPED]++;
            return;
        }
        d->gap = false;
    }
    dns_tcp_append(x, f, st, dir, data, len, f->rs_next_seq[flow_dir_slot(f, dir)], p, now_us);
}

void
app_dns_tcp_ack(struct app_dns_tcp_ctx *x, struct flow *f, const struct pkt *p, int dir)
{
    struct dns_tcp_flow *st = dns_tcp_state_of(x, f);
    struct dns_tcp_dir *d;
    int other = dir ^ 1;

    if (st == NULL || st->stopped)
        return;
    dns_tcp_detect_pending(x, f, st, dir, p);
    if (!(p->tcp_flags & TCP_ACK))
        return;
    d = &st->d[other];
    if (d->buf == 0)
        return;
    dns_tcp_flush(x, f, st, other, p, p->ts_us, false, p->tcp_ack);
    /* An ended direction whose last message will never be whole. */
    if (d->eof && d->buf != 0 && !dns_tcp_has_message(x, d)) {
        x->ctr[STAT_DNS_TCP_TRUNCATED]++;
        dns_tcp_buf_put(x, d);
    }
}

void
app_dns_tcp_flow_end(struct app_dns_tcp_ctx *x, struct flow *f, uint64_t now_us)
{
    struct dns_tcp_flow *st = dns_tcp_state_of(x, f);

    if (st != NULL) {
        dns_tcp_finish(x, f, st, FLOW_TOSERVER, NULL, now_us);
        dns_tcp_finish(x, f, st, FLOW_TOCLIENT, NULL, now_us);
        dns_tcp_stop(x, st);
        app_state_pool_put(&x->flows, f);
    }
    f->app_state = 0;
}
