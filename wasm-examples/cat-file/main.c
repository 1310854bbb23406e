// Prints files from preopened directories; `--write PATH TEXT` writes one,
// which a read-only preopen must refuse.
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int fail(const char *path) {
    fprintf(stderr, "cat-file: %s: %s\n", path, strerror(errno));
    return 1;
}

static int cat(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail(path);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        fwrite(buf, 1, n, stdout);
    int err = ferror(f);
    fclose(f);
    if (err)
        return fail(path);
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--write") == 0) {
        if (argc != 4) {
            fprintf(stderr, "usage: cat-file --write PATH TEXT\n");
            return 2;
        }
        FILE *f = fopen(argv[2], "wb");
        if (!f)
            return fail(argv[2]);
        // fclose flushes, so a late write error surfaces there.
        if (fputs(argv[3], f) == EOF || fclose(f) == EOF)
            return fail(argv[2]);
        return 0;
    }
    if (argc < 2) {
        fprintf(stderr, "usage: cat-file PATH... | cat-file --write PATH TEXT\n");
        return 2;
    }
    int status = 0;
    for (int i = 1; i < argc; i++)
        status |= cat(argv[i]);
    return status;
}
