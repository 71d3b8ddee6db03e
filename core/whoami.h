/* whoami.h: who is running dbwarden, as the rows it writes record it
 * (applied_by of a migration, the actor of a license transition). */
#ifndef DBW_WHOAMI_H
#define DBW_WHOAMI_H

/* "user@host": the OS user (from the password database, else $USER, else
 * "unknown") and the host name.  Caller frees. */
char *whoami_user_at_host(void);

#endif
