/*
 * sig_kw_buffer.c - choosing the buffer contents are inspected in:
 *
 *   sticky buffers   http.uri; content:"/a";   dns.query; content:"evil";
 *                    (every content and pcre after it goes to that buffer,
 *                    until another sticky buffer or pkt_data)
 *   legacy modifiers content:"/a"; http_uri;   (moves that one content)
 *   pkt_data         back to the packet/stream payload
 *
 * The names come from the buffer registry (sig_buf.c).
 */
#include "sig_int.h"

#include <string.h>
#include <strings.h>

static int
sig_kw_pkt_data(struct sig_parse *ps, const char *val)
{
    if (val != NULL)
        return sig_perr(ps, "pkt_data takes no value");
    ps->cur = 0;
    return 0;
}

/* content:"x"; http_uri;  -- the last content leaves the payload for buffer id. */
static int
sig_kw_modifier(struct sig_parse *ps, const char *name, uint16_t id)
{
    struct sig_parse_list *from, *to;
    struct sig_cm cm;
    int rc, cur = ps->cur;

    if (sig_parse_last_content(ps, name) == NULL)
        return NIDS_EINVAL;
    if (ps->last_l != 0)
        return sig_perr(ps, "%s applies to a payload content, not one in a sticky buffer", name);
    from = &ps->lists[0];
    if (ps->last_cm != from->n - 1)
        return sig_perr(ps, "%s: internal order error", name);
    cm = from->cm[ps->last_cm];
    if (cm.u.c.flags & SIG_CF_RAWBYTES)
        return sig_perr(ps, "%s cannot be combined with rawbytes", name);
    if ((rc = sig_parse_set_buffer(ps, id, name)) < 0)
        return rc;
    to = &ps->lists[ps->cur];
    ps->cur = cur;
    if (to->n >= SIG_CM_MAX)
        return sig_perr(ps, "more than %d content/pcre in one buffer", SIG_CM_MAX);
    from->n--;
    to->cm[to->n] = cm;
    ps->last_l = (int)(to - ps->lists);
    ps->last_cm = to->n++;
    return 0;
}

int
sig_kw_buffer_any(struct sig_parse *ps, const char *name, const char *val, bool *handled)
{
    uint16_t id = sig_buf_by_name(name, ps->s->app_proto);

    *handled = false;
    if (id != 0) {
        *handled = true;
        if (val != NULL)
            return sig_perr(ps, "%s is a sticky buffer and takes no value", name);
        return sig_parse_set_buffer(ps, id, name);
    }
    id = sig_buf_by_modifier(name);
    if (id != 0) {
        *handled = true;
        if (val != NULL)
            return sig_perr(ps, "%s takes no value", name);
        return sig_kw_modifier(ps, name, id);
    }
    return 0;
}

const struct sig_kw sig_kw_buffer[] = {
        {"pkt_data", sig_kw_pkt_data},
};
const unsigned sig_kw_buffer_count = NIDS_ARRAY_LEN(sig_kw_buffer);
