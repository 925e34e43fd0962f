/*
 * fuzz_ndpi.c - libFuzzer target for application identification with
 * nDPI (sensor/app_ndpi.c): the IP packets nDPI 4.2 inspects, its heap,
 * the state and result pools, and the flow record members it writes.
 *
 * Input layout:
 *
 *   0      1                                        size
 *   +------+----------------------------------------+
 *   | ctl  | one IPv4 or IPv6 packet (raw IP)       |
 *   +------+----------------------------------------+
 *
 *   ctl & 0x03: which of four flows the packet belongs to (a flow takes
 *               the packet's transport protocol; a change ends it first);
 *   ctl & 0x04: the flow is claimed by one of the sensor's parsers (HTTP);
 *   ctl & 0x80: the flow ends after the packet (its members are written).
 *
 * The packet is copied into a heap buffer of exactly its size, so ASan
 * reports any read past it, decoded by dec_packet() and, with a TCP or UDP
 * payload, given to app_ndpi_packet(). The context has metadata on (every
 * nDPI dissector runs), 4 states and a 256 KiB heap, so the pool and heap
 * caps are reached. Oracles besides ASan/UBSan: the flow record members
 * are well-sequenced JSON, and every byte nDPI took from the heap is back
 * once all flows have ended (checked every FUZZ_NDPI_DRAIN inputs).
 */
#include "fuzz.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_detect.h"
#include "app_ndpi.h"
#include "decode.h"
#include "json.h"
#include "stats_defs.h"

#define FUZZ_NDPI_FLOWS 4
#define FUZZ_NDPI_DRAIN 256
#define FUZZ_NDPI_JSON  4096

static struct {
    bool ready;
    struct app_ndpi *x;
    uint64_t ctr[STAT_ID_COUNT];
    struct flow f[FUZZ_NDPI_FLOWS];
    struct pkt p;
    char json[FUZZ_NDPI_JSON];
    unsigned inputs;
} fz;

static void
fuzz_fail(const char *what)
{
    fprintf(stderr, "fuzz_ndpi: %s\n", what);
    abort();
}

static void
fuzz_setup(void)
{
    struct app_ndpi_cfg c;

    app_ndpi_cfg_defaults(&c);
    c.metadata = true;
    c.flows = FUZZ_NDPI_FLOWS;
    c.memcap = 256u << 10;
    fz.x = app_ndpi_create(&c, fz.ctr);
    if (fz.x == NULL)
        fuzz_fail("app_ndpi_create failed");
    fz.ready = true;
}

/* Flow f ends: its members are written as the flow record would have them. */
static void
fuzz_flow_end(struct flow *f)
{
    struct json_buf j;

    app_ndpi_flow_end(fz.x, f);
    json_init(&j, fz.json, sizeof(fz.json));
    json_open_object(&j, NULL);
    app_ndpi_flow_emit(fz.x, &j, f);
    json_close(&j);
    if (j.bad || (!j.truncated && !json_is_ok(&j)))
        fuzz_fail("flow record members are not well-sequenced JSON");
    app_ndpi_flow_put(fz.x, f);
    memset(f, 0, sizeof(*f));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct flow *f;
    uint8_t *buf;
    unsigned i;

    if (!fz.ready)
        fuzz_setup();
    if (size < 2 || size - 1 > UINT16_MAX)
        return 0;
    buf = malloc(size - 1);
    if (buf == NULL)
        return 0;
    memcpy(buf, data + 1, size - 1);
    dec_pkt_init(&fz.p, buf, (uint32_t)(size - 1), (uint32_t)(size - 1),
                 1700000000000000ull + fz.inputs * 1000ull, DEC_DLT_RAW, fz.ctr);
    (void)dec_packet(&fz.p);
    if ((fz.p.flags & PKT_HAS_L4) && (fz.p.proto == 6 || fz.p.proto == 17)) {
        f = &fz.f[data[0] & 3];
        if (f->key.proto != fz.p.proto) {
            if (f->key.proto != 0)
                fuzz_flow_end(f);
            f->key.proto = fz.p.proto;
            f->key.ip_ver = fz.p.ip_ver;
            f->flags = FLOW_F_TCP_SESSION;
        }
        if (data[0] & 0x04)
            f->app_proto = APP_PROTO_HTTP; /* the probe claimed it */
        app_ndpi_packet(fz.x, f, &fz.p, 0);
        if (data[0] & 0x80)
            fuzz_flow_end(f);
    }
    free(buf);
    if (++fz.inputs % FUZZ_NDPI_DRAIN == 0) {
        for (i = 0; i < FUZZ_NDPI_FLOWS; i++)
            if (fz.f[i].key.proto != 0)
                fuzz_flow_end(&fz.f[i]);
        /* Flows hold nothing now; what stays is the module's own (the
         * TINC cache nDPI creates on first use, a few hundred bytes). */
        if (fz.ctr[STAT_NDPI_MEMUSE] > (64u << 10))
            fuzz_fail("heap bytes still in use with every flow ended");
    }
    return 0;
}
