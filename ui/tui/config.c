/*
 * config.c - interface settings in $XDG_CONFIG_HOME/cimic/tui.conf.
 *
 * They live outside the encrypted store because the theme and the
 * auto-lock time are needed before unlock (the unlock prompt at night
 * must already be dark).  Nothing secret goes here.  Format: one
 * `key = value` a line, '#' comments.  Saved atomically.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/util.h"
#include "tui-app.h"

#define AUTOLOCK_DEFAULT_S 300

static char *
config_dir(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (xdg && *xdg)
		return util_aprintf("%s/cimic", xdg);
	if (home && *home)
		return util_aprintf("%s/.config/cimic", home);
	return NULL;
}

static void
set_key(struct tui_config *cfg, const char *key, const char *value)
{
	if (strcmp(key, "theme") == 0)
		snprintf(cfg->theme, sizeof cfg->theme, "%s", value);
	else if (strcmp(key, "autolock") == 0)
		cfg->autolock_s = atoi(value) < 0 ? 0 : atoi(value);
	else if (strcmp(key, "mouse") == 0)
		cfg->mouse = strcmp(value, "on") == 0;
	else if (strcmp(key, "mailbox") == 0)
		snprintf(cfg->mailbox, sizeof cfg->mailbox, "%s", value);
	else if (strcmp(key, "link") == 0)
		snprintf(cfg->link, sizeof cfg->link, "%s", value);
	else if (strcmp(key, "serve") == 0)
		snprintf(cfg->serve, sizeof cfg->serve, "%s", value);
}

void
config_load(struct tui_config *cfg)
{
	char *dir = config_dir(), *path, line[1024];
	FILE *f;

	memset(cfg, 0, sizeof *cfg);
	snprintf(cfg->theme, sizeof cfg->theme, "terminal");
	cfg->autolock_s = AUTOLOCK_DEFAULT_S;
	if (dir == NULL)
		return;
	path = util_aprintf("%s/tui.conf", dir);
	free(dir);
	f = path ? fopen(path, "r") : NULL;
	free(path);
	if (f == NULL)
		return;
	while (fgets(line, sizeof line, f)) {
		char *eq = strchr(line, '=');
		if (line[0] == '#' || eq == NULL)
			continue;
		*eq = '\0';
		line[strcspn(line, "\r\n")] = '\0';
		eq[1 + strcspn(eq + 1, "\r\n")] = '\0';
		set_key(cfg, util_trim(line), util_trim(eq + 1));
	}
	fclose(f);
}

int
config_save(const struct tui_config *cfg)
{
	struct cimic_error err;
	char *dir = config_dir(), *path = NULL;
	struct buf b;
	int rc = -1;

	if (dir == NULL || util_mkdirs(dir, 0700, &err) != 0)
		goto out;
	if ((path = util_aprintf("%s/tui.conf", dir)) == NULL)
		goto out;
	buf_init(&b);
	buf_printf(&b, "# cimic terminal interface settings (written by cimic)\n"
		       "# theme: day, night, mono or terminal\ntheme = %s\n"
		       "# auto-lock after this many idle seconds (0: never)\nautolock = %d\n"
		       "# mouse: on or off\nmouse = %s\n"
		       "# last USB mailbox directory\nmailbox = %s\n"
		       "# last network link server (HOST:PORT) and serving address (ADDR:PORT)\n"
		       "link = %s\nserve = %s\n",
		   cfg->theme, cfg->autolock_s, cfg->mouse ? "on" : "off", cfg->mailbox, cfg->link,
		   cfg->serve);
	rc = b.failed ? -1 : util_write_atomic(path, b.data, b.len, 0600, &err);
	buf_finish(&b);
out:
	free(path);
	free(dir);
	return rc;
}
