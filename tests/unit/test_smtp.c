/*
 * test_smtp.c - unit tests for decoders/app_smtp.c (the SMTP parser),
 * sensor/app_smtp.c (per-flow states, hashes, record order) and
 * sensor/out_eve_smtp.c (the `smtp`, `fileinfo` and applayer `anomaly`
 * records).
 *
 * Conversations are byte strings per direction; every piece handed over
 * is an exact-size heap copy, so ASan sees any read past it. The EVE text
 * of a conversation must be the same fed in one piece and one byte per
 * call; every prefix of the client side, then EOF, is parsed with the
 * pools given back. Expected values follow Suricata 8.0.7 (comments in
 * decoders/app_smtp.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../decoders/app_smtp.c"
#include "../../sensor/out_eve_smtp.c"
#include "../../sensor/app_smtp.c"
#include "eve_fixture.h"

/* ---- parser fixture ------------------------------------------------------ */

struct pfx {
    struct smtp_mem m;
    struct smtp_parse_cfg cfg;
    struct smtp_conn c;
    struct smtp_hooks h;
    void *block;
    uint8_t file[8192]; /* content of the files, concatenated */
    size_t file_len;
};

static void
pfx_file_data(void *ctx, struct smtp_conn *c, struct smtp_tx *tx, struct smtp_file *f,
              const uint8_t *p, uint32_t n)
{
    struct pfx *x = ctx;

    (void)c;
    (void)tx;
    (void)f;
    assert_true(x->file_len + n <= sizeof(x->file));
    memcpy(x->file + x->file_len, p, n);
    x->file_len += n;
}

static struct pfx *
pfx_new(uint32_t chunks, uint32_t txs, uint32_t mimes)
{
    struct pfx *p = calloc(1, sizeof(*p));

    assert_non_null(p);
    p->block = malloc(smtp_mem_size(chunks, txs, mimes));
    assert_non_null(p->block);
    smtp_mem_init(&p->m, p->block, chunks, txs, mimes);
    smtp_parse_cfg_defaults(&p->cfg);
    p->h.ctx = p;
    p->h.file_data = pfx_file_data;
    smtp_conn_init(&p->c, &p->m, &p->cfg, &p->h);
    return p;
}

static void
pfx_free(struct pfx *p)
{
    smtp_conn_fini(&p->c);
    assert_int_equal(p->m.tx_used, 0);
    assert_int_equal(p->m.chunk_used, 0);
    assert_int_equal(p->m.mime_used, 0);
    free(p->block);
    free(p);
}

static int
pfx_setup(void **state)
{
    *state = pfx_new(64, 16, 2);
    return 0;
}

static int
pfx_teardown(void **state)
{
    pfx_free(*state);
    return 0;
}

/* Feed n bytes of s in pieces of `piece` (0: one piece); returns the bytes consumed. */
static uint32_t
feed(struct smtp_conn *c, int dir, const char *s, size_t n, size_t piece)
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
        r = smtp_parse(c, dir, cp, (uint32_t)k, 0);
        free(cp);
        used += r.consumed;
        if (r.consumed < k)
            return used;
        o += k;
    }
    return used;
}

#define CS(p, lit) feed(&(p)->c, APP_DIR_TOSERVER, lit, sizeof(lit) - 1, 0)
#define SC(p, lit) feed(&(p)->c, APP_DIR_TOCLIENT, lit, sizeof(lit) - 1, 0)

static struct smtp_tx *
tx_n(struct smtp_conn *c, unsigned n)
{
    struct smtp_tx *tx = smtp_conn_tx_first(c);

    while (tx != NULL && n-- > 0)
        tx = smtp_conn_tx_next(c, tx);
    assert_non_null(tx);
    return tx;
}

static void
assert_str(struct smtp_str s, const char *want)
{
    if (want == NULL) {
        assert_null(s.ptr);
        return;
    }
    assert_non_null(s.ptr);
    if (s.len != strlen(want) || memcmp(s.ptr, want, s.len) != 0) {
        print_error("got [%.*s] want [%s]\n", (int)s.len, (const char *)s.ptr, want);
        fail();
    }
}

static unsigned
count_event(const struct smtp_tx *tx, enum smtp_event ev)
{
    unsigned i, n = 0;

    for (i = 0; i < tx->n_events; i++)
        n += tx->events[i] == ev;
    return n;
}

