/*
 * sweep.resume: a paused sweep starts trials again
 * (docs/protocol/sweep.resume.md).
 */
#include "core/daemon/sweepd.h"
#include "core/daemon/verbs.h"

int
verb_sweep_resume(struct verb_ctx *v, json_t **result, char **cause)
{
	return sweepd_verb_pause_resume(v, "running", result, cause);
}
