/*
 * sig_buf_smtp.c - SMTP inspection buffers over a transaction of the
 * SMTP parser (decoders/app_smtp.h) and its connection, named as
 * Suricata's:
 *
 *   smtp.helo  smtp.mail_from  smtp.rcpt_to (one buffer per recipient)
 *   email.from  email.to  email.cc  email.subject  email.date
 *   email.message_id  email.x_mailer  (top-level message header values)
 *   file.name  (one buffer per attachment, decoded name)
 *
 * A transaction is inspected once, when it is complete (the message
 * ended, or the flow did): the signature engine's hook is
 * sig_smtp_tx(), which the SMTP glue calls through app_smtp_set_detect().
 */
#include "sig_int.h"

#include "app.h"
#include "../decoders/app_smtp.h"


static bool
sig_smtp_str(struct smtp_str s, struct sig_bytes *out)
{
    if (s.ptr == NULL)
        return false;
    out->p = s.ptr;
    out->len = s.len;
    return true;
}

static bool
sig_smtp_helo(struct sig_thread *t, const struct sig_txv *v, int dir, uint32_t idx,
              struct sig_bytes *out)
{
    const struct sig_smtp_view *sv = v->tx;

    (void)t;
    (void)dir;
    return idx == 0 && sv->c != NULL && sig_smtp_str(smtp_conn_helo(sv->c), out);
}

static bool
sig_smtp_mail_from(struct sig_thread *t, const struct sig_txv *v, int dir, uint32_t idx,
                   struct sig_bytes *out)
{
    const struct sig_smtp_view *sv = v->tx;

    (void)t;
    (void)dir;
    return idx == 0 && sig_smtp_str(sv->tx->mail_from, out);
}

static bool
sig_smtp_rcpt_to(struct sig_thread *t, const struct sig_txv *v, int dir, uint32_t idx,
                 struct sig_bytes *out)
{
    const struct sig_smtp_view *sv = v->tx;
    const struct smtp_strnode *n = sv->tx->rcpt.head;
    uint32_t k = 0;

    (void)t;
    (void)dir;
    for (; n != NULL; n = n->next)
        if (k++ == idx)
            return sig_smtp_str(n->s, out);
    return false;
}

#define SIG_SMTP_HDR_GETTER(fn, hname)                                                             \
    static bool fn(struct sig_thread *t, const struct sig_txv *v, int dir, uint32_t idx,           \
                   struct sig_bytes *out)                                                          \
    {                                                                                              \
        const struct sig_smtp_view *sv = v->tx;                                                    \
        const struct smtp_hdr *h;                                                                  \
        (void)t;                                                                                   \
        (void)dir;                                                                                 \
        if (idx != 0 || (h = smtp_tx_header(sv->tx, hname)) == NULL)                               \
            return false;                                                                          \
        return sig_smtp_str(h->value, out);                                                        \
    }

SIG_SMTP_HDR_GETTER(sig_email_from, "from")
SIG_SMTP_HDR_GETTER(sig_email_to, "to")
SIG_SMTP_HDR_GETTER(sig_email_cc, "cc")
SIG_SMTP_HDR_GETTER(sig_email_subject, "subject")
SIG_SMTP_HDR_GETTER(sig_email_date, "date")
SIG_SMTP_HDR_GETTER(sig_email_message_id, "message-id")
SIG_SMTP_HDR_GETTER(sig_email_x_mailer, "x-mailer")

static bool
sig_smtp_file_name(struct sig_thread *t, const struct sig_txv *v, int dir, uint32_t idx,
                   struct sig_bytes *out)
{
    const struct sig_smtp_view *sv = v->tx;

    (void)t;
    (void)dir;
    if (idx >= sv->tx->n_files || idx >= SMTP_TX_FILES)
        return false;
    return sig_smtp_str(sv->tx->files[idx].name, out);
}

bool
sig_smtp_has_event(const struct sig_txv *v, uint16_t id)
{
    const struct sig_smtp_view *sv = v->tx;
    uint8_t i;

    for (i = 0; i < sv->tx->n_events && i < SMTP_TX_EVENTS; i++)
        if (sv->tx->events[i] == id)
            return true;
    return false;
}

void
sig_smtp_tx(struct sig_thread *t, struct flow *f, const struct smtp_conn *c,
            const struct smtp_tx *tx, bool flow_end)
{
    struct sig_smtp_view sv = {c, tx};
    struct sig_txv txv;

    txv.app_proto = APP_PROTO_SMTP;
    txv.tx = &sv;
    txv.tx_id = tx->id;
    txv.response = false;
    sig_tx_inspect(t, f, &txv, APP_DIR_TOSERVER, SIG_STAGE_SMTP, flow_end);
    /* A finished transaction is a reason to look at the client's stream bytes
     * (Suricata's raw-inspection trigger): what follows, such as the TLS
     * handshake after STARTTLS, starts a window of its own. */
    if (t->db->has_stream) {
        struct sig_fstate *st = sig_state_get(t, f, true);
        if (st != NULL)
            st->trigger |= (uint8_t)(1u << flow_dir_slot(f, FLOW_TOSERVER));
    }
}

#define TS SIG_DIR_TS
#define ST                                                                                         \
    {                                                                                              \
        SIG_STAGE_SMTP, SIG_STAGE_SMTP                                                             \
    }

const struct sig_buf_def sig_buf_smtp[] = {
        {"smtp.helo", NULL, NULL, APP_PROTO_SMTP, TS, ST, sig_smtp_helo},
        {"smtp.mail_from", NULL, NULL, APP_PROTO_SMTP, TS, ST, sig_smtp_mail_from},
        {"smtp.rcpt_to", NULL, NULL, APP_PROTO_SMTP, TS, ST, sig_smtp_rcpt_to},
        {"email.from", NULL, NULL, APP_PROTO_SMTP, TS, ST, sig_email_from},
        {"email.to", NULL, NULL, APP_PROTO_SMTP, TS, ST, sig_email_to},
        {"email.cc", NULL, NULL, APP_PROTO_SMTP, TS, ST, sig_email_cc},
        {"email.subject", NULL, NULL, APP_PROTO_SMTP, TS, ST, sig_email_subject},
        {"email.date", NULL, NULL, APP_PROTO_SMTP, TS, ST, sig_email_date},
        {"email.message_id", NULL, NULL, APP_PROTO_SMTP, TS, ST, sig_email_message_id},
        {"email.x_mailer", NULL, NULL, APP_PROTO_SMTP, TS, ST, sig_email_x_mailer},
        {"file.name", "file_name", NULL, APP_PROTO_SMTP, TS, ST, sig_smtp_file_name},
};
const unsigned sig_buf_smtp_count = NIDS_ARRAY_LEN(sig_buf_smtp);
