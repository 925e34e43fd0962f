/*
 * privs.c - privilege drop with setgroups/setresgid/setresuid (group
 * first: once the uid is gone the gid can no longer change), checked by
 * trying to regain root afterwards.
 */
#include "privs.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "log.h"

void
privs_drop(const char *user, const char *group)
{
    uid_t uid = getuid();
    gid_t gid = getgid();

    if (user == NULL && group == NULL)
        return;
    if (user != NULL) {
        struct passwd *pw = getpwnam(user);
        if (pw == NULL)
            die("--user %s: no such user", user);
        uid = pw->pw_uid;
        gid = pw->pw_gid;
    }
    if (group != NULL) {
        struct group *gr = getgrnam(group);
        if (gr == NULL)
            die("--group %s: no such group", group);
        gid = gr->gr_gid;
    }
    if (setgroups(1, &gid) != 0 || setresgid(gid, gid, gid) != 0)
        die("cannot switch to group %u: %s", (unsigned)gid, strerror(errno));
    if (user != NULL && setresuid(uid, uid, uid) != 0)
        die("cannot switch to user %s: %s", user, strerror(errno));
    if (uid != 0 && setuid(0) == 0)
        die("privileges were not dropped (could regain root)");
    log_info("running as uid %u gid %u", (unsigned)getuid(), (unsigned)getgid());
}

void
privs_pidfile_write(const char *path)
{
    FILE *f;

    if (path == NULL)
        return;
    f = fopen(path, "w");
    if (f == NULL)
        die("--pidfile %s: %s", path, strerror(errno));
    fprintf(f, "%ld\n", (long)getpid());
    if (fclose(f) != 0)
        die("--pidfile %s: %s", path, strerror(errno));
}

void
privs_pidfile_remove(const char *path)
{
    if (path != NULL)
        (void)unlink(path);
}
