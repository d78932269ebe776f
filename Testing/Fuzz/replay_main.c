/*
 * replay_main.c - runs the fuzz target over files and directories without
 * libFuzzer (gcc builds, valgrind, sanitizer builds): the corpus as a
 * regression test.
 *
 *   fuzz_kernels_replay FILE|DIR...
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

static int run_file(const char* path)
{
  FILE* f = fopen(path, "rb");
  uint8_t* buf;
  long n;
  if (!f)
  {
    perror(path);
    return 1;
  }
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  buf = (uint8_t*)malloc(n > 0 ? (size_t)n : 1);
  if (n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n)
  {
    perror(path);
    fclose(f);
    free(buf);
    return 1;
  }
  fclose(f);
  LLVMFuzzerTestOneInput(buf, (size_t)n);
  free(buf);
  return 0;
}

int main(int argc, char** argv)
{
  int i, failures = 0, count = 0;
  for (i = 1; i < argc; ++i)
  {
    struct stat st;
    if (stat(argv[i], &st) != 0)
    {
      perror(argv[i]);
      ++failures;
      continue;
    }
    if (S_ISDIR(st.st_mode))
    {
      DIR* d = opendir(argv[i]);
      struct dirent* e;
      while (d && (e = readdir(d)) != NULL)
      {
        char path[4096];
        if (e->d_name[0] == '.')
          continue;
        snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
        failures += run_file(path);
        ++count;
      }
      if (d)
        closedir(d);
    }
    else
    {
      failures += run_file(argv[i]);
      ++count;
    }
  }
  printf("replayed %d inputs, %d unreadable\n", count, failures);
  return failures != 0 || count == 0;
}
