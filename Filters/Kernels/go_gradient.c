/*
 * go_gradient.c - gradient and gradient-magnitude kernels (see go_gradient.h).
 *
 * Working precision: float when the input has at most 16 bits or is float
 * and the output is float32 (every such value is exact in float); double
 * otherwise. The operator code exists once per precision
 * (go_gradient_impl.h included twice).
 */
#include "go_gradient.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define GO_MAX_RADIUS 4096

/* go_gradient_set_simd: the widest hand-vectorised forms allowed (tests
 * compare them) */
static int go_simd_enabled = 2;

int go_gradient_set_simd(int enable)
{
  const int previous = go_simd_enabled;
  go_simd_enabled = enable < 0 ? 0 : enable;
  return previous;
}

/* Everything one call needs, resolved from the arguments. */
typedef struct go_plan
{
  const go_image* in;
  go_output* out;
  go_options options;
  int extent[6];       /* output voxels to compute */
  int radius[3];       /* separable operators: kernel radius per axis */
  double* smooth[3];   /* separable weights, 2 * radius + 1 each */
  double* deriv[3];
  double scale[3];     /* derivative factor per axis (1/2h, units, ...) */
  int onesided[3];     /* double the difference at the edges of this axis */
} go_plan;

/* Clamp a coordinate computed in a wider type (extent +- radius may leave
 * the int range) back into [lo, hi]. */
static int go_clamp_wide(ptrdiff_t v, int lo, int hi)
{
  return v < lo ? lo : (v > hi ? hi : (int)v);
}

/* go_scalar_size, inlined where the row loops compute addresses */
static size_t go_size_of(go_scalar_type type)
{
  static const size_t sizes[GO_NUMBER_OF_TYPES] = { 1, 1, 2, 2, 4, 4, 8, 8, 4, 8 };
  if ((int)type < 0 || type >= GO_NUMBER_OF_TYPES)
    return 0;
  return sizes[type];
}

size_t go_scalar_size(go_scalar_type type)
{
  return go_size_of(type);
}

/* Row buffers of the fused paths start on 64-byte lines and have a stride
 * of whole lines, so that a vector load of a row straddles two lines only
 * where a tap shifts it. go_line_elems: n 4-byte elements rounded up to
 * whole lines; go_line_start: the first line boundary at or after p (the
 * buffer holds 15 elements more). */
static ptrdiff_t go_line_elems(ptrdiff_t n)
{
  return (n + 15) & ~(ptrdiff_t)15;
}

static void* go_line_start(void* p)
{
  return (void*)(((uintptr_t)p + 63) & ~(uintptr_t)63);
}

static const char* go_voxel_address(const go_image* in, int x, int y, int z)
{
  /* differences in ptrdiff_t: an extent may span more than INT_MAX */
  const ptrdiff_t offset = ((ptrdiff_t)x - in->extent[0]) * in->increments[0] +
    ((ptrdiff_t)y - in->extent[2]) * in->increments[1] +
    ((ptrdiff_t)z - in->extent[4]) * in->increments[2];
  return (const char*)in->data + offset * (ptrdiff_t)go_size_of(in->type);
}

static void* go_output_address(const go_output* out, void* base, int ncomp, int x, int y, int z)
{
  ptrdiff_t offset;
  if (!base)
    return NULL;
  offset = ((ptrdiff_t)x - out->extent[0]) * out->increments[0] +
    ((ptrdiff_t)y - out->extent[2]) * out->increments[1] +
    ((ptrdiff_t)z - out->extent[4]) * out->increments[2];
  return (char*)base + offset * ncomp * (ptrdiff_t)go_size_of(out->type);
}

/* 2 at the first and last voxel of an axis with a one-sided edge rule (the
 * clamped stencil gave a half difference there), else 1. */
static double go_edge_factor(const go_plan* plan, int axis, int coord)
{
  const int lo = plan->in->extent[2 * axis], hi = plan->in->extent[2 * axis + 1];
  if (plan->onesided[axis] && lo < hi && (coord == lo || coord == hi))
    return 2.0;
  return 1.0;
}

/* |(a, b, c)| without intermediate overflow or underflow (the slow path of
 * the magnitude, for voxels outside [GO_MAG_LO, GO_MAG_HI]). Zero, Inf and
 * NaN come out as from the plain formula. */
static float go_norm3__f(float a, float b, float c)
{
  /* every float square fits a double */
  return (float)sqrt((double)a * a + (double)b * b + (double)c * c);
}

static double go_norm3__d(double a, double b, double c)
{
  double m = fabs(a);
  if (fabs(b) > m)
    m = fabs(b);
  if (fabs(c) > m)
    m = fabs(c);
  if (!(m > 0.0) || !isfinite(m) || isnan(a) || isnan(b) || isnan(c))
    return sqrt(a * a + b * b + c * c);
  a /= m;
  b /= m;
  c /= m;
  return m * sqrt(a * a + b * b + c * c);
}

/* Row loops that gain from AVX2 are compiled for it as well and chosen at run
 * time (GCC on x86-64: target_clones, ifunc-resolved). AVX2 does not imply
 * FMA (and the kernels are built with -ffp-contract=off), so every clone
 * rounds exactly like the default one. An AVX-512F clone would keep 256-bit
 * vectors (GCC's generic tuning), so the central and Sobel integer rows
 * have sixteen-lane intrinsics forms (go_rows_wide), and the Gaussian's
 * hand-written row loops AVX-512F forms of their own (go_sep_simd.h). */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__ELF__) && \
  !defined(__AVX2__) && !defined(GO_NO_DISPATCH) && !defined(__SANITIZE_ADDRESS__)
#define GO_DISPATCH __attribute__((target_clones("avx2", "default")))
#else
#define GO_DISPATCH
#endif

#define GO_W float
#define GO_S _f
#define GO_MAG_LO 1e-15f /* > sqrt(FLT_MIN / FLT_EPSILON) */
#define GO_MAG_HI 1e19f  /* < sqrt(FLT_MAX) */
#define GO_W_TYPE GO_FLOAT32
#define GO_SQRT sqrtf
#include "go_gradient_impl.h"
#undef GO_W
#undef GO_S
#undef GO_W_TYPE
#undef GO_SQRT
#undef GO_MAG_LO
#undef GO_MAG_HI

#define GO_W double
#define GO_S _d
#define GO_MAG_LO 1e-145 /* > sqrt(DBL_MIN / DBL_EPSILON) */
#define GO_MAG_HI 1e150  /* < sqrt(DBL_MAX) */
#define GO_W_TYPE GO_FLOAT64
#define GO_SQRT sqrt
#include "go_gradient_impl.h"
#undef GO_W
#undef GO_S
#undef GO_W_TYPE
#undef GO_SQRT
#undef GO_MAG_LO
#undef GO_MAG_HI

void go_options_init(go_options* options)
{
  if (!options)
    return;
  memset(options, 0, sizeof(*options));
  options->op = GO_OP_CENTRAL;
  options->edge = GO_EDGE_COPY;
  options->units = GO_UNITS_PHYSICAL;
  options->sobel_scale = GO_SOBEL_UNIT;
  options->accumulate = GO_WRITE_MAGNITUDE;
  options->dimensionality = 3;
  options->spacing[0] = options->spacing[1] = options->spacing[2] = 1.0;
  options->sigma = 1.0;
  options->truncate = 4.0;
  options->matrix = NULL;
}

static int go_spacing_valid(const double spacing[3])
{
  int a;
  for (a = 0; a < 3; ++a)
  {
    if (!(spacing[a] > 0.0) || !isfinite(spacing[a]))
      return 0;
  }
  return 1;
}

static int go_options_valid(const go_options* o)
{
  return o && (o->op == GO_OP_CENTRAL || o->op == GO_OP_SOBEL || o->op == GO_OP_GAUSSIAN) &&
    (o->edge == GO_EDGE_COPY || o->edge == GO_EDGE_ONESIDED) &&
    (o->units == GO_UNITS_PHYSICAL || o->units == GO_UNITS_MAPPER ||
      o->units == GO_UNITS_INDEX) &&
    (o->sobel_scale == GO_SOBEL_UNIT || o->sobel_scale == GO_SOBEL_SCIPY) &&
    (o->accumulate == GO_WRITE_MAGNITUDE || o->accumulate == GO_WRITE_SQUARED ||
      o->accumulate == GO_ADD_SQUARED) &&
    (o->dimensionality == 2 || o->dimensionality == 3);
}

static double go_truncate(const go_options* o)
{
  return o->truncate > 0.0 && isfinite(o->truncate) ? o->truncate : 4.0;
}

/* Gaussian radius along an axis: scipy's int(truncate * sigma_voxels + 0.5),
 * at least 1 so that a derivative exists; -1 when sigma is unusable. */
static int go_gaussian_radius(const go_options* o, int axis)
{
  double r;
  if (!(o->sigma > 0.0) || !isfinite(o->sigma))
    return -1;
  r = go_truncate(o) * o->sigma / o->spacing[axis] + 0.5;
  if (!(r < (double)GO_MAX_RADIUS))
    return -1;
  return r < 1.0 ? 1 : (int)r;
}

int go_gradient_radius(const go_options* options, int axis)
{
  if (!go_options_valid(options) || axis < 0 || axis > 2 || !go_spacing_valid(options->spacing))
    return -1;
  if (axis == 2 && options->dimensionality == 2)
    return 0;
  if (options->op == GO_OP_GAUSSIAN)
    return go_gaussian_radius(options, axis);
  return 1;
}

/* Weights of the separable operators, in voxel units (the spacing goes into
 * plan->scale). */
