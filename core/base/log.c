#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/base/log.h"

static const char *log_prog = "gpuq";
static enum log_level log_max = LOG_LVL_INFO;

void
log_init(const char *prog, enum log_level max)
{
	log_prog = prog;
	log_max = max;
}

void
log_msg(enum log_level lvl, const char *fmt, ...)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };
	char line[2048], stamp[32];
	struct timespec ts;
	struct tm tm;
	va_list ap;

	if (lvl > log_max)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s.%03ldZ %s[%s]: %s\n", stamp, ts.tv_nsec / 1000000,
	    log_prog, names[lvl], line);
}
