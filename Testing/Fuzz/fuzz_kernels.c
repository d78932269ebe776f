/*
 * fuzz_kernels.c - libFuzzer target over the C gradient kernels.
 *
 * One input = one call of go_gradient_compute (sometimes two, for the
 * GO_ADD_SQUARED accumulation, and go_sqrt_inplace). The bytes choose:
 * input type, extent (offsets up to INT_MIN / INT_MAX), interleaved
 * components and padded/negative y,z strides, output sub-extent and a larger
 * output buffer, operator, edge mode, units, Sobel scale, dimensionality,
 * spacing (including 0, negative, NaN, Inf, 1e-300, 1e300), sigma, truncate,
 * an optional matrix, and the voxel values (with NaN/Inf/huge injections).
 *
 * Checks (abort on failure, so libFuzzer keeps the input):
 *  - the status is the documented one for invalid arguments;
 *  - no byte outside out_extent in the output buffers changes;
 *  - every output voxel whose stencil holds only finite input, and whose
 *    magnitude cannot overflow in a reasonable evaluation, is finite and
 *    agrees with a slow long-double reference (below) within an error bound
 *    derived from the sum of absolute terms;
 *  - ASan/UBSan (built with -fsanitize=fuzzer,address,undefined) find no
 *    memory error or undefined behaviour.
 *
 * The reference evaluates each output voxel independently: for each axis the
 * full 3D stencil (derivative weights along the axis times smoothing weights
 * along the others), with nearest-voxel clamping, the one-sided factor 2 at
 * the edges, the scales, the matrix and the norm. Terms with a zero weight
 * are skipped (as the kernels may skip them) only for NaN locality, which is
 * not compared.
 */
#include "go_gradient.h"

#include "fuzz_reader.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FZ_MAX_N 8     /* voxels per axis */
#define FZ_MAX_R 8     /* largest Gaussian radius run (the reference is O(r^3) per voxel) */

static double rd_double_special(reader* r)
{
  static const double special[] = { 0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 1e-300, 1e300, -1e-300,
    1e-8, 1e8, 3.0, 0.7, 1.3, 0.001, 1000.0 };
  const unsigned k = rd_u8(r);
  if (k < 16)
    return special[k];
  if (k == 16)
    return NAN;
  if (k == 17)
    return INFINITY;
  if (k == 18)
    return -INFINITY;
  if (k == 19)
  {
    double d;
    uint64_t bits = rd_u64(r);
    memcpy(&d, &bits, sizeof d);
    return d;
  }
  /* "reasonable" spacings 0.05 .. 5 */
  return 0.05 + (double)(k - 20) * (4.95 / 235.0);
}

static int rd_offset(reader* r)
{
  static const int offs[] = { 0, 0, 0, 0, -3, 5, -100, 1000, INT_MIN, INT_MIN + 1, INT_MIN + 7,
    INT_MAX - 12, INT_MAX - 8, INT_MAX - 3, INT_MAX, -1 };
  return offs[rd_u8(r) & 15];
}

/* ---- typed access ---- */

static long double get_value(const void* base, go_scalar_type t, ptrdiff_t i)
{
  switch (t)
  {
    case GO_INT8: return ((const int8_t*)base)[i];
    case GO_UINT8: return ((const uint8_t*)base)[i];
    case GO_INT16: return ((const int16_t*)base)[i];
    case GO_UINT16: return ((const uint16_t*)base)[i];
    case GO_INT32: return ((const int32_t*)base)[i];
    case GO_UINT32: return ((const uint32_t*)base)[i];
    case GO_INT64: return (long double)((const int64_t*)base)[i];
    case GO_UINT64: return (long double)((const uint64_t*)base)[i];
    case GO_FLOAT32: return ((const float*)base)[i];
    case GO_FLOAT64: return ((const double*)base)[i];
    default: abort();
  }
}

