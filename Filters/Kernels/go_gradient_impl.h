/*
 * go_gradient_impl.h - the kernels for one working precision.
 *
 * Included twice by go_gradient.c, with GO_W (float or double), GO_S (a name
 * suffix), GO_SQRT and GO_W_TYPE (GO_FLOAT32 / GO_FLOAT64) defined. Not a
 * public header.
 */

#define GO_CAT2(a, b) a##b
#define GO_CAT(a, b) GO_CAT2(a, b)
#define GO_FN(name) GO_CAT(name, GO_S)

/* ---- row loaders: dst[i] = src[i * stride] and dst[i] = (a[i] - b[i]) * s ---- */

#define GO_DEFINE_ROW_OPS(NAME, T)                                                               \
  static void GO_FN(load_##NAME##_)(const void* src, ptrdiff_t s, ptrdiff_t n, GO_W* dst)         \
  {                                                                                              \
    const T* p = (const T*)src;                                                                  \
    ptrdiff_t i;                                                                                 \
    if (s == 1)                                                                                  \
    {                                                                                            \
      for (i = 0; i < n; ++i)                                                                    \
        dst[i] = (GO_W)p[i];                                                                     \
    }                                                                                            \
    else                                                                                         \
    {                                                                                            \
      for (i = 0; i < n; ++i)                                                                    \
        dst[i] = (GO_W)p[i * s];                                                                 \
    }                                                                                            \
  }                                                                                              \
  static void GO_FN(diff_##NAME##_)(                                                             \
    const void* a, const void* b, ptrdiff_t s, ptrdiff_t n, GO_W scale, GO_W* dst)               \
  {                                                                                              \
    const T* pa = (const T*)a;                                                                   \
    const T* pb = (const T*)b;                                                                   \
    ptrdiff_t i;                                                                                 \
    if (s == 1)                                                                                  \
    {                                                                                            \
      for (i = 0; i < n; ++i)                                                                    \
        dst[i] = ((GO_W)pa[i] - (GO_W)pb[i]) * scale;                                            \
    }                                                                                            \
    else                                                                                         \
    {                                                                                            \
      for (i = 0; i < n; ++i)                                                                    \
        dst[i] = ((GO_W)pa[i * s] - (GO_W)pb[i * s]) * scale;                                    \
    }                                                                                            \
  }

GO_DEFINE_ROW_OPS(i8, int8_t)
GO_DEFINE_ROW_OPS(u8, uint8_t)
GO_DEFINE_ROW_OPS(i16, int16_t)
GO_DEFINE_ROW_OPS(u16, uint16_t)
GO_DEFINE_ROW_OPS(i32, int32_t)
GO_DEFINE_ROW_OPS(u32, uint32_t)
GO_DEFINE_ROW_OPS(i64, int64_t)
GO_DEFINE_ROW_OPS(u64, uint64_t)
GO_DEFINE_ROW_OPS(f32, float)
GO_DEFINE_ROW_OPS(f64, double)

typedef void (*GO_FN(go_load_fn_))(const void*, ptrdiff_t, ptrdiff_t, GO_W*);
typedef void (*GO_FN(go_diff_fn_))(const void*, const void*, ptrdiff_t, ptrdiff_t, GO_W, GO_W*);

static const GO_FN(go_load_fn_) GO_FN(go_loaders_)[GO_NUMBER_OF_TYPES] = { GO_FN(load_i8_),
  GO_FN(load_u8_), GO_FN(load_i16_), GO_FN(load_u16_), GO_FN(load_i32_), GO_FN(load_u32_),
  GO_FN(load_i64_), GO_FN(load_u64_), GO_FN(load_f32_), GO_FN(load_f64_) };

static const GO_FN(go_diff_fn_) GO_FN(go_differs_)[GO_NUMBER_OF_TYPES] = { GO_FN(diff_i8_),
  GO_FN(diff_u8_), GO_FN(diff_i16_), GO_FN(diff_u16_), GO_FN(diff_i32_), GO_FN(diff_u32_),
  GO_FN(diff_i64_), GO_FN(diff_u64_), GO_FN(diff_f32_), GO_FN(diff_f64_) };

/* Load n values of row (y, z) starting at x = xs, replicating the edge voxels
 * for x outside the input extent (nearest). */
static void GO_FN(load_row_clamped_)(
  const go_plan* plan, ptrdiff_t xs, ptrdiff_t n, int y, int z, GO_W* dst)
{
  const go_image* in = plan->in;
  const int ix0 = in->extent[0], ix1 = in->extent[1];
  const char* row = go_voxel_address(in, ix0, y, z);
  const ptrdiff_t sx = in->increments[0];
  const size_t es = go_scalar_size(in->type);
  ptrdiff_t left = ix0 - xs;        /* padded positions before ix0 */
  ptrdiff_t right = xs + n - 1 - ix1; /* padded positions after ix1 */
  ptrdiff_t i, mid;
  GO_W edge;

  if (left < 0)
    left = 0;
  if (right < 0)
    right = 0;
  if (left > n)
    left = n;
  if (right > n - left)
    right = n - left;
  mid = n - left - right;
  if (mid > 0)
  {
    const ptrdiff_t xfirst = xs + left;
    GO_FN(go_loaders_)[in->type](row + (xfirst - ix0) * sx * (ptrdiff_t)es, sx, mid, dst + left);
  }
  if (left > 0)
  {
    GO_FN(go_loaders_)[in->type](row, sx, 1, &edge);
    for (i = 0; i < left; ++i)
      dst[i] = edge;
  }
  if (right > 0)
  {
    GO_FN(go_loaders_)[in->type](row + ((ptrdiff_t)ix1 - ix0) * sx * (ptrdiff_t)es, sx, 1, &edge);
    for (i = n - right; i < n; ++i)
      dst[i] = edge;
  }
}

/* Combine one output row of derivatives: optional matrix, vector output,
 * magnitude (or its square, written or added). */
static void GO_FN(finish_row_)(const go_plan* plan, GO_W* gx, GO_W* gy, GO_W* gz, ptrdiff_t n,
  GO_W* mag, void* out_mag, void* out_vec)
{
  const go_output* out = plan->out;
  const double* m = plan->options.matrix;
  ptrdiff_t i;

  if (m)
  {
    const GO_W m00 = (GO_W)m[0], m01 = (GO_W)m[1], m02 = (GO_W)m[2];
    const GO_W m10 = (GO_W)m[3], m11 = (GO_W)m[4], m12 = (GO_W)m[5];
    const GO_W m20 = (GO_W)m[6], m21 = (GO_W)m[7], m22 = (GO_W)m[8];
    for (i = 0; i < n; ++i)
    {
      const GO_W a = gx[i], b = gy[i], c = gz[i];
      gx[i] = m00 * a + m01 * b + m02 * c;
      gy[i] = m10 * a + m11 * b + m12 * c;
      gz[i] = m20 * a + m21 * b + m22 * c;
    }
  }
  if (out_vec)
  {
    const ptrdiff_t s = 3 * out->increments[0];
    if (out->type == GO_FLOAT32)
    {
      float* v = (float*)out_vec;
      for (i = 0; i < n; ++i)
      {
        v[i * s] = (float)gx[i];
        v[i * s + 1] = (float)gy[i];
        v[i * s + 2] = (float)gz[i];
      }
    }
    else
    {
      double* v = (double*)out_vec;
      for (i = 0; i < n; ++i)
      {
        v[i * s] = (double)gx[i];
        v[i * s + 1] = (double)gy[i];
        v[i * s + 2] = (double)gz[i];
      }
    }
  }
  if (!out_mag)
  {
    return;
  }
  if (plan->options.accumulate == GO_WRITE_MAGNITUDE)
  {
    for (i = 0; i < n; ++i)
      mag[i] = GO_SQRT(gx[i] * gx[i] + gy[i] * gy[i] + gz[i] * gz[i]);
    /* The squares overflow above sqrt(max) and lose precision below
     * sqrt(min / eps): recompute those few voxels without over/underflow
     * (exact zeros, the common case below the range, skip it). */
    for (i = 0; i < n; ++i)
    {
      if (!(mag[i] >= GO_MAG_LO && mag[i] <= GO_MAG_HI) &&
        (gx[i] != (GO_W)0 || gy[i] != (GO_W)0 || gz[i] != (GO_W)0))
        mag[i] = GO_FN(go_norm3_)(gx[i], gy[i], gz[i]);
    }
  }
  else
  {
    for (i = 0; i < n; ++i)
      mag[i] = gx[i] * gx[i] + gy[i] * gy[i] + gz[i] * gz[i];
  }
  if (mag == (GO_W*)out_mag)
  {
    return; /* computed in place: same type, contiguous, written */
  }
  {
    const ptrdiff_t s = out->increments[0];
    const int add = plan->options.accumulate == GO_ADD_SQUARED;
    if (out->type == GO_FLOAT32)
    {
      float* o = (float*)out_mag;
      if (add)
        for (i = 0; i < n; ++i)
          o[i * s] += (float)mag[i];
      else
        for (i = 0; i < n; ++i)
          o[i * s] = (float)mag[i];
    }
    else
    {
      double* o = (double*)out_mag;
      if (add)
        for (i = 0; i < n; ++i)
          o[i * s] += (double)mag[i];
      else
        for (i = 0; i < n; ++i)
          o[i * s] = (double)mag[i];
    }
  }
}

/* Where the magnitude row is computed: directly in the output when it has the
 * working type, is contiguous and is simply written; else a scratch row. */
static GO_W* GO_FN(mag_target_)(const go_plan* plan, void* out_mag, GO_W* scratch)
{
  if (out_mag && plan->out->type == GO_W_TYPE && plan->out->increments[0] == 1 &&
    plan->options.accumulate != GO_ADD_SQUARED)
  {
    return (GO_W*)out_mag;
  }
  return scratch;
}

/* Central difference over the output extent. Per row: gx from the centre row
 * loaded with a clamped one-voxel halo, gy and gz straight from the
 * neighbouring rows of the input (no conversion pass). */
static go_status GO_FN(central_)(go_plan* plan)
{
  const go_image* in = plan->in;
  const int* e = plan->extent;
  const ptrdiff_t nx = (ptrdiff_t)e[1] - e[0] + 1;
  const ptrdiff_t sx = in->increments[0];
  const GO_FN(go_diff_fn_) diff = GO_FN(go_differs_)[in->type];
  const int three_d = plan->options.dimensionality == 3;
  GO_W *c, *gx, *gy, *gz, *mag;
  GO_W* block;
  ptrdiff_t y, z; /* not int: ++ past an extent ending at INT_MAX */
  ptrdiff_t i;

  block = (GO_W*)malloc(sizeof(GO_W) * (size_t)(5 * nx + 2));
  if (!block)
    return GO_ERROR_MEMORY;
  c = block;
  gx = c + nx + 2;
  gy = gx + nx;
  gz = gy + nx;
  mag = gz + nx;

  for (z = e[4]; z <= e[5]; ++z)
  {
    const int zm = (int)(z > in->extent[4] ? z - 1 : z);
    const int zp = (int)(z < in->extent[5] ? z + 1 : z);
    const GO_W fz = (GO_W)(plan->scale[2] * go_edge_factor(plan, 2, (int)z));
    for (y = e[2]; y <= e[3]; ++y)
    {
      const int ym = (int)(y > in->extent[2] ? y - 1 : y);
      const int yp = (int)(y < in->extent[3] ? y + 1 : y);
      const GO_W fy = (GO_W)(plan->scale[1] * go_edge_factor(plan, 1, (int)y));
      const GO_W fx = (GO_W)plan->scale[0];
      void* out_mag = go_output_address(plan->out, plan->out->magnitude, 1, e[0], (int)y, (int)z);
      void* out_vec = go_output_address(plan->out, plan->out->vector, 3, e[0], (int)y, (int)z);
      GO_W* m = GO_FN(mag_target_)(plan, out_mag, mag);

      /* x: c[i + 1] holds f(e[0] + i), c[0] and c[nx + 1] the clamped halo */
      GO_FN(load_row_clamped_)(plan, (ptrdiff_t)e[0] - 1, nx + 2, (int)y, (int)z, c);
      for (i = 0; i < nx; ++i)
        gx[i] = (c[i + 2] - c[i]) * fx;
      if (plan->onesided[0])
      {
        if (e[0] == in->extent[0])
          gx[0] *= (GO_W)2;
        if (e[1] == in->extent[1])
          gx[nx - 1] *= (GO_W)2;
      }

      if (yp != ym)
        diff(go_voxel_address(in, e[0], yp, (int)z), go_voxel_address(in, e[0], ym, (int)z), sx, nx,
          fy, gy);
      else
        memset(gy, 0, sizeof(GO_W) * (size_t)nx);

      if (three_d && zp != zm)
        diff(go_voxel_address(in, e[0], (int)y, zp), go_voxel_address(in, e[0], (int)y, zm), sx, nx,
          fz, gz);
      else
        memset(gz, 0, sizeof(GO_W) * (size_t)nx);

      GO_FN(finish_row_)(plan, gx, gy, gz, nx, m, out_mag, out_vec);
    }
  }
  free(block);
  return GO_OK;
}

/* The separable weights are symmetric (smoothing) or antisymmetric
 * (derivative) about the centre tap, so the taps are taken in pairs: with c
 * the centre tap of voxel i (src + r step),
 *   smooth: w[r] c[0] + sum_{k=1..r} w[r+k] (c[-k] + c[k]),
 *   derive: sum_{k=1..r} w[r+k] (c[k] - c[-k]),
 * the first term a product, then the pairs in order of k, pairs with a zero
 * weight skipped (the first derivative pair is never zero). Every form of
 * the operator adds the terms in this order, so every voxel gets the same
 * rounding whatever path and piece computes it. */
static void GO_FN(smooth_)(
  const GO_W* src, ptrdiff_t step, const double* w, int r, ptrdiff_t n, GO_W* dst)
{
  const GO_W* c = src + r * step;
  const GO_W w0 = (GO_W)w[r];
  ptrdiff_t i;
  int k;
  for (i = 0; i < n; ++i)
    dst[i] = w0 * c[i];
  for (k = 1; k <= r; ++k)
  {
    const GO_W wk = (GO_W)w[r + k];
    const GO_W* lo = c - k * step;
    const GO_W* hi = c + k * step;
    if (wk == (GO_W)0)
      continue;
    for (i = 0; i < n; ++i)
      dst[i] += wk * (lo[i] + hi[i]);
  }
}

static void GO_FN(derive_)(
  const GO_W* src, ptrdiff_t step, const double* w, int r, ptrdiff_t n, GO_W* dst)
{
  const GO_W* c = src + r * step;
  ptrdiff_t i;
  int k;
  if (r == 0)
  {
    memset(dst, 0, sizeof(GO_W) * (size_t)n);
    return;
  }
  {
    const GO_W w1 = (GO_W)w[r + 1];
    for (i = 0; i < n; ++i)
      dst[i] = w1 * (c[i + step] - c[i - step]);
  }
  for (k = 2; k <= r; ++k)
  {
    const GO_W wk = (GO_W)w[r + k];
    const GO_W* lo = c - k * step;
    const GO_W* hi = c + k * step;
    if (wk == (GO_W)0)
      continue;
    for (i = 0; i < n; ++i)
      dst[i] += wk * (hi[i] - lo[i]);
  }
}

/* Separable operators (Sobel, Gaussian): per output z slice, smooth and
 * differentiate along z into two padded xy slabs, then along y one output
 * row at a time, then along x. Edges replicate the nearest voxel. */
static go_status GO_FN(separable_)(go_plan* plan)
{
  const go_image* in = plan->in;
  const int* e = plan->extent;
  const int rx = plan->radius[0], ry = plan->radius[1], rz = plan->radius[2];
  const ptrdiff_t nx = (ptrdiff_t)e[1] - e[0] + 1;
  const ptrdiff_t ny = (ptrdiff_t)e[3] - e[2] + 1;
  const ptrdiff_t nxp = nx + 2 * rx;
  const ptrdiff_t nyp = ny + 2 * ry;
  const int three_d = plan->options.dimensionality == 3;
  const size_t slab = (size_t)nxp * (size_t)nyp;
  GO_W *sz, *dz, *row, *row2, *szy, *dy, *dzy, *gx, *gy, *gz, *mag, *block;
  ptrdiff_t y, z; /* not int: ++ past an extent ending at INT_MAX */
  int k;
  ptrdiff_t j, i;

  if (slab / (size_t)nxp != (size_t)nyp || slab > ((size_t)-1) / (4 * sizeof(GO_W)))
    return GO_ERROR_MEMORY;
  block = (GO_W*)malloc(sizeof(GO_W) * (2 * slab + 5 * (size_t)nxp + 4 * (size_t)nx));
  if (!block)
    return GO_ERROR_MEMORY;
  sz = block;
  dz = sz + slab;
  row = dz + slab;
  row2 = row + nxp;
  szy = row2 + nxp;
  dy = szy + nxp;
  dzy = dy + nxp;
  gx = dzy + nxp;
  gy = gx + nx;
  gz = gy + nx;
  mag = gz + nx;

  for (z = e[4]; z <= e[5]; ++z)
  {
    const GO_W fz = (GO_W)(plan->scale[2] * go_edge_factor(plan, 2, (int)z));
    /* z pass over the padded slab */
    for (j = 0; j < nyp; ++j)
    {
      const int yy = go_clamp_wide((ptrdiff_t)e[2] - ry + j, in->extent[2], in->extent[3]);
      GO_W* s = sz + j * nxp;
      GO_W* d = dz + j * nxp;
      if (!three_d)
      {
        GO_FN(load_row_clamped_)(plan, (ptrdiff_t)e[0] - rx, nxp, yy, (int)z, s);
        continue;
      }
      /* the centre row, then the rows z - k and z + k together */
      GO_FN(load_row_clamped_)(plan, (ptrdiff_t)e[0] - rx, nxp, yy, (int)z, row);
      {
        const GO_W w0 = (GO_W)plan->smooth[2][rz];
        for (i = 0; i < nxp; ++i)
          s[i] = w0 * row[i];
      }
      for (k = 1; k <= rz; ++k)
      {
        const GO_W ws = (GO_W)plan->smooth[2][rz + k];
        const GO_W wd = (GO_W)plan->deriv[2][rz + k];
        GO_FN(load_row_clamped_)(
          plan, (ptrdiff_t)e[0] - rx, nxp, yy, go_clamp_wide(z - k, in->extent[4], in->extent[5]), row);
        GO_FN(load_row_clamped_)(
          plan, (ptrdiff_t)e[0] - rx, nxp, yy, go_clamp_wide(z + k, in->extent[4], in->extent[5]), row2);
        if (ws != (GO_W)0)
        {
          for (i = 0; i < nxp; ++i)
            s[i] += ws * (row[i] + row2[i]);
        }
        if (k == 1)
        {
          for (i = 0; i < nxp; ++i)
            d[i] = wd * (row2[i] - row[i]);
        }
        else if (wd != (GO_W)0)
        {
          for (i = 0; i < nxp; ++i)
            d[i] += wd * (row2[i] - row[i]);
        }
      }
    }
    /* y then x pass, one output row at a time */
    for (y = e[2]; y <= e[3]; ++y)
    {
      const ptrdiff_t j0 = (ptrdiff_t)(y - e[2]) * nxp; /* slab row of y - ry */
      const GO_W fy = (GO_W)(plan->scale[1] * go_edge_factor(plan, 1, (int)y));
      const GO_W fx = (GO_W)plan->scale[0];
      void* out_mag = go_output_address(plan->out, plan->out->magnitude, 1, e[0], (int)y, (int)z);
      void* out_vec = go_output_address(plan->out, plan->out->vector, 3, e[0], (int)y, (int)z);
      GO_W* m = GO_FN(mag_target_)(plan, out_mag, mag);

      GO_FN(smooth_)(sz + j0, nxp, plan->smooth[1], ry, nxp, szy);
      GO_FN(derive_)(sz + j0, nxp, plan->deriv[1], ry, nxp, dy);
      GO_FN(derive_)(szy, 1, plan->deriv[0], rx, nx, gx);
      GO_FN(smooth_)(dy, 1, plan->smooth[0], rx, nx, gy);
      for (i = 0; i < nx; ++i)
        gx[i] *= fx;
      if (plan->onesided[0])
      {
        if (e[0] == in->extent[0])
          gx[0] *= (GO_W)2;
        if (e[1] == in->extent[1])
          gx[nx - 1] *= (GO_W)2;
      }
      for (i = 0; i < nx; ++i)
        gy[i] *= fy;
      if (three_d)
      {
        GO_FN(smooth_)(dz + j0, nxp, plan->smooth[1], ry, nxp, dzy);
        GO_FN(smooth_)(dzy, 1, plan->smooth[0], rx, nx, gz);
        for (i = 0; i < nx; ++i)
          gz[i] *= fz;
      }
      else
      {
        memset(gz, 0, sizeof(GO_W) * (size_t)nx);
      }
      GO_FN(finish_row_)(plan, gx, gy, gz, nx, m, out_mag, out_vec);
    }
  }
  free(block);
  return GO_OK;
}

#undef GO_DEFINE_ROW_OPS
#undef GO_FN
#undef GO_CAT
#undef GO_CAT2
