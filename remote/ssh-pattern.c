#include <ctype.h>

#include "remote/ssh-pattern.h"

int
ssh_pattern_match(const char *s, const char *pat, size_t plen)
{
	const char *star = NULL, *back = NULL;
	size_t i = 0;

	/* Iterative glob: on a mismatch, let the last star eat one more. */
	for (;;) {
		if (i < plen && pat[i] == '*') {
			star = pat + ++i;
			back = s;
			continue;
		}
		if (*s == '\0' && i == plen)
			return 1;
		if (*s != '\0' && i < plen &&
		    (pat[i] == '?' ||
		        tolower((unsigned char)pat[i]) ==
		            tolower((unsigned char)*s))) {
			s++;
			i++;
			continue;
		}
		if (star == NULL || *back == '\0')
			return 0;
		s = ++back;
		i = (size_t)(star - pat);
	}
}

int
ssh_pattern_list(const char *s, const char *list, size_t len, char sep)
{
	size_t i = 0, j;
	int found = 0, neg;

	while (i < len) {
		while (i < len &&
		    (list[i] == sep || list[i] == ' ' || list[i] == '\t'))
			i++;
		for (j = i; j < len && list[j] != sep; j++)
			;
		if (j == i)
			break;
		neg = list[i] == '!';
		if (ssh_pattern_match(s, list + i + neg, j - i - neg)) {
			if (neg)
				return -1;
			found = 1;
		}
		i = j;
	}
	return found;
}
