/*
 * fuzz_dns.c - libFuzzer target for the DNS message parser
 * (decoders/app_dns.c), the `dns` EVE formatter (sensor/out_eve_dns.c)
 * and the per-flow UDP handling (sensor/app_dns_udp.c).
 *
 * Input layout:
 *
 *   0      1                                   size
 *   +------+-----------------------------------+
 *   | ctl  | one DNS message (a UDP payload)   |
 *   +------+-----------------------------------+
 *
 *   ctl & 0x01: the message travels server -> client;
 *   ctl & 0x06: the output's options: 0 defaults, 2 v2 records,
 *               4 detailed answers and `types: [a, txt, https]`,
 *               6 grouped answers, requests off;
 *   ctl & 0x08: the scratch buffer is small (4 KiB), so names run out
 *               of room.
 *
 * The message is copied into a heap buffer of exactly its size, so ASan
 * reports any read past it, and parsed. Oracles besides ASan/UBSan:
 *  - every view the parser returns lies inside the message or the
 *    scratch buffer, names are at most DNS_NAME_MAX + 64 bytes, counts
 *    are within the caps;
 *  - the v3 formatter writes well-sequenced JSON (a record may exceed
 *    the buffer, which only truncates it: a TXT RDATA of 65535 one-byte
 *    strings makes 65535 entries);
 *  - the same bytes go through app_dns_udp_packet() on one flow that
 *    lives for FUZZ_FLOW_INPUTS inputs (transaction numbers carry
 *    over), to an EVE file /dev/null; a
 *    record may be dropped for its size (EVE_RECORD_MAX), never for a
 *    broken JSON sequence.
 */
#include "fuzz.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_dns.h"
#include "app_dns_udp.h"
#include "decode.h"
#include "flow.h"
#include "out_eve.h"
#include "out_eve_writer.h"

#define FUZZ_SCRATCH       (64u * 1024u)
#define FUZZ_SCRATCH_SMALL (4u * 1024u)
#define FUZZ_JSON          (1u << 20)
#define FUZZ_FLOW_INPUTS   64u

static struct fuzz_state {
    bool ready;
    struct dns_msg *m;
    uint8_t *scratch;
    char *esc;
    char *jmem;
    struct json_buf j;
    struct eve eve;
    struct eve_writer out;
    struct app_dns_udp *dns;
    struct flow f;
    struct pkt p;
    uint64_t ctr[STAT_ID_COUNT];
    uint64_t n_inputs;
} fuzz;

static void
fuzz_fail(const char *what)
{
    fprintf(stderr, "fuzz_dns: %s\n", what);
    abort();
}

static void
fuzz_setup(void)
{
    fuzz.m = malloc(sizeof(*fuzz.m));
    fuzz.scratch = malloc(FUZZ_SCRATCH);
    fuzz.esc = malloc(EVE_DNS_ESC_MAX);
    fuzz.jmem = malloc(FUZZ_JSON);
    fuzz.dns = app_dns_udp_create();
    if (fuzz.m == NULL || fuzz.scratch == NULL || fuzz.esc == NULL || fuzz.jmem == NULL ||
        fuzz.dns == NULL)
        fuzz_fail("out of memory");
    json_init(&fuzz.j, fuzz.jmem, FUZZ_JSON);
    if (eve_init(&fuzz.eve) < 0)
        fuzz_fail("eve_init failed");
    if (eve_writer_open(&fuzz.out, "/dev/null", false) < 0)
        fuzz_fail("cannot open /dev/null for EVE");
    fuzz.eve.writers = &fuzz.out;
    fuzz.eve.n_out = 1;
    fuzz.eve.out[0].types[EVE_TYPE_DNS] = true;
    fuzz.eve.out[0].types[EVE_TYPE_ANOMALY] = true;
    fuzz.eve.out[0].anomaly_applayer = true;
    fuzz.eve.out[0].community_id = true;
    fuzz.ready = true;
}

static bool
fuzz_in(const void *p, size_t n, const void *base, size_t len)
{
    const uint8_t *a = p, *b = base;

    if (n == 0)
        return p == NULL;
    return p != NULL && a >= b && n <= len && (size_t)(a - b) <= len - n;
}

static void
fuzz_check_name(const struct dns_name *n, size_t scratch_len)
{
    if (n->len > DNS_NAME_MAX + 64 || !fuzz_in(n->p, n->len, fuzz.scratch, scratch_len))
        fuzz_fail("a name lies outside the scratch buffer");
}

