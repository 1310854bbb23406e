// Prints what a program usually learns from its host: the time (realtime, monotonic, CPU),
// random bytes, how long a sleep took, and a directory listing with inode numbers and times.
// Run normally, every line changes from run to run; with --deterministic none does.
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static long long ns(clockid_t clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void list(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) {
    perror(dir);
    return;
  }
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    struct stat st;
    if (stat(path, &st) != 0) {
      perror(path);
      continue;
    }
    printf("%s ino=%llu size=%lld mtime=%lld inode_matches=%s\n", path, (unsigned long long)st.st_ino,
           S_ISDIR(st.st_mode) ? 0LL : (long long)st.st_size, (long long)st.st_mtim.tv_sec,
           e->d_ino == st.st_ino ? "yes" : "no");
    if (S_ISDIR(st.st_mode)) list(path);
  }
  closedir(d);
}

int main(int argc, char **argv) {
  printf("realtime %lld\n", ns(CLOCK_REALTIME));
  printf("time() %lld\n", (long long)time(NULL));
  long long start = ns(CLOCK_MONOTONIC);
  unsigned char bytes[16];
  getentropy(bytes, sizeof bytes);
  printf("random ");
  for (size_t i = 0; i < sizeof bytes; i++) printf("%02x", bytes[i]);
  printf("\n");
  srand((unsigned)bytes[0] | (unsigned)bytes[1] << 8);
  printf("rand() %d\n", rand());
  struct timespec second = {1, 0};
  nanosleep(&second, NULL);
  printf("slept_ns %lld\n", ns(CLOCK_MONOTONIC) - start);
  printf("cpu_ns %lld\n", ns(CLOCK_PROCESS_CPUTIME_ID));
  for (int i = 1; i < argc; i++) list(argv[i]);
  return 0;
}
