/*
 * go_autoopacity.c - statistics kernels of vtkAutoGradientOpacity (see
 * go_autoopacity.h for every formula).
 */
#include "go_autoopacity.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Helpers of the per-sample loops are inlined into them. (gcc also models
 * a prefetch as free of side effects: a separate function of prefetches
 * alone is found "const" and its calls deleted.) */
#if defined(__GNUC__) || defined(__clang__)
#define GO_AO_FORCE_INLINE __attribute__((always_inline)) inline
#else
#define GO_AO_FORCE_INLINE inline
#endif

/* ---------------------------------------------------------------------- */
/* Voxel access                                                            */

static double go_ao_fetch(const go_image* im, ptrdiff_t offset)
{
  switch (im->type)
  {
    case GO_INT8:
      return (double)((const int8_t*)im->data)[offset];
    case GO_UINT8:
      return (double)((const uint8_t*)im->data)[offset];
    case GO_INT16:
      return (double)((const int16_t*)im->data)[offset];
    case GO_UINT16:
      return (double)((const uint16_t*)im->data)[offset];
    case GO_INT32:
      return (double)((const int32_t*)im->data)[offset];
    case GO_UINT32:
      return (double)((const uint32_t*)im->data)[offset];
    case GO_INT64:
      return (double)((const int64_t*)im->data)[offset];
    case GO_UINT64:
      return (double)((const uint64_t*)im->data)[offset];
    case GO_FLOAT32:
      return (double)((const float*)im->data)[offset];
    case GO_FLOAT64:
      return ((const double*)im->data)[offset];
    default:
      return 0.0;
  }
}

/* Voxel (i, j, k) relative to the first voxel of the extent. */
static ptrdiff_t go_ao_offset(const go_image* im, int i, int j, int k)
{
  return (ptrdiff_t)i * im->increments[0] + (ptrdiff_t)j * im->increments[1] +
    (ptrdiff_t)k * im->increments[2];
}

static void go_ao_dims(const go_image* im, int dims[3])
{
  dims[0] = im->extent[1] - im->extent[0] + 1;
  dims[1] = im->extent[3] - im->extent[2] + 1;
  dims[2] = im->extent[5] - im->extent[4] + 1;
}

static int go_ao_image_ok(const go_image* im)
{
  return im && im->data && go_scalar_size(im->type) > 0 && im->extent[0] <= im->extent[1] &&
    im->extent[2] <= im->extent[3] && im->extent[4] <= im->extent[5];
}

static float go_ao_lut_eval(const go_ao_lut* lut, double v)
{
  double t;
  int i;
  if (!lut || !lut->table || lut->size < 1)
    return 1.0f;
  if (!(lut->hi > lut->lo))
    return lut->table[0];
  t = (v - lut->lo) / (lut->hi - lut->lo) * (double)(lut->size - 1);
  if (!(t > 0.0))
    return lut->table[0];
  if (t >= (double)(lut->size - 1))
    return lut->table[lut->size - 1];
  i = (int)(t + 0.5);
  return lut->table[i];
}

go_status go_ao_grid_weights(
  const go_image* scalars, const go_image* mask, const go_ao_lut* lut, float* w)
{
  int dims[3], i, j, k;
  size_t idx = 0;
  if (!go_ao_image_ok(scalars) || !w || (mask && !go_ao_image_ok(mask)))
    return GO_ERROR_ARGUMENT;
  go_ao_dims(scalars, dims);
  for (k = 0; k < dims[2]; ++k)
  {
    for (j = 0; j < dims[1]; ++j)
    {
      for (i = 0; i < dims[0]; ++i, ++idx)
      {
        const double v = go_ao_fetch(scalars, go_ao_offset(scalars, i, j, k));
        float weight = isfinite(v) ? go_ao_lut_eval(lut, v) : 0.0f;
        if (mask && go_ao_fetch(mask, go_ao_offset(mask, i, j, k)) == 0.0)
          weight = 0.0f;
        w[idx] = weight;
      }
    }
  }
  return GO_OK;
}

/* ---------------------------------------------------------------------- */
/* Sub-voxel samples                                                       */

static uint64_t go_ao_splitmix(uint64_t* state)
{
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static double go_ao_uniform(uint64_t* state)
{
  return (double)(go_ao_splitmix(state) >> 11) * (1.0 / 9007199254740992.0);
}

/* One axis of a trilinear read: the two neighbouring voxels' offsets and the
 * weight of the upper one, for coordinate q clamped to [0, N - 1]. */
typedef struct go_ao_axis
{
  ptrdiff_t o0, o1;
  double t;
} go_ao_axis;

static void go_ao_axis_at(double q, int dim, ptrdiff_t inc, go_ao_axis* ax)
{
  const double hi = (double)(dim - 1);
  int i0;
  q = q < 0.0 ? 0.0 : (q > hi ? hi : q);
  i0 = (int)q; /* q >= 0: truncation is floor */
  ax->t = q - (double)i0;
  ax->o0 = (ptrdiff_t)i0 * inc;
  ax->o1 = (i0 + 1 < dim ? (ptrdiff_t)(i0 + 1) : (ptrdiff_t)i0) * inc;
}

/* Trilinear interpolant at continuous index p (clamped to the box), any
 * scalar type; zero weights are skipped so that a NaN/Inf corner the
 * interpolant does not use cannot poison it. */
static double go_ao_trilinear(const go_image* im, const int dims[3], const double p[3])
{
  go_ao_axis ax[3];
  double v = 0.0;
  int a, c;
  for (a = 0; a < 3; ++a)
    go_ao_axis_at(p[a], dims[a], im->increments[a], &ax[a]);
  for (c = 0; c < 8; ++c)
  {
    const double weight = ((c & 1) ? ax[0].t : 1.0 - ax[0].t) *
      ((c & 2) ? ax[1].t : 1.0 - ax[1].t) * ((c & 4) ? ax[2].t : 1.0 - ax[2].t);
    if (weight != 0.0)
      v += weight *
        go_ao_fetch(im,
          ((c & 1) ? ax[0].o1 : ax[0].o0) + ((c & 2) ? ax[1].o1 : ax[1].o0) +
            ((c & 4) ? ax[2].o1 : ax[2].o0));
  }
  return v;
}

/* Position of sample s of n: jittered (stratified) along the raster of the
 * cells between voxel centres, cell q = floor((s + u) C / n) of C cells, then
 * a uniform point inside it. Every coordinate is a function of (seed, s)
 * alone, so any split of [0, n) over threads gives the same samples, and
 * consecutive samples are neighbours in memory (cache-friendly). */
typedef struct go_ao_raster
{
  size_t cells[3];
  double cells_per_sample; /* C / n */
  double last;             /* C - 1 */
  double inv_cells[3];
  int dims[3];
} go_ao_raster;

static void go_ao_raster_init(go_ao_raster* r, const int dims[3], size_t n)
{
  double total;
  int a;
  for (a = 0; a < 3; ++a)
  {
    r->dims[a] = dims[a];
    r->cells[a] = dims[a] > 1 ? (size_t)(dims[a] - 1) : 1;
    r->inv_cells[a] = 1.0 / (double)r->cells[a];
  }
  total = (double)r->cells[0] * (double)r->cells[1] * (double)r->cells[2];
  r->cells_per_sample = total / (double)(n ? n : 1);
  r->last = total - 1.0;
}

/* Where a sample lies: its cell (c, the voxel at the cell's lower corner)
 * and the offset t in (0, 1) inside it along each axis (15 significant
 * bits: exact in float); the continuous index is p = c + t (go_ao_spos_p). */
typedef struct go_ao_spos
{
  int c[3];
  float t[3];
} go_ao_spos;

/* p = c + t, below N - 1 since c <= N - 2; an axis with N == 1 has p = 0. */
static void go_ao_spos_p(const int dims[3], const go_ao_spos* sp, double p[3])
{
  int a;
  for (a = 0; a < 3; ++a)
    p[a] = dims[a] > 1 ? (double)sp->c[a] + (double)sp->t[a] : 0.0;
}

/* Raster cell q as (x, y, z) cell coordinates. Samples are visited in
 * increasing q, mostly less than a row apart: the cursor carries the
 * previous split and adds the difference instead of dividing. */
typedef struct go_ao_cursor
{
  size_t q, x, y, z;
  int valid;
} go_ao_cursor;

static GO_AO_FORCE_INLINE void go_ao_cursor_move(const go_ao_raster* r, go_ao_cursor* cur, size_t q)
{
  if (cur->valid && q >= cur->q && q - cur->q < r->cells[0])
  {
    cur->x += q - cur->q;
    if (cur->x >= r->cells[0])
    {
      cur->x -= r->cells[0];
      if (++cur->y >= r->cells[1])
      {
        cur->y = 0;
        ++cur->z;
      }
    }
  }
  else
  {
    const size_t row = q / r->cells[0];
    cur->x = q - row * r->cells[0];
    cur->y = row % r->cells[1];
    cur->z = row / r->cells[1];
    cur->valid = 1;
  }
  cur->q = q;
}

static GO_AO_FORCE_INLINE void go_ao_position(
  const go_ao_raster* r, uint64_t seed, size_t s, go_ao_cursor* cur, go_ao_spos* sp)
{
  /* One 64-bit hash: 22 bits place the sample in its stratum, 14 bits per
   * axis place it in its cell (1/16384 voxel; GPUs interpolate textures
   * with 8-bit weights). */
  uint64_t state = seed ^ ((uint64_t)s * 0xD1B54A32D192ED03ull);
  const uint64_t h = go_ao_splitmix(&state);
  double cq;
  int a;
  /* signed conversions: one instruction each (s < 2^63, 22 and 14 bits) */
  cq = ((double)(int64_t)s + (double)(int64_t)(h >> 42) * (1.0 / 4194304.0)) *
    r->cells_per_sample;
  cq = cq > r->last ? r->last : (cq < 0.0 ? 0.0 : cq);
  /* 0 <= cq < 2^53: the signed conversion is one instruction and floors */
  go_ao_cursor_move(r, cur, (size_t)(int64_t)cq);
  sp->c[0] = (int)cur->x;
  sp->c[1] = (int)cur->y;
  sp->c[2] = (int)cur->z;
  for (a = 0; a < 3; ++a)
    sp->t[a] = ((float)(int)((h >> (14 * a)) & 0x3fffu) + 0.5f) * (1.0f / 16384.0f);
}

/* Software prefetch for volumes that do not stay in cache, GO_AO_LANES
 * samples ahead (the hardware prefetcher cannot follow the ~20 rows a sample
 * reads). Dense sampling (several samples per row of cells) meets the rows
 * of a z-plane again for three planes, so only the rows no earlier sample
 * read (y + 3 at z and z + 1, y + 1 at z + 3) are fetched; sparser sampling
 * fetches all twelve rows of the sample's reads. */
#if defined(__GNUC__) || defined(__clang__)
#define GO_AO_PREFETCH(addr) __builtin_prefetch((addr), 0, 1)
#else
#define GO_AO_PREFETCH(addr) ((void)(addr))
#endif
#define GO_AO_PREFETCH_BYTES (8.0 * 1048576.0)
enum
{
  GO_AO_PREFETCH_NONE = 0,
  GO_AO_PREFETCH_LEADING = 1,
  GO_AO_PREFETCH_ALL = 2
};

static GO_AO_FORCE_INLINE void go_ao_prefetch_row(const char* base, size_t elem,
  const int dims[3], const ptrdiff_t inc[3], int x, int y, int z)
{
  y = y < 0 ? 0 : (y >= dims[1] ? dims[1] - 1 : y);
  z = z < 0 ? 0 : (z >= dims[2] ? dims[2] - 1 : z);
  GO_AO_PREFETCH(base +
    (size_t)elem * (size_t)((ptrdiff_t)x * inc[0] + (ptrdiff_t)y * inc[1] + (ptrdiff_t)z * inc[2]));
}

static GO_AO_FORCE_INLINE void go_ao_prefetch_rows(const char* base, size_t elem,
  const int dims[3], const ptrdiff_t inc[3], const int c[3], int mode)
{
  const int x = c[0] > 0 ? c[0] - 1 : 0; /* the reads span x - 2 .. x + 3 */
  int dy, dz;
  if (mode == GO_AO_PREFETCH_LEADING)
  {
    go_ao_prefetch_row(base, elem, dims, inc, x, c[1] + 3, c[2]);
    go_ao_prefetch_row(base, elem, dims, inc, x, c[1] + 3, c[2] + 1);
    go_ao_prefetch_row(base, elem, dims, inc, x, c[1] + 1, c[2] + 3);
    return;
  }
  for (dz = -1; dz <= 2; ++dz)
  {
    for (dy = -1; dy <= 2; ++dy)
    {
      if ((dy == -1 || dy == 2) && (dz == -1 || dz == 2))
        continue; /* corners: no read uses them */
      go_ao_prefetch_row(base, elem, dims, inc, x, c[1] + dy, c[2] + dz);
    }
  }
}

/* Raw scalars take the lerp form: every trilinear read written as lerps of
 * voxel pairs along x, in float for 8- and 16-bit data (exact voxels,
 * weighted sums to ~1e-7 relative), in double for wider integers and for
 * float data (where a non-finite result is redone by the generic reads,
 * which skip the zero weights that NaN/Inf voxels may carry). Samples
 * whose reads all lie inside the box (cell c with 2 <= c_i <= N_i - 4 on
 * every axis, N_i >= 6) need no clamping: p + s and p - s follow from the
 * offset t alone (s_i = 1 + e_i, e_i < 1), and on x86-64 CPUs with AVX2
 * eight of them are computed at a time with the same operations in the
 * same order (bitwise the scalar form's results). The others clamp. */
typedef struct go_ao_inner
{
  int ok;
  int hi[3];     /* largest interior cell per axis; the smallest is 2 */
  float eps[3];  /* s_i - 1 */
  float fac[3];  /* factor[i] */
  ptrdiff_t inc[3];
  int simd;      /* 8- or 16-bit data, x contiguous, offsets fit 32 bits, AVX2 on */
  go_ao_spos safe; /* cell (2, 2, 2), offsets 1/2 */
} go_ao_inner;

static GO_AO_FORCE_INLINE int go_ao_inner_has(const go_ao_inner* in, const int c[3])
{
  return in->ok && c[0] >= 2 && c[0] <= in->hi[0] && c[1] >= 2 && c[1] <= in->hi[1] &&
    c[2] >= 2 && c[2] <= in->hi[2];
}

/* Up to GO_AO_LANES interior samples: lower-corner voxel e and offsets t. */
#define GO_AO_LANES 8
typedef struct go_ao_lanes
{
  ptrdiff_t e[GO_AO_LANES];
  float t[3][GO_AO_LANES];
} go_ao_lanes;

static GO_AO_FORCE_INLINE void go_ao_lanes_set(go_ao_lanes* L, int k, const go_ao_inner* in, const go_ao_spos* sp)
{
  int a;
  L->e[k] = (ptrdiff_t)sp->c[0] * in->inc[0] + (ptrdiff_t)sp->c[1] * in->inc[1] +
    (ptrdiff_t)sp->c[2] * in->inc[2];
  for (a = 0; a < 3; ++a)
    L->t[a][k] = sp->t[a];
}

/* p + s along axis a: lower voxel op after the cell's, weight tp on the
 * next; p - s: om (negative), tm. */
#define GO_AO_STEPS(in, L, k, a, tp, tm, op, om)                                                 \
  do                                                                                             \
  {                                                                                              \
    const float u_ = (L)->t[a][k] + (in)->eps[a], v_ = (L)->t[a][k] - (in)->eps[a];              \
    const int up_ = u_ >= 1.0f, dn_ = v_ < 0.0f;                                                 \
    tp = up_ ? u_ - 1.0f : u_;                                                                   \
    tm = dn_ ? v_ + 1.0f : v_;                                                                   \
    op = (ptrdiff_t)(1 + up_) * (in)->inc[a];                                                    \
    om = -(ptrdiff_t)(1 + dn_) * (in)->inc[a];                                                   \
  } while (0)

/* lerp(a, b, t) = a + t (b - a); a voxel pair along x at offset o, lerped. */
#define GO_AO_LERP(a, b, t) ((a) + (t) * ((b) - (a)))
#define GO_AO_PAIR(ACC, c, o, x1, t) GO_AO_LERP((ACC)(c)[o], (ACC)(c)[(o) + (x1)], t)
/* F(p + s) - F(p - s) along y or z (rows `step` apart) on the row at offset
 * `off` of the other axis: each read a lerp of two x-pairs */
#define GO_AO_STEPDIFF(ACC, c, off, op, om, step, x1, t0, tp, tm)                                \
  (GO_AO_LERP(GO_AO_PAIR(ACC, c, (off) + (op), x1, t0),                                          \
     GO_AO_PAIR(ACC, c, (off) + (op) + (step), x1, t0), tp) -                                    \
    GO_AO_LERP(GO_AO_PAIR(ACC, c, (off) + (om), x1, t0),                                         \
      GO_AO_PAIR(ACC, c, (off) + (om) + (step), x1, t0), tm))

/* The lerp form of the shader's gradient magnitude in ACC arithmetic, from
 * the cell's lower-corner voxel c: x1, y1, z1 step to the next voxel along
 * each axis (0 along an axis of one voxel), op / om locate the lower voxel
 * of p + s / p - s along each axis relative to c, tp / tm their weights, t
 * the offsets of p. */
#define GO_AO_INNER_SCALAR(T, SUFFIX, ACC, SQRT)                                                 \
  static float go_ao_lgrad_##SUFFIX(const T* c, ptrdiff_t x1, ptrdiff_t y1, ptrdiff_t z1,      \
    const ptrdiff_t op[3], const ptrdiff_t om[3], const float tpf[3], const float tmf[3],      \
    const float tf[3], const float fac[3])                                                     \
  {                                                                                            \
    const ACC t0 = (ACC)tf[0], t1 = (ACC)tf[1], t2 = (ACC)tf[2];                               \
    const ACC tp[3] = { (ACC)tpf[0], (ACC)tpf[1], (ACC)tpf[2] };                               \
    const ACC tm[3] = { (ACC)tmf[0], (ACC)tmf[1], (ACC)tmf[2] };                               \
    ACC r[4], gx, gy, gz;                                                                      \
    int j;                                                                                     \
    for (j = 0; j < 4; ++j)                                                                    \
    {                                                                                          \
      const ptrdiff_t ro = ((j & 1) ? y1 : 0) + ((j & 2) ? z1 : 0);                            \
      r[j] = GO_AO_PAIR(ACC, c, ro + op[0], x1, tp[0]) - GO_AO_PAIR(ACC, c, ro + om[0], x1, tm[0]); \
    }                                                                                          \
    gx = GO_AO_LERP(GO_AO_LERP(r[0], r[1], t1), GO_AO_LERP(r[2], r[3], t1), t2);               \
    gy = GO_AO_LERP(GO_AO_STEPDIFF(ACC, c, 0, op[1], om[1], y1, x1, t0, tp[1], tm[1]),         \
      GO_AO_STEPDIFF(ACC, c, z1, op[1], om[1], y1, x1, t0, tp[1], tm[1]), t2);                 \
    gz = GO_AO_LERP(GO_AO_STEPDIFF(ACC, c, 0, op[2], om[2], z1, x1, t0, tp[2], tm[2]),         \
      GO_AO_STEPDIFF(ACC, c, y1, op[2], om[2], z1, x1, t0, tp[2], tm[2]), t1);                 \
    gx *= (ACC)fac[0];                                                                         \
    gy *= (ACC)fac[1];                                                                         \
    gz *= (ACC)fac[2];                                                                         \
    return (float)SQRT((gx * gx + gy * gy) + gz * gz);                                         \
  }                                                                                            \
  /* lane k of an interior batch */                                                           \
  static float go_ao_igrad_##SUFFIX(                                                           \
    const T* d, const go_ao_inner* in, const go_ao_lanes* L, int k)                            \
  {                                                                                            \
    float tp[3], tm[3], t[3];                                                                  \
    ptrdiff_t op[3], om[3];                                                                    \
    int a;                                                                                     \
    for (a = 0; a < 3; ++a)                                                                    \
    {                                                                                          \
      GO_AO_STEPS(in, L, k, a, tp[a], tm[a], op[a], om[a]);                                    \
      t[a] = L->t[a][k];                                                                       \
    }                                                                                          \
    return go_ao_lgrad_##SUFFIX(                                                               \
      d + L->e[k], in->inc[0], in->inc[1], in->inc[2], op, om, tp, tm, t, in->fac);            \
  }                                                                                            \
  /* any other sample: p +- s clamped to the box (GL_CLAMP_TO_EDGE), a read                  \
   * at the last voxel taken as the pair (N - 2, N - 1) with weight 1 */                      \
  static float go_ao_egrad_##SUFFIX(const T* d, const go_ao_inner* in, const int dims[3],      \
    const double step[3], const go_ao_spos* sp)                                                \
  {                                                                                            \
    float tp[3], tm[3];                                                                        \
    ptrdiff_t op[3], om[3], nx[3], e = 0;                                                      \
    int a, k;                                                                                  \
    for (a = 0; a < 3; ++a)                                                                    \
    {                                                                                          \
      e += (ptrdiff_t)sp->c[a] * in->inc[a];                                                   \
      nx[a] = dims[a] > 1 ? in->inc[a] : 0;                                                    \
      op[a] = om[a] = 0;                                                                       \
      tp[a] = tm[a] = 0.0f;                                                                    \
      if (dims[a] < 2)                                                                         \
        continue;                                                                              \
      for (k = 0; k < 2; ++k)                                                                  \
      {                                                                                        \
        const double hi = (double)(dims[a] - 1);                                               \
        double q = (double)sp->c[a] + (double)sp->t[a] + (k ? -step[a] : step[a]);             \
        int i0;                                                                                \
        q = q < 0.0 ? 0.0 : (q > hi ? hi : q);                                                 \
        i0 = (int)q;                                                                           \
        q -= (double)i0;                                                                       \
        if (i0 == dims[a] - 1)                                                                 \
        {                                                                                      \
          i0 = dims[a] - 2;                                                                    \
          q = 1.0;                                                                             \
        }                                                                                      \
        *(k ? &om[a] : &op[a]) = (ptrdiff_t)(i0 - sp->c[a]) * in->inc[a];                      \
        *(k ? &tm[a] : &tp[a]) = (float)q;                                                     \
      }                                                                                        \
    }                                                                                          \
    return go_ao_lgrad_##SUFFIX(d + e, nx[0], nx[1], nx[2], op, om, tp, tm, sp->t, in->fac);   \
  }

