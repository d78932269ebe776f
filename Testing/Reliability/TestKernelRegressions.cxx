// Regressions of kernel bugs found by the fuzz target (Testing/Fuzz), each
// failing before its fix.
#include "go_gradient.h"

#include <gtest/gtest.h>

#include <cfloat>
#include <climits>
#include <cmath>
#include <vector>

namespace
{
struct KRun
{
  std::vector<double> mag;
  go_status status;
};

// A contiguous single-component double volume of n^3 voxels at the given
// extent origin, f(i, j, k) in index coordinates relative to the origin.
template <typename T, typename F>
KRun Compute(int n, int x0, int y0, int z0, go_scalar_type type, go_options o, F f,
  go_scalar_type outType = GO_FLOAT64)
{
  std::vector<T> in(static_cast<size_t>(n) * n * n);
  for (int k = 0; k < n; ++k)
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i)
        in[(static_cast<size_t>(k) * n + j) * n + i] = static_cast<T>(f(i, j, k));
  go_image im;
  im.data = in.data();
  im.type = type;
  const int ext[6] = { x0, x0 + (n - 1), y0, y0 + (n - 1), z0, z0 + (n - 1) };
  for (int a = 0; a < 6; ++a)
    im.extent[a] = ext[a];
  im.increments[0] = 1;
  im.increments[1] = n;
  im.increments[2] = static_cast<ptrdiff_t>(n) * n;
  KRun r;
  r.mag.assign(in.size(), -1.0);
  std::vector<float> magf(in.size(), -1.0f);
  go_output out;
  out.magnitude = outType == GO_FLOAT64 ? static_cast<void*>(r.mag.data()) : magf.data();
  out.vector = nullptr;
  out.type = outType;
  for (int a = 0; a < 6; ++a)
    out.extent[a] = ext[a];
  out.increments[0] = 1;
  out.increments[1] = n;
  out.increments[2] = static_cast<ptrdiff_t>(n) * n;
  r.status = go_gradient_compute(&im, &o, ext, &out);
  if (outType == GO_FLOAT32)
    for (size_t i = 0; i < magf.size(); ++i)
      r.mag[i] = magf[i];
  return r;
}

double Ramp(int i, int j, int k)
{
  return 3.0 * i - 2.0 * j + 0.5 * k * k;
}
}

// Extents ending at INT_MAX made the row/slice loops overflow int (UB; an
// endless loop over wrapped coordinates in practice); extents starting at
// INT_MIN overflowed e[0] - radius. Same values as at the origin.
TEST(KernelRegressions, ExtentsAtIntLimitsMatchOrigin)
{
  for (int op = GO_OP_CENTRAL; op <= GO_OP_GAUSSIAN; ++op)
  {
    go_options o;
    go_options_init(&o);
    o.op = static_cast<go_operator>(op);
    o.sigma = 1.5;
    const KRun ref = Compute<double>(5, 0, 0, 0, GO_FLOAT64, o, Ramp);
    ASSERT_EQ(ref.status, GO_OK);
    const int hi = INT_MAX - 4;
    const KRun top = Compute<double>(5, hi, hi, hi, GO_FLOAT64, o, Ramp);
    const KRun bottom = Compute<double>(5, INT_MIN, INT_MIN, INT_MIN, GO_FLOAT64, o, Ramp);
    ASSERT_EQ(top.status, GO_OK);
    ASSERT_EQ(bottom.status, GO_OK);
    EXPECT_EQ(ref.mag, top.mag) << "operator " << op;
    EXPECT_EQ(ref.mag, bottom.mag) << "operator " << op;
  }
}

// A Gaussian sigma far below the spacing (here 0.02 voxel) underflowed
// exp(-1/(2 s^2)) to 0 and the derivative weights became 0/0 = NaN for every
// voxel. The limit is the central difference.
TEST(KernelRegressions, TinyGaussianSigmaIsCentralDifference)
{
  go_options o;
  go_options_init(&o);
  o.op = GO_OP_GAUSSIAN;
  o.sigma = 0.02;
  const KRun g = Compute<double>(5, 0, 0, 0, GO_FLOAT64, o, Ramp);
  go_options c;
  go_options_init(&c);
  const KRun ref = Compute<double>(5, 0, 0, 0, GO_FLOAT64, c, Ramp);
  ASSERT_EQ(g.status, GO_OK);
  for (size_t i = 0; i < g.mag.size(); ++i)
  {
    ASSERT_TRUE(std::isfinite(g.mag[i])) << i;
    EXPECT_NEAR(g.mag[i], ref.mag[i], 1e-12 * (1 + ref.mag[i])) << i;
  }
}

// |g|^2 overflowed for |g| > sqrt(DBL_MAX) (and > sqrt(FLT_MAX) in float
// work), giving Inf for a representable magnitude; tiny gradients underflowed
// to 0.
TEST(KernelRegressions, MagnitudeHasNoIntermediateOverflowOrUnderflow)
{
  go_options o;
  go_options_init(&o);
  for (double s : { 1e200, 1e-200 })
  {
    const KRun r = Compute<double>(4, 0, 0, 0, GO_FLOAT64, o, [s](int i, int j, int k) {
      return s * (3.0 * i + 4.0 * j + 12.0 * k);
    });
    ASSERT_EQ(r.status, GO_OK);
    const double want = 13.0 * s; // interior voxel (1,1,1)
    EXPECT_NEAR(r.mag[1 + 4 + 16], want, 1e-14 * want) << s;
  }
  for (double s : { 1e25, 1e-20 })
  {
    const KRun r = Compute<float>(4, 0, 0, 0, GO_FLOAT32, o,
      [s](int i, int j, int k) { return s * (3.0 * i + 4.0 * j + 12.0 * k); }, GO_FLOAT32);
    ASSERT_EQ(r.status, GO_OK);
    const double want = 13.0 * s;
    EXPECT_NEAR(r.mag[1 + 4 + 16], want, 1e-6 * want) << s;
  }
}

// A valid but extreme spacing (1e-300) made the float derivative factor
// Inf, and a constant region gave 0 * Inf = NaN instead of 0.
TEST(KernelRegressions, ExtremeSpacingConstantRegionIsZero)
{
  for (int op = GO_OP_CENTRAL; op <= GO_OP_SOBEL; ++op)
  {
    go_options o;
    go_options_init(&o);
    o.op = static_cast<go_operator>(op);
    o.spacing[0] = 1e-300;
    const KRun r = Compute<unsigned char>(4, 0, 0, 0, GO_UINT8, o,
      [](int, int j, int) { return 7.0 + j; }, GO_FLOAT32);
    ASSERT_EQ(r.status, GO_OK);
    for (size_t i = 0; i < r.mag.size(); ++i)
    {
      ASSERT_TRUE(std::isfinite(r.mag[i])) << "operator " << op << " voxel " << i;
    }
    // interior voxel: the y ramp only
    EXPECT_NEAR(r.mag[1 + 4 + 16], 1.0, 1e-6);
  }
}
