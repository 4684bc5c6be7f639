#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/base/error.h"
#include "core/base/units.h"

/*
 * Parses a non-negative decimal with up to three fraction digits into
 * thousandths.  Stops at the first character that is not part of it.
 */
static int
units_decimal_milli(const char **sp, int64_t limit, int64_t *out)
{
	const char *s = *sp;
	int64_t whole = 0, frac = 0;
	int nd = 0, nf = 0;

	while (isdigit((unsigned char)*s)) {
		whole = whole * 10 + (*s++ - '0');
		if (whole > limit)
			return GQ_EINVAL;
		nd++;
	}
	if (*s == '.') {
		s++;
		while (isdigit((unsigned char)*s)) {
			if (++nf > 3)
				return GQ_EINVAL;
			frac = frac * 10 + (*s++ - '0');
		}
		while (nf > 0 && nf < 3) {
			frac *= 10;
			nf++;
		}
	}
	if (nd == 0 && nf == 0)
		return GQ_EINVAL;
	*out = whole * 1000 + frac;
	*sp = s;
	return 0;
}

static const char *
units_skip_space(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

int
units_parse_gpus(const char *s, int32_t *milli)
{
	int64_t v;

	s = units_skip_space(s);
	if (units_decimal_milli(&s, UNITS_MAX_GPUS, &v) != 0)
		return GQ_EINVAL;
	if (*units_skip_space(s) != '\0')
		return GQ_EINVAL;
	if (v > 1000 && v % 1000 != 0)
		return GQ_EINVAL;
	*milli = (int32_t)v;
	return 0;
}

int
units_parse_cpus(const char *s, int32_t *milli)
{
	int64_t v;

	s = units_skip_space(s);
	if (units_decimal_milli(&s, 1000000, &v) != 0)
		return GQ_EINVAL;
	if (*units_skip_space(s) != '\0')
		return GQ_EINVAL;
	*milli = (int32_t)v;
	return 0;
}

static int
units_mem_shift(const char *s, int *shift)
{
	char u = (char)toupper((unsigned char)*s);
	const char *rest;

	switch (u) {
	case '\0':
		*shift = 0;
		return 0;
	case 'K':
		*shift = -10;
		break;
	case 'M':
		*shift = 0;
		break;
	case 'G':
		*shift = 10;
		break;
	case 'T':
		*shift = 20;
		break;
	case 'P':
		*shift = 30;
		break;
	default:
		return GQ_EINVAL;
	}
	rest = s + 1;
	if (strcasecmp(rest, "") == 0 || strcasecmp(rest, "b") == 0 ||
	    strcasecmp(rest, "ib") == 0)
		return 0;
	return GQ_EINVAL;
}

int
units_parse_mem_mb(const char *s, int64_t *mb)
{
	char unit[8];
	int64_t v;
	size_t n;
	int shift;

	s = units_skip_space(s);
	if (units_decimal_milli(&s, UNITS_MAX_MEM_MB, &v) != 0)
		return GQ_EINVAL;
	n = strcspn(s, " \t\n");
	if (n >= sizeof(unit) || *units_skip_space(s + n) != '\0')
		return GQ_EINVAL;
	memcpy(unit, s, n);
	unit[n] = '\0';
	if (units_mem_shift(unit, &shift) != 0)
		return GQ_EINVAL;
	if (shift > 0) {
		if (v > (UNITS_MAX_MEM_MB * 1000) >> shift)
			return GQ_EINVAL;
		v <<= shift;
	} else if (shift < 0) {
		v = (v + (INT64_C(1) << -shift) - 1) >> -shift;
	}
	v = (v + 999) / 1000;
	if (v > UNITS_MAX_MEM_MB)
		return GQ_EINVAL;
	*mb = v;
	return 0;
}

static int
units_colon_duration(const char *s, int64_t *secs)
{
	long d = 0, a = 0, b = 0, c = 0;
	int n, used = 0;

	if (strchr(s, '-') != NULL) {
		if (sscanf(s, "%ld-%ld:%ld:%ld%n", &d, &a, &b, &c, &used) != 4)
			return GQ_EINVAL;
	} else if (sscanf(s, "%ld:%ld:%ld%n", &a, &b, &c, &used) == 3) {
		/* HH:MM:SS */
	} else if (sscanf(s, "%ld:%ld%n", &b, &c, &used) == 2) {
		a = 0;
	} else {
		return GQ_EINVAL;
	}
	n = (int)strlen(s);
	if (used != n || d < 0 || a < 0 || b < 0 || c < 0 || b > 59 || c > 59 ||
	    a > 100000 || d > 36600)
		return GQ_EINVAL;
	*secs = ((int64_t)d * 24 + a) * 3600 + b * 60 + c;
	return 0;
}

static int64_t
units_suffix_seconds(char c)
{
	switch (c) {
	case 's':
		return 1;
	case 'm':
		return 60;
	case 'h':
		return 3600;
	case 'd':
		return 86400;
	case 'w':
		return 7 * 86400;
	default:
		return 0;
	}
}

int
units_parse_duration(const char *s, int64_t bare_unit, int64_t *secs)
{
	char tmp[64];
	const char *p;
	int64_t total = 0, v, mult;
	size_t n;

	s = units_skip_space(s);
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0 || n >= sizeof(tmp))
		return GQ_EINVAL;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (strchr(tmp, ':') != NULL)
		return units_colon_duration(tmp, secs);
	for (p = tmp; *p != '\0';) {
		if (units_decimal_milli(&p, UNITS_MAX_SECONDS, &v) != 0)
			return GQ_EINVAL;
		if (*p == '\0') {
			if (p != tmp + n || total != 0 || tmp[0] == '\0')
				return GQ_EINVAL;
			mult = bare_unit;
		} else if ((mult = units_suffix_seconds(*p++)) == 0) {
			return GQ_EINVAL;
		}
		total += (v * mult + 999) / 1000;
		if (total > UNITS_MAX_SECONDS)
			return GQ_EINVAL;
	}
	*secs = total;
	return 0;
}

