/*
 * fuzz_sampler.c - libFuzzer target over the sub-voxel sampler of the
 * automatic gradient opacity (go_ao_subvoxel_samples_range).
 *
 * The bytes choose: scalar type, dimensions 1..12 per axis (so that images
 * with and without interior cells, thin and flat ones occur), interleaved
 * components (x not contiguous), spacing, sample count, seed, a split of
 * [0, n), an optional mask, and the voxel values (with NaN/Inf and extreme
 * values for float types, the whole range for integer types).
 *
 * Checks (abort on failure, so libFuzzer keeps the input):
 *  - the AVX2 form and the scalar form give bitwise the same g, w, v;
 *  - a range [s0, s1) gives bitwise the samples of the whole call;
 *  - the typed sampler agrees with the generic double path (values passed as
 *    a separate double image): where the generic g is finite, g is finite
 *    and within a rounding bound of the largest voxel, and the weights
 *    agree; where it is not finite, neither is g (weight 0);
 *  - ASan/UBSan and valgrind find nothing.
 */
#include "go_autoopacity.h"

#include "fuzz_reader.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FS_MAX_N 12
#define FS_MAX_SAMPLES 600

static void fail(const char* what, size_t s, double a, double b)
{
  fprintf(stderr, "fuzz_sampler: %s at sample %zu: %.17g vs %.17g\n", what, s, a, b);
  abort();
}

