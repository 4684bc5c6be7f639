/*
 * OpenSSH's host patterns (ssh_config(5) PATTERNS): `*` and `?`
 * wildcards, `!` negation, matched without regard to case.  Pure.
 */
#ifndef GPUQ_SSH_PATTERN_H
#define GPUQ_SSH_PATTERN_H

#include <stddef.h>

/* Whether s matches the wildcard pattern pat (plen bytes). */
int ssh_pattern_match(const char *s, const char *pat, size_t plen);

/*
 * Matches s against a list of patterns separated by sep (',' in
 * known_hosts and Match, ' ' in Host).  Returns 1 when a positive pattern
 * matches and no negated one does, -1 when a negated one matches, else 0.
 */
int ssh_pattern_list(const char *s, const char *list, size_t len, char sep);

#endif
