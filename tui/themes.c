/*
 * Finding themes by name: theme files in the user's config directory,
 * $GPUQ_THEME_DIR and the installed data directory, then the themes built
 * into gpuq (copies of the files in themes/, made at build time).  A theme that
 * extends another is laid over it.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "tui/tui.h"

#ifndef GPUQ_THEME_DATADIR
#define GPUQ_THEME_DATADIR "/usr/local/share/gpuq/themes"
#endif

#define THEMES_NDIRS    3
#define THEMES_PATH_MAX 4096

extern const char *const themes_builtin_names[];
extern const char *const themes_builtin_texts[];

static int
themes_name_ok(const char *name)
{
	size_t i;

	if (name[0] == '\0' || name[0] == '.' || strlen(name) >= THEME_NAME_MAX)
		return 0;
	for (i = 0; name[i] != '\0'; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		        (name[i] >= 'A' && name[i] <= 'Z') ||
		        (name[i] >= '0' && name[i] <= '9') || name[i] == '-' ||
		        name[i] == '_' || name[i] == '.'))
			return 0;
	return 1;
}

/* The directories searched, in order; empty strings are skipped. */
static void
themes_dirs(char dirs[THEMES_NDIRS][THEMES_PATH_MAX])
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	const char *env = getenv("GPUQ_THEME_DIR");

	dirs[0][0] = dirs[1][0] = '\0';
	if (xdg != NULL && xdg[0] == '/')
		snprintf(dirs[0], THEMES_PATH_MAX, "%s/gpuq/themes", xdg);
	else if (home != NULL && home[0] == '/')
		snprintf(dirs[0], THEMES_PATH_MAX, "%s/.config/gpuq/themes",
		    home);
	if (env != NULL && env[0] == '/')
		snprintf(dirs[1], THEMES_PATH_MAX, "%s", env);
	snprintf(dirs[2], THEMES_PATH_MAX, "%s", GPUQ_THEME_DATADIR);
}

static char *
themes_read_file(const char *path, size_t *len)
{
	char *text;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	text = xmalloc(THEME_MAX_TEXT + 2);
	*len = fread(text, 1, THEME_MAX_TEXT + 1, f);
	text[*len] = '\0';
	fclose(f);
	return text;
}

/* The text of theme name (new), or NULL. */
static char *
themes_read(const char *name, size_t *len)
{
	char dirs[THEMES_NDIRS][THEMES_PATH_MAX], *path, *text;
	int i;

	themes_dirs(dirs);
	for (i = 0; i < THEMES_NDIRS; i++) {
		if (dirs[i][0] == '\0')
			continue;
		path = xasprintf("%s/%s.theme", dirs[i], name);
		text = themes_read_file(path, len);
		free(path);
		if (text != NULL)
			return text;
	}
	for (i = 0; themes_builtin_names[i] != NULL; i++)
		if (strcmp(themes_builtin_names[i], name) == 0) {
			*len = strlen(themes_builtin_texts[i]);
			return xstrdup(themes_builtin_texts[i]);
		}
	return NULL;
}

static int
themes_load_depth(const char *name, struct theme *th, struct buf *errs,
    char **cause, int depth)
{
	struct theme child;
	size_t len;
	char *text;
	int rc;

	if (!themes_name_ok(name)) {
		*cause = xasprintf("'%s' is not a theme name", name);
		return GQ_EINVAL;
	}
	if (depth > THEME_MAX_DEPTH) {
		*cause = xasprintf("%s: extends goes %d deep (a loop?)", name,
		    depth);
		return GQ_EINVAL;
	}
	if ((text = themes_read(name, &len)) == NULL) {
		*cause = xasprintf("no theme called %s", name);
		return GQ_ENOENT;
	}
	theme_init(&child, name);
	if (errs != NULL)
		theme_parse(&child, text, len, errs);
	else {
		struct buf none;

		buf_init(&none, 64 * 1024);
		theme_parse(&child, text, len, &none);
		buf_done(&none);
	}
	free(text);
	if (child.extends[0] == '\0') {
		*th = child;
		return 0;
	}
	if ((rc = themes_load_depth(child.extends, th, errs, cause,
	         depth + 1)) != 0)
		return rc;
	theme_merge(th, &child);
	return 0;
}

int
themes_load(const char *name, struct theme *th, struct buf *errs, char **cause)
{
	int rc;

	*cause = NULL;
	if ((rc = themes_load_depth(name, th, errs, cause, 0)) != 0)
		return rc;
	theme_resolve(th);
	return 0;
}

static void
themes_add(char ***names, size_t *n, size_t *cap, const char *name)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*names)[i], name) == 0)
			return;
	if (*n + 1 >= *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*names = xreallocarray(*names, *cap, sizeof(**names));
	}
	(*names)[(*n)++] = xstrdup(name);
	(*names)[*n] = NULL;
}

static void
themes_scan(const char *dir, char ***names, size_t *n, size_t *cap)
{
	struct dirent *de;
	char name[THEME_NAME_MAX];
	size_t len;
	DIR *d;

	if (dir[0] == '\0' || (d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= 6 || len - 6 >= sizeof(name) ||
		    strcmp(de->d_name + len - 6, ".theme") != 0)
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(len - 6),
		    de->d_name);
		if (themes_name_ok(name))
			themes_add(names, n, cap, name);
	}
	closedir(d);
}

static int
themes_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **
themes_list(void)
{
	char dirs[THEMES_NDIRS][THEMES_PATH_MAX], **names = NULL;
	size_t n = 0, cap = 0;
	int i;

	for (i = 0; themes_builtin_names[i] != NULL; i++)
		themes_add(&names, &n, &cap, themes_builtin_names[i]);
	themes_dirs(dirs);
	for (i = 0; i < THEMES_NDIRS; i++)
		themes_scan(dirs[i], &names, &n, &cap);
	qsort(names, n, sizeof(*names), themes_cmp);
	return names;
}

void
themes_list_free(char **names)
{
	size_t i;

	for (i = 0; names != NULL && names[i] != NULL; i++)
		free(names[i]);
	free(names);
}
