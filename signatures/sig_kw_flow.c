/*
 * sig_kw_flow.c - flow: direction and state of the packet's flow.
 *
 *   flow:established,to_server;   flow:to_client;   flow:stateless;
 *   flow:only_stream;   flow:no_stream;   flow:not_established;
 *
 * to_server and from_client are the same (the client is the side that
 * sent the first packet); so are to_client and from_server.
 */
#include "sig_int.h"

#include <string.h>
#include <strings.h>

static int
sig_kw_flow_setup(struct sig_parse *ps, const char *val)
{
    static const struct {
        const char *name;
        uint16_t flag;
    } opts[] = {
            {"to_server", SIG_FLOW_TOSERVER},      {"from_client", SIG_FLOW_TOSERVER},
            {"to_client", SIG_FLOW_TOCLIENT},      {"from_server", SIG_FLOW_TOCLIENT},
            {"established", SIG_FLOW_ESTABLISHED}, {"not_established", SIG_FLOW_NOT_EST},
            {"stateless", SIG_FLOW_STATELESS},     {"only_stream", SIG_FLOW_ONLY_STREAM},
            {"no_stream", SIG_FLOW_NO_STREAM},     {"only_frag", SIG_FLOW_ONLY_FRAG},
            {"no_frag", SIG_FLOW_NO_FRAG},
    };
    char buf[256], *item, *rest = buf;
    uint16_t f = 0;
    size_t i;
    int rc;

    if (val == NULL)
        return sig_perr(ps, "flow needs a value");
    if (ps->s->flow != 0)
        return sig_perr(ps, "flow set twice");
    if ((rc = sig_unquote(ps, val, buf, sizeof(buf))) < 0)
        return rc;
    while ((item = sig_split(&rest, ',')) != NULL) {
        for (i = 0; i < NIDS_ARRAY_LEN(opts); i++)
            if (strcasecmp(item, opts[i].name) == 0)
                break;
        if (i == NIDS_ARRAY_LEN(opts))
            return sig_perr(ps, "flow: unknown option '%s'", item);
        if (f & opts[i].flag)
            return sig_perr(ps, "flow: '%s' given twice", item);
        f |= opts[i].flag;
    }
    if ((f & SIG_FLOW_TOSERVER) && (f & SIG_FLOW_TOCLIENT))
        return sig_perr(ps, "flow: to_server and to_client together");
    if ((f & SIG_FLOW_ESTABLISHED) && (f & (SIG_FLOW_NOT_EST | SIG_FLOW_STATELESS)))
        return sig_perr(ps, "flow: established with not_established or stateless");
    if ((f & SIG_FLOW_ONLY_STREAM) && (f & SIG_FLOW_NO_STREAM))
        return sig_perr(ps, "flow: only_stream and no_stream together");
    if ((f & SIG_FLOW_ONLY_FRAG) && (f & SIG_FLOW_NO_FRAG))
        return sig_perr(ps, "flow: only_frag and no_frag together");
    if (f == 0)
        return sig_perr(ps, "flow: no option");
    ps->s->flow = f;
    return 0;
}

const struct sig_kw sig_kw_flow[] = {
        {"flow", sig_kw_flow_setup},
};
const unsigned sig_kw_flow_count = NIDS_ARRAY_LEN(sig_kw_flow);
