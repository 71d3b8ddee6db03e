/* whoami.c: see whoami.h. */
#include "whoami.h"
#include "xalloc.h"

#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

char *whoami_user_at_host(void)
{
    const char *user = getenv("USER");
    struct passwd *pw = getpwuid(getuid());
    if (pw && pw->pw_name)
        user = pw->pw_name;
    char host[256] = "localhost";
    gethostname(host, sizeof host - 1);
    host[sizeof host - 1] = '\0';
    return xasprintf("%s@%s", user ? user : "unknown", host);
}
