/*
 * Reads one member out of a .tar.gz (ustar) with zlib: the PAI machine
 * file ships that way, and the traces are never copied or unpacked.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/sim/sim-int.h"

#define SIM_TAR_BLOCK 512

/* The size field of a tar header (octal, NUL or space ended). */
static int64_t
sim_tar_size(const unsigned char *h)
{
	int64_t n = 0;
	int i;

	for (i = 124; i < 136 && h[i] >= '0' && h[i] <= '7'; i++)
		n = n * 8 + (h[i] - '0');
	return n;
}

/* True when the header's name (100 bytes, maybe unterminated) ends so. */
static int
sim_tar_named(const unsigned char *h, const char *suffix)
{
	char name[101];
	size_t n, s = strlen(suffix);

	memcpy(name, h, 100);
	name[100] = '\0';
	n = strlen(name);
	return n >= s && strcmp(name + n - s, suffix) == 0;
}

/* Skips n bytes of the stream; 0 or GQ_EIO. */
static int
sim_tar_skip(gzFile z, int64_t n)
{
	char buf[8192];
	int k;

	while (n > 0) {
		k = gzread(z, buf,
		    n > (int64_t)sizeof(buf) ? sizeof(buf) : (unsigned)n);
		if (k <= 0)
			return GQ_EIO;
		n -= k;
	}
	return 0;
}

/* Reads the member of size n at the stream's position. */
static int
sim_tar_take(gzFile z, int64_t n, char **data, size_t *len)
{
	char *p = xmalloc((size_t)n + 1);

	if (n > 0 && gzread(z, p, (unsigned)n) != (int)n) {
		free(p);
		return GQ_EIO;
	}
	p[n] = '\0';
	*data = p;
	*len = (size_t)n;
	return 0;
}

static int
sim_tar_scan(gzFile z, const char *suffix, char **data, size_t *len)
{
	unsigned char h[SIM_TAR_BLOCK];
	int64_t size;

	for (;;) {
		if (gzread(z, h, SIM_TAR_BLOCK) != SIM_TAR_BLOCK || h[0] == 0)
			return GQ_ENOENT;
		size = sim_tar_size(h);
		if (size < 0 || size > SIM_MAX_MEMBER)
			return GQ_ETOOBIG;
		if (sim_tar_named(h, suffix) && (h[156] == '0' || !h[156]))
			return sim_tar_take(z, size, data, len);
		if (sim_tar_skip(z,
		        (size + SIM_TAR_BLOCK - 1) / SIM_TAR_BLOCK *
		            SIM_TAR_BLOCK) < 0)
			return GQ_EIO;
	}
}

int
sim_tar_member(const char *path, const char *suffix, char **data, size_t *len,
    char **cause)
{
	gzFile z;
	int rc;

	if ((z = gzopen(path, "rb")) == NULL) {
		*cause = xasprintf("%s: cannot open", path);
		return GQ_ENOENT;
	}
	rc = sim_tar_scan(z, suffix, data, len);
	gzclose(z);
	if (rc == GQ_ENOENT)
		*cause = xasprintf("%s: no member ending in %s", path, suffix);
	else if (rc < 0)
		*cause = xasprintf("%s: unreadable or too large", path);
	return rc;
}
