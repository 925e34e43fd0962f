/*
 * ipfix_ie.c - the information element table (see ipfix_ie.h).
 */
#include "ipfix_ie.h"

const struct ipfix_ie_def ipfix_ie_table[IPFIX_IE_COUNT] = {
#define IPFIX_IE_DEF(sym, id_, pen_, len_, name_)                                                  \
    [IPFIX_IE_##sym] = {.id = (id_), .len = (len_), .pen = (pen_), .name = (name_)},
        IPFIX_IE_TABLE(IPFIX_IE_DEF)
#undef IPFIX_IE_DEF
};
