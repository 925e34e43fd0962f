/*
 * ipfix_msg.c - MTU-bounded NetFlow v9 / IPFIX message builder (wire
 * layout in ipfix_msg.h).
 *
 * Bound: every write goes through ipfix_msg_reserve, which compares the
 * room left (cap - len) with what the record, a new set header and the
 * closing of the open set need, before touching the buffer.
 */
#include "ipfix_msg.h"

#include <string.h>

size_t
ipfix_msg_hdr_len(uint8_t version)
{
    return version == 9 ? IPFIX_V9_HDR_LEN : IPFIX_HDR_LEN;
}

uint16_t
ipfix_msg_tmpl_set_id(uint8_t version)
{
    return version == 9 ? IPFIX_V9_SET_TEMPLATE : IPFIX_SET_TEMPLATE;
}

int
ipfix_msg_init(struct ipfix_msg *m, uint8_t version, uint8_t *buf, size_t cap)
{
    memset(m, 0, sizeof(*m));
    if (version != 9 && version != 10)
        return NIDS_EINVAL;
    if (cap > IPFIX_MSG_MAX)
        cap = IPFIX_MSG_MAX;
    /*
     * v9 pads every FlowSet to 4 bytes. With cap a multiple of 4 the padding
     * of a set that fits always fits too (header and set headers are
     * multiples of 4), so the room checks need not add it.
     */
    if (version == 9)
        cap &= ~(size_t)3;
    if (buf == NULL || cap < ipfix_msg_hdr_len(version) + IPFIX_SET_HDR_LEN)
        return NIDS_EINVAL;
    m->buf = buf;
    m->cap = cap;
    m->version = version;
    ipfix_msg_reset(m);
    return 0;
}

void
ipfix_msg_reset(struct ipfix_msg *m)
{
    m->len = ipfix_msg_hdr_len(m->version);
    m->set_off = 0;
    m->set_id = 0;
    m->n_recs = 0;
    m->n_tmpl = 0;
    m->n_data = 0;
}

bool
ipfix_msg_is_empty(const struct ipfix_msg *m)
{
    return m->n_recs == 0;
}

/* Bytes of padding that end the open set on a 4-byte boundary (v9 only). */
static size_t
ipfix_msg_pad_len(const struct ipfix_msg *m)
{
    if (m->version != 9 || m->set_off == 0)
        return 0;
    return (4 - (m->len - m->set_off) % 4) % 4;
}

/* Pad (v9) and write the length of the open set; no-op when none is open. */
static void
ipfix_msg_set_close(struct ipfix_msg *m)
{
    size_t pad = ipfix_msg_pad_len(m);

    if (m->set_off == 0)
        return;
    NIDS_BUG_ON(m->len + pad > m->cap);
    memset(m->buf + m->len, 0, pad);
    m->len += pad;
    ipfix_put_be16(m->buf + m->set_off + 2, (uint16_t)(m->len - m->set_off));
    m->set_off = 0;
}

uint8_t *
ipfix_msg_reserve(struct ipfix_msg *m, uint16_t set_id, size_t n)
{
    bool same = m->set_off != 0 && m->set_id == set_id;
    size_t need = same ? n : ipfix_msg_pad_len(m) + IPFIX_SET_HDR_LEN + n;
    uint8_t *p;

    if (n == 0 || need > m->cap - m->len)
        return NULL;
    if (!same) {
        ipfix_msg_set_close(m);
        m->set_off = m->len;
        m->set_id = set_id;
        ipfix_put_be16(m->buf + m->len, set_id);
        ipfix_put_be16(m->buf + m->len + 2, 0); /* written by ipfix_msg_set_close */
        m->len += IPFIX_SET_HDR_LEN;
    }
    p = m->buf + m->len;
    m->len += n;
    m->n_recs++;
    if (set_id >= IPFIX_SET_DATA_MIN)
        m->n_data++;
    else
        m->n_tmpl++;
    return p;
}

size_t
ipfix_msg_hdr_emit(struct ipfix_msg *m, uint32_t sys_uptime_ms, uint32_t export_secs, uint32_t seq,
                   uint32_t domain)
{
    uint8_t *h = m->buf;

    ipfix_msg_set_close(m);
    ipfix_put_be16(h, m->version);
    if (m->version == 9) {
        ipfix_put_be16(h + 2, m->n_recs);
        ipfix_put_be32(h + 4, sys_uptime_ms);
        ipfix_put_be32(h + 8, export_secs);
        ipfix_put_be32(h + 12, seq);
        ipfix_put_be32(h + 16, domain);
    } else {
        ipfix_put_be16(h + 2, (uint16_t)m->len);
        ipfix_put_be32(h + 4, export_secs);
        ipfix_put_be32(h + 8, seq);
        ipfix_put_be32(h + 12, domain);
    }
    return m->len;
}
