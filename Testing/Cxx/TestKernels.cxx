// Tests of the C kernels through their C API (no VTK).
#include "go_gradient.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

namespace
{
// A contiguous single-component volume of element type T over an extent.
template <typename T>
struct Volume
{
  int extent[6];
  std::vector<T> values;

  Volume(int nx, int ny, int nz, int x0 = 0, int y0 = 0, int z0 = 0)
    : extent{ x0, x0 + nx - 1, y0, y0 + ny - 1, z0, z0 + nz - 1 }
    , values(static_cast<size_t>(nx) * ny * nz)
  {
  }
  int n(int a) const { return extent[2 * a + 1] - extent[2 * a] + 1; }
  T& at(int x, int y, int z)
  {
    return values[((size_t)(z - extent[4]) * n(1) + (y - extent[2])) * n(0) + (x - extent[0])];
  }
  template <typename F>
  void Fill(F f)
  {
    for (int z = extent[4]; z <= extent[5]; ++z)
      for (int y = extent[2]; y <= extent[3]; ++y)
        for (int x = extent[0]; x <= extent[1]; ++x)
          at(x, y, z) = static_cast<T>(f(x, y, z));
  }
  go_image Image(go_scalar_type type) const
  {
    go_image im;
    im.data = values.data();
    im.type = type;
    std::memcpy(im.extent, extent, sizeof(extent));
    im.increments[0] = 1;
    im.increments[1] = n(0);
    im.increments[2] = (ptrdiff_t)n(0) * n(1);
    return im;
  }
};

// Output arrays of type O over the same extent.
template <typename O>
struct Output
{
  Volume<O> magnitude;
  std::vector<O> vector;
  go_output out;

  explicit Output(const int e[6], bool withVector = false)
    : magnitude(e[1] - e[0] + 1, e[3] - e[2] + 1, e[5] - e[4] + 1, e[0], e[2], e[4])
  {
    std::fill(magnitude.values.begin(), magnitude.values.end(), O(-1));
    if (withVector)
      vector.assign(3 * magnitude.values.size(), O(-1));
    out.magnitude = magnitude.values.data();
    out.vector = withVector ? vector.data() : nullptr;
    out.type = sizeof(O) == 4 ? GO_FLOAT32 : GO_FLOAT64;
    std::memcpy(out.extent, e, 6 * sizeof(int));
    out.increments[0] = 1;
    out.increments[1] = magnitude.n(0);
    out.increments[2] = (ptrdiff_t)magnitude.n(0) * magnitude.n(1);
  }
  O at(int x, int y, int z) { return magnitude.at(x, y, z); }
};

go_options Options(go_operator op, double hx = 1, double hy = 1, double hz = 1)
{
  go_options o;
  go_options_init(&o);
  o.op = op;
  o.spacing[0] = hx;
  o.spacing[1] = hy;
  o.spacing[2] = hz;
  return o;
}

template <typename T>
void CheckLinearField(go_scalar_type type)
{
  // f = 2x + 3y + 5z (index units) fits every type; spacing anisotropic.
  Volume<T> v(7, 6, 5);
  v.Fill([](int x, int y, int z) { return 2 * x + 3 * y + 5 * z; });
  const double h[3] = { 0.5, 2.0, 1.25 };
  const double expected = std::sqrt(std::pow(2 / h[0], 2) + std::pow(3 / h[1], 2) + std::pow(5 / h[2], 2));
  go_image in = v.Image(type);
  for (go_operator op : { GO_OP_CENTRAL, GO_OP_SOBEL })
  {
    go_options o = Options(op, h[0], h[1], h[2]);
    Output<double> out64(v.extent);
    Output<float> out32(v.extent);
    ASSERT_EQ(go_gradient_compute(&in, &o, v.extent, &out64.out), GO_OK);
    ASSERT_EQ(go_gradient_compute(&in, &o, v.extent, &out32.out), GO_OK);
    for (int z = 1; z < 4; ++z)
      for (int y = 1; y < 5; ++y)
        for (int x = 1; x < 6; ++x)
        {
          EXPECT_NEAR(out64.at(x, y, z), expected, 1e-12 * expected) << "type " << type;
          EXPECT_NEAR(out32.at(x, y, z), expected, 1e-6 * expected) << "type " << type;
        }
  }
}
}

