/*
 * app_mime.c - Internet message and MIME parser (RFC 5322 2.2 header
 * fields and 2.2.3 unfolding; RFC 2045 6 transfer encodings; RFC 2046
 * 5.1 multipart, 5.2 message/rfc822; RFC 2047 encoded words; RFC 2183
 * Content-Disposition; RFC 2231 parameter continuations and charsets),
 * with what Suricata 8 takes from a message (rust/src/mime/smtp.rs).
 *
 *   message    = header-block CRLF body
 *   header     = name ":" value CRLF *( (SP / HT) continuation CRLF )
 *   multipart  = preamble *( CRLF "--" boundary [ "--" ] *text CRLF part ) epilogue
 *   part       = header-block CRLF body          (a part may nest: multipart, message/ *)
 *   base64     = 4 characters -> 3 bytes; CRLF and bytes outside the alphabet are skipped
 *   quoted-p.  = "=" HEX HEX -> byte; "=" CRLF is a soft line break
 *   enc. word  = "=?" charset "?" ("B" / "Q") "?" text "?="
 *   RFC 2231   = name "*" = charset "'" lang "'" %XX...   |   name "*" N ["*"] = value
 *
 * The message is a stream of lines. Header lines are assembled in the
 * state (line[], then the field in hdr[] until the next line shows it is
 * not folded); body lines stream through. At the start of a body line the
 * bytes are held in hold[] while they may still be a delimiter of one of
 * the open multiparts; once they cannot, they are content. For parts kept
 * as is, the end of line is held too: the CRLF before a delimiter belongs
 * to the delimiter (RFC 2046 5.1.1), so it is not part of the file.
 *
 * Where Suricata 8 differs from the RFCs the parser follows Suricata
 * (a header value keeps the bytes of its continuation lines minus their
 * first white space character; a quoted-printable part keeps its last
 * CRLF; "=" followed by lower-case hex is invalid); where Suricata
 * cannot find a name the RFC forms are decoded (RFC 2231 values, RFC 2047
 * words in names: Suricata logs them raw).
 */
#include "app_mime.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

/* Parser states (mime_state.state). */
#define MS_HDR  0 /* header lines of an entity */
#define MS_BODY 1 /* body lines of an entity (a leaf part, or a multipart's preamble/epilogue) */

/* ------------------------------------------------------------- bytes */

static uint8_t
mime_lower(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
}

static uint8_t
mime_upper(uint8_t c)
{
    return (c >= 'a' && c <= 'z') ? (uint8_t)(c - 32) : c;
}

static bool
mime_is_wsp(uint8_t c)
{
    return c == ' ' || c == '\t';
}

