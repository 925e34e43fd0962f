/*
 * out_eve_http.c - `http` and `fileinfo` records of HTTP transactions and
 * their applayer `anomaly` records, field for field as Suricata 8 writes
 * them (src/output-json-http.c EveHttpLogJSONBasic/Extended/Headers,
 * src/output-json-file.c JsonBuildFileInfoRecord, src/output-json.c
 * CreateEveHeader/EveFileInfo, src/output-json-anomaly.c).
 *
 * Header shape (CreateEveHeader): timestamp, flow_id, event_type, vlan,
 * src/dest (LOG_DIR_FLOW: the flow's client first; a response file is
 * LOG_DIR_FLOW_TOCLIENT, server first; an anomaly is LOG_DIR_PACKET, the
 * packet's sender first), proto, ip_v, pkt_src, community_id, then tx_id
 * for http and anomaly records. Records come from stream data, not from a
 * packet, so there is no pcap_cnt. Strings made of wire bytes are written
 * as Suricata's JsonBuilder set_string_from_bytes does: as they are when
 * valid UTF-8, else with every byte >= 0x80 spelled "\xNN".
 */
#include "app_http.h"

#include <stdio.h>
#include <string.h>

#include "../decoders/app_http.h"
#include "out_eve.h"

#define EVE_HTTP_NAME_MAX  256  /* output-json-http.c MAX_SIZE_HEADER_NAME */
#define EVE_HTTP_VALUE_MAX 2048 /* MAX_SIZE_HEADER_VALUE */

/* SCJbSetStringFromBytes. n <= HTTP_LARGE_CHUNK, so esc (4 bytes per byte) fits. */
static void
eve_http_bytes(struct json_buf *j, const char *key, struct http_str s, char *esc)
{
    static const char hex[] = "0123456789abcdef";
    size_t i, o = 0, n = s.len;

    if (s.ptr == NULL)
        return;
    if (n == 0 || json_is_utf8(s.ptr, n)) {
        json_strn(j, key, s.ptr, n);
        return;
    }
    for (i = 0; i < n && o + 4 <= EVE_HTTP_ESC_MAX; i++) {
        if (s.ptr[i] < 0x80) {
            esc[o++] = (char)s.ptr[i];
            continue;
        }
        esc[o++] = '\\';
        esc[o++] = 'x';
        esc[o++] = hex[s.ptr[i] >> 4];
        esc[o++] = hex[s.ptr[i] & 15];
    }
    json_strn(j, key, (const uint8_t *)esc, o);
}

/*
 * SCJbSetString of a C string copied from wire bytes: cut at a NUL, not
 * written at all when not valid UTF-8 (the Rust side refuses it).
 */
static void
eve_http_cstr(struct json_buf *j, const char *key, const uint8_t *s, size_t n)
{
    const uint8_t *nul = n ? memchr(s, 0, n) : NULL;

    if (nul != NULL)
        n = (size_t)(nul - s);
    if (!json_is_utf8(s, n))
        return;
    json_strn(j, key, n ? s : (const uint8_t *)"", n);
}

static const char *
eve_http_pkt_src(bool flow_end)
{
    return flow_end ? "stream (flow timeout)" : "wire/pcap";
}

/* CreateEveHeader for a record of flow f; rev: server side first. */
static void
eve_http_header(struct json_buf *j, const struct eve_output *o, const struct flow *f,
                const char *event_type, uint64_t ts_us, bool rev, bool flow_end)
{
    eve_header_flow(j, f, event_type, ts_us, rev);
    json_str(j, "pkt_src", eve_http_pkt_src(flow_end));
    eve_add_community_id(j, o, f);
}