/* ---- parser tests -------------------------------------------------------- */

/* One message: envelope, headers, a file with dot-stuffed lines, completion on the reply. */
static void
test_basic(void **state)
{
    struct pfx *p = *state;
    struct smtp_tx *tx;

    SC(p, "220 mx.example ESMTP\r\n");
    CS(p, "EHLO client.example\r\n");
    SC(p, "250-mx.example\r\n250 SIZE 100\r\n");
    CS(p, "MAIL FROM:<a@example.com> SIZE=100\r\n");
    SC(p, "250 ok\r\n");
    CS(p, "RCPT TO:<b@example.com>\r\n");
    SC(p, "250 ok\r\n");
    CS(p, "RCPT TO: <c@example.com>\r\n");
    SC(p, "250 ok\r\n");
    CS(p, "DATA\r\n");
    SC(p, "354 go\r\n");
    CS(p, "From: A <a@example.com>\r\nTo: b@example.com\r\n"
          "Content-Disposition: attachment; filename=dots.txt\r\n\r\n"
          "..first\r\nsecond\r\n...\r\n.\r\n");
    tx = tx_n(&p->c, 0);
    assert_true(tx->flags & SMTP_TXF_MSG_DONE);
    assert_false(smtp_tx_is_complete(tx));
    SC(p, "250 queued\r\n");
    assert_true(smtp_tx_is_complete(tx));
    assert_str(smtp_conn_helo(&p->c), "client.example");
    assert_str(tx->mail_from, "<a@example.com>");
    assert_int_equal(tx->rcpt.count, 2);
    assert_str(tx->rcpt.head->s, "<b@example.com>");
    assert_str(tx->rcpt.tail->s, "<c@example.com>");
    assert_str(smtp_tx_header(tx, "FROM")->value, "A <a@example.com>");
    assert_int_equal(tx->n_files, 1);
    assert_str(tx->files[0].name, "dots.txt");
    assert_int_equal(tx->files[0].state, SMTP_FILE_CLOSED);
    /* dot-unstuffed; the last CRLF is not part of the file */
    assert_int_equal(p->file_len, 18);
    assert_memory_equal(p->file, ".first\r\nsecond\r\n..", 18);
    assert_int_equal(tx->files[0].size, 18);
    assert_int_equal(tx->n_events, 0);
    /* QUIT after the completed transaction opens none */
    CS(p, "QUIT\r\n");
    SC(p, "221 bye\r\n");
    assert_int_equal(p->c.n_live, 1);
    assert_int_equal(p->m.ctr[SMTP_CTR_TX], 1);
}

/* Pipelining (RFC 2920): replies matched in order, DATA enters data mode at once. */
static void
test_pipelining(void **state)
{
    struct pfx *p = *state;
    struct smtp_tx *tx;

    SC(p, "220 mx\r\n");
    CS(p, "EHLO c\r\n");
    SC(p, "250-mx\r\n250-PIPELINING\r\n250 8BITMIME\r\n");
    assert_true(p->c.flags & SMTP_CONN_PIPELINING);
    CS(p, "MAIL FROM:<a@x>\r\nRCPT TO:<b@x>\r\nRCPT TO:<bad@x>\r\nDATA\r\n");
    assert_int_equal(p->c.mode, SMTP_MODE_DATA);
    CS(p, "Subject: p\r\n\r\nbody\r\n.\r\nMAIL FROM:<z@x>\r\n");
    /* the first message ended: the next MAIL FROM opened a second transaction */
    assert_int_equal(p->c.n_live, 2);
    SC(p, "250 ok\r\n250 ok\r\n550 no\r\n354 go\r\n250 queued\r\n");
    tx = tx_n(&p->c, 0);
    assert_true(smtp_tx_is_complete(tx));
    assert_int_equal(tx->rcpt.count, 2);
    /* "." was queued behind DATA before its 354 (Suricata's check) */
    assert_int_equal(count_event(tx, SMTP_EV_INVALID_PIPELINED_SEQUENCE), 1);
    assert_str(tx_n(&p->c, 1)->mail_from, "<z@x>");
    assert_false(smtp_tx_is_complete(tx_n(&p->c, 1)));
}

