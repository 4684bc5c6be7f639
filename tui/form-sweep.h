/*
 * The sweep form (S): its fields, and the pure part (form-sweep-spec.c)
 * that turns them into a sweep file the daemon reads (JSON, the keys of
 * gpuq-sweep(5)).  A parameter is edited as one line of text:
 *
 *   lr: log_uniform_values 1e-05 .. 0.01     a distribution over a range
 *   lr: q_uniform 0 .. 1 step 0.1            ... with its quantum
 *   batch_size: 32, 64, 128                  values (categorical)
 *   epochs: = 10                             one value (constant)
 *   noise: normal mu=0 sigma=1               normal (or beta a= b=)
 *
 * gpuq never parses YAML: a sweep file or a job is loaded by asking the
 * daemon for a dry run, whose `spec` (the file as JSON) fills the form.
 */
#ifndef GPUQ_FORM_SWEEP_H
#define GPUQ_FORM_SWEEP_H

#include <stddef.h>

#include <jansson.h>

#define FORM_SWEEP_NPARAMS 6 /* parameter lines in the form */

enum form_sweep_field {
	FS_FILE,
	FS_JOB,
	FS_NAME,
	FS_COMMAND,
	FS_METRIC,
	FS_METHOD,
	FS_TRIALS,
	FS_PARALLEL,
	FS_GPUS,
	FS_TIME,
	FS_PARAM0,
	FS_NFIELDS = FS_PARAM0 + FORM_SWEEP_NPARAMS
};

/*
 * A parameter as a line of the form: "lr: log_uniform_values 1e-05 ..
 * 0.01".  Writes "" and returns -1 for a shape the form cannot show (a
 * nested mapping): such a parameter is kept as it is.
 */
int form_sweep_spec_param_text(const char *name, const json_t *param, char *out,
    size_t n);

/*
 * Parses a line back: *name (new) and *param (new).  Returns 0, or
 * GQ_EINVAL with *why (new).
 */
int form_sweep_spec_param_parse(const char *line, char **name, json_t **param,
    char **why);

/*
 * The field texts of a spec (a dry run's `spec`) into vals (FS_NFIELDS
 * buffers of n bytes); FS_FILE and FS_JOB are left alone.  Returns how
 * many parameters did not fit in the form's lines (they are kept).
 */
size_t form_sweep_spec_fields(const json_t *spec, char (*vals)[1024], size_t n);

/*
 * The sweep file from base (the loaded spec, or NULL) and the field texts
 * vals; orig holds the texts as loaded, so a line left as it was keeps
 * its parameter exactly (probabilities, nesting).  Returns 0 and *spec
 * (new), or GQ_EINVAL with the bad field in *bad and *why (new).
 */
int form_sweep_spec_build(const json_t *base, const char *const *vals,
    const char *const *orig, json_t **spec, int *bad, char **why);

const char *form_sweep_spec_label(int field);
const char *form_sweep_spec_hint(int field);

#endif