static go_status go_plan_weights(go_plan* plan)
{
  const go_options* o = &plan->options;
  int a, k;
  for (a = 0; a < 3; ++a)
  {
    const int r = go_gradient_radius(o, a);
    double* w;
    if (r < 0)
      return GO_ERROR_SIGMA;
    plan->radius[a] = r;
    w = (double*)malloc(sizeof(double) * (size_t)(2 * (2 * r + 1)));
    if (!w)
      return GO_ERROR_MEMORY;
    plan->smooth[a] = w;
    plan->deriv[a] = w + 2 * r + 1;
    if (r == 0)
    {
      plan->smooth[a][0] = 1.0;
      plan->deriv[a][0] = 0.0;
    }
    else if (o->op == GO_OP_SOBEL)
    {
      const int scipy = o->sobel_scale == GO_SOBEL_SCIPY;
      plan->smooth[a][0] = plan->smooth[a][2] = scipy ? 1.0 : 0.25;
      plan->smooth[a][1] = scipy ? 2.0 : 0.5;
      plan->deriv[a][0] = scipy ? -1.0 : -0.5;
      plan->deriv[a][1] = 0.0;
      plan->deriv[a][2] = scipy ? 1.0 : 0.5;
    }
    else
    {
      const double s = o->sigma / o->spacing[a];
      double sum = 0.0, moment = 0.0;
      /* The derivative weights are scaled by exp(1 / (2 s^2)) (it cancels
       * in the normalisation) so that the k = +-1 terms are exactly +-1:
       * for s below ~0.03 voxel exp(-1 / (2 s^2)) underflows to 0, and
       * k g / moment would be 0/0. The limit is the central difference. */
      for (k = -r; k <= r; ++k)
      {
        const double g = exp(-0.5 * (double)k * (double)k / (s * s));
        const double gd =
          k == 0 ? 0.0 : exp(-0.5 * ((double)k * (double)k - 1.0) / (s * s));
        plan->smooth[a][k + r] = g;
        plan->deriv[a][k + r] = (double)k * gd;
        sum += g;
        moment += (double)k * (double)k * gd;
      }
      for (k = -r; k <= r; ++k)
      {
        plan->deriv[a][k + r] /= moment;
        plan->smooth[a][k + r] /= sum;
      }
    }
  }
  return GO_OK;
}

static int go_extent_empty(const int e[6])
{
  return e[0] > e[1] || e[2] > e[3] || e[4] > e[5];
}

static int go_extent_inside(const int inner[6], const int outer[6])
{
  int a;
  for (a = 0; a < 3; ++a)
  {
    if (inner[2 * a] < outer[2 * a] || inner[2 * a + 1] > outer[2 * a + 1])
      return 0;
  }
  return 1;
}

static go_status go_plan_init(go_plan* plan, const go_image* in, const go_options* options,
  const int out_extent[6], go_output* out)
{
  double mean = 1.0;
  int a;
  memset(plan, 0, sizeof(*plan));
  if (!in || !in->data || !options || !out_extent || !out || !go_options_valid(options))
    return GO_ERROR_ARGUMENT;
  if (go_scalar_size(in->type) == 0 || (out->type != GO_FLOAT32 && out->type != GO_FLOAT64))
    return GO_ERROR_TYPE;
  if (go_extent_empty(in->extent) || go_extent_empty(out_extent) ||
    !go_extent_inside(out_extent, in->extent) || !go_extent_inside(out_extent, out->extent))
    return GO_ERROR_EXTENT;
  if (!go_spacing_valid(options->spacing))
    return GO_ERROR_SPACING;
  plan->in = in;
  plan->out = out;
  plan->options = *options;
  memcpy(plan->extent, out_extent, sizeof(plan->extent));
  if (options->units == GO_UNITS_MAPPER)
    mean = (options->spacing[0] + options->spacing[1] + options->spacing[2]) / 3.0;
  for (a = 0; a < 3; ++a)
  {
    const double h = options->spacing[a];
    /* INDEX: the per-world derivative times this axis's own spacing. */
    const double unit = options->units == GO_UNITS_INDEX ? h : mean;
    if (options->op == GO_OP_SOBEL && options->sobel_scale == GO_SOBEL_SCIPY)
      plan->scale[a] = 1.0; /* raw stencil sums, per voxel */
    else if (options->op == GO_OP_CENTRAL)
      plan->scale[a] = unit * (0.5 / h);
    else
      plan->scale[a] = unit / h;
    plan->onesided[a] = options->edge == GO_EDGE_ONESIDED && options->op != GO_OP_GAUSSIAN;
  }
  if (options->op != GO_OP_CENTRAL)
    return go_plan_weights(plan);
  return GO_OK;
}

static void go_plan_free(go_plan* plan)
{
  int a;
  for (a = 0; a < 3; ++a)
    free(plan->smooth[a]);
}

static int go_use_float(const go_plan* plan, const go_image* in, const go_output* out)
{
  int a;
  if (out->type != GO_FLOAT32)
    return 0;
  /* Extreme spacings (valid, e.g. 1e-300) give factors that overflow or
   * flush to zero in float (then 0 * inf = NaN for a constant region):
   * work in double, and let the final conversion round. */
  for (a = 0; a < 3; ++a)
  {
    if (!(plan->scale[a] <= 1e30 && plan->scale[a] >= 1e-30))
      return 0;
  }
  switch (in->type)
  {
    case GO_INT8:
    case GO_UINT8:
    case GO_INT16:
    case GO_UINT16:
    case GO_FLOAT32:
      return 1;
    default:
      return 0;
  }
}

/* ---- central difference fast path ----------------------------------------
 * The common case (central difference, <= 16-bit or float input with x
 * contiguous, float32 magnitude written contiguously, no matrix, no vector,
 * 3D with more than one voxel along y and z) in one fused pass per row that
 * reads the input type directly: no staging rows, one loop the compiler
 * vectorises. Every voxel gets exactly the arithmetic of central__f
 * (((float)a - (float)b) * f per axis, then sqrtf((gx*gx + gy*gy) + gz*gz)),
 * so results are bitwise identical to the generic path and independent of
 * the piece: only the two x-edge voxels of the image are computed apart. On
 * x86-64 with GCC the row loop is also compiled for AVX2 and chosen at run
 * time (GO_DISPATCH); the default build stays portable. */

/* One voxel at an x edge of the image: clamped neighbour, and the generic
 * path's one-sided doubling (twice for an axis of one voxel). */
#define GO_CENTRAL_EDGE_VOXEL(T, i)                                                              \
  do                                                                                             \
  {                                                                                              \
    const int lo_ = lo_edge && (i) == 0, hi_ = hi_edge && (i) == n - 1;                          \
    const ptrdiff_t xm_ = lo_ ? (i) : (i) - 1, xp_ = hi_ ? (i) : (i) + 1;                        \
    float gx_ = ((float)c[xp_] - (float)c[xm_]) * fx;                                            \
    const float gy_ = ((float)yp[i] - (float)ym[i]) * fy;                                        \
    const float gz_ = ((float)zp[i] - (float)zm[i]) * fz;                                        \
    if (onesided_x && lo_)                                                                       \
      gx_ *= 2.0f;                                                                               \
    if (onesided_x && hi_)                                                                       \
      gx_ *= 2.0f;                                                                               \
    out[i] = sqrtf(gx_ * gx_ + gy_ * gy_ + gz_ * gz_);                                           \
  } while (0)

/* A whole output row of n voxels; the five pointers address x = e[0] in the
 * centre row and its y and z neighbours (clamped rows at the y/z edges). */
/* a - b as float. For integers of at most 16 bits the difference is taken
 * in int and converted once: it is exact, as is (float)a - (float)b, so the
 * value is the same, with half the conversions (9.2 instead of 13.0
 * instructions per voxel with SSE2, 5.3 instead of 6.7 with AVX2). */
#define GO_DIFF_INT(a, b) ((float)((int)(a) - (int)(b)))
#define GO_DIFF_FLOAT(a, b) ((float)(a) - (float)(b))

#define GO_DEFINE_CENTRAL_ROW(NAME, T, DIFF)                                                     \
  GO_DISPATCH static void go_central_row_##NAME(const void* cv, const void* ymv,                 \
    const void* ypv, const void* zmv, const void* zpv, ptrdiff_t n, int lo_edge, int hi_edge,    \
    int onesided_x, float fx, float fy, float fz, float* restrict out)                           \
  {                                                                                              \
    const T* restrict c = (const T*)cv;                                                          \
    const T* restrict ym = (const T*)ymv;                                                        \
    const T* restrict yp = (const T*)ypv;                                                        \
    const T* restrict zm = (const T*)zmv;                                                        \
    const T* restrict zp = (const T*)zpv;                                                        \
    const ptrdiff_t first = lo_edge ? 1 : 0, last = hi_edge ? n - 1 : n;                         \
    ptrdiff_t i;                                                                                 \
    for (i = first; i < last; ++i)                                                               \
    {                                                                                            \
      const float gx = DIFF(c[i + 1], c[i - 1]) * fx;                                            \
      const float gy = DIFF(yp[i], ym[i]) * fy;                                                  \
      const float gz = DIFF(zp[i], zm[i]) * fz;                                                  \
      out[i] = sqrtf(gx * gx + gy * gy + gz * gz);                                               \
    }                                                                                            \
    if (lo_edge)                                                                                 \
      GO_CENTRAL_EDGE_VOXEL(T, 0);                                                               \
    if (hi_edge && (n > 1 || !lo_edge))                                                          \
      GO_CENTRAL_EDGE_VOXEL(T, n - 1);                                                           \
  }