/* RSET ends a transaction on its 250; a repeated EHLO resets an envelope once accepted. */
static void
test_resets(void **state)
{
    struct pfx *p = *state;

    SC(p, "220 mx\r\n");
    CS(p, "HELO one\r\nMAIL FROM:<a@x>\r\nRSET\r\n");
    SC(p, "250 a\r\n250 b\r\n");
    assert_false(smtp_tx_is_complete(tx_n(&p->c, 0)));
    SC(p, "250 reset\r\n");
    assert_true(smtp_tx_is_complete(tx_n(&p->c, 0)));
    CS(p, "MAIL FROM:<b@x>\r\nEHLO two\r\n");
    SC(p, "250 ok\r\n501 bad\r\n");
    /* rejected: the envelope stays */
    assert_false(smtp_tx_is_complete(tx_n(&p->c, 1)));
    CS(p, "EHLO three\r\n");
    SC(p, "250-mx\r\n250 OK\r\n");
    assert_true(smtp_tx_is_complete(tx_n(&p->c, 1)));
    assert_int_equal(count_event(tx_n(&p->c, 1), SMTP_EV_DUPLICATE_FIELDS), 2);
    assert_str(smtp_conn_helo(&p->c), "one");
    /* RSET after the end belongs to the ended transaction: no new one */
    CS(p, "RSET\r\n");
    SC(p, "250 ok\r\n");
    assert_int_equal(p->m.ctr[SMTP_CTR_TX], 2);
}

/* BDAT (RFC 3030): octet-counted chunks, LAST completes on its reply, bad syntax is an event. */
static void
test_bdat(void **state)
{
    struct pfx *p = *state;
    uint64_t size;
    bool last;

    assert_true(smtp_bdat_parse((const uint8_t *)" 12 LAST", 8, false, &size, &last));
    assert_true(size == 12 && last);
    assert_true(smtp_bdat_parse((const uint8_t *)"  0", 3, false, &size, &last));
    assert_true(size == 0 && !last);
    assert_false(smtp_bdat_parse((const uint8_t *)" 5 X", 4, false, &size, &last));
    assert_false(smtp_bdat_parse((const uint8_t *)" x", 2, false, &size, &last));
    assert_false(smtp_bdat_parse((const uint8_t *)"", 0, false, &size, &last));
    assert_false(smtp_bdat_parse((const uint8_t *)" 99999999999999999999999", 24, false, &size,
                                 &last));

    SC(p, "220 mx\r\n");
    CS(p, "EHLO c\r\nMAIL FROM:<a@x>\r\nRCPT TO:<b@x>\r\nBDAT 5 X\r\n");
    SC(p, "250 a\r\n250 b\r\n250 c\r\n501 syntax\r\n");
    assert_int_equal(count_event(tx_n(&p->c, 0), SMTP_EV_INVALID_BDAT), 1);
    /* the chunk holds "\r\n.\r\n" and a fake command: all octets, no end of data */
    CS(p, "BDAT 21\r\nSubject: b\r\n.\r\nRSET\r\nBDAT 4 LAST\r\nxy\r\n");
    assert_int_equal(p->c.mode, SMTP_MODE_CMD);
    assert_true(tx_n(&p->c, 0)->flags & SMTP_TXF_MSG_DONE);
    CS(p, "MAIL FROM:<next@x>\r\n");
    SC(p, "250 chunk\r\n250 done\r\n250 ok\r\n");
    assert_true(smtp_tx_is_complete(tx_n(&p->c, 0)));
    assert_str(smtp_tx_header(tx_n(&p->c, 0), "subject")->value, "b");
    assert_str(tx_n(&p->c, 1)->mail_from, "<next@x>");
    /* BDAT 0 LAST: the message ends without content */
    CS(p, "RCPT TO:<c@x>\r\nBDAT 0 LAST\r\n");
    SC(p, "250 ok\r\n250 done\r\n");
    assert_true(smtp_tx_is_complete(tx_n(&p->c, 1)));
}

