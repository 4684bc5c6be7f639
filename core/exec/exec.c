#include <stddef.h>
#include <string.h>

#include "core/exec/exec.h"

/* Every executor, the default first. */
static const struct executor *const exec_table[] = {
	&exec_local,
	&exec_slurm,
	NULL,
};

const struct executor *
exec_find(const char *name)
{
	size_t i;

	if (name == NULL || *name == '\0')
		return exec_table[0];
	for (i = 0; exec_table[i] != NULL; i++)
		if (strcmp(exec_table[i]->name, name) == 0)
			return exec_table[i];
	return NULL;
}