static void set_value(void* base, go_scalar_type t, ptrdiff_t i, reader* r)
{
  const unsigned mode = rd_u8(r);
  const uint64_t bits = rd_u64(r);
  switch (t)
  {
    case GO_INT8: ((int8_t*)base)[i] = (int8_t)bits; return;
    case GO_UINT8: ((uint8_t*)base)[i] = (uint8_t)bits; return;
    case GO_INT16: ((int16_t*)base)[i] = (int16_t)bits; return;
    case GO_UINT16: ((uint16_t*)base)[i] = (uint16_t)bits; return;
    case GO_INT32: ((int32_t*)base)[i] = (int32_t)(uint32_t)bits; return;
    case GO_UINT32: ((uint32_t*)base)[i] = (uint32_t)bits; return;
    case GO_INT64: ((int64_t*)base)[i] = (int64_t)bits; return;
    case GO_UINT64: ((uint64_t*)base)[i] = bits; return;
    case GO_FLOAT32:
    case GO_FLOAT64:
    {
      double d;
      if (mode < 200)
        d = (double)(int16_t)bits / 64.0; /* ordinary values */
      else if (mode < 210)
        d = NAN;
      else if (mode < 220)
        d = (mode & 1) ? INFINITY : -INFINITY;
      else if (mode < 240)
      {
        memcpy(&d, &bits, sizeof d); /* any bit pattern */
      }
      else
        d = ((mode & 1) ? -1.0 : 1.0) * ldexp(1.0, (int)(bits % 2000) - 1000);
      if (t == GO_FLOAT32)
        ((float*)base)[i] = (float)d; /* out of range -> inf, fine */
      else
        ((double*)base)[i] = d;
      return;
    }
    default: abort();
  }
}

/* ---- reference ---- */

typedef struct ref_ctx
{
  const go_image* in;
  const go_options* o;
  int radius[3];
  long double smooth[3][2 * FZ_MAX_R + 1];
  long double deriv[3][2 * FZ_MAX_R + 1];
  long double scale[3];
  long double cond[3][2 * FZ_MAX_R + 1]; /* relative error of a kernel weight / DBL_EPSILON */
} ref_ctx;

static long double in_value(const go_image* in, int x, int y, int z)
{
  const ptrdiff_t off = (ptrdiff_t)((long long)x - in->extent[0]) * in->increments[0] +
    (ptrdiff_t)((long long)y - in->extent[2]) * in->increments[1] +
    (ptrdiff_t)((long long)z - in->extent[4]) * in->increments[2];
  return get_value(in->data, in->type, off);
}

static long long clampll(long long v, long long lo, long long hi)
{
  return v < lo ? lo : (v > hi ? hi : v);
}

/* Weights exactly as documented in go_gradient.h. */
static void ref_weights(ref_ctx* c)
{
  const go_options* o = c->o;
  int a, k;
  for (a = 0; a < 3; ++a)
  {
    const int r = c->radius[a];
    for (k = 0; k < 2 * FZ_MAX_R + 1; ++k)
      c->cond[a][k] = 4;
    if (o->op == GO_OP_GAUSSIAN && r > 0)
    {
      /* exp(-x) carries the rounding of x = k^2 / (2 s^2) times x */
      const long double s = (long double)o->sigma / (long double)o->spacing[a];
      for (k = -r; k <= r; ++k)
        c->cond[a][k + r] = 8 + 4 * ((long double)k * k + 1) / (2 * s * s);
    }
    if (r == 0)
    {
      c->smooth[a][0] = 1;
      c->deriv[a][0] = 0;
    }
    else if (o->op == GO_OP_CENTRAL)
    {
      /* only the derivative along the axis; no smoothing */
      c->smooth[a][0] = 0; c->smooth[a][1] = 1; c->smooth[a][2] = 0;
      c->deriv[a][0] = -1; c->deriv[a][1] = 0; c->deriv[a][2] = 1;
    }
    else if (o->op == GO_OP_SOBEL)
    {
      const int scipy = o->sobel_scale == GO_SOBEL_SCIPY;
      c->smooth[a][0] = c->smooth[a][2] = scipy ? 1.0L : 0.25L;
      c->smooth[a][1] = scipy ? 2.0L : 0.5L;
      c->deriv[a][0] = scipy ? -1.0L : -0.5L;
      c->deriv[a][1] = 0;
      c->deriv[a][2] = scipy ? 1.0L : 0.5L;
    }
    else
    {
      const long double s = (long double)o->sigma / (long double)o->spacing[a];
      long double sum = 0, moment = 0;
      for (k = -r; k <= r; ++k)
      {
        const long double g = expl(-0.5L * k * k / (s * s));
        c->smooth[a][k + r] = g;
        sum += g;
        moment += (long double)k * k * g;
      }
      for (k = -r; k <= r; ++k)
      {
        const long double g = c->smooth[a][k + r];
        c->deriv[a][k + r] = k * g / moment;
        c->smooth[a][k + r] = g / sum;
      }
    }
  }
}