/* STARTTLS: the 220 ends parsing; the bytes after it are handed back. */
static void
test_starttls(void **state)
{
    struct pfx *p = *state;
    static const char tls[] = "220 go ahead\r\n\x16\x03\x01\x00\x05hello";
    uint32_t used;

    SC(p, "220 mx\r\n");
    CS(p, "EHLO c\r\nSTARTTLS\r\n");
    SC(p, "250 mx\r\n");
    used = SC(p, tls);
    assert_int_equal(used, 14);
    assert_true(p->c.flags & SMTP_CONN_TLS);
    assert_true(smtp_tx_is_complete(tx_n(&p->c, 0)));
    assert_int_equal(p->m.ctr[SMTP_CTR_STARTTLS], 1);
    /* nothing more is parsed */
    CS(p, "MAIL FROM:<a@x>\r\n");
    assert_int_equal(p->c.n_live, 1);
    assert_null(tx_n(&p->c, 0)->mail_from.ptr);
}

/* AUTH: the mechanism is noted, the SASL answers are skipped, never kept. */
static void
test_auth(void **state)
{
    struct pfx *p = *state;
    size_t i;

    SC(p, "220 mx\r\n");
    CS(p, "EHLO c\r\nAUTH LOGIN\r\n");
    SC(p, "250 mx\r\n334 VXNlcm5hbWU6\r\n");
    assert_int_equal(p->c.mode, SMTP_MODE_SASL);
    /* a credential that looks like a command must not be one */
    CS(p, "data\r\n");
    SC(p, "334 UGFzc3dvcmQ6\r\n");
    CS(p, "c2VjcmV0LXBhc3N3b3Jk\r\n");
    SC(p, "235 ok\r\n");
    assert_int_equal(p->c.mode, SMTP_MODE_CMD);
    assert_int_equal(p->c.auth_len, 5);
    assert_memory_equal(p->c.auth_mech, "LOGIN", 5);
    assert_int_equal(p->m.ctr[SMTP_CTR_SASL_LINES], 2);
    assert_false(tx_n(&p->c, 0)->flags & SMTP_TXF_DATA);
    /* the password is nowhere in the pools or the connection */
    for (i = 0; i + 8 <= (size_t)p->m.n_chunks * SMTP_CHUNK; i++)
        assert_false(memcmp(p->m.chunks + i, "c2VjcmV0", 8) == 0);
    assert_null(memmem(&p->c, sizeof(p->c), "c2VjcmV0", 8));
}

/* Lines are cut at SMTP_LINE_MAX bytes (the value keeps its CR, as Suricata's). */
static void
test_line_limit(void **state)
{
    struct pfx *p = *state;
    char *line = malloc(SMTP_LINE_MAX + 16);
    struct smtp_tx *tx;

    assert_non_null(line);
    memcpy(line, "EHLO ", 5);
    memset(line + 5, 'A', SMTP_LINE_MAX - 6);
    memcpy(line + SMTP_LINE_MAX - 1, "\r\nNOOP\r\n", 8);
    SC(p, "220 mx\r\n");
    feed(&p->c, APP_DIR_TOSERVER, line, SMTP_LINE_MAX + 7, 0);
    tx = tx_n(&p->c, 0);
    assert_int_equal(count_event(tx, SMTP_EV_TRUNCATED_LINE), 1);
    assert_int_equal(p->m.ctr[SMTP_CTR_LINE_LIMIT], 1);
    assert_int_equal(smtp_conn_helo(&p->c).len, SMTP_LINE_MAX - 5);
    assert_int_equal(smtp_conn_helo(&p->c).ptr[SMTP_LINE_MAX - 6], '\r');
    /* the rest of the line (LF) is skipped, the next command is read */
    assert_int_equal(p->c.q_len, 2);
    free(line);
}

/* Transactions per connection (max-tx): parsing stops, counted. */
static void
test_tx_limit(void **state)
{
    struct pfx *p = *state;
    unsigned i;

    p->cfg.max_tx = 2;
    SC(p, "220 mx\r\n");
    for (i = 0; i < 3; i++) {
        CS(p, "MAIL FROM:<a@x>\r\nRSET\r\n");
        SC(p, "250 ok\r\n250 ok\r\n");
    }
    assert_int_equal(p->m.ctr[SMTP_CTR_TX], 2);
    assert_int_equal(p->m.ctr[SMTP_CTR_TX_LIMIT], 1);
    assert_int_equal(p->m.ctr[SMTP_CTR_ERR_PARSER], 1);
    assert_true(p->c.flags & SMTP_CONN_ERROR);
}

