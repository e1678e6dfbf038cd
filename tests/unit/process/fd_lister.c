/* Prints the descriptors this process has open, one per line, ascending,
   leaving out the one it uses to read /proc/self/fd. Run as a child to see
   exactly what it inherited. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

static int ascending(const void* a, const void* b) {
  return *(const int*)a - *(const int*)b;
}

int main(void) {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == NULL) {
    perror("opendir /proc/self/fd");
    return 1;
  }
  int fds[4096];
  int count = 0;
  struct dirent* entry;
  while ((entry = readdir(dir)) != NULL && count < 4096) {
    if (entry->d_name[0] == '.') continue;
    int fd = atoi(entry->d_name);
    if (fd != dirfd(dir)) fds[count++] = fd;
  }
  closedir(dir);
  qsort(fds, (size_t)count, sizeof fds[0], ascending);
  for (int i = 0; i < count; ++i) printf("%d\n", fds[i]);
  return 0;
}