TEST(Kernels, LinearFieldExactForEveryScalarType)
{
  CheckLinearField<int8_t>(GO_INT8);
  CheckLinearField<uint8_t>(GO_UINT8);
  CheckLinearField<int16_t>(GO_INT16);
  CheckLinearField<uint16_t>(GO_UINT16);
  CheckLinearField<int32_t>(GO_INT32);
  CheckLinearField<uint32_t>(GO_UINT32);
  CheckLinearField<int64_t>(GO_INT64);
  CheckLinearField<uint64_t>(GO_UINT64);
  CheckLinearField<float>(GO_FLOAT32);
  CheckLinearField<double>(GO_FLOAT64);
}

TEST(Kernels, EdgeModesAtTheBorder)
{
  // f = 4x: interior slope 4; EdgeCopy gives the half difference 2 at x = 0
  // and x = max, OneSided the full 4.
  Volume<uint8_t> v(6, 3, 3);
  v.Fill([](int x, int, int) { return 4 * x; });
  go_image in = v.Image(GO_UINT8);
  for (go_operator op : { GO_OP_CENTRAL, GO_OP_SOBEL })
  {
    go_options o = Options(op);
    Output<double> copy(v.extent), onesided(v.extent);
    ASSERT_EQ(go_gradient_compute(&in, &o, v.extent, &copy.out), GO_OK);
    o.edge = GO_EDGE_ONESIDED;
    ASSERT_EQ(go_gradient_compute(&in, &o, v.extent, &onesided.out), GO_OK);
    EXPECT_DOUBLE_EQ(copy.at(0, 1, 1), 2.0);
    EXPECT_DOUBLE_EQ(copy.at(5, 1, 1), 2.0);
    EXPECT_DOUBLE_EQ(copy.at(3, 1, 1), 4.0);
    EXPECT_DOUBLE_EQ(onesided.at(0, 1, 1), 4.0);
    EXPECT_DOUBLE_EQ(onesided.at(5, 1, 1), 4.0);
    EXPECT_DOUBLE_EQ(onesided.at(3, 1, 1), 4.0);
    // Constant along y and z: the y/z edges add nothing.
    EXPECT_DOUBLE_EQ(onesided.at(3, 0, 0), 4.0);
  }
}

TEST(Kernels, SingleVoxelAxisHasZeroDerivative)
{
  Volume<float> v(5, 1, 1);
  v.Fill([](int x, int, int) { return 3.0f * x; });
  go_image in = v.Image(GO_FLOAT32);
  for (go_edge_mode edge : { GO_EDGE_COPY, GO_EDGE_ONESIDED })
  {
    go_options o = Options(GO_OP_CENTRAL);
    o.edge = edge;
    Output<float> out(v.extent);
    ASSERT_EQ(go_gradient_compute(&in, &o, v.extent, &out.out), GO_OK);
    EXPECT_FLOAT_EQ(out.at(2, 0, 0), 3.0f);
  }
}

TEST(Kernels, SobelMatchesHandComputedStencil)
{
  Volume<double> v(5, 5, 5);
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(-10, 10);
  v.Fill([&](int, int, int) { return u(rng); });
  const double h[3] = { 0.7, 1.1, 1.9 };
  go_image in = v.Image(GO_FLOAT64);
  go_options o = Options(GO_OP_SOBEL, h[0], h[1], h[2]);
  Output<double> out(v.extent, true);
  ASSERT_EQ(go_gradient_compute(&in, &o, v.extent, &out.out), GO_OK);
  const double w[3] = { 1, 2, 1 };
  for (int z = 1; z <= 3; ++z)
    for (int y = 1; y <= 3; ++y)
      for (int x = 1; x <= 3; ++x)
      {
        double g[3] = { 0, 0, 0 };
        for (int a = -1; a <= 1; ++a)
          for (int b = -1; b <= 1; ++b)
          {
            const double wab = w[a + 1] * w[b + 1];
            g[0] += wab * (v.at(x + 1, y + a, z + b) - v.at(x - 1, y + a, z + b));
            g[1] += wab * (v.at(x + a, y + 1, z + b) - v.at(x + a, y - 1, z + b));
            g[2] += wab * (v.at(x + a, y + b, z + 1) - v.at(x + a, y + b, z - 1));
          }
        for (int a = 0; a < 3; ++a)
          g[a] /= 32.0 * h[a];
        const double expected = std::sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]);
        EXPECT_NEAR(out.at(x, y, z), expected, 1e-12 * (1 + expected));
        const size_t i = 3 * (((size_t)z * 5 + y) * 5 + x);
        for (int a = 0; a < 3; ++a)
          EXPECT_NEAR(out.vector[i + a], g[a], 1e-12 * (1 + std::fabs(g[a])));
      }
  // scipy scale: raw sums, per voxel: unit ramp in index units gives 32.
  Volume<double> ramp(5, 5, 5);
  ramp.Fill([](int x, int, int) { return x; });
  go_image rin = ramp.Image(GO_FLOAT64);
  o.sobel_scale = GO_SOBEL_SCIPY;
  Output<double> raw(ramp.extent);
  ASSERT_EQ(go_gradient_compute(&rin, &o, ramp.extent, &raw.out), GO_OK);
  EXPECT_DOUBLE_EQ(raw.at(2, 2, 2), 32.0);
}

