#!/bin/sh
# The pure core (core/*.c, core/*.h) does no I/O of its own, reads no clock
# and draws no random numbers: STYLE.md's layering rule, checked.
set -eu
cd "${1:-$(dirname "$0")/..}"
bad=0
inc='#include <(uv|curses|ncurses|ncursesw/curses|libssh2|sqlite3)\.h>'
calls='(^|[^_a-z])(time|rand|srand|random|getenv|open|fopen|printf|fprintf|puts|clock_gettime|gettimeofday|read|write|sleep|usleep)\('
for f in core/*.c core/*.h core/sweep/*.c core/sweep/*.h; do
	[ -f "$f" ] || continue
	if grep -nE "$inc" "$f"; then
		echo "LAYERING: $f includes an I/O library" >&2
		bad=1
	fi
	# Strip comments and string literals roughly before looking for calls.
	if sed -e 's://.*$::' -e 's:/\*.*\*/::g' -e 's:"[^"]*"::g' "$f" |
		grep -nE "$calls"; then
		echo "LAYERING: $f calls I/O, the clock or randomness" >&2
		bad=1
	fi
done
[ $bad -eq 0 ] && echo "layering: pure core is clean"
exit $bad
