/*
 * test_sig_parse.c - unit tests for the rule parser (signatures/sig_parse.c
 * and sig_kw_*.c), the classification table, threshold.config and the
 * loader (sig_load.c): every keyword's result in struct sig, the
 * derived values (kind, directions, stages, fast pattern, relative
 * flags, order), and the message of every kind of error, with the
 * FILE:LINE prefix the loader gives it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "cfg.h"
#include "log.h"
#include "sig_int.h"

struct fx {
    struct cfg c;
    struct sig_db db;
    struct sig_parse *ps;
};

static const char parse_yaml[] = "%YAML 1.1\n"
                                 "---\n"
                                 "vars:\n"
                                 "  address-groups:\n"
                                 "    HOME_NET: \"[10.0.0.0/8]\"\n"
                                 "    EXTERNAL_NET: \"!$HOME_NET\"\n"
                                 "  port-groups:\n"
                                 "    HTTP_PORTS: \"80\"\n";

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));

    assert_non_null(f);
    cfg_init(&f->c);
    assert_int_equal(cfg_load_string(&f->c, parse_yaml, "<test>"), 0);
    assert_int_equal(sig_db_init(&f->db), 0);
    f->ps = sig_parse_create(&f->db, &f->c);
    assert_non_null(f->ps);
    f->ps->file = "t.rules";
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    sig_parse_destroy(f->ps);
    sig_db_fini(&f->db);
    cfg_fini(&f->c);
    free(f);
    return 0;
}

/* Parse one rule that must load; the rule as stored. */
static const struct sig *
ok(struct fx *f, const char *rule)
{
    int rc = sig_parse_rule(f->ps, rule);

    if (rc != 0)
        fail_msg("rule did not load (%d): %s: %s", rc, rule, f->ps->err);
    return f->db.sigs[f->db.n_sigs - 1];
}

static void
bad(struct fx *f, const char *rule, const char *msg)
{
    int rc = sig_parse_rule(f->ps, rule);

    if (rc >= 0)
        fail_msg("rule loaded: %s", rule);
    if (strcmp(f->ps->err, msg) != 0)
        fail_msg("%s\n  got:  %s\n  want: %s", rule, f->ps->err, msg);
}

static void
test_header(void **state)
{
    struct fx *f = *state;
    const struct sig *s;

    s = ok(f, "alert tcp $HOME_NET any -> $EXTERNAL_NET $HTTP_PORTS (msg:\"m\"; sid:1;)");
    assert_int_equal(s->action, SIG_ACT_ALERT);
    assert_false(s->proto_any);
    assert_true(s->proto[6 / 8] & (1u << (6 % 8)));
    assert_false(s->src.any);
    assert_false(s->sp.any ? false : true);
    assert_false(s->dp.any);
    assert_true(sig_portset_has(&s->dp, 80));
    assert_int_equal(s->kind, SIG_KIND_PKT); /* a port that is not "any" */
    s = ok(f, "pass ip any any <> any any (sid:2;)");
    assert_int_equal(s->action, SIG_ACT_PASS);
    assert_true(s->proto_any);
    assert_true(s->flags & SIG_F_BIDIR);
    assert_int_equal(s->kind, SIG_KIND_IPONLY);
    s = ok(f, "drop udp any any -> any 53 (sid:3;)");
    assert_int_equal(s->action, SIG_ACT_ALERT); /* IDS mode */
    s = ok(f, "reject icmp any any -> any any (sid:4;)");
    assert_true(s->proto[0] & 0x02);           /* 1 */
    assert_true(s->proto[58 / 8] & (1u << 2)); /* 58 */
    s = ok(f, "alert ipv6 any any -> any any (sid:5;)");
    assert_int_equal(s->ip_ver, 6);
    s = ok(f, "alert http any any -> any any (sid:6;)");
    assert_int_equal(s->app_proto, APP_PROTO_HTTP);
    assert_int_equal(s->kind, SIG_KIND_PKT);
    s = ok(f, "alert dns any any -> any any (sid:7;)");
    assert_true(s->proto[17 / 8] & (1u << (17 % 8)));
    s = ok(f, "alert tcp-pkt any any -> any any (content:\"x\"; sid:8;)");
    assert_true(s->flags & SIG_F_PKT_ONLY);
    s = ok(f, "alert tcp-stream any any -> any any (content:\"x\"; sid:9;)");
    assert_true(s->flags & SIG_F_STREAM_ONLY);
}

