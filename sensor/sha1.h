/*
 * sha1.h - SHA-1 (FIPS 180-4), used for the Community ID flow hash only.
 */
#ifndef SHA1_H
#define SHA1_H

#include <stddef.h>
#include <stdint.h>

#define SHA1_DIGEST_LEN 20

/* Digest of data[0..len) into out. Any thread. */
void sha1_digest(const uint8_t *data, size_t len, uint8_t out[SHA1_DIGEST_LEN]);

#endif /* SHA1_H */
