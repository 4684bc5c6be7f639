#include <string.h>

#include "core/base/error.h"
#include "remote/frame.h"

/*
 * Layout of buf: [consumed][complete lines, each ending in \n][partial].
 * pos is where the first unread complete line starts, line where the
 * partial one starts.  An overlong line is replaced by the two bytes
 * "\0\n", which no valid JSON line can be, so it is reported in order.
 */

void
frame_reader_init(struct frame_reader *fr, size_t max_line)
{
	buf_init(&fr->buf, max_line + 2 * FRAME_FEED_CHUNK + 16);
	fr->pos = 0;
	fr->line = 0;
	fr->max_line = max_line;
	fr->discarding = 0;
}

void
frame_reader_done(struct frame_reader *fr)
{
	buf_done(&fr->buf);
}

static void
frame_reader_compact(struct frame_reader *fr)
{
	if (fr->pos > 0) {
		buf_consume(&fr->buf, fr->pos);
		fr->line -= fr->pos;
		fr->pos = 0;
	}
}

/* Ends the partial line as too long: it becomes the marker "\0\n". */
static void
frame_reader_overflow(struct frame_reader *fr)
{
	fr->buf.len = fr->line;
	buf_add(&fr->buf, "\0\n", 2);
	fr->line = fr->buf.len;
}

size_t
frame_reader_feed(struct frame_reader *fr, const void *p, size_t n)
{
	const char *s = p, *nl;
	size_t used = 0, seg;

	frame_reader_compact(fr);
	while (used < n && fr->line - fr->pos < FRAME_FEED_CHUNK) {
		nl = memchr(s + used, '\n', n - used);
		seg = nl != NULL ? (size_t)(nl - (s + used)) + 1 : n - used;
		if (fr->discarding) {
			used += seg;
			if (nl != NULL)
				fr->discarding = 0;
			continue;
		}
		if (fr->buf.len - fr->line + seg - (nl != NULL) >
		    fr->max_line) {
			frame_reader_overflow(fr);
			fr->discarding = nl == NULL;
			used += seg;
			continue;
		}
		buf_add(&fr->buf, s + used, seg);
		used += seg;
		if (nl != NULL)
			fr->line = fr->buf.len;
	}
	return used;
}

int
frame_reader_next(struct frame_reader *fr, const char **line, size_t *len)
{
	char *start, *nl;

	if (fr->pos >= fr->line)
		return 0;
	start = fr->buf.data + fr->pos;
	nl = memchr(start, '\n', fr->line - fr->pos);
	fr->pos += (size_t)(nl - start) + 1;
	if (nl == start + 1 && start[0] == '\0')
		return GQ_ETOOBIG;
	*nl = '\0';
	if (nl > start && nl[-1] == '\r')
		*--nl = '\0';
	*line = start;
	*len = (size_t)(nl - start);
	return 1;
}

size_t
frame_reader_pending(const struct frame_reader *fr)
{
	return fr->buf.len - fr->line;
}
