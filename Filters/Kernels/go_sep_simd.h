/* Row loops of the Gaussian fast path in one SIMD width: included by
 * go_gradient.c once per width, with GO_SEP_W floats per vector, the
 * function attribute GO_SEP_TARGET, the vector types GO_V (float) and GO_VI
 * (int32), the operations GO_V_* and the helpers go_sep_*_v<W> defined
 * before it. Every form sums the same terms in the same order as the
 * portable loops, one IEEE operation per lane and no FMA, so every width
 * gives bitwise the same values; a wider vector only takes fewer
 * instructions (the passes are bound by instruction throughput).
 *
 * The loops take blocks of voxels and keep their sums in registers across
 * the taps (the tap count is known only at run time). A row that does not
 * end on a block boundary ends with a block overlapping the previous one
 * (the same sums again, the same values); rows shorter than a block run the
 * same sums one voxel at a time. The y passes, whose rows are padded by the
 * x radius and so never end on a block boundary, end instead with single
 * vectors (GO_SEP_ROW_LOOP), and run rows shorter than a block but at least
 * a vector long in vectors. */

#define GO_SEP_CAT2(a, w) a##_v##w
#define GO_SEP_CAT(a, w) GO_SEP_CAT2(a, w)
#define GO_SEP_FN(name) GO_SEP_CAT(name, GO_SEP_W)

/* A tap pair of one vector of voxels: lo + hi for smoothing, hi - lo for
 * the derivative (the constant derive folds away where inlined). */
static GO_SEP_TARGET inline __attribute__((always_inline)) GO_V GO_SEP_FN(go_sep_pair)(
  const float* lo, const float* hi, int derive)
{
  const GO_V l = GO_V_LOAD(lo), h = GO_V_LOAD(hi);
  return derive ? GO_V_SUB(h, l) : GO_V_ADD(l, h);
}

/* The z pass reading the input type: one vector of a tap row as int32
 * lanes (float lanes for float input), the pair's sum and difference as
 * float. For input of at most 16 bits float(a) + float(b) == float(a + b)
 * exactly (|a + b| < 2^24), so the integer form takes the pair's add off
 * the float pipes. */
#define GO_SEP_LANE_i8 GO_VI
#define GO_SEP_LANE_u8 GO_VI
#define GO_SEP_LANE_i16 GO_VI
#define GO_SEP_LANE_u16 GO_VI
#define GO_SEP_LANE_f32 GO_V
#define GO_SEP_LD_f32(p) GO_V_LOAD((const float*)(p))
#define GO_SEP_ADD_i8(a, b) GO_V_CVT(GO_VI_ADD(a, b))
#define GO_SEP_ADD_u8 GO_SEP_ADD_i8
#define GO_SEP_ADD_i16 GO_SEP_ADD_i8
#define GO_SEP_ADD_u16 GO_SEP_ADD_i8
#define GO_SEP_ADD_f32 GO_V_ADD
#define GO_SEP_SUB_i8(a, b) GO_V_CVT(GO_VI_SUB(a, b))
#define GO_SEP_SUB_u8 GO_SEP_SUB_i8
#define GO_SEP_SUB_i16 GO_SEP_SUB_i8
#define GO_SEP_SUB_u16 GO_SEP_SUB_i8
#define GO_SEP_SUB_f32 GO_V_SUB
#define GO_SEP_F_i8 GO_V_CVT
#define GO_SEP_F_u8 GO_V_CVT
#define GO_SEP_F_i16 GO_V_CVT
#define GO_SEP_F_u16 GO_V_CVT
#define GO_SEP_F_f32(a) (a)