static void
test_meta(void **state)
{
    struct fx *f = *state;
    const struct sig *s;

    s = ok(f, "alert tcp any any -> any any (msg:\"a \\\"b\\\"\\; c\"; sid:10; rev:7; gid:3; "
              "classtype:trojan-activity; metadata: former_category MALWARE, tag x, tag y; "
              "reference:url,example.com; target:dest_ip;)");
    assert_string_equal(s->msg, "a \"b\"; c");
    assert_int_equal(s->id, 10);
    assert_int_equal(s->rev, 7);
    assert_int_equal(s->gid, 3);
    assert_string_equal(s->class_msg, "A Network Trojan was detected");
    assert_int_equal(s->prio, 1);
    assert_int_equal(s->n_meta, 3);
    assert_string_equal(s->meta[0].k, "former_category");
    assert_string_equal(s->meta[0].v, "MALWARE");
    assert_string_equal(s->meta[2].k, "tag");
    assert_string_equal(s->meta[2].v, "y");
    assert_true(s->flags & SIG_F_TARGET_DST);
    s = ok(f, "alert tcp any any -> any any (classtype:bad-unknown; priority:1; sid:11;)");
    assert_int_equal(s->prio, 1); /* priority wins over the classtype's */
    s = ok(f, "alert tcp any any -> any any (sid:12;)");
    assert_int_equal(s->prio, 3);
    assert_null(s->class_msg);
    s = ok(f, "alert tcp any any -> any any (noalert; target:src_ip; sid:13;)");
    assert_true(s->flags & SIG_F_NOALERT);
    assert_true(s->flags & SIG_F_TARGET_SRC);
}

static void
test_content(void **state)
{
    struct fx *f = *state;
    const struct sig *s;
    const struct sig_content *c;

    s = ok(f, "alert tcp any any -> any any (content:\"A|0d 0a|b\\;\"; nocase; offset:2; "
              "depth:10; content:!\"x\"; distance:1; within:5; sid:20;)");
    assert_int_equal(s->kind, SIG_KIND_PAYLOAD);
    assert_int_equal(s->payload.n, 2);
    c = &s->payload.cm[0].u.c;
    assert_int_equal(c->len, 5);
    assert_memory_equal(c->pat, "a\r\nb;", 5); /* nocase: stored lowercased */
    assert_true(c->flags & SIG_CF_NOCASE);
    assert_int_equal(c->offset, 2);
    assert_int_equal(c->depth, 12); /* counted from the offset */
    assert_true(c->flags & SIG_CF_RELATIVE_NEXT);
    assert_non_null(c->skip);
    c = &s->payload.cm[1].u.c;
    assert_true(c->flags & SIG_CF_NEGATED);
    assert_int_equal(c->distance, 1);
    assert_int_equal(c->within, 5);
    assert_int_equal(s->fp_list, 0);
    assert_int_equal(s->fp_cm, 0);
    s = ok(f, "alert tcp any any -> any any (content:\"GET\"; startswith; content:\".exe\"; "
              "endswith; fast_pattern; sid:21;)");
    assert_true(s->payload.cm[0].u.c.flags & SIG_CF_DEPTH);
    assert_int_equal(s->payload.cm[0].u.c.depth, 3);
    assert_true(s->payload.cm[1].u.c.flags & SIG_CF_ENDSWITH);
    assert_int_equal(s->fp_cm, 1); /* the marked one, though shorter */
    s = ok(f, "alert tcp any any -> any any (content:\"abcdef\"; fast_pattern:2,3; rawbytes; "
              "sid:22;)");
    assert_true(s->payload.cm[0].u.c.flags & SIG_CF_FP_CHOP);
    assert_int_equal(s->payload.cm[0].u.c.fp_off, 2);
    assert_int_equal(s->payload.cm[0].u.c.fp_len, 3);
    s = ok(f, "alert tcp any any -> any any (content:\"a\"; fast_pattern:only; sid:23;)");
    assert_true(s->payload.cm[0].u.c.flags & SIG_CF_FP_ONLY);
}

