/*
 * sqlite: runs the SQL read from stdin against a SQLite database (the upstream amalgamation,
 * public domain, fetched by ../fetch-sources.sh).
 *
 *   sqlite DB            opens DB read-only and immutable: no locks, no journal, no writes, so
 *                        it works from a read-only preopened dir
 *   sqlite --create DB   opens DB read-write, creating it if needed (needs a writable dir)
 *
 * Result rows are printed as col|col|... lines (NULL as an empty field), like the sqlite3
 * shell's list mode. An error is printed to stderr as "sqlite: message" and the exit status is 1
 * (2 for a usage error).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite3.h"

static int read_all(FILE *f, char **out) {
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    if (!buf) return -1;
    for (;;) {
        if (cap - len < 4096 + 1) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown) { free(buf); return -1; }
            buf = grown;
        }
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0) break;
    }
    if (ferror(f)) { free(buf); return -1; }
    buf[len] = '\0';
    *out = buf;
    return 0;
}

/* "file:" + the path, percent-encoded where a URI needs it, + "?immutable=1". */
static char *immutable_uri(const char *path) {
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(path);
    char *uri = malloc(5 + 3 * n + 12 + 1);
    if (!uri) return NULL;
    char *p = uri;
    memcpy(p, "file:", 5);
    p += 5;
    for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
        unsigned char c = *s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
            *p++ = (char)c;
        } else {
            *p++ = '%';
            *p++ = hex[c >> 4];
            *p++ = hex[c & 15];
        }
    }
    strcpy(p, "?immutable=1");
    return uri;
}

static int print_row(void *unused, int ncols, char **values, char **names) {
    (void)unused;
    (void)names;
    for (int i = 0; i < ncols; i++) {
        if (i > 0) putchar('|');
        if (values[i]) fputs(values[i], stdout);
    }
    putchar('\n');
    return 0;
}

int main(int argc, char **argv) {
    int create = argc == 3 && strcmp(argv[1], "--create") == 0;
    if (!(argc == 2 && argv[1][0] != '-') && !create) {
        fputs("usage: sqlite DB < queries.sql           (read-only)\n"
              "       sqlite --create DB < schema.sql   (read-write, creates DB)\n", stderr);
        return 2;
    }
    const char *path = argv[argc - 1];

    char *sql;
    if (read_all(stdin, &sql) != 0) {
        perror("sqlite: stdin");
        return 1;
    }

    sqlite3 *db = NULL;
    int rc;
    if (create) {
        rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    } else {
        char *uri = immutable_uri(path);
        if (!uri) { fputs("sqlite: out of memory\n", stderr); return 1; }
        rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
        free(uri);
    }
    if (rc != SQLITE_OK) {
        fprintf(stderr, "sqlite: %s: %s\n", path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return 1;
    }

    char *err = NULL;
    rc = sqlite3_exec(db, sql, print_row, NULL, &err);
    fflush(stdout);
    if (rc != SQLITE_OK) {
        fprintf(stderr, "sqlite: %s\n", err ? err : sqlite3_errstr(rc));
        sqlite3_free(err);
        sqlite3_close(db);
        return 1;
    }
    if (sqlite3_close(db) != SQLITE_OK) {
        fprintf(stderr, "sqlite: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    return 0;
}
