/*
 * Events: every state change gets the next seq.  The latest ones stay in a
 * ring so a client that reconnects can resume with events.subscribe
 * {"since": N}; older ones are gone (ESTALE: take a fresh snapshot).
 */
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/daemon/daemon.h"
#include "remote/proto.h"

void
events_init(struct daemon *d, size_t cap)
{
	d->ring = xcalloc(cap, sizeof(*d->ring));
	d->ring_cap = cap;
	d->ring_len = 0;
	d->ring_head = 0;
	d->pending_events = json_array();
}

void
events_done(struct daemon *d)
{
	size_t i;

	for (i = 0; i < d->ring_cap; i++)
		free(d->ring[i].line);
	free(d->ring);
	d->ring = NULL;
	json_decref(d->pending_events);
}

/* Queues an event (steals data); it goes out after this turn's commit. */
void
events_emit(struct daemon *d, const char *name, json_t *data)
{
	json_t *ev = proto_event_new(name, ++d->event_seq, data);

	json_array_append_new(d->pending_events, ev);
}

static struct evslot *
events_slot(struct daemon *d, size_t i)
{
	return &d->ring[(d->ring_head + i) % d->ring_cap];
}

static void
events_keep(struct daemon *d, int64_t seq, const char *name, char *line,
    size_t len)
{
	struct evslot *s;

	if (d->ring_len == d->ring_cap) {
		s = events_slot(d, 0);
		free(s->line);
		d->ring_head = (d->ring_head + 1) % d->ring_cap;
		d->ring_len--;
	}
	s = events_slot(d, d->ring_len++);
	s->seq = seq;
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->line = line;
	s->len = len;
}

static int
events_wanted(const struct conn *c, const char *name)
{
	size_t i;
	json_t *v;

	if (!c->subscribed)
		return 0;
	if (c->sub_filter == NULL)
		return 1;
	json_array_foreach(c->sub_filter, i, v) {
		if (strcmp(json_string_value(v), name) == 0)
			return 1;
	}
	return 0;
}

void
events_flush(struct daemon *d)
{
	struct conn *c;
	const char *name;
	size_t i, len;
	json_t *ev;
	char *line;

	json_array_foreach(d->pending_events, i, ev) {
		name = json_string_value(json_object_get(ev, "event"));
		if ((line = proto_encode(ev, &len)) == NULL)
			continue;
		for (c = d->conns; c != NULL; c = c->next)
			if (events_wanted(c, name))
				conn_send_line(c, line, len);
		events_keep(d, json_integer_value(json_object_get(ev, "seq")),
		    name, line, len);
	}
	json_array_clear(d->pending_events);
}

int
events_subscribe(struct daemon *d, struct conn *c, int64_t since)
{
	int64_t oldest;

	if (since > d->event_seq)
		return GQ_ESTALE;
	if (since >= 0 && since != d->event_seq) {
		oldest =
		    d->ring_len ? events_slot(d, 0)->seq : d->event_seq + 1;
		if (since + 1 < oldest)
			return GQ_ESTALE;
	}
	c->subscribed = 1;
	c->replay_since = since;
	return 0;
}

void
events_replay(struct conn *c)
{
	struct daemon *d = c->d;
	struct evslot *s;
	size_t i;

	for (i = 0; i < d->ring_len; i++) {
		s = events_slot(d, i);
		if (s->seq > c->replay_since && events_wanted(c, s->name))
			conn_send_line(c, s->line, s->len);
	}
	c->replay_since = -1;
}
