/*
 * What project.c and project-parse.c share and no one else needs.
 * Internal to the pure core.
 */
#ifndef GPUQ_PROJECT_INT_H
#define GPUQ_PROJECT_INT_H

#include <stddef.h>

#include "core/project.h"

/* Writes a reason into cause (n bytes); returns GQ_EINVAL. */
int project_fail(char *cause, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