GO_DEFINE_CENTRAL_ROW(i8, int8_t, GO_DIFF_INT)
GO_DEFINE_CENTRAL_ROW(u8, uint8_t, GO_DIFF_INT)
GO_DEFINE_CENTRAL_ROW(i16, int16_t, GO_DIFF_INT)
GO_DEFINE_CENTRAL_ROW(u16, uint16_t, GO_DIFF_INT)
GO_DEFINE_CENTRAL_ROW(f32, float, GO_DIFF_FLOAT)

/* The integer rows in sixteen-lane AVX-512F intrinsics, chosen at run time
 * (go_central_row_for). A compiler clone cannot stand in for them: GCC's
 * generic tuning keeps 256-bit vectors in an AVX-512F clone, and a target
 * attribute cannot ask for wider ones (compiled with 512-bit vectors
 * preferred instead, the loop widened each half of a 32-lane load
 * separately and ran 11 % faster than the AVX2 clone, against 26 % for
 * these, one thread, 512x512x256 uint16). The same operations per voxel as
 * the loop above, so the same values. */
#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__) && !defined(GO_NO_DISPATCH)
#include <immintrin.h>
#define GO_ROWS_WIDE 1
/* sixteen lanes of a row as int32 (the central and Sobel rows) */
#define GO_LD_i8(p) _mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i*)(const void*)(p)))
#define GO_LD_u8(p) _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i*)(const void*)(p)))
#define GO_LD_i16(p) _mm512_cvtepi16_epi32(_mm256_loadu_si256((const __m256i*)(const void*)(p)))
#define GO_LD_u16(p) _mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i*)(const void*)(p)))
#define GO_DEFINE_CENTRAL_ROW_V16(NAME, T)                                                       \
  __attribute__((target("avx512f"))) static void go_central_row_##NAME##_v16(const void* cv,    \
    const void* ymv, const void* ypv, const void* zmv, const void* zpv, ptrdiff_t n,             \
    int lo_edge, int hi_edge, int onesided_x, float fx, float fy, float fz, float* restrict out) \
  {                                                                                              \
    const T* restrict c = (const T*)cv;                                                          \
    const T* restrict ym = (const T*)ymv;                                                        \
    const T* restrict yp = (const T*)ypv;                                                        \
    const T* restrict zm = (const T*)zmv;                                                        \
    const T* restrict zp = (const T*)zpv;                                                        \
    const ptrdiff_t first = lo_edge ? 1 : 0, last = hi_edge ? n - 1 : n;                         \
    const __m512 vfx = _mm512_set1_ps(fx), vfy = _mm512_set1_ps(fy), vfz = _mm512_set1_ps(fz);   \
    ptrdiff_t i;                                                                                 \
    if (last - first < 16)                                                                       \
    {                                                                                            \
      go_central_row_##NAME(cv, ymv, ypv, zmv, zpv, n, lo_edge, hi_edge, onesided_x, fx, fy, fz,  \
        out);                                                                                    \
      return;                                                                                    \
    }                                                                                            \
    for (i = first; i + 16 <= last; i += 16)                                                     \
    {                                                                                            \
      const __m512 gx = _mm512_mul_ps(                                                           \
        _mm512_cvtepi32_ps(_mm512_sub_epi32(GO_LD_##NAME(c + i + 1), GO_LD_##NAME(c + i - 1))),  \
        vfx);                                                                                    \
      const __m512 gy = _mm512_mul_ps(                                                           \
        _mm512_cvtepi32_ps(_mm512_sub_epi32(GO_LD_##NAME(yp + i), GO_LD_##NAME(ym + i))), vfy);  \
      const __m512 gz = _mm512_mul_ps(                                                           \
        _mm512_cvtepi32_ps(_mm512_sub_epi32(GO_LD_##NAME(zp + i), GO_LD_##NAME(zm + i))), vfz);  \
      _mm512_storeu_ps(out + i,                                                                  \
        _mm512_sqrt_ps(_mm512_add_ps(                                                            \
          _mm512_add_ps(_mm512_mul_ps(gx, gx), _mm512_mul_ps(gy, gy)), _mm512_mul_ps(gz, gz)))); \
    }                                                                                            \
    /* the rest of the row and its upper edge voxel by the loop above */                       \
    go_central_row_##NAME(c + i, ym + i, yp + i, zm + i, zp + i, n - i, 0, hi_edge, onesided_x,   \
      fx, fy, fz, out + i);                                                                      \
    if (lo_edge)                                                                                 \
      GO_CENTRAL_EDGE_VOXEL(T, 0);                                                               \
  }
GO_DEFINE_CENTRAL_ROW_V16(i8, int8_t)
GO_DEFINE_CENTRAL_ROW_V16(u8, uint8_t)
GO_DEFINE_CENTRAL_ROW_V16(i16, int16_t)
GO_DEFINE_CENTRAL_ROW_V16(u16, uint16_t)
#undef GO_DEFINE_CENTRAL_ROW_V16

/* 1 where the AVX-512F rows may run: the CPU has AVX-512F and
 * go_gradient_set_simd allows level 2. */
static int go_rows_wide(void)
{
  __builtin_cpu_init();
  return go_simd_enabled >= 2 && __builtin_cpu_supports("avx512f");
}
#endif

typedef void (*go_central_row_fn)(const void*, const void*, const void*, const void*,
  const void*, ptrdiff_t, int, int, int, float, float, float, float*);

static go_central_row_fn go_central_row_for(go_scalar_type type)
{
#ifdef GO_ROWS_WIDE
  if (go_rows_wide())
  {
    switch (type)
    {
      case GO_INT8:
        return go_central_row_i8_v16;
      case GO_UINT8:
        return go_central_row_u8_v16;
      case GO_INT16:
        return go_central_row_i16_v16;
      case GO_UINT16:
        return go_central_row_u16_v16;
      default:
        break; /* float input: the clones below */
    }
  }
#endif
  switch (type)
  {
    case GO_INT8:
      return go_central_row_i8;
    case GO_UINT8:
      return go_central_row_u8;
    case GO_INT16:
      return go_central_row_i16;
    case GO_UINT16:
      return go_central_row_u16;
    case GO_FLOAT32:
      return go_central_row_f32;
    default:
      return NULL;
  }
}

static int go_use_float(const go_plan* plan, const go_image* in, const go_output* out);

/* The fused row has no over/underflow slow path for the magnitude (see
 * finish_row_): take it only where none can occur, i.e. integer input of at
 * most 16 bits (|difference| <= 65535, nonzero >= 1) and factors within
 * [1e-12, 1e12], so 1e-15 < |g| < 1e19 or g = 0 exactly. float32 input
 * (any magnitude) uses the generic path. */
static int go_central_fast_range_ok(const go_plan* plan)
{
  int a;
  if (plan->in->type == GO_FLOAT32)
    return 0;
  for (a = 0; a < 3; ++a)
  {
    if (!(plan->scale[a] >= 1e-12 && plan->scale[a] <= 1e12))
      return 0;
  }
  return 1;
}

static int go_central_fast_ok(const go_plan* plan)
{
  const go_image* in = plan->in;
  const go_output* out = plan->out;
  return plan->options.op == GO_OP_CENTRAL && out->type == GO_FLOAT32 && go_use_float(plan, in, out) &&
    go_central_fast_range_ok(plan) &&
    go_central_row_for(in->type) != NULL && in->increments[0] == 1 && out->magnitude &&
    !out->vector && out->increments[0] == 1 && plan->options.accumulate == GO_WRITE_MAGNITUDE &&
    !plan->options.matrix && plan->options.dimensionality == 3 &&
    in->extent[2] < in->extent[3] && in->extent[4] < in->extent[5];
}

static go_status go_central_fast(go_plan* plan)
{
  const go_image* in = plan->in;
  const int* e = plan->extent;
  const ptrdiff_t nx = (ptrdiff_t)e[1] - e[0] + 1;
  const ptrdiff_t es = (ptrdiff_t)go_scalar_size(in->type);
  const ptrdiff_t sy = in->increments[1] * es, sz = in->increments[2] * es;
  const go_central_row_fn row = go_central_row_for(in->type);
  const float fx = (float)plan->scale[0];
  const int lo_edge = e[0] == in->extent[0], hi_edge = e[1] == in->extent[1];
  ptrdiff_t y, z; /* not int: ++ past an extent ending at INT_MAX */

  for (z = e[4]; z <= e[5]; ++z)
  {
    const ptrdiff_t dzm = z > in->extent[4] ? -sz : 0;
    const ptrdiff_t dzp = z < in->extent[5] ? sz : 0;
    const float fz = (float)(plan->scale[2] * go_edge_factor(plan, 2, (int)z));
    const char* c = go_voxel_address(in, e[0], e[2], (int)z);
    float* out = (float*)go_output_address(plan->out, plan->out->magnitude, 1, e[0], e[2], (int)z);
    for (y = e[2]; y <= e[3]; ++y, c += sy, out += plan->out->increments[1])
    {
      const ptrdiff_t dym = y > in->extent[2] ? -sy : 0;
      const ptrdiff_t dyp = y < in->extent[3] ? sy : 0;
      const float fy = (float)(plan->scale[1] * go_edge_factor(plan, 1, (int)y));
      row(c, c + dym, c + dyp, c + dzm, c + dzp, nx, lo_edge, hi_edge, plan->onesided[0], fx, fy,
        fz, out);
    }
  }
  return GO_OK;
}

/* ---- Sobel fast path --------------------------------------------------------
 * Same conditions as the fused central row, for the Sobel operator in 3D.
 * For integer input of at most 16 bits every intermediate of the generic
 * float path is exact (the weights are powers of two: multiples of 1/32 up
 * to 65535 * 2 need at most 22 bits), so the derivative along an axis is
 * exactly c * s with s the integer stencil sum (smoothing [1 2 1],
 * derivative [-1 0 1]) and c = 1/32 (unit) or 1 (scipy). The sums are taken
 * in int32: per z slice, the rows smoothed and differentiated along z go
 * through a ring of three rows, then along y, then along x, all in L1.
 * Each derivative is then (float)s * (c * f) with f the generic path's
 * float factor: c is a power of two, so c * f is exact and the product
 * rounds like the generic (s * c) * f. Results are bitwise those of the
 * generic path, whatever the piece. */
#define GO_DEFINE_SOBEL_Z(NAME, T)                                                               \
  GO_DISPATCH static void go_sobel_z_##NAME(const void* zmv, const void* zcv, const void* zpv,    \
    ptrdiff_t n, int32_t* restrict sz, int32_t* restrict dz)                                     \
  {                                                                                              \
    const T* restrict zm = (const T*)zmv;                                                        \
    const T* restrict zc = (const T*)zcv;                                                        \
    const T* restrict zp = (const T*)zpv;                                                        \
    ptrdiff_t i;                                                                                 \
    for (i = 0; i < n; ++i)                                                                      \
    {                                                                                            \
      const int32_t a = zm[i], b = zc[i], c = zp[i];                                             \
      sz[i] = a + 2 * b + c;                                                                     \
      dz[i] = c - a;                                                                             \
    }                                                                                            \
  }

GO_DEFINE_SOBEL_Z(i8, int8_t)
GO_DEFINE_SOBEL_Z(u8, uint8_t)
GO_DEFINE_SOBEL_Z(i16, int16_t)
GO_DEFINE_SOBEL_Z(u16, uint16_t)

typedef void (*go_sobel_z_fn)(const void*, const void*, const void*, ptrdiff_t, int32_t*, int32_t*);

#ifdef GO_ROWS_WIDE
/* The Sobel rows in sixteen-lane AVX-512F intrinsics (see the central
 * rows): the same integer sums and float operations per voxel. */
#define GO_LD_i32(p) _mm512_loadu_si512((const void*)(p))
#define GO_DEFINE_SOBEL_Z_V16(NAME, T)                                                           \
  __attribute__((target("avx512f"))) static void go_sobel_z_##NAME##_v16(const void* zmv,       \
    const void* zcv, const void* zpv, ptrdiff_t n, int32_t* restrict sz, int32_t* restrict dz)   \
  {                                                                                              \
    const T* restrict zm = (const T*)zmv;                                                        \
    const T* restrict zc = (const T*)zcv;                                                        \
    const T* restrict zp = (const T*)zpv;                                                        \
    ptrdiff_t i;                                                                                 \
    for (i = 0; i + 16 <= n; i += 16)                                                            \
    {                                                                                            \
      const __m512i a = GO_LD_##NAME(zm + i), b = GO_LD_##NAME(zc + i), c = GO_LD_##NAME(zp + i); \
      _mm512_storeu_si512((void*)(sz + i),                                                       \
        _mm512_add_epi32(_mm512_add_epi32(a, _mm512_add_epi32(b, b)), c));                       \
      _mm512_storeu_si512((void*)(dz + i), _mm512_sub_epi32(c, a));                              \
    }                                                                                            \
    go_sobel_z_##NAME(zm + i, zc + i, zp + i, n - i, sz + i, dz + i); /* the rest */             \
  }
GO_DEFINE_SOBEL_Z_V16(i8, int8_t)
GO_DEFINE_SOBEL_Z_V16(u8, uint8_t)
GO_DEFINE_SOBEL_Z_V16(i16, int16_t)
GO_DEFINE_SOBEL_Z_V16(u16, uint16_t)
#undef GO_DEFINE_SOBEL_Z_V16
#endif

static go_sobel_z_fn go_sobel_z_for(go_scalar_type type)
{
#ifdef GO_ROWS_WIDE
  if (go_rows_wide())
  {
    switch (type)
    {
      case GO_INT8:
        return go_sobel_z_i8_v16;
      case GO_UINT8:
        return go_sobel_z_u8_v16;
      case GO_INT16:
        return go_sobel_z_i16_v16;
      case GO_UINT16:
        return go_sobel_z_u16_v16;
      default:
        return NULL;
    }
  }
#endif
  switch (type)
  {
    case GO_INT8:
      return go_sobel_z_i8;
    case GO_UINT8:
      return go_sobel_z_u8;
    case GO_INT16:
      return go_sobel_z_i16;
    case GO_UINT16:
      return go_sobel_z_u16;
    default:
      return NULL;
  }
}

/* Along y: syz = S_y S_z f, dy = D_y S_z f, dzy = S_y D_z f from the rows
 * y - 1, y, y + 1 (clamped) of the z pass. */
GO_DISPATCH static void go_sobel_y(const int32_t* restrict sm, const int32_t* restrict sc,
  const int32_t* restrict sp, const int32_t* restrict dm, const int32_t* restrict dc,
  const int32_t* restrict dp, ptrdiff_t n, int32_t* restrict syz, int32_t* restrict dy,
  int32_t* restrict dzy)
{
  ptrdiff_t i;
  for (i = 0; i < n; ++i)
  {
    syz[i] = sm[i] + 2 * sc[i] + sp[i];
    dy[i] = sp[i] - sm[i];
    dzy[i] = dm[i] + 2 * dc[i] + dp[i];
  }
}

/* Along x and the magnitude: the three rows hold x = e[0] - 1 .. e[1] + 1
 * (clamped), the output row x = e[0] .. e[1]. */
GO_DISPATCH static void go_sobel_x(const int32_t* restrict syz, const int32_t* restrict dy,
  const int32_t* restrict dzy, ptrdiff_t n, float fx, float fy, float fz, float* restrict out)
{
  ptrdiff_t i;
  for (i = 0; i < n; ++i)
  {
    const float gx = (float)(syz[i + 2] - syz[i]) * fx;
    const float gy = (float)(dy[i] + 2 * dy[i + 1] + dy[i + 2]) * fy;
    const float gz = (float)(dzy[i] + 2 * dzy[i + 1] + dzy[i + 2]) * fz;
    out[i] = sqrtf(gx * gx + gy * gy + gz * gz);
  }
}

#ifdef GO_ROWS_WIDE
__attribute__((target("avx512f"))) static void go_sobel_y_v16(const int32_t* restrict sm,
  const int32_t* restrict sc, const int32_t* restrict sp, const int32_t* restrict dm,
  const int32_t* restrict dc, const int32_t* restrict dp, ptrdiff_t n, int32_t* restrict syz,
  int32_t* restrict dy, int32_t* restrict dzy)
{
  ptrdiff_t i;
  for (i = 0; i + 16 <= n; i += 16)
  {
    const __m512i c = GO_LD_i32(sc + i), e = GO_LD_i32(dc + i);
    const __m512i m = GO_LD_i32(sm + i), p = GO_LD_i32(sp + i);
    _mm512_storeu_si512((void*)(syz + i), _mm512_add_epi32(_mm512_add_epi32(m, _mm512_add_epi32(c, c)), p));
    _mm512_storeu_si512((void*)(dy + i), _mm512_sub_epi32(p, m));
    _mm512_storeu_si512((void*)(dzy + i),
      _mm512_add_epi32(_mm512_add_epi32(GO_LD_i32(dm + i), _mm512_add_epi32(e, e)), GO_LD_i32(dp + i)));
  }
  go_sobel_y(sm + i, sc + i, sp + i, dm + i, dc + i, dp + i, n - i, syz + i, dy + i, dzy + i);
}

__attribute__((target("avx512f"))) static void go_sobel_x_v16(const int32_t* restrict syz,
  const int32_t* restrict dy, const int32_t* restrict dzy, ptrdiff_t n, float fx, float fy,
  float fz, float* restrict out)
{
  const __m512 vfx = _mm512_set1_ps(fx), vfy = _mm512_set1_ps(fy), vfz = _mm512_set1_ps(fz);
  ptrdiff_t i;
  for (i = 0; i + 16 <= n; i += 16)
  {
    const __m512i d1 = GO_LD_i32(dy + i + 1), z1 = GO_LD_i32(dzy + i + 1);
    const __m512 gx = _mm512_mul_ps(
      _mm512_cvtepi32_ps(_mm512_sub_epi32(GO_LD_i32(syz + i + 2), GO_LD_i32(syz + i))), vfx);
    const __m512 gy = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_add_epi32(
                                      _mm512_add_epi32(GO_LD_i32(dy + i), _mm512_add_epi32(d1, d1)),
                                      GO_LD_i32(dy + i + 2))),
      vfy);
    const __m512 gz = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_add_epi32(
                                      _mm512_add_epi32(GO_LD_i32(dzy + i), _mm512_add_epi32(z1, z1)),
                                      GO_LD_i32(dzy + i + 2))),
      vfz);
    _mm512_storeu_ps(out + i,
      _mm512_sqrt_ps(_mm512_add_ps(
        _mm512_add_ps(_mm512_mul_ps(gx, gx), _mm512_mul_ps(gy, gy)), _mm512_mul_ps(gz, gz))));
  }
  go_sobel_x(syz + i, dy + i, dzy + i, n - i, fx, fy, fz, out + i); /* the rest */
}
#undef GO_LD_i8
#undef GO_LD_u8
#undef GO_LD_i16
#undef GO_LD_u16
#undef GO_LD_i32
#endif