/* RFC 2047 "is_mime_space" of Suricata: SP HT CR LF. */
static bool
mime_is_space(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int
mime_hex(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Upper-case hex only: Suricata's quoted-printable decoder (smtp.rs hex()). */
static int
mime_hex_upper(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool
mime_eq_nocase(const uint8_t *s, uint32_t n, const char *lit)
{
    uint32_t i;

    for (i = 0; i < n; i++)
        if (lit[i] == '\0' || mime_lower(s[i]) != (uint8_t)lit[i])
            return false;
    return lit[n] == '\0';
}

static bool
mime_prefix_nocase(const uint8_t *s, uint32_t n, const char *lit)
{
    uint32_t i;

    for (i = 0; lit[i] != '\0'; i++)
        if (i >= n || mime_lower(s[i]) != (uint8_t)lit[i])
            return false;
    return true;
}

/* Two byte strings equal ignoring ASCII case. */
static bool
mime_eq_bytes_nocase(const uint8_t *a, uint32_t an, const uint8_t *b, uint32_t bn)
{
    uint32_t i;

    if (an != bn)
        return false;
    for (i = 0; i < an; i++)
        if (mime_lower(a[i]) != mime_lower(b[i]))
            return false;
    return true;
}

/* s without leading and trailing SP/HT/CR/LF. */
static void
mime_trim(const uint8_t **s, uint32_t *n)
{
    while (*n > 0 && mime_is_space((*s)[0])) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && mime_is_space((*s)[*n - 1]))
        (*n)--;
}

/* ------------------------------------------------------------- UTF-8 */

/* Length of a valid UTF-8 sequence at s (RFC 3629: no overlongs, no surrogates), 0 if none. */
static uint32_t
mime_utf8_seq(const uint8_t *s, uint32_t n)
{
    uint8_t c = s[0];

    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        return n >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
    if (c >= 0xe0 && c <= 0xef) {
        if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
            return 0;
        if (c == 0xe0 && s[1] < 0xa0)
            return 0;
        if (c == 0xed && s[1] >= 0xa0)
            return 0;
        return 3;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        if (n < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
            return 0;
        if (c == 0xf0 && s[1] < 0x90)
            return 0;
        if (c == 0xf4 && s[1] >= 0x90)
            return 0;
        return 4;
    }
    return 0;
}

/* "\xNN" for byte c at out[o], if it fits. */
static uint32_t
mime_escape(uint8_t c, uint8_t *out, uint32_t o, uint32_t cap)
{
    static const char hex[] = "0123456789abcdef";

    if (cap - o < 4)
        return o;
    out[o] = '\\';
    out[o + 1] = 'x';
    out[o + 2] = (uint8_t)hex[c >> 4];
    out[o + 3] = (uint8_t)hex[c & 15];
    return o + 4;
}

/* Copy in as UTF-8 into out[o..cap): valid sequences as they are, other bytes escaped. */
static uint32_t
mime_copy_utf8(const uint8_t *in, uint32_t n, uint8_t *out, uint32_t o, uint32_t cap)
{
    uint32_t i = 0;

    while (i < n && o < cap) {
        uint32_t k = mime_utf8_seq(in + i, n - i);
        if (k == 0) {
            uint32_t o2 = mime_escape(in[i], out, o, cap);
            if (o2 == o)
                break;
            o = o2;
            i++;
            continue;
        }
        if (cap - o < k)
            break;
        memcpy(out + o, in + i, k);
        o += k;
        i += k;
    }
    return o;
}

/* ------------------------------------------------------------- charsets */

static int
mime_cs_cmp(const void *a, const void *b)
{
    return strcmp(((const struct mime_charset_name *)a)->name,
                  ((const struct mime_charset_name *)b)->name);
}

/* Upper-case copy of s (at most MIME_CHARSET_NAME - 1 bytes, "//" and "*lang" cut); false if too
 * long. */
static bool
mime_cs_key(const uint8_t *s, uint32_t n, char *key)
{
    uint32_t i;

    for (i = 0; i < n; i++)
        if (s[i] == '*' || s[i] == '/')
            break;
    n = i;
    if (n == 0 || n >= MIME_CHARSET_NAME)
        return false;
    for (i = 0; i < n; i++)
        key[i] = (char)mime_upper(s[i]);
    key[n] = '\0';
    return true;
}

int
mime_charsets_open(struct mime_charsets *cs, const char *const *names, const char *const *alias_of,
                   uint32_t n)
{
    char(*target)[MIME_CHARSET_NAME] = NULL;
    uint32_t i, j;

    memset(cs, 0, sizeof(*cs));
    if (n == 0)
        return 0;
    cs->names = calloc(n, sizeof(*cs->names));
    cs->handles = calloc(n, sizeof(*cs->handles));
    target = calloc(n, sizeof(*target));
    if (cs->names == NULL || cs->handles == NULL || target == NULL)
        goto out_nomem;
    for (i = 0; i < n; i++) {
        const char *t = alias_of != NULL && alias_of[i] != NULL ? alias_of[i] : names[i];
        char key[MIME_CHARSET_NAME], tkey[MIME_CHARSET_NAME];
        iconv_t cd;
        if (!mime_cs_key((const uint8_t *)names[i], (uint32_t)strlen(names[i]), key) ||
            !mime_cs_key((const uint8_t *)t, (uint32_t)strlen(t), tkey))
            continue;
        /* one handle per target charset */
        for (j = 0; j < cs->n_handles; j++)
            if (strcmp(target[j], tkey) == 0)
                break;
        if (j == cs->n_handles) {
            cd = iconv_open("UTF-8", tkey);
            if (cd == (iconv_t)-1)
                continue;
            cs->handles[j] = cd;
            memcpy(target[j], tkey, sizeof(tkey));
            cs->n_handles++;
        }
        memcpy(cs->names[cs->n_names].name, key, sizeof(key));
        cs->names[cs->n_names].handle = j;
        cs->n_names++;
    }
    qsort(cs->names, cs->n_names, sizeof(*cs->names), mime_cs_cmp);
    /* duplicates (the same name listed twice) keep the first */
    for (i = 1, j = 1; i < cs->n_names; i++)
        if (strcmp(cs->names[i].name, cs->names[j - 1].name) != 0)
            cs->names[j++] = cs->names[i];
    if (cs->n_names > 1)
        cs->n_names = j;
    free(target);
    return 0;

out_nomem:
    free(target);
    mime_charsets_close(cs);
    return -1;
}

void
mime_charsets_close(struct mime_charsets *cs)
{
    uint32_t i;

    for (i = 0; cs->handles != NULL && i < cs->n_handles; i++)
        iconv_close((iconv_t)cs->handles[i]);
    free(cs->handles);
    free(cs->names);
    memset(cs, 0, sizeof(*cs));
}

void *
mime_charset_find(const struct mime_charsets *cs, const uint8_t *name, uint32_t n)
{
    struct mime_charset_name key;
    const struct mime_charset_name *hit;

    if (cs == NULL || cs->n_names == 0 || !mime_cs_key(name, n, key.name))
        return NULL;
    hit = bsearch(&key, cs->names, cs->n_names, sizeof(*cs->names), mime_cs_cmp);
    return hit != NULL ? cs->handles[hit->handle] : NULL;
}

/* Charsets whose bytes are already UTF-8 (ASCII is a subset). */
static bool
mime_is_utf8_name(const uint8_t *s, uint32_t n)
{
    char key[MIME_CHARSET_NAME];

    if (!mime_cs_key(s, n, key))
        return false;
    return strcmp(key, "UTF-8") == 0 || strcmp(key, "UTF8") == 0 || strcmp(key, "US-ASCII") == 0 ||
           strcmp(key, "ASCII") == 0;
}

uint32_t
mime_to_utf8(const struct mime_charsets *cs, const uint8_t *charset, uint32_t clen,
             const uint8_t *in, uint32_t n, uint8_t *out, uint32_t cap)
{
    iconv_t cd;
    char *ip, *op;
    size_t il, ol;

    if (charset == NULL || clen == 0 || mime_is_utf8_name(charset, clen))
        return mime_copy_utf8(in, n, out, 0, cap);
    cd = (iconv_t)mime_charset_find(cs, charset, clen);
    if (cd == NULL)
        return mime_copy_utf8(in, n, out, 0, cap);
    (void)iconv(cd, NULL, NULL, NULL, NULL); /* initial shift state */
    ip = (char *)(uintptr_t)in;
    il = n;
    op = (char *)out;
    ol = cap;
    while (il > 0) {
        size_t r = iconv(cd, &ip, &il, &op, &ol);
        uint32_t o, o2;
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG)
            break;
        /* EILSEQ / EINVAL: the byte is not in the charset, or a sequence is cut */
        o = (uint32_t)(cap - ol);
        o2 = mime_escape((uint8_t)*ip, out, o, cap);
        if (o2 == o)
            break;
        op = (char *)out + o2;
        ol = cap - o2;
        ip++;
        il--;
        (void)iconv(cd, NULL, NULL, NULL, NULL);
    }
    (void)iconv(cd, NULL, NULL, &op, &ol); /* back to the initial shift state */
    return (uint32_t)(cap - ol);
}

/* ------------------------------------------------------------- RFC 2047 */

#define MIME_WORDS_IN_MAX 2048u

struct mime_word {
    const uint8_t *cs; /* charset */
    uint32_t cs_len;
    uint8_t enc; /* 'B' or 'Q' */
    const uint8_t *text;
    uint32_t text_len;
    uint32_t end; /* offset after "?=" */
};

/* An encoded word at in[0] ("=?"...), false when it is not one. */
static bool
mime_word_parse(const uint8_t *in, uint32_t n, struct mime_word *w)
{
    uint32_t i = 2, q1, q2;

    if (n < 8 || in[0] != '=' || in[1] != '?')
        return false;
    for (q1 = i; q1 < n && in[q1] != '?'; q1++)
        if (mime_is_space(in[q1]))
            return false;
    if (q1 + 3 >= n || q1 == i || in[q1 + 2] != '?')
        return false;
    w->enc = mime_upper(in[q1 + 1]);
    if (w->enc != 'B' && w->enc != 'Q')
        return false;
    for (q2 = q1 + 3; q2 + 1 < n; q2++) {
        if (mime_is_space(in[q2]))
            return false;
        if (in[q2] == '?' && in[q2 + 1] == '=')
            break;
    }
    if (q2 + 1 >= n)
        return false;
    w->cs = in + i;
    w->cs_len = q1 - i;
    w->text = in + q1 + 3;
    w->text_len = q2 - (q1 + 3);
    w->end = q2 + 2;
    return true;
}

/* Decode base64 (RFC 4648, padding optional) into out; bytes outside the alphabet skipped. */
static uint32_t
mime_b64_decode(const uint8_t *in, uint32_t n, uint8_t *out, uint32_t cap)
{
    uint32_t acc = 0, bits = 0, o = 0, i;

    for (i = 0; i < n && o < cap; i++) {
        int v;
        uint8_t c = in[i];
        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= 'a' && c <= 'z')
            v = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            v = c - '0' + 52;
        else if (c == '+')
            v = 62;
        else if (c == '/')
            v = 63;
        else if (c == '=')
            break;
        else
            continue;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (uint8_t)(acc >> bits);
        }
    }
    return o;
}