static void
test_pcre(void **state)
{
    struct fx *f = *state;
    const struct sig *s;

    s = ok(f, "alert tcp any any -> any any (content:\"a\"; pcre:\"/b+/Ri\"; pcre:!\"/c/\"; "
              "sid:30;)");
    assert_int_equal(s->payload.n, 3);
    assert_int_equal(s->payload.cm[1].type, SIG_CM_PCRE);
    assert_true(s->payload.cm[1].u.r.flags & SIG_PF_RELATIVE);
    assert_true(s->payload.cm[0].u.c.flags & SIG_CF_RELATIVE_NEXT);
    assert_true(s->payload.cm[2].u.r.flags & SIG_PF_NEGATED);
    s = ok(f, "alert tcp any any -> any any (pcre:\"/\\/two\\//U\"; pcre:\"/x/O\"; sid:31;)");
    assert_int_equal(s->kind, SIG_KIND_TX);
    assert_int_equal(s->n_bufs, 1);
    assert_int_equal(s->bufs[0].buf, sig_buf_by_modifier("http_uri"));
    assert_int_equal(s->payload.n, 1);
    assert_true(s->payload.cm[0].u.r.flags & SIG_PF_NO_LIMIT);
}

static void
test_buffers(void **state)
{
    struct fx *f = *state;
    const struct sig *s;

    s = ok(f, "alert http any any -> any any (http.method; content:\"GET\"; http.uri; "
              "content:\"/a\"; content:\"b\"; distance:0; pkt_data; content:\"raw\"; sid:40;)");
    assert_int_equal(s->kind, SIG_KIND_TX);
    assert_int_equal(s->n_bufs, 2);
    assert_int_equal(s->bufs[1].n, 2);
    assert_int_equal(s->payload.n, 1);
    assert_int_equal(s->tx_dirs, SIG_DIR_TS);
    assert_int_equal(s->tx_stage[0], SIG_STAGE_HTTP_REQ_HDR);
    assert_true(s->fp_list > 0); /* a buffer's pattern, never the payload's */
    /* legacy modifiers move the content; uricontent is content + http_uri */
    s = ok(f, "alert tcp any any -> any any (content:\"/x\"; http_uri; uricontent:\"y\"; "
              "content:\"z\"; sid:41;)");
    assert_int_equal(s->app_proto, APP_PROTO_HTTP);
    assert_int_equal(s->n_bufs, 1);
    assert_int_equal(s->bufs[0].n, 2);
    assert_int_equal(s->payload.n, 1);
    /* a response buffer turns the rule to the client side */
    s = ok(f, "alert http any any -> any any (http.uri; content:\"/\"; http.stat_code; "
              "content:\"200\"; sid:42;)");
    assert_int_equal(s->tx_dirs, SIG_DIR_TC);
    assert_int_equal(s->tx_stage[1], SIG_STAGE_HTTP_RES_HDR);
    /* a buffer of both sides with no flow keyword: both directions */
    s = ok(f, "alert http any any -> any any (http.header; content:\"x\"; sid:43;)");
    assert_int_equal(s->tx_dirs, SIG_DIR_TS | SIG_DIR_TC);
    s = ok(f, "alert dns any any -> any any (dns.query; content:\"evil\"; dns_query; "
              "content:\"x\"; sid:44;)");
    assert_int_equal(s->app_proto, APP_PROTO_DNS);
    assert_int_equal(s->n_bufs, 1);
    s = ok(f, "alert tcp any any -> any any (filename:\"R.PDF\"; sid:45;)");
    assert_int_equal(s->n_bufs, 1);
    assert_memory_equal(s->bufs[0].cm[0].u.c.pat, "r.pdf", 5);
    s = ok(f, "alert smtp any any -> any any (smtp.mail_from; content:\"@\"; file.name; "
              "content:\".exe\"; endswith; sid:46;)");
    assert_int_equal(s->app_proto, APP_PROTO_SMTP);
    assert_int_equal(sig_buf_get(s->bufs[1].buf)->app_proto, APP_PROTO_SMTP);
}