TEST(Kernels, GaussianGivesExactSlopeOfLinearField)
{
  Volume<float> v(24, 20, 22);
  v.Fill([](int x, int y, int z) { return 1.5 * x - 2.0 * y + 0.5 * z; });
  const double h[3] = { 0.8, 1.0, 1.3 };
  go_image in = v.Image(GO_FLOAT32);
  go_options o = Options(GO_OP_GAUSSIAN, h[0], h[1], h[2]);
  o.sigma = 1.2;
  int r[3];
  for (int a = 0; a < 3; ++a)
  {
    r[a] = go_gradient_radius(&o, a);
    EXPECT_EQ(r[a], (int)(4.0 * 1.2 / h[a] + 0.5));
  }
  Output<double> out(v.extent, true);
  ASSERT_EQ(go_gradient_compute(&in, &o, v.extent, &out.out), GO_OK);
  const double g[3] = { 1.5 / h[0], -2.0 / h[1], 0.5 / h[2] };
  const double expected = std::sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]);
  int checked = 0;
  for (int z = r[2]; z < 22 - r[2]; ++z)
    for (int y = r[1]; y < 20 - r[1]; ++y)
      for (int x = r[0]; x < 24 - r[0]; ++x, ++checked)
        EXPECT_NEAR(out.at(x, y, z), expected, 1e-9 * expected);
  EXPECT_GT(checked, 100);
}

TEST(Kernels, CentralDifferenceConvergesAsHSquared)
{
  // f = sin(x) cos(y) sin(z) sampled on [0, 2] with h and h/2: the error at
  // the same world point drops by ~4.
  auto error = [](int n) {
    const double h = 2.0 / (n - 1);
    Volume<double> v(n, n, n);
    v.Fill([&](int x, int y, int z) { return std::sin(x * h) * std::cos(y * h) * std::sin(z * h); });
    go_image in = v.Image(GO_FLOAT64);
    go_options o = Options(GO_OP_CENTRAL, h, h, h);
    Output<double> out(v.extent);
    EXPECT_EQ(go_gradient_compute(&in, &o, v.extent, &out.out), GO_OK);
    const int c = (n - 1) / 2; // world point (1, 1, 1)
    const double p = c * h;
    const double gx = std::cos(p) * std::cos(p) * std::sin(p);
    const double gy = -std::sin(p) * std::sin(p) * std::sin(p);
    const double gz = std::sin(p) * std::cos(p) * std::cos(p);
    return std::fabs(out.at(c, c, c) - std::sqrt(gx * gx + gy * gy + gz * gz));
  };
  const double e1 = error(11), e2 = error(21);
  EXPECT_GT(e1, 0.0);
  EXPECT_GT(e1 / e2, 3.5);
  EXPECT_LT(e1 / e2, 4.5);
}

TEST(Kernels, MapperUnitsScaleByMeanSpacing)
{
  Volume<int16_t> v(8, 8, 8);
  v.Fill([](int x, int y, int z) { return 10 * x - 3 * y + 7 * z; });
  go_image in = v.Image(GO_INT16);
  for (go_operator op : { GO_OP_CENTRAL, GO_OP_SOBEL, GO_OP_GAUSSIAN })
  {
    go_options o = Options(op, 0.5, 1.0, 3.0);
    Output<double> phys(v.extent), mapper(v.extent);
    ASSERT_EQ(go_gradient_compute(&in, &o, v.extent, &phys.out), GO_OK);
    o.units = GO_UNITS_MAPPER;
    ASSERT_EQ(go_gradient_compute(&in, &o, v.extent, &mapper.out), GO_OK);
    for (size_t i = 0; i < phys.magnitude.values.size(); ++i)
      EXPECT_NEAR(mapper.magnitude.values[i], phys.magnitude.values[i] * 1.5,
        1e-12 * (1 + phys.magnitude.values[i]));
  }
}