/* Recipients kept per transaction, and the command queue (runs share an entry). */
static void
test_rcpt_and_queue_limits(void **state)
{
    struct pfx *p = *state;
    unsigned i;

    p->cfg.max_rcpt = 3;
    SC(p, "220 mx\r\n");
    CS(p, "MAIL FROM:<a@x>\r\n");
    for (i = 0; i < 5; i++)
        CS(p, "RCPT TO:<r@x>\r\n");
    assert_int_equal(tx_n(&p->c, 0)->rcpt.count, 3);
    assert_int_equal(p->m.ctr[SMTP_CTR_RCPT_LIMIT], 2);
    /* six ordinary commands, one entry */
    assert_int_equal(p->c.q_len, 1);
    for (i = 0; i < SMTP_CMDQ + 2; i++)
        CS(p, "RSET\r\n");
    assert_int_equal(p->c.q_len, SMTP_CMDQ);
    assert_int_equal(p->m.ctr[SMTP_CTR_CMDQ_FULL], 3);
}

/* A gap ends parsing (Suricata takes none); the open file is truncated. */
static void
test_gap(void **state)
{
    struct pfx *p = *state;
    struct app_res r;

    SC(p, "220 mx\r\n");
    CS(p, "MAIL FROM:<a@x>\r\nRCPT TO:<b@x>\r\nDATA\r\n");
    SC(p, "250 a\r\n250 b\r\n354 go\r\n");
    CS(p, "Content-Disposition: attachment; filename=g.bin\r\n\r\nabc\r\n");
    r = smtp_parse(&p->c, APP_DIR_TOSERVER, NULL, 100, APP_FLAG_GAP);
    assert_int_equal(r.status, APP_ERROR);
    assert_int_equal(p->m.ctr[SMTP_CTR_ERR_GAP], 1);
    assert_int_equal(tx_n(&p->c, 0)->files[0].state, SMTP_FILE_TRUNCATED);
    assert_true(smtp_tx_is_complete(tx_n(&p->c, 0)));
}

/* Replies: unknown codes are events (and skipped), multi-line greetings, bare LF. */
static void
test_replies(void **state)
{
    struct pfx *p = *state;

    /* EHLO before the greeting: the greeting answers it (Suricata matches in order), so
     * the 250 that follows is taken for a greeting that is not 220 */
    CS(p, "EHLO early\r\n");
    SC(p, "220-mx\n220 mx\r\n");
    SC(p, "250 ok\r\nXYZ nonsense\r\n");
    assert_int_equal(count_event(tx_n(&p->c, 0), SMTP_EV_NO_SERVER_WELCOME_MESSAGE), 1);
    assert_int_equal(count_event(tx_n(&p->c, 0), SMTP_EV_INVALID_REPLY), 2);
    CS(p, "DATA\r\n");
    SC(p, "554 no valid recipients\r\n");
    CS(p, "DATA\r\n");
    assert_int_equal(count_event(tx_n(&p->c, 0), SMTP_EV_DATA_COMMAND_REJECTED), 1);
    assert_int_equal(count_event(tx_n(&p->c, 0), SMTP_EV_UNPARSABLE_CONTENT), 1);
}

/* The parser's state after a conversation fed in pieces equals the one-piece state. */
static const char conv_ts[] = "EHLO c.example\r\nMAIL FROM:<a@x>\r\nRCPT TO:<b@x>\r\nDATA\r\n"
                              "From: a@x\r\nContent-Type: multipart/mixed; boundary=\"BB\"\r\n\r\n"
                              "--BB\r\nContent-Disposition: attachment; filename=f.txt\r\n"
                              "Content-Transfer-Encoding: base64\r\n\r\naGVsbG8K\r\n--BB--\r\n.\r\n"
                              "RSET\r\nQUIT\r\n";
static const char conv_tc[] = "220 mx\r\n250 ok\r\n250 ok\r\n250 ok\r\n354 go\r\n250 queued\r\n"
                              "250 ok\r\n221 bye\r\n";