/* RFC 2047 4.2 Q encoding: "_" is a space, "=XX" a byte. */
static uint32_t
mime_q_decode(const uint8_t *in, uint32_t n, uint8_t *out, uint32_t cap)
{
    uint32_t i, o = 0;

    for (i = 0; i < n && o < cap; i++) {
        if (in[i] == '_') {
            out[o++] = ' ';
        } else if (in[i] == '=' && i + 2 < n && mime_hex(in[i + 1]) >= 0 &&
                   mime_hex(in[i + 2]) >= 0) {
            out[o++] = (uint8_t)(mime_hex(in[i + 1]) << 4 | mime_hex(in[i + 2]));
            i += 2;
        } else {
            out[o++] = in[i];
        }
    }
    return o;
}

uint32_t
mime_decode_words(const struct mime_charsets *cs, const uint8_t *in, uint32_t n, uint8_t *out,
                  uint32_t cap)
{
    uint8_t dec[MIME_WORDS_IN_MAX];
    uint32_t dec_len = 0, o = 0, i = 0, lit = 0;
    const uint8_t *dec_cs = NULL;
    uint32_t dec_cs_len = 0;
    struct mime_word w;

    if (n > MIME_WORDS_IN_MAX)
        n = MIME_WORDS_IN_MAX;
    while (i < n) {
        uint32_t j;
        if (!mime_word_parse(in + i, n - i, &w)) {
            i++;
            continue;
        }
        /* text before the word: dropped when it is white space between two words */
        for (j = lit; j < i && mime_is_space(in[j]); j++)
            ;
        if (j < i || dec_cs == NULL) {
            if (dec_cs != NULL) {
                o += mime_to_utf8(cs, dec_cs, dec_cs_len, dec, dec_len, out + o, cap - o);
                dec_cs = NULL;
                dec_len = 0;
            }
            o = mime_copy_utf8(in + lit, i - lit, out, o, cap);
        }
        /* a charset change ends the run of words decoded together */
        if (dec_cs != NULL && !mime_eq_bytes_nocase(dec_cs, dec_cs_len, w.cs, w.cs_len)) {
            o += mime_to_utf8(cs, dec_cs, dec_cs_len, dec, dec_len, out + o, cap - o);
            dec_len = 0;
        }
        dec_cs = w.cs;
        dec_cs_len = w.cs_len;
        if (w.enc == 'B')
            dec_len +=
                    mime_b64_decode(w.text, w.text_len, dec + dec_len, MIME_WORDS_IN_MAX - dec_len);
        else
            dec_len +=
                    mime_q_decode(w.text, w.text_len, dec + dec_len, MIME_WORDS_IN_MAX - dec_len);
        i += w.end;
        lit = i;
    }
    if (dec_cs != NULL)
        o += mime_to_utf8(cs, dec_cs, dec_cs_len, dec, dec_len, out + o, cap - o);
    return mime_copy_utf8(in + lit, n - lit, out, o, cap);
}

/* ------------------------------------------------------------- parameters */

#define MIME_PARAMS_MAX 64u

struct mime_pv {
    const uint8_t *name, *val;
    uint32_t name_len, val_len;
    bool quoted;
};

/*
 * The parameters after the first ';' of a header value (Suricata's
 * mime_parse_header_tokens): name "=" (quoted-string / value up to ';').
 * Returns how many were found.
 */
static uint32_t
mime_params_split(const uint8_t *v, uint32_t n, struct mime_pv *pv)
{
    uint32_t i = 0, k = 0;

    while (i < n && v[i] != ';')
        i++;
    if (i < n)
        i++;
    while (i < n && k < MIME_PARAMS_MAX) {
        uint32_t ns, ne, vs, ve;
        while (i < n && mime_is_space(v[i]))
            i++;
        ns = i;
        while (i < n && v[i] != '=' && v[i] != ';')
            i++;
        if (i >= n || v[i] == ';') {
            i++; /* a parameter without a value: skipped */
            continue;
        }
        ne = i;
        while (ne > ns && mime_is_space(v[ne - 1]))
            ne--;
        i++;
        while (i < n && mime_is_wsp(v[i]))
            i++;
        pv[k].quoted = i < n && v[i] == '"';
        if (pv[k].quoted) {
            bool esc = false;
            vs = ++i;
            while (i < n && (esc || v[i] != '"')) {
                esc = !esc && v[i] == '\\';
                i++;
            }
            ve = i;
            if (i < n)
                i++;
            while (i < n && v[i] != ';')
                i++;
        } else {
            vs = i;
            while (i < n && v[i] != ';')
                i++;
            ve = i;
            while (ve > vs && mime_is_space(v[ve - 1]))
                ve--;
        }
        if (i < n)
            i++;
        pv[k].name = v + ns;
        pv[k].name_len = ne - ns;
        pv[k].val = v + vs;
        pv[k].val_len = ve - vs;
        k++;
    }
    return k;
}

/* Parameter named base + suffix (suffix ASCII, may be ""), any case. */
static const struct mime_pv *
mime_pv_find(const struct mime_pv *pv, uint32_t k, const char *base, const char *suffix)
{
    uint32_t i, bl = (uint32_t)strlen(base), sl = (uint32_t)strlen(suffix);

    for (i = 0; i < k; i++) {
        if (pv[i].name_len != bl + sl || !mime_prefix_nocase(pv[i].name, bl, base))
            continue;
        if (sl == 0 || memcmp(pv[i].name + bl, suffix, sl) == 0)
            return &pv[i];
    }
    return NULL;
}

