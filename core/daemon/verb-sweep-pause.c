/*
 * sweep.pause: no new trials; those queued or running go on
 * (docs/protocol/sweep.pause.md).
 */
#include "core/daemon/sweepd.h"
#include "core/daemon/verbs.h"

int
verb_sweep_pause(struct verb_ctx *v, json_t **result, char **cause)
{
	return sweepd_verb_pause_resume(v, "paused", result, cause);
}
