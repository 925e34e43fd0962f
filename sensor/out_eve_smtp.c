/*
 * out_eve_smtp.c - `smtp` records (with the `email` object), `fileinfo`
 * records of attachments and applayer `anomaly` records of SMTP
 * transactions, field for field as Suricata 8 writes them
 * (src/output-json-smtp.c EveSmtpDataLogger, output-json-email-common.c
 * EveEmailLogJson and its email_fields table, rust/src/mime/smtp_log.rs
 * log_data, output-json-file.c JsonBuildFileInfoRecord, output-json.c
 * CreateEveHeader/EveFileInfo).
 *
 * Header (CreateEveHeader): timestamp, flow_id, pcap_cnt of the packet
 * that logs (none at flow end), event_type, vlan, src/dest (smtp: the
 * client first, LOG_DIR_FLOW; fileinfo: the client first,
 * LOG_DIR_FLOW_TOSERVER; anomaly: the packet's sender first), ip_v, proto,
 * pkt_src, community_id, then tx_id (smtp, anomaly).
 *
 * Strings: the smtp fields are C strings in Suricata (cut at a NUL); the
 * email header fields are raw header values (Suricata converts them
 * lossily; here bytes that are not UTF-8 are written "\xNN", never
 * dropped); attachment names are decoded to UTF-8 by the MIME parser.
 * Email fields Suricata's `custom` list offers that the EVE schema lacks
 * (reply_to, bcc, user_agent, x_originating_ip, in_reply_to, references,
 * importance, priority, sensitivity, organization, content_md5) are
 * written only when configured.
 */
#include "app_smtp.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "out_eve.h"

#define EVE_EMAIL_DEFAULT  0x00u
#define EVE_EMAIL_EXTENDED 0x01u /* part of `extended: yes` */
#define EVE_EMAIL_ARRAY    0x02u /* every header of that name, as an array */
#define EVE_EMAIL_COMMA    0x04u /* the first header, split at commas */

/* output-json-email-common.c email_fields, in its order. */
static const struct {
    const char *config_field, *email_field;
    uint8_t flags;
} eve_email_fields[] = {
        {"reply_to", "reply-to", EVE_EMAIL_DEFAULT},
        {"bcc", "bcc", EVE_EMAIL_COMMA | EVE_EMAIL_EXTENDED},
        {"message_id", "message-id", EVE_EMAIL_EXTENDED},
        {"subject", "subject", EVE_EMAIL_EXTENDED},
        {"x_mailer", "x-mailer", EVE_EMAIL_EXTENDED},
        {"user_agent", "user-agent", EVE_EMAIL_EXTENDED},
        {"received", "received", EVE_EMAIL_ARRAY},
        {"x_originating_ip", "x-originating-ip", EVE_EMAIL_DEFAULT},
        {"in_reply_to", "in-reply-to", EVE_EMAIL_DEFAULT},
        {"references", "references", EVE_EMAIL_DEFAULT},
        {"importance", "importance", EVE_EMAIL_DEFAULT},
        {"priority", "priority", EVE_EMAIL_DEFAULT},
        {"sensitivity", "sensitivity", EVE_EMAIL_DEFAULT},
        {"organization", "organization", EVE_EMAIL_DEFAULT},
        {"content_md5", "content-md5", EVE_EMAIL_DEFAULT},
        {"date", "date", EVE_EMAIL_DEFAULT},
};

uint32_t
eve_email_field_bit(const char *name)
{
    size_t i;

    /* OutputEmailInitConf: the config name exactly, or the header name in any case */
    for (i = 0; i < sizeof(eve_email_fields) / sizeof(eve_email_fields[0]); i++)
        if (strcmp(eve_email_fields[i].config_field, name) == 0 ||
            strcasecmp(eve_email_fields[i].email_field, name) == 0)
            return 1u << i;
    return 0;
}

