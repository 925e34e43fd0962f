/*
 * test_http.c - unit tests for decoders/app_http.c (the HTTP/1.x parser),
 * sensor/app_http.c (per-flow states, record order) and
 * sensor/out_eve_http.c (the `http`, `fileinfo` and applayer `anomaly`
 * records).
 *
 * Conversations are byte strings per direction. Every piece handed to the
 * parser is an exact-size heap copy, so ASan sees any read past it. The
 * EVE text of several conversations must be identical fed in one piece
 * and fed one byte per call; a request and a response are swept at every
 * truncation point (prefix, then EOF) with the documented partial result.
 * Expected field values follow libhtp-rs as Suricata 8 uses it (see the
 * comments in decoders/app_http.c).
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

#include "../../decoders/app_http.c"
#include "../../sensor/out_eve_http.c"
#include "../../sensor/app_http.c"
#include "eve_fixture.h"

/* ---- parser fixture ----------------------------------------------------- */

struct pfx {
    struct http_mem m;
    struct http_parse_cfg cfg;
    struct http_conn c;
    void *block;
};

static struct pfx *
pfx_new(uint32_t n_small, uint32_t n_large, uint32_t n_tx)
{
    struct pfx *p = calloc(1, sizeof(*p));

    assert_non_null(p);
    p->block = malloc(http_mem_size(n_small, n_large, n_tx));
    assert_non_null(p->block);
    http_mem_init(&p->m, p->block, n_small, n_large, n_tx);
    http_parse_cfg_defaults(&p->cfg);
    http_conn_init(&p->c, &p->m, &p->cfg);
    return p;
}

static void
pfx_free(struct pfx *p)
{
    http_conn_fini(&p->c);
    assert_int_equal(p->m.tx_used, 0);
    assert_int_equal(p->m.small_used, 0);
    assert_int_equal(p->m.large_used, 0);
    free(p->block);
    free(p);
}

static int
pfx_setup(void **state)
{
    *state = pfx_new(256, 8, 64);
    return 0;
}

static int
pfx_teardown(void **state)
{
    pfx_free(*state);
    return 0;
}

/* Feed n bytes of s in pieces of `piece` (0: one piece), each an exact-size heap copy. */
static uint32_t
feed(struct http_conn *c, int dir, const char *s, size_t n, size_t piece)
{
    size_t o = 0;
    uint32_t used = 0;

    if (piece == 0)
        piece = n ? n : 1;
    while (o < n) {
        size_t k = n - o < piece ? n - o : piece;
        uint8_t *cp = malloc(k);
        struct app_res r;
        assert_non_null(cp);
        memcpy(cp, s + o, k);
        r = http_parse(c, dir, cp, (uint32_t)k, 0);
        free(cp);
        used += r.consumed;
        if (r.consumed < k)
            return used;
        o += k;
    }
    return used;
}

#define FEED(p, dir, lit) feed(&(p)->c, dir, lit, sizeof(lit) - 1, 0)

static struct http_tx *
tx_n(struct http_conn *c, unsigned n)
{
    struct http_tx *tx = http_conn_tx_first(c);

    while (tx != NULL && n-- > 0)
        tx = http_conn_tx_next(c, tx);
    assert_non_null(tx);
    return tx;
}

static void
assert_str(struct http_str s, const char *want)
{
    if (want == NULL) {
        assert_null(s.ptr);
        return;
    }
    assert_non_null(s.ptr);
    assert_int_equal(s.len, strlen(want));
    assert_memory_equal(s.ptr, want, s.len);
}

static void
assert_hdr(const struct http_tx *tx, int dir, const char *name, const char *value)
{
    const struct http_hdr *h = http_tx_header(tx, dir, name);

    if (value == NULL) {
        assert_null(h);
        return;
    }
    assert_non_null(h);
    assert_str(h->value, value);
}

static bool
has_event(const struct http_tx *tx, uint8_t ev)
{
    uint8_t i;

    for (i = 0; i < tx->n_events; i++)
        if (tx->events[i] == ev)
            return true;
    return false;
}

/* ---- parser tests ------------------------------------------------------- */

/* Request line, headers, Host with a port, response with a Content-Length body. */
static void
test_get_basic(void **state)
{
    struct pfx *p = *state;
    struct http_tx *tx;

    FEED(p, 0,
         "GET /dir/a.html?q=1 HTTP/1.1\r\nHost: WWW.Example.COM.:8080\r\n"
         "User-Agent: curl/8.0\r\nAccept: */*\r\n\r\n");
    tx = tx_n(&p->c, 0);
    assert_int_equal(tx->progress[0], HTTP_PROG_COMPLETE);
    assert_int_equal(tx->progress[1], HTTP_PROG_NOT_STARTED);
    FEED(p, 1,
         "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
         "Content-Length: 5\r\n\r\nhello");
    assert_str(tx->method, "GET");
    assert_int_equal(tx->method_num, HTTP_M_GET);
    assert_str(tx->uri, "/dir/a.html?q=1");
    assert_str(tx->protocol, "HTTP/1.1");
    assert_int_equal(tx->req_proto, HTTP_PROTO_1_1);
    /* Host: lowercased, the port apart (trailing dot kept, as libhtp does for the header) */
    assert_str(tx->hostname, "www.example.com.");
    assert_int_equal(tx->port, 8080);
    assert_str(tx->path, "/dir/a.html");
    assert_hdr(tx, 0, "user-agent", "curl/8.0");
    assert_int_equal(tx->hdrs[0].count, 3);
    assert_str(tx->status, "200");
    assert_int_equal(tx->status_num, 200);
    assert_str(tx->message, "OK");
    assert_int_equal(tx->message_len[1], 5);
    assert_true(http_tx_is_complete(tx));
    assert_int_equal(tx->n_files, 1);
    assert_int_equal(tx->files[0].dir, APP_DIR_TOCLIENT);
    assert_int_equal(tx->files[0].state, HTTP_FILE_CLOSED);
    assert_int_equal(tx->files[0].size, 5);
    assert_str(tx->files[0].name, "/dir/a.html");
    assert_int_equal(tx->n_events, 0);
}

/* Chunked request and response: extensions, trailers, message length. */
static void
test_chunked(void **state)
{
    struct pfx *p = *state;
    struct http_tx *tx;

    FEED(p, 0,
         "POST /up/x.bin HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
         "5;name=v\r\nhello\r\n0\r\nX-Trailer: t\r\n\r\n");
    FEED(p, 1,
         "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
         "3\r\nabc\r\n000A\r\n0123456789\r\n0\r\n\r\n");
    tx = tx_n(&p->c, 0);
    assert_true(http_tx_is_complete(tx));
    /* libhtp-rs counts the chunk-size lines and CRLFs in message_len */
    assert_int_equal(tx->message_len[0], 10 + 5 + 2 + 3);
    assert_int_equal(tx->message_len[1], 3 + 3 + 2 + 6 + 10 + 2 + 3);
    assert_true(has_event(tx, HTTP_EV_REQUEST_CHUNK_EXTENSION));
    /* trailers are added to the headers */
    assert_hdr(tx, 0, "x-trailer", "t");
    assert_int_equal(tx->n_files, 2);
    assert_int_equal(tx->files[0].dir, APP_DIR_TOSERVER);
    assert_int_equal(tx->files[0].size, 5);
    assert_str(tx->files[0].name, "/up/x.bin");
    assert_int_equal(tx->files[1].size, 13);
}