static int go_sobel_fast_ok(const go_plan* plan)
{
  const go_image* in = plan->in;
  const go_output* out = plan->out;
  return plan->options.op == GO_OP_SOBEL && out->type == GO_FLOAT32 &&
    go_use_float(plan, in, out) && go_central_fast_range_ok(plan) &&
    go_sobel_z_for(in->type) != NULL && in->increments[0] == 1 && out->magnitude &&
    !out->vector && out->increments[0] == 1 && plan->options.accumulate == GO_WRITE_MAGNITUDE &&
    !plan->options.matrix && plan->options.dimensionality == 3;
}

static go_status go_sobel_fast(go_plan* plan)
{
  const go_image* in = plan->in;
  const int* e = plan->extent;
  const ptrdiff_t nx = (ptrdiff_t)e[1] - e[0] + 1;
  const ptrdiff_t np = nx + 2; /* x = e[0] - 1 .. e[1] + 1 */
  const ptrdiff_t ld = go_line_elems(np); /* row stride */
  /* input columns actually read, and where they land in a padded row */
  const ptrdiff_t xa = e[0] > in->extent[0] ? (ptrdiff_t)e[0] - 1 : e[0];
  const ptrdiff_t xb = e[1] < in->extent[1] ? (ptrdiff_t)e[1] + 1 : e[1];
  const ptrdiff_t pa = xa - ((ptrdiff_t)e[0] - 1), nread = xb - xa + 1;
  const ptrdiff_t ya = e[2] > in->extent[2] ? (ptrdiff_t)e[2] - 1 : e[2];
  const ptrdiff_t yb = e[3] < in->extent[3] ? (ptrdiff_t)e[3] + 1 : e[3];
  const go_sobel_z_fn zpass = go_sobel_z_for(in->type);
  void (*ypass)(const int32_t*, const int32_t*, const int32_t*, const int32_t*, const int32_t*,
    const int32_t*, ptrdiff_t, int32_t*, int32_t*, int32_t*) = go_sobel_y;
  void (*xpass)(const int32_t*, const int32_t*, const int32_t*, ptrdiff_t, float, float, float,
    float*) = go_sobel_x;
  /* c: the product of the unit weights' scale (1/32 unit, 1 scipy), exact */
  const float c = (float)(plan->deriv[0][2] * plan->smooth[1][0] * plan->smooth[2][0]);
  const float fx = (float)plan->scale[0] * c;
  const int lo_edge = e[0] == in->extent[0], hi_edge = e[1] == in->extent[1];
  int32_t *block, *base, *ring_s[3], *ring_d[3], *syz, *dy, *dzy;
  ptrdiff_t y, z; /* not int: ++ past an extent ending at INT_MAX */
  int r;

#ifdef GO_ROWS_WIDE
  if (go_rows_wide())
  {
    ypass = go_sobel_y_v16;
    xpass = go_sobel_x_v16;
  }
#endif
  if ((size_t)ld > ((size_t)-1) / (10 * sizeof(int32_t)))
    return GO_ERROR_MEMORY;
  block = (int32_t*)malloc(sizeof(int32_t) * (9 * (size_t)ld + 16));
  if (!block)
    return GO_ERROR_MEMORY;
  base = (int32_t*)go_line_start(block);
  for (r = 0; r < 3; ++r)
  {
    ring_s[r] = base + (2 * r) * ld;
    ring_d[r] = base + (2 * r + 1) * ld;
  }
  syz = base + 6 * ld;
  dy = syz + ld;
  dzy = dy + ld;

  for (z = e[4]; z <= e[5]; ++z)
  {
    const int zm = (int)(z > in->extent[4] ? z - 1 : z);
    const int zp = (int)(z < in->extent[5] ? z + 1 : z);
    const float fz = (float)(plan->scale[2] * go_edge_factor(plan, 2, (int)z)) * c;
    ptrdiff_t next = ya; /* next input row the z pass fills */
    for (y = e[2]; y <= e[3]; ++y)
    {
      const ptrdiff_t ym = y > in->extent[2] ? y - 1 : y;
      const ptrdiff_t yp = y < in->extent[3] ? y + 1 : y;
      const int sm = (int)((ym - ya) % 3), sc = (int)((y - ya) % 3), sp = (int)((yp - ya) % 3);
      const float fy = (float)(plan->scale[1] * go_edge_factor(plan, 1, (int)y)) * c;
      float* out = (float*)go_output_address(plan->out, plan->out->magnitude, 1, e[0], (int)y, (int)z);
      for (; next <= yp && next <= yb; ++next)
      {
        const int slot = (int)((next - ya) % 3);
        int32_t* s = ring_s[slot];
        int32_t* d = ring_d[slot];
        zpass(go_voxel_address(in, (int)xa, (int)next, zm),
          go_voxel_address(in, (int)xa, (int)next, (int)z),
          go_voxel_address(in, (int)xa, (int)next, zp), nread, s + pa, d + pa);
        /* nearest-voxel halo at the x bounds of the image */
        if (pa > 0)
        {
          s[0] = s[1];
          d[0] = d[1];
        }
        if (pa + nread < np)
        {
          s[np - 1] = s[np - 2];
          d[np - 1] = d[np - 2];
        }
      }
      ypass(ring_s[sm], ring_s[sc], ring_s[sp], ring_d[sm], ring_d[sc], ring_d[sp], np, syz, dy,
        dzy);
      xpass(syz, dy, dzy, nx, fx, fy, fz, out);
      if (plan->onesided[0] && (lo_edge || hi_edge))
      {
        /* the generic path doubles gx at the x bounds of the image */
        ptrdiff_t k;
        for (k = 0; k < 2; ++k)
        {
          const ptrdiff_t i = k == 0 ? 0 : nx - 1;
          float gx, gy, gz;
          if ((k == 0 && !lo_edge) || (k == 1 && !hi_edge) || (k == 1 && nx == 1 && lo_edge))
            continue;
          gx = (float)(syz[i + 2] - syz[i]) * fx;
          gy = (float)(dy[i] + 2 * dy[i + 1] + dy[i + 2]) * fy;
          gz = (float)(dzy[i] + 2 * dzy[i + 1] + dzy[i + 2]) * fz;
          gx *= 2.0f;
          if (nx == 1 && lo_edge && hi_edge)
            gx *= 2.0f;
          out[i] = sqrtf(gx * gx + gy * gy + gz * gz);
        }
      }
    }
  }
  free(block);
  return GO_OK;
}

