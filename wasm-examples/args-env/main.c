// Prints what the sandbox handed the module: its argv and its environment.
// Exit status comes from $EXIT_CODE so exit-code plumbing can be tested too.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static int cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
    for (int i = 0; i < argc; i++)
        printf("argv[%d]=%s\n", i, argv[i]);

    // Sort so the output does not depend on the host's env ordering.
    size_t n = 0;
    while (environ && environ[n])
        n++;
    char **vars = malloc((n ? n : 1) * sizeof *vars);
    if (!vars)
        return 1;
    memcpy(vars, environ, n * sizeof *vars);
    qsort(vars, n, sizeof *vars, cmp);
    for (size_t i = 0; i < n; i++)
        printf("%s\n", vars[i]);
    free(vars);

    const char *code = getenv("EXIT_CODE");
    return code ? atoi(code) : 0;
}
