#include <string.h>

#include "core/base/error.h"

struct gq_err_entry {
	int code;
	const char *name;
	const char *text;
};

static const struct gq_err_entry gq_err_table[] = {
#define GQ_ERR_ROW(name, text) { GQ_##name, #name, text },
	GQ_ERRORS(GQ_ERR_ROW)
#undef GQ_ERR_ROW
};

#define GQ_NERR (sizeof(gq_err_table) / sizeof(gq_err_table[0]))

static const struct gq_err_entry *
gq_err_find(int code)
{
	size_t i;

	for (i = 0; i < GQ_NERR; i++)
		if (gq_err_table[i].code == code)
			return &gq_err_table[i];
	return NULL;
}

const char *
gq_err_name(int code)
{
	const struct gq_err_entry *e = gq_err_find(code);

	return e != NULL ? e->name : "EINTERNAL";
}

const char *
gq_err_text(int code)
{
	const struct gq_err_entry *e = gq_err_find(code);

	if (code == 0)
		return "success";
	return e != NULL ? e->text : "internal error";
}

int
gq_err_from_name(const char *name)
{
	size_t i;

	for (i = 0; i < GQ_NERR; i++)
		if (strcmp(gq_err_table[i].name, name) == 0)
			return gq_err_table[i].code;
	return GQ_EINTERNAL;
}