/* Append a value: quoted-pairs unescaped, or %XX decoded (RFC 2231 extended). */
static uint32_t
mime_pv_append(const struct mime_pv *p, bool pct, uint8_t *out, uint32_t o, uint32_t cap)
{
    uint32_t i;

    for (i = 0; i < p->val_len && o < cap; i++) {
        uint8_t c = p->val[i];
        if (p->quoted && c == '\\' && i + 1 < p->val_len) {
            c = p->val[++i];
        } else if (pct && c == '%' && i + 2 < p->val_len && mime_hex(p->val[i + 1]) >= 0 &&
                   mime_hex(p->val[i + 2]) >= 0) {
            c = (uint8_t)(mime_hex(p->val[i + 1]) << 4 | mime_hex(p->val[i + 2]));
            i += 2;
        }
        out[o++] = c;
    }
    return o;
}

/*
 * The raw (undecoded) value of parameter param into out, -1 when absent;
 * *full receives its length before the cut at cap.
 */
static int32_t
mime_param_raw(const uint8_t *v, uint32_t n, const char *param, uint8_t *out, uint32_t cap,
               uint32_t *full)
{
    struct mime_pv pv[MIME_PARAMS_MAX];
    uint32_t k = mime_params_split(v, n, pv);
    const struct mime_pv *p = mime_pv_find(pv, k, param, "");

    if (p == NULL)
        return -1;
    *full = p->val_len;
    return (int32_t)mime_pv_append(p, false, out, 0, cap);
}

/* "*N" (ext: "*N*") of RFC 2231 section N into buf (8 bytes). */
static void
mime_section_suffix(uint32_t idx, bool ext, char *buf)
{
    char digits[4];
    int w = 0, o = 0;

    do {
        digits[w++] = (char)('0' + idx % 10);
        idx /= 10;
    } while (idx > 0 && w < 3);
    buf[o++] = '*';
    while (w > 0)
        buf[o++] = digits[--w];
    if (ext)
        buf[o++] = '*';
    buf[o] = '\0';
}

int32_t
mime_param(const struct mime_charsets *cs, const uint8_t *v, uint32_t n, const char *param,
           uint8_t *out, uint32_t cap, uint32_t *raw_len)
{
    struct mime_pv pv[MIME_PARAMS_MAX];
    uint8_t raw[MIME_WORDS_IN_MAX];
    uint32_t k = mime_params_split(v, n, pv), r = 0, i;
    const struct mime_pv *p;
    const uint8_t *charset = NULL;
    uint32_t charset_len = 0, plen = (uint32_t)strlen(param);
    char suffix[8];

    p = mime_pv_find(pv, k, param, "*");
    if (p == NULL)
        p = mime_pv_find(pv, k, param, "*0*");
    if (p != NULL) {
        /* RFC 2231 4: charset'lang'value, %XX encoded */
        uint32_t q1, q2;
        struct mime_pv first = *p;
        for (q1 = 0; q1 < first.val_len && first.val[q1] != '\''; q1++)
            ;
        for (q2 = q1 + 1; q2 < first.val_len && first.val[q2] != '\''; q2++)
            ;
        if (q2 < first.val_len) {
            charset = first.val;
            charset_len = q1;
            first.val += q2 + 1;
            first.val_len -= q2 + 1;
        }
        r = mime_pv_append(&first, true, raw, r, sizeof(raw));
        /* further sections: name*1*, name*2, ... (RFC 2231 3) */
        for (i = 1; p->name_len > plen + 1 && p->name[plen + 1] == '0' && i < MIME_PARAMS_MAX;
             i++) {
            const struct mime_pv *sec;
            mime_section_suffix(i, true, suffix);
            sec = mime_pv_find(pv, k, param, suffix);
            if (sec != NULL) {
                r = mime_pv_append(sec, true, raw, r, sizeof(raw));
                continue;
            }
            mime_section_suffix(i, false, suffix);
            sec = mime_pv_find(pv, k, param, suffix);
            if (sec == NULL)
                break;
            r = mime_pv_append(sec, false, raw, r, sizeof(raw));
        }
        if (raw_len != NULL)
            *raw_len = r;
        return (int32_t)mime_to_utf8(cs, charset, charset_len, raw, r, out, cap);
    }
    p = mime_pv_find(pv, k, param, "");
    if (p != NULL) {
        r = mime_pv_append(p, false, raw, 0, sizeof(raw));
        if (raw_len != NULL)
            *raw_len = r;
        return (int32_t)mime_decode_words(cs, raw, r, out, cap);
    }
    /* plain continuations: name*0, name*1, ... (Suricata's RFC 2231 support) */
    p = mime_pv_find(pv, k, param, "*0");
    if (p == NULL)
        return -1;
    for (i = 0; i < MIME_PARAMS_MAX; i++) {
        const struct mime_pv *sec;
        mime_section_suffix(i, false, suffix);
        sec = mime_pv_find(pv, k, param, suffix);
        if (sec == NULL)
            break;
        r = mime_pv_append(sec, false, raw, r, sizeof(raw));
    }
    if (raw_len != NULL)
        *raw_len = r;
    return (int32_t)mime_decode_words(cs, raw, r, out, cap);
}

/* ------------------------------------------------------------- config */

void
mime_cfg_defaults(struct mime_cfg *c)
{
    memset(c, 0, sizeof(*c));
    c->decode_base64 = true;
    c->decode_qp = true;
    c->extract_urls = true;
    c->max_depth = MIME_DEPTH_MAX;
    (void)mime_cfg_add_scheme(c, "http");
}

bool
mime_cfg_add_scheme(struct mime_cfg *c, const char *scheme)
{
    size_t n = strlen(scheme), i;

    if (c->n_schemes >= MIME_SCHEMES_MAX || n == 0 || n + 3 > MIME_SCHEME_LEN)
        return false;
    for (i = 0; i < n; i++)
        c->scheme[c->n_schemes][i] = mime_lower((uint8_t)scheme[i]);
    memcpy(c->scheme[c->n_schemes] + n, "://", 3);
    c->scheme_len[c->n_schemes] = (uint8_t)(n + 3);
    c->n_schemes++;
    return true;
}

/* ------------------------------------------------------------- output */

static void
mime_event(struct mime_state *m, const struct mime_hooks *h, enum mime_event ev)
{
    (void)m;
    if (h != NULL && h->event != NULL)
        h->event(h->ctx, ev);
}

static void
mime_out_flush(struct mime_state *m, const struct mime_hooks *h)
{
    if (m->out_len > 0 && m->file_open && h != NULL && h->file_data != NULL)
        h->file_data(h->ctx, m->out, m->out_len);
    m->out_len = 0;
}

