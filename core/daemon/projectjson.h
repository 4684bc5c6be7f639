/*
 * JSON for project.list and project.show (projectjson.c).  Every returned
 * json_t is new.
 */
#ifndef GPUQ_PROJECTJSON_H
#define GPUQ_PROJECTJSON_H

#include <jansson.h>

#include "core/project.h"

/* Ranks by fair-share standing, 1 first (new array, one per project). */
int32_t *projectjson_ranks(struct ledger *l);
json_t *projectjson_project(struct ledger *l, int32_t p, int32_t rank);
json_t *projectjson_users(struct ledger *l, int32_t p);
json_t *projectjson_depts(const struct ledger *l);
json_t *projectjson_params(const char *policy, const struct policy_params *pp);

#endif