/* go_sep_z for tap rows of the input type, 4 vectors per block */
#define GO_DEFINE_SEP_ZV(NAME, T)                                                                \
  static GO_SEP_TARGET void GO_SEP_FN(go_sep_z_##NAME)(const void* const* rows, int r,           \
    const float* ws, const float* wd, ptrdiff_t n, float* restrict s, float* restrict d)         \
  {                                                                                              \
    const ptrdiff_t B = 4 * GO_SEP_W;                                                            \
    ptrdiff_t i0 = 0, i;                                                                         \
    int k, j;                                                                                    \
    for (; n >= B && i0 < n; i0 = go_sep_next_block(i0, n, B))                                   \
    {                                                                                            \
      GO_V a[4], b[4];                                                                           \
      const T* c = (const T*)rows[r] + i0;                                                       \
      const T* lo = (const T*)rows[r - 1] + i0;                                                  \
      const T* hi = (const T*)rows[r + 1] + i0;                                                  \
      const GO_V w0 = GO_V_SET1(ws[r]);                                                          \
      GO_V w = GO_V_SET1(ws[r + 1]), v = GO_V_SET1(wd[r + 1]);                                   \
      for (j = 0; j < 4; ++j)                                                                    \
      {                                                                                          \
        const GO_SEP_LANE_##NAME xl = GO_SEP_FN(GO_SEP_LD_##NAME)(lo + GO_SEP_W * j);            \
        const GO_SEP_LANE_##NAME xh = GO_SEP_FN(GO_SEP_LD_##NAME)(hi + GO_SEP_W * j);            \
        a[j] = GO_V_MUL(w0, GO_SEP_F_##NAME(GO_SEP_FN(GO_SEP_LD_##NAME)(c + GO_SEP_W * j)));    \
        a[j] = GO_V_ADD(a[j], GO_V_MUL(w, GO_SEP_ADD_##NAME(xl, xh)));                           \
        b[j] = GO_V_MUL(v, GO_SEP_SUB_##NAME(xh, xl));                                           \
      }                                                                                          \
      for (k = 2; k <= r; ++k)                                                                   \
      {                                                                                          \
        lo = (const T*)rows[r - k] + i0;                                                         \
        hi = (const T*)rows[r + k] + i0;                                                         \
        w = GO_V_SET1(ws[r + k]);                                                                \
        v = GO_V_SET1(wd[r + k]);                                                                \
        for (j = 0; j < 4; ++j)                                                                  \
        {                                                                                        \
          const GO_SEP_LANE_##NAME xl = GO_SEP_FN(GO_SEP_LD_##NAME)(lo + GO_SEP_W * j);          \
          const GO_SEP_LANE_##NAME xh = GO_SEP_FN(GO_SEP_LD_##NAME)(hi + GO_SEP_W * j);          \
          a[j] = GO_V_ADD(a[j], GO_V_MUL(w, GO_SEP_ADD_##NAME(xl, xh)));                         \
          b[j] = GO_V_ADD(b[j], GO_V_MUL(v, GO_SEP_SUB_##NAME(xh, xl)));                         \
        }                                                                                        \
      }                                                                                          \
      for (j = 0; j < 4; ++j)                                                                    \
      {                                                                                          \
        GO_V_STORE(s + i0 + GO_SEP_W * j, a[j]);                                                 \
        GO_V_STORE(d + i0 + GO_SEP_W * j, b[j]);                                                 \
      }                                                                                          \
    }                                                                                            \
    for (i = n >= B ? n : 0; i < n; ++i)                                                         \
    {                                                                                            \
      float sa = ws[r] * (float)((const T*)rows[r])[i], da = 0.0f;                               \
      for (k = 1; k <= r; ++k)                                                                   \
      {                                                                                          \
        const float xl = (float)((const T*)rows[r - k])[i];                                      \
        const float xh = (float)((const T*)rows[r + k])[i];                                      \
        sa += ws[r + k] * (xl + xh);                                                             \
        da = k == 1 ? wd[r + k] * (xh - xl) : da + wd[r + k] * (xh - xl);                        \
      }                                                                                          \
      s[i] = sa;                                                                                 \
      d[i] = da;                                                                                 \
    }                                                                                            \
  }

#define GO_SEP_LD_f32_v8 GO_SEP_LD_f32
#define GO_SEP_LD_f32_v16 GO_SEP_LD_f32
GO_DEFINE_SEP_ZV(i8, int8_t)
GO_DEFINE_SEP_ZV(u8, uint8_t)
GO_DEFINE_SEP_ZV(i16, int16_t)
GO_DEFINE_SEP_ZV(u16, uint16_t)
GO_DEFINE_SEP_ZV(f32, float)

/* The block loops' pattern: blocks of nv vectors, then the rest of the row
 * a vector at a time, the last one overlapping its predecessor (a 520-float
 * row takes four blocks of 128 and one vector more, not a fifth block). */
#define GO_SEP_ROW_LOOP(n, nv, BODY)                                                              \
  do                                                                                              \
  {                                                                                               \
    ptrdiff_t i0 = 0;                                                                             \
    for (; i0 + (nv) * GO_SEP_W <= (n); i0 += (nv) * GO_SEP_W)                                    \
      BODY(i0, nv);                                                                               \
    if (i0 < (n))                                                                                 \
      for (i0 = i0 + GO_SEP_W <= (n) ? i0 : (n) - GO_SEP_W; i0 < (n);                             \
           i0 = go_sep_next_block(i0, (n), GO_SEP_W))                                             \
        BODY(i0, 1);                                                                              \
  } while (0)

/* go_sep_smooth_rows over nv vectors from i0 */
static GO_SEP_TARGET inline __attribute__((always_inline)) void GO_SEP_FN(go_sep_smooth_block)(
  const float* const* rows, const float* w, int r, ptrdiff_t i0, float* restrict dst, const int nv)
{
  GO_V a[8];
  const float* c = rows[r] + i0;
  GO_V wk = GO_V_SET1(w[r]);
  int k, j;
  for (j = 0; j < nv; ++j)
    a[j] = GO_V_MUL(wk, GO_V_LOAD(c + GO_SEP_W * j));
  for (k = 1; k <= r; ++k)
  {
    const float* lo = rows[r - k] + i0;
    const float* hi = rows[r + k] + i0;
    wk = GO_V_SET1(w[r + k]);
    for (j = 0; j < nv; ++j)
      a[j] = GO_V_ADD(
        a[j], GO_V_MUL(wk, GO_SEP_FN(go_sep_pair)(lo + GO_SEP_W * j, hi + GO_SEP_W * j, 0)));
  }
  for (j = 0; j < nv; ++j)
    GO_V_STORE(dst + i0 + GO_SEP_W * j, a[j]);
}

/* go_sep_smooth_rows, 8 vectors per block */
static GO_SEP_TARGET void GO_SEP_FN(go_sep_smooth_rows)(
  const float* const* rows, const float* w, int r, ptrdiff_t n, float* restrict dst)
{
  ptrdiff_t i;
  int k;
  if (n >= GO_SEP_W)
  {
#define GO_SEP_BODY(i0, nv) GO_SEP_FN(go_sep_smooth_block)(rows, w, r, i0, dst, nv)
    GO_SEP_ROW_LOOP(n, 8, GO_SEP_BODY);
#undef GO_SEP_BODY
    return;
  }
  for (i = 0; i < n; ++i)
  {
    float a = w[r] * rows[r][i];
    for (k = 1; k <= r; ++k)
      a += w[r + k] * (rows[r - k][i] + rows[r + k][i]);
    dst[i] = a;
  }
}

/* go_sep_rows2 over nv vectors from i0 */
static GO_SEP_TARGET inline __attribute__((always_inline)) void GO_SEP_FN(go_sep_rows2_block)(
  const float* const* rows, const float* ws, const float* wd, int r, ptrdiff_t i0,
  float* restrict ds, float* restrict dd, const int nv)
{
  GO_V a[4], b[4];
  const float* c = rows[r] + i0;
  const float* lo = rows[r - 1] + i0;
  const float* hi = rows[r + 1] + i0;
  const GO_V w0 = GO_V_SET1(ws[r]);
  GO_V w = GO_V_SET1(ws[r + 1]), v = GO_V_SET1(wd[r + 1]);
  int k, j;
  for (j = 0; j < nv; ++j)
  {
    const GO_V xl = GO_V_LOAD(lo + GO_SEP_W * j), xh = GO_V_LOAD(hi + GO_SEP_W * j);
    a[j] = GO_V_MUL(w0, GO_V_LOAD(c + GO_SEP_W * j));
    a[j] = GO_V_ADD(a[j], GO_V_MUL(w, GO_V_ADD(xl, xh)));
    b[j] = GO_V_MUL(v, GO_V_SUB(xh, xl));
  }
  for (k = 2; k <= r; ++k)
  {
    lo = rows[r - k] + i0;
    hi = rows[r + k] + i0;
    w = GO_V_SET1(ws[r + k]);
    v = GO_V_SET1(wd[r + k]);
    for (j = 0; j < nv; ++j)
    {
      const GO_V xl = GO_V_LOAD(lo + GO_SEP_W * j), xh = GO_V_LOAD(hi + GO_SEP_W * j);
      a[j] = GO_V_ADD(a[j], GO_V_MUL(w, GO_V_ADD(xl, xh)));
      b[j] = GO_V_ADD(b[j], GO_V_MUL(v, GO_V_SUB(xh, xl)));
    }
  }
  for (j = 0; j < nv; ++j)
  {
    GO_V_STORE(ds + i0 + GO_SEP_W * j, a[j]);
    GO_V_STORE(dd + i0 + GO_SEP_W * j, b[j]);
  }
}

/* go_sep_rows2, 4 vectors per block */
static GO_SEP_TARGET void GO_SEP_FN(go_sep_rows2)(const float* const* rows, const float* ws,
  const float* wd, int r, ptrdiff_t n, float* restrict ds, float* restrict dd)
{
  ptrdiff_t i;
  int k;
  if (n >= GO_SEP_W)
  {
#define GO_SEP_BODY(i0, nv) GO_SEP_FN(go_sep_rows2_block)(rows, ws, wd, r, i0, ds, dd, nv)
    GO_SEP_ROW_LOOP(n, 4, GO_SEP_BODY);
#undef GO_SEP_BODY
    return;
  }
  for (i = 0; i < n; ++i)
  {
    float a = ws[r] * rows[r][i], b = 0.0f;
    for (k = 1; k <= r; ++k)
    {
      const float xl = rows[r - k][i], xh = rows[r + k][i];
      a += ws[r + k] * (xl + xh);
      b = k == 1 ? wd[r + k] * (xh - xl) : b + wd[r + k] * (xh - xl);
    }
    ds[i] = a;
    dd[i] = b;
  }
}

/* go_sep_smooth_x (derive 0) or go_sep_derive_x (derive 1), 8 vectors per
 * block */
static GO_SEP_TARGET inline __attribute__((always_inline)) void GO_SEP_FN(go_sep_x)(
  const float* restrict src, const float* w, int r, ptrdiff_t n, float f, float* restrict dst,
  int derive)
{
  const ptrdiff_t B = 8 * GO_SEP_W;
  ptrdiff_t i0 = 0, i;
  int k, j;
  const GO_V vf = GO_V_SET1(f);
  for (; n >= B && i0 < n; i0 = go_sep_next_block(i0, n, B))
  {
    GO_V a[8];
    const float* c = src + r + i0;
    GO_V wk = GO_V_SET1(w[r + derive]);
    for (j = 0; j < 8; ++j)
      a[j] = GO_V_MUL(wk, derive ? GO_SEP_FN(go_sep_pair)(c - 1 + GO_SEP_W * j, c + 1 + GO_SEP_W * j, 1)
                                 : GO_V_LOAD(c + GO_SEP_W * j));
    for (k = 1 + derive; k <= r; ++k)
    {
      wk = GO_V_SET1(w[r + k]);
      for (j = 0; j < 8; ++j)
        a[j] = GO_V_ADD(a[j],
          GO_V_MUL(wk, GO_SEP_FN(go_sep_pair)(c - k + GO_SEP_W * j, c + k + GO_SEP_W * j, derive)));
    }
    for (j = 0; j < 8; ++j)
      GO_V_STORE(dst + i0 + GO_SEP_W * j, GO_V_MUL(a[j], vf));
  }
  for (i = n >= B ? n : 0; i < n; ++i)
  {
    const float* c = src + r + i;
    float a = derive ? w[r + 1] * (c[1] - c[-1]) : w[r] * c[0];
    for (k = 1 + derive; k <= r; ++k)
      a += w[r + k] * (derive ? c[k] - c[-k] : c[-k] + c[k]);
    dst[i] = a * f;
  }
}

static GO_SEP_TARGET void GO_SEP_FN(go_sep_smooth_x)(
  const float* restrict src, const float* w, int r, ptrdiff_t n, float f, float* restrict dst)
{
  GO_SEP_FN(go_sep_x)(src, w, r, n, f, dst, 0);
}

static GO_SEP_TARGET void GO_SEP_FN(go_sep_derive_x)(
  const float* restrict src, const float* w, int r, ptrdiff_t n, float f, float* restrict dst)
{
  GO_SEP_FN(go_sep_x)(src, w, r, n, f, dst, 1);
}

/* The three x passes and the magnitude at once (go_sep_derive_x, twice
 * go_sep_smooth_x, go_sep_magnitude's first loop), 2 vectors per block, the
 * components never stored. Returns nonzero when a voxel needs
 * go_sep_magnitude's fix-up (the caller then runs the separate forms). */
static GO_SEP_TARGET int GO_SEP_FN(go_sep_x_magnitude)(const float* restrict sx,
  const float* restrict sy, const float* restrict sz, const float* ws, const float* wd, int r,
  ptrdiff_t n, float fx, float fy, float fz, float* restrict out)
{
  const ptrdiff_t B = 2 * GO_SEP_W;
  const GO_V vfx = GO_V_SET1(fx), vfy = GO_V_SET1(fy), vfz = GO_V_SET1(fz);
  GO_SEP_SLOW slow = GO_SEP_FN(go_sep_slow_none)();
  ptrdiff_t i0 = 0;
  int k, j;
  if (n < B)
    return 1;
  for (; i0 < n; i0 = go_sep_next_block(i0, n, B))
  {
    const float* cx = sx + r + i0;
    const float* cy = sy + r + i0;
    const float* cz = sz + r + i0;
    GO_V gx[2], gy[2], gz[2];
    GO_V w = GO_V_SET1(ws[r]), v = GO_V_SET1(wd[r + 1]);
    for (j = 0; j < 2; ++j)
    {
      gx[j] = GO_V_MUL(v, GO_SEP_FN(go_sep_pair)(cx - 1 + GO_SEP_W * j, cx + 1 + GO_SEP_W * j, 1));
      gy[j] = GO_V_MUL(w, GO_V_LOAD(cy + GO_SEP_W * j));
      gz[j] = GO_V_MUL(w, GO_V_LOAD(cz + GO_SEP_W * j));
    }
    for (k = 1; k <= r; ++k)
    {
      w = GO_V_SET1(ws[r + k]);
      v = GO_V_SET1(wd[r + k]);
      for (j = 0; j < 2; ++j)
      {
        if (k > 1)
          gx[j] = GO_V_ADD(gx[j],
            GO_V_MUL(v, GO_SEP_FN(go_sep_pair)(cx - k + GO_SEP_W * j, cx + k + GO_SEP_W * j, 1)));
        gy[j] = GO_V_ADD(gy[j],
          GO_V_MUL(w, GO_SEP_FN(go_sep_pair)(cy - k + GO_SEP_W * j, cy + k + GO_SEP_W * j, 0)));
        gz[j] = GO_V_ADD(gz[j],
          GO_V_MUL(w, GO_SEP_FN(go_sep_pair)(cz - k + GO_SEP_W * j, cz + k + GO_SEP_W * j, 0)));
      }
    }
    for (j = 0; j < 2; ++j)
    {
      const GO_V a = GO_V_MUL(gx[j], vfx), b = GO_V_MUL(gy[j], vfy);
      const GO_V c = GO_V_MUL(gz[j], vfz);
      const GO_V m = GO_V_SQRT(
        GO_V_ADD(GO_V_ADD(GO_V_MUL(a, a), GO_V_MUL(b, b)), GO_V_MUL(c, c)));
      GO_V_STORE(out + i0 + GO_SEP_W * j, m);
      slow = GO_SEP_FN(go_sep_slow_add)(slow, a, b, c, m);
    }
  }
  return GO_SEP_FN(go_sep_slow_any)(slow);
}

#undef GO_DEFINE_SEP_ZV
#undef GO_SEP_ROW_LOOP
#undef GO_SEP_LD_f32_v8
#undef GO_SEP_LD_f32_v16
#undef GO_SEP_LANE_i8
#undef GO_SEP_LANE_u8
#undef GO_SEP_LANE_i16
#undef GO_SEP_LANE_u16
#undef GO_SEP_LANE_f32
#undef GO_SEP_LD_f32
#undef GO_SEP_ADD_i8
#undef GO_SEP_ADD_u8
#undef GO_SEP_ADD_i16
#undef GO_SEP_ADD_u16
#undef GO_SEP_ADD_f32
#undef GO_SEP_SUB_i8
#undef GO_SEP_SUB_u8
#undef GO_SEP_SUB_i16
#undef GO_SEP_SUB_u16
#undef GO_SEP_SUB_f32
#undef GO_SEP_F_i8
#undef GO_SEP_F_u8
#undef GO_SEP_F_i16
#undef GO_SEP_F_u16
#undef GO_SEP_F_f32
#undef GO_SEP_FN
#undef GO_SEP_CAT
#undef GO_SEP_CAT2
#undef GO_SEP_W
#undef GO_SEP_TARGET
#undef GO_SEP_SLOW
#undef GO_V
#undef GO_VI
#undef GO_V_LOAD
#undef GO_V_STORE
#undef GO_V_SET1
#undef GO_V_ADD
#undef GO_V_SUB
#undef GO_V_MUL
#undef GO_V_SQRT
#undef GO_V_CVT
#undef GO_VI_ADD
#undef GO_VI_SUB