static void
test_packet_keywords(void **state)
{
    struct fx *f = *state;
    const struct sig *s;

    s = ok(f, "alert ip any any -> any any (ttl:<64; tos:!8; ipopts:lsrr; sameip; ip_proto:!tcp; "
              "fragbits:M+; id:31337; sid:50;)");
    assert_int_equal(s->n_pm, 7);
    assert_int_equal(s->pm[0].num.op, SIG_OP_LT);
    assert_int_equal(s->pm[1].num.op, SIG_OP_NE);
    assert_int_equal(s->pm[1].num.a, 8);
    assert_int_equal(s->pm[3].type, SIG_PM_SAMEIP);
    assert_int_equal(s->pm[4].num.op, SIG_OP_NE);
    assert_int_equal(s->pm[4].num.a, 6);
    assert_int_equal(s->pm[5].mod, SIG_MOD_PLUS);
    assert_int_equal(s->pm[5].mask, 0x1);
    assert_int_equal(s->pm[6].num.a, 31337);
    s = ok(f, "alert tcp any any -> any any (flags:SA,12; seq:0; ack:!1; window:512; "
              "tcp.flags:*FR; sid:51;)");
    assert_int_equal(s->pm[0].mask, TCP_SYN | TCP_ACK);
    assert_int_equal(s->pm[0].ignore, TCP_ECE | TCP_CWR);
    assert_true(s->pm[2].neg);
    assert_int_equal(s->pm[4].mod, SIG_MOD_ANY);
    s = ok(f, "alert icmp any any -> any any (itype:7<>20; icode:>=1; icmp_id:5; "
              "icmp_seq:!= 3; dsize:0; sid:52;)");
    assert_int_equal(s->pm[0].num.op, SIG_OP_RANGE);
    assert_int_equal(s->pm[0].num.a, 7);
    assert_int_equal(s->pm[0].num.b, 20);
    assert_int_equal(s->pm[1].num.op, SIG_OP_GE);
    assert_int_equal(s->pm[3].num.op, SIG_OP_NE);
    assert_int_equal(s->pm[4].type, SIG_PM_DSIZE);
    s = ok(f, "alert tcp any any -> any any (content:\"x\"; dsize:>10; sid:53;)");
    assert_true(s->flags & SIG_F_PKT_ONLY); /* dsize: packets only */
    s = ok(f, "alert tcp any any -> any any (flow:established,to_client; content:\"x\"; "
              "sid:54;)");
    assert_int_equal(s->flow, SIG_FLOW_ESTABLISHED | SIG_FLOW_TOCLIENT);
    s = ok(f, "alert tcp any any -> any any (flow:only_stream; content:\"x\"; sid:55;)");
    assert_true(s->flags & SIG_F_STREAM_ONLY);
    s = ok(f, "alert tcp any any -> any any (decode-event:ipv4.trunc_pkt; "
              "stream-event:3whs_synack_flood; stream-event:reassembly_seq_gap; "
              "stream-event:3whs_syn_flood; sid:56;)");
    assert_int_equal(s->pm[0].ev, DEC_EV_IPV4_TRUNC_PKT);
    assert_int_equal(s->pm[1].ev, SIG_EV_NEVER);
    assert_int_equal(s->pm[2].ev, DEC_EV_STREAM_REASSEMBLY_SEQ_GAP);
    assert_int_equal(s->pm[3].ev, DEC_EV_STREAM_3WHS_SYN_FLOOD);
    /* an event of a layer Suricata decodes that is never raised here: loads, never matches */
    s = ok(f, "alert ip any any -> any any (decode-event:gre.version1_chksum; sid:58;)");
    assert_int_equal(s->pm[0].ev, SIG_EV_NEVER);
    s = ok(f, "alert dns any any -> any any (app-layer-event:dns.z_flag_set; sid:57;)");
    assert_int_equal(s->kind, SIG_KIND_TX);
    assert_int_equal(s->ev[0].id, SIG_DNS_EV_Z_FLAG_SET);
}

