/*
 * The fairshare policy's indexed binary heap (struct fs_heap): the
 * admission order keeps its users and its projects in them.
 */
#include <stddef.h>

#include "core/base/xmalloc.h"
#include "core/sched-fairshare.h"

static void
sched_fairshare_heap_swap(struct fs_heap *h, int32_t i, int32_t j)
{
	int32_t t = h->items[i];

	h->items[i] = h->items[j];
	h->items[j] = t;
	h->pos[h->items[i]] = i;
	h->pos[h->items[j]] = j;
}

static void
sched_fairshare_heap_up(struct fs_heap *h, int32_t i)
{
	while (i > 0 && h->less(h->ctx, h->items[i], h->items[(i - 1) / 2])) {
		sched_fairshare_heap_swap(h, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void
sched_fairshare_heap_down(struct fs_heap *h, int32_t i)
{
	int32_t l, r, m;

	for (;;) {
		l = 2 * i + 1;
		r = l + 1;
		m = i;
		if (l < h->n && h->less(h->ctx, h->items[l], h->items[m]))
			m = l;
		if (r < h->n && h->less(h->ctx, h->items[r], h->items[m]))
			m = r;
		if (m == i)
			return;
		sched_fairshare_heap_swap(h, i, m);
		i = m;
	}
}

int
sched_fairshare_heap_push(struct fs_heap *h, int32_t id)
{
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 8;
		h->items =
		    xreallocarray(h->items, (size_t)h->cap, sizeof(*h->items));
	}
	h->items[h->n] = id;
	h->pos[id] = h->n;
	sched_fairshare_heap_up(h, h->n++);
	return 0;
}

void
sched_fairshare_heap_update(struct fs_heap *h, int32_t id)
{
	int32_t i = h->pos[id];

	if (i < 0)
		return;
	sched_fairshare_heap_up(h, i);
	sched_fairshare_heap_down(h, h->pos[id]);
}

void
sched_fairshare_heap_remove(struct fs_heap *h, int32_t id)
{
	int32_t i = h->pos[id];

	if (i < 0)
		return;
	h->pos[id] = -1;
	if (i == --h->n)
		return;
	h->items[i] = h->items[h->n];
	h->pos[h->items[i]] = i;
	sched_fairshare_heap_up(h, i);
	sched_fairshare_heap_down(h, h->pos[h->items[i]]);
}
