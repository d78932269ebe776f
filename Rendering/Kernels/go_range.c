#include "go_range.h"

#include <math.h>
#include <stdint.h>

/* SSE2 has no unsigned 16-bit or 32-bit min/max: the uint16 loop runs at a
 * fifth of memory speed with it. On x86-64 with GCC every loop is also
 * compiled for AVX2 and chosen at run time, as in go_gradient.c; the
 * default build stays portable. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__ELF__) && \
  !defined(__AVX2__) && !defined(GO_NO_DISPATCH) && !defined(__SANITIZE_ADDRESS__)
#define GO_RANGE_DISPATCH __attribute__((target_clones("avx2", "default")))
#else
#define GO_RANGE_DISPATCH
#endif

/* Integers: plain min/max in the type. gcc versions the loop for stride 1
 * (one-component scalars, the common case) and vectorises that version. */
#define GO_RANGE_INT(T)                                                                          \
  GO_RANGE_DISPATCH static int range_##T(                                                          \
    const T* p, size_t n, ptrdiff_t stride, double range[2])                                       \
  {                                                                                              \
    T lo = p[0], hi = p[0];                                                                      \
    for (size_t i = 1; i < n; ++i)                                                               \
    {                                                                                            \
      const T v = p[(ptrdiff_t)i * stride];                                                      \
      lo = v < lo ? v : lo;                                                                      \
      hi = v > hi ? v : hi;                                                                      \
    }                                                                                            \
    range[0] = (double)lo;                                                                       \
    range[1] = (double)hi;                                                                       \
    return 1;                                                                                    \
  }

/* Floating point: a non-finite value is replaced by the neutral +Inf (for
 * the minimum) and -Inf (for the maximum) instead of being branched around,
 * which keeps the loop vectorisable. v - v is 0 exactly when v is finite
 * (NaN - NaN and Inf - Inf are NaN). lo stays +Inf only when no value was
 * finite. */
#define GO_RANGE_LANES 16
#define GO_RANGE_FLOAT(T, INF)                                                                   \
  GO_RANGE_DISPATCH static int range_##T(                                                          \
    const T* p, size_t n, ptrdiff_t stride, double range[2])                                       \
  {                                                                                              \
    T lo = INF, hi = -INF;                                                                       \
    size_t i = 0;                                                                                \
    if (stride == 1)                                                                             \
    {                                                                                            \
      /* GO_RANGE_LANES independent minima and maxima: no reassociation of \
       * a float reduction is needed, so gcc vectorises across the lanes. */ \
      T lo_l[GO_RANGE_LANES], hi_l[GO_RANGE_LANES];                                              \
      for (int k = 0; k < GO_RANGE_LANES; ++k)                                                   \
      {                                                                                          \
        lo_l[k] = INF;                                                                           \
        hi_l[k] = -INF;                                                                          \
      }                                                                                          \
      for (; i + GO_RANGE_LANES <= n; i += GO_RANGE_LANES)                                       \
      {                                                                                          \
        for (int k = 0; k < GO_RANGE_LANES; ++k)                                                 \
        {                                                                                        \
          const T v = p[i + k];                                                                  \
          const int finite = (v - v) == (T)0;                                                    \
          const T a = finite ? v : INF;                                                          \
          const T b = finite ? v : -INF;                                                         \
          lo_l[k] = a < lo_l[k] ? a : lo_l[k];                                                   \
          hi_l[k] = b > hi_l[k] ? b : hi_l[k];                                                   \
        }                                                                                        \
      }                                                                                          \
      for (int k = 0; k < GO_RANGE_LANES; ++k)                                                   \
      {                                                                                          \
        lo = lo_l[k] < lo ? lo_l[k] : lo;                                                        \
        hi = hi_l[k] > hi ? hi_l[k] : hi;                                                        \
      }                                                                                          \
    }                                                                                            \
    {                                                                                            \
      for (; i < n; ++i)                                                                         \
      {                                                                                          \
        const T v = p[(ptrdiff_t)i * stride];                                                    \
        const int finite = (v - v) == (T)0;                                                      \
        const T a = finite ? v : INF;                                                            \
        const T b = finite ? v : -INF;                                                           \
        lo = a < lo ? a : lo;                                                                    \
        hi = b > hi ? b : hi;                                                                    \
      }                                                                                          \
    }                                                                                            \
    if (!(lo < INF))                                                                             \
    {                                                                                            \
      return 0;                                                                                  \
    }                                                                                            \
    range[0] = (double)lo;                                                                       \
    range[1] = (double)hi;                                                                       \
    return 1;                                                                                    \
  }

GO_RANGE_INT(int8_t)
GO_RANGE_INT(uint8_t)
GO_RANGE_INT(int16_t)
GO_RANGE_INT(uint16_t)
GO_RANGE_INT(int32_t)
GO_RANGE_INT(uint32_t)
GO_RANGE_INT(int64_t)
GO_RANGE_INT(uint64_t)
GO_RANGE_FLOAT(float, INFINITY)
GO_RANGE_FLOAT(double, (double)INFINITY)

int go_finite_range(const void* data, go_scalar_type type, size_t n, ptrdiff_t stride,
  double range[2])
{
  if (!data || !range || n == 0 || stride < 1)
  {
    return 0;
  }
  switch (type)
  {
    case GO_INT8:
      return range_int8_t((const int8_t*)data, n, stride, range);
    case GO_UINT8:
      return range_uint8_t((const uint8_t*)data, n, stride, range);
    case GO_INT16:
      return range_int16_t((const int16_t*)data, n, stride, range);
    case GO_UINT16:
      return range_uint16_t((const uint16_t*)data, n, stride, range);
    case GO_INT32:
      return range_int32_t((const int32_t*)data, n, stride, range);
    case GO_UINT32:
      return range_uint32_t((const uint32_t*)data, n, stride, range);
    case GO_INT64:
      return range_int64_t((const int64_t*)data, n, stride, range);
    case GO_UINT64:
      return range_uint64_t((const uint64_t*)data, n, stride, range);
    case GO_FLOAT32:
      return range_float((const float*)data, n, stride, range);
    case GO_FLOAT64:
      return range_double((const double*)data, n, stride, range);
    default:
      return 0;
  }
}