char *
units_fmt_gpus(int32_t milli, char *out, size_t n)
{
	if (milli % 1000 == 0)
		snprintf(out, n, "%d", milli / 1000);
	else if (milli % 100 == 0)
		snprintf(out, n, "%d.%d", milli / 1000, (milli % 1000) / 100);
	else if (milli % 10 == 0)
		snprintf(out, n, "%d.%02d", milli / 1000, (milli % 1000) / 10);
	else
		snprintf(out, n, "%d.%03d", milli / 1000, milli % 1000);
	return out;
}

char *
units_fmt_mem_mb(int64_t mb, char *out, size_t n)
{
	if (mb >= (INT64_C(1) << 20) && mb % (INT64_C(1) << 20) == 0)
		snprintf(out, n, "%lldT", (long long)(mb >> 20));
	else if (mb >= 1024 && mb % 1024 == 0)
		snprintf(out, n, "%lldG", (long long)(mb >> 10));
	else if (mb >= 10240)
		snprintf(out, n, "%.1fG", (double)mb / 1024.0);
	else
		snprintf(out, n, "%lldM", (long long)mb);
	return out;
}

char *
units_fmt_duration(int64_t secs, char *out, size_t n)
{
	if (secs < 0)
		secs = 0;
	if (secs >= 86400)
		snprintf(out, n, "%lldd%lldh", (long long)(secs / 86400),
		    (long long)(secs % 86400 / 3600));
	else if (secs >= 3600)
		snprintf(out, n, "%lldh%02lldm", (long long)(secs / 3600),
		    (long long)(secs % 3600 / 60));
	else if (secs >= 60)
		snprintf(out, n, "%lldm%02llds", (long long)(secs / 60),
		    (long long)(secs % 60));
	else
		snprintf(out, n, "%llds", (long long)secs);
	return out;
}