static void
test_truncation_sweep(void **state)
{
    size_t n;

    (void)state;
    for (n = 0; n <= sizeof(conv_ts) - 1; n++) {
        struct pfx *p = pfx_new(64, 16, 2);
        feed(&p->c, APP_DIR_TOCLIENT, conv_tc, 8, 0);
        feed(&p->c, APP_DIR_TOSERVER, conv_ts, n, n % 5 + 1);
        smtp_parse(&p->c, APP_DIR_TOSERVER, NULL, 0, APP_FLAG_EOF);
        feed(&p->c, APP_DIR_TOCLIENT, conv_tc + 8, sizeof(conv_tc) - 9, 0);
        smtp_parse(&p->c, APP_DIR_TOCLIENT, NULL, 0, APP_FLAG_EOF);
        /* both ends seen: every transaction ended */
        if (p->c.n_live > 0)
            assert_true(smtp_tx_is_complete(tx_n(&p->c, 0)));
        /* the file is complete only once its delimiter was read */
        if (n < 200 && p->c.n_live > 0 && tx_n(&p->c, 0)->n_files > 0)
            assert_int_not_equal(tx_n(&p->c, 0)->files[0].state, SMTP_FILE_OPEN);
        pfx_free(p);
    }
}

/* ---- EVE fixture ------------------------------------------------------------ */

struct efx {
    struct eve_fx fx;
    struct app_smtp_ctx *x;
    struct flow f;
    uint64_t ctr[STAT_ID_COUNT];
};

static void
efx_open(struct efx *u, bool charsets)
{
    struct app_smtp_cfg cfg;
    struct eve_output *o;

    memset(u, 0, sizeof(*u));
    assert_int_equal(eve_fx_open(&u->fx, "test_smtp", EVE_TYPE_SMTP, 0), 0);
    o = &u->fx.e.out[0];
    o->types[EVE_TYPE_FILES] = true;
    o->files.md5 = o->files.sha1 = o->files.sha256 = true;
    o->smtp.custom = eve_email_field_bit("date") | eve_email_field_bit("received");
    o->smtp.extended = true;
    o->smtp.md5_subject = true;
    app_smtp_cfg_defaults(&cfg);
    cfg.charsets = charsets;
    cfg.flows = 2;
    cfg.tx_pool = 8;
    cfg.chunks = 64;
    cfg.mimes = 2;
    u->x = app_smtp_ctx_create(&cfg, &u->fx.e, u->ctr);
    assert_non_null(u->x);
    u->f.key.ip_ver = 4;
    u->f.key.proto = 6;
    memcpy(u->f.key.src, (const uint8_t[]){10, 0, 0, 1}, 4);
    memcpy(u->f.key.dst, (const uint8_t[]){10, 0, 0, 2}, 4);
    u->f.key.sp = 40000;
    u->f.key.dp = 25;
    u->f.flow_id = 99;
    u->f.app_proto = APP_PROTO_SMTP;
}

/* Close the context and return the EVE text (heap, caller frees). */
static char *
efx_close(struct efx *u)
{
    char *text;

    app_smtp_ctx_destroy(u->x);
    text = eve_fx_read_all(&u->fx);
    eve_fx_close(&u->fx);
    return text;
}

#define T0 1704164645000000ull

/* Run the conversation (client then server pieces, alternating), then the flow end. */
static char *
run_conv(const char *const *segs, size_t nseg, size_t piece, bool charsets)
{
    struct efx u;
    size_t i, o;

    efx_open(&u, charsets);
    for (i = 0; i < nseg; i++) {
        int dir = (int)(i & 1) ? APP_DIR_TOCLIENT : APP_DIR_TOSERVER;
        size_t n = strlen(segs[i]);
        for (o = 0; o < n && u.f.app_proto == APP_PROTO_SMTP;) {
            size_t k = piece == 0 || n - o < piece ? n - o : piece;
            uint8_t *cp = malloc(k);
            uint32_t used;
            assert_non_null(cp);
            memcpy(cp, segs[i] + o, k);
            used = app_smtp_data(u.x, &u.f, dir, cp, (uint32_t)k, 0, NULL, T0 + i * 1000);
            free(cp);
            o += used;
            if (used < k)
                break;
        }
    }
    app_smtp_flow_end(u.x, &u.f, T0 + 1000000);
    assert_int_equal(u.f.app_state, 0);
    {
        const struct smtp_mem *m = app_smtp_ctx_mem(u.x);
        assert_int_equal(m->tx_used, 0);
        assert_int_equal(m->chunk_used, 0);
        assert_int_equal(m->mime_used, 0);
    }
    return efx_close(&u);
}