static void
mime_url_end(struct mime_state *m, const struct mime_hooks *h)
{
    if (!m->url_on)
        return;
    if (m->url_total > m->url_len)
        m->urls_truncated++;
    if (h != NULL && h->url != NULL)
        h->url(h->ctx, m->url, m->url_len);
    m->url_on = false;
    m->url_len = 0;
    m->url_total = 0;
}

/* One decoded byte through the URL scanner (Suricata's mime_smtp_extract_urls, streamed). */
static void
mime_url_byte(struct mime_state *m, const struct mime_hooks *h, uint8_t c)
{
    const struct mime_cfg *cfg = m->cfg;
    uint8_t lc = mime_lower(c);
    uint8_t s;

    if (m->url_on) {
        if (c == ' ' || c == '"' || c == '\'' || c == '<' || c == '>' || c == ']' || c == '\t' ||
            c == '\r' || c == '\n') {
            mime_url_end(m, h);
        } else {
            if (m->url_len < MIME_URL_MAX)
                m->url[m->url_len++] = c;
            m->url_total++;
            return;
        }
    }
    for (s = 0; s < cfg->n_schemes; s++) {
        uint8_t k = m->url_match[s];
        if (lc == cfg->scheme[s][k]) {
            k++;
        } else {
            k = lc == cfg->scheme[s][0] ? 1 : 0;
        }
        m->url_match[s] = k;
        if (k < cfg->scheme_len[s])
            continue;
        /* a scheme matched: the URL follows, up to a terminator */
        memset(m->url_match, 0, sizeof(m->url_match));
        m->url_on = true;
        m->url_scheme = s;
        m->url_len = 0;
        m->url_total = 0;
        if (cfg->log_url_scheme) {
            memcpy(m->url, cfg->scheme[s], cfg->scheme_len[s]);
            m->url_len = cfg->scheme_len[s];
            m->url_total = m->url_len;
        }
        return;
    }
}

/* A decoded byte of the current part: to the file, and through the URL scanner. */
static void
mime_emit(struct mime_state *m, const struct mime_hooks *h, uint8_t c)
{
    if (m->file_open) {
        if (m->out_len == MIME_OUT_BUF)
            mime_out_flush(m, h);
        m->out[m->out_len++] = c;
    }
    if (m->cfg->extract_urls && m->cfg->n_schemes > 0)
        mime_url_byte(m, h, c);
}

/* ------------------------------------------------------------- decoders */