/* Derivative along axis a at (x,y,z): value, sum of |terms| (error scale),
 * and whether every input it touches is finite. */
static long double ref_axis(const ref_ctx* c, int a, int x, int y, int z, long double* absum,
  long double* absum_unscaled, long double* werr, long double* maxabs, int* finite)
{
  const go_image* in = c->in;
  const go_options* o = c->o;
  const int p[3] = { x, y, z };
  int rr[3];
  int i, j, k, b;
  long double sum = 0, abs_sum = 0, weight_err = 0;
  if (c->radius[a] == 0)
  {
    *absum = 0;
    *absum_unscaled = 0;
    *werr = 0;
    return 0;
  }
  for (b = 0; b < 3; ++b)
  {
    rr[b] = c->radius[b];
  }
  for (k = -rr[2]; k <= rr[2]; ++k)
    for (j = -rr[1]; j <= rr[1]; ++j)
      for (i = -rr[0]; i <= rr[0]; ++i)
      {
        const int d[3] = { i, j, k };
        long double w = 1, cond = 0;
        long long q[3];
        long double f;
        for (b = 0; b < 3; ++b)
        {
          if (c->radius[b] == 0)
            continue; /* axis not used (z in 2D) */
          w *= b == a ? c->deriv[b][d[b] + rr[b]] : c->smooth[b][d[b] + rr[b]];
          cond += c->cond[b][d[b] + rr[b]];
        }
        for (b = 0; b < 3; ++b)
          q[b] = clampll((long long)p[b] + d[b], in->extent[2 * b], in->extent[2 * b + 1]);
        f = in_value(in, (int)q[0], (int)q[1], (int)q[2]);
        if (!isfinite(f))
          *finite = 0; /* anywhere in the stencil box, zero weight or not */
        else if (fabsl(f) > *maxabs)
          *maxabs = fabsl(f); /* intermediate smoothed rows are as large as |f| */
        if (w == 0)
          continue;
        sum += w * f;
        abs_sum += fabsl(w * f);
        weight_err += fabsl(w * f) * cond * DBL_EPSILON; /* weights are computed in double */
      }
  {
    long double s = c->scale[a];
    const int lo = in->extent[2 * a], hi = in->extent[2 * a + 1];
    if (o->edge == GO_EDGE_ONESIDED && o->op != GO_OP_GAUSSIAN && lo < hi &&
      (p[a] == lo || p[a] == hi))
      s *= 2;
    *absum = abs_sum * fabsl(s);
    *absum_unscaled = abs_sum;
    *werr = weight_err * fabsl(s);
    return sum * s;
  }
}

/* The kernels work in float only when every derivative factor is a normal
 * float far from overflow (go_use_float). */
static int scales_fit_float(const go_options* o)
{
  int a;
  double mean = 1;
  if (o->units == GO_UNITS_MAPPER)
    mean = (o->spacing[0] + o->spacing[1] + o->spacing[2]) / 3.0;
  for (a = 0; a < 3; ++a)
  {
    double sc;
    if (o->op == GO_OP_SOBEL && o->sobel_scale == GO_SOBEL_SCIPY)
      sc = 1.0;
    else if (o->op == GO_OP_CENTRAL)
      sc = mean * (0.5 / o->spacing[a]);
    else
      sc = mean / o->spacing[a];
    if (!(sc <= 1e30 && sc >= 1e-30))
      return 0;
  }
  return 1;
}

static void fail(const char* what, long long x, long long y, long long z, double got, double want,
  double tol)
{
  fprintf(stderr, "FUZZ CHECK FAILED: %s at (%lld,%lld,%lld): got %.17g want %.17g tol %.3g\n",
    what, x, y, z, got, want, tol);
  abort();
}

static size_t fz_size(go_scalar_type t)
{
  return go_scalar_size(t);
}

