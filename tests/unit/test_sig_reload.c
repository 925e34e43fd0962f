/*
 * test_sig_reload.c - rule reload through the pipeline (sensor/pipeline.c,
 * the SIGUSR2 path without the signal): the reload thread builds the new
 * set and one detection context per worker beside the running ones, each
 * worker (the capture thread in single mode) switches between two
 * packets, and the old set is freed. Packets handled before a reload
 * alert with the old rules, packets after it with the new ones; a reload
 * that fails (rule file gone) leaves the running set in place. Run in
 * single mode and with two workers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app_detect.h"
#include "cfg.h"
#include "cfg_apply.h"
#include "pipeline.h"
#include "sig.h"

static const char conf_yaml[] = "outputs:\n"
                                "  - eve-log:\n"
                                "      enabled: yes\n"
                                "      filetype: regular\n"
                                "      filename: eve.json\n"
                                "      types:\n"
                                "        - alert\n";

struct rl {
    char dir[64];
    char rules[96];
};

static void
write_rules(const struct rl *r, const char *text)
{
    FILE *f = fopen(r->rules, "w");

    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* pipeline_rules_fn, as the sensor's: the configuration and the rule file read again. */
static int
load_rules(void *ctx, struct sig_db **out)
{
    const struct rl *r = ctx;
    const char *files[1] = {r->rules};
    struct sig_load_stats st;
    struct cfg c;

    cfg_init(&c);
    if (cfg_load_string(&c, conf_yaml, "test") < 0) {
        cfg_fini(&c);
        return -1;
    }
    *out = sig_db_load(&c, files, 1, &st);
    cfg_fini(&c);
    return *out != NULL ? 0 : -1;
}

/* A raw IPv4 UDP frame 10.0.0.1:sp -> 10.0.0.2:53 carrying payload. */
static uint32_t
mkframe(uint8_t *b, uint16_t sp, const char *payload)
{
    size_t plen = strlen(payload), n = 28 + plen;
    uint32_t s = 0;
    size_t i;

    memset(b, 0, n);
    b[0] = 0x45;
    b[2] = (uint8_t)(n >> 8);
    b[3] = (uint8_t)n;
    b[8] = 64;
    b[9] = 17;
    b[12] = 10, b[15] = 1;
    b[16] = 10, b[19] = 2;
    for (i = 0; i < 20; i += 2)
        s += (uint32_t)b[i] << 8 | b[i + 1];
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    b[10] = (uint8_t)(~s >> 8);
    b[11] = (uint8_t)~s;
    b[20] = (uint8_t)(sp >> 8);
    b[21] = (uint8_t)sp;
    b[23] = 53;
    b[24] = (uint8_t)((8 + plen) >> 8);
    b[25] = (uint8_t)(8 + plen);
    memcpy(b + 28, payload, plen);
    return (uint32_t)n;
}

/* n packets of n flows (source ports from sp), one a second from *ts. */
static void
send_pkts(struct pipeline *pl, uint16_t sp, unsigned n, uint64_t *ts)
{
    uint8_t b[256];
    unsigned i;

    for (i = 0; i < n; i++) {
        uint32_t len = mkframe(b, (uint16_t)(sp + i), "alpha beta");
        *ts += 1000000u;
        pipeline_packet(pl, b, len, len, *ts, 12, -1);
    }
    pipeline_sync(pl, -1); /* every packet handed over has been processed */
}

/* Request a reload and wait (keeping single mode's capture thread turning) until it ends. */
static void
reload_and_wait(struct pipeline *pl, uint64_t ts, unsigned want_done, unsigned want_failed)
{
    struct timespec pause = {0, 2000000};
    unsigned done = 0, failed = 0, i;

    pipeline_request_reload(pl);
    for (i = 0; i < 10000; i++) {
        pipeline_idle(pl, ts);
        pipeline_reload_count(pl, &done, &failed);
        if (done + failed >= want_done + want_failed)
            break;
        nanosleep(&pause, NULL);
    }
    assert_int_equal(done, want_done);
    assert_int_equal(failed, want_failed);
}

static unsigned
count_str(const char *hay, const char *needle)
{
    unsigned n = 0;

    while ((hay = strstr(hay, needle)) != NULL) {
        n++;
        hay += strlen(needle);
    }
    return n;
}

static void
run_mode(unsigned n_workers)
{
    static struct sensor_settings set;
    static char eve[1 << 16];
    struct pipeline_cfg pc;
    struct pipeline *pl;
    struct sig_db *db;
    struct rl r;
    struct cfg c;
    uint64_t ts = 1700000000000000ull;
    char path[160];
    size_t n;
    FILE *f;

    snprintf(r.dir, sizeof(r.dir), "/tmp/test_sig_reload.XXXXXX");
    assert_non_null(mkdtemp(r.dir));
    snprintf(r.rules, sizeof(r.rules), "%s/test.rules", r.dir);
    write_rules(&r, "alert udp any any -> any 53 (msg:\"v1\"; content:\"alpha\"; sid:1;)\n");

    cfg_init(&c);
    assert_int_equal(cfg_load_string(&c, conf_yaml, "test"), 0);
    memset(&set, 0, sizeof(set));
    cfg_apply(&c, &set);
    cfg_fini(&c);
    app_detect_configure(&set.detect);
    assert_int_equal(load_rules(&r, &db), 0);
    set.wrk.sigs = db;
    memset(&pc, 0, sizeof(pc));
    pc.set = &set;
    pc.logdir = r.dir;
    pc.n_workers = n_workers;
    pc.rules = db;
    pc.load_rules = load_rules;
    pc.load_rules_ctx = &r;
    pl = pipeline_create(&pc);
    assert_non_null(pl);

    send_pkts(pl, 1000, 4, &ts); /* sid 1 */
    write_rules(&r, "alert udp any any -> any 53 (msg:\"v2\"; content:\"beta\"; sid:2;)\n"
                    "alert udp any any -> any 53 (msg:\"v2b\"; content:\"gamma\"; sid:3;)\n");
    reload_and_wait(pl, ts, 1, 0);
    send_pkts(pl, 2000, 4, &ts); /* sid 2 */
    assert_int_equal(unlink(r.rules), 0);
    reload_and_wait(pl, ts, 1, 1); /* no file: the v2 rules stay */
    send_pkts(pl, 3000, 3, &ts);   /* sid 2 */
    write_rules(&r, "# nothing\n");
    reload_and_wait(pl, ts, 2, 1); /* an empty set: detection off */
    send_pkts(pl, 4000, 2, &ts);
    pipeline_finish(pl);
    pipeline_destroy(pl);

    snprintf(path, sizeof(path), "%s/eve.json", r.dir);
    f = fopen(path, "r");
    assert_non_null(f);
    n = fread(eve, 1, sizeof(eve) - 1, f);
    eve[n] = '\0';
    fclose(f);
    assert_int_equal(count_str(eve, "\"signature_id\":1,"), 4);
    assert_int_equal(count_str(eve, "\"signature_id\":2,"), 7);
    assert_int_equal(count_str(eve, "\"signature_id\":3,"), 0);
    assert_int_equal(count_str(eve, "\"event_type\":\"alert\""), 11);
    unlink(path);
    unlink(r.rules);
    rmdir(r.dir);
}

static void
test_reload_single(void **state)
{
    (void)state;
    run_mode(0);
}

static void
test_reload_workers(void **state)
{
    (void)state;
    run_mode(2);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_reload_single),
            cmocka_unit_test(test_reload_workers),
    };

    return cmocka_run_group_tests_name("sig_reload", tests, NULL, NULL);
}
