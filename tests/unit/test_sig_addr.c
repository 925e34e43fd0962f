/*
 * test_sig_addr.c - unit tests for signatures/sig_addr.c: address and port
 * expressions of rule headers (literals, CIDR, netmask, ranges, IPv6,
 * lists, negation, nesting) and vars.address-groups / vars.port-groups
 * ($HOME_NET, !$HOME_NET, variables naming variables, loops, undefined
 * names), with the error message of every rejected form.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <string.h>

#include "cfg.h"
#include "sig_int.h"

static const char addr_yaml[] = "%YAML 1.1\n"
                                "---\n"
                                "vars:\n"
                                "  address-groups:\n"
                                "    HOME_NET: \"[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]\"\n"
                                "    EXTERNAL_NET: \"!$HOME_NET\"\n"
                                "    DNS_SERVERS: \"[$HOME_NET,!10.0.0.53]\"\n"
                                "    V6: \"2001:db8::/32\"\n"
                                "    LOOP: \"[$LOOP2]\"\n"
                                "    LOOP2: \"$LOOP\"\n"
                                "  port-groups:\n"
                                "    HTTP_PORTS: \"[80,8080:8089]\"\n"
                                "    SHELLCODE_PORTS: \"!80\"\n"
                                "    ORACLE_PORTS: 1521\n"
                                "    WEB: \"[$HTTP_PORTS,443]\"\n";

struct fx {
    struct cfg c;
    struct sig_db db;
    struct sig_parse *ps;
};

static int
setup(void **state)
{
    static struct fx f;

    cfg_init(&f.c);
    assert_int_equal(cfg_load_string(&f.c, addr_yaml, "<test>"), 0);
    assert_int_equal(sig_db_init(&f.db), 0);
    f.ps = sig_parse_create(&f.db, &f.c);
    assert_non_null(f.ps);
    *state = &f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    sig_parse_destroy(f->ps);
    sig_db_fini(&f->db);
    cfg_fini(&f->c);
    return 0;
}

static bool
has4(const struct sig_ipset *s, const char *a)
{
    uint8_t b[16] = {0};

    assert_int_equal(inet_pton(AF_INET, a, b), 1);
    return sig_ipset_has(s, 4, b);
}

static bool
has6(const struct sig_ipset *s, const char *a)
{
    uint8_t b[16];

    assert_int_equal(inet_pton(AF_INET6, a, b), 1);
    return sig_ipset_has(s, 6, b);
}

static void
test_addr_literals(void **state)
{
    struct fx *f = *state;
    struct sig_ipset s;

    assert_int_equal(sig_addr_parse(f->ps, "any", &s), 0);
    assert_true(s.any);
    assert_int_equal(sig_addr_parse(f->ps, "1.2.3.4", &s), 0);
    assert_false(s.any);
    assert_true(has4(&s, "1.2.3.4"));
    assert_false(has4(&s, "1.2.3.5"));
    assert_false(has6(&s, "::1"));
    assert_int_equal(sig_addr_parse(f->ps, "10.1.0.0/16", &s), 0);
    assert_true(has4(&s, "10.1.255.255"));
    assert_false(has4(&s, "10.2.0.0"));
    assert_int_equal(sig_addr_parse(f->ps, "10.1.0.0/255.255.0.0", &s), 0);
    assert_true(has4(&s, "10.1.7.7"));
    assert_false(has4(&s, "10.0.7.7"));
    assert_int_equal(sig_addr_parse(f->ps, "1.2.3.4-1.2.3.9", &s), 0);
    assert_true(has4(&s, "1.2.3.9"));
    assert_false(has4(&s, "1.2.3.10"));
    assert_int_equal(sig_addr_parse(f->ps, "2001:db8::/32", &s), 0);
    assert_true(has6(&s, "2001:db8:ffff::1"));
    assert_false(has6(&s, "2001:db9::1"));
    assert_false(has4(&s, "1.2.3.4"));
    assert_int_equal(sig_addr_parse(f->ps, "0.0.0.0/0", &s), 0);
    assert_true(has4(&s, "255.255.255.255"));
    assert_false(has6(&s, "::1"));
}

static void
test_addr_lists(void **state)
{
    struct fx *f = *state;
    struct sig_ipset s;

    /* plain minus negated */
    assert_int_equal(sig_addr_parse(f->ps, "[1.2.3.0/24, !1.2.3.4]", &s), 0);
    assert_true(has4(&s, "1.2.3.3"));
    assert_false(has4(&s, "1.2.3.4"));
    assert_true(has4(&s, "1.2.3.5"));
    /* only negated: any minus them */
    assert_int_equal(sig_addr_parse(f->ps, "[!1.2.3.4,!5.6.7.8]", &s), 0);
    assert_true(has4(&s, "9.9.9.9"));
    assert_true(has6(&s, "::1"));
    assert_false(has4(&s, "5.6.7.8"));
    /* nested list, negated as a whole */
    assert_int_equal(sig_addr_parse(f->ps, "![1.0.0.0/8,[2.0.0.0/8,!2.2.2.2]]", &s), 0);
    assert_false(has4(&s, "1.1.1.1"));
    assert_false(has4(&s, "2.0.0.1"));
    assert_true(has4(&s, "2.2.2.2"));
    assert_true(has4(&s, "3.3.3.3"));
    /* adjacent ranges merge; a mixed list keeps both families */
    assert_int_equal(sig_addr_parse(f->ps, "[1.2.3.0/25,1.2.3.128/25,::1]", &s), 0);
    assert_int_equal(s.n4, 1);
    assert_int_equal(s.n6, 1);
}