static void
test_flowbits_threshold(void **state)
{
    struct fx *f = *state;
    const struct sig *s;

    s = ok(f, "alert tcp any any -> any any (flowbits:set,a&b; flowbits:noalert; sid:60;)");
    assert_int_equal(s->n_post, 1);
    assert_int_equal(s->post[0].n, 2);
    assert_true(s->post[0].all);
    assert_true(s->flags & SIG_F_NOALERT);
    assert_int_equal(s->fb_rank, 1);
    s = ok(f, "alert tcp any any -> any any (flowbits:isset,b|c; flowbits:unset,a; sid:61;)");
    assert_int_equal(s->pm[0].type, SIG_PM_FLOWBITS);
    assert_int_equal(s->pm[0].fb.cmd, SIG_FB_ISSET);
    assert_false(s->pm[0].fb.all);
    assert_int_equal(s->pm[0].fb.bit[0], 1); /* b was numbered by the first rule */
    assert_int_equal(s->fb_rank, 2);
    assert_int_equal(f->db.n_flowbits, 3);
    s = ok(f, "alert icmp any any -> any any (threshold: type both, track by_flow, count 3, "
              "seconds 60; sid:62;)");
    assert_int_equal(s->thr.type, SIG_THR_BOTH);
    assert_int_equal(s->thr.track, SIG_TRACK_FLOW);
    assert_int_equal(s->thr.count, 3);
    assert_int_equal(s->thr.seconds, 60);
    s = ok(f, "alert tcp any any -> any any (threshold:type backoff, track by_flow, count 1, "
              "multiplier 10; sid:63;)");
    assert_int_equal(s->thr.type, SIG_THR_BACKOFF);
    assert_int_equal(s->thr.multiplier, 10);
    s = ok(f, "alert tcp any any -> any any (detection_filter:track by_src, count 2, seconds "
              "10; sid:64;)");
    assert_int_equal(s->thr.type, SIG_THR_DETECTION_FILTER);
    assert_int_equal(s->thr.track, SIG_TRACK_SRC);
}

static void
test_requires_and_dups(void **state)
{
    struct fx *f = *state;

    assert_int_equal(sig_parse_rule(f->ps, "alert tcp any any -> any any (requires: version "
                                           ">= 7.0.3 < 9; sid:70;)"),
                     0);
    /* unmet: skipped before its unknown keyword is an error */
    assert_int_equal(sig_parse_rule(f->ps, "alert tcp any any -> any any (requires: version "
                                           ">= 9; xyz; sid:71;)"),
                     1);
    assert_true(f->ps->skip);
    assert_int_equal(sig_parse_rule(f->ps, "alert tcp any any -> any any (requires: feature "
                                           "geoip; sid:72;)"),
                     1);
    /* a newer rev replaces, an older or equal one is an error */
    assert_int_equal(sig_parse_rule(f->ps, "alert tcp any any -> any any (sid:73; rev:1;)"), 0);
    assert_int_equal(sig_parse_rule(f->ps, "alert tcp any any -> any any (sid:73; rev:2;)"), 1);
    assert_int_equal(f->db.sigs[f->db.n_sigs - 1]->rev, 2);
    bad(f, "alert tcp any any -> any any (sid:73; rev:2;)",
        "duplicate signature 1:73 (rev 2, first at t.rules:0)");
}