/* Every view of the result within its buffer, every count within its cap. */
static void
fuzz_check(const uint8_t *msg, size_t len, size_t scratch_len)
{
    const struct dns_msg *m = fuzz.m;
    unsigned s, i;

    if (m->n_questions > DNS_MAX_QUERIES)
        fuzz_fail("too many questions stored");
    for (i = 0; i < m->n_questions; i++)
        fuzz_check_name(&m->questions[i].name, scratch_len);
    for (s = 0; s < DNS_SEC_COUNT; s++) {
        if (m->n_rr[s] > DNS_MAX_RRS)
            fuzz_fail("too many records stored");
        for (i = 0; i < m->n_rr[s]; i++) {
            const struct dns_rr *rr = &m->rr[s][i];
            fuzz_check_name(&rr->name, scratch_len);
            if (!fuzz_in(rr->rdata.p, rr->rdata.len, msg, len))
                fuzz_fail("RDATA lies outside the message");
            if (rr->kind == DNS_RD_NAME)
                fuzz_check_name(&rr->u.target.name, scratch_len);
            if (rr->kind == DNS_RD_SRV)
                fuzz_check_name(&rr->u.srv.target, scratch_len);
            if (rr->kind == DNS_RD_SOA) {
                fuzz_check_name(&rr->u.soa.mname, scratch_len);
                fuzz_check_name(&rr->u.soa.rname, scratch_len);
            }
            if (rr->kind == DNS_RD_SSHFP &&
                !fuzz_in(rr->u.sshfp.fp.p, rr->u.sshfp.fp.len, msg, len))
                fuzz_fail("SSHFP fingerprint lies outside the message");
        }
    }
}

static void
fuzz_options(struct eve_dns_cfg *c, uint8_t ctl)
{
    eve_dns_cfg_defaults(c);
    switch (ctl & 0x06) {
    case 0x02:
        c->version = 2;
        break;
    case 0x04:
        c->flags &= ~(EVE_DNS_ALL_RRTYPES | EVE_DNS_FORMAT_GROUPED);
        c->flags |= eve_dns_type_flag("a") | eve_dns_type_flag("txt") | eve_dns_type_flag("https");
        break;
    case 0x06:
        c->flags &= ~(EVE_DNS_FORMAT_DETAILED | EVE_DNS_REQUESTS);
        break;
    default:
        break;
    }
}

/* The message as the payload of a UDP packet of the fuzz flow. */
static void
fuzz_flow(const uint8_t *msg, uint32_t len, int dir)
{
    static const uint8_t a[4] = {192, 0, 2, 1}, b[4] = {192, 0, 2, 53};
    struct pkt *p = &fuzz.p;

    if (fuzz.n_inputs % FUZZ_FLOW_INPUTS == 1) {
        memset(&fuzz.f, 0, sizeof(fuzz.f));
        fuzz.f.key.ip_ver = 4;
        fuzz.f.key.proto = 17;
        memcpy(fuzz.f.key.src, a, 4);
        memcpy(fuzz.f.key.dst, b, 4);
        fuzz.f.key.sp = 40000;
        fuzz.f.key.dp = 53;
        fuzz.f.flow_id = fuzz.n_inputs;
    }
    memset(p, 0, sizeof(*p));
    p->data = msg;
    p->caplen = len;
    p->payload_len = len;
    p->ctr = fuzz.ctr;
    p->pcap_cnt = fuzz.n_inputs;
    p->ip_ver = 4;
    p->l3_len = 20;
    p->proto = 17;
    p->flags = PKT_HAS_L4;
    memcpy(p->src, dir ? b : a, 4);
    memcpy(p->dst, dir ? a : b, 4);
    p->sp = dir ? 53 : 40000;
    p->dp = dir ? 40000 : 53;
    app_dns_udp_packet(fuzz.dns, &fuzz.eve, &fuzz.f, p, dir);
    /* A record may be dropped for its size (counted in eve.dropped), never
     * for a broken sequence: the last one written is still in eve.j. */
    if (fuzz.eve.j.bad)
        fuzz_fail("a dns or anomaly record broke the JSON sequence rules");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t scratch_len;
    uint8_t *msg;
    uint8_t ctl;
    size_t len;

    if (size == 0 || size - 1 > 65535)
        return 0;
    if (!fuzz.ready)
        fuzz_setup();
    fuzz.n_inputs++;
    ctl = data[0];
    len = size - 1;
    /* Exact size: malloc(0) gives a pointer with no accessible bytes. */
    msg = malloc(len);
    if (msg == NULL)
        return 0;
    if (len > 0)
        memcpy(msg, data + 1, len);
    scratch_len = (ctl & 0x08) ? FUZZ_SCRATCH_SMALL : FUZZ_SCRATCH;

    if (dns_parse_message(msg, len, fuzz.m, fuzz.scratch, scratch_len) == DNS_OK) {
        struct eve_dns_cfg c;
        fuzz_check(msg, len, scratch_len);
        fuzz_options(&c, ctl);
        json_reset(&fuzz.j);
        json_open_object(&fuzz.j, NULL);
        eve_dns_v3(&fuzz.j, c.flags, fuzz.m, (ctl & 1) != 0, fuzz.n_inputs, fuzz.esc);
        json_close(&fuzz.j);
        if (fuzz.j.bad)
            fuzz_fail("the dns formatter broke the JSON sequence rules");
        (void)eve_dns_is_logged(c.flags, fuzz.m);
    }

    fuzz_options(&fuzz.eve.out[0].dns, ctl);
    fuzz_flow(msg, (uint32_t)len, ctl & 1);
    free(msg);
    if (fuzz.n_inputs % 1000 == 0)
        eve_writer_flush(&fuzz.out);
    return 0;
}