TEST(Kernels, NonFiniteValuesStayLocal)
{
  Volume<float> v(15, 15, 15);
  v.Fill([](int x, int y, int) { return x + y; });
  v.at(7, 7, 7) = std::numeric_limits<float>::quiet_NaN();
  v.at(2, 12, 3) = std::numeric_limits<float>::infinity();
  go_image in = v.Image(GO_FLOAT32);
  for (go_operator op : { GO_OP_CENTRAL, GO_OP_SOBEL, GO_OP_GAUSSIAN })
  {
    go_options o = Options(op);
    const int r = go_gradient_radius(&o, 0);
    Output<float> out(v.extent);
    ASSERT_EQ(go_gradient_compute(&in, &o, v.extent, &out.out), GO_OK);
    EXPECT_FALSE(std::isfinite(out.at(8, 7, 7))) << "op " << op;
    for (int z = 0; z < 15; ++z)
      for (int y = 0; y < 15; ++y)
        for (int x = 0; x < 15; ++x)
        {
          const bool nearNaN = std::abs(x - 7) <= r && std::abs(y - 7) <= r && std::abs(z - 7) <= r;
          const bool nearInf = std::abs(x - 2) <= r && std::abs(y - 12) <= r && std::abs(z - 3) <= r;
          if (!nearNaN && !nearInf)
            ASSERT_TRUE(std::isfinite(out.at(x, y, z))) << x << " " << y << " " << z << " op " << op;
        }
  }
}

TEST(Kernels, PiecesAreBitwiseIdenticalToWhole)
{
  Volume<uint16_t> v(17, 13, 11, -3, 2, 5); // extent not starting at 0
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> u(0, 4000);
  v.Fill([&](int, int, int) { return u(rng); });
  go_image in = v.Image(GO_UINT16);
  for (go_operator op : { GO_OP_CENTRAL, GO_OP_SOBEL, GO_OP_GAUSSIAN })
    for (go_edge_mode edge : { GO_EDGE_COPY, GO_EDGE_ONESIDED })
    {
      go_options o = Options(op, 0.9, 1.0, 1.7);
      o.edge = edge;
      Output<float> whole(v.extent), pieces(v.extent);
      ASSERT_EQ(go_gradient_compute(&in, &o, v.extent, &whole.out), GO_OK);
      // Split along every axis into odd-sized bricks.
      for (int z0 = v.extent[4]; z0 <= v.extent[5]; z0 += 4)
        for (int y0 = v.extent[2]; y0 <= v.extent[3]; y0 += 5)
          for (int x0 = v.extent[0]; x0 <= v.extent[1]; x0 += 6)
          {
            int e[6] = { x0, std::min(x0 + 5, v.extent[1]), y0, std::min(y0 + 4, v.extent[3]), z0,
              std::min(z0 + 3, v.extent[5]) };
            ASSERT_EQ(go_gradient_compute(&in, &o, e, &pieces.out), GO_OK);
          }
      ASSERT_EQ(std::memcmp(whole.magnitude.values.data(), pieces.magnitude.values.data(),
                  whole.magnitude.values.size() * sizeof(float)),
        0)
        << "op " << op << " edge " << edge;
    }
}