/* One voxel value of the type from the stream, as double and stored. */
static double put_voxel(reader* r, go_scalar_type type, void* base, size_t i)
{
  const unsigned sel = rd_u8(r);
  const uint64_t u = rd_u64(r);
  switch (type)
  {
    case GO_INT8: ((int8_t*)base)[i] = (int8_t)u; return (double)(int8_t)u;
    case GO_UINT8: ((uint8_t*)base)[i] = (uint8_t)u; return (double)(uint8_t)u;
    case GO_INT16: ((int16_t*)base)[i] = (int16_t)u; return (double)(int16_t)u;
    case GO_UINT16: ((uint16_t*)base)[i] = (uint16_t)u; return (double)(uint16_t)u;
    case GO_INT32: ((int32_t*)base)[i] = (int32_t)u; return (double)(int32_t)u;
    case GO_UINT32: ((uint32_t*)base)[i] = (uint32_t)u; return (double)(uint32_t)u;
    case GO_INT64:
      /* below 2^53: the double copy is exact */
      ((int64_t*)base)[i] = (int64_t)(u >> 11) - ((int64_t)1 << 52);
      return (double)((int64_t)(u >> 11) - ((int64_t)1 << 52));
    case GO_UINT64: ((uint64_t*)base)[i] = u >> 11; return (double)(u >> 11);
    case GO_FLOAT32:
    {
      float f = (float)((int)(u & 0xffff) - 32768) * 0.01f;
      if (sel == 251)
        f = NAN;
      else if (sel == 252)
        f = INFINITY;
      else if (sel == 253)
        f = -INFINITY;
      else if (sel == 254)
        f = 3.0e38f;
      ((float*)base)[i] = f;
      return (double)f;
    }
    default:
    {
      double f = (double)((int64_t)(u >> 16) - ((int64_t)1 << 47)) * 1e-6;
      if (sel == 251)
        f = NAN;
      else if (sel == 252)
        f = INFINITY;
      else if (sel == 254)
        f = 1.0e300;
      ((double*)base)[i] = f;
      return f;
    }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  reader r = { data, size };
  const go_scalar_type type = (go_scalar_type)(rd_u8(&r) % GO_NUMBER_OF_TYPES);
  const size_t elem = go_scalar_size(type) ? go_scalar_size(type) : 1;
  int dims[3], a, flags, nc;
  double spacing[3], vmax = 0.0, fmax = 0.0, hbar;
  size_t nvox, n, s0, s1, i, s;
  uint64_t seed;
  void* raw;
  double* dcopy;
  uint8_t* mask;
  float *g1, *w1, *v1, *g2, *w2, *v2, *g3, *w3, *v3;
  go_image im, dim, mim;
  int ok = 1;
  for (a = 0; a < 3; ++a)
    dims[a] = 1 + (int)(rd_u8(&r) % FS_MAX_N);
  flags = (int)rd_u8(&r);
  nc = (flags & 1) ? 2 : 1; /* interleaved components: component 0 is read */
  for (a = 0; a < 3; ++a)
    spacing[a] = 0.25 * (double)(1 + rd_u8(&r) % 16);
  n = 1 + ((size_t)rd_u8(&r) << 8 | rd_u8(&r)) % FS_MAX_SAMPLES;
  seed = (uint64_t)rd_u8(&r) << 8 | rd_u8(&r);
  s0 = (size_t)rd_u8(&r) * n / 256;
  s1 = s0 + (size_t)rd_u8(&r) * (n - s0) / 255;
  nvox = (size_t)dims[0] * (size_t)dims[1] * (size_t)dims[2];

  raw = calloc(nvox * (size_t)nc, elem);
  dcopy = (double*)calloc(nvox, sizeof(double));
  mask = (uint8_t*)calloc(nvox, 1);
  g1 = (float*)calloc(9 * n, sizeof(float));
  if (!raw || !dcopy || !mask || !g1)
    abort();
  w1 = g1 + n;
  v1 = g1 + 2 * n;
  g2 = g1 + 3 * n;
  w2 = g1 + 4 * n;
  v2 = g1 + 5 * n;
  g3 = g1 + 6 * n;
  w3 = g1 + 7 * n;
  v3 = g1 + 8 * n;
  for (i = 0; i < nvox; ++i)
  {
    dcopy[i] = put_voxel(&r, type, raw, i * (size_t)nc);
    if (nc == 2)
      put_voxel(&r, type, raw, i * 2 + 1);
    if (isfinite(dcopy[i]) && fabs(dcopy[i]) > vmax)
      vmax = fabs(dcopy[i]);
    mask[i] = (flags & 2) ? (uint8_t)(rd_u8(&r) & 1) : 1;
  }

  memset(&im, 0, sizeof(im));
  im.data = raw;
  im.type = type;
  im.extent[1] = dims[0] - 1;
  im.extent[3] = dims[1] - 1;
  im.extent[5] = dims[2] - 1;
  im.increments[0] = nc;
  im.increments[1] = (ptrdiff_t)nc * dims[0];
  im.increments[2] = (ptrdiff_t)nc * dims[0] * dims[1];
  dim = im;
  dim.data = dcopy;
  dim.type = GO_FLOAT64;
  dim.increments[0] = 1;
  dim.increments[1] = dims[0];
  dim.increments[2] = (ptrdiff_t)dims[0] * dims[1];
  mim = dim;
  mim.data = mask;
  mim.type = GO_UINT8;

  /* 1. AVX2 form vs scalar form, whole call */
  go_ao_set_simd(1);
  ok = go_ao_subvoxel_samples(&im, 0, &im, (flags & 2) ? &mim : NULL, NULL, spacing, n, seed,
         g1, w1, v1) == GO_OK;
  go_ao_set_simd(0);
  ok = ok &&
    go_ao_subvoxel_samples(&im, 0, &im, (flags & 2) ? &mim : NULL, NULL, spacing, n, seed, g2,
      w2, v2) == GO_OK;
  go_ao_set_simd(1);
  if (!ok)
    fail("status", 0, 0, 0);
  if (memcmp(g1, g2, 3 * n * sizeof(float)) != 0)
    fail("simd != scalar", 0, 0, 0);

  /* 2. a range reproduces the whole call */
  if (go_ao_subvoxel_samples_range(&im, 0, &im, (flags & 2) ? &mim : NULL, NULL, spacing, n,
        seed, s0, s1, g3, w3, v3) != GO_OK)
    fail("range status", s0, 0, 0);
  if (s1 > s0 &&
    (memcmp(g3, g1 + s0, (s1 - s0) * sizeof(float)) != 0 ||
      memcmp(w3, w1 + s0, (s1 - s0) * sizeof(float)) != 0 ||
      memcmp(v3, v1 + s0, (s1 - s0) * sizeof(float)) != 0))
    fail("range != whole call", s0, (double)s1, 0);

  /* 3. the generic double path (values: the double copy); not where sums
   * of squares near the top of the double range may overflow on one path
   * and not on the other */
  hbar = (spacing[0] + spacing[1] + spacing[2]) / 3.0;
  for (a = 0; a < 3; ++a)
    fmax = fmax > hbar / (2.0 * spacing[a]) ? fmax : hbar / (2.0 * spacing[a]);
  if (vmax * fmax > 1e150)
    goto done;
  if (go_ao_subvoxel_samples(&im, 0, &dim, (flags & 2) ? &mim : NULL, NULL, spacing, n, seed,
        g2, w2, v2) != GO_OK)
    fail("generic status", 0, 0, 0);
  for (s = 0; s < n; ++s)
  {
    /* float arithmetic for 8/16-bit voxels (~40 roundings of |v| <= vmax),
     * and for every type p +- s placed to float precision (~6e-8 voxel,
     * times a voxel difference up to 2 vmax) */
    const double tol = 4e-5 * vmax * fmax + 1e-30;
    const int f1 = isfinite(g1[s]), f2 = isfinite(g2[s]);
    if (f2 && !f1)
      fail("typed not finite where generic is", s, g1[s], g2[s]);
    if (!f2 && f1 && g2[s] == g2[s])
      fail("typed finite where generic overflows", s, g1[s], g2[s]);
    if (f1 && f2)
    {
      /* both float32-rounded: allow their rounding too */
      if (fabs((double)g1[s] - (double)g2[s]) > tol + 1e-6 * fabs((double)g2[s]))
        fail("typed vs generic", s, g1[s], g2[s]);
      if (w1[s] != w2[s])
        fail("weight", s, w1[s], w2[s]);
    }
    if (!f1 && w1[s] != 0.0f)
      fail("non-finite g with a weight", s, g1[s], w1[s]);
  }
done:
  free(raw);
  free(dcopy);
  free(mask);
  free(g1);
  return 0;
}
