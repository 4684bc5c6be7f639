#include "core/base/error.h"
#include "remote/ssh-b64.h"

static const char ssh_b64_chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int
ssh_b64_encode(struct buf *out, const void *p, size_t n, int pad)
{
	const unsigned char *s = p;
	char q[4];
	unsigned long v;
	size_t i, k, m;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i += 3) {
		m = n - i < 3 ? n - i : 3;
		v = (unsigned long)s[i] << 16;
		if (m > 1)
			v |= (unsigned long)s[i + 1] << 8;
		if (m > 2)
			v |= s[i + 2];
		for (k = 0; k < 4; k++)
			q[k] = ssh_b64_chars[(v >> (18 - 6 * k)) & 63];
		if (m < 3)
			q[3] = '=';
		if (m < 2)
			q[2] = '=';
		rc = buf_add(out, q, pad || m == 3 ? 4 : m + 1);
	}
	return rc;
}

static int
ssh_b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

long
ssh_b64_decode(const char *text, size_t len, unsigned char *out, size_t max)
{
	unsigned long v = 0;
	size_t i, n = 0, bits = 0;
	int d;

	while (len > 0 && text[len - 1] == '=')
		len--;
	for (i = 0; i < len; i++) {
		if ((d = ssh_b64_value(text[i])) < 0)
			return GQ_EINVAL;
		v = (v << 6 | (unsigned long)d) & 0xffffff;
		bits += 6;
		if (bits < 8)
			continue;
		bits -= 8;
		if (n >= max)
			return GQ_ETOOBIG;
		out[n++] = (unsigned char)(v >> bits);
	}
	/* Six leftover bits cannot come from any byte string. */
	if (bits >= 6)
		return GQ_EINVAL;
	return (long)n;
}
