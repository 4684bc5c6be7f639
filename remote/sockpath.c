#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/base/xmalloc.h"
#include "remote/sockpath.h"

char *
sockpath_personal(void)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");

	if (xdg != NULL && xdg[0] == '/')
		return xasprintf("%s/gpuq/gpuqd.sock", xdg);
	return xasprintf("/tmp/gpuq-%u/gpuqd.sock", (unsigned)getuid());
}

static int
sockpath_is_socket(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISSOCK(st.st_mode);
}

char *
sockpath_default(void)
{
	const char *env = getenv("GPUQ_SOCKET");
	char *personal;

	if (env != NULL && env[0] != '\0')
		return xstrdup(env);
	personal = sockpath_personal();
	if (sockpath_is_socket(personal))
		return personal;
	if (sockpath_is_socket(SOCKPATH_SYSTEM)) {
		free(personal);
		return xstrdup(SOCKPATH_SYSTEM);
	}
	return personal;
}