// The fused paths (magnitude only, contiguous float32, <= 16-bit input) give
// bitwise the generic path's result (taken here by also asking for the vector
// output), on whole images and on pieces, for every edge and unit rule. With
// nonfinite, some voxels are +-Inf or NaN (a NaN result then only has to be
// NaN in both: the payload is not part of the promise).
template <typename T>
void CheckFusedMatchesGeneric(go_scalar_type type, int lo, int hi, go_operator op, double scale = 1,
  double sigma = 1.6, bool nonfinite = false)
{
  std::mt19937 rng(11 + type + 7 * op);
  std::uniform_int_distribution<int> u(lo, hi);
  const int dims[][3] = { { 19, 7, 6 }, { 1, 5, 4 }, { 3, 1, 5 }, { 4, 3, 1 }, { 33, 2, 2 },
    { 75, 6, 11 }, { 150, 3, 10 } }; // the last two: several blocks of the SIMD forms (up
                                      // to 128 voxels), a tail and all z taps inside
  for (const auto& d : dims)
  {
    Volume<T> v(d[0], d[1], d[2], -2, 3, 1);
    v.Fill([&](int, int, int) { return u(rng) * scale; });
    if (nonfinite)
    {
      const double special[] = { std::numeric_limits<double>::infinity(),
        -std::numeric_limits<double>::infinity(), std::nan("") };
      for (int i = 0; i < 3; ++i)
        v.at(v.extent[0] + (5 * i + 2) % d[0], v.extent[2] + (3 * i + 1) % d[1],
          v.extent[4] + (2 * i + 1) % d[2]) = static_cast<T>(special[i]);
    }
    go_image in = v.Image(type);
    for (go_edge_mode edge : { GO_EDGE_COPY, GO_EDGE_ONESIDED })
      for (go_units units : { GO_UNITS_PHYSICAL, GO_UNITS_MAPPER, GO_UNITS_INDEX })
        for (go_sobel_scale scale : { GO_SOBEL_UNIT, GO_SOBEL_SCIPY })
          for (int dimensionality : { 3, 2 })
        {
          go_options o = Options(op, 0.7, 1.3, 2.1);
          o.dimensionality = dimensionality;
          o.edge = edge;
          o.units = units;
          o.sobel_scale = scale;
          o.sigma = sigma;
          Output<float> fused(v.extent), generic(v.extent, true), pieces(v.extent);
          ASSERT_EQ(go_gradient_compute(&in, &o, v.extent, &fused.out), GO_OK);
          ASSERT_EQ(go_gradient_compute(&in, &o, v.extent, &generic.out), GO_OK);
          for (int z0 = v.extent[4]; z0 <= v.extent[5]; z0 += 2)
            for (int y0 = v.extent[2]; y0 <= v.extent[3]; y0 += 3)
              for (int x0 = v.extent[0]; x0 <= v.extent[1]; x0 += 5)
              {
                int e[6] = { x0, std::min(x0 + 4, v.extent[1]), y0, std::min(y0 + 2, v.extent[3]),
                  z0, std::min(z0 + 1, v.extent[5]) };
                ASSERT_EQ(go_gradient_compute(&in, &o, e, &pieces.out), GO_OK);
              }
          const size_t bytes = fused.magnitude.values.size() * sizeof(float);
          if (nonfinite)
          {
            size_t differ = 0, nan = 0;
            for (size_t i = 0; i < fused.magnitude.values.size(); ++i)
            {
              const float a = fused.magnitude.values[i], b = generic.magnitude.values[i],
                          c = pieces.magnitude.values[i];
              nan += std::isnan(a);
              if (std::isnan(a) || std::isnan(b) || std::isnan(c))
                differ += !(std::isnan(a) && std::isnan(b) && std::isnan(c));
              else
                differ += std::memcmp(&a, &b, sizeof a) != 0 || std::memcmp(&a, &c, sizeof a) != 0;
            }
            EXPECT_EQ(differ, 0u) << "non-finite: type " << type << " dims " << d[0] << "x" << d[1]
                                  << "x" << d[2] << " sigma " << sigma << " dim " << dimensionality;
            EXPECT_GT(nan, 0u); // the NaN voxel reached the output
            continue;
          }
          EXPECT_EQ(std::memcmp(fused.magnitude.values.data(), generic.magnitude.values.data(), bytes), 0)
            << "type " << type << " op " << op << " dims " << d[0] << "x" << d[1] << "x" << d[2]
            << " edge " << edge << " units " << units << " scale " << scale << " dim "
            << dimensionality << " sigma " << sigma;
          EXPECT_EQ(std::memcmp(fused.magnitude.values.data(), pieces.magnitude.values.data(), bytes), 0)
            << "pieces: type " << type << " op " << op << " edge " << edge;
        }
  }
}