/* Wire bytes as a JSON string: as they are when UTF-8, else bytes >= 0x80 as "\xNN". */
static void
eve_smtp_bytes(struct json_buf *j, const char *key, const uint8_t *s, uint32_t n, char *esc)
{
    static const char hex[] = "0123456789abcdef";
    size_t i, o = 0;

    if (s == NULL) {
        s = (const uint8_t *)"";
        n = 0;
    }
    if (n == 0 || json_is_utf8(s, n)) {
        json_strn(j, key, s, n);
        return;
    }
    for (i = 0; i < n && o + 4 <= EVE_SMTP_ESC_MAX; i++) {
        if (s[i] < 0x80) {
            esc[o++] = (char)s[i];
            continue;
        }
        esc[o++] = '\\';
        esc[o++] = 'x';
        esc[o++] = hex[s[i] >> 4];
        esc[o++] = hex[s[i] & 15];
    }
    json_strn(j, key, (const uint8_t *)esc, o);
}

/* A C string copied from the wire (Suricata's SCJbSetString of a strdup'ed field): cut at a NUL. */
static void
eve_smtp_cstr(struct json_buf *j, const char *key, struct smtp_str s, char *esc)
{
    const uint8_t *nul = s.len ? memchr(s.ptr, 0, s.len) : NULL;

    eve_smtp_bytes(j, key, s.ptr, nul != NULL ? (uint32_t)(nul - s.ptr) : s.len, esc);
}

static void
eve_smtp_hex(struct json_buf *j, const char *key, const uint8_t *d, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    char buf[2 * 32];
    size_t i;

    for (i = 0; i < n && 2 * i + 1 < sizeof(buf); i++) {
        buf[2 * i] = hex[d[i] >> 4];
        buf[2 * i + 1] = hex[d[i] & 15];
    }
    json_strn(j, key, (const uint8_t *)buf, 2 * i);
}

/* CreateEveHeader of a record of flow f logged by the packet of r; rev: server side first. */
static void
eve_smtp_header(struct json_buf *j, const struct eve_output *o, const struct eve_smtp_rec *r,
                const char *event_type, bool rev)
{
    eve_header_stream(j, r->f, event_type, r->ts_us, r->flow_end ? 0 : r->pcap_cnt, rev,
                      r->flow_end ? "stream (flow timeout)" : "wire/pcap");
    eve_add_community_id(j, o, r->f);
}

/* EveSmtpDataLogger: helo, mail_from, rcpt_to (an open "smtp" object). */
static void
eve_smtp_fields(struct json_buf *j, const struct eve_smtp_rec *r)
{
    struct smtp_str helo = smtp_conn_helo(r->c);
    const struct smtp_strnode *n;

    if (helo.ptr != NULL)
        eve_smtp_cstr(j, "helo", helo, r->esc);
    if (r->tx->mail_from.ptr != NULL)
        eve_smtp_cstr(j, "mail_from", r->tx->mail_from, r->esc);
    if (r->tx->rcpt.head != NULL) {
        json_open_array(j, "rcpt_to");
        for (n = r->tx->rcpt.head; n != NULL; n = n->next)
            eve_smtp_cstr(j, NULL, n->s, r->esc);
        json_close(j);
    }
}

/* log_field_comma: the first header named name, split at ',' (no trimming, as Suricata). */
static void
eve_smtp_comma(struct json_buf *j, const struct smtp_tx *tx, const char *key, const char *name,
               char *esc)
{
    const struct smtp_hdr *h = smtp_tx_header(tx, name);
    uint32_t i, from = 0;

    if (h == NULL)
        return;
    json_open_array(j, key);
    for (i = 0; i <= h->value.len; i++) {
        if (i < h->value.len && h->value.ptr[i] != ',')
            continue;
        eve_smtp_bytes(j, NULL, h->value.ptr + from, i - from, esc);
        from = i + 1;
    }
    json_close(j);
}

/* log_field_array: every header named name, or nothing. */
static void
eve_smtp_array(struct json_buf *j, const struct smtp_tx *tx, const char *key, const char *name,
               char *esc)
{
    const struct smtp_hdr *h;
    bool open = false;
    size_t n = strlen(name);

    for (h = tx->hdrs.head; h != NULL; h = h->next) {
        if (h->name.len != n || strncasecmp((const char *)h->name.ptr, name, n) != 0)
            continue;
        if (!open)
            json_open_array(j, key);
        open = true;
        eve_smtp_bytes(j, NULL, h->value.ptr, h->value.len, esc);
    }
    if (open)
        json_close(j);
}

