#include "core/base/utf8.h"

static int
utf8_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

static int
utf8_expect(unsigned char c, unsigned char *lo, unsigned char *hi)
{
	*lo = 0x80;
	*hi = 0xbf;
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef) {
		if (c == 0xe0)
			*lo = 0xa0;
		else if (c == 0xed)
			*hi = 0x9f; /* no surrogates */
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (c == 0xf0)
			*lo = 0x90;
		else if (c == 0xf4)
			*hi = 0x8f;
		return 4;
	}
	return 0;
}

int
utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned char lo, hi;
	int want, i;

	if (s[0] > 0 && s[0] < 0x80)
		return 1;
	if ((want = utf8_expect(s[0], &lo, &hi)) == 0)
		return 0;
	for (i = 1; i < want; i++) {
		if ((size_t)i >= n)
			return -1;
		if (i == 1 ? (s[i] < lo || s[i] > hi) : !utf8_cont(s[i]))
			return 0;
	}
	return want;
}

size_t
utf8_sanitize(const char *in, size_t n, int final, struct buf *out)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, start = 0;
	int len;

	while (i < n) {
		len = utf8_seq_len(s + i, n - i);
		if (len > 0) {
			i += (size_t)len;
			continue;
		}
		buf_add(out, in + start, i - start);
		if (len < 0 && !final)
			return i;
		buf_add(out, "\xef\xbf\xbd", 3);
		start = ++i;
	}
	buf_add(out, in + start, i - start);
	return i;
}