// Every integer type through the fused path of op, with its AVX-512F rows
// (where the CPU has them) and with the AVX2 or portable clones.
void CheckFusedIntegerTypesAtBothLevels(go_operator op)
{
  for (int simd : { 2, 1 })
  {
    const int previous = go_gradient_set_simd(simd);
    CheckFusedMatchesGeneric<int8_t>(GO_INT8, -128, 127, op);
    CheckFusedMatchesGeneric<uint8_t>(GO_UINT8, 0, 255, op);
    CheckFusedMatchesGeneric<int16_t>(GO_INT16, -32768, 32767, op);
    CheckFusedMatchesGeneric<uint16_t>(GO_UINT16, 0, 65535, op);
    go_gradient_set_simd(previous);
  }
}

TEST(Kernels, FusedCentralIsBitwiseGeneric)
{
  CheckFusedIntegerTypesAtBothLevels(GO_OP_CENTRAL);
}

TEST(Kernels, FusedSobelIsBitwiseGeneric)
{
  CheckFusedIntegerTypesAtBothLevels(GO_OP_SOBEL);
}

TEST(Kernels, FusedGaussianIsBitwiseGeneric)
{
  // the fast path with its AVX-512F forms (where the CPU has them), its
  // AVX2 forms and its portable loops
  for (int simd : { 2, 1, 0 })
  {
    const int previous = go_gradient_set_simd(simd);
  CheckFusedMatchesGeneric<int8_t>(GO_INT8, -128, 127, GO_OP_GAUSSIAN);
  CheckFusedMatchesGeneric<uint8_t>(GO_UINT8, 0, 255, GO_OP_GAUSSIAN);
  CheckFusedMatchesGeneric<int16_t>(GO_INT16, -32768, 32767, GO_OP_GAUSSIAN);
  CheckFusedMatchesGeneric<uint16_t>(GO_UINT16, 0, 65535, GO_OP_GAUSSIAN);
  CheckFusedMatchesGeneric<float>(GO_FLOAT32, -100000, 100000, GO_OP_GAUSSIAN);
  // magnitudes beyond the float fast formula's range both ways
  CheckFusedMatchesGeneric<float>(GO_FLOAT32, -100000, 100000, GO_OP_GAUSSIAN, 1e30);
  CheckFusedMatchesGeneric<float>(GO_FLOAT32, -100000, 100000, GO_OP_GAUSSIAN, 1e-40);
  // sigma so small that the float smoothing weights of the outer taps are 0
  // (the sums skip them; the AVX2 forms, which take every pair, are not used)
  CheckFusedMatchesGeneric<uint8_t>(GO_UINT8, 0, 255, GO_OP_GAUSSIAN, 1, 0.03);
  CheckFusedMatchesGeneric<float>(GO_FLOAT32, -100000, 100000, GO_OP_GAUSSIAN, 1, 0.03, true);
  CheckFusedMatchesGeneric<float>(GO_FLOAT32, -100000, 100000, GO_OP_GAUSSIAN, 1, 1.6, true);
    go_gradient_set_simd(previous);
  }
}

TEST(Kernels, GaussianRowBlocksAreBitwiseGeneric)
{
  // Rows so wide that the nine z-tap planes' rows of a whole plane exceed the
  // fast path's cache budget: each plane is taken in blocks of rows (here two
  // blocks of 50), every block with its own y halo.
  Volume<uint16_t> v(1500, 100, 3, -1, 2, 0);
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> u(0, 65535);
  v.Fill([&](int, int, int) { return u(rng); });
  go_image in = v.Image(GO_UINT16);
  go_options o = Options(GO_OP_GAUSSIAN, 0.7, 1.3, 2.1);
  o.sigma = 1.6;
  Output<float> fused(v.extent), generic(v.extent, true);
  ASSERT_EQ(go_gradient_compute(&in, &o, v.extent, &fused.out), GO_OK);
  ASSERT_EQ(go_gradient_compute(&in, &o, v.extent, &generic.out), GO_OK);
  EXPECT_EQ(std::memcmp(fused.magnitude.values.data(), generic.magnitude.values.data(),
              fused.magnitude.values.size() * sizeof(float)),
    0);
}

