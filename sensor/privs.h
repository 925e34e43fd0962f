/*
 * privs.h - dropping root after the capture handles are open, and the
 * pid file.
 */
#ifndef PRIVS_H
#define PRIVS_H

#include "nids.h"

/* Switch to user/group (either may be NULL). Start-up; dies on failure. */
void privs_drop(const char *user, const char *group);

/* Write the process id to path (start-up); removed by privs_pidfile_remove. */
void privs_pidfile_write(const char *path);
void privs_pidfile_remove(const char *path);

#endif /* PRIVS_H */