/* SCMimeSmtpLogData: from, to, cc, status, attachment, url (an open "email" object). */
static void
eve_smtp_email_data(struct json_buf *j, const struct smtp_tx *tx, char *esc)
{
    const struct smtp_hdr *h = smtp_tx_header(tx, "from");
    const struct smtp_strnode *n;
    uint32_t k, i;

    if (h != NULL)
        eve_smtp_bytes(j, "from", h->value.ptr, h->value.len, esc);
    eve_smtp_comma(j, tx, "to", "to", esc);
    eve_smtp_comma(j, tx, "cc", "cc", esc);
    json_str(j, "status", "PARSE_DONE");
    if (tx->attachments.head != NULL) {
        json_open_array(j, "attachment");
        for (n = tx->attachments.head; n != NULL; n = n->next)
            eve_smtp_bytes(j, NULL, n->s.ptr, n->s.len, esc);
        json_close(j);
    }
    if (tx->urls.count > 0) {
        /* the last found first, as Suricata's urls.iter().rev() */
        json_open_array(j, "url");
        for (k = tx->urls.count; k > 0; k--) {
            for (n = tx->urls.head, i = 1; n != NULL && i < k; n = n->next, i++)
                ;
            if (n != NULL)
                eve_smtp_bytes(j, NULL, n->s.ptr, n->s.len, esc);
        }
        json_close(j);
    }
}

/* EveEmailLogJSONCustom: extended and custom fields, in the table's order. */
static void
eve_smtp_email_custom(struct json_buf *j, const struct eve_smtp_cfg *cfg, const struct smtp_tx *tx,
                      char *esc)
{
    size_t i;

    for (i = 0; i < sizeof(eve_email_fields) / sizeof(eve_email_fields[0]); i++) {
        const char *key = eve_email_fields[i].config_field, *name = eve_email_fields[i].email_field;
        const struct smtp_hdr *h;
        if (!(cfg->custom & (1u << i)) &&
            !(cfg->extended && (eve_email_fields[i].flags & EVE_EMAIL_EXTENDED)))
            continue;
        if (eve_email_fields[i].flags & EVE_EMAIL_ARRAY) {
            eve_smtp_array(j, tx, key, name, esc);
        } else if (eve_email_fields[i].flags & EVE_EMAIL_COMMA) {
            eve_smtp_comma(j, tx, key, name, esc);
        } else if ((h = smtp_tx_header(tx, name)) != NULL) {
            eve_smtp_bytes(j, key, h->value.ptr, h->value.len, esc);
        }
    }
}

void
eve_smtp_alert_app(struct json_buf *j, const struct smtp_conn *c, const struct smtp_tx *tx,
                   char *esc)
{
    struct eve_smtp_rec r;

    memset(&r, 0, sizeof(r));
    r.c = c;
    r.tx = tx;
    r.esc = esc;
    json_open_object(j, "smtp");
    eve_smtp_fields(j, &r);
    json_close(j);
    if (tx->flags & SMTP_TXF_MIME) {
        json_open_object(j, "email");
        eve_smtp_email_data(j, tx, esc);
        json_close(j);
    }
}

void
eve_emit_smtp(struct eve *e, const struct eve_smtp_rec *r)
{
    unsigned i;

    for (i = 0; i < e->n_out; i++) {
        struct eve_output *o = &e->out[i];
        if (!o->types[EVE_TYPE_SMTP])
            continue;
        json_reset(&e->j);
        eve_smtp_header(&e->j, o, r, "smtp", false);
        json_u64(&e->j, "tx_id", r->tx->id);
        json_open_object(&e->j, "smtp");
        eve_smtp_fields(&e->j, r);
        json_close(&e->j);
        if (r->tx->flags & SMTP_TXF_MIME) {
            json_open_object(&e->j, "email");
            eve_smtp_email_data(&e->j, r->tx, r->esc);
            if (o->smtp.extended || o->smtp.custom != 0)
                eve_smtp_email_custom(&e->j, &o->smtp, r->tx, r->esc);
            if (o->smtp.md5_subject && r->subject_md5 != NULL)
                eve_smtp_hex(&e->j, "subject_md5", r->subject_md5, 16);
            if (o->smtp.md5_body && (r->tx->flags & SMTP_TXF_BODY_MD5))
                eve_smtp_hex(&e->j, "body_md5", r->tx->body_md5, 16);
            json_close(&e->j);
        }
        json_close(&e->j);
        eve_commit(e, o);
    }
}

