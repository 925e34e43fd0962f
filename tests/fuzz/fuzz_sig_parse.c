/*
 * fuzz_sig_parse.c - libFuzzer target for the rule parser
 * (signatures/sig_parse.c and the keyword files), address and port
 * expressions with variables (sig_addr.c), the build (sig_build.c,
 * Hyperscan) and the content/pcre inspection (sig_content.c).
 *
 *   input   rule text; each line is one rule (as in a rule file, without
 *           continuations). A line may be anything.
 *
 * Each input gets a fresh rule set with variables HOME_NET, EXTERNAL_NET,
 * HTTP_PORTS, a self-referencing LOOP and a deep chain. Rules that parse
 * are built, then every inspection list of every rule is matched against
 * the whole input as a buffer (the matcher sees hostile bytes and hostile
 * rules at once). Oracles besides ASan/UBSan (a violation aborts): a
 * failed rule always leaves a message; every rule's lists respect the
 * caps and every content has bytes; the rule count equals the successful
 * parses (duplicates aside).
 *
 * Reproduce: build/fuzz/replay_sig_parse FILE.
 */
#include "fuzz.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "sig_int.h"

static const char fuzz_vars[] = "%YAML 1.1\n"
                                "---\n"
                                "vars:\n"
                                "  address-groups:\n"
                                "    HOME_NET: \"[10.0.0.0/8,192.168.0.0/16,2001:db8::/32]\"\n"
                                "    EXTERNAL_NET: \"!$HOME_NET\"\n"
                                "    LOOP: \"$LOOP\"\n"
                                "    A1: \"$A2\"\n"
                                "    A2: \"[$A3,!1.2.3.4]\"\n"
                                "    A3: \"1.2.3.0/24\"\n"
                                "  port-groups:\n"
                                "    HTTP_PORTS: \"[80,8080:8090]\"\n"
                                "    LOOP: \"$LOOP\"\n";

static void
fuzz_check_list(const struct sig_list *l)
{
    uint16_t i;

    if (l->n > SIG_CM_MAX)
        abort();
    for (i = 0; i < l->n; i++)
        if (l->cm[i].type == SIG_CM_CONTENT && (l->cm[i].u.c.len == 0 || l->cm[i].u.c.pat == NULL))
            abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct cfg c;
    static bool ready;
    struct sig_db db;
    struct sig_parse *ps;
    struct sig_thread *t;
    uint64_t ctr[STAT_ID_COUNT];
    char *text = malloc(size + 1), *line, *rest;
    uint32_t ok = 0, i, k;
    char err[256];

    if (text == NULL)
        return 0;
    if (!ready) {
        cfg_init(&c);
        if (cfg_load_string(&c, fuzz_vars, "<fuzz>") < 0)
            abort();
        ready = true;
    }
    memcpy(text, data, size);
    text[size] = '\0';
    if (sig_db_init(&db) < 0 || (ps = sig_parse_create(&db, &c)) == NULL)
        abort();
    ps->file = "<fuzz>";
    for (rest = text; (line = sig_split(&rest, '\n')) != NULL;) {
        int rc;
        if (*line == '\0' || *line == '#')
            continue;
        rc = sig_parse_rule(ps, line);
        if (rc < 0 && ps->err[0] == '\0')
            abort(); /* a failure always says why */
        if (rc == 0)
            ok++;
    }
    sig_parse_destroy(ps);
    if (db.n_sigs != ok)
        abort();
    if (sig_db_build(&db, err, sizeof(err)) == 0) {
        memset(ctr, 0, sizeof(ctr));
        t = sig_thread_create(&db, NULL, 0, NULL, ctr);
        if (t == NULL)
            abort();
        for (i = 0; i < db.n_sigs; i++) {
            const struct sig *s = db.sigs[i];
            if (s->num != i || s->n_bufs > SIG_LISTS_MAX)
                abort();
            fuzz_check_list(&s->payload);
            (void)sig_list_match(t, &s->payload, data, (uint32_t)size);
            for (k = 0; k < s->n_bufs; k++) {
                fuzz_check_list(&s->bufs[k]);
                (void)sig_list_match(t, &s->bufs[k], data, (uint32_t)size);
            }
        }
        sig_thread_destroy(t);
    }
    sig_db_fini(&db);
    free(text);
    return 0;
}