static void
test_errors(void **state)
{
    static const struct {
        const char *rule, *msg;
    } cases[] = {
            {"alert tcp any any -> any any", "expected '(' after the header"},
            {"alert tcp any any => any any (sid:1;)", "direction must be '->' or '<>', not '=>'"},
            {"alert tcp any any ->",
             "incomplete rule header (action proto src sport -> dst dport)"},
            {"log tcp any any -> any any (sid:1;)", "unsupported action 'log'"},
            {"alert ftp any any -> any any (sid:1;)", "unsupported protocol 'ftp'"},
            {"alert tcp any any -> any any (msg:\"x\";)", "no sid"},
            {"alert tcp any any -> any any (sid:1)", "the last option must end with ';'"},
            {"alert tcp any any -> any any (sid:1;;)", "empty option"},
            {"alert tcp any any -> any any (foo:bar; sid:1;)", "unsupported keyword 'foo'"},
            {"alert tcp any any -> any any (sid:0;)", "sid must be at least 1"},
            {"alert tcp any any -> any any (sid:x;)", "sid: invalid number 'x'"},
            {"alert tcp any any -> any any (msg:\"x; sid:1;)", "missing closing quote in '\"x'"},
            {"alert tcp any any -> any any (classtype:nope; sid:1;)", "unknown classtype 'nope'"},
            {"alert tcp any any -> any any (priority:0; sid:1;)", "priority must be 1 to 255"},
            {"alert tcp any any -> any any (metadata:lonely; sid:1;)",
             "metadata: 'lonely' is not a 'key value' pair"},
            {"alert tcp any any -> any any (target:both; sid:1;)",
             "target must be src_ip or dest_ip, not 'both'"},
            {"alert tcp any any -> any any (nocase; sid:1;)", "nocase needs a preceding content"},
            {"alert tcp any any -> any any (content:\"\"; sid:1;)", "content: empty pattern"},
            {"alert tcp any any -> any any (content:\"|4|\"; sid:1;)",
             "content: odd number of hex digits in '\"|4|\"'"},
            {"alert tcp any any -> any any (content:\"|zz|\"; sid:1;)",
             "content: invalid hex 'z' in '\"|zz|\"'"},
            {"alert tcp any any -> any any (content:\"a\\x\"; sid:1;)",
             "content: invalid escape in '\"a\\x\"'"},
            {"alert tcp any any -> any any (content:\"|41\"; sid:1;)",
             "content: unterminated hex in '\"|41\"'"},
            {"alert tcp any any -> any any (content:\"ab\"; depth:1; sid:1;)",
             "content: depth 1 is shorter than the pattern (2 bytes)"},
            {"alert tcp any any -> any any (content:\"a\"; depth:4; distance:1; sid:1;)",
             "content: depth/offset cannot be combined with distance/within"},
            {"alert tcp any any -> any any (content:\"a\"; startswith; offset:1; sid:1;)",
             "startswith cannot be combined with depth, offset, distance or within"},
            {"alert tcp any any -> any any (content:\"a\"; depth:x; sid:1;)",
             "depth: 'x' is not a number (variables are not supported)"},
            {"alert tcp any any -> any any (content:\"a\"; depth:2; depth:3; sid:1;)",
             "depth set twice for one content"},
            {"alert tcp any any -> any any (content:\"a\"; fast_pattern:9,9; sid:1;)",
             "fast_pattern: 9,9 is outside the pattern"},
            {"alert tcp any any -> any any (content:!\"a\"; fast_pattern; sid:1;)",
             "fast_pattern on a negated content"},
            {"alert tcp any any -> any any (pcre:\"/(/\"; sid:1;)",
             "pcre: '(' at offset 1: missing closing parenthesis"},
            {"alert tcp any any -> any any (pcre:\"/a/q\"; sid:1;)", "pcre: unsupported flag 'q'"},
            {"alert tcp any any -> any any (pcre:/a/; sid:1;)",
             "pcre: value must be quoted: \"/regex/flags\""},
            {"alert tcp any any -> any any (flow:to_server,to_client; sid:1;)",
             "flow: to_server and to_client together"},
            {"alert tcp any any -> any any (flow:sideways; sid:1;)",
             "flow: unknown option 'sideways'"},
            {"alert tcp any any -> any any (flowbits:flip,a; sid:1;)",
             "flowbits: unknown command 'flip'"},
            {"alert tcp any any -> any any (flowbits:isset; sid:1;)",
             "flowbits:isset needs a name"},
            {"alert tcp any any -> any any (ttl:abc; sid:1;)", "ttl: invalid value 'abc'"},
            {"alert tcp any any -> any any (ttl:300; sid:1;)", "ttl: invalid value '300'"},
            {"alert tcp any any -> any any (itype:9<>3; sid:1;)", "itype: invalid range '9<>3'"},
            {"alert tcp any any -> any any (dsize:<0; sid:1;)", "dsize: '<0' can never match"},
            {"alert tcp any any -> any any (flags:SX; sid:1;)", "flags: unknown flag 'X' in 'SX'"},
            {"alert tcp any any -> any any (ipopts:foo; sid:1;)", "ipopts: unknown option 'foo'"},
            {"alert tcp any any -> any any (ip_proto:foo; sid:1;)",
             "ip_proto: unknown protocol 'foo'"},
            {"alert tcp any any -> any any (threshold:type limit, track by_src, count 1; sid:1;)",
             "threshold needs seconds"},
            {"alert tcp any any -> any any (threshold:type wild, track by_src, count 1, seconds 1;"
             " sid:1;)",
             "invalid threshold type 'wild'"},
            {"alert tcp any any -> any any (threshold:type limit, track by_src, count 1, seconds "
             "1; detection_filter:track by_src, count 1, seconds 1; sid:1;)",
             "only one threshold or detection_filter per rule"},
            {"alert tcp any any -> any any (threshold:type backoff, track by_src, count 1, "
             "multiplier 2; sid:1;)",
             "backoff only tracks by_flow"},
            {"alert tcp any any -> any any (http.uri; sid:1;)",
             "buffer http.uri has no content or pcre"},
            {"alert http any any -> any any (flow:to_server; http.stat_code; content:\"200\"; "
             "sid:1;)",
             "flow:to_server with a response buffer"},
            {"alert dns any any -> any any (http.uri; content:\"x\"; sid:1;)",
             "rule protocol 'dns' does not match its buffers (http)"},
            {"alert tcp any any -> any any (http.uri; content:\"a\"; http_header; sid:1;)",
             "http_header applies to a payload content, not one in a sticky buffer"},
            {"alert tcp any any -> any any (http.uri:x; sid:1;)",
             "http.uri is a sticky buffer and takes no value"},
            {"alert tcp any any -> any any (decode-event:wobble.x; sid:1;)",
             "decode-event: unknown event 'wobble.x'"},
            {"alert tcp any any -> any any (stream-event:nope; sid:1;)",
             "stream-event: unknown event 'nope'"},
            {"alert tcp any any -> any any (app-layer-event:http.nope; sid:1;)",
             "app-layer-event: unknown http event 'nope'"},
            {"alert tcp any any -> any any (app-layer-event:tls.x; sid:1;)",
             "app-layer-event: protocol of 'tls.x' is not supported"},
            {"alert tcp any any -> any any (requires: os linux; sid:1;)",
             "requires: unknown requirement 'os linux'"},
            {"alert tcp any any -> any any (content:\"a\"; dsize:1; flow:only_stream; sid:1;)",
             "a rule cannot be both stream-only and packet-only"},
            {"alert tcp $NOPE any -> any any (sid:1;)", "undefined address variable $NOPE"},
    };
    struct fx *f = *state;
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        bad(f, cases[i].rule, cases[i].msg);
}

