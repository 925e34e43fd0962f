/*
 * sig_buf_dns.c - DNS inspection buffers over a parsed message (struct
 * dns_msg, decoders/app_dns.h; each message is a transaction), and the
 * DNS app-layer events with Suricata's names.
 *
 *   dns.query (dns_query)   the question names of a request, one buffer each
 *   dns.queries.rrname      the question names, requests and responses
 *   dns.answer.name         the answer record names of a response
 *
 * Names are dotted, without the trailing dot, as Suricata gives them.
 */
#include "sig_int.h"

#include "app.h"
#include "app_dns.h"

const char *const sig_dns_event_names[SIG_DNS_EV_COUNT] = {
        [SIG_DNS_EV_MALFORMED_DATA] = "malformed_data",
        [SIG_DNS_EV_NOT_A_REQUEST] = "not_a_request",
        [SIG_DNS_EV_NOT_A_RESPONSE] = "not_a_response",
        [SIG_DNS_EV_Z_FLAG_SET] = "z_flag_set",
        [SIG_DNS_EV_INVALID_OPCODE] = "invalid_opcode",
        [SIG_DNS_EV_NAME_TOO_LONG] = "name_too_long",
        [SIG_DNS_EV_INFINITE_LOOP] = "infinite_loop",
        [SIG_DNS_EV_TOO_MANY_LABELS] = "too_many_labels",
        [SIG_DNS_EV_INVALID_ADDITIONALS] = "invalid_additionals",
        [SIG_DNS_EV_INVALID_AUTHORITIES] = "invalid_authorities",
};

static bool
sig_dns_name(const struct dns_name *n, struct sig_bytes *out)
{
    if (n->p == NULL || n->len == 0)
        return false;
    out->p = n->p;
    out->len = n->len;
    return true;
}

static bool
sig_dns_query(struct sig_thread *t, const struct sig_txv *v, int dir, uint32_t idx,
              struct sig_bytes *out)
{
    const struct dns_msg *m = v->tx;

    (void)t;
    (void)dir;
    if (v->response || idx >= m->n_questions)
        return false;
    return sig_dns_name(&m->questions[idx].name, out);
}

static bool
sig_dns_queries_rrname(struct sig_thread *t, const struct sig_txv *v, int dir, uint32_t idx,
                       struct sig_bytes *out)
{
    const struct dns_msg *m = v->tx;

    (void)t;
    (void)dir;
    if (idx >= m->n_questions)
        return false;
    return sig_dns_name(&m->questions[idx].name, out);
}

static bool
sig_dns_answer_name(struct sig_thread *t, const struct sig_txv *v, int dir, uint32_t idx,
                    struct sig_bytes *out)
{
    const struct dns_msg *m = v->tx;

    (void)t;
    (void)dir;
    if (!v->response || idx >= m->n_rr[DNS_SEC_ANSWER])
        return false;
    return sig_dns_name(&m->rr[DNS_SEC_ANSWER][idx].name, out);
}

bool
sig_dns_has_event(const struct sig_txv *v, uint16_t id)
{
    const struct dns_msg *m = v->tx;

    switch (id) {
    case SIG_DNS_EV_NOT_A_RESPONSE:
        return v->response && !m->qr;
    case SIG_DNS_EV_Z_FLAG_SET:
        return m->z;
    case SIG_DNS_EV_INVALID_OPCODE:
        return m->opcode >= 7;
    case SIG_DNS_EV_NAME_TOO_LONG:
        return (m->name_flags & DNS_NAME_F_TRUNCATED) != 0;
    case SIG_DNS_EV_INFINITE_LOOP:
        return (m->name_flags & DNS_NAME_F_LOOP) != 0;
    case SIG_DNS_EV_TOO_MANY_LABELS:
        return (m->name_flags & DNS_NAME_F_LABELS) != 0;
    case SIG_DNS_EV_INVALID_ADDITIONALS:
        return m->invalid_additionals;
    case SIG_DNS_EV_INVALID_AUTHORITIES:
        return m->invalid_authorities;
    default:
        /* malformed_data and not_a_request make no transaction here (app_dns_udp.c). */
        return false;
    }
}

const struct sig_buf_def sig_buf_dns[] = {
        {"dns.query",
         "dns_query",
         NULL,
         APP_PROTO_DNS,
         SIG_DIR_TS,
         {SIG_STAGE_DNS, SIG_STAGE_DNS},
         sig_dns_query},
        {"dns.queries.rrname",
         NULL,
         NULL,
         APP_PROTO_DNS,
         SIG_DIR_TS | SIG_DIR_TC,
         {SIG_STAGE_DNS, SIG_STAGE_DNS},
         sig_dns_queries_rrname},
        {"dns.answer.name",
         NULL,
         NULL,
         APP_PROTO_DNS,
         SIG_DIR_TC,
         {SIG_STAGE_DNS, SIG_STAGE_DNS},
         sig_dns_answer_name},
};
const unsigned sig_buf_dns_count = NIDS_ARRAY_LEN(sig_buf_dns);