static int
mime_b64_val(uint8_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* A complete quantum (Suricata's scbase64 decode_rfc2045: "=" ends it early). */
static void
mime_b64_quantum(struct mime_state *m, const struct mime_hooks *h)
{
    int v0 = mime_b64_val(m->b64_q[0]), v1 = mime_b64_val(m->b64_q[1]), v2, v3;

    m->b64_n = 0;
    if (v0 < 0 || v1 < 0) {
        if (!m->b64_bad_line)
            mime_event(m, h, MIME_EV_INVALID_BASE64);
        m->b64_bad_line = true;
        return;
    }
    mime_emit(m, h, (uint8_t)(v0 << 2 | v1 >> 4));
    if (m->b64_q[2] == '=')
        return;
    v2 = mime_b64_val(m->b64_q[2]);
    mime_emit(m, h, (uint8_t)((v1 & 15) << 4 | v2 >> 2));
    if (m->b64_q[3] == '=')
        return;
    v3 = mime_b64_val(m->b64_q[3]);
    mime_emit(m, h, (uint8_t)((v2 & 3) << 6 | v3));
}

static void
mime_b64_byte(struct mime_state *m, const struct mime_hooks *h, uint8_t c)
{
    if (mime_b64_val(c) < 0 && c != '=')
        return; /* RFC 2045 6.8: characters outside the alphabet are ignored */
    m->b64_q[m->b64_n++] = c;
    if (m->b64_n == 4)
        mime_b64_quantum(m, h);
}

/* The part ends: a partial quantum is padded with "=" as Suricata does. */
static void
mime_b64_flush(struct mime_state *m, const struct mime_hooks *h)
{
    if (m->b64_n == 0)
        return;
    while (m->b64_n < 4)
        m->b64_q[m->b64_n++] = '=';
    mime_b64_quantum(m, h);
}

/* Quoted-printable content byte (not an end of line). */
static void
mime_qp_byte(struct mime_state *m, const struct mime_hooks *h, uint8_t c)
{
    int a, b;

    switch (m->qp_st) {
    case 0:
        if (c == '=')
            m->qp_st = 1;
        else
            mime_emit(m, h, c);
        return;
    case 1:
        m->qp_c1 = c;
        m->qp_st = 2;
        return;
    default:
        m->qp_st = 0;
        a = mime_hex_upper(m->qp_c1);
        b = mime_hex_upper(c);
        if (a < 0 || b < 0) {
            if (!m->qp_bad_line)
                mime_event(m, h, MIME_EV_INVALID_QP);
            m->qp_bad_line = true;
            return;
        }
        mime_emit(m, h, (uint8_t)(a << 4 | b));
        return;
    }
}

/* End of a quoted-printable line: "=" last is a soft break; "=X" is invalid. */
static void
mime_qp_eol(struct mime_state *m, const struct mime_hooks *h, const uint8_t *eol, uint8_t n)
{
    uint8_t i;

    if (m->qp_st == 1) {
        m->qp_st = 0;
        return;
    }
    if (m->qp_st == 2) {
        if (!m->qp_bad_line)
            mime_event(m, h, MIME_EV_INVALID_QP);
        m->qp_st = 0;
    }
    for (i = 0; i < n; i++)
        mime_emit(m, h, eol[i]);
}

/* ------------------------------------------------------------- parts */

/* Does the current part's content reach a file or the URL scanner? */
static bool
mime_part_is_sink(const struct mime_state *m)
{
    return m->file_open || (m->text && m->cfg->extract_urls && m->cfg->n_schemes > 0);
}

static bool
mime_part_decodes(const struct mime_state *m)
{
    return (m->enc == MIME_ENC_BASE64 && m->cfg->decode_base64) ||
           (m->enc == MIME_ENC_QP && m->cfg->decode_qp) || m->enc == MIME_ENC_PLAIN;
}

/* Content bytes of a body line (not its end). */
static void
mime_content(struct mime_state *m, const struct mime_hooks *h, const uint8_t *p, uint32_t n)
{
    uint32_t i;

    if (n == 0 || !mime_part_is_sink(m) || !mime_part_decodes(m)) {
        m->eol_len = 0;
        return;
    }
    switch (m->enc) {
    case MIME_ENC_BASE64:
        for (i = 0; i < n; i++)
            mime_b64_byte(m, h, p[i]);
        break;
    case MIME_ENC_QP:
        for (i = 0; i < n; i++)
            mime_qp_byte(m, h, p[i]);
        break;
    default:
        /* the previous line's end was content after all */
        for (i = 0; i < m->eol_len; i++)
            mime_emit(m, h, m->eol[i]);
        m->eol_len = 0;
        for (i = 0; i < n; i++)
            mime_emit(m, h, p[i]);
        break;
    }
}

/* End of a body line that is content: eol is "\r\n" or "\n". */
static void
mime_content_eol(struct mime_state *m, const struct mime_hooks *h, const uint8_t *eol, uint8_t n)
{
    uint8_t i;

    if (m->line_len > MIME_WARN_LINE)
        mime_event(m, h, MIME_EV_LONG_LINE);
    if (mime_part_is_sink(m) && m->enc != MIME_ENC_PLAIN && mime_part_decodes(m) &&
        m->line_len > MIME_WARN_ENC_LINE)
        mime_event(m, h, MIME_EV_LONG_ENC_LINE);
    m->b64_bad_line = false;
    m->qp_bad_line = false;
    if (!mime_part_is_sink(m) || !mime_part_decodes(m))
        return;
    if (m->enc == MIME_ENC_QP) {
        mime_qp_eol(m, h, eol, n);
    } else if (m->enc == MIME_ENC_PLAIN) {
        /* an empty line: the previous end of line is content too */
        for (i = 0; i < m->eol_len; i++)
            mime_emit(m, h, m->eol[i]);
        memcpy(m->eol, eol, n);
        m->eol_len = n;
    }
}

/* The current part ends (a delimiter, or the end of the message). */
static void
mime_part_end(struct mime_state *m, const struct mime_hooks *h, bool truncated)
{
    if (m->enc == MIME_ENC_BASE64 && m->cfg->decode_base64 && mime_part_is_sink(m))
        mime_b64_flush(m, h);
    m->b64_n = 0;
    m->qp_st = 0;
    m->eol_len = 0;
    mime_out_flush(m, h);
    mime_url_end(m, h);
    memset(m->url_match, 0, sizeof(m->url_match));
    if (m->file_open) {
        m->file_open = false;
        if (h != NULL && h->file_close != NULL)
            h->file_close(h->ctx, truncated);
    }
}

/* Fresh header state for the next entity. */
static void
mime_part_begin(struct mime_state *m)
{
    m->state = MS_HDR;
    m->enc = MIME_ENC_PLAIN;
    m->text = true; /* no Content-Type: text/plain (RFC 2045 5.2) */
    m->ct_seen = false;
    m->name_seen = false;
    m->encap = false;
    m->bnd_pending_len = 0;
    m->hdr_pending = false;
    m->hdr_cut = false;
    m->hdr_len = 0;
    m->line_kept = 0;
    m->in_headers_trunc = false;
}

/* ------------------------------------------------------------- headers */

/* Content-Type of a part: its kind, boundary and file name. */
static void
mime_hdr_content_type(struct mime_state *m, const struct mime_hooks *h, const uint8_t *v,
                      uint32_t n)
{
    const uint8_t *t = v;
    uint32_t tl = 0, raw = 0;
    int32_t r;

    if (m->ct_seen)
        return;
    m->ct_seen = true;
    while (tl < n && v[tl] != ';')
        tl++;
    mime_trim(&t, &tl);
    m->text = mime_eq_nocase(t, tl, "text/plain") || mime_eq_nocase(t, tl, "text/html");
    m->encap = mime_prefix_nocase(t, tl, "message/");
    if (mime_prefix_nocase(t, tl, "multipart/")) {
        uint32_t full = 0;
        r = mime_param_raw(v, n, "boundary", m->bnd_pending + 2, MIME_BOUNDARY_MAX, &full);
        if (r > 0) {
            m->bnd_pending[0] = '-';
            m->bnd_pending[1] = '-';
            m->bnd_pending_len = (uint8_t)(r + 2);
            if (full > MIME_WARN_BOUNDARY)
                mime_event(m, h, MIME_EV_LONG_BOUNDARY);
        }
    }
    if (!m->name_seen) {
        uint8_t name[MIME_NAME_MAX];
        r = mime_param(m->cfg->charsets, v, n, "name", name, sizeof(name), &raw);
        if (r >= 0) {
            m->name_seen = true;
            m->name_len = (uint32_t)r;
            memcpy(m->name, name, (size_t)r);
            if (raw > MIME_WARN_FILENAME)
                mime_event(m, h, MIME_EV_LONG_FILENAME);
        }
    }
}

static void
mime_hdr_disposition(struct mime_state *m, const struct mime_hooks *h, const uint8_t *v, uint32_t n)
{
    uint8_t name[MIME_NAME_MAX];
    uint32_t raw = 0;
    int32_t r;

    if (m->name_seen)
        return;
    r = mime_param(m->cfg->charsets, v, n, "filename", name, sizeof(name), &raw);
    if (r < 0)
        return;
    m->name_seen = true;
    m->name_len = (uint32_t)r;
    memcpy(m->name, name, (size_t)r);
    if (raw > MIME_WARN_FILENAME)
        mime_event(m, h, MIME_EV_LONG_FILENAME);
}

static void
mime_hdr_encoding(struct mime_state *m, const uint8_t *v, uint32_t n)
{
    mime_trim(&v, &n);
    if (mime_eq_nocase(v, n, "base64"))
        m->enc = MIME_ENC_BASE64;
    else if (mime_eq_nocase(v, n, "quoted-printable"))
        m->enc = MIME_ENC_QP;
    else
        m->enc = MIME_ENC_PLAIN;
}

/* hdr[] holds a complete field: report it and take what the part needs. */
static void
mime_hdr_commit(struct mime_state *m, const struct mime_hooks *h)
{
    const uint8_t *name = m->hdr, *v;
    uint32_t nl = m->hdr_name_len, vl;

    if (!m->hdr_pending)
        return;
    m->hdr_pending = false;
    v = m->hdr + nl + 1;
    vl = m->hdr_len - nl - 1;
    while (vl > 0 && mime_is_space(v[0])) {
        v++;
        vl--;
    }
    if (nl > MIME_WARN_HDR_NAME)
        mime_event(m, h, MIME_EV_LONG_HEADER_NAME);
    if (vl > MIME_WARN_HDR_VAL)
        mime_event(m, h, MIME_EV_LONG_HEADER_VALUE);
    if (!m->top_done && h != NULL && h->header != NULL)
        h->header(h->ctx, name, nl, v, vl);
    if (mime_eq_nocase(name, nl, "content-type"))
        mime_hdr_content_type(m, h, v, vl);
    else if (mime_eq_nocase(name, nl, "content-disposition"))
        mime_hdr_disposition(m, h, v, vl);
    else if (mime_eq_nocase(name, nl, "content-transfer-encoding"))
        mime_hdr_encoding(m, v, vl);
}

/* Append to the field in hdr[] (cut at MIME_HDR_MAX, counted once per field). */
static void
mime_hdr_append(struct mime_state *m, const uint8_t *p, uint32_t n)
{
    uint32_t room = MIME_HDR_MAX - m->hdr_len;

    if (n > room) {
        if (!m->hdr_cut)
            m->hdr_truncated++;
        m->hdr_cut = true;
        n = room;
    }
    memcpy(m->hdr + m->hdr_len, p, n);
    m->hdr_len += n;
}

/* Which boundary (index) line[0..n) is a delimiter of, -1 if none (longest wins). */
static int
mime_delim_match(const struct mime_state *m, const uint8_t *s, uint32_t n)
{
    int best = -1;
    uint8_t i, best_len = 0;

    for (i = 0; i < m->depth; i++) {
        const struct mime_boundary *b = &m->bnd[i];
        if (b->len <= n && b->len >= best_len && memcmp(s, b->b, b->len) == 0) {
            best = i;
            best_len = b->len;
        }
    }
    return best;
}

static void mime_delimiter(struct mime_state *m, const struct mime_hooks *h, int idx, bool close);

/* The header block of an entity ended (a blank line, or a delimiter line). */
static void
mime_headers_end(struct mime_state *m, const struct mime_hooks *h)
{
    mime_hdr_commit(m, h);
    if (!m->top_done)
        m->top_done = true;
    m->state = MS_BODY;
    m->at_bol = true;
    m->bol_stream = false;
    m->delim_line = false;
    m->hold_len = 0;
    m->eol_len = 0;
    m->b64_n = 0;
    m->qp_st = 0;
    if (m->encap) {
        /* message/ *: the body is a message of its own, headers first */
        if ((uint32_t)m->level + m->depth < m->cfg->max_depth) {
            m->level++;
            mime_part_begin(m);
            return;
        }
        m->depth_limited++;
        m->text = false;
        return;
    }
    if (m->bnd_pending_len > 0) {
        /* multipart: the preamble is not content */
        m->text = false;
        if ((uint32_t)m->level + m->depth < m->cfg->max_depth && m->depth < MIME_DEPTH_MAX) {
            struct mime_boundary *b = &m->bnd[m->depth++];
            b->len = m->bnd_pending_len;
            memcpy(b->b, m->bnd_pending, b->len);
        } else {
            m->depth_limited++;
        }
        return;
    }
    if (m->name_seen) {
        m->file_open = true;
        if (h != NULL && h->file_open != NULL)
            h->file_open(h->ctx, m->name, m->name_len);
    }
}

/* A complete physical header line in line[0..line_kept). */
static void
mime_hdr_line(struct mime_state *m, const struct mime_hooks *h)
{
    const uint8_t *s = m->line;
    uint32_t n = m->line_kept, i;
    int idx;

    if (m->line_len > MIME_WARN_LINE)
        mime_event(m, h, MIME_EV_LONG_LINE);
    if (m->in_headers_trunc)
        m->hdr_truncated++;
    m->line_kept = 0;
    m->line_len = 0;
    m->in_headers_trunc = false;
    if (n == 0) {
        mime_headers_end(m, h);
        return;
    }
    if (mime_is_wsp(s[0])) {
        /* folded: Suricata appends the line minus its first white space byte */
        if (m->hdr_pending)
            mime_hdr_append(m, s + 1, n - 1);
        return;
    }
    if (m->depth > 0 && n >= 2 && s[0] == '-' && s[1] == '-' &&
        (idx = mime_delim_match(m, s, n)) >= 0) {
        /* a part without a blank line after its headers: no body */
        bool close = n >= (uint32_t)m->bnd[idx].len + 2 && s[m->bnd[idx].len] == '-' &&
                     s[m->bnd[idx].len + 1] == '-';
        mime_headers_end(m, h);
        if (m->state == MS_BODY)
            mime_delimiter(m, h, idx, close);
        return;
    }
    mime_hdr_commit(m, h);
    for (i = 0; i < n && s[i] != ':'; i++)
        ;
    if (i == n)
        return; /* not a field: ignored, as Suricata does */
    m->hdr_len = 0;
    m->hdr_cut = false;
    m->hdr_name_len = i;
    mime_hdr_append(m, s, n);
    m->hdr_pending = m->hdr_len > i; /* the colon was kept */
}

/* Header bytes: assemble lines (CRLF or LF ends one; a lone CR is kept). */
static uint32_t
mime_hdr_bytes(struct mime_state *m, const struct mime_hooks *h, const uint8_t *p, uint32_t n)
{
    uint32_t i;

    for (i = 0; i < n && m->state == MS_HDR; i++) {
        uint8_t c = p[i];
        if (m->cr) {
            m->cr = 0;
            if (c == '\n') {
                mime_hdr_line(m, h);
                continue;
            }
            if (m->line_kept < MIME_LINE_MAX)
                m->line[m->line_kept++] = '\r';
            m->line_len++;
        }
        if (c == '\r') {
            m->cr = 1;
            continue;
        }
        if (c == '\n') {
            mime_hdr_line(m, h);
            continue;
        }
        if (m->line_kept < MIME_LINE_MAX)
            m->line[m->line_kept++] = c;
        else
            m->in_headers_trunc = true;
        m->line_len++;
    }
    return i;
}

/* ------------------------------------------------------------- body */

/* A delimiter line of boundary idx ended (close: "--" followed it). */
static void
mime_delimiter(struct mime_state *m, const struct mime_hooks *h, int idx, bool close)
{
    /* the CRLF before a delimiter belongs to it */
    m->eol_len = 0;
    mime_part_end(m, h, false);
    /* inner multiparts left open end here too */
    m->depth = (uint8_t)(idx + 1);
    if (close) {
        m->depth = (uint8_t)idx;
        /* the epilogue is not content */
        m->state = MS_BODY;
        m->text = false;
        m->enc = MIME_ENC_PLAIN;
        m->at_bol = true;
        m->bol_stream = false;
        m->hold_len = 0;
        return;
    }
    mime_part_begin(m);
}

/* Could hold[0..hold_len) still become a delimiter? *full: the longest complete one. */
static bool
mime_hold_may_match(const struct mime_state *m, int *full)
{
    bool more = false;
    uint8_t i, best = 0;

    *full = -1;
    for (i = 0; i < m->depth; i++) {
        const struct mime_boundary *b = &m->bnd[i];
        uint32_t k = m->hold_len < b->len ? m->hold_len : b->len;
        if (memcmp(m->hold, b->b, k) != 0)
            continue;
        if (m->hold_len < b->len)
            more = true;
        else if (b->len >= best) {
            best = b->len;
            *full = i;
        }
    }
    return more;
}

/* The held line start is not a delimiter: it is content. */
static void
mime_hold_flush(struct mime_state *m, const struct mime_hooks *h)
{
    uint8_t n = m->hold_len;

    m->hold_len = 0;
    m->bol_stream = true;
    mime_content(m, h, m->hold, n);
}

/* The held bytes form delimiter idx; the rest of the line is its tail. */
static void
mime_hold_delim(struct mime_state *m, const struct mime_hooks *h, int idx)
{
    uint8_t bl = m->bnd[idx].len, i;

    (void)h;
    m->bol_stream = true;
    m->delim_line = true;
    m->delim_idx = (uint8_t)idx;
    m->delim_tail = 0;
    m->delim_close = true;
    for (i = bl; i < m->hold_len; i++) {
        if (m->delim_tail < 2 && m->hold[i] != '-')
            m->delim_close = false;
        if (m->delim_tail < 2)
            m->delim_tail++;
    }
    m->hold_len = 0;
}

/* End of a body line; eol is its CRLF or LF. */
static void
mime_body_eol(struct mime_state *m, const struct mime_hooks *h, const uint8_t *eol, uint8_t n)
{
    if (m->hold_len > 0) {
        int full;
        (void)mime_hold_may_match(m, &full);
        if (full >= 0)
            mime_hold_delim(m, h, full);
        else
            mime_hold_flush(m, h);
    }
    if (m->delim_line) {
        bool close = m->delim_close && m->delim_tail >= 2;
        if (m->line_len > MIME_WARN_LINE)
            mime_event(m, h, MIME_EV_LONG_LINE);
        m->delim_line = false;
        m->line_len = 0;
        mime_delimiter(m, h, m->delim_idx, close);
        m->at_bol = true;
        m->bol_stream = false;
        return;
    }
    mime_content_eol(m, h, eol, n);
    m->line_len = 0;
    m->at_bol = true;
    m->bol_stream = false;
}

/* Body bytes (no CR/LF among them: the caller splits lines). */
static void
mime_body_span(struct mime_state *m, const struct mime_hooks *h, const uint8_t *p, uint32_t n)
{
    uint32_t i = 0;

    m->line_len += n;
    if (m->delim_line) {
        for (; i < n && m->delim_tail < 2; i++, m->delim_tail++)
            if (p[i] != '-')
                m->delim_close = false;
        return;
    }
    if (m->at_bol) {
        m->at_bol = false;
        m->bol_stream = m->depth == 0;
        m->hold_len = 0;
    }
    while (!m->bol_stream && i < n) {
        int full;
        m->hold[m->hold_len++] = p[i++];
        if (mime_hold_may_match(m, &full) && m->hold_len < sizeof(m->hold))
            continue;
        if (full >= 0) {
            mime_hold_delim(m, h, full);
            for (; i < n && m->delim_tail < 2; i++, m->delim_tail++)
                if (p[i] != '-')
                    m->delim_close = false;
            return;
        }
        mime_hold_flush(m, h);
    }
    if (i < n)
        mime_content(m, h, p + i, n - i);
}

static uint32_t
mime_body_bytes(struct mime_state *m, const struct mime_hooks *h, const uint8_t *p, uint32_t n)
{
    static const uint8_t crlf[2] = {'\r', '\n'};
    uint32_t i = 0;

    while (i < n && m->state == MS_BODY) {
        uint32_t j;
        if (m->cr) {
            m->cr = 0;
            if (p[i] == '\n') {
                mime_body_eol(m, h, crlf, 2);
                i++;
                continue;
            }
            mime_body_span(m, h, crlf, 1); /* a lone CR is content */
        }
        for (j = i; j < n && p[j] != '\r' && p[j] != '\n'; j++)
            ;
        if (j > i)
            mime_body_span(m, h, p + i, j - i);
        if (j == n)
            return n;
        if (p[j] == '\r') {
            m->cr = 1;
        } else {
            mime_body_eol(m, h, crlf + 1, 1);
        }
        i = j + 1;
    }
    return i;
}

/* ------------------------------------------------------------- API */

void
mime_init(struct mime_state *m, const struct mime_cfg *cfg)
{
    /* the big buffers are written before they are read: no need to clear them */
    memset(m, 0, offsetof(struct mime_state, bnd));
    m->cfg = cfg;
    mime_part_begin(m);
}

void
mime_parse(struct mime_state *m, const uint8_t *p, uint32_t n, const struct mime_hooks *h)
{
    uint32_t i = 0, body_from = m->top_done ? 0 : UINT32_MAX;

    while (i < n) {
        uint32_t used;
        bool was_top = m->top_done;
        if (m->state == MS_HDR)
            used = mime_hdr_bytes(m, h, p + i, n - i);
        else
            used = mime_body_bytes(m, h, p + i, n - i);
        i += used;
        if (!was_top && m->top_done)
            body_from = i;
    }
    mime_out_flush(m, h);
    if (body_from < n && h != NULL && h->body != NULL)
        h->body(h->ctx, p + body_from, n - body_from);
}

void
mime_finish(struct mime_state *m, const struct mime_hooks *h, bool truncated)
{
    if (m->state == MS_HDR) {
        if (m->cr) {
            m->cr = 0;
            if (m->line_kept < MIME_LINE_MAX)
                m->line[m->line_kept++] = '\r';
        }
        if (m->line_kept > 0 || m->line_len > 0)
            mime_hdr_line(m, h);
        mime_hdr_commit(m, h);
    } else {
        if (m->cr) {
            m->cr = 0;
            mime_body_span(m, h, (const uint8_t *)"\r", 1);
        }
        if (m->hold_len > 0) {
            int full;
            (void)mime_hold_may_match(m, &full);
            if (full >= 0)
                mime_hold_delim(m, h, full);
            else
                mime_hold_flush(m, h);
        }
        if (m->line_len > MIME_WARN_LINE)
            mime_event(m, h, MIME_EV_LONG_LINE);
    }
    /* a held end of line is not part of the file (Suricata drops it at the end) */
    m->eol_len = 0;
    mime_part_end(m, h, truncated);
    m->state = MS_BODY;
    m->text = false;
    m->depth = 0;
}
