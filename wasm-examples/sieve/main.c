// Counts primes <= N (N read from stdin, default 1000000): a CPU and
// memory workload with an easily checked answer (78498, largest 999983).
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_N 1000000UL
#define MAX_N 1000000000UL // one byte per number: keep within a 1 GiB sandbox

int main(void) {
    char buf[64];
    size_t len = fread(buf, 1, sizeof buf - 1, stdin);
    // Anything longer than buf cannot be a valid N; reject it rather than truncate.
    if (len == sizeof buf - 1 && fgetc(stdin) != EOF) {
        fprintf(stderr, "sieve: input too long, expected one integer\n");
        return 2;
    }
    while (len > 0 && isspace((unsigned char)buf[len - 1]))
        len--;
    buf[len] = '\0';

    char *p = buf;
    while (isspace((unsigned char)*p))
        p++;
    unsigned long n = DEFAULT_N;
    if (*p) {
        char *end;
        errno = 0;
        n = strtoul(p, &end, 10);
        // strtoul alone would accept "-5", "12x" and overflow silently.
        if (!isdigit((unsigned char)*p) || *end || errno || n > MAX_N) {
            fprintf(stderr, "sieve: expected an integer 0..%lu, got \"%s\"\n", MAX_N, p);
            return 2;
        }
    }

    unsigned long count = 0, largest = 0;
    if (n >= 2) {
        unsigned char *composite = calloc(n + 1, 1);
        if (!composite) {
            fprintf(stderr, "sieve: out of memory for N=%lu\n", n);
            return 2;
        }
        for (unsigned long i = 2; i <= n; i++) {
            if (composite[i])
                continue;
            count++;
            largest = i;
            if (i <= n / i) // i*i would overflow otherwise (unsigned long is 32-bit on wasm32)
                for (unsigned long j = i * i; j <= n; j += i)
                    composite[j] = 1;
        }
        free(composite);
    }

    if (count)
        printf("%lu primes <= %lu, largest %lu\n", count, n, largest);
    else
        printf("0 primes <= %lu\n", n);
    return 0;
}