/* ---- Gaussian fast path -------------------------------------------------------
 * The generic separable path in float with the same arithmetic, voxel for
 * voxel, in a cache-friendly order: the z pass fills a ring of 2 r_y + 1
 * rows instead of a whole padded slab, the y pass reads its taps from the
 * ring, and every row loop has an AVX2 form (the z pass reading the input
 * type, the x passes fused with the magnitude). The terms of every sum are those of the generic smooth_ and
 * derive_ (tap pairs, same order, same zero-weight rule), so the results are
 * bitwise those of the generic path. Used for the float working precision,
 * x-contiguous input, no vector output. */
/* The AVX2 row loops take blocks of voxels and keep their sums in registers
 * across the taps (the tap count is known only at run time); how a row
 * ends is described in go_sep_simd.h. */
#define GO_SEP_CHUNK 512 /* voxels of a z-tap row converted to float at a time */

#define GO_DEFINE_SEP_Z(NAME, T)                                                                 \
  GO_DISPATCH static void go_sep_load_##NAME(const void* row, ptrdiff_t n, float* restrict s)    \
  {                                                                                              \
    const T* restrict r = (const T*)row;                                                         \
    ptrdiff_t i;                                                                                 \
    for (i = 0; i < n; ++i)                                                                      \
      s[i] = (float)r[i];                                                                        \
  }

GO_DEFINE_SEP_Z(i8, int8_t)
GO_DEFINE_SEP_Z(u8, uint8_t)
GO_DEFINE_SEP_Z(i16, int16_t)
GO_DEFINE_SEP_Z(u16, uint16_t)
GO_DEFINE_SEP_Z(f32, float)

typedef void (*go_sep_zv_fn)(
  const void* const*, int, const float*, const float*, ptrdiff_t, float*, float*);

/* On CPUs with AVX2 (AVX-512F: twice the width) the z pass reads the input
 * type directly and converts a vector of voxels at a time in registers (the
 * staged form converts every tap row once per output plane: nine times for
 * sigma = 1 voxel), and the y and x passes keep the sums of a block in
 * registers (the portable loops add one tap pair at a time over the whole
 * row; GCC's own vectorisation of block sums in a stack array kept them in
 * registers only through per-tap "written" flags). The sums are those of
 * the portable forms, term for term, without FMA, so the values are the
 * same (go_sep_simd.h). */
#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__) && !defined(GO_NO_DISPATCH)
#include <immintrin.h>
#define GO_SEP_AVX2 __attribute__((target("avx2")))
#define GO_SEP_AVX512 __attribute__((target("avx512f")))
#define GO_SEP_HAVE_SIMD 1

/* Start of the next block of b voxels after i0 in a row of n >= b voxels (n
 * when the row is done). */
static ptrdiff_t go_sep_next_block(ptrdiff_t i0, ptrdiff_t n, ptrdiff_t b)
{
  if (i0 + b >= n)
    return n;
  return i0 + 2 * b <= n ? i0 + b : n - b;
}

