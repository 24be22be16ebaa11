/*
 * fuzz-replay.c - runs a libFuzzer target without libFuzzer, for the
 * `fuzz` test suite: every file given (or in a directory given), then
 * every truncation and a dense sample of single-bit flips of each, so
 * the corpus keeps being checked under the sanitizer build.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static long runs;

static void
run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *p, *m;
	long n;

	if (f == NULL)
		return;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = malloc((size_t)n + 1);
	m = malloc((size_t)n + 1);
	n = (long)fread(p, 1, (size_t)n, f);
	fclose(f);
	LLVMFuzzerTestOneInput(p, (size_t)n);
	runs++;
	for (long k = 0; k < n; k += 1 + n / 512, runs++)
		LLVMFuzzerTestOneInput(p, (size_t)k);
	for (long i = 1; i < n; i += 1 + n / 1024) {
		memcpy(m, p, (size_t)n);
		m[i] ^= (unsigned char)(1u << (i % 8));
		LLVMFuzzerTestOneInput(m, (size_t)n);
		runs++;
	}
	free(p);
	free(m);
}

int
main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		struct stat sb;
		DIR *d;
		struct dirent *de;
		if (stat(argv[i], &sb) != 0)
			return 66;
		if (!S_ISDIR(sb.st_mode)) {
			run_file(argv[i]);
			continue;
		}
		if ((d = opendir(argv[i])) == NULL)
			return 66;
		while ((de = readdir(d)) != NULL) {
			char path[4096];
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof path, "%s/%s", argv[i], de->d_name);
			run_file(path);
		}
		closedir(d);
	}
	printf("1..1\nok 1 - %ld inputs ran without a crash\n", runs);
	return 0;
}
