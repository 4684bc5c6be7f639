/*
 * The submit form's fields, and the pure part: turning what was typed
 * into job.submit params (checked with the same unit parsers as
 * `gpuq submit`).
 */
#ifndef GPUQ_FORM_SUBMIT_H
#define GPUQ_FORM_SUBMIT_H

#include <jansson.h>

enum form_field {
	FORM_CMD,
	FORM_NAME,
	FORM_PROJECT,
	FORM_GPUS,
	FORM_GPUMEM,
	FORM_CPUS,
	FORM_MEM,
	FORM_TIME,
	FORM_CLASS,
	FORM_PRIO,
	FORM_PREEMPT,
	FORM_WORKDIR,
	FORM_NFIELDS
};

/*
 * Builds job.submit params (new, without env or key) from the field
 * texts.  Returns 0, or GQ_EINVAL with the bad field in *bad and a message
 * in *why (new).
 */
int form_submit_params(const char *const *vals, json_t **params, int *bad,
    char **why);
const char *form_submit_label(int i);

#endif
