/*
 * fuzz_reader.h - the byte stream the fuzz targets read their choices from:
 * past the end every read gives 0, so any input is a complete case.
 */
#ifndef fuzz_reader_h
#define fuzz_reader_h

#include <stddef.h>
#include <stdint.h>

typedef struct reader
{
  const uint8_t* p;
  size_t n;
} reader;

static inline unsigned rd_u8(reader* r)
{
  if (!r->n)
    return 0;
  --r->n;
  return *r->p++;
}

/* Eight bytes, most significant first. */
static inline uint64_t rd_u64(reader* r)
{
  uint64_t v = 0;
  int i;
  for (i = 0; i < 8; ++i)
    v = (v << 8) | rd_u8(r);
  return v;
}

#endif
