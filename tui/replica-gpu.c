/*
 * GPU history for the graphs: the daemon's gpu.history answer and its
 * gpu.sample events, on the GPUs of its own node.  Pure.
 */
#include <string.h>

#include "tui/replica-int.h"
#include "tui/replica.h"

/* The GPUs of the daemon's own node, where samples and history belong:
 * the node named like the daemon's host, else the first. */
static const struct rnode *
replica_gpu_home(const struct replica *r)
{
	size_t i;

	for (i = 0; r->host != NULL && i < r->nnodes; i++)
		if (strcmp(r->nodes[i].name, r->host) == 0)
			return &r->nodes[i];
	return r->nnodes > 0 ? &r->nodes[0] : NULL;
}

static struct rgpu *
replica_gpu_find(struct replica *r, int64_t index)
{
	const struct rnode *n = replica_gpu_home(r);
	size_t i;

	for (i = 0; n != NULL && i < n->ngpus; i++)
		if (r->gpus[n->first_gpu + i].index == index)
			return &r->gpus[n->first_gpu + i];
	return NULL;
}

/* gpu.sample: live values and one history sample per GPU. */
void
replica_gpu_sample(struct replica *r, const json_t *data)
{
	json_t *gs = json_object_get(data, "gpus"), *o;
	struct rgpu *g;
	size_t i;

	json_array_foreach(gs, i, o) {
		if ((g = replica_gpu_find(r, replica_int(o, "index", -1))) ==
		    NULL)
			continue;
		g->util_pct = replica_int32(o, "util", g->util_pct);
		g->mem_used_mb = replica_int(o, "mem_used_mb", g->mem_used_mb);
		g->temp_c = replica_int32(o, "temp_c", g->temp_c);
		g->power_w = replica_int32(o, "power_w", g->power_w);
		replica_hist_push(g);
		r->live_samples = 1;
	}
	r->gpu_gen++;
}

/* One GPU's samples of gpu.history: [time, util, mem_used_mb, ...]. */
static void
replica_gpu_fill_hist(struct rgpu *g, const json_t *samples)
{
	size_t n = json_array_size(samples), i, first;
	json_t *p;

	first = n > REPLICA_HIST ? n - REPLICA_HIST : 0;
	g->hist_len = g->hist_head = 0;
	for (i = first; i < n; i++) {
		p = json_array_get(samples, i);
		g->util_hist[g->hist_head] = (uint8_t)
		    replica_pct(json_integer_value(json_array_get(p, 1)), 100);
		g->mem_hist[g->hist_head] =
		    (uint8_t)replica_pct(json_integer_value(
		                             json_array_get(p, 2)),
		        g->mem_mb);
		g->hist_head = (g->hist_head + 1) % REPLICA_HIST;
		g->hist_len++;
	}
}

size_t
replica_gpu_history(struct replica *r, const json_t *result)
{
	json_t *gs = json_object_get(result, "gpus"), *o;
	struct rgpu *g;
	size_t i, n = 0;

	json_array_foreach(gs, i, o) {
		if ((g = replica_gpu_find(r, replica_int(o, "index", -1))) ==
		        NULL ||
		    !json_is_array(json_object_get(o, "samples")))
			continue;
		replica_gpu_fill_hist(g, json_object_get(o, "samples"));
		n++;
	}
	if (n > 0)
		r->gpu_gen++;
	return n;
}
