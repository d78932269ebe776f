/*
 * go_alloc.h - large output buffers backed by transparent huge pages.
 *
 * Plain C11, no VTK headers. On Linux a buffer of at least
 * GO_HUGE_MIN_BYTES is an anonymous mapping aligned to 2 MiB and advised
 * with madvise(MADV_HUGEPAGE): first touch then costs one fault (and one
 * 2 MiB clear) per 2 MiB instead of one per 4 KiB page, which on virtual
 * machines is most of the cost of a fresh output array. Where mmap or
 * MADV_HUGEPAGE does not exist, or the mapping fails, the buffer comes from
 * malloc: same API, ordinary pages. madvise failing (THP disabled) is not an
 * error: the mapping is used with ordinary pages.
 *
 * The memory is not initialised. A pointer from go_huge_alloc must be
 * released with go_huge_free (it is also the free function handed to VTK:
 * vtkAbstractArray::SetArrayFreeFunction). Data is 64-byte aligned.
 */
#ifndef go_alloc_h
#define go_alloc_h

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Smaller requests are not worth a mapping of their own. */
#define GO_HUGE_MIN_BYTES ((size_t)4 << 20)

/* How a buffer was obtained (go_huge_kind). */
typedef enum go_alloc_kind
{
  GO_ALLOC_NONE = 0,   /* NULL pointer */
  GO_ALLOC_MALLOC = 1, /* malloc fallback: small request or no huge-page support */
  GO_ALLOC_MAPPED = 2, /* 2 MiB-aligned mapping, huge pages advised */
  GO_ALLOC_ADVISED_FAILED = 3 /* mapping, but madvise(MADV_HUGEPAGE) was refused */
} go_alloc_kind;

/* At least `bytes` bytes (uninitialised, 64-byte aligned), or NULL. */
void* go_huge_alloc(size_t bytes);

/* Release a buffer from go_huge_alloc; NULL is ignored. */
void go_huge_free(void* p);

/* How `p` (from go_huge_alloc) was obtained. */
go_alloc_kind go_huge_kind(const void* p);

/* 1 when this build can map huge-page buffers at all (Linux, MADV_HUGEPAGE)
 * and the environment variable GRADIENTOPACITY_NO_HUGE_PAGES is unset, empty
 * or "0" (set it to compare with ordinary pages). */
int go_huge_supported(void);

#ifdef __cplusplus
}
#endif

#endif