void
eve_emit_smtp_file(struct eve *e, const struct eve_smtp_rec *r, const struct smtp_file *file)
{
    static const char *const state[SMTP_FILE_STATE_COUNT] = {"UNKNOWN", "CLOSED", "TRUNCATED"};
    bool closed = file->state == SMTP_FILE_CLOSED && file->hashed;
    unsigned i;

    for (i = 0; i < e->n_out; i++) {
        struct eve_output *o = &e->out[i];
        if (!o->types[EVE_TYPE_FILES])
            continue;
        json_reset(&e->j);
        eve_smtp_header(&e->j, o, r, "fileinfo", false);
        json_open_object(&e->j, "smtp"); /* EveSMTPAddMetadata */
        eve_smtp_fields(&e->j, r);
        json_close(&e->j);
        if (r->tx->flags & SMTP_TXF_MIME) { /* EveEmailAddMetadata */
            json_open_object(&e->j, "email");
            eve_smtp_email_data(&e->j, r->tx, r->esc);
            json_close(&e->j);
        }
        json_str(&e->j, "app_proto", "smtp");
        json_open_object(&e->j, "fileinfo"); /* EveFileInfo */
        eve_smtp_bytes(&e->j, "filename", file->name.ptr, file->name.len, r->esc);
        json_bool(&e->j, "gaps", file->gaps);
        json_str(&e->j, "state", state[file->state < SMTP_FILE_STATE_COUNT ? file->state : 0]);
        if (closed && o->files.md5)
            eve_smtp_hex(&e->j, "md5", file->md5, sizeof(file->md5));
        if (closed && o->files.sha1)
            eve_smtp_hex(&e->j, "sha1", file->sha1, sizeof(file->sha1));
        if (closed && o->files.sha256)
            eve_smtp_hex(&e->j, "sha256", file->sha256, sizeof(file->sha256));
        json_bool(&e->j, "stored", false);
        json_u64(&e->j, "size", file->size);
        json_u64(&e->j, "tx_id", r->tx->id);
        json_close(&e->j);
        json_close(&e->j);
        eve_commit(e, o);
    }
}

void
eve_emit_smtp_anomaly(struct eve *e, const struct eve_smtp_rec *r, const char *event)
{
    unsigned i;

    for (i = 0; i < e->n_out; i++) {
        struct eve_output *o = &e->out[i];
        if (!o->types[EVE_TYPE_ANOMALY] || !o->anomaly_applayer)
            continue;
        json_reset(&e->j);
        eve_smtp_header(&e->j, o, r, "anomaly", r->dir == APP_DIR_TOCLIENT);
        json_u64(&e->j, "tx_id", r->tx->id);
        json_open_object(&e->j, "anomaly");
        json_str(&e->j, "app_proto", "smtp");
        json_str(&e->j, "type", "applayer");
        json_str(&e->j, "event", event);
        json_str(&e->j, "layer", "proto_parser");
        json_close(&e->j);
        json_close(&e->j);
        eve_commit(e, o);
    }
}

static bool
eve_smtp_any(const struct eve *e, int what)
{
    unsigned i;

    for (i = 0; i < e->n_out; i++) {
        const struct eve_output *o = &e->out[i];
        switch (what) {
        case 0:
            if (o->types[EVE_TYPE_FILES] && o->files.md5)
                return true;
            break;
        case 1:
            if (o->types[EVE_TYPE_FILES] && o->files.sha1)
                return true;
            break;
        case 2:
            if (o->types[EVE_TYPE_FILES] && o->files.sha256)
                return true;
            break;
        default:
            if (o->types[EVE_TYPE_SMTP] && o->smtp.md5_subject)
                return true;
            break;
        }
    }
    return false;
}

bool
eve_smtp_wants_md5(const struct eve *e)
{
    return eve_smtp_any(e, 0);
}

bool
eve_smtp_wants_sha1(const struct eve *e)
{
    return eve_smtp_any(e, 1);
}

bool
eve_smtp_wants_sha256(const struct eve *e)
{
    return eve_smtp_any(e, 2);
}

bool
eve_smtp_wants_subject_md5(const struct eve *e)
{
    return eve_smtp_any(e, 3);
}