static void
test_classification_file(void **state)
{
    struct fx *f = *state;
    const struct sig_class *c;

    assert_int_equal(sig_class_load_text(&f->db,
                                         "# comment\n"
                                         "config classification: my-class,My Class,4\n"
                                         "config classification: trojan-activity,Trojan,2\n"
                                         "garbage line\n",
                                         "<test>"),
                     2);
    c = sig_class_find(&f->db, "my-class");
    assert_non_null(c);
    assert_string_equal(c->desc, "My Class");
    assert_int_equal(c->prio, 4);
    c = sig_class_find(&f->db, "trojan-activity");
    assert_string_equal(c->desc, "Trojan"); /* replaced */
    assert_non_null(sig_class_find(&f->db, "coin-mining"));
}

/* Run fn with stderr captured into buf. */
static void
capture_stderr(char *buf, size_t cap, void (*fn)(void *), void *arg)
{
    char path[] = "/tmp/test_sig_parse.XXXXXX";
    int fd = mkstemp(path), saved = dup(2);
    ssize_t n;

    assert_true(fd >= 0 && saved >= 0);
    fflush(stderr);
    dup2(fd, 2);
    fn(arg);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    lseek(fd, 0, SEEK_SET);
    n = read(fd, buf, cap - 1);
    buf[n > 0 ? n : 0] = '\0';
    close(fd);
    unlink(path);
}

struct load_arg {
    const char *path;
    struct sig_db *db;
    struct sig_load_stats st;
};

static void
do_load(void *p)
{
    struct load_arg *a = p;

    a->db = sig_db_load(NULL, &a->path, 1, &a->st);
}

static void
test_loader_file_line(void **state)
{
    char path[] = "/tmp/test_sig_rules.XXXXXX";
    char out[8192];
    struct load_arg a;
    FILE *fp;
    int fd = mkstemp(path);

    (void)state;
    assert_true(fd >= 0);
    fp = fdopen(fd, "w");
    fprintf(fp, "# a comment\n"
                "\n"
                "alert tcp any any -> any any (msg:\"one\"; content:\"abc\"; sid:1;)\n"
                "alert tcp any any -> any any (msg:\"bad\"; frobnicate; sid:2;)\n"
                "alert tcp any any -> any any (msg:\"continued\"; \\\n"
                "    content:\"x\"; sid:3;)\n"
                "alert udp any any -> any any (sid:4; requires: version >= 10;)\n"
                "alert tcp any any -> any any (msg:\"late\"; pcre:\"/[/\"; sid:5;)\n");
    fclose(fp);
    a.path = path;
    capture_stderr(out, sizeof(out), do_load, &a);
    unlink(path);
    assert_non_null(a.db);
    assert_int_equal(a.st.loaded, 2);
    assert_int_equal(a.st.failed, 2);
    assert_int_equal(a.st.skipped, 1);
    assert_int_equal(a.st.files, 1);
    assert_non_null(strstr(out, ":4: unsupported keyword 'frobnicate'"));
    assert_non_null(strstr(out, ":8: pcre: '['"));
    assert_non_null(strstr(out, "2 rules loaded, 2 failed"));
    assert_int_equal(sig_db_count(a.db), 2);
    sig_db_destroy(a.db);
}

