/*
 * test_app_layer.c - unit tests for sensor/app_layer.c: a protocol
 * identified from stream bytes stays FLOW_F_APP_PENDING (hidden from
 * packet rules) until the other side acknowledges those bytes, as
 * Suricata's IDS mode parses a direction on the opposite side's ACK.
 * TCP Fast Open: a SYN/ACK that acknowledges the SYN's request hands
 * nothing over. Own-direction exceptions: RST, a closed session, and an
 * established session whose other side was never seen.
 *
 * Flows are zeroed struct flow with the fields the flow table and
 * reassembly would have set; packets are struct pkt with only the TCP
 * flags and acknowledgement number app_layer_stream_ack() reads. No
 * parser contexts: identification alone runs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../../sensor/app_layer.c"

/* "GET / HTTP/1.0\r\n\r\n": 18 bytes */
static const char http_get[] = "GET / HTTP/1.0\r\n\r\n";

struct fx {
    struct app_layer a;
    struct flow f;
    struct pkt p;
};

static int
setup(void **state)
{
    struct fx *x = calloc(1, sizeof(*x));

    if (x == NULL)
        return -1;
    x->f.key.proto = 6;
    x->f.key.dp = 80;
    x->f.flags = FLOW_F_TCP_SESSION;
    x->f.tcp_state = FLOW_TCP_ESTABLISHED;
    x->f.pkts[FLOW_TOSERVER] = 2;
    x->f.pkts[FLOW_TOCLIENT] = 1;
    x->f.rs_next_seq[FLOW_TOSERVER] = 1001; /* the request's first byte */
    *state = x;
    return 0;
}

static int
teardown(void **state)
{
    free(*state);
    return 0;
}

/* The request arrives to the server: identified, pending until 1019 is acknowledged. */
static void
give_request(struct fx *x)
{
    app_layer_stream_data(&x->a, &x->f, FLOW_TOSERVER, (const uint8_t *)http_get,
                          (uint32_t)strlen(http_get), 0);
    assert_int_equal(x->f.app_proto, APP_PROTO_HTTP);
    assert_true(x->f.flags & FLOW_F_APP_PENDING);
    assert_false(x->f.flags & FLOW_F_APP_DET_TC);
    assert_int_equal(x->f.app_det_seq, 1019);
}

/* A packet of direction dir with TCP flags fl and acknowledgement ack. */
static void
ack(struct fx *x, int dir, uint8_t fl, uint32_t ackno)
{
    x->p.tcp_flags = fl;
    x->p.tcp_ack = ackno;
    app_layer_stream_ack(&x->a, &x->f, &x->p, dir);
}

static void
test_pending_until_acknowledged(void **state)
{
    struct fx *x = *state;

    give_request(x);
    ack(x, FLOW_TOSERVER, TCP_ACK | TCP_PSH, 5000); /* its own packet */
    assert_true(x->f.flags & FLOW_F_APP_PENDING);
    ack(x, FLOW_TOCLIENT, TCP_ACK, 1018); /* one byte short */
    assert_true(x->f.flags & FLOW_F_APP_PENDING);
    ack(x, FLOW_TOCLIENT, TCP_ACK | TCP_RST, 1019); /* an RST hands over its own side only */
    assert_true(x->f.flags & FLOW_F_APP_PENDING);
    ack(x, FLOW_TOCLIENT, TCP_ACK, 1019);
    assert_false(x->f.flags & FLOW_F_APP_PENDING);
    assert_int_equal(x->f.app_proto, APP_PROTO_HTTP);
}

/* TCP Fast Open: the request rode on the SYN; the SYN/ACK acknowledges it. */
static void
test_tfo_synack_hands_over_nothing(void **state)
{
    struct fx *x = *state;

    x->f.tcp_state = FLOW_TCP_SYN_SENT;
    x->f.pkts[FLOW_TOCLIENT] = 0;
    give_request(x);
    ack(x, FLOW_TOSERVER, TCP_SYN, 0); /* the SYN itself: nobody saw the other side yet */
    assert_true(x->f.flags & FLOW_F_APP_PENDING);
    x->f.tcp_state = FLOW_TCP_SYN_RECV;
    x->f.pkts[FLOW_TOCLIENT] = 1;
    ack(x, FLOW_TOCLIENT, TCP_SYN | TCP_ACK, 1019);
    assert_true(x->f.flags & FLOW_F_APP_PENDING);
    x->f.tcp_state = FLOW_TCP_ESTABLISHED;
    ack(x, FLOW_TOSERVER, TCP_ACK, 7001); /* the handshake's last ACK */
    assert_true(x->f.flags & FLOW_F_APP_PENDING);
    ack(x, FLOW_TOCLIENT, TCP_ACK | TCP_PSH, 1019); /* the response */
    assert_false(x->f.flags & FLOW_F_APP_PENDING);
}

static void
test_own_direction_exceptions(void **state)
{
    struct fx *x = *state;

    give_request(x);
    ack(x, FLOW_TOSERVER, TCP_RST, 0);
    assert_false(x->f.flags & FLOW_F_APP_PENDING);

    /* a closed session hands over both sides */
    x->f.app_proto = APP_PROTO_UNKNOWN;
    give_request(x);
    x->f.tcp_state = FLOW_TCP_CLOSED;
    ack(x, FLOW_TOSERVER, TCP_ACK, 0);
    assert_false(x->f.flags & FLOW_F_APP_PENDING);

    /* stream.async-oneside: established, the server never seen */
    x->f.app_proto = APP_PROTO_UNKNOWN;
    x->f.tcp_state = FLOW_TCP_ESTABLISHED;
    x->f.pkts[FLOW_TOCLIENT] = 0;
    give_request(x);
    ack(x, FLOW_TOSERVER, TCP_ACK | TCP_PSH, 0);
    assert_false(x->f.flags & FLOW_F_APP_PENDING);
}

/* Wraparound: the acknowledgement compares in sequence space. */
static void
test_ack_across_wraparound(void **state)
{
    struct fx *x = *state;

    x->f.rs_next_seq[FLOW_TOSERVER] = 0xfffffff8u;
    app_layer_stream_data(&x->a, &x->f, FLOW_TOSERVER, (const uint8_t *)http_get,
                          (uint32_t)strlen(http_get), 0);
    assert_int_equal(x->f.app_det_seq, 10); /* 0xfffffff8 + 18 */
    ack(x, FLOW_TOCLIENT, TCP_ACK, 0xfffffffeu);
    assert_true(x->f.flags & FLOW_F_APP_PENDING);
    ack(x, FLOW_TOCLIENT, TCP_ACK, 10);
    assert_false(x->f.flags & FLOW_F_APP_PENDING);
}

/* flow_swap() turns the direction of the pending bytes round with the flow. */
static void
test_swap_turns_direction(void **state)
{
    struct fx *x = *state;

    give_request(x);
    flow_swap(&x->f);
    assert_true(x->f.flags & FLOW_F_APP_DET_TC);
    ack(x, FLOW_TOCLIENT, TCP_ACK, 1019); /* now the bytes' own side */
    assert_true(x->f.flags & FLOW_F_APP_PENDING);
    ack(x, FLOW_TOSERVER, TCP_ACK, 1019);
    assert_false(x->f.flags & FLOW_F_APP_PENDING);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
            T(test_pending_until_acknowledged), T(test_tfo_synack_hands_over_nothing),
            T(test_own_direction_exceptions),   T(test_ack_across_wraparound),
            T(test_swap_turns_direction),
    };
#undef T

    return cmocka_run_group_tests_name("app_layer", tests, NULL, NULL);
}
