// SPDX-License-Identifier: GPL-2.0
/*
 * logscan FILE...: print "KIND<TAB>LINE" for every splat line in QEMU
 * console logs. Hits are not failures: the exit status is 0 unless a
 * file cannot be read.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logscan.h"

static int scan(const char *path)
{
	char *line = NULL;
	size_t size = 0;
	ssize_t len;
	FILE *f;
	int ret = 0;

	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "logscan: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &size, f)) >= 0) {
		enum logscan_kind kind;

		/* Serial consoles end lines with "\r\n". */
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		kind = logscan_line(line);
		if (kind != LOGSCAN_NONE)
			printf("%s\t%s\n", logscan_kind_name(kind), line);
	}
	if (ferror(f)) {
		fprintf(stderr, "logscan: %s: read error\n", path);
		ret = -1;
	}
	free(line);
	fclose(f);
	return ret;
}

int main(int argc, char **argv)
{
	int i, ret = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: logscan FILE...\n");
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if (scan(argv[i]))
			ret = 1;
	}
	return ret;
}