static void
test_loader_missing_file(void **state)
{
    char out[4096];
    struct load_arg a;

    (void)state;
    a.path = "/nonexistent/x.rules";
    capture_stderr(out, sizeof(out), do_load, &a);
    assert_null(a.db);
    assert_non_null(strstr(out, "rule file /nonexistent/x.rules: No such file or directory"));
}

static void
test_threshold_file(void **state)
{
    struct fx *f = *state;
    char path[] = "/tmp/test_sig_thr.XXXXXX";
    const struct sig *s1, *s2;
    char out[4096];
    FILE *fp;
    int fd = mkstemp(path);

    s1 = ok(f, "alert tcp any any -> any any (sid:100;)");
    s2 = ok(f, "alert tcp any any -> any any (threshold:type limit, track by_src, count 5, "
               "seconds 60; sid:101;)");
    assert_true(fd >= 0);
    fp = fdopen(fd, "w");
    fprintf(fp, "threshold gen_id 1, sig_id 101, type both, track by_dst, count 2, seconds 10\n"
                "suppress gen_id 1, sig_id 100, track by_src, ip $HOME_NET\n"
                "suppress gen_id 1, sig_id 100\n"
                "rate_filter gen_id 1, sig_id 100, track by_src, count 1, seconds 1\n");
    fclose(fp);
    {
        int saved = dup(2), devnull = open("/dev/null", 1);
        dup2(devnull, 2);
        assert_int_equal(sig_threshold_file_load(&f->db, path, &f->c), 1);
        dup2(saved, 2);
        close(saved);
        close(devnull);
    }
    (void)out;
    unlink(path);
    assert_int_equal(s2->thr.type, SIG_THR_BOTH);
    assert_int_equal(s2->thr.track, SIG_TRACK_DST);
    assert_int_equal(s2->thr.count, 2);
    assert_non_null(s1->sup);
    assert_int_equal(s1->sup->track, SIG_TRACK_NONE);
    assert_non_null(s1->sup->next);
    assert_int_equal(s1->sup->next->track, SIG_TRACK_SRC);
}

static void
test_order(void **state)
{
    struct fx *f = *state;
    char err[256];

    ok(f, "alert tcp any any -> any any (flowbits:isset,x; sid:200;)");
    ok(f, "alert tcp any any -> any any (priority:1; sid:201;)");
    ok(f, "alert tcp any any -> any any (flowbits:set,x; sid:202;)");
    ok(f, "pass tcp any any -> any any (sid:203;)");
    assert_int_equal(sig_db_build(&f->db, err, sizeof(err)), 0);
    assert_int_equal(f->db.sigs[0]->id, 203); /* pass first */
    assert_int_equal(f->db.sigs[1]->id, 202); /* setter before reader */
    assert_int_equal(f->db.sigs[2]->id, 201);
    assert_int_equal(f->db.sigs[3]->id, 200);
    assert_int_equal(f->db.sigs[3]->num, 3);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(test_header, setup, teardown),
            cmocka_unit_test_setup_teardown(test_meta, setup, teardown),
            cmocka_unit_test_setup_teardown(test_content, setup, teardown),
            cmocka_unit_test_setup_teardown(test_pcre, setup, teardown),
            cmocka_unit_test_setup_teardown(test_buffers, setup, teardown),
            cmocka_unit_test_setup_teardown(test_packet_keywords, setup, teardown),
            cmocka_unit_test_setup_teardown(test_flowbits_threshold, setup, teardown),
            cmocka_unit_test_setup_teardown(test_requires_and_dups, setup, teardown),
            cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
            cmocka_unit_test_setup_teardown(test_classification_file, setup, teardown),
            cmocka_unit_test(test_loader_file_line),
            cmocka_unit_test(test_loader_missing_file),
            cmocka_unit_test_setup_teardown(test_threshold_file, setup, teardown),
            cmocka_unit_test_setup_teardown(test_order, setup, teardown),
    };

    return cmocka_run_group_tests_name("sig_parse", tests, NULL, NULL);
}
