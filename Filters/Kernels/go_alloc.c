/*
 * go_alloc.c - huge-page backed buffers (see go_alloc.h).
 *
 * Layout: [64-byte header][data ...] at the start of the block; for a mapping
 * the block starts on a 2 MiB boundary and spans whole 2 MiB units, so every
 * 2 MiB of it can be a huge page (the header shares the first one).
 */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* MAP_ANONYMOUS, MADV_HUGEPAGE in glibc's headers */
#endif

#include "go_alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#if defined(__linux__) && defined(MADV_HUGEPAGE) && defined(MAP_ANONYMOUS)
#define GO_HAVE_HUGE 1
#else
#define GO_HAVE_HUGE 0
#endif

#define GO_ALLOC_HEADER ((size_t)64)
#define GO_HUGE_UNIT ((size_t)2 << 20)
#define GO_ALLOC_MAGIC 0x474f48554745ULL /* "GOHUGE" */

typedef struct go_alloc_header
{
  uint64_t magic;
  uint64_t kind;
  size_t length; /* bytes mapped (mapping) */
  void* block;   /* what to release */
} go_alloc_header;

static go_alloc_header* go_header(const void* p)
{
  return (go_alloc_header*)((char*)(uintptr_t)p - GO_ALLOC_HEADER);
}

static void* go_malloc_block(size_t bytes)
{
  char* block;
  go_alloc_header* h;
  if (bytes > (size_t)-1 - 2 * GO_ALLOC_HEADER)
    return NULL;
  /* over-allocate to place the data on a 64-byte boundary */
  block = (char*)malloc(bytes + 2 * GO_ALLOC_HEADER);
  if (!block)
    return NULL;
  {
    uintptr_t data = ((uintptr_t)block + 2 * GO_ALLOC_HEADER) & ~(uintptr_t)(GO_ALLOC_HEADER - 1);
    h = go_header((void*)data);
    h->magic = GO_ALLOC_MAGIC;
    h->kind = GO_ALLOC_MALLOC;
    h->length = 0;
    h->block = block;
    return (void*)data;
  }
}

int go_huge_supported(void)
{
  /* GRADIENTOPACITY_NO_HUGE_PAGES=1: ordinary pages (measurement, escape hatch) */
  const char* off = getenv("GRADIENTOPACITY_NO_HUGE_PAGES");
  if (off && *off && *off != '0')
    return 0;
  return GO_HAVE_HUGE;
}

void* go_huge_alloc(size_t bytes)
{
#if GO_HAVE_HUGE
  if (bytes >= GO_HUGE_MIN_BYTES && bytes <= ((size_t)-1) / 2 && go_huge_supported())
  {
    const size_t length = (bytes + GO_ALLOC_HEADER + GO_HUGE_UNIT - 1) & ~(GO_HUGE_UNIT - 1);
    /* map one unit more, then trim to a 2 MiB-aligned start */
    char* raw = (char*)mmap(
      NULL, length + GO_HUGE_UNIT, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw != (char*)MAP_FAILED)
    {
      const uintptr_t start = ((uintptr_t)raw + GO_HUGE_UNIT - 1) & ~(uintptr_t)(GO_HUGE_UNIT - 1);
      char* base = (char*)start;
      const size_t head = (size_t)(base - raw);
      const size_t tail = GO_HUGE_UNIT - head;
      go_alloc_header* h;
      int advised;
      if (head > 0)
        munmap(raw, head);
      if (tail > 0)
        munmap(base + length, tail);
      advised = madvise(base, length, MADV_HUGEPAGE) == 0;
      h = (go_alloc_header*)base;
      h->magic = GO_ALLOC_MAGIC;
      h->kind = advised ? GO_ALLOC_MAPPED : GO_ALLOC_ADVISED_FAILED;
      h->length = length;
      h->block = base;
      return base + GO_ALLOC_HEADER;
    }
  }
#endif
  return go_malloc_block(bytes);
}

void go_huge_free(void* p)
{
  go_alloc_header* h;
  if (!p)
    return;
  h = go_header(p);
  if (h->magic != GO_ALLOC_MAGIC)
    abort(); /* not ours: freeing it any way would corrupt memory */
#if GO_HAVE_HUGE
  if (h->kind == GO_ALLOC_MAPPED || h->kind == GO_ALLOC_ADVISED_FAILED)
  {
    void* block = h->block;
    const size_t length = h->length;
    h->magic = 0;
    munmap(block, length);
    return;
  }
#endif
  h->magic = 0;
  free(h->block);
}

go_alloc_kind go_huge_kind(const void* p)
{
  if (!p)
    return GO_ALLOC_NONE;
  return (go_alloc_kind)go_header(p)->kind;
}
