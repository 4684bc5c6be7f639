/*
 * libFuzzer target for the client's protocol half (remote/rpc.c): any
 * bytes as what a daemon sends, after three calls are waiting.  Each
 * call's callback must run at most once, and exactly once after a reset.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "remote/rpc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_RPC_ASSERT(x)                                                     \
	do {                                                                   \
		if (!(x))                                                      \
			abort();                                               \
	} while (0)

static void
fuzz_rpc_reply(void *arg, int64_t tag, int code, json_t *result,
    const char *message)
{
	int *calls = arg;

	FUZZ_RPC_ASSERT(tag >= 0 && tag < 3);
	FUZZ_RPC_ASSERT((code == 0) == (result != NULL));
	calls[tag]++;
	FUZZ_RPC_ASSERT(calls[tag] == 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rpc_reply_cb cb;
	int calls[3] = { 0 }, i;
	struct rpc r;

	rpc_init(&r, NULL, NULL);
	rpc_start(&r, "gpuq");
	for (i = 0; i < 3; i++) {
		cb.fn = fuzz_rpc_reply;
		cb.arg = calls;
		cb.tag = i;
		rpc_call(&r, "job.list", NULL, &cb);
	}
	rpc_feed(&r, (const char *)data, size);
	rpc_reset(&r, GQ_ECONN, "gone");
	for (i = 0; i < 3; i++)
		FUZZ_RPC_ASSERT(calls[i] == 1);
	rpc_done(&r);
	return 0;
}