/* The segments alternate client, server, client, ... */
static const char *const conv_mail[] = {
        "",
        "220 mx.example ESMTP\r\n",
        "EHLO client.example\r\n",
        "250-mx.example\r\n250 8BITMIME\r\n",
        "MAIL FROM:<alice@example.com>\r\n",
        "250 ok\r\n",
        "RCPT TO:<bob@example.com>\r\n",
        "250 ok\r\n",
        "DATA\r\n",
        "354 go\r\n",
        "Received: from a by b\r\nReceived: from c by d\r\nDate: Mon, 1 Jan 2024 00:00:00 +0000\r\n"
        "From: Mallory <alice@example.com>\r\nTo: bob@example.com, carol@example.com\r\n"
        "Subject: invoice\r\nMessage-ID: <m1@example.com>\r\n"
        "Content-Type: multipart/mixed; boundary=\"XYZ\"\r\n\r\n"
        "--XYZ\r\nContent-Type: text/plain\r\n\r\nsee http://example.com/x\r\n"
        "--XYZ\r\nContent-Type: application/octet-stream;\r\n"
        " name=\"=?Shift_JIS?B?g2WDWINnLmV4ZQ==?=\"\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\naGVsbG8K\r\n--XYZ--\r\n.\r\n",
        "250 queued\r\n",
        "QUIT\r\n",
        "221 bye\r\n",
};

static void
test_eve_records(void **state)
{
    char *t;

    (void)state;
    t = run_conv(conv_mail, sizeof(conv_mail) / sizeof(conv_mail[0]), 0, true);
    /* smtp record: envelope, email (from, to split as Suricata, status, attachment, url) */
    assert_non_null(strstr(t, "\"event_type\":\"smtp\""));
    assert_non_null(strstr(t, "\"tx_id\":0,\"smtp\":{\"helo\":\"client.example\","
                              "\"mail_from\":\"<alice@example.com>\","
                              "\"rcpt_to\":[\"<bob@example.com>\"]},"));
    assert_non_null(strstr(t, "\"email\":{\"from\":\"Mallory <alice@example.com>\","
                              "\"to\":[\"bob@example.com\",\" carol@example.com\"],"
                              "\"status\":\"PARSE_DONE\","
                              "\"attachment\":[\"\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88.exe\"],"
                              "\"url\":[\"example.com/x\"],"));
    /* extended and custom fields in Suricata's table order, then subject_md5 */
    assert_non_null(strstr(t, "\"message_id\":\"<m1@example.com>\",\"subject\":\"invoice\","
                              "\"received\":[\"from a by b\",\"from c by d\"],"
                              "\"date\":\"Mon, 1 Jan 2024 00:00:00 +0000\","
                              "\"subject_md5\":\"e5f96ae00443877315fbb64fd3d90005\"}"));
    /* fileinfo: decoded name, hashes of "hello\n" */
    assert_non_null(strstr(t, "\"app_proto\":\"smtp\",\"fileinfo\":{\"filename\":"
                              "\"\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88.exe\",\"gaps\":false,"
                              "\"state\":\"CLOSED\","
                              "\"md5\":\"b1946ac92492d2347c6235b4d2611184\","
                              "\"sha1\":\"f572d396fae9206628714fb2ce00f72e94f2258f\","
                              "\"sha256\":\"5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03\","
                              "\"stored\":false,\"size\":6,\"tx_id\":0}"));
    /* one transaction: the QUIT after it opened none */
    assert_null(strstr(t, "\"tx_id\":1"));
    free(t);
}

/* The same records fed one byte per call and in pieces of 7. */
static void
test_eve_pieces(void **state)
{
    char *a, *b, *c;

    (void)state;
    a = run_conv(conv_mail, sizeof(conv_mail) / sizeof(conv_mail[0]), 0, false);
    b = run_conv(conv_mail, sizeof(conv_mail) / sizeof(conv_mail[0]), 1, false);
    c = run_conv(conv_mail, sizeof(conv_mail) / sizeof(conv_mail[0]), 7, false);
    assert_string_equal(a, b);
    assert_string_equal(a, c);
    /* without charsets the Shift_JIS bytes stay, escaped */
    assert_non_null(strstr(a, "\"attachment\":[\"\\\\x83e\\\\x83X\\\\x83g.exe\"]"));
    free(a);
    free(b);
    free(c);
}

