/*
 * libFuzzer target for the gpuq.conf parser (tui/conf.c): any bytes as a
 * config file; the settings must stay within their ranges and every bind
 * line's fields terminated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/buf.h"
#include "tui/conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CONF_ASSERT(x)                                                    \
	do {                                                                   \
		if (!(x))                                                      \
			abort();                                               \
	} while (0)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf c;
	struct buf errs;
	size_t i;

	buf_init(&errs, 4 * 1024 * 1024);
	conf_init(&c);
	conf_parse(&c, "fuzz", (const char *)data, size, &errs);
	FUZZ_CONF_ASSERT(c.refresh_ms >= 500 && c.refresh_ms <= 60000);
	FUZZ_CONF_ASSERT(c.mouse == 0 || c.mouse == 1);
	FUZZ_CONF_ASSERT(c.readonly == 0 || c.readonly == 1);
	FUZZ_CONF_ASSERT(
	    c.graph >= CONF_GRAPH_AUTO && c.graph <= CONF_GRAPH_ASCII);
	FUZZ_CONF_ASSERT(c.nbinds <= CONF_MAX_BINDS);
	FUZZ_CONF_ASSERT(memchr(c.theme, 0, CONF_NAME_MAX) != NULL);
	for (i = 0; i < c.nbinds; i++) {
		FUZZ_CONF_ASSERT(memchr(c.binds[i].key, 0, CONF_NAME_MAX));
		FUZZ_CONF_ASSERT(memchr(c.binds[i].action, 0, CONF_NAME_MAX));
		FUZZ_CONF_ASSERT(c.binds[i].key[0] != '\0');
	}
	buf_done(&errs);
	return 0;
}