/* EveHttpLogJSONBasic */
static void
eve_http_basic(struct json_buf *j, const struct http_tx *tx, char *esc)
{
    const struct http_hdr *h;
    int64_t s, e, l;

    eve_http_bytes(j, "hostname", tx->hostname, esc);
    if (tx->port >= 0)
        json_u64(j, "http_port", (uint64_t)tx->port);
    eve_http_bytes(j, "url", tx->uri, esc);
    h = http_tx_header(tx, APP_DIR_TOSERVER, "user-agent");
    if (h != NULL)
        eve_http_bytes(j, "http_user_agent", h->value, esc);
    h = http_tx_header(tx, APP_DIR_TOSERVER, "x-forwarded-for");
    if (h != NULL)
        eve_http_bytes(j, "xff", h->value, esc);
    h = http_tx_header(tx, APP_DIR_TOCLIENT, "content-type");
    if (h != NULL) {
        /* BytesToStringBuffer (NUL as "\0"), cut at ';', SCJbSetString */
        size_t o = 0, i;
        for (i = 0; i < h->value.len && o + 2 < EVE_HTTP_ESC_MAX; i++) {
            if (h->value.ptr[i] == ';')
                break;
            if (h->value.ptr[i] == 0) {
                esc[o++] = '\\';
                esc[o++] = '0';
            } else {
                esc[o++] = (char)h->value.ptr[i];
            }
        }
        if (json_is_utf8((const uint8_t *)esc, o))
            json_strn(j, "http_content_type", (const uint8_t *)esc, o);
    }
    h = http_tx_header(tx, APP_DIR_TOCLIENT, "content-range");
    if (h != NULL) {
        json_open_object(j, "content_range");
        eve_http_bytes(j, "raw", h->value, esc);
        if (http_parse_content_range(h->value.ptr, h->value.len, &s, &e, &l)) {
            if (s >= 0)
                json_u64(j, "start", (uint64_t)s);
            if (e >= 0)
                json_u64(j, "end", (uint64_t)e);
            if (l >= 0)
                json_u64(j, "size", (uint64_t)l);
        }
        json_close(j);
    }
}

/* EveHttpLogJSONExtended */
static void
eve_http_extended(struct json_buf *j, const struct http_tx *tx, char *esc)
{
    const struct http_hdr *h = http_tx_header(tx, APP_DIR_TOSERVER, "referer");

    if (h != NULL)
        eve_http_bytes(j, "http_refer", h->value, esc);
    eve_http_bytes(j, "http_method", tx->method, esc);
    eve_http_bytes(j, "protocol", tx->protocol, esc);
    if (tx->status_num > 0)
        json_u64(j, "status", (uint64_t)tx->status_num);
    else if (tx->status.ptr != NULL)
        eve_http_bytes(j, "status_string", tx->status, esc);
    h = http_tx_header(tx, APP_DIR_TOCLIENT, "location");
    if (h != NULL)
        eve_http_bytes(j, "redirect", h->value, esc);
    json_u64(j, "length", tx->message_len[APP_DIR_TOCLIENT]);
}

void
eve_http_metadata(struct json_buf *j, const struct http_tx *tx, char *esc)
{
    eve_http_basic(j, tx, esc);
    eve_http_extended(j, tx, esc);
}

/* EveHttpLogJSONHeaders: names cut at 255 bytes, values at 2047; no array when empty. */
static void
eve_http_headers(struct json_buf *j, const struct http_tx *tx, int dir)
{
    const struct http_hdr *h = tx->hdrs[dir].head;

    if (h == NULL)
        return;
    json_open_array(j, dir == APP_DIR_TOSERVER ? "request_headers" : "response_headers");
    for (; h != NULL; h = h->next) {
        json_open_object(j, NULL);
        eve_http_cstr(j, "name", h->name.ptr,
                      h->name.len < EVE_HTTP_NAME_MAX - 1 ? h->name.len : EVE_HTTP_NAME_MAX - 1);
        eve_http_cstr(j, "value", h->value.ptr,
                      h->value.len < EVE_HTTP_VALUE_MAX - 1 ? h->value.len
                                                            : EVE_HTTP_VALUE_MAX - 1);
        json_close(j);
    }
    json_close(j);
}