/* STARTTLS through the glue: the flow becomes TLS, the record is written at once. */
static void
test_eve_starttls(void **state)
{
    static const char *const conv[] = {"", "220 mx\r\n", "EHLO c\r\nSTARTTLS\r\n",
                                       "250 mx\r\n220 go\r\n\x16\x03\x01"};
    char *t;

    (void)state;
    t = run_conv(conv, 4, 0, false);
    assert_non_null(strstr(t, "\"smtp\":{\"helo\":\"c\"}}"));
    assert_null(strstr(t, "\"email\""));
    free(t);
}

/* Anomalies carry Suricata's names and the transaction id. */
static void
test_eve_anomaly(void **state)
{
    static const char *const conv[] = {"", "220 mx\r\n", "HELO a\r\nMAIL FROM:<x@y>\r\nHELO b\r\n",
                                       "250 a\r\n250 b\r\n250 c\r\n", "MAIL FROM:<z@y>\r\n",
                                       "250 ok\r\n"};
    char *t;

    (void)state;
    t = run_conv(conv, 6, 0, false);
    assert_non_null(strstr(t, "\"event_type\":\"anomaly\""));
    assert_non_null(strstr(t, "\"tx_id\":0,\"anomaly\":{\"app_proto\":\"smtp\",\"type\":"
                              "\"applayer\",\"event\":\"DUPLICATE_FIELDS\",\"layer\":"
                              "\"proto_parser\"}"));
    /* the accepted second HELO reset the envelope: two transactions */
    assert_non_null(strstr(t, "\"tx_id\":1,\"smtp\":{\"helo\":\"a\",\"mail_from\":\"<z@y>\"}"));
    free(t);
}

/* The state pool: a flow that finds it empty is not followed (counted). */
static void
test_state_pool(void **state)
{
    struct efx u;
    struct flow g;

    (void)state;
    efx_open(&u, false);
    g = u.f; /* app_state 0: a flow of its own */
    g.flow_id = 100;
    assert_int_equal(app_smtp_data(u.x, &u.f, 0, (const uint8_t *)"EHLO a\r\n", 8, 0, NULL, T0),
                     8);
    assert_int_equal(app_smtp_data(u.x, &g, 0, (const uint8_t *)"EHLO b\r\n", 8, 0, NULL, T0),
                     8);
    {
        struct flow h = g;
        h.flow_id = 101;
        h.app_state = 0;
        assert_int_equal(app_smtp_data(u.x, &h, 0, (const uint8_t *)"EHLO c\r\n", 8, 0, NULL, T0),
                         8);
        assert_int_equal(h.app_state, APP_STATE_UNFOLLOWED);
        assert_int_equal(app_smtp_ctx_counters(u.x)[SMTP_CTR_STATE_POOL_EMPTY], 1);
        app_smtp_flow_end(u.x, &h, T0);
        assert_int_equal(h.app_state, 0);
    }
    /* mirrored into the worker's counters */
    assert_int_equal(u.ctr[STAT_SMTP_STATE_POOL_EMPTY], 1);
    assert_int_equal(u.ctr[STAT_APP_LAYER_FLOW_SMTP], 2);
    app_smtp_flow_end(u.x, &u.f, T0);
    app_smtp_flow_end(u.x, &g, T0);
    free(efx_close(&u));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(test_basic, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_pipelining, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_resets, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_bdat, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_starttls, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_auth, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_line_limit, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_tx_limit, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_rcpt_and_queue_limits, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_gap, pfx_setup, pfx_teardown),
            cmocka_unit_test_setup_teardown(test_replies, pfx_setup, pfx_teardown),
            cmocka_unit_test(test_truncation_sweep),
            cmocka_unit_test(test_eve_records),
            cmocka_unit_test(test_eve_pieces),
            cmocka_unit_test(test_eve_starttls),
            cmocka_unit_test(test_eve_anomaly),
            cmocka_unit_test(test_state_pool),
    };

    return cmocka_run_group_tests_name("smtp", tests, NULL, NULL);
}