int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size)
{
  reader r = { bytes, size };
  go_image in;
  go_options o;
  go_output out;
  int n[3], out_ext[6], buf_ext[6], a;
  ptrdiff_t ncomp, comp, pad[3];
  ptrdiff_t in_count;
  void* in_buf = NULL;
  unsigned char *mag_buf = NULL, *vec_buf = NULL, *mag_copy = NULL, *vec_copy = NULL;
  size_t mag_bytes = 0, vec_bytes = 0;
  double matrix[9];
  int use_matrix, want_vector, two_pass, do_sqrt, expect_ok;
  go_status st;
  unsigned flags;
  int skip_call = 0;

  if (size < 8)
    return 0;

  /* ---- shape ---- */
  in.type = (go_scalar_type)(rd_u8(&r) % (GO_NUMBER_OF_TYPES + 1)); /* incl. one invalid */
  for (a = 0; a < 3; ++a)
  {
    const int off = rd_offset(&r);
    n[a] = 1 + (int)(rd_u8(&r) % FZ_MAX_N);
    /* keep the extent representable in int */
    if (off > INT_MAX - (n[a] - 1))
      in.extent[2 * a] = INT_MAX - (n[a] - 1);
    else
      in.extent[2 * a] = off;
    in.extent[2 * a + 1] = in.extent[2 * a] + (n[a] - 1);
  }
  flags = rd_u8(&r);
  if ((flags & 7) == 7)
  {
    /* an empty extent on some axis */
    a = rd_u8(&r) % 3;
    in.extent[2 * a + 1] = in.extent[2 * a] == INT_MIN ? INT_MIN : in.extent[2 * a] - 1;
  }
  ncomp = 1 + rd_u8(&r) % 3;
  comp = rd_u8(&r) % ncomp;
  pad[0] = 0;
  pad[1] = rd_u8(&r) % 3;
  pad[2] = rd_u8(&r) % 3;
  in.increments[0] = ncomp;
  in.increments[1] = ncomp * n[0] + pad[1];
  in.increments[2] = in.increments[1] * n[1] + pad[2];
  in_count = in.increments[2] * n[2];
  if (in.type < GO_NUMBER_OF_TYPES)
  {
    ptrdiff_t i;
    const int flip_y = (flags & 8) != 0, flip_z = (flags & 16) != 0;
    in_buf = calloc((size_t)in_count, fz_size(in.type));
    /* values, voxel by voxel (components other than comp too) */
    for (i = 0; i < in_count; ++i)
      set_value(in_buf, in.type, i, &r);
    in.data = (const char*)in_buf + comp * (ptrdiff_t)fz_size(in.type);
    /* negative strides: start at the last row/slice of the buffer */
    if (flip_y)
    {
      in.data = (const char*)in.data +
        (n[1] - 1) * in.increments[1] * (ptrdiff_t)fz_size(in.type);
      in.increments[1] = -in.increments[1];
    }
    if (flip_z)
    {
      in.data = (const char*)in.data +
        (n[2] - 1) * in.increments[2] * (ptrdiff_t)fz_size(in.type);
      in.increments[2] = -in.increments[2];
    }
  }
  else
  {
    in_buf = calloc(1, 16);
    in.data = in_buf;
  }
  if (rd_u8(&r) == 255)
    in.data = NULL;

  /* ---- options ---- */
  go_options_init(&o);
  o.op = (go_operator)(rd_u8(&r) % 4);           /* 3 invalid */
  o.edge = (go_edge_mode)(rd_u8(&r) % 2);
  o.units = (go_units)(rd_u8(&r) % 2);
  o.sobel_scale = (go_sobel_scale)(rd_u8(&r) % 2);
  o.accumulate = (go_accumulate)(rd_u8(&r) % 3);
  o.dimensionality = 2 + rd_u8(&r) % 2;
  if (rd_u8(&r) == 0)
    o.dimensionality = 1; /* invalid */
  for (a = 0; a < 3; ++a)
    o.spacing[a] = rd_u8(&r) < 200 ? 0.05 + (rd_u8(&r) % 100) * 0.05 : rd_double_special(&r);
  o.sigma = rd_u8(&r) < 200 ? 0.2 + (rd_u8(&r) % 40) * 0.1 : rd_double_special(&r);
  o.truncate = rd_u8(&r) < 200 ? 4.0 : rd_double_special(&r) * 2;
  use_matrix = rd_u8(&r) & 1;
  for (a = 0; a < 9; ++a)
    matrix[a] = (double)(int8_t)rd_u8(&r) / 32.0;
  o.matrix = use_matrix ? matrix : NULL;

  /* ---- output ---- */
  out.type = (flags & 32) ? GO_FLOAT64 : GO_FLOAT32;
  if (rd_u8(&r) == 0)
    out.type = GO_INT16; /* invalid output type */
  want_vector = (flags & 64) != 0;
  two_pass = (flags & 128) != 0 && o.accumulate == GO_ADD_SQUARED;
  do_sqrt = o.accumulate != GO_WRITE_MAGNITUDE && (rd_u8(&r) & 1);
  for (a = 0; a < 3; ++a)
  {
    /* out_extent inside the input extent (usually) */
    const long long lo = in.extent[2 * a], hi = in.extent[2 * a + 1];
    const long long len = hi - lo + 1;
    long long s = lo, e = hi;
    if (len > 0)
    {
      s = lo + rd_u8(&r) % len;
      e = s + rd_u8(&r) % (hi - s + 1);
    }
    if (rd_u8(&r) == 0 && e < INT_MAX)
      ++e; /* one past the input: must be rejected */
    out_ext[2 * a] = (int)s;
    out_ext[2 * a + 1] = (int)e;
    /* output buffer: out_ext grown by up to 2 on each side, within int */
    {
      const long long gl = rd_u8(&r) % 3, gh = rd_u8(&r) % 3;
      buf_ext[2 * a] = (int)clampll(s - gl, INT_MIN, INT_MAX);
      buf_ext[2 * a + 1] = (int)clampll(e + gh, INT_MIN, INT_MAX);
    }
  }
  for (a = 0; a < 6; ++a)
    out.extent[a] = buf_ext[a];
  {
    const ptrdiff_t bx = (ptrdiff_t)((long long)buf_ext[1] - buf_ext[0] + 1);
    const ptrdiff_t by = (ptrdiff_t)((long long)buf_ext[3] - buf_ext[2] + 1);
    const ptrdiff_t bz = (ptrdiff_t)((long long)buf_ext[5] - buf_ext[4] + 1);
    const ptrdiff_t sx = 1 + (rd_u8(&r) % 4 == 0); /* strided magnitude sometimes */
    const size_t es = go_scalar_size(out.type) ? go_scalar_size(out.type) : 2;
    size_t count;
    if (bx <= 0 || by <= 0 || bz <= 0 || bx > 64 || by > 64 || bz > 64)
    {
      free(in_buf);
      return 0;
    }
    out.increments[0] = sx;
    out.increments[1] = sx * bx;
    out.increments[2] = sx * bx * by;
    count = (size_t)(sx * bx * by * bz);
    mag_bytes = count * es;
    vec_bytes = 3 * count * es;
    mag_buf = (unsigned char*)malloc(mag_bytes);
    mag_copy = (unsigned char*)malloc(mag_bytes);
    memset(mag_buf, 0x5a, mag_bytes);
    out.magnitude = mag_buf;
    if (want_vector)
    {
      vec_buf = (unsigned char*)malloc(vec_bytes);
      vec_copy = (unsigned char*)malloc(vec_bytes);
      memset(vec_buf, 0xa5, vec_bytes);
    }
    out.vector = vec_buf;
    if (rd_u8(&r) == 0)
      out.magnitude = NULL; /* allowed: vector only (or nothing) */
    if (o.accumulate == GO_ADD_SQUARED && out.magnitude)
    {
      /* a previous partial sum: small non-negative values */
      size_t i;
      if (out.type == GO_FLOAT32)
        for (i = 0; i < count; ++i)
          ((float*)mag_buf)[i] = (float)(i % 7) * 0.25f;
      else if (out.type == GO_FLOAT64)
        for (i = 0; i < count; ++i)
          ((double*)mag_buf)[i] = (double)(i % 7) * 0.25;
    }
    memcpy(mag_copy, mag_buf, mag_bytes);
    if (vec_buf)
      memcpy(vec_copy, vec_buf, vec_bytes);
  }

  /* ---- the expected status ---- */
  {
    int valid_opts = o.op <= GO_OP_GAUSSIAN && (o.dimensionality == 2 || o.dimensionality == 3);
    int empty = 0, inside = 1, spacing_ok = 1;
    for (a = 0; a < 3; ++a)
    {
      empty |= in.extent[2 * a] > in.extent[2 * a + 1] || out_ext[2 * a] > out_ext[2 * a + 1];
      inside &= out_ext[2 * a] >= in.extent[2 * a] && out_ext[2 * a + 1] <= in.extent[2 * a + 1];
      spacing_ok &= o.spacing[a] > 0 && isfinite(o.spacing[a]);
    }
    if (!in.data || !valid_opts)
      expect_ok = GO_ERROR_ARGUMENT;
    else if (in.type >= GO_NUMBER_OF_TYPES || (out.type != GO_FLOAT32 && out.type != GO_FLOAT64))
      expect_ok = GO_ERROR_TYPE;
    else if (empty || !inside)
      expect_ok = GO_ERROR_EXTENT;
    else if (!spacing_ok)
      expect_ok = GO_ERROR_SPACING;
    else
      expect_ok = GO_OK; /* or GO_ERROR_SIGMA, checked below */
  }

  /* Gaussian kernels bigger than FZ_MAX_R are only checked for status (the
   * kernels' padded slabs grow as (n + 2r)^2). */
  if (expect_ok == GO_OK && o.op == GO_OP_GAUSSIAN)
  {
    int big = 0;
    for (a = 0; a < 3; ++a)
    {
      const int rad = go_gradient_radius(&o, a);
      if (rad < 0)
        expect_ok = GO_ERROR_SIGMA;
      else if (rad > FZ_MAX_R)
        big = 1;
    }
    if (expect_ok == GO_OK && big)
    {
      skip_call = 1; /* skip the call: see README (memory grows with r^2) */
    }
  }

  if (getenv("FUZZ_VERBOSE"))
  {
    fprintf(stderr,
      "in type %d extent %d..%d %d..%d %d..%d inc %td %td %td | out type %d ext %d..%d %d..%d "
      "%d..%d buf inc %td | op %d edge %d units %d sobel %d acc %d dim %d sp %g %g %g sigma %g "
      "trunc %g matrix %d vector %d two_pass %d sqrt %d expect %d\n",
      in.type, in.extent[0], in.extent[1], in.extent[2], in.extent[3], in.extent[4], in.extent[5],
      in.increments[0], in.increments[1], in.increments[2], out.type, out_ext[0], out_ext[1],
      out_ext[2], out_ext[3], out_ext[4], out_ext[5], out.increments[0], o.op, o.edge, o.units,
      o.sobel_scale, o.accumulate, o.dimensionality, o.spacing[0], o.spacing[1], o.spacing[2],
      o.sigma, o.truncate, use_matrix, want_vector, two_pass, do_sqrt, expect_ok);
  }
  if (skip_call)
  {
    st = GO_OK;
  }
  else
  {
    st = go_gradient_compute(&in, &o, out_ext, &out);
    if (st == GO_OK && two_pass)
      st = go_gradient_compute(&in, &o, out_ext, &out);
    if (st == GO_OK && do_sqrt)
    {
      if (go_sqrt_inplace(&out, out_ext) != (out.magnitude ? GO_OK : GO_ERROR_ARGUMENT))
        fail("go_sqrt_inplace status", 0, 0, 0, 0, 0, 0);
    }
    if ((int)st != expect_ok)
    {
      fprintf(stderr, "status %d (%s), expected %d\n", (int)st, go_status_string(st), expect_ok);
      fail("status", 0, 0, 0, st, expect_ok, 0);
    }
  }

  /* ---- bytes outside out_extent unchanged (always, also on error) ---- */
  if (!skip_call)
  {
    const size_t es = go_scalar_size(out.type) ? go_scalar_size(out.type) : 2;
    const ptrdiff_t bx = (ptrdiff_t)((long long)buf_ext[1] - buf_ext[0] + 1);
    const ptrdiff_t by = (ptrdiff_t)((long long)buf_ext[3] - buf_ext[2] + 1);
    const ptrdiff_t bz = (ptrdiff_t)((long long)buf_ext[5] - buf_ext[4] + 1);
    ptrdiff_t i, j, k;
    for (k = 0; k < bz; ++k)
      for (j = 0; j < by; ++j)
        for (i = 0; i < bx * out.increments[0]; ++i)
        {
          const long long x = buf_ext[0] + i / out.increments[0];
          const long long y = buf_ext[2] + j, z = buf_ext[4] + k;
          const int on_grid = i % out.increments[0] == 0;
          const int inside = st == GO_OK && on_grid && x >= out_ext[0] && x <= out_ext[1] &&
            y >= out_ext[2] && y <= out_ext[3] && z >= out_ext[4] && z <= out_ext[5];
          const ptrdiff_t e = k * out.increments[2] + j * out.increments[1] + i;
          if (inside)
            continue;
          if (out.magnitude && memcmp(mag_buf + e * es, mag_copy + e * es, es) != 0)
            fail("magnitude written outside out_extent", x, y, z, 0, 0, 0);
          if (vec_buf && memcmp(vec_buf + 3 * e * es, vec_copy + 3 * e * es, 3 * es) != 0)
            fail("vector written outside out_extent", x, y, z, 0, 0, 0);
        }
  }

  /* ---- reference ---- */
  if (st == GO_OK && !skip_call && (out.magnitude || vec_buf))
  {
    ref_ctx c;
    long double mean = 1;
    const int single = out.type == GO_FLOAT32 &&
      (in.type <= GO_UINT16 || in.type == GO_FLOAT32) && scales_fit_float(&o);
    const long double eps = single ? FLT_EPSILON : DBL_EPSILON;
    const long double out_eps = out.type == GO_FLOAT32 ? FLT_EPSILON : DBL_EPSILON;
    const long double big = (single || out.type == GO_FLOAT32 ? FLT_MAX : DBL_MAX) / 64.0L;
    const long double w_true_min = single ? 1.401298464324817e-45L : 4.9406564584124654e-324L;
    const long double out_min = out.type == GO_FLOAT32 ? FLT_MIN : DBL_MIN;
    long long x, y, z; /* not int: the extent may end at INT_MAX */
    c.in = &in;
    c.o = &o;
    for (a = 0; a < 3; ++a)
    {
      c.radius[a] = go_gradient_radius(&o, a);
      if (c.radius[a] < 0 || c.radius[a] > FZ_MAX_R)
        fail("radius", a, c.radius[a], 0, 0, 0, 0);
    }
    ref_weights(&c);
    if (o.units == GO_UNITS_MAPPER)
      mean = ((long double)o.spacing[0] + o.spacing[1] + o.spacing[2]) / 3;
    for (a = 0; a < 3; ++a)
    {
      if (o.op == GO_OP_SOBEL && o.sobel_scale == GO_SOBEL_SCIPY)
        c.scale[a] = 1;
      else if (o.op == GO_OP_CENTRAL)
        c.scale[a] = mean * (0.5L / o.spacing[a]);
      else
        c.scale[a] = mean / o.spacing[a];
    }
    for (z = out_ext[4]; z <= out_ext[5]; ++z)
      for (y = out_ext[2]; y <= out_ext[3]; ++y)
        for (x = out_ext[0]; x <= out_ext[1]; ++x)
        {
          long double g[3], ab[3], abu[3], we[3], gw[3], err[3], mag2 = 0, err_mag2 = 0, bound = 0;
          long double maxf = 0;
          int finite = 1, terms, vec_fits = 1;
          const ptrdiff_t e = ((ptrdiff_t)((long long)x - buf_ext[0])) * out.increments[0] +
            (ptrdiff_t)((long long)y - buf_ext[2]) * out.increments[1] +
            (ptrdiff_t)((long long)z - buf_ext[4]) * out.increments[2];
          for (a = 0; a < 3; ++a)
            g[a] = ref_axis(&c, a, (int)x, (int)y, (int)z, &ab[a], &abu[a], &we[a], &maxf,
              &finite);
          if (!finite)
            continue; /* NaN/Inf in the stencil: documented as non-local result */
          terms = (2 * c.radius[0] + 1) + (2 * c.radius[1] + 1) + (2 * c.radius[2] + 1) + 8;
          /* relative rounding, plus the absolute error of a scale or result
           * below the normal range of the working/output type (subnormal) */
          for (a = 0; a < 3; ++a)
            err[a] = 4 * terms * eps * ab[a] + we[a] + 4 * terms * abu[a] * w_true_min + 4 * out_min;
          for (a = 0; a < 3; ++a)
            bound += ab[a];
          if (use_matrix)
          {
            int i2;
            long double mb = 0, ew_all[3];
            for (i2 = 0; i2 < 3; ++i2)
            {
              gw[i2] = 0;
              long double ew = 0;
              for (a = 0; a < 3; ++a)
              {
                gw[i2] += (long double)matrix[3 * i2 + a] * g[a];
                ew += fabsl((long double)matrix[3 * i2 + a]) * (err[a] + 4 * eps * ab[a]);
                mb += fabsl((long double)matrix[3 * i2 + a]) * ab[a];
              }
              ew_all[i2] = ew;
            }
            for (i2 = 0; i2 < 3; ++i2)
              err[i2] = ew_all[i2];
            bound = mb > bound ? mb : bound;
          }
          else
          {
            for (a = 0; a < 3; ++a)
              gw[a] = g[a];
          }
          if (!(bound < big) || !(maxf < big))
            continue; /* intermediate sums near overflow (go_gradient.h "Range"): no-crash only */
          for (a = 0; a < 3; ++a)
          {
            mag2 += gw[a] * gw[a];
            err_mag2 += err[a] * err[a];
          }
          /* vector: a component whose value within its error bound does not
           * fit the output type may legitimately round to +-Inf */
          for (a = 0; a < 3; ++a)
            vec_fits &= fabsl(gw[a]) + err[a] + 2 * out_eps * fabsl(gw[a]) <
              (out.type == GO_FLOAT32 ? FLT_MAX : DBL_MAX) / 4;
          if (vec_buf && vec_fits)
          {
            for (a = 0; a < 3; ++a)
            {
              const long double got = out.type == GO_FLOAT32
                ? (long double)((float*)vec_buf)[3 * e + a]
                : (long double)((double*)vec_buf)[3 * e + a];
              const long double tol = err[a] + 2 * out_eps * fabsl(gw[a]) + 1e-300L;
              if (getenv("FUZZ_VERBOSE") && (!isfinite(got) || fabsl(got - gw[a]) > tol))
                fprintf(stderr, "axis %d g %Lg %Lg %Lg ab %Lg %Lg %Lg err %Lg\n", a, g[0], g[1], g[2], ab[0], ab[1], ab[2], err[a]);
              if (!isfinite(got) || fabsl(got - gw[a]) > tol)
                fail("gradient vector", x, y, z, (double)got, (double)gw[a], (double)tol);
            }
          }
          if (out.magnitude)
          {
            const long double got = out.type == GO_FLOAT32
              ? (long double)((float*)mag_buf)[e]
              : (long double)((double*)mag_buf)[e];
            const long double mag = sqrtl(mag2), emag = sqrtl(err_mag2);
            /* what the output holds: |g|, or prefill + passes |g|^2, maybe square-rooted */
            const long double passes = two_pass ? 2 : 1;
            const long double prefill =
              o.accumulate == GO_ADD_SQUARED ? (long double)((size_t)e % 7) * 0.25L : 0;
            const long double out_max = out.type == GO_FLOAT32 ? FLT_MAX : DBL_MAX;
            /* squares of tiny components underflow in the working and output
             * types: an absolute error of a few smallest normals */
            const long double sq_floor =
              16 * ((single || out.type == GO_FLOAT32) ? (long double)FLT_MIN : DBL_MIN);
            long double want, tol;
            if (o.accumulate != GO_WRITE_MAGNITUDE && !(prefill + passes * mag2 < out_max / 4))
              continue; /* |g|^2 itself does not fit the output type (documented) */
            if (o.accumulate == GO_WRITE_MAGNITUDE)
            {
              want = mag;
              tol = emag + 4 * eps * mag + 2 * out_eps * mag + 1e-300L;
            }
            else
            {
              const long double s2 = prefill + passes * mag2;
              const long double es2 = passes * (2 * mag * emag + emag * emag) +
                8 * (eps + out_eps) * s2 + 4 * sq_floor;
              if (do_sqrt)
              {
                want = sqrtl(s2);
                tol = (want > 0 ? es2 / want : sqrtl(es2)) + 4 * out_eps * want + 1e-300L;
              }
              else
              {
                want = s2;
                tol = es2;
              }
            }
            if (!(want + tol < (out.type == GO_FLOAT32 ? FLT_MAX : DBL_MAX) / 4))
              continue; /* the value, within its error bound, may not fit the output type */
            if (!isfinite(got))
              fail("non-finite magnitude for finite input", x, y, z, (double)got, (double)want,
                (double)tol);
            if (fabsl(got - want) > tol)
              fail("magnitude", x, y, z, (double)got, (double)want, (double)tol);
          }
        }
  }

  free(in_buf);
  free(mag_buf);
  free(mag_copy);
  free(vec_buf);
  free(vec_copy);
  return 0;
}
