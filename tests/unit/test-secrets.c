/*
 * test-secrets.c - a running `cimic serve` keeps its secrets to itself:
 * core dumps are off even when it was started with an unlimited core
 * limit, CIMIC_PASSPHRASE is gone from /proc/PID/environ, and a core of
 * the running process (gcore) holds neither the passphrase nor any of
 * the node's secret keys.  The real binary ($CIMIC_BIN) is run.
 */
#include <signal.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "support.h"
#include "tap.h"

#define PASSPHRASE "lantern-orbit-Dnipro-quarry-17"

/*
 * Under AddressSanitizer the process maps terabytes of shadow memory and
 * a core of it runs to tens of gigabytes: the core checks run in the
 * normal build only (the limits and environment checks run in both).
 */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0, got;

	*len = 0;
	if (f == NULL)
		return NULL;
	do {
		if (n == cap && (buf = realloc(buf, cap = cap ? cap * 2 : 1 << 20)) == NULL)
			break;
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	*len = n;
	return buf;
}

static bool
contains(const unsigned char *hay, size_t n, const void *needle, size_t m)
{
	for (size_t i = 0; m <= n && i + m <= n; i++)
		if (hay[i] == *(const unsigned char *)needle && memcmp(hay + i, needle, m) == 0)
			return true;
	return false;
}

/* Starts serve with an unlimited core limit; its stdout is read until "listening on". */
static pid_t
start_serve(const char *bin, const char *dir)
{
	int out[2];
	char line[256];
	size_t n = 0;
	pid_t pid;

	if (pipe(out) != 0)
		return -1;
	if ((pid = fork()) == 0) {
		struct rlimit lim;
		getrlimit(RLIMIT_CORE, &lim);
		lim.rlim_cur = lim.rlim_max;   /* unlimited where the hard limit allows */
		setrlimit(RLIMIT_CORE, &lim);
		dup2(out[1], 1);
		close(out[0]);
		setenv("CIMIC_PASSPHRASE", PASSPHRASE, 1);
		execl(bin, bin, "--store", dir, "serve", "--listen", "127.0.0.1:0", (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	while (n + 1 < sizeof line && read(out[0], line + n, 1) == 1 && line[n] != '\n')
		n++;
	line[n] = '\0';
	if (strncmp(line, "listening on ", 13) != 0) {
		tap_diag("serve said '%s'", line);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		close(out[0]);
		return -1;
	}
	return pid;
}

static bool
core_limit_zero(pid_t pid)
{
	char path[64], line[256];
	bool zero = false;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/limits", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return false;
	while (fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, "Max core file size", 18) == 0) {
			char soft[32], hard[32];
			zero = sscanf(line + 18, "%31s %31s", soft, hard) == 2 &&
			       strcmp(soft, "0") == 0 && strcmp(hard, "0") == 0;
			tap_diag("%s", line);
		}
	fclose(f);
	return zero;
}

int
main(void)
{
	const char *bin = getenv("CIMIC_BIN");
	struct store_init_opts o = { "Secrets", NODE_HQ, &test_kdf };
	unsigned char sign_seed[32], box_sk[32], link_sk[32], sign_pk[32];
	char *dir = test_tmpdir(), path[600], cmd[1400];
	struct cimic_error err;
	struct store *st;
	unsigned char *core;
	size_t len;
	pid_t pid;

	if (bin == NULL || sodium_init() < 0)
		return 99;
	ok(store_init(dir, PASSPHRASE, strlen(PASSPHRASE), &o, &st, &err) == 0, "store created");
	memcpy(sign_seed, store_identity(st)->sign_sk, 32);
	memcpy(sign_pk, store_identity(st)->pub.sign_pk, 32);
	memcpy(box_sk, store_identity(st)->box_sk, 32);
	memcpy(link_sk, store_identity(st)->link_sk, 32);
	store_close(st);

	pid = start_serve(bin, dir);
	ok(pid > 0, "serve runs, started with an unlimited core limit");
	if (pid <= 0)
		return done_testing();
	ok(core_limit_zero(pid), "/proc/PID/limits of serve shows a core limit of 0 (soft and hard)");
	snprintf(path, sizeof path, "/proc/%d/environ", (int)pid);
	core = slurp(path, &len);
	ok(core != NULL && len > 0 && !contains(core, len, PASSPHRASE, strlen(PASSPHRASE)) &&
	   !contains(core, len, "CIMIC_PASSPHRASE=", 17),
	   "CIMIC_PASSPHRASE is gone from /proc/PID/environ (%zu bytes read)", len);
	free(core);

	/* a core of the running process, as a captor with root would take it */
	snprintf(path, sizeof path, "%s/core", dir);
	snprintf(cmd, sizeof cmd, "gcore -o '%s' %d >/dev/null 2>&1", path, (int)pid);
	if (UNDER_ASAN) {
		tap_diag("AddressSanitizer build: a core would be tens of GB; core checks run in the normal build");
	} else if (system(cmd) == 0) {
		snprintf(path, sizeof path, "%s/core.%d", dir, (int)pid);
		core = slurp(path, &len);
		ok(core != NULL && len > (1u << 20), "gcore wrote a core of serve (%zu bytes)", len);
		ok(core != NULL && contains(core, len, sign_pk, 32),
		   "control: the core holds the public signing key (the page cache is in it)");
		ok(!contains(core, len, PASSPHRASE, strlen(PASSPHRASE)), "no passphrase in the core");
		ok(!contains(core, len, sign_seed, 32), "no signing secret key in the core");
		ok(!contains(core, len, box_sk, 32), "no bundle secret key in the core");
		ok(!contains(core, len, link_sk, 32), "no link secret key in the core");
		free(core);
		unlink(path);
	} else {
		tap_diag("gcore could not attach (no gdb, or not allowed): core checks skipped");
	}
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	test_rmdir(dir);
	return done_testing();
}