GO_AO_INNER_SCALAR(int8_t, i8, float, sqrtf)
GO_AO_INNER_SCALAR(uint8_t, u8, float, sqrtf)
GO_AO_INNER_SCALAR(int16_t, i16, float, sqrtf)
GO_AO_INNER_SCALAR(uint16_t, u16, float, sqrtf)
GO_AO_INNER_SCALAR(int32_t, i32, double, sqrt)
GO_AO_INNER_SCALAR(uint32_t, u32, double, sqrt)
GO_AO_INNER_SCALAR(int64_t, i64, double, sqrt)
GO_AO_INNER_SCALAR(uint64_t, u64, double, sqrt)
GO_AO_INNER_SCALAR(float, f32, double, sqrt)
GO_AO_INNER_SCALAR(double, f64, double, sqrt)

/* The AVX2 form: eight lanes, a voxel pair per 32-bit gather (x
 * contiguous; reading up to two elements past the pair stays inside the
 * image because interior reads never touch its last row). No FMA: a
 * fused multiply-add would round differently from the scalar form. */
#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__) && !defined(GO_NO_DISPATCH)
#define GO_AO_HAVE_AVX2 1
#include <immintrin.h>
#define GO_AO_AVX2 __attribute__((target("avx2")))

static GO_AO_AVX2 inline __m256 go_ao_lerp8(__m256 a, __m256 b, __m256 t)
{
  return _mm256_add_ps(a, _mm256_mul_ps(t, _mm256_sub_ps(b, a)));
}

/* lo / hi element of each gathered 32-bit word, per type */
#define GO_AO_LO_u8(g) _mm256_and_si256(g, _mm256_set1_epi32(0xff))
#define GO_AO_HI_u8(g) _mm256_and_si256(_mm256_srli_epi32(g, 8), _mm256_set1_epi32(0xff))
#define GO_AO_LO_i8(g) _mm256_srai_epi32(_mm256_slli_epi32(g, 24), 24)
#define GO_AO_HI_i8(g) _mm256_srai_epi32(_mm256_slli_epi32(g, 16), 24)
#define GO_AO_LO_u16(g) _mm256_and_si256(g, _mm256_set1_epi32(0xffff))
#define GO_AO_HI_u16(g) _mm256_srli_epi32(g, 16)
#define GO_AO_LO_i16(g) _mm256_srai_epi32(_mm256_slli_epi32(g, 16), 16)
#define GO_AO_HI_i16(g) _mm256_srai_epi32(g, 16)
/* byte k of each word (8-bit types; unused for 16-bit ones) */
#define GO_AO_BYTE_u8(g, k) _mm256_and_si256(_mm256_srli_epi32(g, 8 * (k)), _mm256_set1_epi32(0xff))
#define GO_AO_BYTE_i8(g, k) _mm256_srai_epi32(_mm256_slli_epi32(g, 24 - 8 * (k)), 24)
#define GO_AO_BYTE_u16(g, k) ((void)(g), _mm256_setzero_si256())
#define GO_AO_BYTE_i16(g, k) ((void)(g), _mm256_setzero_si256())