static void
test_addr_vars(void **state)
{
    struct fx *f = *state;
    struct sig_ipset s;

    assert_int_equal(sig_addr_parse(f->ps, "$HOME_NET", &s), 0);
    assert_true(has4(&s, "192.168.1.1"));
    assert_false(has4(&s, "8.8.8.8"));
    assert_int_equal(sig_addr_parse(f->ps, "!$HOME_NET", &s), 0);
    assert_true(has4(&s, "8.8.8.8"));
    assert_false(has4(&s, "10.9.9.9"));
    assert_true(has6(&s, "2001:db8::1"));
    assert_int_equal(sig_addr_parse(f->ps, "$EXTERNAL_NET", &s), 0);
    assert_true(has4(&s, "8.8.8.8"));
    assert_false(has4(&s, "172.16.0.1"));
    assert_int_equal(sig_addr_parse(f->ps, "$DNS_SERVERS", &s), 0);
    assert_true(has4(&s, "10.0.0.52"));
    assert_false(has4(&s, "10.0.0.53"));
    assert_int_equal(sig_addr_parse(f->ps, "[$V6,$HOME_NET]", &s), 0);
    assert_true(has6(&s, "2001:db8::53"));
    assert_true(has4(&s, "10.0.0.53"));
}

static void
test_addr_errors(void **state)
{
    static const struct {
        const char *in, *msg;
    } bad[] = {
            {"1.2.3", "invalid address '1.2.3'"},
            {"1.2.3.0/33", "invalid prefix length in '1.2.3.0/33'"},
            {"1.2.3.0/255.0.255.0", "non-contiguous netmask in '1.2.3.0/255.0.255.0'"},
            {"1.2.3.9-1.2.3.4", "address range '1.2.3.9-1.2.3.4' ends before it starts"},
            {"[1.2.3.4", "missing ']' in '[1.2.3.4'"},
            {"$NOPE", "undefined address variable $NOPE"},
            {"$LOOP", "variable $LOOP2 nested too deep (loop?)"},
            {"![any]", "address '![any]' matches nothing"},
            {"[1.2.3.4,]", "empty item in '[1.2.3.4,]'"},
            {"1.2.3.4 5.6.7.8", "unexpected '5.6.7.8' in '1.2.3.4 5.6.7.8'"},
    };
    struct fx *f = *state;
    struct sig_ipset s;
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(sig_addr_parse(f->ps, bad[i].in, &s), NIDS_EINVAL);
        assert_string_equal(f->ps->err, bad[i].msg);
    }
}

static void
test_ports(void **state)
{
    struct fx *f = *state;
    struct sig_portset p;

    assert_int_equal(sig_port_parse(f->ps, "any", &p), 0);
    assert_true(p.any);
    assert_int_equal(sig_port_parse(f->ps, "80", &p), 0);
    assert_true(sig_portset_has(&p, 80));
    assert_false(sig_portset_has(&p, 81));
    assert_int_equal(sig_port_parse(f->ps, "1024:", &p), 0);
    assert_true(sig_portset_has(&p, 65535));
    assert_false(sig_portset_has(&p, 1023));
    assert_int_equal(sig_port_parse(f->ps, ":1023", &p), 0);
    assert_true(sig_portset_has(&p, 0));
    assert_false(sig_portset_has(&p, 1024));
    assert_int_equal(sig_port_parse(f->ps, "[1:1024,!80,!443]", &p), 0);
    assert_true(sig_portset_has(&p, 81));
    assert_false(sig_portset_has(&p, 80));
    assert_false(sig_portset_has(&p, 2000));
    assert_int_equal(sig_port_parse(f->ps, "!80", &p), 0);
    assert_true(sig_portset_has(&p, 8080));
    assert_false(sig_portset_has(&p, 80));
    assert_int_equal(sig_port_parse(f->ps, "$WEB", &p), 0);
    assert_true(sig_portset_has(&p, 8085));
    assert_true(sig_portset_has(&p, 443));
    assert_false(sig_portset_has(&p, 8090));
    assert_int_equal(sig_port_parse(f->ps, "$SHELLCODE_PORTS", &p), 0);
    assert_false(sig_portset_has(&p, 80));
    assert_int_equal(sig_port_parse(f->ps, "$ORACLE_PORTS", &p), 0);
    assert_true(sig_portset_has(&p, 1521));
}

static void
test_port_errors(void **state)
{
    static const struct {
        const char *in, *msg;
    } bad[] = {
            {"65536", "invalid port '65536'"},
            {"http", "invalid port 'http'"},
            {"90:80", "port range '90:80' ends before it starts"},
            {"1:x", "invalid port range '1:x'"},
            {"$NOPE", "undefined port variable $NOPE"},
            {"!any", "port '!any' matches nothing"},
    };
    struct fx *f = *state;
    struct sig_portset p;
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(sig_port_parse(f->ps, bad[i].in, &p), NIDS_EINVAL);
        assert_string_equal(f->ps->err, bad[i].msg);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_addr_literals), cmocka_unit_test(test_addr_lists),
            cmocka_unit_test(test_addr_vars),     cmocka_unit_test(test_addr_errors),
            cmocka_unit_test(test_ports),         cmocka_unit_test(test_port_errors),
    };

    return cmocka_run_group_tests_name("sig_addr", tests, setup, teardown);
}