/* The AVX2 forms: eight floats per vector. */
#define GO_SEP_W 8
#define GO_SEP_TARGET GO_SEP_AVX2
#define GO_V __m256
#define GO_VI __m256i
#define GO_V_LOAD _mm256_loadu_ps
#define GO_V_STORE _mm256_storeu_ps
#define GO_V_SET1 _mm256_set1_ps
#define GO_V_ADD _mm256_add_ps
#define GO_V_SUB _mm256_sub_ps
#define GO_V_MUL _mm256_mul_ps
#define GO_V_SQRT _mm256_sqrt_ps
#define GO_V_CVT _mm256_cvtepi32_ps
#define GO_VI_ADD _mm256_add_epi32
#define GO_VI_SUB _mm256_sub_epi32
#define GO_SEP_LD_i8_v8(p) _mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i*)(const void*)(p)))
#define GO_SEP_LD_u8_v8(p) _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i*)(const void*)(p)))
#define GO_SEP_LD_i16_v8(p) _mm256_cvtepi16_epi32(_mm_loadu_si128((const __m128i*)(const void*)(p)))
#define GO_SEP_LD_u16_v8(p) _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i*)(const void*)(p)))
#define GO_SEP_SLOW __m256

/* The magnitude's fix-up test, accumulated over a row: some voxel outside
 * [1e-15, 1e19] (go_sep_magnitude's range; NaN included) with a nonzero
 * component. */
static GO_SEP_AVX2 inline __attribute__((always_inline)) __m256 go_sep_slow_none_v8(void)
{
  return _mm256_setzero_ps();
}

static GO_SEP_AVX2 inline __attribute__((always_inline)) __m256 go_sep_slow_add_v8(
  __m256 slow, __m256 a, __m256 b, __m256 c, __m256 m)
{
  /* some component nonzero (or NaN): a bit beside the sign set */
  const __m256 nonzero = _mm256_castsi256_ps(_mm256_xor_si256(
    _mm256_cmpeq_epi32(_mm256_and_si256(_mm256_castps_si256(_mm256_or_ps(_mm256_or_ps(a, b), c)),
                         _mm256_set1_epi32(0x7fffffff)),
      _mm256_setzero_si256()),
    _mm256_set1_epi32(-1)));
  const __m256 in = _mm256_and_ps(_mm256_cmp_ps(m, _mm256_set1_ps(1e-15f), _CMP_GE_OQ),
    _mm256_cmp_ps(m, _mm256_set1_ps(1e19f), _CMP_LE_OQ));
  return _mm256_or_ps(slow, _mm256_andnot_ps(in, nonzero));
}

static GO_SEP_AVX2 inline __attribute__((always_inline)) int go_sep_slow_any_v8(__m256 slow)
{
  return _mm256_movemask_ps(slow) != 0;
}

#include "go_sep_simd.h"

/* The AVX-512F forms: sixteen floats per vector, the same operations. */
#define GO_SEP_W 16
#define GO_SEP_TARGET GO_SEP_AVX512
#define GO_V __m512
#define GO_VI __m512i
#define GO_V_LOAD _mm512_loadu_ps
#define GO_V_STORE _mm512_storeu_ps
#define GO_V_SET1 _mm512_set1_ps
#define GO_V_ADD _mm512_add_ps
#define GO_V_SUB _mm512_sub_ps
#define GO_V_MUL _mm512_mul_ps
#define GO_V_SQRT _mm512_sqrt_ps
#define GO_V_CVT _mm512_cvtepi32_ps
#define GO_VI_ADD _mm512_add_epi32
#define GO_VI_SUB _mm512_sub_epi32
#define GO_SEP_LD_i8_v16(p) _mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i*)(const void*)(p)))
#define GO_SEP_LD_u8_v16(p) _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i*)(const void*)(p)))
#define GO_SEP_LD_i16_v16(p) _mm512_cvtepi16_epi32(_mm256_loadu_si256((const __m256i*)(const void*)(p)))
#define GO_SEP_LD_u16_v16(p) _mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i*)(const void*)(p)))
#define GO_SEP_SLOW __mmask16

static GO_SEP_AVX512 inline __attribute__((always_inline)) __mmask16 go_sep_slow_none_v16(void)
{
  return 0;
}

static GO_SEP_AVX512 inline __attribute__((always_inline)) __mmask16 go_sep_slow_add_v16(
  __mmask16 slow, __m512 a, __m512 b, __m512 c, __m512 m)
{
  const __mmask16 nonzero = _mm512_test_epi32_mask(
    _mm512_or_si512(_mm512_or_si512(_mm512_castps_si512(a), _mm512_castps_si512(b)),
      _mm512_castps_si512(c)),
    _mm512_set1_epi32(0x7fffffff));
  const __mmask16 in = _mm512_cmp_ps_mask(m, _mm512_set1_ps(1e-15f), _CMP_GE_OQ) &
    _mm512_cmp_ps_mask(m, _mm512_set1_ps(1e19f), _CMP_LE_OQ);
  return (__mmask16)(slow | (nonzero & (__mmask16)~in));
}

static GO_SEP_AVX512 inline __attribute__((always_inline)) int go_sep_slow_any_v16(__mmask16 slow)
{
  return slow != 0;
}

#include "go_sep_simd.h"

/* The widest vectors this CPU has and go_gradient_set_simd allows: 16 or
 * 8 floats, 0 for the portable loops. */
static int go_sep_simd_width(void)
{
  __builtin_cpu_init();
  if (go_simd_enabled >= 2 && __builtin_cpu_supports("avx512f"))
    return 16;
  if (go_simd_enabled >= 1 && __builtin_cpu_supports("avx2"))
    return 8;
  return 0;
}

/* The SIMD z pass for this input type, or NULL (no AVX2, or switched off). */
static go_sep_zv_fn go_sep_zv_for(go_scalar_type type)
{
  const int w = go_sep_simd_width();
#define GO_SEP_ZV_PICK(NAME) return w == 16 ? go_sep_z_##NAME##_v16 : w == 8 ? go_sep_z_##NAME##_v8 : NULL
  switch (type)
  {
    case GO_INT8:
      GO_SEP_ZV_PICK(i8);
    case GO_UINT8:
      GO_SEP_ZV_PICK(u8);
    case GO_INT16:
      GO_SEP_ZV_PICK(i16);
    case GO_UINT16:
      GO_SEP_ZV_PICK(u16);
    case GO_FLOAT32:
      GO_SEP_ZV_PICK(f32);
    default:
      return NULL;
  }
#undef GO_SEP_ZV_PICK
}
#else
static go_sep_zv_fn go_sep_zv_for(go_scalar_type type)
{
  (void)type;
  return NULL;
}
#endif

typedef void (*go_sep_load_fn)(const void*, ptrdiff_t, float*);

static int go_sep_load_for(go_scalar_type type, go_sep_load_fn* load)
{
  switch (type)
  {
    case GO_INT8:
      *load = go_sep_load_i8;
      return 1;
    case GO_UINT8:
      *load = go_sep_load_u8;
      return 1;
    case GO_INT16:
      *load = go_sep_load_i16;
      return 1;
    case GO_UINT16:
      *load = go_sep_load_u16;
      return 1;
    case GO_FLOAT32:
      *load = go_sep_load_f32;
      return 1;
    default:
      return 0;
  }
}

/* The portable row loops (CPUs without AVX2, other compilers), one tap pair
 * at a time over the row. rows[0 .. 2r] are the tap rows of a y or z pass,
 * rows[r] the centre; an x pass reads src[i .. i + 2r] for voxel i. The
 * sums are those of the generic smooth_/derive_ (go_gradient_impl.h). */

/* z pass: s = smoothed, d = differentiated rows. */
static void go_sep_z(const float* const* rows, int r, const float* ws, const float* wd,
  ptrdiff_t n, float* restrict s, float* restrict d)
{
  ptrdiff_t i;
  int k;
  for (i = 0; i < n; ++i)
    s[i] = ws[r] * rows[r][i];
  for (k = 1; k <= r; ++k)
  {
    const float* restrict lo = rows[r - k];
    const float* restrict hi = rows[r + k];
    const float w = ws[r + k], v = wd[r + k];
    if (w != 0.0f)
    {
      for (i = 0; i < n; ++i)
        s[i] += w * (lo[i] + hi[i]);
    }
    if (k == 1)
    {
      for (i = 0; i < n; ++i)
        d[i] = v * (hi[i] - lo[i]);
    }
    else if (v != 0.0f)
    {
      for (i = 0; i < n; ++i)
        d[i] += v * (hi[i] - lo[i]);
    }
  }
}

/* y pass, smoothing only. */
static void go_sep_smooth_rows(
  const float* const* rows, const float* w, int r, ptrdiff_t n, float* restrict dst)
{
  ptrdiff_t i;
  int k;
  for (i = 0; i < n; ++i)
    dst[i] = w[r] * rows[r][i];
  for (k = 1; k <= r; ++k)
  {
    const float* restrict lo = rows[r - k];
    const float* restrict hi = rows[r + k];
    const float wk = w[r + k];
    if (wk == 0.0f)
      continue;
    for (i = 0; i < n; ++i)
      dst[i] += wk * (lo[i] + hi[i]);
  }
}

/* y pass, smoothed and differentiated: the z pass's sums. */
static void go_sep_rows2(const float* const* rows, const float* ws, const float* wd, int r,
  ptrdiff_t n, float* restrict ds, float* restrict dd)
{
  go_sep_z(rows, r, ws, wd, n, ds, dd);
}

/* x passes: dst[i] = (sum) * f. */
static void go_sep_smooth_x(
  const float* restrict src, const float* w, int r, ptrdiff_t n, float f, float* restrict dst)
{
  const float* c = src + r;
  ptrdiff_t i;
  int k;
  for (i = 0; i < n; ++i)
    dst[i] = w[r] * c[i];
  for (k = 1; k <= r; ++k)
  {
    const float wk = w[r + k];
    if (wk == 0.0f)
      continue;
    for (i = 0; i < n; ++i)
      dst[i] += wk * (c[i - k] + c[i + k]);
  }
  for (i = 0; i < n; ++i)
    dst[i] *= f;
}