void
eve_emit_http(struct eve *e, const struct flow *f, const struct http_tx *tx, uint64_t ts_us,
              bool flow_end, char *esc, bool ext, bool hdrs)
{
    unsigned i;

    for (i = 0; i < e->n_out; i++) {
        struct eve_output *o = &e->out[i];
        if (!o->types[EVE_TYPE_HTTP])
            continue;
        json_reset(&e->j);
        eve_http_header(&e->j, o, f, "http", ts_us, false, flow_end);
        json_u64(&e->j, "tx_id", tx->id);
        json_open_object(&e->j, "http");
        eve_http_basic(&e->j, tx, esc);
        if (ext || !o->http.no_extended)
            eve_http_extended(&e->j, tx, esc);
        if (hdrs || o->http.dump_req)
            eve_http_headers(&e->j, tx, APP_DIR_TOSERVER);
        if (hdrs || o->http.dump_resp)
            eve_http_headers(&e->j, tx, APP_DIR_TOCLIENT);
        json_close(&e->j);
        json_close(&e->j);
        eve_commit(e, o);
    }
}

void
eve_emit_http_file(struct eve *e, const struct flow *f, const struct http_tx *tx,
                   const struct http_file *file, uint64_t ts_us, bool flow_end, char *esc)
{
    static const char *const state[HTTP_FILE_STATE_COUNT] = {"UNKNOWN", "UNKNOWN", "CLOSED",
                                                             "TRUNCATED"};
    unsigned i;

    for (i = 0; i < e->n_out; i++) {
        struct eve_output *o = &e->out[i];
        if (!o->types[EVE_TYPE_FILES])
            continue;
        json_reset(&e->j);
        eve_http_header(&e->j, o, f, "fileinfo", ts_us, file->dir == APP_DIR_TOCLIENT, flow_end);
        json_open_object(&e->j, "http"); /* EveHttpAddMetadata: basic + extended */
        eve_http_basic(&e->j, tx, esc);
        eve_http_extended(&e->j, tx, esc);
        json_close(&e->j);
        json_str(&e->j, "app_proto", "http");
        json_open_object(&e->j, "fileinfo"); /* EveFileInfo */
        eve_http_bytes(&e->j, "filename", file->name, esc);
        json_bool(&e->j, "gaps", file->gaps);
        json_str(&e->j, "state", state[file->state < HTTP_FILE_STATE_COUNT ? file->state : 0]);
        json_bool(&e->j, "stored", false);
        json_u64(&e->j, "size", file->size);
        if (file->has_range && file->end > 0) {
            json_u64(&e->j, "start", (uint64_t)file->start);
            json_u64(&e->j, "end", (uint64_t)file->end);
        }
        json_u64(&e->j, "tx_id", tx->id);
        json_close(&e->j);
        json_close(&e->j);
        eve_commit(e, o);
    }
}

void
eve_emit_http_anomaly(struct eve *e, const struct flow *f, int dir, uint64_t tx_id,
                      const char *event, uint64_t ts_us, bool flow_end)
{
    unsigned i;

    for (i = 0; i < e->n_out; i++) {
        struct eve_output *o = &e->out[i];
        if (!o->types[EVE_TYPE_ANOMALY] || !o->anomaly_applayer)
            continue;
        json_reset(&e->j);
        eve_http_header(&e->j, o, f, "anomaly", ts_us, dir == APP_DIR_TOCLIENT, flow_end);
        json_u64(&e->j, "tx_id", tx_id);
        json_open_object(&e->j, "anomaly");
        json_str(&e->j, "app_proto", "http");
        json_str(&e->j, "type", "applayer");
        json_str(&e->j, "event", event);
        json_str(&e->j, "layer", "proto_parser");
        json_close(&e->j);
        json_close(&e->j);
        eve_commit(e, o);
    }
}
