/* cli.c - helpers shared by the subcommands: errors, passphrase, store, cells. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

#include <sodium.h>

#include "cimic/escape.h"
#include "cimic/i18n.h"
#include "cli.h"

#define PASS_MAX 1024

/* A ring of escaped copies, so that one printf can take several. */
#define SAFE_RING 8

static const char *
safe_ring(const char *s, unsigned flags)
{
	static char *ring[SAFE_RING];
	static unsigned at;
	char *copy;

	if (s == NULL)
		return "";
	if (escape_terminal_safe(s, strlen(s), flags))
		return s;
	if ((copy = escape_terminal_dup(s, flags)) == NULL)
		return "?";
	at = (at + 1) % SAFE_RING;
	free(ring[at]);
	ring[at] = copy;
	return copy;
}

const char *
cli_safe(const char *s)
{
	return safe_ring(s, 0);
}

const char *
cli_safe_text(const char *s)
{
	return safe_ring(s, ESCAPE_KEEP_NEWLINE | ESCAPE_KEEP_TAB);
}

int
cli_fail(struct cli *cli, const struct cimic_error *err)
{
	/* messages name files and records: what they quote is escaped too */
	if (cli->cmd)
		fprintf(stderr, "cimic: %s: %s\n", cli->cmd, cli_safe(err->msg));
	else
		fprintf(stderr, "cimic: %s\n", cli_safe(err->msg));
	return err->code ? err->code : CIMIC_EFAIL;
}

int
cli_usage(struct cli *cli, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "cimic: %s: %s\n", cli->cmd ? cli->cmd : "usage", cli_safe(msg));
	fprintf(stderr, _("Try 'cimic %s --help'.\n"), cli->cmd ? cli->cmd : "");
	return CIMIC_EUSAGE;
}

bool
cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return false;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	}
	return false;
}

void
cli_passphrase_free(char *pass)
{
	sodium_free(pass);
}

extern char **environ;

/*
 * Removes NAME from the environment after overwriting its value where it
 * lies: the initial environment is what /proc/PID/environ shows for the
 * life of the process, and unsetenv() alone leaves those bytes there.
 */
static void
scrub_env(const char *name)
{
	size_t n = strlen(name);
	char *entry = NULL;

	for (char **e = environ; e != NULL && *e != NULL && entry == NULL; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			entry = *e;
	unsetenv(name);
	if (entry != NULL)
		sodium_memzero(entry, strlen(entry));
}

/* Reads one line (without the newline) from fd into a sodium_malloc buffer. */
static int
read_secret_line(int fd, char *buf, size_t *len)
{
	size_t n = 0;
	char c;

	for (;;) {
		ssize_t r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || c == '\n')
			break;
		if (n + 1 >= PASS_MAX)
			return -1;
		buf[n++] = c;
	}
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	*len = n;
	return 0;
}

static int
prompt_tty(const char *prompt, char *buf, size_t *len)
{
	struct termios old, quiet;
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC), rc;

	if (fd < 0)
		return -1;
	if (tcgetattr(fd, &old) != 0) {
		close(fd);
		return -1;
	}
	quiet = old;
	quiet.c_lflag &= (tcflag_t)~(ECHO | ECHOE | ECHOK | ECHONL);
	quiet.c_lflag |= ICANON;
	(void)!write(fd, prompt, strlen(prompt));
	tcsetattr(fd, TCSAFLUSH, &quiet);
	rc = read_secret_line(fd, buf, len);
	tcsetattr(fd, TCSAFLUSH, &old);
	(void)!write(fd, "\n", 1);
	close(fd);
	return rc;
}

int
cli_passphrase(struct cli *cli, const char *prompt, bool confirm, char **pass, size_t *len)
{
	const char *env = getenv("CIMIC_PASSPHRASE");
	char *buf = sodium_malloc(PASS_MAX), *again = NULL;
	size_t n2;

	*pass = NULL;
	if (buf == NULL) {
		fprintf(stderr, "cimic: %s\n", _("cannot allocate secure memory"));
		return CIMIC_EFAIL;
	}
	if (cli->passphrase_file != NULL) {
		int fd = open(cli->passphrase_file, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, _("cimic: cannot read passphrase file %s: %s\n"),
				cli->passphrase_file, strerror(errno));
			sodium_free(buf);
			return CIMIC_ENOINPUT;
		}
		if (read_secret_line(fd, buf, len) != 0) {
			close(fd);
			sodium_free(buf);
			fprintf(stderr, "cimic: %s\n", _("passphrase file: first line too long"));
			return CIMIC_EDATA;
		}
		close(fd);
	} else if (env != NULL) {
		size_t n = strlen(env);
		if (n >= PASS_MAX) {
			sodium_free(buf);
			fprintf(stderr, "cimic: %s\n", _("CIMIC_PASSPHRASE is too long"));
			return CIMIC_EDATA;
		}
		memcpy(buf, env, n + 1);
		*len = n;
		scrub_env("CIMIC_PASSPHRASE");
	} else {
		if (prompt_tty(prompt, buf, len) != 0) {
			sodium_free(buf);
			fprintf(stderr, "cimic: %s\n",
				_("no passphrase: there is no terminal to ask on; use --passphrase-file FILE or CIMIC_PASSPHRASE"));
			return CIMIC_EUSAGE;
		}
		if (confirm) {
			again = sodium_malloc(PASS_MAX);
			if (again == NULL || prompt_tty(_("Repeat passphrase: "), again, &n2) != 0 ||
			    n2 != *len || sodium_memcmp(again, buf, n2) != 0) {
				sodium_free(again);
				sodium_free(buf);
				fprintf(stderr, "cimic: %s\n", _("the passphrases differ; nothing was changed"));
				return CIMIC_EUSAGE;
			}
			sodium_free(again);
		}
	}
	if (*len == 0) {
		sodium_free(buf);
		fprintf(stderr, "cimic: %s\n", _("the passphrase is empty"));
		return CIMIC_EUSAGE;
	}
	*pass = buf;
	return 0;
}