TEST(Kernels, StridedComponentAndRotationMatrix)
{
  // Two interleaved components; the second is f = 3x + 4y (|grad| = 5).
  const int n = 6;
  std::vector<double> data(2 * n * n * n);
  for (int z = 0; z < n; ++z)
    for (int y = 0; y < n; ++y)
      for (int x = 0; x < n; ++x)
      {
        const size_t i = ((size_t)z * n + y) * n + x;
        data[2 * i] = 1000.0 * x;
        data[2 * i + 1] = 3.0 * x + 4.0 * y;
      }
  go_image in;
  in.data = data.data() + 1;
  in.type = GO_FLOAT64;
  int e[6] = { 0, n - 1, 0, n - 1, 0, n - 1 };
  std::memcpy(in.extent, e, sizeof(e));
  in.increments[0] = 2;
  in.increments[1] = 2 * n;
  in.increments[2] = 2 * n * n;
  // A rotation by 90 degrees about z: magnitude unchanged, vector rotated.
  const double m[9] = { 0, -1, 0, 1, 0, 0, 0, 0, 1 };
  go_options o = Options(GO_OP_CENTRAL);
  o.matrix = m;
  Output<double> out(e, true);
  ASSERT_EQ(go_gradient_compute(&in, &o, e, &out.out), GO_OK);
  EXPECT_DOUBLE_EQ(out.at(2, 3, 3), 5.0);
  const size_t i = 3 * (((size_t)3 * n + 3) * n + 2);
  EXPECT_DOUBLE_EQ(out.vector[i + 0], -4.0);
  EXPECT_DOUBLE_EQ(out.vector[i + 1], 3.0);
  EXPECT_DOUBLE_EQ(out.vector[i + 2], 0.0);
}

TEST(Kernels, JacobianAccumulation)
{
  Volume<float> a(5, 5, 5), b(5, 5, 5);
  a.Fill([](int x, int, int) { return 3 * x; });
  b.Fill([](int, int y, int) { return 4 * y; });
  go_image ia = a.Image(GO_FLOAT32), ib = b.Image(GO_FLOAT32);
  go_options o = Options(GO_OP_CENTRAL);
  Output<float> out(a.extent);
  o.accumulate = GO_WRITE_SQUARED;
  ASSERT_EQ(go_gradient_compute(&ia, &o, a.extent, &out.out), GO_OK);
  o.accumulate = GO_ADD_SQUARED;
  ASSERT_EQ(go_gradient_compute(&ib, &o, a.extent, &out.out), GO_OK);
  ASSERT_EQ(go_sqrt_inplace(&out.out, a.extent), GO_OK);
  EXPECT_FLOAT_EQ(out.at(2, 2, 2), 5.0f);
}

TEST(Kernels, BadArgumentsAreRejected)
{
  Volume<uint8_t> v(4, 4, 4);
  v.Fill([](int x, int, int) { return x; });
  go_image in = v.Image(GO_UINT8);
  Output<float> out(v.extent);
  go_options o = Options(GO_OP_CENTRAL);
  EXPECT_EQ(go_gradient_compute(nullptr, &o, v.extent, &out.out), GO_ERROR_ARGUMENT);
  for (double bad : { 0.0, -1.0, std::nan(""), std::numeric_limits<double>::infinity() })
  {
    go_options b = o;
    b.spacing[1] = bad;
    EXPECT_EQ(go_gradient_compute(&in, &b, v.extent, &out.out), GO_ERROR_SPACING);
  }
  int outside[6] = { 0, 4, 0, 3, 0, 3 };
  EXPECT_EQ(go_gradient_compute(&in, &o, outside, &out.out), GO_ERROR_EXTENT);
  int empty[6] = { 0, -1, 0, 3, 0, 3 };
  EXPECT_EQ(go_gradient_compute(&in, &o, empty, &out.out), GO_ERROR_EXTENT);
  go_image badType = in;
  badType.type = GO_NUMBER_OF_TYPES;
  EXPECT_EQ(go_gradient_compute(&badType, &o, v.extent, &out.out), GO_ERROR_TYPE);
  go_options g = Options(GO_OP_GAUSSIAN);
  g.sigma = -1;
  EXPECT_EQ(go_gradient_compute(&in, &g, v.extent, &out.out), GO_ERROR_SIGMA);
  g.sigma = 1e300;
  EXPECT_EQ(go_gradient_compute(&in, &g, v.extent, &out.out), GO_ERROR_SIGMA);
  go_options e = o;
  e.edge = static_cast<go_edge_mode>(9);
  EXPECT_EQ(go_gradient_compute(&in, &e, v.extent, &out.out), GO_ERROR_ARGUMENT);
  // Nothing was written by the failed calls.
  for (float value : out.magnitude.values)
    EXPECT_EQ(value, -1.0f);
  EXPECT_STRNE(go_status_string(GO_ERROR_SPACING), "unknown status");
}
