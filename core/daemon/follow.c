/*
 * Reading job logs, and following them: every tick, each followed log that
 * grew sends its new bytes to the following connection as job.log events.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/base/error.h"
#include "core/base/utf8.h"
#include "core/base/xmalloc.h"
#include "core/daemon/daemon.h"
#include "remote/proto.h"

#define FOLLOW_CHUNK (64 * 1024)

int
logs_read(const char *path, int64_t offset, size_t limit, int final,
    struct logs_chunk *out)
{
	struct stat st;
	struct buf text;
	ssize_t n = 0;
	char *raw;
	int fd;

	memset(out, 0, sizeof(*out));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno != ENOENT)
		return GQ_EIO;
	if (fd < 0 || fstat(fd, &st) != 0)
		st.st_size = 0;
	if (offset < 0)
		offset = st.st_size + offset > 0 ? st.st_size + offset : 0;
	if (offset > st.st_size)
		offset = st.st_size;
	raw = xmalloc(limit + 1);
	if (fd >= 0 && limit > 0)
		n = pread(fd, raw, limit, offset);
	if (fd >= 0)
		close(fd);
	if (n < 0)
		n = 0;
	/* Only the true end of a finished log may end a character early. */
	final = final && offset + n >= st.st_size;
	buf_init(&text, limit * 3 + 16);
	out->start = offset;
	out->next =
	    offset + (int64_t)utf8_sanitize(raw, (size_t)n, final, &text);
	out->size = st.st_size;
	out->data = buf_take(&text);
	free(raw);
	return 0;
}

int
follow_add(struct conn *c, int64_t job_id, int stderr_stream, int64_t offset)
{
	int i;

	for (i = 0; i < c->nfollows; i++)
		if (c->follows[i].job_id == job_id &&
		    c->follows[i].stderr_stream == stderr_stream) {
			c->follows[i].offset = offset;
			return 0;
		}
	if (c->nfollows == DAEMON_MAX_FOLLOWS)
		return GQ_ETOOBIG;
	c->follows[c->nfollows].job_id = job_id;
	c->follows[c->nfollows].stderr_stream = stderr_stream;
	c->follows[c->nfollows].offset = offset;
	c->nfollows++;
	return 0;
}

static void
follow_event(struct conn *c, struct follow *f, const char *data, int64_t next,
    int eof)
{
	json_t *ev =
	    json_pack("{s:I,s:s,s:I,s:I,s:s}", "id", (json_int_t)f->job_id,
	        "stream", f->stderr_stream ? "stderr" : "stdout", "offset",
	        (json_int_t)f->offset, "next", (json_int_t)next, "data", data);

	if (eof)
		json_object_set_new(ev, "eof", json_true());
	/* Per-connection events are outside the replayable stream: seq 0. */
	conn_send_json(c, proto_event_new("job.log", 0, ev));
}

/* Sends what the log grew by.  Returns 1 when the follow is over. */
static int
follow_one(struct daemon *d, struct conn *c, struct follow *f)
{
	struct job *j = jobs_find(d, f->job_id);
	struct logs_chunk ch;
	char *path;
	int ended, rc;

	/* A job gone from memory was archived: it has ended. */
	ended = j == NULL || model_state_final(j->core.state);
	path = d->exec->log_path(&d->xctx, f->job_id,
	    f->stderr_stream ? "stderr" : "stdout");
	rc = logs_read(path, f->offset, FOLLOW_CHUNK, ended, &ch);
	free(path);
	if (rc != 0)
		return 1;
	if (ch.next > f->offset) {
		follow_event(c, f, ch.data, ch.next, 0);
		f->offset = ch.next;
	}
	free(ch.data);
	if (ended && f->offset >= ch.size) {
		follow_event(c, f, "", f->offset, 1);
		return 1;
	}
	return 0;
}

void
follow_tick(struct daemon *d)
{
	struct conn *c;
	int i;

	for (c = d->conns; c != NULL; c = c->next) {
		/* A reply still waiting for the commit goes first. */
		if (json_array_size(c->replies) > 0)
			continue;
		for (i = 0; i < c->nfollows && !c->closing;) {
			if (follow_one(d, c, &c->follows[i]))
				c->follows[i] = c->follows[--c->nfollows];
			else
				i++;
		}
	}
}