static void go_sep_derive_x(
  const float* restrict src, const float* w, int r, ptrdiff_t n, float f, float* restrict dst)
{
  const float* c = src + r;
  ptrdiff_t i;
  int k;
  for (i = 0; i < n; ++i)
    dst[i] = w[r + 1] * (c[i + 1] - c[i - 1]);
  for (k = 2; k <= r; ++k)
  {
    const float wk = w[r + k];
    if (wk == 0.0f)
      continue;
    for (i = 0; i < n; ++i)
      dst[i] += wk * (c[i + k] - c[i - k]);
  }
  for (i = 0; i < n; ++i)
    dst[i] *= f;
}

/* out[i] = |(gx, gy, gz)| as the generic finish__f computes it when it
 * writes the magnitude: sqrtf of the sum of squares, then go_norm3__f for
 * the voxels outside [GO_MAG_LO, GO_MAG_HI] that are not exactly zero. */
GO_DISPATCH static void go_sep_magnitude(const float* restrict gx, const float* restrict gy,
  const float* restrict gz, ptrdiff_t n, float* restrict out)
{
  ptrdiff_t i;
  int slow = 0;
  for (i = 0; i < n; ++i)
  {
    const float m = sqrtf(gx[i] * gx[i] + gy[i] * gy[i] + gz[i] * gz[i]);
    out[i] = m;
    /* non-short-circuit operators keep the loop vectorised; an exact zero
     * from zero components (the common flat background) needs no fix-up */
    slow |= ((m < 1e-15f) & ((gx[i] != 0.0f) | (gy[i] != 0.0f) | (gz[i] != 0.0f))) |
      (m > 1e19f) | (m != m);
  }
  if (!slow)
    return;
  for (i = 0; i < n; ++i)
  {
    if (!(out[i] >= 1e-15f && out[i] <= 1e19f) &&
      (gx[i] != 0.0f || gy[i] != 0.0f || gz[i] != 0.0f))
      out[i] = go_norm3__f(gx[i], gy[i], gz[i]);
  }
}

/* The AVX2 forms take every tap pair: they serve when no float weight is
 * zero (the derivative's centre aside), i.e. unless sigma is so small that
 * the outer weights underflow, where the sums skip those pairs. */
static int go_sep_weights_nonzero(const go_plan* plan, int naxes)
{
  int a, k;
  for (a = 0; a < naxes; ++a)
  {
    const int r = plan->radius[a];
    for (k = 0; k <= r; ++k)
    {
      if ((float)plan->smooth[a][r + k] == 0.0f || (k > 0 && (float)plan->deriv[a][r + k] == 0.0f))
        return 0;
    }
  }
  return 1;
}

/* The y and x row loops: the AVX2 forms on CPUs with AVX2 (unless switched
 * off or simd is 0), else the portable ones; the same values either way. */
typedef struct go_sep_row_fns
{
  void (*smooth_rows)(const float* const*, const float*, int, ptrdiff_t, float*);
  void (*rows2)(const float* const*, const float*, const float*, int, ptrdiff_t, float*, float*);
  void (*smooth_x)(const float*, const float*, int, ptrdiff_t, float, float*);
  void (*derive_x)(const float*, const float*, int, ptrdiff_t, float, float*);
  int (*x_magnitude)(const float*, const float*, const float*, const float*, const float*, int,
    ptrdiff_t, float, float, float, float*); /* NULL: no fused form */
} go_sep_row_fns;

static go_sep_row_fns go_sep_row_fns_pick(int simd)
{
  go_sep_row_fns f;
  f.smooth_rows = go_sep_smooth_rows;
  f.rows2 = go_sep_rows2;
  f.smooth_x = go_sep_smooth_x;
  f.derive_x = go_sep_derive_x;
  f.x_magnitude = NULL;
#ifdef GO_SEP_HAVE_SIMD
  {
    const int w = simd ? go_sep_simd_width() : 0;
#define GO_SEP_ROW_FNS(W)                                                                          \
  do                                                                                               \
  {                                                                                                \
    f.smooth_rows = go_sep_smooth_rows_v##W;                                                       \
    f.rows2 = go_sep_rows2_v##W;                                                                   \
    f.smooth_x = go_sep_smooth_x_v##W;                                                             \
    f.derive_x = go_sep_derive_x_v##W;                                                             \
    f.x_magnitude = go_sep_x_magnitude_v##W;                                                       \
  } while (0)
    if (w == 16)
      GO_SEP_ROW_FNS(16);
    else if (w == 8)
      GO_SEP_ROW_FNS(8);
#undef GO_SEP_ROW_FNS
  }
#else
  (void)simd;
#endif
  return f;
}

static int go_gaussian_fast_ok(const go_plan* plan)
{
  go_sep_load_fn load;
  return plan->options.op == GO_OP_GAUSSIAN && plan->out->type == GO_FLOAT32 &&
    go_use_float(plan, plan->in, plan->out) && go_sep_load_for(plan->in->type, &load) &&
    plan->in->increments[0] == 1 && !plan->out->vector;
}

/* go_gaussian_fast for the rows of one block (plan->extent). */
static go_status go_gaussian_fast_rows(go_plan* plan)
{
  const go_image* in = plan->in;
  const int* e = plan->extent;
  const int rx = plan->radius[0], ry = plan->radius[1], rz = plan->radius[2];
  const int nkx = 2 * rx + 1, nky = 2 * ry + 1, nkz = 2 * rz + 1;
  const ptrdiff_t nx = (ptrdiff_t)e[1] - e[0] + 1;
  const ptrdiff_t ny = (ptrdiff_t)e[3] - e[2] + 1;
  const ptrdiff_t nxp = nx + 2 * rx, nyp = ny + 2 * ry;
  const ptrdiff_t ld = go_line_elems(nxp); /* row stride */
  const int three_d = plan->options.dimensionality == 3;
  /* input columns read, and where they land in a padded row */
  const ptrdiff_t x_lo = (ptrdiff_t)e[0] - rx;
  const ptrdiff_t xa = x_lo > in->extent[0] ? x_lo : in->extent[0];
  const ptrdiff_t xb = (ptrdiff_t)e[1] + rx < in->extent[1] ? (ptrdiff_t)e[1] + rx : in->extent[1];
  const ptrdiff_t pa = xa - x_lo, nread = xb - xa + 1;
  const ptrdiff_t slots = nyp < nky ? nyp : nky; /* ring rows (all rows when fewer) */
  const float fx = (float)plan->scale[0];
  go_sep_load_fn load = NULL;
  go_sep_zv_fn zv;
  go_sep_row_fns fn;
  int convert;
  float *block, *ring, *w, *szy, *dy, *dzy, *gx, *gy, *gz, *mag, *staged = NULL;
  const float** zrows;
  const float** taps;
  ptrdiff_t y, z; /* not int: ++ past an extent ending at INT_MAX */
  ptrdiff_t i;
  int k;
  size_t nfloat;

  go_sep_load_for(in->type, &load);
  {
    const int simd = go_sep_weights_nonzero(plan, three_d ? 3 : 2);
    zv = three_d && simd ? go_sep_zv_for(in->type) : NULL;
    fn = go_sep_row_fns_pick(simd);
  }
  /* float rows of the z taps, when the AVX2 z pass does not read the input:
   * converted in chunks (float input: read in place) */
  convert = in->type != GO_FLOAT32 && !zv;
  if ((size_t)nxp > ((size_t)-1) / (4 * sizeof(float)) / (size_t)(2 * slots + 8))
    return GO_ERROR_MEMORY;
  nfloat = (size_t)(2 * slots + 3) * (size_t)ld + 4 * (size_t)nx + 16 +
    2 * ((size_t)nkx + (size_t)nky + (size_t)nkz);
  block = (float*)malloc(sizeof(float) * nfloat);
  zrows = (const float**)malloc(sizeof(float*) * (size_t)nkz);
  taps = (const float**)malloc(sizeof(float*) * (size_t)nky);
  if (convert && three_d)
    staged = (float*)malloc(sizeof(float) * GO_SEP_CHUNK * (size_t)nkz);
  if (!block || !zrows || !taps || (convert && three_d && !staged))
  {
    free(block);
    free(staged);
    free((void*)zrows);
    free((void*)taps);
    return GO_ERROR_MEMORY;
  }
  /* slot q: smoothed row at ring + 2 q ld, derivative after it */
  ring = (float*)go_line_start(block);
  szy = ring + 2 * (size_t)slots * (size_t)ld;
  dy = szy + ld;
  dzy = dy + ld;
  gx = dzy + ld;
  gy = gx + nx;
  gz = gy + nx;
  mag = gz + nx;
  w = mag + nx; /* float weights: smooth and deriv per axis, as the generic path casts them */
  {
    float* q = w;
    int a;
    for (a = 0; a < 3; ++a)
    {
      const int nk = 2 * plan->radius[a] + 1;
      for (k = 0; k < nk; ++k)
      {
        q[k] = (float)plan->smooth[a][k];
        q[nk + k] = (float)plan->deriv[a][k];
      }
      q += 2 * nk;
    }
  }
  {
    const float* wsx = w;
    const float* wdx = wsx + nkx;
    const float* wsy = wdx + nkx;
    const float* wdy = wsy + nky;
    const float* wsz = wdy + nky;
    const float* wdz = wsz + nkz;
    for (z = e[4]; z <= e[5]; ++z)
    {
      const float fz = (float)(plan->scale[2] * go_edge_factor(plan, 2, (int)z));
      ptrdiff_t next = 0; /* next padded row p (y = e[2] - ry + p) the z pass fills */
      for (k = 0; k < nkz; ++k)
        zrows[k] = NULL;
      for (y = e[2]; y <= e[3]; ++y)
      {
        const ptrdiff_t jy = y - e[2];
        const float fy = (float)(plan->scale[1] * go_edge_factor(plan, 1, (int)y));
        void* out_mag = go_output_address(plan->out, plan->out->magnitude, 1, e[0], (int)y, (int)z);
        float* m = mag_target__f(plan, out_mag, mag);
        for (; next <= jy + 2 * ry; ++next)
        {
          float* s = ring + 2 * (size_t)(next % slots) * (size_t)ld;
          float* d = s + ld;
          const int yy =
            go_clamp_wide((ptrdiff_t)e[2] - ry + next, in->extent[2], in->extent[3]);
          if (three_d && !convert)
          {
            /* the tap rows read in place: by the AVX2 z pass in the input
             * type, else float input */
            for (k = -rz; k <= rz; ++k)
              zrows[k + rz] = (const float*)go_voxel_address(
                in, (int)xa, yy, go_clamp_wide(z + k, in->extent[4], in->extent[5]));
            if (zv)
              zv((const void* const*)zrows, rz, wsz, wdz, nread, s + pa, d + pa);
            else
              go_sep_z(zrows, rz, wsz, wdz, nread, s + pa, d + pa);
          }
          else if (three_d)
          {
            ptrdiff_t c0;
            for (c0 = 0; c0 < nread; c0 += GO_SEP_CHUNK)
            {
              const ptrdiff_t len = nread - c0 < GO_SEP_CHUNK ? nread - c0 : GO_SEP_CHUNK;
              for (k = -rz; k <= rz; ++k)
              {
                float* t = staged + (size_t)(k + rz) * GO_SEP_CHUNK;
                load(go_voxel_address(in, (int)(xa + c0), yy,
                       go_clamp_wide(z + k, in->extent[4], in->extent[5])),
                  len, t);
                zrows[k + rz] = t;
              }
              go_sep_z(zrows, rz, wsz, wdz, len, s + pa + c0, d + pa + c0);
            }
          }
          else
          {
            load(go_voxel_address(in, (int)xa, yy, (int)z), nread, s + pa);
          }
          /* nearest-voxel halo at the x bounds of the image */
          for (i = 0; i < pa; ++i)
          {
            s[i] = s[pa];
            d[i] = d[pa];
          }
          for (i = pa + nread; i < nxp; ++i)
          {
            s[i] = s[pa + nread - 1];
            d[i] = d[pa + nread - 1];
          }
        }
        /* y: taps y - ry .. y + ry are padded rows jy .. jy + 2 ry */
        {
          ptrdiff_t q = jy % slots;
          for (k = 0; k < nky; ++k, q = q + 1 == slots ? 0 : q + 1)
            taps[k] = ring + 2 * (size_t)q * (size_t)ld;
        }
        fn.rows2(taps, wsy, wdy, ry, nxp, szy, dy);
        if (three_d)
        {
          for (k = 0; k < nky; ++k)
            taps[k] += ld; /* the z-derivative rows */
          fn.smooth_rows(taps, wsy, ry, nxp, dzy);
        }
        if (three_d && fn.x_magnitude && m == (float*)out_mag && !plan->options.matrix &&
          plan->options.accumulate == GO_WRITE_MAGNITUDE &&
          !fn.x_magnitude(szy, dy, dzy, wsx, wdx, rx, nx, fx, fy, fz, m))
          continue;
        fn.derive_x(szy, wdx, rx, nx, fx, gx);
        fn.smooth_x(dy, wsx, rx, nx, fy, gy);
        if (three_d)
          fn.smooth_x(dzy, wsx, rx, nx, fz, gz);
        else
          memset(gz, 0, sizeof(float) * (size_t)nx);
        if (m == (float*)out_mag && !plan->options.matrix &&
          plan->options.accumulate == GO_WRITE_MAGNITUDE)
          go_sep_magnitude(gx, gy, gz, nx, m);
        else
          finish_row__f(plan, gx, gy, gz, nx, m, out_mag, NULL);
      }
    }
  }
  free(block);
  free(staged);
  free((void*)zrows);
  free((void*)taps);
  return GO_OK;
}