int
cli_open(struct cli *cli)
{
	struct cimic_error err;
	char *pass;
	size_t len;
	int rc;

	if (cli->st != NULL)
		return 0;
	if (!store_exists(cli->dir)) {
		cimic_error_set(&err, CIMIC_ENOINPUT,
				_("no store in %s; create one with 'cimic init --unit NAME' or try 'cimic demo'"),
				cli->dir);
		return cli_fail(cli, &err);
	}
	if ((rc = cli_passphrase(cli, _("Passphrase: "), false, &pass, &len)) != 0)
		return rc;
	rc = store_open(cli->dir, pass, len, &cli->st, &err);
	cli_passphrase_free(pass);
	if (rc != 0)
		return cli_fail(cli, &err);
	return 0;
}

void
cli_close(struct cli *cli)
{
	store_close(cli->st);
	cli->st = NULL;
}

int
cli_write_output(struct cli *cli, const char *path, const struct buf *out, int mode)
{
	const void *data = out->data ? (const void *)out->data : "";
	size_t len = out->len;
	struct cimic_error err;
	struct buf safe;
	int rc = 0;

	if (path != NULL && strcmp(path, "-") != 0) {
		if (util_write_output(path, data, len, mode, &err) != 0)
			return cli_fail(cli, &err);
		return 0;
	}
	buf_init(&safe);
	if (isatty(STDOUT_FILENO)) {
		/* a file's worth of store text on a terminal: shown, never obeyed */
		escape_terminal(&safe, data, len, ESCAPE_KEEP_NEWLINE | ESCAPE_KEEP_TAB);
		data = safe.data;
		len = safe.len;
	}
	if ((len > 0 && fwrite(data, 1, len, stdout) != len) || fflush(stdout) != 0)
		rc = cli_fail(cli, (cimic_error_set(&err, CIMIC_EIO, _("cannot write to stdout")), &err));
	buf_finish(&safe);
	return rc;
}

/* Display width of the next character at p; *k receives its byte length. */
static int
char_width(const char *p, size_t *k, wchar_t *wc)
{
	mbstate_t ps;
	int w;

	memset(&ps, 0, sizeof ps);
	*k = mbrtowc(wc, p, MB_CUR_MAX, &ps);
	if (*k == (size_t)-1 || *k == (size_t)-2 || *k == 0) {
		*k = 1;
		*wc = L'?';
		return 1;
	}
	if (*wc == L'\n' || *wc == L'\t')
		return 1;
	w = wcwidth(*wc);
	return w < 0 ? 0 : w;
}

static int
text_width(const char *s)
{
	int total = 0;
	size_t k;
	wchar_t wc;

	for (const char *p = s; *p; p += k)
		total += char_width(p, &k, &wc);
	return total;
}

void
cli_print_cell(FILE *f, const char *s, int width)
{
	const char *p = safe_ring(s, ESCAPE_KEEP_NEWLINE | ESCAPE_KEEP_TAB);
	int used = 0, limit = text_width(p) <= width ? width : width - 1;
	size_t k;
	wchar_t wc;

	for (; *p; p += k) {
		int w = char_width(p, &k, &wc);
		if (used + w > limit)
			break;
		if (wc == L'\n' || wc == L'\t' || wc == L'?')
			fputc(wc == L'?' ? '?' : ' ', f);
		else
			fwrite(p, 1, k, f);
		used += w;
	}
	if (*p) {
		fputs("…", f);
		used++;
	}
	for (; used < width; used++)
		fputc(' ', f);
}

void
cli_count_text(long n, char *buf, size_t size)
{
	/* TRANSLATORS: the thousands separator in counts such as "300 of 2,514" */
	const char *sep = _(",");
	char digits[32];
	size_t len, k = 0, sl = strlen(sep);
	int lead;

	snprintf(digits, sizeof digits, "%ld", n < 0 ? 0 : n);
	len = strlen(digits);
	lead = (int)(len % 3 ? len % 3 : 3);
	for (size_t i = 0; i < len && k + sl + 2 < size; i++) {
		if (i > 0 && ((int)i - lead) % 3 == 0) {
			memcpy(buf + k, sep, sl);
			k += sl;
		}
		buf[k++] = digits[i];
	}
	buf[k] = '\0';
}
