/*
 * sig_class.c - classification.config: classtype names, the alert
 * category text and the default priority (severity) they give a rule.
 *
 *   config classification: shortname,short description,priority
 *
 * The built-in table is Suricata's shipped etc/classification.config; a
 * classification-file replaces entries of the same name and adds others.
 */
#include "sig_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static const char sig_class_default[] =
        "config classification: not-suspicious,Not Suspicious Traffic,3\n"
        "config classification: unknown,Unknown Traffic,3\n"
        "config classification: bad-unknown,Potentially Bad Traffic, 2\n"
        "config classification: attempted-recon,Attempted Information Leak,2\n"
        "config classification: successful-recon-limited,Information Leak,2\n"
        "config classification: successful-recon-largescale,Large Scale Information Leak,2\n"
        "config classification: attempted-dos,Attempted Denial of Service,2\n"
        "config classification: successful-dos,Denial of Service,2\n"
        "config classification: attempted-user,Attempted User Privilege Gain,1\n"
        "config classification: unsuccessful-user,Unsuccessful User Privilege Gain,1\n"
        "config classification: successful-user,Successful User Privilege Gain,1\n"
        "config classification: attempted-admin,Attempted Administrator Privilege Gain,1\n"
        "config classification: successful-admin,Successful Administrator Privilege Gain,1\n"
        "config classification: rpc-portmap-decode,Decode of an RPC Query,2\n"
        "config classification: shellcode-detect,Executable code was detected,1\n"
        "config classification: string-detect,A suspicious string was detected,3\n"
        "config classification: suspicious-filename-detect,A suspicious filename was detected,2\n"
        "config classification: suspicious-login,An attempted login using a suspicious username "
        "was detected,2\n"
        "config classification: system-call-detect,A system call was detected,2\n"
        "config classification: tcp-connection,A TCP connection was detected,4\n"
        "config classification: trojan-activity,A Network Trojan was detected, 1\n"
        "config classification: unusual-client-port-connection,A client was using an unusual "
        "port,2\n"
        "config classification: network-scan,Detection of a Network Scan,3\n"
        "config classification: denial-of-service,Detection of a Denial of Service Attack,2\n"
        "config classification: non-standard-protocol,Detection of a non-standard protocol or "
        "event,2\n"
        "config classification: protocol-command-decode,Generic Protocol Command Decode,3\n"
        "config classification: web-application-activity,access to a potentially vulnerable web "
        "application,2\n"
        "config classification: web-application-attack,Web Application Attack,1\n"
        "config classification: misc-activity,Misc activity,3\n"
        "config classification: misc-attack,Misc Attack,2\n"
        "config classification: icmp-event,Generic ICMP event,3\n"
        "config classification: inappropriate-content,Inappropriate Content was Detected,1\n"
        "config classification: policy-violation,Potential Corporate Privacy Violation,1\n"
        "config classification: default-login-attempt,Attempt to login by a default username and "
        "password,2\n"
        "config classification: targeted-activity,Targeted Malicious Activity was Detected,1\n"
        "config classification: exploit-kit,Exploit Kit Activity Detected,1\n"
        "config classification: external-ip-check,Device Retrieving External IP Address "
        "Detected,2\n"
        "config classification: domain-c2,Domain Observed Used for C2 Detected,1\n"
        "config classification: pup-activity,Possibly Unwanted Program Detected,2\n"
        "config classification: credential-theft,Successful Credential Theft Detected,1\n"
        "config classification: social-engineering,Possible Social Engineering Attempted,2\n"
        "config classification: coin-mining,Crypto Currency Mining Activity Detected,2\n"
        "config classification: command-and-control,Malware Command and Control Activity "
        "Detected,1\n";

static char *
sig_class_trim(char *s)
{
    char *e;

    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        *--e = '\0';
    return s;
}

static int
sig_class_add(struct sig_db *db, const char *name, const char *desc, uint8_t prio)
{
    uint32_t i;
    struct sig_class *c;

    for (i = 0; i < db->n_classes; i++)
        if (strcmp(db->classes[i].name, name) == 0)
            break;
    if (i == db->n_classes) {
        c = realloc(db->classes, sizeof(*c) * (db->n_classes + 1));
        if (c == NULL)
            return NIDS_ENOMEM;
        db->classes = c;
        db->n_classes++;
    }
    db->classes[i].name = sig_arena_strdup(&db->arena, name);
    db->classes[i].desc = sig_arena_strdup(&db->arena, desc);
    db->classes[i].prio = prio;
    if (db->classes[i].name == NULL || db->classes[i].desc == NULL)
        return NIDS_ENOMEM;
    return 0;
}

/* One line; 1 when it was an entry, 0 for blank/comment, <0 for a bad line. */
static int
sig_class_line(struct sig_db *db, char *line)
{
    static const char pfx[] = "config classification:";
    char *s = sig_class_trim(line), *name, *desc, *prio, *end, *c1, *c2;
    unsigned long p;

    if (*s == '\0' || *s == '#')
        return 0;
    if (strncmp(s, pfx, sizeof(pfx) - 1) != 0)
        return NIDS_EINVAL;
    s += sizeof(pfx) - 1;
    c1 = strchr(s, ',');
    c2 = c1 != NULL ? strrchr(c1 + 1, ',') : NULL;
    if (c1 == NULL || c2 == NULL)
        return NIDS_EINVAL;
    *c1 = *c2 = '\0';
    name = sig_class_trim(s);
    desc = sig_class_trim(c1 + 1);
    prio = sig_class_trim(c2 + 1);
    p = strtoul(prio, &end, 10);
    if (*name == '\0' || !isdigit((unsigned char)*prio) || *end != '\0' || p == 0 || p > 255)
        return NIDS_EINVAL;
    return sig_class_add(db, name, desc, (uint8_t)p) < 0 ? NIDS_ENOMEM : 1;
}

int
sig_class_load_text(struct sig_db *db, const char *text, const char *file)
{
    const char *p = text;
    char line[1024];
    unsigned ln = 0;
    int n = 0;

    while (*p != '\0') {
        const char *e = strchr(p, '\n');
        size_t len = e != NULL ? (size_t)(e - p) : strlen(p);
        int rc;
        ln++;
        if (len >= sizeof(line)) {
            log_warn("%s:%u: line too long, ignored", file, ln);
        } else {
            memcpy(line, p, len);
            line[len] = '\0';
            rc = sig_class_line(db, line);
            if (rc == NIDS_ENOMEM)
                return rc;
            if (rc < 0)
                log_warn("%s:%u: not a classification entry, ignored", file, ln);
            else
                n += rc;
        }
        p += len + (e != NULL);
    }
    return n;
}

int
sig_class_load_defaults(struct sig_db *db)
{
    return sig_class_load_text(db, sig_class_default, "<built-in classification>") < 0 ? NIDS_ENOMEM
                                                                                       : 0;
}

const struct sig_class *
sig_class_find(const struct sig_db *db, const char *name)
{
    uint32_t i;

    for (i = 0; i < db->n_classes; i++)
        if (strcmp(db->classes[i].name, name) == 0)
            return &db->classes[i];
    return NULL;
}
