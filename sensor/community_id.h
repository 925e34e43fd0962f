/*
 * community_id.h - Community ID v1 flow hashes ("1:" + base64 of a SHA-1
 * over seed, ordered addresses, protocol and ports), as Suricata, Zeek and
 * others write them, so records join across tools.
 */
#ifndef COMMUNITY_ID_H
#define COMMUNITY_ID_H

#include <stddef.h>
#include <stdint.h>

#include "flow.h"

#define COMMUNITY_ID_LEN 31 /* "1:" + 28 base64 characters + NUL */

/* Writes the flow's Community ID (NUL-terminated) into out. */
void community_id_make(const struct flow *f, uint16_t seed, char out[COMMUNITY_ID_LEN]);

#endif /* COMMUNITY_ID_H */
