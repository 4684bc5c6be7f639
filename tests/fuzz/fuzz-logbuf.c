/*
 * libFuzzer target for the log renderer (tui/logbuf.c): any bytes a job
 * may print, fed in chunks of varying size.  Lines must be valid UTF-8
 * without control characters, within the column bound, and the line count
 * within the ring.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tui/fmt.h"
#include "tui/logbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_LOGBUF_ASSERT(x)                                                  \
	do {                                                                   \
		if (!(x))                                                      \
			abort();                                               \
	} while (0)

static void
fuzz_logbuf_line(const char *s)
{
	size_t n = strlen(s), k;
	long cp;

	FUZZ_LOGBUF_ASSERT(n <= 4 * LOGBUF_MAX_COLS);
	FUZZ_LOGBUF_ASSERT(fmt_width(s) <= LOGBUF_MAX_COLS);
	while (*s != '\0') {
		k = fmt_utf8_decode(s, &cp);
		FUZZ_LOGBUF_ASSERT(cp >= 0x20 && cp != 0x7f);
		s += k;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct logbuf lb;
	size_t off = 0, k, i, n;
	unsigned seed = size > 0 ? data[0] : 1;

	logbuf_init(&lb, 64);
	while (off < size) {
		seed = seed * 1103515245u + 12345u;
		k = 1 + (seed >> 16) % 97;
		if (k > size - off)
			k = size - off;
		logbuf_feed(&lb, (const char *)data + off, k);
		off += k;
	}
	n = logbuf_count(&lb);
	FUZZ_LOGBUF_ASSERT(n <= 65);
	for (i = 0; i < n; i++)
		fuzz_logbuf_line(logbuf_line(&lb, i));
	logbuf_done(&lb);
	return 0;
}