/* A chunk size that is not hex ends request parsing (libhtp: error). */
static void
test_chunk_invalid(void **state)
{
    struct pfx *p = *state;
    struct app_res r;

    FEED(p, 0, "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
    assert_true(p->c.flags & HTTP_CONN_ERROR);
    assert_true(has_event(tx_n(&p->c, 0), HTTP_EV_INVALID_REQUEST_CHUNK_LEN));
    r = http_parse(&p->c, 0, (const uint8_t *)"x", 1, 0);
    assert_int_equal(r.status, APP_ERROR);
    assert_int_equal(p->m.ctr[HTTP_CTR_ERR_PARSER], 1);
}

/* A response chunk size that is not hex: the rest is an identity body. */
static void
test_chunk_invalid_response(void **state)
{
    struct pfx *p = *state;
    struct http_tx *tx;

    FEED(p, 0, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    FEED(p, 1, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nnot chunked\r\n");
    tx = tx_n(&p->c, 0);
    assert_true(has_event(tx, HTTP_EV_INVALID_RESPONSE_CHUNK_LEN));
    assert_int_equal(tx->progress[1], HTTP_PROG_BODY);
    http_conn_finish(&p->c);
    assert_int_equal(tx->progress[1], HTTP_PROG_COMPLETE);
    assert_int_equal(tx->message_len[1], 13);
}

/* Pipelining: three requests first, responses matched in order (HEAD has no body). */
static void
test_pipelining(void **state)
{
    struct pfx *p = *state;

    FEED(p, 0,
         "GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n"
         "HEAD /c HTTP/1.1\r\nHost: a\r\n\r\n");
    assert_int_equal(p->c.n_live, 3);
    FEED(p, 1,
         "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
         "HTTP/1.1 304 Not Modified\r\nETag: x\r\n\r\n"
         "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
    assert_str(tx_n(&p->c, 0)->uri, "/a");
    assert_int_equal(tx_n(&p->c, 0)->status_num, 200);
    assert_str(tx_n(&p->c, 1)->uri, "/b");
    assert_int_equal(tx_n(&p->c, 1)->status_num, 304);
    assert_int_equal(tx_n(&p->c, 1)->message_len[1], 0);
    assert_str(tx_n(&p->c, 2)->uri, "/c");
    assert_true(http_tx_is_complete(tx_n(&p->c, 2)));
    assert_int_equal(tx_n(&p->c, 2)->message_len[1], 0);
    assert_int_equal(tx_n(&p->c, 2)->n_files, 0);
}

/* 100-continue, twice (the second is an event), then the final response. */
static void
test_100_continue(void **state)
{
    struct pfx *p = *state;
    struct http_tx *tx;

    FEED(p, 0,
         "POST /u HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n"
         "Expect: 100-continue\r\n\r\n");
    FEED(p, 1, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 100 Continue\r\nX: y\r\n\r\n");
    tx = tx_n(&p->c, 0);
    assert_int_equal(tx->progress[1], HTTP_PROG_LINE);
    assert_true(tx->seen_100);
    assert_true(has_event(tx, HTTP_EV_CONTINUE_ALREADY_SEEN));
    FEED(p, 0, "abcd");
    FEED(p, 1, "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
    assert_true(http_tx_is_complete(tx));
    assert_int_equal(tx->status_num, 201);
    /* headers of the 100 responses are forgotten */
    assert_hdr(tx, 1, "x", NULL);
    assert_int_equal(tx->hdrs[1].count, 1);
    assert_int_equal(tx->n_files, 1);
    assert_int_equal(tx->files[0].size, 4);
}

/* 204 and 304 have no body; HTTP/1.0 without a length runs to the close. */
static void
test_no_body_and_close(void **state)
{
    struct pfx *p = *state;
    struct http_tx *tx;

    FEED(p, 0, "GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.0\r\n\r\n");
    FEED(p, 1, "HTTP/1.1 204 No Content\r\n\r\nHTTP/1.0 200 OK\r\nServer: x\r\n\r\nall of this");
    assert_true(http_tx_is_complete(tx_n(&p->c, 0)));
    tx = tx_n(&p->c, 1);
    assert_int_equal(tx->progress[1], HTTP_PROG_BODY);
    FEED(p, 1, " and more");
    assert_int_equal(http_parse(&p->c, 1, NULL, 0, APP_FLAG_EOF).status, APP_OK);
    assert_true(http_tx_is_complete(tx));
    assert_int_equal(tx->message_len[1], 20);
    assert_int_equal(tx->files[0].state, HTTP_FILE_CLOSED);
    assert_int_equal(tx->files[0].size, 20);
}

/* CONNECT answered 200 on the first transaction: the rest is the tunnel. */
static void
test_connect(void **state)
{
    struct pfx *p = *state;
    static const char resp[] =
            "HTTP/1.1 200 Connection established\r\n\r\n\x16\x03\x01\x00\x05hello";
    struct http_tx *tx;
    uint32_t used;

    FEED(p, 0, "CONNECT secure.example.org:443 HTTP/1.1\r\nHost: secure.example.org:443\r\n\r\n");
    tx = tx_n(&p->c, 0);
    assert_str(tx->hostname, "secure.example.org");
    assert_int_equal(tx->port, 443);
    assert_null(tx->path.ptr);
    used = feed(&p->c, 1, resp, sizeof(resp) - 1, 0);
    assert_int_equal(used, strlen("HTTP/1.1 200 Connection established\r\n\r\n"));
    assert_true(p->c.flags & HTTP_CONN_PROTO_CHANGE);
    assert_true(http_tx_is_complete(tx));
    assert_int_equal(tx->message_len[1], 0);
    assert_int_equal(http_parse(&p->c, 1, (const uint8_t *)"x", 1, 0).consumed, 0);
}

/* CONNECT refused: HTTP goes on with the next request. */
static void
test_connect_refused(void **state)
{
    struct pfx *p = *state;

    FEED(p, 0, "CONNECT h:8089 HTTP/1.1\r\nHost: h:8089\r\n\r\n");
    FEED(p, 1, "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
    assert_false(p->c.flags & HTTP_CONN_PROTO_CHANGE);
    assert_int_equal(tx_n(&p->c, 0)->progress[0], HTTP_PROG_HEADERS);
    FEED(p, 0, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    assert_true(http_tx_is_complete(tx_n(&p->c, 0)));
    assert_str(tx_n(&p->c, 1)->method, "GET");
}

/* HTTP/0.9: no version, no headers, the response is a body to the close. */
static void
test_http09(void **state)
{
    struct pfx *p = *state;
    struct http_tx *tx;

    FEED(p, 0, "GET /\r\n");
    tx = tx_n(&p->c, 0);
    assert_int_equal(tx->progress[0], HTTP_PROG_LINE); /* undecided until more comes */
    FEED(p, 1, "<html>x</html>");
    assert_true(tx->is_09);
    assert_int_equal(tx->progress[0], HTTP_PROG_COMPLETE);
    assert_null(tx->protocol.ptr);
    FEED(p, 0, "junk after 0.9\r\n"); /* ignored as libhtp does */
    http_parse(&p->c, 1, NULL, 0, APP_FLAG_EOF);
    assert_true(http_tx_is_complete(tx));
    assert_int_equal(tx->message_len[1], 14);
    assert_int_equal(p->c.n_live, 1);
}

/* A request line without version followed by headers is not 0.9 (Suricata 8). */
static void
test_not09(void **state)
{
    struct pfx *p = *state;
    struct http_tx *tx;

    FEED(p, 0, "GET /\nFakeHeader\nHost: localhost\nUser-Agent: myscript\n\n");
    tx = tx_n(&p->c, 0);
    assert_false(tx->is_09);
    assert_true(has_event(tx, HTTP_EV_REQUEST_LINE_MISSING_PROTOCOL));
    assert_true(has_event(tx, HTTP_EV_REQUEST_FIELD_MISSING_COLON));
    assert_hdr(tx, 0, "user-agent", "myscript");
    /* the line without colon is a header with an empty name */
    assert_int_equal(tx->hdrs[0].head->name.len, 0);
    assert_str(tx->hdrs[0].head->value, "FakeHeader");
    assert_int_equal(tx->progress[0], HTTP_PROG_COMPLETE);
}

/* obs-fold, repeated headers, duplicate Content-Length, field warnings. */
static void
test_headers(void **state)
{
    struct pfx *p = *state;
    struct http_tx *tx;

    FEED(p, 0,
         "GET / HTTP/1.1\r\nHost: h\r\nX-Fold: a\r\n \t b\r\n\tc\r\nCookie: x=1\r\n"
         "cookie: y=2\r\nCOOKIE: z=3\r\nContent-Length: 0\r\nContent-Length: 0\r\n"
         "Bad Name: v\r\n\r\n");
    tx = tx_n(&p->c, 0);
    assert_hdr(tx, 0, "x-fold", "a b\tc");
    assert_hdr(tx, 0, "cookie", "x=1, y=2, z=3");
    assert_hdr(tx, 0, "content-length", "0");
    assert_true(has_event(tx, HTTP_EV_REQUEST_HEADER_REPETITION));
    assert_false(has_event(tx, HTTP_EV_DUP_CL_REQUEST)); /* same value */
    assert_true(has_event(tx, HTTP_EV_REQUEST_HEADER_INVALID));
    assert_int_equal(tx->hdrs[0].count, 5);
    assert_true(tx->hdrs[0].head->next->next->flags & HTTP_HDR_REPEATED);
}

/* Request line splitting (libhtp-rs with allow-space-uri off, as Suricata). */
static void
test_request_line(void **state)
{
    struct pfx *p = *state;
    struct http_tx *tx;

    FEED(p, 0, "FOO /x HTTP/9.9\r\n\r\n"
               "  GET /a b HTTP/1.1\r\nHost: h\r\n\r\n"
               "GET\t/t\tHTTP/1.0\r\n\r\n"
               "BAR /y HTTP/1.1\r\n\r\n");
    tx = tx_n(&p->c, 0);
    assert_int_equal(tx->method_num, HTTP_M_UNKNOWN);
    assert_true(has_event(tx, HTTP_EV_UNKNOWN_METHOD_INVALID_PROTOCOL));
    tx = tx_n(&p->c, 1);
    assert_true(has_event(tx, HTTP_EV_REQUEST_LINE_LEADING_WHITESPACE));
    assert_str(tx->method, "GET");
    assert_str(tx->uri, "/a");
    assert_str(tx->protocol, "b HTTP/1.1");
    assert_int_equal(tx->req_proto, HTTP_PROTO_INVALID);
    tx = tx_n(&p->c, 2);
    assert_true(has_event(tx, HTTP_EV_METHOD_DELIM_NON_COMPLIANT));
    assert_true(has_event(tx, HTTP_EV_URI_DELIM_NON_COMPLIANT));
    assert_str(tx->uri, "/t");
    assert_str(tx->protocol, "HTTP/1.0");
    assert_int_equal(tx->req_proto, HTTP_PROTO_1_0);
    /* after a request, a line that does not start with a known method is body */
    assert_true(has_event(tx, HTTP_EV_REQUEST_BODY_UNEXPECTED));
    assert_int_equal(tx->message_len[0], strlen("BAR /y HTTP/1.1\r\n\r\n"));
    assert_int_equal(p->c.n_live, 3);
}

/* Host missing in HTTP/1.1; absolute URI against a different Host. */
static void
test_host_events(void **state)
{
    struct pfx *p = *state;
    struct http_tx *tx;

    FEED(p, 0,
         "GET / HTTP/1.1\r\nX: y\r\n\r\n"
         "GET http://Proxy.Example:3128/a/../b/./c%41 HTTP/1.1\r\nHost: other\r\n\r\n");
    assert_true(has_event(tx_n(&p->c, 0), HTTP_EV_MISSING_HOST_HEADER));
    tx = tx_n(&p->c, 1);
    assert_str(tx->uri, "http://Proxy.Example:3128/a/../b/./c%41");
    assert_str(tx->hostname, "proxy.example");
    assert_int_equal(tx->port, 3128);
    assert_str(tx->path, "/b/cA");
    assert_true(has_event(tx, HTTP_EV_HOST_HEADER_AMBIGUOUS));
}

/* Status that is not a number: kept as a string; response without request. */
static void
test_status_and_unmatched(void **state)
{
    struct pfx *p = *state;
    struct http_tx *tx;

    FEED(p, 0, "GET /test HTTP/1.1\r\nHost: h\r\n\r\n");
    FEED(p, 1,
         "HTTP/1.0 2XX OK\nServer: POC\nContent-Length:4\n\ntoto"
         "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    tx = tx_n(&p->c, 0);
    assert_str(tx->status, "2XX");
    assert_int_equal(tx->status_num, -1);
    assert_true(has_event(tx, HTTP_EV_RESPONSE_INVALID_STATUS));
    assert_int_equal(tx->message_len[1], 4);
    tx = tx_n(&p->c, 1);
    assert_true(has_event(tx, HTTP_EV_UNABLE_TO_MATCH_RESPONSE));
    assert_str(tx->uri, "/libhtp::request_uri_not_seen");
    assert_true(http_tx_is_complete(tx));
}

/* A line longer than max_line stops parsing (libhtp field limit). */
static void
test_line_limit(void **state)
{
    struct pfx *p = *state;
    char *big = malloc(20000);

    assert_non_null(big);
    memcpy(big, "GET /", 5);
    memset(big + 5, 'a', 20000 - 5);
    p->cfg.max_line = 1000;
    feed(&p->c, 0, big, 20000, 700);
    assert_true(p->c.flags & HTTP_CONN_ERROR);
    assert_true(has_event(tx_n(&p->c, 0), HTTP_EV_REQUEST_FIELD_TOO_LONG));
    assert_int_equal(p->m.ctr[HTTP_CTR_LINE_LIMIT], 1);
    free(big);
}

/* A long line is stored up to a large chunk and cut after it (counted once). */
static void
test_long_value(void **state)
{
    struct pfx *p = *state;
    size_t n = 30000, o;
    char *req = malloc(n + 64);
    struct http_tx *tx;

    assert_non_null(req);
    o = (size_t)sprintf(req, "GET / HTTP/1.1\r\nCookie: ");
    memset(req + o, 'c', n - o - 4);
    memcpy(req + n - 4, "\r\n\r\n", 4);
    p->cfg.max_line = 100000;
    feed(&p->c, 0, req, n, 1000);
    tx = tx_n(&p->c, 0);
    assert_true(tx->flags & HTTP_TXF_TRUNC);
    assert_int_equal(p->m.ctr[HTTP_CTR_FIELD_TRUNCATED], 1);
    assert_int_equal(http_tx_header(tx, 0, "cookie")->value.len, HTTP_LARGE_CHUNK - 8);
    assert_int_equal(tx->progress[0], HTTP_PROG_COMPLETE);
    free(req);
}

/* More headers than max_headers: event and error (libhtp). */
static void
test_header_limit(void **state)
{
    struct pfx *p = *state;
    char buf[4096];
    size_t o = 0;
    int i;

    p->cfg.max_headers = 8;
    o += (size_t)sprintf(buf, "GET / HTTP/1.1\r\n");
    for (i = 0; i < 12; i++)
        o += (size_t)sprintf(buf + o, "H%d: v\r\n", i);
    o += (size_t)sprintf(buf + o, "\r\n");
    feed(&p->c, 0, buf, o, 0);
    assert_true(p->c.flags & HTTP_CONN_ERROR);
    assert_true(has_event(tx_n(&p->c, 0), HTTP_EV_REQUEST_TOO_MANY_HEADERS));
    assert_int_equal(p->m.ctr[HTTP_CTR_HEADER_LIMIT], 1);
}

/* More live transactions than max_tx: error and counter. */
static void
test_tx_limit(void **state)
{
    struct pfx *p = *state;
    int i;

    p->cfg.max_tx = 3;
    for (i = 0; i < 5; i++)
        FEED(p, 0, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    assert_true(p->c.flags & HTTP_CONN_ERROR);
    assert_int_equal(p->c.n_live, 3);
    assert_int_equal(p->m.ctr[HTTP_CTR_TX_LIMIT], 1);
}

/* A gap inside a Content-Length body: the file has gaps and is TRUNCATED. */
static void
test_gap_body(void **state)
{
    struct pfx *p = *state;
    struct http_tx *tx;

    FEED(p, 0, "GET /g HTTP/1.0\r\n\r\n");
    FEED(p, 1, "HTTP/1.0 200 OK\r\nContent-Length: 30\r\n\r\n0123456789");
    http_parse(&p->c, 1, NULL, 10, APP_FLAG_GAP);
    FEED(p, 1, "0123456789");
    tx = tx_n(&p->c, 0);
    assert_true(http_tx_is_complete(tx));
    assert_int_equal(tx->message_len[1], 30);
    assert_int_equal(tx->files[0].size, 30);
    assert_true(tx->files[0].gaps);
    assert_int_equal(tx->files[0].state, HTTP_FILE_TRUNCATED);
}

/* A gap in headers is skipped (INVALID_GAP) and parsing goes on. */
static void
test_gap_headers(void **state)
{
    struct pfx *p = *state;
    struct http_tx *tx;

    FEED(p, 0, "GET /h HTTP/1.1\r\nHost: h\r\nX-Lost: ");
    http_parse(&p->c, 0, NULL, 20, APP_FLAG_GAP);
    FEED(p, 0, "tail\r\n\r\n");
    tx = tx_n(&p->c, 0);
    assert_true(has_event(tx, HTTP_EV_INVALID_GAP));
    assert_hdr(tx, 0, "x-lost", "tail");
    assert_int_equal(tx->progress[0], HTTP_PROG_COMPLETE);
    assert_int_equal(p->m.ctr[HTTP_CTR_GAP_IGNORED], 1);
}

/* multipart/form-data: each part with a filename is a file of its own. */
static void
test_multipart(void **state)
{
    struct pfx *p = *state;
    static const char body[] =
            "--XyZ\r\n"
            "Content-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n"
            "Content-Type: text/plain\r\n\r\n"
            "line1\r\nline2\r\n"
            "--XyZ\r\n"
            "Content-Disposition: form-data; name=\"field\"\r\n\r\n"
            "value\r\n"
            "--XyZ\r\n"
            "Content-Disposition: form-data; name=\"g\"; filename=\"b.bin\"\r\n\r\n"
            "\r\n--X\r\r\n\r\n"
            "--XyZ--\r\n";
    char req[1024];
    int n = snprintf(req, sizeof(req),
                     "POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: %zu\r\n"
                     "Content-Type: multipart/form-data; boundary=\"XyZ\"\r\n\r\n%s",
                     sizeof(body) - 1, body);
    struct http_tx *tx;

    feed(&p->c, 0, req, (size_t)n, 0);
    tx = tx_n(&p->c, 0);
    assert_int_equal(tx->progress[0], HTTP_PROG_COMPLETE);
    assert_true(tx->flags & HTTP_TXF_MULTIPART);
    assert_int_equal(tx->n_files, 2);
    assert_str(tx->files[0].name, "a.txt");
    assert_int_equal(tx->files[0].size, 12);
    assert_int_equal(tx->files[0].state, HTTP_FILE_CLOSED);
    assert_str(tx->files[1].name, "b.bin");
    assert_int_equal(tx->files[1].size, 8); /* CR LF "--X" CR CR LF: none is the delimiter */
}

/* Content-Disposition names the response file; Content-Range gives its place. */
static void
test_disposition_range(void **state)
{
    struct pfx *p = *state;
    struct http_tx *tx;
    int64_t s, e, l;

    FEED(p, 0, "GET /dl?id=1 HTTP/1.1\r\nHost: h\r\nRange: bytes=500-504\r\n\r\n");
    FEED(p, 1,
         "HTTP/1.1 206 Partial\r\nContent-Disposition: attachment; filename=\"r e.pdf\"\r\n"
         "Content-Range: bytes 500-504/146515\r\nContent-Length: 5\r\n\r\nabcde");
    tx = tx_n(&p->c, 0);
    assert_str(tx->files[0].name, "r e.pdf");
    assert_true(tx->files[0].has_range);
    assert_int_equal(tx->files[0].start, 500);
    assert_int_equal(tx->files[0].end, 504);
    assert_true(http_parse_content_range((const uint8_t *)"bytes */10", 10, &s, &e, &l));
    assert_int_equal(s, -1);
    assert_int_equal(l, 10);
    assert_false(http_parse_content_range((const uint8_t *)"bytes 1-", 8, &s, &e, &l));
}

/* Past the body limit the file is TRUNCATED (Suricata's response-body-limit). */
static void
test_body_limit(void **state)
{
    struct pfx *p = *state;
    struct http_tx *tx;

    p->cfg.resp_body_limit = 8;
    FEED(p, 0, "GET /big HTTP/1.1\r\nHost: h\r\n\r\n");
    FEED(p, 1, "HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n0123456");
    FEED(p, 1, "789");
    FEED(p, 1, "0123456789");
    tx = tx_n(&p->c, 0);
    assert_int_equal(tx->files[0].size, 8);
    assert_int_equal(tx->files[0].state, HTTP_FILE_TRUNCATED);
    assert_int_equal(tx->message_len[1], 20);
    assert_int_equal(p->m.ctr[HTTP_CTR_BODY_LIMIT], 1);
}

/* Empty pools: nothing crashes, what could not be kept is counted. */
static void
test_pools_empty(void **state)
{
    struct pfx *q = pfx_new(1, 0, 1);
    struct http_tx *tx;

    (void)state;
    FEED(q, 0,
         "GET /a HTTP/1.1\r\nHost: h\r\nUser-Agent: a long enough value to need more "
         "than one chunk of arena memory, or at least to try hard enough to fill it "
         "................................................................................"
         "................................................................................"
         "................................................................................"
         "................................................................................"
         "................................................................................"
         "................................................................................"
         "................................................................................"
         "................................................................................"
         "................................................................................"
         "................................................................................"
         "................................................................................"
         "\r\n\r\nGET /b HTTP/1.1\r\n\r\n");
    tx = tx_n(&q->c, 0);
    assert_str(tx->method, "GET");
    assert_true(q->m.ctr[HTTP_CTR_ARENA_EMPTY] > 0);
    assert_int_equal(q->m.ctr[HTTP_CTR_TX_POOL_EMPTY], 1);
    assert_true(q->c.flags & HTTP_CONN_ERROR);
    pfx_free(q);
}

/* Release in any order returns everything to the pools. */
static void
test_release(void **state)
{
    struct pfx *p = *state;

    FEED(p, 0, "GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n");
    FEED(p, 1, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    http_tx_release(&p->c, tx_n(&p->c, 1));
    http_tx_release(&p->c, tx_n(&p->c, 0));
    assert_null(http_conn_tx_first(&p->c));
    assert_int_equal(p->m.tx_used, 0);
    assert_int_equal(p->m.small_used, 0);
}

/* ---- sensor level: records ---------------------------------------------- */

struct seg {
    int dir; /* APP_DIR_*, or -1: a gap to the server, -2: a gap to the client */
    const char *s;
    size_t n; /* gap length for gaps */
};

#define TS(lit)                                                                                    \
    {                                                                                              \
        APP_DIR_TOSERVER, lit, sizeof(lit) - 1                                                     \
    }
#define TC(lit)                                                                                    \
    {                                                                                              \
        APP_DIR_TOCLIENT, lit, sizeof(lit) - 1                                                     \
    }

struct efx {
    struct eve_fx fx;
    struct app_http_ctx *x;
    struct flow f;
    uint64_t ctr[STAT_ID_COUNT];
};

static void
efx_open(struct efx *u, bool files, bool ext, bool hdrs)
{
    struct app_http_cfg cfg;
    struct eve_output *o;

    memset(u, 0, sizeof(*u));
    assert_int_equal(eve_fx_open(&u->fx, "test_http", EVE_TYPE_HTTP, 0), 0);
    o = &u->fx.e.out[0];
    o->types[EVE_TYPE_FILES] = files;
    o->http.no_extended = !ext;
    o->http.dump_req = o->http.dump_resp = hdrs;
    app_http_cfg_defaults(&cfg);
    cfg.flows = 4;
    cfg.tx_pool = 16;
    cfg.arena_small = 64;
    cfg.arena_large = 4;
    u->x = app_http_ctx_create(&cfg, &u->fx.e, u->ctr);
    assert_non_null(u->x);
    u->f.key.ip_ver = 4;
    u->f.key.proto = 6;
    memcpy(u->f.key.src, (const uint8_t[]){10, 0, 0, 1}, 4);
    memcpy(u->f.key.dst, (const uint8_t[]){10, 0, 0, 2}, 4);
    u->f.key.sp = 40000;
    u->f.key.dp = 80;
    u->f.flow_id = 77;
    u->f.app_proto = APP_PROTO_HTTP;
}

/* Close the context and return the EVE text (heap, caller frees). */
static char *
efx_close(struct efx *u)
{
    char *text;

    app_http_ctx_destroy(u->x);
    text = eve_fx_read_all(&u->fx);
    eve_fx_close(&u->fx);
    return text;
}

/* Time of segment i: 2024-01-02T03:04:05.000000 UTC + i ms. */
#define T0 1704164645000000ull

static void
efx_feed(struct efx *u, const struct seg *sg, size_t nseg, size_t piece)
{
    size_t i, o;

    for (i = 0; i < nseg; i++) {
        uint64_t now = T0 + i * 1000;
        if (u->f.app_proto != APP_PROTO_HTTP)
            break; /* a tunnel: the caller would send it to detection */
        if (sg[i].dir < 0) {
            app_http_data(u->x, &u->f, sg[i].dir == -1 ? 0 : 1, NULL, (uint32_t)sg[i].n,
                          APP_FLAG_GAP, now);
            continue;
        }
        for (o = 0; o < sg[i].n;) {
            size_t k = piece == 0 || sg[i].n - o < piece ? sg[i].n - o : piece;
            uint8_t *cp = malloc(k);
            uint32_t used;
            assert_non_null(cp);
            memcpy(cp, sg[i].s + o, k);
            used = app_http_data(u->x, &u->f, sg[i].dir, cp, (uint32_t)k, 0, now);
            free(cp);
            o += used;
            if (used < k)
                break;
        }
    }
}

/* Run a conversation, then FIN both ways and the flow end; the EVE text. */
static char *
run_conv(const struct seg *sg, size_t nseg, size_t piece, bool files, bool ext, bool hdrs)
{
    struct efx u;
    uint64_t end = T0 + 1000000;

    efx_open(&u, files, ext, hdrs);
    efx_feed(&u, sg, nseg, piece);
    if (u.f.app_proto == APP_PROTO_HTTP) {
        app_http_data(u.x, &u.f, 0, NULL, 0, APP_FLAG_EOF, end);
        app_http_data(u.x, &u.f, 1, NULL, 0, APP_FLAG_EOF, end);
    }
    app_http_flow_end(u.x, &u.f, end);
    assert_int_equal(u.f.app_state, 0);
    return efx_close(&u);
}

/* Line k (0-based) of text, in a static buffer. */
static const char *
line_of(const char *text, unsigned k)
{
    static char buf[8192];
    const char *e;

    while (k-- > 0) {
        text = strchr(text, '\n');
        assert_non_null(text);
        text++;
    }
    e = strchr(text, '\n');
    assert_non_null(e);
    assert_true((size_t)(e - text) < sizeof(buf));
    memcpy(buf, text, (size_t)(e - text));
    buf[e - text] = '\0';
    return buf;
}

/* Conversation 1: a GET with a body, all headers logged. */
static const struct seg conv1[] = {
        TS("GET /index.html?a=1 HTTP/1.1\r\nHost: www.example.com\r\n"
           "User-Agent: Wget/1.21\r\nReferer: http://ref.example/\r\n"
           "X-Forwarded-For: 192.0.2.7\r\nAccept: */*\r\n\r\n"),
        TC("HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html; charset=utf-8\r\n"
           "Content-Length: 12\r\nLocation: /elsewhere\r\n\r\nhello world\n"),
};

/* The whole http record of conversation 1, as Suricata 8 writes it. */
static void
test_eve_http_record(void **state)
{
    char *t;

    (void)state;
    t = run_conv(conv1, NIDS_ARRAY_LEN(conv1), 0, true, true, true);
    assert_int_equal(eve_fx_count(t, "\n"), 2);
    assert_string_equal(
            line_of(t, 1),
            "{\"timestamp\":\"2024-01-02T03:04:05.001000+0000\",\"flow_id\":77,"
            "\"event_type\":\"http\",\"src_ip\":\"10.0.0.1\",\"src_port\":40000,"
            "\"dest_ip\":\"10.0.0.2\",\"dest_port\":80,\"ip_v\":4,\"proto\":\"TCP\","
            "\"pkt_src\":\"wire/pcap\",\"tx_id\":0,\"http\":{\"hostname\":\"www.example.com\","
            "\"url\":\"/index.html?a=1\",\"http_user_agent\":\"Wget/1.21\","
            "\"xff\":\"192.0.2.7\",\"http_content_type\":\"text/html\","
            "\"http_refer\":\"http://ref.example/\",\"http_method\":\"GET\","
            "\"protocol\":\"HTTP/1.1\",\"status\":200,\"redirect\":\"/elsewhere\",\"length\":12,"
            "\"request_headers\":[{\"name\":\"Host\",\"value\":\"www.example.com\"},"
            "{\"name\":\"User-Agent\",\"value\":\"Wget/1.21\"},"
            "{\"name\":\"Referer\",\"value\":\"http://ref.example/\"},"
            "{\"name\":\"X-Forwarded-For\",\"value\":\"192.0.2.7\"},"
            "{\"name\":\"Accept\",\"value\":\"*/*\"}],"
            "\"response_headers\":[{\"name\":\"Server\",\"value\":\"nginx\"},"
            "{\"name\":\"Content-Type\",\"value\":\"text/html; charset=utf-8\"},"
            "{\"name\":\"Content-Length\",\"value\":\"12\"},"
            "{\"name\":\"Location\",\"value\":\"/elsewhere\"}]}}");
    /* the file first, server first, basic and extended fields, no headers */
    assert_string_equal(
            line_of(t, 0),
            "{\"timestamp\":\"2024-01-02T03:04:05.001000+0000\",\"flow_id\":77,"
            "\"event_type\":\"fileinfo\",\"src_ip\":\"10.0.0.2\",\"src_port\":80,"
            "\"dest_ip\":\"10.0.0.1\",\"dest_port\":40000,\"ip_v\":4,\"proto\":\"TCP\","
            "\"pkt_src\":\"wire/pcap\",\"http\":{\"hostname\":\"www.example.com\","
            "\"url\":\"/index.html?a=1\",\"http_user_agent\":\"Wget/1.21\","
            "\"xff\":\"192.0.2.7\",\"http_content_type\":\"text/html\","
            "\"http_refer\":\"http://ref.example/\",\"http_method\":\"GET\","
            "\"protocol\":\"HTTP/1.1\",\"status\":200,\"redirect\":\"/elsewhere\",\"length\":12},"
            "\"app_proto\":\"http\",\"fileinfo\":{\"filename\":\"/index.html\",\"gaps\":false,"
            "\"state\":\"CLOSED\",\"stored\":false,\"size\":12,\"tx_id\":0}}");
    free(t);
    /* without extended: the basic fields only */
    t = run_conv(conv1, NIDS_ARRAY_LEN(conv1), 0, false, false, false);
    assert_string_equal(
            t, "{\"timestamp\":\"2024-01-02T03:04:05.001000+0000\",\"flow_id\":77,"
               "\"event_type\":\"http\",\"src_ip\":\"10.0.0.1\",\"src_port\":40000,"
               "\"dest_ip\":\"10.0.0.2\",\"dest_port\":80,\"ip_v\":4,\"proto\":\"TCP\","
               "\"pkt_src\":\"wire/pcap\",\"tx_id\":0,\"http\":{\"hostname\":\"www.example.com\","
               "\"url\":\"/index.html?a=1\",\"http_user_agent\":\"Wget/1.21\","
               "\"xff\":\"192.0.2.7\",\"http_content_type\":\"text/html\"}}\n");
    free(t);
}

/* Anomaly records: the packet that acknowledges the data (reverse direction). */
static void
test_eve_anomaly(void **state)
{
    static const struct seg conv[] = {
            TS("GET / HTTP/1.1\r\nUser-Agent: x\r\n\r\n"),
            TC("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
    };
    char *t;

    (void)state;
    t = run_conv(conv, NIDS_ARRAY_LEN(conv), 0, false, true, false);
    assert_string_equal(
            line_of(t, 0),
            "{\"timestamp\":\"2024-01-02T03:04:05.000000+0000\",\"flow_id\":77,"
            "\"event_type\":\"anomaly\",\"src_ip\":\"10.0.0.2\",\"src_port\":80,"
            "\"dest_ip\":\"10.0.0.1\",\"dest_port\":40000,\"ip_v\":4,\"proto\":\"TCP\","
            "\"pkt_src\":\"wire/pcap\",\"tx_id\":0,\"anomaly\":{\"app_proto\":\"http\","
            "\"type\":\"applayer\",\"event\":\"MISSING_HOST_HEADER\",\"layer\":\"proto_parser\"}}");
    assert_int_equal(eve_fx_count(t, "\"event_type\":\"http\""), 1);
    free(t);
}

/* Wire bytes that are not UTF-8: "\xNN" as Suricata's set_string_from_bytes. */
static void
test_eve_bytes(void **state)
{
    static const struct seg conv[] = {
            TS("GET /caf\xe9\"q HTTP/1.1\r\nHost: h\r\nUser-Agent: \xc3\xa9t\xc3\xa9\r\n\r\n"),
            TC("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
    };
    char *t;

    (void)state;
    t = run_conv(conv, NIDS_ARRAY_LEN(conv), 0, false, false, false);
    assert_non_null(strstr(t, "\"url\":\"/caf\\\\xe9\\\"q\""));
    assert_non_null(strstr(t, "\"http_user_agent\":\"\xc3\xa9t\xc3\xa9\""));
    free(t);
}

/* CONNECT: consumed stops at the tunnel; the flow goes back to detection. */
static void
test_eve_connect(void **state)
{
    struct efx u;
    static const char resp[] = "HTTP/1.1 200 Connection established\r\n\r\nSSH-2.0-x\r\n";
    uint8_t *cp;
    uint32_t used;
    char *t;

    (void)state;
    efx_open(&u, true, true, false);
    app_http_data(u.x, &u.f, 0, (const uint8_t *)"CONNECT h.example:8089 HTTP/1.1\r\n\r\n", 35, 0,
                  T0);
    cp = malloc(sizeof(resp) - 1);
    assert_non_null(cp);
    memcpy(cp, resp, sizeof(resp) - 1);
    used = app_http_data(u.x, &u.f, 1, cp, (uint32_t)sizeof(resp) - 1, 0, T0 + 1);
    free(cp);
    assert_int_equal(used, sizeof(resp) - 1 - strlen("SSH-2.0-x\r\n"));
    assert_int_equal(u.f.app_state, 0);
    assert_int_equal(u.f.app_proto, APP_PROTO_UNKNOWN);
    assert_int_equal(u.f.app_proto_orig, APP_PROTO_HTTP);
    t = efx_close(&u);
    assert_non_null(strstr(t, "\"tx_id\":0,\"http\":{\"hostname\":\"h.example\",\"http_port\":8089,"
                              "\"url\":\"h.example:8089\",\"http_method\":\"CONNECT\","
                              "\"protocol\":\"HTTP/1.1\",\"status\":200,\"length\":0}}"));
    free(t);
}

/*
 * Flow end without FIN: open transactions are logged. libhtp closes the
 * stream first, so a response body cut short ends CLOSED; a request body
 * it cannot finish stays open and its file ends TRUNCATED.
 */
static void
test_eve_flow_end(void **state)
{
    static const struct seg conv[] = {
            TS("GET /a HTTP/1.1\r\nHost: h\r\n\r\n"
               "POST /part HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\nonly some"),
            TC("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nfirst"),
    };
    struct efx u;
    char *t;

    (void)state;
    efx_open(&u, true, true, false);
    efx_feed(&u, conv, NIDS_ARRAY_LEN(conv), 0);
    app_http_flow_end(u.x, &u.f, T0 + 5000);
    t = efx_close(&u);
    assert_int_equal(eve_fx_count(t, "\"pkt_src\":\"stream (flow timeout)\""), 4);
    assert_non_null(strstr(t, "\"filename\":\"/a\",\"gaps\":false,\"state\":\"CLOSED\","
                              "\"stored\":false,\"size\":5,\"tx_id\":0}"));
    assert_non_null(strstr(t, "\"filename\":\"/part\",\"gaps\":false,\"state\":\"TRUNCATED\","
                              "\"stored\":false,\"size\":9,\"tx_id\":1}"));
    assert_non_null(strstr(t, "\"tx_id\":1,\"http\":{\"hostname\":\"h\",\"url\":\"/part\","
                              "\"http_method\":\"POST\",\"protocol\":\"HTTP/1.1\",\"length\":0}}"));
    free(t);
}

/* One per-flow state per flow; an empty state pool leaves the flow unparsed. */
static void
test_state_pool(void **state)
{
    struct efx u;
    struct flow more[5];
    unsigned i;

    (void)state;
    efx_open(&u, false, true, false);
    for (i = 0; i < 5; i++) {
        more[i] = u.f;
        more[i].flow_id = 100 + i;
        assert_int_equal(app_http_data(u.x, &more[i], 0, (const uint8_t *)"GET", 3, 0, T0), 3);
    }
    assert_int_equal(more[4].app_state, UINT32_MAX); /* not followed, not retried */
    assert_int_equal(app_http_data(u.x, &more[4], 0, (const uint8_t *)"GET", 3, 0, T0), 3);
    assert_int_equal(app_http_ctx_counters(u.x)[HTTP_CTR_STATE_POOL_EMPTY], 1);
    assert_int_equal(app_http_ctx_counters(u.x)[HTTP_CTR_FLOWS], 4);
    for (i = 0; i < 5; i++) {
        app_http_flow_end(u.x, &more[i], T0);
        assert_int_equal(more[i].app_state, 0);
    }
    free(efx_close(&u));
}

/* Conversations whose records must not depend on how the bytes are cut. */
static const struct seg conv2[] = {
        TS("POST /up/data.bin HTTP/1.1\r\nHost: 192.0.2.1:8080\r\n"
           "User-Agent: python-requests/2.31\r\nTransfer-Encoding: chunked\r\n"
           "X-Folded: one\r\n  two\r\n\r\n4;x=y\r\nabcd\r\n0\r\nTrailer-A: b\r\n\r\n"),
        TC("HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\nSet-Cookie: a=1\r\n"
           "Set-Cookie: b=2\r\n\r\n5\r\nfirst\r\n6\r\nsecond\r\n0\r\n\r\n"),
};

static const struct seg conv3[] = {
        TS("GET /a HTTP/1.1\r\nHost: h\r\n\r\nHEAD /b HTTP/1.1\r\nHost: h\r\n\r\n"
           "GET /c HTTP/1.1\r\nHost: h\r\nIf-None-Match: x\r\n\r\n"),
        TC("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"
           "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
           "HTTP/1.1 304 Not Modified\r\n\r\n"),
        TS("GET /d HTTP/1.0\r\nUser-Agent: Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) "
           "WindowsPowerShell/5.1.19041.1\r\n\r\n"),
        TC("HTTP/1.0 404 Not Found\r\nContent-Type: text/plain\r\n\r\nnot here"),
};

static const struct seg conv4[] = {
        TS("POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 148\r\n"
           "Content-Type: multipart/form-data; boundary=b0\r\nExpect: 100-continue\r\n\r\n"),
        TC("HTTP/1.1 100 Continue\r\n\r\n"),
        TS("--b0\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.pcap\"\r\n\r\n"
           "0123456789abcdef\r\n--b0\r\nContent-Disposition: form-data; name=\"g\"\r\n\r\n"
           "v\r\n--b0--\r\n"),
        TC("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"),
};

static const struct seg conv5[] = {
        TS("GET /g HTTP/1.1\r\nHost: h\r\n\r\n"),
        TC("HTTP/1.1 200 OK\r\nContent-Length: 30\r\n\r\n0123456789"),
        {-2, NULL, 10},
        TC("0123456789"),
        TS("GET /h HTTP/1.1\r\nHost: h\r\n\r\n"),
        TC("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"),
};

static const struct seg conv6[] = {
        TS("CONNECT secure.example.org:443 HTTP/1.1\r\nHost: secure.example.org:443\r\n"
           "User-Agent: curl/7.88.1\r\nProxy-Connection: Keep-Alive\r\n\r\n"),
        TC("HTTP/1.1 200 Connection established\r\n\r\n"),
        TS("\x16\x03\x01\x00\x04\x01\x00\x00\x00"),
};

struct conv {
    const struct seg *sg;
    size_t n;
};

static const struct conv convs[] = {
        {conv1, NIDS_ARRAY_LEN(conv1)}, {conv2, NIDS_ARRAY_LEN(conv2)},
        {conv3, NIDS_ARRAY_LEN(conv3)}, {conv4, NIDS_ARRAY_LEN(conv4)},
        {conv5, NIDS_ARRAY_LEN(conv5)}, {conv6, NIDS_ARRAY_LEN(conv6)},
};

/* Same records in one piece, one byte at a time and in 7-byte pieces. */
static void
test_pieces(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < NIDS_ARRAY_LEN(convs); i++) {
        char *whole = run_conv(convs[i].sg, convs[i].n, 0, true, true, true);
        char *bytes = run_conv(convs[i].sg, convs[i].n, 1, true, true, true);
        char *sevens = run_conv(convs[i].sg, convs[i].n, 7, true, true, true);
        assert_true(strlen(whole) > 0);
        assert_string_equal(whole, bytes);
        assert_string_equal(whole, sevens);
        free(whole);
        free(bytes);
        free(sevens);
    }
}

/* What the conversations give (checked once; test_pieces keeps them stable). */
static void
test_conv_records(void **state)
{
    char *t;

    (void)state;
    t = run_conv(conv2, NIDS_ARRAY_LEN(conv2), 0, true, true, true);
    assert_non_null(strstr(t, "\"hostname\":\"192.0.2.1\",\"http_port\":8080,"));
    assert_non_null(strstr(t, "{\"name\":\"X-Folded\",\"value\":\"one two\"}"));
    assert_non_null(strstr(t, "{\"name\":\"Trailer-A\",\"value\":\"b\"}"));
    assert_non_null(strstr(t, "{\"name\":\"Set-Cookie\",\"value\":\"a=1, b=2\"}"));
    assert_non_null(strstr(t, "\"status\":201,\"length\":24"));
    assert_non_null(strstr(t, "\"filename\":\"/up/data.bin\",\"gaps\":false,\"state\":\"CLOSED\","
                              "\"stored\":false,\"size\":4,"));
    assert_non_null(strstr(t, "\"src_ip\":\"10.0.0.2\",\"src_port\":80,"));
    assert_non_null(strstr(t, "\"event\":\"REQUEST_CHUNK_EXTENSION\""));
    free(t);
    t = run_conv(conv3, NIDS_ARRAY_LEN(conv3), 0, true, true, false);
    assert_int_equal(eve_fx_count(t, "\"event_type\":\"http\""), 4);
    assert_non_null(strstr(t, "\"tx_id\":1,\"http\":{\"hostname\":\"h\",\"url\":\"/b\","
                              "\"http_method\":\"HEAD\",\"protocol\":\"HTTP/1.1\",\"status\":200,"
                              "\"length\":0}}"));
    assert_non_null(strstr(t, "\"tx_id\":3,\"http\":{\"url\":\"/d\",\"http_user_agent\":"
                              "\"Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) "
                              "WindowsPowerShell/5.1.19041.1\",\"http_content_type\":"
                              "\"text/plain\",\"http_method\":\"GET\",\"protocol\":\"HTTP/1.0\","
                              "\"status\":404,\"length\":8}}"));
    free(t);
    t = run_conv(conv4, NIDS_ARRAY_LEN(conv4), 0, true, true, false);
    assert_non_null(strstr(t, "\"filename\":\"x.pcap\",\"gaps\":false,\"state\":\"CLOSED\","
                              "\"stored\":false,\"size\":16,\"tx_id\":0}"));
    assert_int_equal(eve_fx_count(t, "\"event_type\":\"fileinfo\""), 2);
    free(t);
    t = run_conv(conv5, NIDS_ARRAY_LEN(conv5), 0, true, true, false);
    assert_non_null(strstr(t, "\"filename\":\"/g\",\"gaps\":true,\"state\":\"TRUNCATED\","
                              "\"stored\":false,\"size\":30,\"tx_id\":0}"));
    assert_non_null(strstr(t, "\"filename\":\"/h\",\"gaps\":false,\"state\":\"CLOSED\""));
    free(t);
    t = run_conv(conv6, NIDS_ARRAY_LEN(conv6), 0, true, true, false);
    assert_int_equal(eve_fx_count(t, "\"event_type\":\"http\""), 1);
    assert_non_null(strstr(t, "\"http_method\":\"CONNECT\",\"protocol\":\"HTTP/1.1\","
                              "\"status\":200,\"length\":0"));
    free(t);
}

/*
 * Truncation sweep: the request cut at every length then closed, with the
 * full response; then the full request and the response cut at every
 * length. Documented partial results: one http record always (an
 * unmatched response when no request byte came); method and URL once the
 * request line is whole; before the request has a version it is HTTP/0.9
 * and the response is all body; a response cut before "HTTP" is body;
 * the status once "HTTP/1.1 200" is there (a cut status such as "2" is
 * kept as status_string); the body as far as it came, the file CLOSED
 * (libhtp finishes a Content-Length body cut by the close).
 */
static void
test_truncation_sweep(void **state)
{
    static const char req[] = "GET /sweep.txt HTTP/1.1\r\nHost: sweep.example\r\n"
                              "User-Agent: sweep\r\n\r\n";
    static const char resp[] = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789";
    const size_t line = strlen("GET /sweep.txt HTTP/1.1");
    const size_t proto = strlen("GET /sweep.txt H");
    const size_t hdrs = strlen("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n");
    size_t l;

    (void)state;
    for (l = 0; l <= sizeof(req) - 1; l++) {
        struct seg sg[2] = {{0, req, l}, {1, resp, sizeof(resp) - 1}};
        struct efx u;
        char *t;
        efx_open(&u, true, true, false);
        efx_feed(&u, sg, 1, 0);
        app_http_data(u.x, &u.f, 0, NULL, 0, APP_FLAG_EOF, T0 + 10);
        efx_feed(&u, sg + 1, 1, 0);
        app_http_data(u.x, &u.f, 1, NULL, 0, APP_FLAG_EOF, T0 + 20);
        app_http_flow_end(u.x, &u.f, T0 + 30);
        t = efx_close(&u);
        assert_int_equal(eve_fx_count(t, "\"event_type\":\"http\""), 1);
        if (l == 0)
            assert_non_null(strstr(t, "\"url\":\"/libhtp::request_uri_not_seen\""));
        if (l >= line) {
            assert_non_null(strstr(t, "\"url\":\"/sweep.txt\","));
            assert_non_null(strstr(t, "\"http_method\":\"GET\",\"protocol\":\"HTTP/1.1\","));
        }
        if (l == 0 || l >= proto) {
            assert_non_null(strstr(t, "\"status\":200,\"length\":10}"));
        } else {
            /* no version yet: an HTTP/0.9 request, the response is all body */
            char buf[64];
            snprintf(buf, sizeof(buf), "\"length\":%zu}", sizeof(resp) - 1);
            assert_null(strstr(t, "\"status\""));
            assert_non_null(strstr(t, buf));
        }
        free(t);
    }
    for (l = 0; l <= sizeof(resp) - 1; l++) {
        struct seg sg[2] = {{0, req, sizeof(req) - 1}, {1, resp, l}};
        char buf[128];
        char *t = run_conv(sg, 2, 0, true, true, false);
        /* "H", "HT", "HTT" then the close: not a status line yet, so body (libhtp) */
        size_t body = l > hdrs ? l - hdrs : (l > 0 && l < 4 ? l : 0);
        assert_int_equal(eve_fx_count(t, "\"event_type\":\"http\""), 1);
        assert_non_null(strstr(t, "\"hostname\":\"sweep.example\",\"url\":\"/sweep.txt\""));
        if (l >= strlen("HTTP/1.1 200"))
            assert_non_null(strstr(t, "\"status\":200,"));
        else if (l >= strlen("HTTP/1.1 2"))
            assert_non_null(strstr(t, "\"status_string\":\""));
        else
            assert_null(strstr(t, "\"status"));
        snprintf(buf, sizeof(buf), "\"length\":%zu}", body);
        assert_non_null(strstr(t, buf));
        if (body > 0) {
            snprintf(buf, sizeof(buf), "\"state\":\"CLOSED\",\"stored\":false,\"size\":%zu,", body);
            assert_non_null(strstr(t, buf));
        } else {
            assert_null(strstr(t, "\"fileinfo\""));
        }
        free(t);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(test_get_basic, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_chunked, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_chunk_invalid, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_chunk_invalid_response, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_pipelining, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_100_continue, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_no_body_and_close, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_connect, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_connect_refused, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_http09, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_not09, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_headers, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_request_line, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_host_events, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_status_and_unmatched, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_line_limit, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_long_value, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_header_limit, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_tx_limit, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_gap_body, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_gap_headers, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_multipart, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_disposition_range, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_body_limit, pfx_setup, pfx_teardown),
            cmocka_unit_test(test_pools_empty),
            cmocka_unit_test_setup_teardown(test_release, pfx_setup, pfx_teardown),
            cmocka_unit_test(test_eve_http_record),
            cmocka_unit_test(test_eve_anomaly),
            cmocka_unit_test(test_eve_bytes),
            cmocka_unit_test(test_eve_connect),
            cmocka_unit_test(test_eve_flow_end),
            cmocka_unit_test(test_state_pool),
            cmocka_unit_test(test_pieces),
            cmocka_unit_test(test_conv_records),
            cmocka_unit_test(test_truncation_sweep),
    };

    setenv("TZ", "UTC", 1);
    tzset();
    return cmocka_run_group_tests_name("http", tests, NULL, NULL);
}