#define GO_AO_INNER_AVX2(T, SUFFIX)                                                              \
  static GO_AO_AVX2 inline __m256 go_ao_pair8_##SUFFIX(const T* c, __m256i o, __m256 t)        \
  {                                                                                            \
    const __m256i g = _mm256_i32gather_epi32((const int*)(const void*)c, o, (int)sizeof(T));   \
    return go_ao_lerp8(                                                                        \
      _mm256_cvtepi32_ps(GO_AO_LO_##SUFFIX(g)), _mm256_cvtepi32_ps(GO_AO_HI_##SUFFIX(g)), t);  \
  }                                                                                            \
  /* GO_AO_STEPDIFF, eight lanes */                                                          \
  static GO_AO_AVX2 inline __m256 go_ao_stepdiff8_##SUFFIX(const T* d, __m256i op, __m256i om, \
    __m256i off, __m256i step, __m256 t0, __m256 tp, __m256 tm)                                \
  {                                                                                            \
    const __m256i p0 = _mm256_add_epi32(op, off), m0 = _mm256_add_epi32(om, off);              \
    return _mm256_sub_ps(go_ao_lerp8(go_ao_pair8_##SUFFIX(d, p0, t0),                          \
                           go_ao_pair8_##SUFFIX(d, _mm256_add_epi32(p0, step), t0), tp),       \
      go_ao_lerp8(go_ao_pair8_##SUFFIX(d, m0, t0),                                             \
        go_ao_pair8_##SUFFIX(d, _mm256_add_epi32(m0, step), t0), tm));                         \
  }                                                                                            \
  static GO_AO_AVX2 void go_ao_igrad8_##SUFFIX(                                                \
    const T* d, const go_ao_inner* in, const go_ao_lanes* L, float* out)                       \
  {                                                                                            \
    const __m256 one = _mm256_set1_ps(1.0f), zero = _mm256_setzero_ps();                       \
    const __m256i y1 = _mm256_set1_epi32((int)in->inc[1]), z1 = _mm256_set1_epi32((int)in->inc[2]); \
    const __m256i zero_i = _mm256_setzero_si256();                                             \
    int32_t e32[GO_AO_LANES];                                                                  \
    __m256 t[3], tp[3], tm[3], r[4], gx, gy, gz;                                               \
    __m256i e, op[3], om[3];                                                                   \
    int a, j, xwrap = 0;                                                                       \
    for (j = 0; j < GO_AO_LANES; ++j)                                                          \
      e32[j] = (int32_t)L->e[j];                                                               \
    e = _mm256_loadu_si256((const __m256i*)(const void*)e32);                                  \
    for (a = 0; a < 3; ++a)                                                                    \
    {                                                                                          \
      const __m256 eps = _mm256_set1_ps(in->eps[a]);                                           \
      const __m256i inc = _mm256_set1_epi32((int)in->inc[a]);                                  \
      __m256 u, v, up, dn;                                                                     \
      t[a] = _mm256_loadu_ps(L->t[a]);                                                         \
      u = _mm256_add_ps(t[a], eps);                                                            \
      v = _mm256_sub_ps(t[a], eps);                                                            \
      up = _mm256_cmp_ps(u, one, _CMP_GE_OQ);                                                  \
      dn = _mm256_cmp_ps(v, zero, _CMP_LT_OQ);                                                 \
      tp[a] = _mm256_sub_ps(u, _mm256_and_ps(up, one));                                        \
      tm[a] = _mm256_add_ps(v, _mm256_and_ps(dn, one));                                        \
      op[a] = _mm256_add_epi32(                                                                \
        e, _mm256_add_epi32(inc, _mm256_and_si256(_mm256_castps_si256(up), inc)));             \
      om[a] = _mm256_sub_epi32(                                                                \
        e, _mm256_add_epi32(inc, _mm256_and_si256(_mm256_castps_si256(dn), inc)));             \
      if (a == 0)                                                                              \
        xwrap = _mm256_movemask_ps(_mm256_or_ps(up, dn));                                      \
    }                                                                                          \
    for (j = 0; j < 4; ++j)                                                                    \
    {                                                                                          \
      const __m256i ro = _mm256_add_epi32((j & 1) ? y1 : _mm256_setzero_si256(),               \
        (j & 2) ? z1 : _mm256_setzero_si256());                                                \
      if (sizeof(T) == 1 && !xwrap)                                                            \
      {                                                                                        \
        /* 8-bit data, no lane's p +- s leaves the cells next to its own:                    \
         * one word from c - 1 holds both pairs (c - 1, c) and (c + 1, c + 2) */              \
        const __m256i g = _mm256_i32gather_epi32((const int*)(const void*)d,                   \
          _mm256_add_epi32(om[0], ro), 1);                                                     \
        r[j] = _mm256_sub_ps(go_ao_lerp8(_mm256_cvtepi32_ps(GO_AO_BYTE_##SUFFIX(g, 2)),        \
                               _mm256_cvtepi32_ps(GO_AO_BYTE_##SUFFIX(g, 3)), tp[0]),          \
          go_ao_lerp8(_mm256_cvtepi32_ps(GO_AO_BYTE_##SUFFIX(g, 0)),                           \
            _mm256_cvtepi32_ps(GO_AO_BYTE_##SUFFIX(g, 1)), tm[0]));                            \
        continue;                                                                              \
      }                                                                                        \
      r[j] = _mm256_sub_ps(go_ao_pair8_##SUFFIX(d, _mm256_add_epi32(op[0], ro), tp[0]),        \
        go_ao_pair8_##SUFFIX(d, _mm256_add_epi32(om[0], ro), tm[0]));                          \
    }                                                                                          \
    gx = go_ao_lerp8(go_ao_lerp8(r[0], r[1], t[1]), go_ao_lerp8(r[2], r[3], t[1]), t[2]);      \
    gy = go_ao_lerp8(go_ao_stepdiff8_##SUFFIX(d, op[1], om[1], zero_i, y1, t[0], tp[1], tm[1]), \
      go_ao_stepdiff8_##SUFFIX(d, op[1], om[1], z1, y1, t[0], tp[1], tm[1]), t[2]);            \
    gz = go_ao_lerp8(go_ao_stepdiff8_##SUFFIX(d, op[2], om[2], zero_i, z1, t[0], tp[2], tm[2]), \
      go_ao_stepdiff8_##SUFFIX(d, op[2], om[2], y1, z1, t[0], tp[2], tm[2]), t[1]);            \
    gx = _mm256_mul_ps(gx, _mm256_set1_ps(in->fac[0]));                                        \
    gy = _mm256_mul_ps(gy, _mm256_set1_ps(in->fac[1]));                                        \
    gz = _mm256_mul_ps(gz, _mm256_set1_ps(in->fac[2]));                                        \
    _mm256_storeu_ps(out,                                                                      \
      _mm256_sqrt_ps(_mm256_add_ps(                                                            \
        _mm256_add_ps(_mm256_mul_ps(gx, gx), _mm256_mul_ps(gy, gy)), _mm256_mul_ps(gz, gz)))); \
  }

GO_AO_INNER_AVX2(int8_t, i8)
GO_AO_INNER_AVX2(uint8_t, u8)
GO_AO_INNER_AVX2(int16_t, i16)
GO_AO_INNER_AVX2(uint16_t, u16)
#define GO_AO_SIMD_CALL_1(SUFFIX, d, in, L, out) go_ao_igrad8_##SUFFIX(d, in, L, out)
#else
#define GO_AO_HAVE_AVX2 0
#define GO_AO_SIMD_CALL_1(SUFFIX, d, in, L, out) ((void)0)
#endif
#define GO_AO_SIMD_CALL_0(SUFFIX, d, in, L, out) ((void)0)

static int go_ao_simd_enabled = 2;

int go_ao_set_simd(int enable)
{
  const int previous = go_ao_simd_enabled;
  go_ao_simd_enabled = enable < 0 ? 0 : enable;
  return previous;
}

static int go_ao_cpu_has_avx2(void)
{
#if GO_AO_HAVE_AVX2
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") != 0;
#else
  return 0;
#endif
}

/* safe: the cell a non-interior lane of the AVX2 form reads (an interior
 * cell whose reads the held data contain); NULL: (2, 2, 2); safe[0] < 0:
 * none (no AVX2 form). */
static void go_ao_inner_init(go_ao_inner* in, const go_image* im, const int dims[3],
  const double factor[3], const double step[3], int lerp_form, int simd_type, const int* safe)
{
  double span = 0.0;
  int a;
  in->ok = lerp_form;
  for (a = 0; a < 3; ++a)
  {
    in->ok = in->ok && dims[a] >= 6;
    in->hi[a] = dims[a] - 4;
    in->eps[a] = (float)(step[a] - 1.0);
    in->fac[a] = (float)factor[a];
    in->inc[a] = im->increments[a];
    in->safe.c[a] = safe && safe[0] >= 0 ? safe[a] : 2;
    in->safe.t[a] = 0.5f;
    span += (double)(dims[a] - 1) * fabs((double)im->increments[a]);
  }
  in->simd = in->ok && simd_type && go_ao_simd_enabled && im->increments[0] == 1 &&
    im->increments[1] > 0 && im->increments[2] > 0 && span + 4.0 < 2147483647.0 &&
    !(safe && safe[0] < 0) &&
    go_ao_cpu_has_avx2();
}

/* The shader's gradient of raw scalars at p for one scalar type: six
 * trilinear reads at p +- s_i e_i and the value F(p), with typed loads and
 * the per-axis offsets/weights of p, p + s and p - s computed once.
 * Float types skip zero weights so that a NaN/Inf corner the interpolant
 * does not use cannot poison the sample (as go_ao_trilinear). Samples take
 * the lerp form above where they can. Samples are processed in
 * batches of GO_AO_LANES whose positions are computed (and, for large
 * volumes, prefetched) one batch ahead. */
#define GO_AO_TYPED_SAMPLER(T, SUFFIX, SKIP_ZERO, INNER, SIMD)                                   \
  static double go_ao_tri_##SUFFIX(                                                            \
    const T* d, const go_ao_axis* x, const go_ao_axis* y, const go_ao_axis* z)                 \
  {                                                                                            \
    const double wx[2] = { 1.0 - x->t, x->t }, wy[2] = { 1.0 - y->t, y->t },                   \
                 wz[2] = { 1.0 - z->t, z->t };                                                 \
    const ptrdiff_t ox[2] = { x->o0, x->o1 }, oy[2] = { y->o0, y->o1 },                        \
                    oz[2] = { z->o0, z->o1 };                                                  \
    double v = 0.0;                                                                            \
    int c;                                                                                     \
    for (c = 0; c < 8; ++c)                                                                    \
    {                                                                                          \
      const double weight = wx[c & 1] * wy[(c >> 1) & 1] * wz[c >> 2];                         \
      if (SKIP_ZERO && weight == 0.0)                                                          \
        continue;                                                                              \
      v += weight * (double)d[ox[c & 1] + oy[(c >> 1) & 1] + oz[c >> 2]];                      \
    }                                                                                          \
    return v;                                                                                  \
  }                                                                                            \
  /* F(+) - F(-) along one axis, the other two (b, c) at p: their bilinear                   \
   * weights are shared by both reads (integer data only: no NaN to skip). */                 \
  static double go_ao_diff_##SUFFIX(const T* d, const go_ao_axis* ap, const go_ao_axis* am,    \
    const go_ao_axis* b, const go_ao_axis* c)                                                  \
  {                                                                                            \
    const double wb0 = 1.0 - b->t, wc0 = 1.0 - c->t;                                           \
    const double w[4] = { wb0 * wc0, b->t * wc0, wb0 * c->t, b->t * c->t };                    \
    const ptrdiff_t o[4] = { b->o0 + c->o0, b->o1 + c->o0, b->o0 + c->o1, b->o1 + c->o1 };     \
    const double up0 = 1.0 - ap->t, um0 = 1.0 - am->t;                                        \
    double v = 0.0;                                                                            \
    int k;                                                                                     \
    for (k = 0; k < 4; ++k)                                                                    \
    {                                                                                          \
      const T* q = d + o[k];                                                                   \
      v += w[k] *                                                                              \
        ((up0 * (double)q[ap->o0] + ap->t * (double)q[ap->o1]) -                               \
          (um0 * (double)q[am->o0] + am->t * (double)q[am->o1]));                              \
    }                                                                                          \
    return v;                                                                                  \
  }                                                                                            \
  /* Any sample: clamped axes, as go_ao_trilinear. */                                         \
  static double go_ao_grad_##SUFFIX(const T* d, const go_image* im, const int dims[3],          \
    const double factor[3], const double step[3], const double p[3], go_ao_axis ax[3][3])      \
  {                                                                                            \
    double sum = 0.0;                                                                          \
    int a;                                                                                     \
    for (a = 0; a < 3; ++a)                                                                    \
    {                                                                                          \
      go_ao_axis_at(p[a], dims[a], im->increments[a], &ax[a][0]);                              \
      go_ao_axis_at(p[a] + step[a], dims[a], im->increments[a], &ax[a][1]);                    \
      go_ao_axis_at(p[a] - step[a], dims[a], im->increments[a], &ax[a][2]);                    \
    }                                                                                          \
    for (a = 0; a < 3; ++a)                                                                    \
    {                                                                                          \
      const int b = a == 0 ? 1 : 0, c = a == 2 ? 1 : 2;                                        \
      double dd;                                                                               \
      if (factor[a] == 0.0)                                                                    \
        continue;                                                                              \
      if (SKIP_ZERO)                                                                           \
      {                                                                                        \
        const go_ao_axis* xyz[2][3];                                                           \
        int k;                                                                                 \
        for (k = 0; k < 3; ++k)                                                                \
          xyz[0][k] = xyz[1][k] = &ax[k][0];                                                   \
        xyz[0][a] = &ax[a][1];                                                                 \
        xyz[1][a] = &ax[a][2];                                                                 \
        dd = go_ao_tri_##SUFFIX(d, xyz[0][0], xyz[0][1], xyz[0][2]) -                          \
          go_ao_tri_##SUFFIX(d, xyz[1][0], xyz[1][1], xyz[1][2]);                              \
      }                                                                                        \
      else                                                                                     \
      {                                                                                        \
        dd = go_ao_diff_##SUFFIX(d, &ax[a][1], &ax[a][2], &ax[b][0], &ax[c][0]);               \
      }                                                                                        \
      dd *= factor[a];                                                                         \
      sum += dd * dd;                                                                          \
    }                                                                                          \
    return sqrt(sum);                                                                          \
  }                                                                                            \
  static void go_ao_sv_##SUFFIX(const go_image* im, const go_image* mask, const go_ao_lut* lut, \
    const int dims[3], const double factor[3], const double step[3], size_t n, uint64_t seed,  \
    size_t s0, size_t s1, int want_value, int prefetch, const int* safe, float* g, float* w,   \
    float* v)                                                                                  \
  {                                                                                            \
    const T* d = (const T*)im->data;                                                           \
    const int need_value = want_value && (lut || v || SKIP_ZERO);                              \
    go_ao_raster raster;                                                                       \
    go_ao_inner inner;                                                                         \
    go_ao_cursor cursor = { 0, 0, 0, 0, 0 };                                                   \
    go_ao_spos batch[2][GO_AO_LANES];                                                          \
    size_t s, m_next = 0;                                                                      \
    int cur = 0;                                                                               \
    go_ao_raster_init(&raster, dims, n);                                                       \
    go_ao_inner_init(&inner, im, dims, factor, step, INNER, SIMD, safe);                       \
    for (s = s0; s < s1 && m_next < GO_AO_LANES; ++s)                                          \
      go_ao_position(&raster, seed, s, &cursor, &batch[0][m_next++]);                          \
    for (s = s0; s < s1; s += GO_AO_LANES)                                                     \
    {                                                                                          \
      const go_ao_spos* sp = batch[cur];                                                       \
      const size_t m = m_next;                                                                 \
      go_ao_lanes lanes;                                                                       \
      float gl[GO_AO_LANES] = { 0.0f };                                                        \
      int inside[GO_AO_LANES], inner_lanes = 0, simd, k;                                       \
      size_t j;                                                                                \
      /* next batch: positions (and prefetches) one batch ahead */                            \
      for (m_next = 0; m_next < GO_AO_LANES && s + m + m_next < s1; ++m_next)                  \
      {                                                                                        \
        go_ao_spos* q = &batch[1 - cur][m_next];                                               \
        go_ao_position(&raster, seed, s + m + m_next, &cursor, q);                             \
        if (prefetch)                                                                          \
          go_ao_prefetch_rows((const char*)d, sizeof(T), dims, im->increments, q->c, prefetch);          \
      }                                                                                        \
      for (k = 0; k < GO_AO_LANES; ++k)                                                        \
      {                                                                                        \
        inside[k] = k < (int)m && go_ao_inner_has(&inner, sp[k].c);                            \
        /* a lane that is not interior reads the cell (2, 2, 2) in the AVX2                  \
         * form (in bounds; its result is not used) */                                        \
        go_ao_lanes_set(&lanes, k, &inner, inside[k] ? &sp[k] : &inner.safe);                  \
        inner_lanes += inside[k];                                                              \
      }                                                                                        \
      simd = inner.simd && inner_lanes > 0;                                                    \
      if (simd)                                                                                \
        GO_AO_SIMD_CALL_##SIMD(SUFFIX, d, &inner, &lanes, gl);                                 \
      if (simd && inner_lanes == (int)m && !need_value && !mask && !v)                         \
      {                                                                                        \
        /* the common batch: eight gradients, weight 1 */                                     \
        for (j = 0; j < m; ++j)                                                                \
        {                                                                                      \
          g[s + j - s0] = gl[j];                                                               \
          w[s + j - s0] = isfinite(gl[j]) ? 1.0f : 0.0f;                                       \
        }                                                                                      \
        cur = 1 - cur;                                                                         \
        continue;                                                                              \
      }                                                                                        \
      for (j = 0; j < m; ++j)                                                                  \
      {                                                                                        \
        double gv, fv = 0.0, weight = 1.0, p[3];                                               \
        go_ao_axis ax[3][3]; /* [axis][p, p + s, p - s] */                                     \
        int a, have_ax = 0;                                                                    \
        go_ao_spos_p(dims, &sp[j], p);                                                         \
        if (inside[j] && simd)                                                                 \
          gv = (double)gl[j];                                                                  \
        else if (inside[j])                                                                    \
          gv = (double)GO_AO_INNER_CALL_##INNER(SUFFIX, d, &inner, &lanes, (int)j);            \
        else if (INNER)                                                                        \
          gv = (double)GO_AO_EDGE_CALL_##INNER(SUFFIX, d, &inner, dims, step, &sp[j]);         \
        else                                                                                   \
          gv = NAN;                                                                            \
        if (!INNER || (SKIP_ZERO && !isfinite(gv)))                                            \
        {                                                                                      \
          /* float data, non-finite result: the generic reads decide (they                   \
           * skip zero weights and form (1 - t) a + t b, which does not                       \
           * overflow where the lerp form's b - a can) */                                     \
          gv = go_ao_grad_##SUFFIX(d, im, dims, factor, step, p, ax);                          \
          have_ax = 1;                                                                         \
        }                                                                                      \
        /* F(p) only matters for the weight (lut, or NaN in float data) or v */               \
        if (need_value)                                                                        \
        {                                                                                      \
          if (!have_ax)                                                                        \
          {                                                                                    \
            for (a = 0; a < 3; ++a)                                                            \
              go_ao_axis_at(p[a], dims[a], im->increments[a], &ax[a][0]);                \
          }                                                                                    \
          fv = go_ao_tri_##SUFFIX(d, &ax[0][0], &ax[1][0], &ax[2][0]);                         \
          weight = isfinite(fv) ? (double)go_ao_lut_eval(lut, fv) : 0.0;                       \
        }                                                                                      \
        if (mask)                                                                              \
        {                                                                                      \
          int ni[3];                                                                           \
          for (a = 0; a < 3; ++a)                                                              \
            ni[a] = (int)floor(p[a] + 0.5);                                              \
          if (go_ao_fetch(mask, go_ao_offset(mask, ni[0], ni[1], ni[2])) == 0.0)               \
            weight = 0.0;                                                                      \
        }                                                                                      \
        /* as stored: a finite double beyond FLT_MAX is +Inf in float */                     \
        if (!isfinite((float)gv))                                                              \
          weight = 0.0;                                                                        \
        g[s + j - s0] = (float)gv;                                                             \
        w[s + j - s0] = (float)weight;                                                         \
        if (v)                                                                                 \
          v[s + j - s0] = (float)fv;                                                           \
      }                                                                                        \
      cur = 1 - cur;                                                                           \
    }                                                                                          \
  }

#define GO_AO_INNER_CALL_1(SUFFIX, d, in, L, k) go_ao_igrad_##SUFFIX(d, in, L, k)
#define GO_AO_INNER_CALL_0(SUFFIX, d, in, L, k) 0.0f
#define GO_AO_EDGE_CALL_1(SUFFIX, d, in, dims, step, sp) go_ao_egrad_##SUFFIX(d, in, dims, step, sp)
#define GO_AO_EDGE_CALL_0(SUFFIX, d, in, dims, step, sp) 0.0f

GO_AO_TYPED_SAMPLER(int8_t, i8, 0, 1, 1)
GO_AO_TYPED_SAMPLER(uint8_t, u8, 0, 1, 1)
GO_AO_TYPED_SAMPLER(int16_t, i16, 0, 1, 1)
GO_AO_TYPED_SAMPLER(uint16_t, u16, 0, 1, 1)
GO_AO_TYPED_SAMPLER(int32_t, i32, 0, 1, 0)
GO_AO_TYPED_SAMPLER(uint32_t, u32, 0, 1, 0)
GO_AO_TYPED_SAMPLER(int64_t, i64, 0, 1, 0)
GO_AO_TYPED_SAMPLER(uint64_t, u64, 0, 1, 0)
GO_AO_TYPED_SAMPLER(float, f32, 1, 1, 0)
GO_AO_TYPED_SAMPLER(double, f64, 1, 1, 0)

static int go_ao_same_image(const go_image* a, const go_image* b)
{
  return a->data == b->data && a->type == b->type &&
    memcmp(a->extent, b->extent, sizeof(a->extent)) == 0 &&
    memcmp(a->increments, b->increments, sizeof(a->increments)) == 0;
}

go_status go_ao_subvoxel_samples(const go_image* image, int magnitude, const go_image* values,
  const go_image* mask, const go_ao_lut* lut, const double spacing[3], size_t n, uint64_t seed,
  float* g, float* w, float* v)
{
  return go_ao_subvoxel_samples_range(
    image, magnitude, values, mask, lut, spacing, n, seed, 0, n, g, w, v);
}

/* go_ao_subvoxel_samples_range with the AVX2 form's safe cell (see
 * go_ao_inner_init). */
static go_status go_ao_samples(const go_image* image, int magnitude, const go_image* values,
  const go_image* mask, const go_ao_lut* lut, const double spacing[3], size_t n, uint64_t seed,
  size_t s0, size_t s1, const int* safe, float* g, float* w, float* v)
{
  int dims[3], a;
  double hbar, factor[3], step[3];
  go_ao_raster raster;
  go_ao_cursor cursor = { 0, 0, 0, 0, 0 };
  size_t s;
  if (!go_ao_image_ok(image) || !spacing || !g || !w || (values && !go_ao_image_ok(values)) ||
    (mask && !go_ao_image_ok(mask)) || s0 > s1 || s1 > n)
    return GO_ERROR_ARGUMENT;
  for (a = 0; a < 3; ++a)
  {
    if (!(spacing[a] > 0.0) || !isfinite(spacing[a]))
      return GO_ERROR_SPACING;
  }
  go_ao_dims(image, dims);
  hbar = (spacing[0] + spacing[1] + spacing[2]) / 3.0;
  for (a = 0; a < 3; ++a)
  {
    /* (F(+) - F(-)) / (2 h_i / hbar): the shader's "aspect" division. */
    factor[a] = dims[a] > 1 ? hbar / (2.0 * spacing[a]) : 0.0;
    step[a] = dims[a] > 1 ? (double)dims[a] / (double)(dims[a] - 1) : 0.0;
  }
  if (!magnitude && (!values || go_ao_same_image(values, image)))
  {
    /* The common case (raw scalars, value of the same array): typed loads. */
    const int want_value = values != NULL;
    /* Prefetching pays off only when the volume does not stay in cache,
     * and fetching only the leading rows only when samples are dense (four
     * or more per row of cells). Per sample (one thread, AVX2 form; none /
     * leading rows / all rows): 128^3 uint8 (2 MiB) 24 / 27 / - ns, 200^3
     * uint8 (8 MiB) 26 / 26 / -, 256^3 uint8 (16 MiB, 4 samples per row)
     * 32 / 26 / 35, 256^3 uint16 55 / 29 / 35, 400^3 uint16 (122 MiB, 0.6
     * per row) 118 / 126 / 50, 512x512x256 uint16 (2 per row) - / 128 / 49. */
    const double bytes = (double)dims[0] * (double)dims[1] * (double)dims[2] *
      (double)go_scalar_size(image->type);
    const double cells_per_sample = (dims[0] > 1 ? (double)(dims[0] - 1) : 1.0) *
      (dims[1] > 1 ? (double)(dims[1] - 1) : 1.0) * (dims[2] > 1 ? (double)(dims[2] - 1) : 1.0) /
      (double)(n ? n : 1);
    const int prefetch = bytes < GO_AO_PREFETCH_BYTES ? GO_AO_PREFETCH_NONE
      : (4.0 * cells_per_sample <= (double)(dims[0] > 1 ? dims[0] - 1 : 1) ? GO_AO_PREFETCH_LEADING
                                                                        : GO_AO_PREFETCH_ALL);
#define GO_AO_CALL(SUFFIX)                                                                       \
  go_ao_sv_##SUFFIX(                                                                             \
    image, mask, lut, dims, factor, step, n, seed, s0, s1, want_value, prefetch, safe, g, w, v);  \
  return GO_OK
    switch (image->type)
    {
      case GO_INT8: GO_AO_CALL(i8);
      case GO_UINT8: GO_AO_CALL(u8);
      case GO_INT16: GO_AO_CALL(i16);
      case GO_UINT16: GO_AO_CALL(u16);
      case GO_INT32: GO_AO_CALL(i32);
      case GO_UINT32: GO_AO_CALL(u32);
      case GO_INT64: GO_AO_CALL(i64);
      case GO_UINT64: GO_AO_CALL(u64);
      case GO_FLOAT32: GO_AO_CALL(f32);
      case GO_FLOAT64: GO_AO_CALL(f64);
      default: return GO_ERROR_TYPE;
    }
#undef GO_AO_CALL
  }
  go_ao_raster_init(&raster, dims, n);
  for (s = s0; s < s1; ++s)
  {
    double gv, weight = 1.0;
    go_ao_spos sp;
    double p[3];
    go_ao_position(&raster, seed, s, &cursor, &sp);
    go_ao_spos_p(dims, &sp, p);
    if (magnitude)
    {
      gv = go_ao_trilinear(image, dims, p);
    }
    else
    {
      double sum = 0.0;
      for (a = 0; a < 3; ++a)
      {
        double pp[3], pm[3], d;
        if (factor[a] == 0.0)
          continue;
        memcpy(pp, p, sizeof(pp));
        memcpy(pm, p, sizeof(pm));
        pp[a] += step[a];
        pm[a] -= step[a];
        d = (go_ao_trilinear(image, dims, pp) - go_ao_trilinear(image, dims, pm)) * factor[a];
        sum += d * d;
      }
      gv = sqrt(sum);
    }
    if (values)
    {
      const double fv = go_ao_trilinear(values, dims, p);
      weight = isfinite(fv) ? (double)go_ao_lut_eval(lut, fv) : 0.0;
      if (v)
        v[s - s0] = (float)fv;
    }
    else if (v)
    {
      v[s - s0] = 0.0f;
    }
    if (mask)
    {
      int ni[3];
      for (a = 0; a < 3; ++a)
        ni[a] = (int)floor(p[a] + 0.5);
      if (go_ao_fetch(mask, go_ao_offset(mask, ni[0], ni[1], ni[2])) == 0.0)
        weight = 0.0;
    }
    if (!isfinite((float)gv)) /* as stored: beyond FLT_MAX is +Inf */
      weight = 0.0;
    g[s - s0] = (float)gv;
    w[s - s0] = (float)weight;
  }
  return GO_OK;
}

go_status go_ao_subvoxel_samples_range(const go_image* image, int magnitude,
  const go_image* values, const go_image* mask, const go_ao_lut* lut, const double spacing[3],
  size_t n, uint64_t seed, size_t s0, size_t s1, float* g, float* w, float* v)
{
  return go_ao_samples(image, magnitude, values, mask, lut, spacing, n, seed, s0, s1, NULL, g, w, v);
}

size_t go_ao_subvoxel_cell(const int dims[3], size_t n, uint64_t seed, size_t s)
{
  go_ao_raster raster;
  go_ao_cursor cursor = { 0, 0, 0, 0, 0 };
  go_ao_spos sp;
  go_ao_raster_init(&raster, dims, n);
  go_ao_position(&raster, seed, s, &cursor, &sp);
  return cursor.q;
}

/* `im` seen as an image of extent `whole`: the data pointer moved (in
 * integer arithmetic) to where voxel (whole[0], whole[2], whole[4]) would
 * lie, so that the samplers' offsets from the whole box's corner land in
 * the held sub-extent. Only voxels inside im's own extent are ever read
 * (go_ao_subvoxel_samples_piece checks it first). */
static int go_ao_rebase(const go_image* im, const int whole[6], go_image* out)
{
  ptrdiff_t off = 0;
  int a;
  if (!go_ao_image_ok(im))
    return 0;
  for (a = 0; a < 3; ++a)
  {
    if (im->extent[2 * a] < whole[2 * a] || im->extent[2 * a + 1] > whole[2 * a + 1])
      return 0;
    off += (ptrdiff_t)(im->extent[2 * a] - whole[2 * a]) * im->increments[a];
  }
  *out = *im;
  out->data = (const void*)((uintptr_t)im->data -
    (uintptr_t)(off * (ptrdiff_t)go_scalar_size(im->type)));
  memcpy(out->extent, whole, sizeof(out->extent));
  return 1;
}

/* Whether `im` (extent inside whole) holds voxels c - below .. c + above
 * (clamped to the whole box) along every axis. */
static int go_ao_holds(const go_image* im, const int whole[6], const int dims[3],
  const go_ao_spos* sp, int below, int above)
{
  int a;
  for (a = 0; a < 3; ++a)
  {
    int lo = sp->c[a] - below, hi = sp->c[a] + above;
    lo = lo < 0 ? 0 : lo;
    hi = hi > dims[a] - 1 ? dims[a] - 1 : hi;
    if (lo + whole[2 * a] < im->extent[2 * a] || hi + whole[2 * a] > im->extent[2 * a + 1])
      return 0;
  }
  return 1;
}

go_status go_ao_subvoxel_samples_piece(const go_image* image, int magnitude,
  const go_image* values, const go_image* mask, const go_ao_lut* lut, const int whole[6],
  const double spacing[3], size_t n, uint64_t seed, size_t s0, size_t s1, float* g, float* w,
  float* v)
{
  go_image ri, rv, rm;
  go_ao_raster raster;
  go_ao_cursor cursor = { 0, 0, 0, 0, 0 };
  int dims[3], safe[3], a;
  size_t s;
  if (!whole || !go_ao_rebase(image, whole, &ri) || (values && !go_ao_rebase(values, whole, &rv)) ||
    (mask && !go_ao_rebase(mask, whole, &rm)) || s0 > s1 || s1 > n)
    return GO_ERROR_ARGUMENT;
  for (a = 0; a < 3; ++a)
    dims[a] = whole[2 * a + 1] - whole[2 * a] + 1;
  go_ao_raster_init(&raster, dims, n);
  for (s = s0; s < s1; ++s)
  {
    go_ao_spos sp;
    go_ao_position(&raster, seed, s, &cursor, &sp);
    if (!go_ao_holds(image, whole, dims, &sp, magnitude ? 0 : 2, magnitude ? 1 : 3) ||
      (values && !go_ao_holds(values, whole, dims, &sp, 0, 1)) ||
      (mask && !go_ao_holds(mask, whole, dims, &sp, 0, 1)))
      return GO_ERROR_ARGUMENT;
  }
  /* The AVX2 form's spare lanes read an interior cell: one whose reads
   * (c - 2 .. c + 3) the piece holds, or none (no AVX2 form). */
  for (a = 0; a < 3; ++a)
  {
    const int lo = image->extent[2 * a] - whole[2 * a], hi = image->extent[2 * a + 1] - whole[2 * a];
    safe[a] = lo + 2 > 2 ? lo + 2 : 2;
    if (safe[a] + 3 > hi || safe[a] > dims[a] - 4)
    {
      safe[0] = -1;
      break;
    }
  }
  return go_ao_samples(&ri, magnitude, values ? &rv : NULL, mask ? &rm : NULL, lut, spacing, n,
    seed, s0, s1, safe, g, w, v);
}

void go_ao_gaussian_noise(float* out, size_t n, uint64_t seed)
{
  uint64_t state = seed;
  size_t i;
  for (i = 0; i < n; i += 2)
  {
    double u1 = go_ao_uniform(&state), u2 = go_ao_uniform(&state), r;
    if (u1 < 1e-300)
      u1 = 1e-300;
    r = sqrt(-2.0 * log(u1));
    out[i] = (float)(r * cos(6.283185307179586 * u2));
    if (i + 1 < n)
      out[i + 1] = (float)(r * sin(6.283185307179586 * u2));
  }
}

/* ---------------------------------------------------------------------- */
/* Histogram                                                               */

/* Bin of a position t in bins (clamped; NaN -> 0). */
static int go_ao_bin_clamp(double t, int nbins)
{
  return !(t > 0.0) ? 0 : (t >= (double)nbins ? nbins - 1 : (int)t);
}

int go_ao_bin_of(double u, int nbins, double log_lo)
{
  return go_ao_bin_clamp((u - log_lo) / (-log_lo) * (double)nbins, nbins);
}

double go_ao_bin_centre(int b, int nbins, double log_lo)
{
  return log_lo + ((double)b + 0.5) * (-log_lo) / (double)nbins;
}

/* ln(x) for a positive normal float x, without a libm call or a branch (so
 * that a loop of it vectorises): x = 2^e m with m in [sqrt(1/2), sqrt(2)),
 * ln m = 2 atanh(z), z = (m - 1) / (m + 1), |z| <= 0.1716, by its series to
 * z^11 (truncation error < 1e-9, far below the histogram's bin width of
 * ~5e-3). Meaningless for 0, subnormals, Inf and NaN: the caller sorts those
 * out. */
static inline double go_ao_ln_normal(float x)
{
  union
  {
    float f;
    uint32_t u;
  } a, b;
  uint32_t big;
  double m, z, z2;
  int e;
  a.f = x;
  e = (int)((a.u >> 23) & 0xffu) - 127;
  b.u = (a.u & 0x007fffffu) | 0x3f800000u; /* m in [1, 2) */
  /* m > sqrt(2) (0x3fb504f4 is the first float above it): halve m exactly
   * by its exponent bits; integer-only, so the loop stays branch-free */
  big = b.u >= 0x3fb504f4u;
  b.u -= big << 23;
  e += (int)big;
  m = (double)b.f;
  z = (m - 1.0) / (m + 1.0);
  z2 = z * z;
  return (double)e * 0.6931471805599453 +
    2.0 * z *
    (1.0 + z2 * (1.0 / 3.0 + z2 * (1.0 / 5.0 + z2 * (1.0 / 7.0 + z2 * (1.0 / 9.0 + z2 / 11.0)))));
}

go_status go_ao_histogram(const float* g, const float* w, size_t n, double gmax, double log_lo,
  int nbins, double* counts, go_ao_counts* info)
{
  enum
  {
    BLOCK = 512
  };
  double lnb[BLOCK];
  size_t i0;
  go_ao_counts c;
  double ln_gmax, to_bins;
  if (!g || !counts || nbins < 1 || !(gmax > 0.0) || !(log_lo < 0.0))
    return GO_ERROR_ARGUMENT;
  memset(&c, 0, sizeof(c));
  memset(counts, 0, sizeof(double) * (size_t)nbins);
  ln_gmax = log(gmax);
  to_bins = (double)nbins / -log_lo;
  for (i0 = 0; i0 < n; i0 += BLOCK)
  {
    const size_t len = n - i0 < BLOCK ? n - i0 : BLOCK;
    size_t k;
    /* the logarithms of a block first (a loop the compiler vectorises), then
     * the classification and the scattered increments */
    for (k = 0; k < len; ++k)
      lnb[k] = go_ao_ln_normal(g[i0 + k]);
    for (k = 0; k < len; ++k)
    {
      const float x = g[i0 + k];
      const double weight = w ? (double)w[i0 + k] : 1.0;
      double t;
      if (!isfinite(x))
      {
        ++c.n_nonfinite;
        continue;
      }
      if (x <= 0.0f)
      {
        ++c.n_zero;
        continue;
      }
      if (!(weight > 0.0))
        continue;
      t = ((x >= FLT_MIN ? lnb[k] : log((double)x)) - ln_gmax - log_lo) * to_bins;
      counts[go_ao_bin_clamp(t, nbins)] += weight;
      c.total_weight += weight;
      ++c.n_binned;
    }
  }
  if (info)
    *info = c;
  return GO_OK;
}

/* go_ao_histogram's bin of one positive finite value. */
static int go_ao_bin_ref(uint32_t u, double ln_gmax, double log_lo, double to_bins, int nbins)
{
  union
  {
    uint32_t u;
    float f;
  } a;
  double l;
  a.u = u;
  l = a.f >= FLT_MIN ? go_ao_ln_normal(a.f) : log((double)a.f);
  return go_ao_bin_clamp((l - ln_gmax - log_lo) * to_bins, nbins);
}

#define GO_AO_FLT_MAX_BITS 0x7f7fffffu

#define GO_AO_LN2 0.6931471805599453

/* t = (ln x - ln_gmax - log_lo) to_bins at x = 2^E (E unbiased). */
static double go_ao_t_at_octave(int E, double ln_gmax, double log_lo, double to_bins)
{
  return ((double)E * GO_AO_LN2 - ln_gmax - log_lo) * to_bins;
}

/* The arithmetic form's constants. Why GO_AO_ARITH_MARGIN suffices: with
 * nbins <= 4096, to_bins <= 1024 and |t| < 8192 along the way, each of the
 * float roundings of k (times |e - e0|), of (e - e0) k + d[j] and of the
 * final fused sum is at most 2^-11, d[j] (|d| < 0.7 to_bins) and the series
 * (|r| < 0.059, truncation r^6 / 6 < 7e-9, r by one fused rounding) add
 * less than 1e-4, and
 * go_ao_histogram's own logarithm is within 1e-9 to_bins of ln x: |t -
 * t_ref| < 1.6e-3, under 1/256. A t within the margin of an integer k has
 * its bin in {k - 1, k}, told apart exactly by edges[k]; any other t has
 * floor(t) = floor(t_ref). Exponents outside [e_min, e_max] are clamped to
 * an octave whose whole t lies below -2 (or above nbins + 2), where the bin
 * is the first (last) one either way. */
static void go_ao_arith_init(
  go_ao_arith* a, double ln_gmax, double log_lo, double to_bins, int nbins)
{
  const double ln2 = GO_AO_LN2;
  const double origin = (ln_gmax + log_lo) / ln2; /* log2 of gmax e^log_lo */
  int E0, Elo, Ehi, j;
  memset(a, 0, sizeof(*a));
  if (nbins > 4096 || !(to_bins <= 1024.0) || !(origin > -200.0 && origin < 200.0))
    return;
  E0 = (int)floor(origin);
  Elo = E0;
  while (go_ao_t_at_octave(Elo + 1, ln_gmax, log_lo, to_bins) >= -2.0)
    --Elo;
  Ehi = E0;
  while (go_ao_t_at_octave(Ehi, ln_gmax, log_lo, to_bins) <= (double)nbins + 2.0)
    ++Ehi;
  /* normal octaves only (a subnormal then lies below the clamp), and the
   * magnitudes the margin was worked out for */
  if (Elo < -126 || Ehi > 127 || (double)(Ehi + 1 - E0) * ln2 * to_bins > 7000.0 ||
    (double)(E0 - Elo + 1) * ln2 * to_bins > 7000.0)
    return;
  a->e_min = Elo + 127;
  a->e_max = Ehi + 127;
  a->e0 = E0 + 127;
  a->k = (float)(ln2 * to_bins);
  for (j = 0; j < 8; ++j)
  {
    /* the centre of the j-th eighth of [1, 2); r is taken relative to
     * 1 / inv_c (not the centre itself), whose logarithm is -ln inv_c */
    a->inv_c[j] = (float)(1.0 / (1.0 + ((double)j + 0.5) / 8.0));
    a->d[j] = (float)((-log((double)a->inv_c[j]) + (double)E0 * ln2 - ln_gmax - log_lo) * to_bins);
  }
  for (j = 0; j < 5; ++j)
    a->q[j] = (float)((j % 2 ? -1.0 : 1.0) / (double)(j + 1) * to_bins);
  a->usable = 1;
}

go_status go_ao_binner_init(go_ao_binner* b, double gmax, double log_lo, int nbins)
{
  const double ln_gmax = log(gmax), to_bins = (double)nbins / -log_lo;
  uint32_t* edges;
  uint32_t gap = 0xffffffffu;
  int k;
  size_t c;
  if (!b)
    return GO_ERROR_ARGUMENT;
  memset(b, 0, sizeof(*b));
  if (nbins < 2 || !(gmax > 0.0) || !isfinite(gmax) || !(log_lo < 0.0) || !isfinite(log_lo))
    return GO_ERROR_ARGUMENT;
  edges = (uint32_t*)malloc(sizeof(uint32_t) * (size_t)nbins);
  if (!edges)
    return GO_ERROR_MEMORY;
  /* edges[k]: the first pattern whose bin is >= k (k = 1 .. nbins - 1),
   * searched from the exact position of the edge (the formula's logarithm
   * is within 1e-9 of it, far less than a float step) */
  for (k = 1; k < nbins; ++k)
  {
    union
    {
      float f;
      uint32_t u;
    } guess;
    uint32_t lo, hi; /* bin(lo) < k <= bin(hi), or the ends */
    const double x = exp(ln_gmax + log_lo + (double)k / to_bins);
    guess.f = (float)x;
    lo = !(x > 0.0) ? 1u : (guess.u < 1u ? 1u : guess.u);
    if (lo > GO_AO_FLT_MAX_BITS)
      lo = GO_AO_FLT_MAX_BITS;
    if (go_ao_bin_ref(1u, ln_gmax, log_lo, to_bins, nbins) >= k)
    {
      edges[k] = 1u;
    }
    else if (go_ao_bin_ref(GO_AO_FLT_MAX_BITS, ln_gmax, log_lo, to_bins, nbins) < k)
    {
      edges[k] = GO_AO_FLT_MAX_BITS + 1u; /* never reached by a finite value */
    }
    else
    {
      /* bracket by galloping from the guess, then bisect */
      uint32_t step = 1;
      hi = lo;
      if (go_ao_bin_ref(lo, ln_gmax, log_lo, to_bins, nbins) >= k)
      {
        do
        {
          hi = lo;
          lo = lo > step ? lo - step : 1u;
          step *= 2;
        } while (lo > 1u && go_ao_bin_ref(lo, ln_gmax, log_lo, to_bins, nbins) >= k);
        if (go_ao_bin_ref(lo, ln_gmax, log_lo, to_bins, nbins) >= k)
          hi = lo; /* lo == 1 is already in bin >= k */
      }
      else
      {
        do
        {
          lo = hi;
          hi = GO_AO_FLT_MAX_BITS - hi > step ? hi + step : GO_AO_FLT_MAX_BITS;
          step *= 2;
        } while (go_ao_bin_ref(hi, ln_gmax, log_lo, to_bins, nbins) < k);
      }
      while (hi - lo > 1u && go_ao_bin_ref(lo, ln_gmax, log_lo, to_bins, nbins) < k)
      {
        const uint32_t mid = lo + (hi - lo) / 2;
        if (go_ao_bin_ref(mid, ln_gmax, log_lo, to_bins, nbins) >= k)
          hi = mid;
        else
          lo = mid;
      }
      edges[k] = go_ao_bin_ref(lo, ln_gmax, log_lo, to_bins, nbins) >= k ? lo : hi;
    }
    /* the table needs increasing edges at least one pattern apart */
    if (k > 1 && !(edges[k] > edges[k - 1]))
    {
      free(edges);
      return GO_ERROR_ARGUMENT;
    }
    if (k > 1 && edges[k] - edges[k - 1] < gap)
      gap = edges[k] - edges[k - 1];
  }
  /* cells narrower than the narrowest bin: at most one edge per cell */
  b->shift = 0;
  while (b->shift < 31 && (2u << b->shift) <= gap)
    ++b->shift;
  b->nbins = nbins;
  b->first_cell = edges[1] >> b->shift;
  {
    const uint32_t last = (edges[nbins - 1] > GO_AO_FLT_MAX_BITS ? GO_AO_FLT_MAX_BITS
                                                                   : edges[nbins - 1]) >>
      b->shift;
    b->ncells = (size_t)(last - b->first_cell) + 1;
  }
  if (b->ncells > ((size_t)1 << 22))
  {
    free(edges);
    memset(b, 0, sizeof(*b));
    return GO_ERROR_ARGUMENT;
  }
  b->cells = (go_ao_bin_cell*)malloc(sizeof(go_ao_bin_cell) * (b->ncells + 2));
  if (!b->cells)
  {
    free(edges);
    go_ao_binner_free(b);
    return GO_ERROR_MEMORY;
  }
  b->cells[0].base = 0;
  b->cells[0].edge = 0xffffffffu;
  b->cells[b->ncells + 1].base = nbins - 1;
  b->cells[b->ncells + 1].edge = 0xffffffffu;
  k = 1; /* next edge not yet below the current cell's start */
  for (c = 0; c < b->ncells; ++c)
  {
    const uint64_t start = ((uint64_t)b->first_cell + c) << b->shift;
    const uint64_t end = start + ((uint64_t)1 << b->shift);
    while (k < nbins && edges[k] <= start)
      ++k;
    b->cells[c + 1].base = k - 1;
    b->cells[c + 1].edge = (k < nbins && edges[k] < end) ? edges[k] : 0xffffffffu;
  }
  edges[0] = 0u; /* unused: every pattern is in bin >= 0 */
  b->edges = edges;
  go_ao_arith_init(&b->arith, ln_gmax, log_lo, to_bins, nbins);
  return GO_OK;
}

void go_ao_binner_free(go_ao_binner* b)
{
  if (!b)
    return;
  free(b->cells);
  b->cells = NULL;
  free(b->edges);
  b->edges = NULL;
}

/* Cell of a pattern: 0 below the first cell, ncells + 1 above the last. */
static GO_AO_FORCE_INLINE size_t go_ao_cell(uint32_t u, int shift, uint32_t first, int64_t last)
{
  int64_t c = (int64_t)(u >> shift) - (int64_t)first + 1;
  c = c < 0 ? 0 : c;
  c = c > last ? last : c;
  return (size_t)c;
}

/* Bin of a positive finite pattern u. */
static GO_AO_FORCE_INLINE int go_ao_binner_bin(const go_ao_binner* b, uint32_t u)
{
  const go_ao_bin_cell* e = b->cells + go_ao_cell(u, b->shift, b->first_cell, (int64_t)b->ncells + 1);
  return e->base + (u >= e->edge);
}

/* The binner's fields in locals: the counter stores may not alias them. */
typedef struct go_ao_slotter
{
  const go_ao_bin_cell* cells;
  uint32_t first;
  int64_t last; /* ncells + 1 */
  int shift, nbins;
} go_ao_slotter;

/* Slot of any pattern: its bin when positive and finite, nbins for zeros
 * and negative values, nbins + 1 for NaN and Inf; without branches. */
static GO_AO_FORCE_INLINE int go_ao_slot(go_ao_slotter t, uint32_t u)
{
  const go_ao_bin_cell* e = t.cells + go_ao_cell(u, t.shift, t.first, t.last);
  const int bin = e->base + (u >= e->edge);
  const int special = t.nbins + ((u & 0x7fffffffu) > GO_AO_FLT_MAX_BITS);
  const int keep = -(int)(u - 1u < GO_AO_FLT_MAX_BITS); /* all ones for positive finite */
  return (bin & keep) | (special & ~keep);
}

#if GO_AO_HAVE_AVX2
/* go_ao_slot for eight patterns (shift >= 1, so every cell index fits a
 * signed 32-bit lane): the two cell words gathered, integer compares only. */
static GO_AO_AVX2 void go_ao_slots8(const go_ao_slotter* t, const uint32_t* u, int32_t* out)
{
  const __m256i sign = _mm256_set1_epi32((int)0x80000000u);
  const __m256i v = _mm256_loadu_si256((const __m256i*)(const void*)u);
  const __m256i raw = _mm256_srl_epi32(v, _mm_cvtsi32_si128(t->shift));
  __m256i c = _mm256_sub_epi32(raw, _mm256_set1_epi32((int)t->first - 1));
  __m256i edge, base, ge, bin, pos, nonfinite, special;
  c = _mm256_max_epi32(c, _mm256_setzero_si256());
  c = _mm256_min_epi32(c, _mm256_set1_epi32((int)t->last));
  edge = _mm256_i32gather_epi32((const int*)(const void*)t->cells, c, 8);
  base = _mm256_i32gather_epi32((const int*)(const void*)t->cells + 1, c, 8);
  /* u >= edge (unsigned): not (edge > u) */
  ge = _mm256_cmpgt_epi32(_mm256_xor_si256(edge, sign), _mm256_xor_si256(v, sign));
  bin = _mm256_add_epi32(base, _mm256_andnot_si256(ge, _mm256_set1_epi32(1)));
  /* u - 1 < FLT_MAX bits (unsigned): positive and finite */
  pos = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)(GO_AO_FLT_MAX_BITS ^ 0x80000000u)),
    _mm256_xor_si256(_mm256_sub_epi32(v, _mm256_set1_epi32(1)), sign));
  nonfinite = _mm256_cmpgt_epi32(_mm256_and_si256(v, _mm256_set1_epi32(0x7fffffff)),
    _mm256_set1_epi32((int)GO_AO_FLT_MAX_BITS));
  special = _mm256_sub_epi32(_mm256_set1_epi32(t->nbins), nonfinite);
  _mm256_storeu_si256((__m256i*)(void*)out, _mm256_blendv_epi8(special, bin, pos));
}
#endif

#if GO_AO_HAVE_AVX2
#define GO_AO_AVX2_FMA __attribute__((target("avx2,fma")))
#define GO_AO_AVX512 __attribute__((target("avx512f,avx512dq")))

static int go_ao_cpu_has_avx2_fma(void)
{
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") != 0 && __builtin_cpu_supports("fma") != 0;
}

static int go_ao_cpu_has_avx512(void)
{
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") != 0 && __builtin_cpu_supports("avx512dq") != 0;
}

/* For each 8-bit lane mask, the indices of its set lanes in order (one per
 * byte, zero-filled): the permutation that packs the selected lanes. */
static const uint64_t go_ao_pack_lut[256] = {
  0x0000000000000000u, 0x0000000000000000u, 0x0000000000000001u, 0x0000000000000100u,
  0x0000000000000002u, 0x0000000000000200u, 0x0000000000000201u, 0x0000000000020100u,
  0x0000000000000003u, 0x0000000000000300u, 0x0000000000000301u, 0x0000000000030100u,
  0x0000000000000302u, 0x0000000000030200u, 0x0000000000030201u, 0x0000000003020100u,
  0x0000000000000004u, 0x0000000000000400u, 0x0000000000000401u, 0x0000000000040100u,
  0x0000000000000402u, 0x0000000000040200u, 0x0000000000040201u, 0x0000000004020100u,
  0x0000000000000403u, 0x0000000000040300u, 0x0000000000040301u, 0x0000000004030100u,
  0x0000000000040302u, 0x0000000004030200u, 0x0000000004030201u, 0x0000000403020100u,
  0x0000000000000005u, 0x0000000000000500u, 0x0000000000000501u, 0x0000000000050100u,
  0x0000000000000502u, 0x0000000000050200u, 0x0000000000050201u, 0x0000000005020100u,
  0x0000000000000503u, 0x0000000000050300u, 0x0000000000050301u, 0x0000000005030100u,
  0x0000000000050302u, 0x0000000005030200u, 0x0000000005030201u, 0x0000000503020100u,
  0x0000000000000504u, 0x0000000000050400u, 0x0000000000050401u, 0x0000000005040100u,
  0x0000000000050402u, 0x0000000005040200u, 0x0000000005040201u, 0x0000000504020100u,
  0x0000000000050403u, 0x0000000005040300u, 0x0000000005040301u, 0x0000000504030100u,
  0x0000000005040302u, 0x0000000504030200u, 0x0000000504030201u, 0x0000050403020100u,
  0x0000000000000006u, 0x0000000000000600u, 0x0000000000000601u, 0x0000000000060100u,
  0x0000000000000602u, 0x0000000000060200u, 0x0000000000060201u, 0x0000000006020100u,
  0x0000000000000603u, 0x0000000000060300u, 0x0000000000060301u, 0x0000000006030100u,
  0x0000000000060302u, 0x0000000006030200u, 0x0000000006030201u, 0x0000000603020100u,
  0x0000000000000604u, 0x0000000000060400u, 0x0000000000060401u, 0x0000000006040100u,
  0x0000000000060402u, 0x0000000006040200u, 0x0000000006040201u, 0x0000000604020100u,
  0x0000000000060403u, 0x0000000006040300u, 0x0000000006040301u, 0x0000000604030100u,
  0x0000000006040302u, 0x0000000604030200u, 0x0000000604030201u, 0x0000060403020100u,
  0x0000000000000605u, 0x0000000000060500u, 0x0000000000060501u, 0x0000000006050100u,
  0x0000000000060502u, 0x0000000006050200u, 0x0000000006050201u, 0x0000000605020100u,
  0x0000000000060503u, 0x0000000006050300u, 0x0000000006050301u, 0x0000000605030100u,
  0x0000000006050302u, 0x0000000605030200u, 0x0000000605030201u, 0x0000060503020100u,
  0x0000000000060504u, 0x0000000006050400u, 0x0000000006050401u, 0x0000000605040100u,
  0x0000000006050402u, 0x0000000605040200u, 0x0000000605040201u, 0x0000060504020100u,
  0x0000000006050403u, 0x0000000605040300u, 0x0000000605040301u, 0x0000060504030100u,
  0x0000000605040302u, 0x0000060504030200u, 0x0000060504030201u, 0x0006050403020100u,
  0x0000000000000007u, 0x0000000000000700u, 0x0000000000000701u, 0x0000000000070100u,
  0x0000000000000702u, 0x0000000000070200u, 0x0000000000070201u, 0x0000000007020100u,
  0x0000000000000703u, 0x0000000000070300u, 0x0000000000070301u, 0x0000000007030100u,
  0x0000000000070302u, 0x0000000007030200u, 0x0000000007030201u, 0x0000000703020100u,
  0x0000000000000704u, 0x0000000000070400u, 0x0000000000070401u, 0x0000000007040100u,
  0x0000000000070402u, 0x0000000007040200u, 0x0000000007040201u, 0x0000000704020100u,
  0x0000000000070403u, 0x0000000007040300u, 0x0000000007040301u, 0x0000000704030100u,
  0x0000000007040302u, 0x0000000704030200u, 0x0000000704030201u, 0x0000070403020100u,
  0x0000000000000705u, 0x0000000000070500u, 0x0000000000070501u, 0x0000000007050100u,
  0x0000000000070502u, 0x0000000007050200u, 0x0000000007050201u, 0x0000000705020100u,
  0x0000000000070503u, 0x0000000007050300u, 0x0000000007050301u, 0x0000000705030100u,
  0x0000000007050302u, 0x0000000705030200u, 0x0000000705030201u, 0x0000070503020100u,
  0x0000000000070504u, 0x0000000007050400u, 0x0000000007050401u, 0x0000000705040100u,
  0x0000000007050402u, 0x0000000705040200u, 0x0000000705040201u, 0x0000070504020100u,
  0x0000000007050403u, 0x0000000705040300u, 0x0000000705040301u, 0x0000070504030100u,
  0x0000000705040302u, 0x0000070504030200u, 0x0000070504030201u, 0x0007050403020100u,
  0x0000000000000706u, 0x0000000000070600u, 0x0000000000070601u, 0x0000000007060100u,
  0x0000000000070602u, 0x0000000007060200u, 0x0000000007060201u, 0x0000000706020100u,
  0x0000000000070603u, 0x0000000007060300u, 0x0000000007060301u, 0x0000000706030100u,
  0x0000000007060302u, 0x0000000706030200u, 0x0000000706030201u, 0x0000070603020100u,
  0x0000000000070604u, 0x0000000007060400u, 0x0000000007060401u, 0x0000000706040100u,
  0x0000000007060402u, 0x0000000706040200u, 0x0000000706040201u, 0x0000070604020100u,
  0x0000000007060403u, 0x0000000706040300u, 0x0000000706040301u, 0x0000070604030100u,
  0x0000000706040302u, 0x0000070604030200u, 0x0000070604030201u, 0x0007060403020100u,
  0x0000000000070605u, 0x0000000007060500u, 0x0000000007060501u, 0x0000000706050100u,
  0x0000000007060502u, 0x0000000706050200u, 0x0000000706050201u, 0x0000070605020100u,
  0x0000000007060503u, 0x0000000706050300u, 0x0000000706050301u, 0x0000070605030100u,
  0x0000000706050302u, 0x0000070605030200u, 0x0000070605030201u, 0x0007060503020100u,
  0x0000000007060504u, 0x0000000706050400u, 0x0000000706050401u, 0x0000070605040100u,
  0x0000000706050402u, 0x0000070605040200u, 0x0000070605040201u, 0x0007060504020100u,
  0x0000000706050403u, 0x0000070605040300u, 0x0000070605040301u, 0x0007060504030100u,
  0x0000070605040302u, 0x0007060504030200u, 0x0007060504030201u, 0x0706050403020100u,
};

/* 4 measured as fast as 8 or 16 and needs a quarter of the L1 cache of 16 */
#define GO_AO_ARITH_COPIES 4

/* The scattered increments of m bins, a loop of loads and adds only:
 * value r into copy r mod GO_AO_ARITH_COPIES. */
static inline void go_ao_count_slots(const uint16_t* slot, size_t m, uint32_t* cnt, size_t stride)
{
  size_t k;
  for (k = 0; k + GO_AO_ARITH_COPIES <= m; k += GO_AO_ARITH_COPIES)
  {
    size_t r;
    for (r = 0; r < GO_AO_ARITH_COPIES; ++r)
      ++cnt[r * stride + slot[k + r]];
  }
  for (; k < m; ++k)
    ++cnt[(k % GO_AO_ARITH_COPIES) * stride + slot[k]];
}

/* The packing scans' tail: u[i .. len) one value at a time, then the last
 * group of packed values padded to a whole group with copies of its first
 * value (binned, not counted). Returns the packed count. */
static size_t go_ao_pack_rest(const uint32_t* u, size_t i, size_t len, uint32_t* packed,
  size_t m, size_t group, size_t* nn, size_t* nz)
{
  size_t r;
  for (; i < len; ++i)
  {
    if (u[i] - 1u < GO_AO_FLT_MAX_BITS)
      packed[m++] = u[i];
    else if ((u[i] & 0x7fffffffu) > GO_AO_FLT_MAX_BITS)
      ++*nn;
    else
      ++*nz;
  }
  for (r = m; r % group != 0; ++r)
    packed[r] = packed[m - m % group];
  return m;
}

/* Bins of eight positive finite patterns by the arithmetic form (see
 * go_ao_arith_init for why it is exact). */
static GO_AO_AVX2_FMA inline __m256i go_ao_arith_bins8(const go_ao_arith* a,
  const uint32_t* edges, int nbins, __m256i v)
{
  const __m256i e = _mm256_min_epi32(_mm256_max_epi32(_mm256_srli_epi32(v, 23),
                                       _mm256_set1_epi32(a->e_min)),
    _mm256_set1_epi32(a->e_max));
  const __m256 ef = _mm256_cvtepi32_ps(_mm256_sub_epi32(e, _mm256_set1_epi32(a->e0)));
  const __m256 m = _mm256_castsi256_ps(_mm256_or_si256(
    _mm256_and_si256(v, _mm256_set1_epi32(0x007fffff)), _mm256_set1_epi32(0x3f800000)));
  /* vpermps reads the low three bits of each index: mantissa bits 20..22 */
  const __m256i j = _mm256_srli_epi32(v, 20);
  const __m256 ic = _mm256_permutevar8x32_ps(_mm256_loadu_ps(a->inv_c), j);
  const __m256 d = _mm256_permutevar8x32_ps(_mm256_loadu_ps(a->d), j);
  /* r = m / c - 1 with c = 1 / inv_c exactly (d holds ln c of that c) */
  const __m256 r = _mm256_fmsub_ps(m, ic, _mm256_set1_ps(1.0f));
  __m256 p = _mm256_fmadd_ps(r, _mm256_set1_ps(a->q[4]), _mm256_set1_ps(a->q[3]));
  __m256 t, rt, dist;
  __m256i bin, near;
  p = _mm256_fmadd_ps(r, p, _mm256_set1_ps(a->q[2]));
  p = _mm256_fmadd_ps(r, p, _mm256_set1_ps(a->q[1]));
  p = _mm256_fmadd_ps(r, p, _mm256_set1_ps(a->q[0]));
  t = _mm256_fmadd_ps(r, p, _mm256_fmadd_ps(ef, _mm256_set1_ps(a->k), d));
  /* truncation is floor for t >= 0, and every t < 0 clamps to bin 0 */
  bin = _mm256_min_epi32(_mm256_max_epi32(_mm256_cvttps_epi32(t), _mm256_setzero_si256()),
    _mm256_set1_epi32(nbins - 1));
  rt = _mm256_round_ps(t, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  dist = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), _mm256_sub_ps(t, rt));
  near = _mm256_castps_si256(_mm256_cmp_ps(dist, _mm256_set1_ps(GO_AO_ARITH_MARGIN), _CMP_LT_OQ));
  if (!_mm256_testz_si256(near, near))
  {
    /* bin k - 1 or k for the nearest integer k: the edge pattern decides */
    const __m256i sign = _mm256_set1_epi32((int)0x80000000u);
    __m256i k = _mm256_cvtps_epi32(rt);
    __m256i edge, below, fb;
    k = _mm256_min_epi32(_mm256_max_epi32(k, _mm256_set1_epi32(1)), _mm256_set1_epi32(nbins - 1));
    edge = _mm256_i32gather_epi32((const int*)(const void*)edges, k, 4);
    below = _mm256_cmpgt_epi32(_mm256_xor_si256(edge, sign), _mm256_xor_si256(v, sign));
    fb = _mm256_add_epi32(k, below); /* k - 1 where u < edges[k]: below is -1 there */
    bin = _mm256_blendv_epi8(bin, fb, near);
  }
  return bin;
}

/* The unweighted histogram by the arithmetic form: per block, the positive
 * finite values packed together (zeros, negatives and non-finite values are
 * only counted, by popcounts of lane masks), their bins computed eight at a
 * time into a buffer of 16-bit words, then counted into GO_AO_ARITH_COPIES
 * interleaved counters (value r into copy r mod copies: a run of equal bins
 * does not wait on one counter). */
static GO_AO_AVX2_FMA void go_ao_histogram_arith(const go_ao_binner* b, const uint32_t* bits,
  size_t n, uint32_t* cnt, size_t stride, size_t* n_zero, size_t* n_nonfinite)
{
  enum
  {
    BLOCK = 2048
  };
  uint32_t packed[BLOCK + 8];
  uint16_t slot[BLOCK + 8];
  const go_ao_arith a = b->arith;
  const uint32_t* edges = b->edges;
  const int nbins = b->nbins;
  const __m256i one = _mm256_set1_epi32(1);
  const __m256i posmax = _mm256_set1_epi32((int)(GO_AO_FLT_MAX_BITS ^ 0x80000000u));
  const __m256i absmask = _mm256_set1_epi32(0x7fffffff);
  const __m256i fltmax = _mm256_set1_epi32((int)GO_AO_FLT_MAX_BITS);
  const __m256i sign = _mm256_set1_epi32((int)0x80000000u);
  size_t nz = 0, nn = 0, i0;
  for (i0 = 0; i0 < n; i0 += BLOCK)
  {
    const size_t len = n - i0 < BLOCK ? n - i0 : BLOCK;
    const uint32_t* u = bits + i0;
    size_t i = 0, m = 0, k;
    for (; i + 8 <= len; i += 8)
    {
      const __m256i v = _mm256_loadu_si256((const __m256i*)(const void*)(u + i));
      /* u - 1 < FLT_MAX bits (unsigned): positive and finite */
      const __m256i pos = _mm256_cmpgt_epi32(posmax, _mm256_xor_si256(_mm256_sub_epi32(v, one), sign));
      const __m256i inf = _mm256_cmpgt_epi32(_mm256_and_si256(v, absmask), fltmax);
      const unsigned pm = (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(pos));
      const unsigned im = (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(inf));
      const __m256i idx = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i*)(const void*)(go_ao_pack_lut + pm)));
      _mm256_storeu_si256((__m256i*)(void*)(packed + m), _mm256_permutevar8x32_epi32(v, idx));
      m += (size_t)__builtin_popcount(pm);
      nn += (size_t)__builtin_popcount(im);
      nz += 8u - (size_t)__builtin_popcount(pm | im);
    }
    m = go_ao_pack_rest(u, i, len, packed, m, 8, &nn, &nz);
    /* the bins of the packed values as 16-bit words (nbins <= 4096) */
    for (k = 0; k < m; k += 8)
    {
      const __m256i bin = go_ao_arith_bins8(
        &a, edges, nbins, _mm256_loadu_si256((const __m256i*)(const void*)(packed + k)));
      const __m256i w16 = _mm256_permute4x64_epi64(_mm256_packus_epi32(bin, bin), 0x08);
      _mm_storeu_si128((__m128i*)(void*)(slot + k), _mm256_castsi256_si128(w16));
    }
    go_ao_count_slots(slot, m, cnt, stride);
  }
  *n_zero += nz;
  *n_nonfinite += nn;
}

/* go_ao_arith_bins8 for sixteen patterns: the same operations per lane
 * (the same t, the same bins); tables of eight repeated to sixteen. A lane
 * within the margin of an edge is not resolved here (with sixteen lanes a
 * branch to a gather would be taken, and mispredicted, every few vectors):
 * its bin is nbins (a placeholder slot), *near marks it and *t holds the
 * value whose nearest integer k is the edge index deciding between bins
 * k - 1 and k. */
static GO_AO_AVX512 inline __m512i go_ao_arith_bins16(const go_ao_arith* a, int nbins,
  __m512 inv_c, __m512 d, __m512i v, __m512* tv, __mmask16* near)
{
  const __m512i e = _mm512_min_epi32(_mm512_max_epi32(_mm512_srli_epi32(v, 23),
                                       _mm512_set1_epi32(a->e_min)),
    _mm512_set1_epi32(a->e_max));
  const __m512 ef = _mm512_cvtepi32_ps(_mm512_sub_epi32(e, _mm512_set1_epi32(a->e0)));
  const __m512 m = _mm512_castsi512_ps(_mm512_or_si512(
    _mm512_and_si512(v, _mm512_set1_epi32(0x007fffff)), _mm512_set1_epi32(0x3f800000)));
  /* vpermps reads the low four bits of each index: mantissa bits 20..22
   * and the exponent's lowest, which picks the same entry of either half */
  const __m512i j = _mm512_srli_epi32(v, 20);
  const __m512 ic = _mm512_permutexvar_ps(j, inv_c);
  const __m512 dj = _mm512_permutexvar_ps(j, d);
  const __m512 r = _mm512_fmsub_ps(m, ic, _mm512_set1_ps(1.0f));
  __m512 p = _mm512_fmadd_ps(r, _mm512_set1_ps(a->q[4]), _mm512_set1_ps(a->q[3]));
  __m512 t;
  __m512i bin;
  p = _mm512_fmadd_ps(r, p, _mm512_set1_ps(a->q[2]));
  p = _mm512_fmadd_ps(r, p, _mm512_set1_ps(a->q[1]));
  p = _mm512_fmadd_ps(r, p, _mm512_set1_ps(a->q[0]));
  t = _mm512_fmadd_ps(r, p, _mm512_fmadd_ps(ef, _mm512_set1_ps(a->k), dj));
  bin = _mm512_min_epi32(_mm512_max_epi32(_mm512_cvttps_epi32(t), _mm512_setzero_si512()),
    _mm512_set1_epi32(nbins - 1));
  /* vreduceps: t - (t rounded to nearest), exactly the roundscale and
   * subtraction of the eight-lane form in one instruction */
  *near = _mm512_cmp_ps_mask(_mm512_abs_ps(_mm512_reduce_ps(t, _MM_FROUND_TO_NEAREST_INT)),
    _mm512_set1_ps(GO_AO_ARITH_MARGIN), _CMP_LT_OQ);
  *tv = t;
  return _mm512_mask_blend_epi32(*near, bin, _mm512_set1_epi32(nbins));
}

/* go_ao_histogram_arith with sixteen lanes. A vector of positive finite
 * values (all of them on noisy data) is binned as loaded; the positive
 * finite lanes of the other vectors are compressed together and binned
 * after the scan (zeros, negative and non-finite values are only counted,
 * by popcounts of lane masks). The lanes near an edge are compressed into
 * a list and counted after the block, each bin told by its edge pattern
 * (cnt has a placeholder column nbins). */
static GO_AO_AVX512 void go_ao_histogram_arith16(const go_ao_binner* b, const uint32_t* bits,
  size_t n, uint32_t* cnt, size_t stride, size_t* n_zero, size_t* n_nonfinite)
{
  enum
  {
    BLOCK = 2048
  };
  uint32_t packed[BLOCK + 16], near_u[BLOCK + 16];
  float near_t[BLOCK + 16];
  uint16_t slot[BLOCK + 16];
  float inv_c[16], d[16];
  const go_ao_arith a = b->arith;
  const uint32_t* edges = b->edges;
  const int nbins = b->nbins;
  const __m512i one = _mm512_set1_epi32(1);
  const __m512i absmask = _mm512_set1_epi32(0x7fffffff);
  const __m512i fltmax = _mm512_set1_epi32((int)GO_AO_FLT_MAX_BITS);
  __m512 vinv_c, vd;
  size_t nz = 0, nn = 0, i0;
  int q;
  for (q = 0; q < 16; ++q)
  {
    inv_c[q] = a.inv_c[q & 7];
    d[q] = a.d[q & 7];
  }
  vinv_c = _mm512_loadu_ps(inv_c);
  vd = _mm512_loadu_ps(d);
  for (i0 = 0; i0 < n; i0 += BLOCK)
  {
    const size_t len = n - i0 < BLOCK ? n - i0 : BLOCK;
    const uint32_t* u = bits + i0;
    size_t i = 0, m = 0, s = 0, nm = 0, k;
    for (; i + 16 <= len; i += 16)
    {
      const __m512i v = _mm512_loadu_si512((const void*)(u + i));
      /* u - 1 < FLT_MAX bits (unsigned): positive and finite */
      const __mmask16 pos = _mm512_cmplt_epu32_mask(_mm512_sub_epi32(v, one), fltmax);
      if (pos == 0xffffu)
      {
        __m512 t;
        __mmask16 near;
        const __m512i bin = go_ao_arith_bins16(&a, nbins, vinv_c, vd, v, &t, &near);
        _mm256_storeu_si256((__m256i*)(void*)(slot + s), _mm512_cvtepi32_epi16(bin));
        _mm512_storeu_si512((void*)(near_u + nm), _mm512_maskz_compress_epi32(near, v));
        _mm512_storeu_ps(near_t + nm, _mm512_maskz_compress_ps(near, t));
        nm += (size_t)__builtin_popcount((unsigned)near);
        s += 16;
      }
      else
      {
        const __mmask16 inf = _mm512_cmpgt_epu32_mask(_mm512_and_si512(v, absmask), fltmax);
        _mm512_storeu_si512((void*)(packed + m), _mm512_maskz_compress_epi32(pos, v));
        m += (size_t)__builtin_popcount(pos);
        nn += (size_t)__builtin_popcount(inf);
        nz += 16u - (size_t)__builtin_popcount((unsigned)(pos | inf));
      }
    }
    m = go_ao_pack_rest(u, i, len, packed, m, 16, &nn, &nz);
    for (k = 0; k < m; k += 16)
    {
      const __m512i v = _mm512_loadu_si512((const void*)(packed + k));
      __m512 t;
      __mmask16 near;
      const __m512i bin = go_ao_arith_bins16(&a, nbins, vinv_c, vd, v, &t, &near);
      _mm256_storeu_si256((__m256i*)(void*)(slot + s + k), _mm512_cvtepi32_epi16(bin));
      _mm512_storeu_si512((void*)(near_u + nm), _mm512_maskz_compress_epi32(near, v));
      _mm512_storeu_ps(near_t + nm, _mm512_maskz_compress_ps(near, t));
      /* the padding lanes (k + lane >= m) are not counted */
      nm += (size_t)__builtin_popcount(
        (unsigned)near & (m - k >= 16 ? 0xffffu : (1u << (m - k)) - 1u));
    }
    go_ao_count_slots(slot, s + m, cnt, stride);
    for (k = 0; k < nm; ++k)
    {
      /* the edge index: t's nearest integer, as the eight-lane form takes it */
      const float kt = rintf(near_t[k]);
      const int e = kt < 1.0f ? 1 : (kt > (float)(nbins - 1) ? nbins - 1 : (int)kt);
      ++cnt[e - (near_u[k] < edges[e])];
    }
  }
  *n_zero += nz;
  *n_nonfinite += nn;
}
#endif

go_status go_ao_histogram_binned(const go_ao_binner* b, const float* g, const float* w,
  size_t n, double* counts, go_ao_counts* info)
{
  enum
  {
    COPIES = 4,            /* interleaved counters: repeated bins do not wait on each other */
    SPAN = 1 << 30         /* values per pass of the 32-bit counters */
  };
  go_ao_counts c;
  const uint32_t* bits = (const uint32_t*)(const void*)g;
  size_t i;
  int k;
  if (!b || !b->cells || !g || !counts)
    return GO_ERROR_ARGUMENT;
  memset(&c, 0, sizeof(c));
  memset(counts, 0, sizeof(double) * (size_t)b->nbins);
  if (w)
  {
    /* the weights are added in order, as go_ao_histogram adds them */
    for (i = 0; i < n; ++i)
    {
      const uint32_t u = bits[i];
      const double weight = (double)w[i];
      if (u - 1u >= GO_AO_FLT_MAX_BITS)
      {
        if ((u & 0x7fffffffu) > GO_AO_FLT_MAX_BITS)
          ++c.n_nonfinite;
        else
          ++c.n_zero; /* +-0 and negative values */
        continue;
      }
      if (!(weight > 0.0))
        continue;
      counts[go_ao_binner_bin(b, u)] += weight;
      c.total_weight += weight;
      ++c.n_binned;
    }
  }
#if GO_AO_HAVE_AVX2
  else if (b->arith.usable && b->edges && go_ao_simd_enabled && go_ao_cpu_has_avx2_fma())
  {
    /* column nbins of each copy: placeholders (go_ao_histogram_arith16) */
    const size_t stride = (size_t)b->nbins + 1;
    const int wide = go_ao_simd_enabled >= 2 && go_ao_cpu_has_avx512();
    uint32_t* cnt = (uint32_t*)calloc((size_t)GO_AO_ARITH_COPIES * stride, sizeof(uint32_t));
    size_t i0;
    if (!cnt)
      return GO_ERROR_MEMORY;
    for (i0 = 0; i0 < n; i0 += SPAN)
    {
      const size_t len = n - i0 < SPAN ? n - i0 : SPAN;
      size_t r, q;
      (wide ? go_ao_histogram_arith16 : go_ao_histogram_arith)(
        b, bits + i0, len, cnt, stride, &c.n_zero, &c.n_nonfinite);
      /* the copies added into the first (no overflow: at most SPAN in all),
       * contiguous loops the compiler vectorises */
      for (r = 1; r < GO_AO_ARITH_COPIES; ++r)
        for (q = 0; q < stride; ++q)
          cnt[q] += cnt[r * stride + q];
      for (q = 0; q < (size_t)b->nbins; ++q)
      {
        counts[q] += (double)cnt[q];
        c.n_binned += (size_t)cnt[q];
      }
      if (i0 + len < n)
        memset(cnt, 0, sizeof(uint32_t) * (size_t)GO_AO_ARITH_COPIES * stride);
    }
    free(cnt);
    c.total_weight = (double)c.n_binned;
  }
#endif
  else
  {
    /* weight 1: integer counts, exact, as the sums of 1.0 are. Branch-free:
     * zeros and negatives count in slot nbins, NaN and Inf in nbins + 1. */
    const size_t slots = (size_t)b->nbins + 2;
    uint32_t* cnt = (uint32_t*)calloc((size_t)COPIES * slots, sizeof(uint32_t));
    go_ao_slotter t;
    int simd;
    t.cells = b->cells;
    t.first = b->first_cell;
    t.last = (int64_t)b->ncells + 1;
    t.shift = b->shift;
    t.nbins = b->nbins;
    /* the AVX2 form needs the cell indices to fit signed 32-bit lanes */
    simd = go_ao_simd_enabled && b->shift >= 1 && go_ao_cpu_has_avx2();
    (void)simd; /* without the AVX2 form */
    size_t i0;
    if (!cnt)
      return GO_ERROR_MEMORY;
    for (i0 = 0; i0 < n; i0 += SPAN)
    {
      const size_t i1 = n - i0 < SPAN ? n : i0 + SPAN;
      i = i0;
#if GO_AO_HAVE_AVX2
      if (simd)
      {
        for (; i + 8 <= i1; i += 8)
        {
          int32_t sl[8];
          int r;
          go_ao_slots8(&t, bits + i, sl);
          for (r = 0; r < 8; ++r)
            ++cnt[(size_t)(r & (COPIES - 1)) * slots + (size_t)sl[r]];
        }
      }
#endif
      for (; i + COPIES <= i1; i += COPIES)
      {
        int r;
        for (r = 0; r < COPIES; ++r)
          ++cnt[(size_t)r * slots + (size_t)go_ao_slot(t, bits[i + (size_t)r])];
      }
      for (; i < i1; ++i)
        ++cnt[(size_t)go_ao_slot(t, bits[i])];
      for (k = 0; k < b->nbins + 2; ++k)
      {
        uint64_t sum = 0;
        int r;
        for (r = 0; r < COPIES; ++r)
        {
          sum += cnt[(size_t)r * slots + (size_t)k];
          cnt[(size_t)r * slots + (size_t)k] = 0;
        }
        if (k < b->nbins)
        {
          counts[k] += (double)sum;
          c.n_binned += (size_t)sum;
        }
        else if (k == b->nbins)
          c.n_zero += (size_t)sum;
        else
          c.n_nonfinite += (size_t)sum;
      }
    }
    free(cnt);
    c.total_weight = (double)c.n_binned;
  }
  if (info)
    *info = c;
  return GO_OK;
}

go_status go_ao_histogram2d(const float* v, const float* g, const float* w, size_t n, double vmin,
  double vspan, double ymin, double yspan, int nx, int ny, double* counts)
{
  size_t s;
  if (!v || !g || !counts || nx < 1 || ny < 1 || !(vspan > 0.0) || !(yspan > 0.0))
    return GO_ERROR_ARGUMENT;
  memset(counts, 0, sizeof(double) * (size_t)nx * (size_t)ny);
  for (s = 0; s < n; ++s)
  {
    const double weight = w ? (double)w[s] : 1.0;
    double x, y;
    int i, j;
    if (!isfinite(v[s]) || !isfinite(g[s]) || !(weight > 0.0))
      continue;
    x = ((double)v[s] - vmin) / vspan;
    y = ((double)g[s] - ymin) / yspan;
    x = x < 0.0 ? 0.0 : (x > 1.0 ? 1.0 : x);
    y = y < 0.0 ? 0.0 : (y > 1.0 ? 1.0 : y);
    i = (int)(x * nx);
    j = (int)(y * ny);
    if (i >= nx)
      i = nx - 1;
    if (j >= ny)
      j = ny - 1;
    counts[(size_t)j * (size_t)nx + (size_t)i] += weight;
  }
  return GO_OK;
}

go_status go_kd_accumulate(const float* v, const float* g, const float* h, size_t n, double power,
  double* n1, double gmin,
  double vmin, double vspan, double gspan, int nv, int ng, double* cnt1, double* sum_g1,
  double* sum_h1, double* cnt2, double* sum_h2)
{
  size_t s;
  if (!v || !g || !h || !cnt1 || !sum_g1 || !sum_h1 || nv < 1 || !(vspan > 0.0) ||
    ((cnt2 || sum_h2) && (!cnt2 || !sum_h2 || ng < 1 || !(gspan > 0.0))))
    return GO_ERROR_ARGUMENT;
  for (s = 0; s < n; ++s)
  {
    double x, y, w;
    int i, j;
    if (!isfinite(v[s]) || !isfinite(g[s]) || !isfinite(h[s]) || !((double)g[s] > gmin))
      continue;
    w = power == 0.0 ? 1.0 : (power == 1.0 ? (double)g[s] : pow((double)g[s], power));
    x = ((double)v[s] - vmin) / vspan;
    x = x < 0.0 ? 0.0 : (x > 1.0 ? 1.0 : x);
    i = (int)(x * nv);
    if (i >= nv)
      i = nv - 1;
    if (n1)
      n1[i] += 1.0;
    cnt1[i] += w;
    sum_g1[i] += w * (double)g[s];
    sum_h1[i] += w * (double)h[s];
    if (cnt2)
    {
      y = (double)g[s] / gspan;
      y = y > 1.0 ? 1.0 : y;
      j = (int)(y * ng);
      if (j >= ng)
        j = ng - 1;
      cnt2[(size_t)j * (size_t)nv + (size_t)i] += 1.0;
      sum_h2[(size_t)j * (size_t)nv + (size_t)i] += (double)h[s];
    }
  }
  return GO_OK;
}

void go_kd_directional(const float* grad_f, const float* grad_g, size_t n, float* h)
{
  size_t s;
  for (s = 0; s < n; ++s)
  {
    const float* a = grad_f + 3 * s;
    const float* b = grad_g + 3 * s;
    const double m = sqrt((double)a[0] * a[0] + (double)a[1] * a[1] + (double)a[2] * a[2]);
    h[s] = m > 0.0 ? (float)(((double)a[0] * b[0] + (double)a[1] * b[1] + (double)a[2] * b[2]) / m)
                   : 0.0f;
  }
}

void go_ao_smooth(const double* in, double* out, int nbins, double sigma)
{
  int b, k, r;
  double* kernel;
  if (!(sigma > 0.0))
  {
    memmove(out, in, sizeof(double) * (size_t)nbins);
    return;
  }
  r = (int)(4.0 * sigma + 0.5);
  if (r < 1)
    r = 1;
  kernel = (double*)malloc(sizeof(double) * (size_t)(2 * r + 1));
  if (!kernel)
  {
    memmove(out, in, sizeof(double) * (size_t)nbins);
    return;
  }
  for (k = -r; k <= r; ++k)
    kernel[k + r] = exp(-0.5 * (double)k * (double)k / (sigma * sigma));
  for (b = 0; b < nbins; ++b)
  {
    double sum = 0.0, norm = 0.0;
    for (k = -r; k <= r; ++k)
    {
      const int j = b + k;
      if (j < 0 || j >= nbins)
        continue;
      sum += kernel[k + r] * in[j];
      norm += kernel[k + r];
    }
    out[b] = norm > 0.0 ? sum / norm : 0.0;
  }
  free(kernel);
}

double go_ao_quantile(const double* counts, int nbins, double log_lo, int first, double q)
{
  double total = 0.0, target, acc = 0.0, width = -log_lo / (double)nbins;
  int b;
  if (first < 0)
    first = 0;
  for (b = first; b < nbins; ++b)
    total += counts[b];
  if (!(total > 0.0))
    return 1.0;
  target = q * total;
  for (b = first; b < nbins; ++b)
  {
    if (counts[b] > 0.0 && acc + counts[b] >= target)
    {
      const double frac = (target - acc) / counts[b];
      return log_lo + ((double)b + frac) * width;
    }
    acc += counts[b];
  }
  return log_lo + (double)nbins * width;
}

/* ---------------------------------------------------------------------- */
/* Robust noise sigma                                                      */

/* Order-preserving 64-bit key of a double (NaN excluded by the callers). */
static GO_AO_FORCE_INLINE uint64_t go_ao_key(double x)
{
  uint64_t u;
  memcpy(&u, &x, sizeof(u));
  return u ^ ((u >> 63) ? ~(uint64_t)0 : ((uint64_t)1 << 63));
}

/* k-th smallest (0-based) of v[0..n-1] (finite values); v is not changed.
 * A radix selection on go_ao_key, eight bits at a time from the top: each
 * pass counts the next digit of the candidates (the values whose higher
 * digits are those of the k-th) and stops once they are all equal. A few
 * linear, branch-light passes instead of a comparison selection; the
 * result is the same element. */
static double go_ao_select(const double* v, size_t n, size_t k)
{
  uint64_t prefix = 0, pmask = 0;
  int shift;
  for (shift = 56; shift >= 0; shift -= 8)
  {
    size_t count[256] = { 0 }, below = 0, i;
    uint64_t lo = ~(uint64_t)0, hi = 0;
    unsigned bucket = 0;
    for (i = 0; i < n; ++i)
    {
      const uint64_t key = go_ao_key(v[i]);
      if ((key & pmask) == prefix)
      {
        ++count[(key >> shift) & 0xffu];
        lo = key < lo ? key : lo;
        hi = key > hi ? key : hi;
      }
    }
    if (lo == hi)
    {
      prefix = lo; /* all candidates are the same value */
      break;
    }
    while (below + count[bucket] <= k)
      below += count[bucket++];
    k -= below;
    prefix |= (uint64_t)bucket << shift;
    pmask |= (uint64_t)0xffu << shift;
  }
  prefix ^= (prefix >> 63) ? ((uint64_t)1 << 63) : ~(uint64_t)0;
  {
    double out;
    memcpy(&out, &prefix, sizeof(out));
    return out;
  }
}

static double go_ao_median(const double* v, size_t n)
{
  return go_ao_select(v, n, n / 2);
}

#define GO_AO_MAD_AHEAD 16

double go_ao_mad_sigma(const go_image* scalars, const go_image* mask, size_t max_pairs)
{
  int dims[3], a;
  size_t total = 0, base[4], stride, count = 0, idx, npairs = 0, elem;
  size_t lim0 = 1, lim1 = 1, di = 0, dj = 0, dk = 0, i = 0, j = 0, k = 0;
  double* d;
  int64_t* off;
  double med, mad;
  if (!go_ao_image_ok(scalars) || max_pairs < 1)
    return 0.0;
  go_ao_dims(scalars, dims);
  for (a = 0; a < 3; ++a)
  {
    base[a] = total;
    if (dims[a] > 1)
      total += (size_t)(dims[a] - 1) * (size_t)dims[(a + 1) % 3] * (size_t)dims[(a + 2) % 3];
  }
  base[3] = total;
  if (total == 0)
    return 0.0;
  stride = (total + max_pairs - 1) / max_pairs;
  if (stride < 1)
    stride = 1;
  d = (double*)malloc(sizeof(double) * (total / stride + 1));
  if (!d)
    return 0.0;
  /* Pass 1 lists the pairs to read (inside the mask) as (offset of the
   * first voxel) * 4 + axis in d's storage; pass 2 reads them in order with
   * prefetching (the pairs are strided across the whole volume: every read
   * misses the cache) and overwrites the list with the differences. */
  off = (int64_t*)(void*)d;
  /* Pair idx enumerates axis a's pairs (first voxel (i, j, k), x fastest over
   * the extent shortened by one along a) after those of the axes before it;
   * only every stride-th pair is visited. (i, j, k) comes from a division
   * when the axis changes, then from adding the stride's own (di, dj, dk)
   * with carries: no division per pair. */
  a = -1;
  for (idx = 0; idx < total; idx += stride)
  {
    if (a < 0 || idx >= base[a + 1])
    {
      size_t r;
      a = a < 0 ? 0 : a;
      while (idx >= base[a + 1])
        ++a;
      lim0 = (size_t)(dims[0] - (a == 0));
      lim1 = (size_t)(dims[1] - (a == 1));
      r = idx - base[a];
      i = r % lim0;
      j = (r / lim0) % lim1;
      k = r / (lim0 * lim1);
      di = stride % lim0;
      dj = (stride / lim0) % lim1;
      dk = stride / (lim0 * lim1);
    }
    else
    {
      i += di;
      j += dj;
      k += dk;
      if (i >= lim0)
      {
        i -= lim0;
        ++j;
      }
      if (j >= lim1)
      {
        j -= lim1;
        ++k;
      }
    }
    if (mask &&
      (go_ao_fetch(mask, go_ao_offset(mask, (int)i, (int)j, (int)k)) == 0.0 ||
        go_ao_fetch(mask,
          go_ao_offset(mask, (int)i + (a == 0), (int)j + (a == 1), (int)k + (a == 2))) == 0.0))
      continue;
    off[npairs++] = (int64_t)go_ao_offset(scalars, (int)i, (int)j, (int)k) * 4 + a;
  }
  elem = go_scalar_size(scalars->type);
  for (idx = 0; idx < npairs; ++idx)
  {
    const int64_t o = off[idx];
    const int axis = (int)(o & 3);
    const ptrdiff_t o0 = (ptrdiff_t)((o - axis) / 4), o1 = o0 + scalars->increments[axis];
    double v0, v1;
    if (idx + GO_AO_MAD_AHEAD < npairs)
    {
      const int64_t q = off[idx + GO_AO_MAD_AHEAD];
      const ptrdiff_t q0 = (ptrdiff_t)((q - (q & 3)) / 4);
      GO_AO_PREFETCH((const char*)scalars->data + (ptrdiff_t)elem * q0);
      GO_AO_PREFETCH((const char*)scalars->data + (ptrdiff_t)elem * (q0 + scalars->increments[q & 3]));
    }
    v0 = go_ao_fetch(scalars, o0);
    v1 = go_ao_fetch(scalars, o1);
    if (!isfinite(v0) || !isfinite(v1))
      continue;
    d[count++] = v1 - v0; /* count <= idx: the entry was read already */
  }
  if (count == 0)
  {
    free(d);
    return 0.0;
  }
  med = go_ao_median(d, count);
  for (idx = 0; idx < count; ++idx)
    d[idx] = fabs(d[idx] - med);
  mad = go_ao_median(d, count);
  free(d);
  return 1.4826 * mad / sqrt(2.0);
}

/* ---------------------------------------------------------------------- */
/* Thresholds and curve                                                    */

void go_ao_thresholds(const double* counts, const double* smoothed, int nbins, double log_lo,
  double gmax, const go_ao_params* params, go_ao_result* r)
{
  double u_median, best = -1.0, floor_mode, nf, low, high, edge;
  int b, b_median, b_best = 0, b_low;
  double tol = params->floor_tolerance > 1.0 ? params->floor_tolerance : 2.0;
  double ratio = params->high_min_ratio > 1.0 ? params->high_min_ratio : 1.5;
  memset(r, 0, sizeof(*r));
  {
    double total = 0.0;
    for (b = 0; b < nbins; ++b)
      total += counts[b];
    if (!(total > 0.0))
      return;
  }
  /* 3. Noise floor: mode of the smoothed histogram over the lower part
   * (bins up to the weighted median). */
  u_median = go_ao_quantile(counts, nbins, log_lo, 0, 0.5);
  b_median = go_ao_bin_of(u_median, nbins, log_lo);
  for (b = 0; b <= b_median; ++b)
  {
    if (smoothed[b] > best)
    {
      best = smoothed[b];
      b_best = b;
    }
  }
  floor_mode = gmax * exp(go_ao_bin_centre(b_best, nbins, log_lo));
  nf = floor_mode;
  if (params->predicted_floor > 0.0)
  {
    const double p = params->predicted_floor;
    if (nf < p / tol)
      nf = p / tol;
    if (nf > p * tol)
      nf = p * tol;
  }
  low = params->k * nf;
  if (low > gmax / ratio)
    low = gmax / ratio;
  /* 4. Edge strength: weighted median of g above low. */
  b_low = go_ao_bin_of(log(low / gmax), nbins, log_lo);
  {
    double above = 0.0;
    for (b = b_low + 1; b < nbins; ++b)
      above += counts[b];
    edge = above > 0.0 ? gmax * exp(go_ao_quantile(counts, nbins, log_lo, b_low + 1, 0.5))
                       : ratio * low;
  }
  if (edge < ratio * low)
    edge = ratio * low;
  if (edge > gmax)
    edge = gmax;
  high = edge;
  r->noise_floor_mode = floor_mode;
  r->noise_floor = nf;
  r->median = gmax * exp(u_median);
  r->low = low;
  r->high = high;
  r->edge_strength = edge;
  r->valid = 1;
}

double go_ao_ramp(double g, double low, double high, double min_opacity)
{
  double t, s;
  if (!(g > low))
    return min_opacity;
  if (g >= high || !(high > low) || !(low > 0.0))
    return 1.0;
  t = log(g / low) / log(high / low);
  s = t * t * (3.0 - 2.0 * t);
  return min_opacity + (1.0 - min_opacity) * s;
}

int go_ao_curve(double low, double high, double gmax, double min_opacity, int n_ramp,
  double* xs, double* ys)
{
  int n = 0, i;
  if (n_ramp < 1)
    n_ramp = 1;
  xs[n] = 0.0;
  ys[n++] = min_opacity;
  if (low > 0.0)
  {
    xs[n] = low;
    ys[n++] = min_opacity;
  }
  for (i = 1; i < n_ramp && low > 0.0 && high > low; ++i)
  {
    const double t = (double)i / (double)n_ramp;
    const double x = low * exp(t * log(high / low));
    xs[n] = x;
    ys[n++] = go_ao_ramp(x, low, high, min_opacity);
  }
  xs[n] = high;
  ys[n++] = 1.0;
  if (gmax > high)
  {
    xs[n] = gmax;
    ys[n++] = 1.0;
  }
  return n;
}
