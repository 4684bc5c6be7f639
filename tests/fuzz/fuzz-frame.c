/*
 * libFuzzer target for the NDJSON frame reader (remote/frame.c).
 *
 * Input: byte 0 picks the line limit, byte 1 seeds the chunk sizes, the
 * rest is the stream.  The stream is fed in chunks of varying size and
 * drained after every feed; each line or ETOOBIG the reader reports is
 * checked against a plain reference split of the whole stream.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "remote/frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_frame_ref {
	const uint8_t *p;
	size_t n, pos;
	size_t max;
	int done;
};

#define FUZZ_FRAME_ASSERT(x)                                                   \
	do {                                                                   \
		if (!(x))                                                      \
			abort();                                               \
	} while (0)

/*
 * The next item the reader must report: 1 and the line (start, length),
 * GQ_ETOOBIG, or 0 when there is none.
 */
static int
fuzz_frame_ref_next(struct fuzz_frame_ref *r, const uint8_t **line, size_t *len)
{
	const uint8_t *nl;
	size_t seg;

	if (r->done || r->pos >= r->n)
		return 0;
	nl = memchr(r->p + r->pos, '\n', r->n - r->pos);
	seg = nl != NULL ? (size_t)(nl - (r->p + r->pos)) : r->n - r->pos;
	*line = r->p + r->pos;
	*len = seg;
	if (nl == NULL) {
		/* A partial last line is reported only once it is too long. */
		r->done = 1;
		return seg > r->max ? GQ_ETOOBIG : 0;
	}
	r->pos += seg + 1;
	/* The reader's own marker for an overlong line is the line "\0". */
	if (seg > r->max || (seg == 1 && (*line)[0] == '\0'))
		return GQ_ETOOBIG;
	if (seg > 0 && (*line)[seg - 1] == '\r')
		(*len)--;
	return 1;
}

static void
fuzz_frame_drain(struct frame_reader *fr, struct fuzz_frame_ref *ref)
{
	const uint8_t *want;
	const char *line;
	size_t len, wlen;
	int rc, wrc;

	while ((rc = frame_reader_next(fr, &line, &len)) != 0) {
		wrc = fuzz_frame_ref_next(ref, &want, &wlen);
		FUZZ_FRAME_ASSERT(rc == wrc);
		if (rc != 1)
			continue;
		FUZZ_FRAME_ASSERT(len <= fr->max_line);
		FUZZ_FRAME_ASSERT(line[len] == '\0');
		FUZZ_FRAME_ASSERT(len == wlen && memcmp(line, want, len) == 0);
	}
}

static size_t
fuzz_frame_max(uint8_t b)
{
	if (b >= 0xf0)
		return FRAME_DEFAULT_MAX;
	return 1 + b % 80;
}

/* Bytes after the last newline: what the reader still holds, if short. */
static size_t
fuzz_frame_tail(const struct fuzz_frame_ref *r)
{
	size_t i = r->n;

	while (i > 0 && r->p[i - 1] != '\n')
		i--;
	return r->n - i <= r->max ? r->n - i : 0;
}

static void
fuzz_frame_feed(struct frame_reader *fr, struct fuzz_frame_ref *ref,
    uint32_t seed)
{
	size_t off = 0, n, k;

	while (off < ref->n) {
		seed = seed * 1103515245u + 12345u;
		n = 1 + (seed >> 16) % 300;
		if (n > ref->n - off)
			n = ref->n - off;
		for (; n > 0; n -= k, off += k) {
			/* Drained after every feed, so it always takes some. */
			k = frame_reader_feed(fr, ref->p + off, n);
			FUZZ_FRAME_ASSERT(k > 0 && k <= n);
			fuzz_frame_drain(fr, ref);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_frame_ref ref;
	struct frame_reader fr;
	const uint8_t *line;
	size_t len;

	if (size < 2)
		return 0;
	memset(&ref, 0, sizeof(ref));
	ref.max = fuzz_frame_max(data[0]);
	ref.p = data + 2;
	ref.n = size - 2;
	frame_reader_init(&fr, ref.max);
	fuzz_frame_feed(&fr, &ref, data[1] | 1u);
	fuzz_frame_drain(&fr, &ref);
	/* Everything the reference expects was reported, and no more. */
	FUZZ_FRAME_ASSERT(fuzz_frame_ref_next(&ref, &line, &len) == 0);
	FUZZ_FRAME_ASSERT(frame_reader_pending(&fr) == fuzz_frame_tail(&ref));
	frame_reader_done(&fr);
	return 0;
}