/* Rows per block of the Gaussian fast path. The z pass of one output plane
 * reads 2 r_z + 1 input planes; when their rows for the whole plane exceed
 * GO_SEP_Z_BUDGET bytes, the plane is taken in blocks of rows (z within a
 * block, each block with its own 2 r_y halo rows), so that the next output
 * plane finds 2 r_z of its tap planes' rows still in the core's own cache
 * rather than in a last-level cache the threads share. At least 16 r_y rows
 * per block: the halo adds at most an eighth to the z pass. */
#define GO_SEP_Z_BUDGET ((size_t)1 << 20)

static ptrdiff_t go_sep_block_rows(const go_plan* plan)
{
  const int* e = plan->extent;
  const ptrdiff_t ny = (ptrdiff_t)e[3] - e[2] + 1;
  const int ry = plan->radius[1];
  const size_t row = ((size_t)e[1] - (size_t)e[0] + 1 + 2 * (size_t)plan->radius[0]) *
    go_size_of(plan->in->type);
  const size_t taps = 2 * (size_t)plan->radius[2] + 1;
  const ptrdiff_t least = 16 * (ptrdiff_t)(ry > 0 ? ry : 1);
  ptrdiff_t rows, blocks;
  if (plan->options.dimensionality != 3 || row == 0 || GO_SEP_Z_BUDGET / taps / row > (size_t)ny)
    return ny;
  rows = (ptrdiff_t)(GO_SEP_Z_BUDGET / taps / row) - 2 * ry;
  if (rows < least)
    rows = least;
  if (rows >= ny)
    return ny;
  blocks = (ny + rows - 1) / rows;
  return (ny + blocks - 1) / blocks; /* blocks of nearly equal size */
}

static go_status go_gaussian_fast(go_plan* plan)
{
  const int e2 = plan->extent[2], e3 = plan->extent[3];
  const ptrdiff_t rows = go_sep_block_rows(plan);
  ptrdiff_t y0;
  go_status status = GO_OK;
  for (y0 = e2; y0 <= e3 && status == GO_OK; y0 += rows)
  {
    plan->extent[2] = (int)y0;
    plan->extent[3] = (int)(e3 - y0 + 1 > rows ? y0 + rows - 1 : e3);
    status = go_gaussian_fast_rows(plan);
  }
  plan->extent[2] = e2;
  plan->extent[3] = e3;
  return status;
}

go_status go_gradient_compute(
  const go_image* in, const go_options* options, const int out_extent[6], go_output* out)
{
  go_plan plan;
  go_status status = go_plan_init(&plan, in, options, out_extent, out);
  if (status == GO_OK)
  {
    const int single = go_use_float(&plan, in, out);
    if (options->op == GO_OP_CENTRAL && go_central_fast_ok(&plan))
      status = go_central_fast(&plan);
    else if (options->op == GO_OP_SOBEL && go_sobel_fast_ok(&plan))
      status = go_sobel_fast(&plan);
    else if (options->op == GO_OP_GAUSSIAN && go_gaussian_fast_ok(&plan))
      status = go_gaussian_fast(&plan);
    else if (options->op == GO_OP_CENTRAL)
      status = single ? central__f(&plan) : central__d(&plan);
    else
      status = single ? separable__f(&plan) : separable__d(&plan);
  }
  go_plan_free(&plan);
  return status;
}

go_status go_sqrt_inplace(go_output* out, const int extent[6])
{
  ptrdiff_t y, z; /* not int: ++ past an extent ending at INT_MAX */
  ptrdiff_t i, nx;
  if (!out || !extent || !out->magnitude)
    return GO_ERROR_ARGUMENT;
  if (out->type != GO_FLOAT32 && out->type != GO_FLOAT64)
    return GO_ERROR_TYPE;
  if (go_extent_empty(extent) || !go_extent_inside(extent, out->extent))
    return GO_ERROR_EXTENT;
  nx = (ptrdiff_t)extent[1] - extent[0] + 1;
  for (z = extent[4]; z <= extent[5]; ++z)
  {
    for (y = extent[2]; y <= extent[3]; ++y)
    {
      void* row = go_output_address(out, out->magnitude, 1, extent[0], (int)y, (int)z);
      const ptrdiff_t s = out->increments[0];
      if (out->type == GO_FLOAT32)
      {
        float* p = (float*)row;
        for (i = 0; i < nx; ++i)
          p[i * s] = sqrtf(p[i * s]);
      }
      else
      {
        double* p = (double*)row;
        for (i = 0; i < nx; ++i)
          p[i * s] = sqrt(p[i * s]);
      }
    }
  }
  return GO_OK;
}

const char* go_status_string(go_status status)
{
  switch (status)
  {
    case GO_OK:
      return "success";
    case GO_ERROR_ARGUMENT:
      return "invalid argument (null pointer or unknown option)";
    case GO_ERROR_TYPE:
      return "unsupported scalar type";
    case GO_ERROR_EXTENT:
      return "empty extent, or output extent not inside the input extent";
    case GO_ERROR_SPACING:
      return "spacing must be positive and finite";
    case GO_ERROR_SIGMA:
      return "sigma must be positive and finite, with a kernel radius below 4096 voxels";
    case GO_ERROR_MEMORY:
      return "out of memory";
  }
  return "unknown status";
}
