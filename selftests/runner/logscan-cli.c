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
	FILE *f = fopen(path, "r");
	int ret;

	if (!f) {
		fprintf(stderr, "logscan: %s: %s\n", path, strerror(errno));
		return -1;
	}
	ret = logscan_stream(f, stdout);
	if (ret)
		fprintf(stderr, "logscan: %s: read error\n", path);
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
