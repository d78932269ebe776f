// The sampling and statistics kernels behind vtkAutoGradientOpacity's speed:
// stratified sub-voxel positions, thread-split sampling, the strided MAD and
// the histogram's logarithm, each against a plain reference.
#include "go_autoopacity.h"
#include "vtkAutoGradientOpacity.h"

#include "vtkFloatArray.h"
#include "vtkGradientMagnitudeFilter.h"
#include "vtkTable.h"
#include "vtkImageData.h"
#include "vtkMultiThreader.h"
#include "vtkNew.h"
#include "vtkPiecewiseFunction.h"
#include "vtkPointData.h"
#include "vtkUnsignedShortArray.h"

#include <gtest/gtest.h>

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace
{
go_image View(const void* data, go_scalar_type type, const int dims[3])
{
  go_image im;
  im.data = data;
  im.type = type;
  im.extent[0] = 0;
  im.extent[1] = dims[0] - 1;
  im.extent[2] = 0;
  im.extent[3] = dims[1] - 1;
  im.extent[4] = 0;
  im.extent[5] = dims[2] - 1;
  im.increments[0] = 1;
  im.increments[1] = dims[0];
  im.increments[2] = static_cast<ptrdiff_t>(dims[0]) * dims[1];
  return im;
}

// A noisy ramp-and-sphere volume: the fixture of these tests.
std::vector<float> Volume(const int dims[3], unsigned seed)
{
  std::mt19937 rng(seed);
  std::normal_distribution<float> noise(0.0f, 3.0f);
  std::vector<float> v(static_cast<size_t>(dims[0]) * dims[1] * dims[2]);
  size_t i = 0;
  for (int z = 0; z < dims[2]; ++z)
    for (int y = 0; y < dims[1]; ++y)
      for (int x = 0; x < dims[0]; ++x, ++i)
      {
        const float r = std::sqrt(float((x - 9) * (x - 9) + (y - 8) * (y - 8) + (z - 6) * (z - 6)));
        v[i] = 2.0f * x + (r < 5.0f ? 100.0f : 0.0f) + noise(rng);
      }
  return v;
}

// The MAD sigma exactly as specified: every pair enumerated, every
// stride-th kept (the kernel jumps to the kept ones).
double ReferenceMad(const std::vector<float>& v, const int dims[3], size_t maxPairs,
  const std::vector<uint8_t>* mask = nullptr)
{
  size_t total = 0;
  for (int a = 0; a < 3; ++a)
    if (dims[a] > 1)
      total += size_t(dims[a] - 1) * dims[(a + 1) % 3] * dims[(a + 2) % 3];
  const size_t stride = std::max<size_t>((total + maxPairs - 1) / maxPairs, 1);
  std::vector<double> d;
  size_t idx = 0;
  for (int a = 0; a < 3; ++a)
  {
    if (dims[a] < 2)
      continue;
    int lim[3] = { dims[0], dims[1], dims[2] };
    lim[a] -= 1;
    const size_t step = a == 0 ? 1 : (a == 1 ? size_t(dims[0]) : size_t(dims[0]) * dims[1]);
    for (int k = 0; k < lim[2]; ++k)
      for (int j = 0; j < lim[1]; ++j)
        for (int i = 0; i < lim[0]; ++i, ++idx)
        {
          if (idx % stride)
            continue;
          const size_t p = i + size_t(dims[0]) * (j + size_t(dims[1]) * k);
          if (mask && (!(*mask)[p] || !(*mask)[p + step]))
            continue;
          if (!std::isfinite(v[p]) || !std::isfinite(v[p + step]))
            continue;
          d.push_back(double(v[p + step]) - double(v[p]));
        }
  }
  auto median = [](std::vector<double> x) {
    std::nth_element(x.begin(), x.begin() + x.size() / 2, x.end());
    return x[x.size() / 2];
  };
  const double med = median(d);
  for (double& x : d)
    x = std::fabs(x - med);
  return 1.4826 * median(d) / std::sqrt(2.0);
}

// go_ao_histogram_binned on g[0 .. n) gives exactly go_ao_histogram's counts
// and totals (what names the case goes in the failure message).
void ExpectBinnedMatchesReference(const go_ao_binner& binner, const float* g, const float* w,
  size_t n, double gmax, double logLo, int nbins, const std::string& what)
{
  std::vector<double> ref(nbins), got(nbins, -1.0);
  go_ao_counts ri, gi;
  ASSERT_EQ(GO_OK, go_ao_histogram(g, w, n, gmax, logLo, nbins, ref.data(), &ri));
  ASSERT_EQ(GO_OK, go_ao_histogram_binned(&binner, g, w, n, got.data(), &gi));
  EXPECT_EQ(0, std::memcmp(ref.data(), got.data(), ref.size() * sizeof(double))) << what;
  EXPECT_EQ(ri.n_binned, gi.n_binned);
  EXPECT_EQ(ri.n_zero, gi.n_zero);
  EXPECT_EQ(ri.n_nonfinite, gi.n_nonfinite);
  EXPECT_EQ(ri.total_weight, gi.total_weight);
}
}

// With n equal to the number of cells, stratification puts sample s in cell s
// (raster order, x fastest): the volume is covered evenly and in memory order.
TEST(AutoOpacitySampling, StratifiedPositionsVisitEveryCellInRasterOrder)
{
  const int dims[3] = { 7, 5, 4 };
  const size_t cells = 6 * 4 * 3;
  // Three coordinate fields f_a = index a: F_a(p) is p's coordinate a.
  std::vector<float> f[3];
  for (auto& fa : f)
    fa.resize(7 * 5 * 4);
  for (int z = 0; z < 4; ++z)
    for (int y = 0; y < 5; ++y)
      for (int x = 0; x < 7; ++x)
      {
        f[0][x + 7 * (y + 5 * z)] = float(x);
        f[1][x + 7 * (y + 5 * z)] = float(y);
        f[2][x + 7 * (y + 5 * z)] = float(z);
      }
  const double spacing[3] = { 1, 1, 1 };
  std::vector<float> p[3];
  for (int a = 0; a < 3; ++a)
  {
    const go_image im = View(f[a].data(), GO_FLOAT32, dims);
    std::vector<float> g(cells), w(cells);
    p[a].resize(cells);
    ASSERT_EQ(GO_OK,
      go_ao_subvoxel_samples(&im, 0, &im, nullptr, nullptr, spacing, cells, 7, g.data(), w.data(),
        p[a].data()));
  }
  for (size_t s = 0; s < cells; ++s)
  {
    const int c[3] = { int(s % 6), int((s / 6) % 4), int(s / 24) };
    for (int a = 0; a < 3; ++a)
    {
      EXPECT_GE(p[a][s], c[a] - 1e-5) << s << " axis " << a;
      EXPECT_LE(p[a][s], c[a] + 1 + 1e-5) << s << " axis " << a;
    }
  }
}

// Any split of [0, n) gives the samples of one call, bit for bit.
TEST(AutoOpacitySampling, RangesReproduceOneCall)
{
  const int dims[3] = { 19, 17, 13 };
  const std::vector<float> f = Volume(dims, 3);
  std::vector<uint16_t> u(f.size());
  for (size_t i = 0; i < f.size(); ++i)
    u[i] = static_cast<uint16_t>(std::max(0.0f, f[i]));
  const double spacing[3] = { 0.7, 1.1, 2.3 };
  const size_t n = 5003;
  for (int typed = 0; typed < 2; ++typed)
  {
    const go_image im = typed ? View(u.data(), GO_UINT16, dims) : View(f.data(), GO_FLOAT32, dims);
    std::vector<float> g(n), w(n), v(n), g2(n), w2(n), v2(n);
    ASSERT_EQ(GO_OK,
      go_ao_subvoxel_samples(&im, 0, &im, nullptr, nullptr, spacing, n, 42, g.data(), w.data(),
        v.data()));
    const size_t cuts[] = { 0, 1, 998, 2500, 4999, n };
    for (size_t c = 0; c + 1 < sizeof(cuts) / sizeof(cuts[0]); ++c)
    {
      ASSERT_EQ(GO_OK,
        go_ao_subvoxel_samples_range(&im, 0, &im, nullptr, nullptr, spacing, n, 42, cuts[c],
          cuts[c + 1], g2.data() + cuts[c], w2.data() + cuts[c], v2.data() + cuts[c]));
    }
    EXPECT_EQ(0, std::memcmp(g.data(), g2.data(), n * sizeof(float)));
    EXPECT_EQ(0, std::memcmp(w.data(), w2.data(), n * sizeof(float)));
    EXPECT_EQ(0, std::memcmp(v.data(), v2.data(), n * sizeof(float)));
    // A range outside [0, n] is refused.
    EXPECT_EQ(GO_ERROR_ARGUMENT,
      go_ao_subvoxel_samples_range(&im, 0, &im, nullptr, nullptr, spacing, n, 42, 10, n + 1,
        g2.data(), w2.data(), nullptr));
  }
}

// The typed fast path (raw scalars) and the generic path (a different value
// array of the same content) compute the same samples.
TEST(AutoOpacitySampling, TypedPathMatchesGenericPath)
{
  const int dims[3] = { 16, 12, 9 };
  std::vector<float> f = Volume(dims, 5);
  // NaN and Inf voxels: samples whose reads give them weight read NaN (and
  // get weight 0) on both paths; the others must not be poisoned by them
  f[3 + 16 * (4 + 12 * 4)] = std::numeric_limits<float>::quiet_NaN();
  f[15 + 16 * (11 + 12 * 8)] = std::numeric_limits<float>::infinity();
  f[7 + 16 * (0 + 12 * 2)] = -std::numeric_limits<float>::infinity();
  // next to the last x voxel: reads clamped to x = 15 give it weight 0
  f[14 + 16 * (6 + 12 * 5)] = std::numeric_limits<float>::quiet_NaN();
  std::vector<double> d(f.begin(), f.end());
  const go_image fim = View(f.data(), GO_FLOAT32, dims);
  const go_image dim = View(d.data(), GO_FLOAT64, dims);
  const double spacing[3] = { 1.0, 0.5, 2.0 };
  const size_t n = 4000;
  std::vector<float> g1(n), w1(n), v1(n), g2(n), w2(n), v2(n);
  ASSERT_EQ(GO_OK,
    go_ao_subvoxel_samples(&fim, 0, &fim, nullptr, nullptr, spacing, n, 9, g1.data(), w1.data(),
      v1.data()));
  // values = the same numbers as double: not the same image, generic path
  ASSERT_EQ(GO_OK,
    go_ao_subvoxel_samples(&fim, 0, &dim, nullptr, nullptr, spacing, n, 9, g2.data(), w2.data(),
      v2.data()));
  size_t poisoned = 0;
  for (size_t s = 0; s < n; ++s)
  {
    // float data take the lerp form in double: equal up to its rounding
    if (std::isfinite(g2[s]))
      EXPECT_NEAR(g1[s], g2[s], 1e-5 * std::max(1.0f, g2[s])) << s;
    else
      EXPECT_FALSE(std::isfinite(g1[s])) << s;
    poisoned += !std::isfinite(g2[s]);
    EXPECT_EQ(w1[s], w2[s]) << s;
    EXPECT_TRUE(v1[s] == v2[s] || (std::isnan(v1[s]) && std::isnan(v2[s]))) << s;
  }
  EXPECT_GT(poisoned, 0u); // the fixture does exercise the NaN/Inf reads
  EXPECT_LT(poisoned, n / 4);
  // Integer data: interior samples take the lerp form in float (8/16-bit)
  // or double (wider), the others the factored difference: the same value
  // up to rounding of sums of voxels (at most ~1e-6 of the largest voxel).
  std::vector<uint16_t> u(f.size());
  for (size_t i = 0; i < f.size(); ++i)
    u[i] = static_cast<uint16_t>(std::max(0.0f, f[i] + 20.0f));
  const float umax = *std::max_element(u.begin(), u.end());
  std::vector<double> ud(u.begin(), u.end());
  const go_image uim = View(u.data(), GO_UINT16, dims);
  const go_image udim = View(ud.data(), GO_FLOAT64, dims);
  ASSERT_EQ(GO_OK,
    go_ao_subvoxel_samples(&uim, 0, &uim, nullptr, nullptr, spacing, n, 9, g1.data(), w1.data(),
      v1.data()));
  ASSERT_EQ(GO_OK,
    go_ao_subvoxel_samples(&uim, 0, &udim, nullptr, nullptr, spacing, n, 9, g2.data(), w2.data(),
      v2.data()));
  for (size_t s = 0; s < n; ++s)
  {
    EXPECT_NEAR(g1[s], g2[s], 1e-6 * std::max(umax, g2[s])) << s;
    EXPECT_EQ(v1[s], v2[s]) << s;
  }
}

// Every integer type through the typed sampler (interior lerp form, edge
// samples clamped) against the generic double path on the same numbers,
// on a volume large enough for most samples to be interior.
TEST(AutoOpacitySampling, IntegerTypesMatchGenericPath)
{
  const int dims[3] = { 23, 17, 12 };
  const std::vector<float> f = Volume(dims, 21);
  const size_t nv = f.size(), n = 6000;
  const double spacing[3] = { 0.7, 1.0, 1.6 };
  std::vector<double> ref(nv);
  auto run = [&](const void* data, go_scalar_type type, double vmax) {
    const go_image im = View(data, type, dims);
    const go_image rim = View(ref.data(), GO_FLOAT64, dims);
    std::vector<float> g1(n), w1(n), g2(n), w2(n);
    ASSERT_EQ(GO_OK,
      go_ao_subvoxel_samples(&im, 0, nullptr, nullptr, nullptr, spacing, n, 3, g1.data(),
        w1.data(), nullptr));
    ASSERT_EQ(GO_OK,
      go_ao_subvoxel_samples(&rim, 0, nullptr, nullptr, nullptr, spacing, n, 3, g2.data(),
        w2.data(), nullptr));
    for (size_t s = 0; s < n; ++s)
    {
      EXPECT_NEAR(g1[s], g2[s], 2e-6 * std::max(vmax, double(g2[s]))) << type << " " << s;
      EXPECT_EQ(w1[s], w2[s]) << type << " " << s;
    }
  };
  // offsets that use each type's range (signed types below zero)
  std::vector<uint8_t> u8(nv);
  std::vector<int8_t> i8(nv);
  std::vector<uint16_t> u16(nv);
  std::vector<int16_t> i16(nv);
  std::vector<int32_t> i32(nv);
  std::vector<uint64_t> u64(nv);
  for (size_t i = 0; i < nv; ++i)
  {
    const float v = std::min(std::max(f[i], 0.0f), 200.0f);
    u8[i] = static_cast<uint8_t>(v);
    i8[i] = static_cast<int8_t>(v * 0.6f - 60.0f);
    u16[i] = static_cast<uint16_t>(v * 300.0f);
    i16[i] = static_cast<int16_t>(v * 150.0f - 15000.0f);
    i32[i] = static_cast<int32_t>(v * 1.0e6f - 1.0e8f);
    u64[i] = static_cast<uint64_t>(v * 1.0e6f);
  }
  std::copy(u8.begin(), u8.end(), ref.begin());
  run(u8.data(), GO_UINT8, 255.0);
  std::copy(i8.begin(), i8.end(), ref.begin());
  run(i8.data(), GO_INT8, 128.0);
  std::copy(u16.begin(), u16.end(), ref.begin());
  run(u16.data(), GO_UINT16, 65535.0);
  std::copy(i16.begin(), i16.end(), ref.begin());
  run(i16.data(), GO_INT16, 32768.0);
  std::copy(i32.begin(), i32.end(), ref.begin());
  run(i32.data(), GO_INT32, 1.0e-3); // double arithmetic: relative to g
  std::copy(u64.begin(), u64.end(), ref.begin());
  run(u64.data(), GO_UINT64, 1.0e-3);
}

// The AVX2 form of the interior path gives bitwise the scalar form's
// samples (same float operations in the same order), for each type it
// covers, with edge samples mixed into the batches and the sequence split
// at offsets that are not multiples of the batch.
TEST(AutoOpacitySampling, SimdMatchesScalarBitwise)
{
  const int dims[3] = { 40, 33, 21 };
  const std::vector<float> f = Volume(dims, 8);
  const size_t nv = f.size(), n = 20000;
  const double spacing[3] = { 0.5, 0.8, 2.5 };
  std::vector<uint8_t> u8(nv);
  std::vector<int8_t> i8(nv);
  std::vector<uint16_t> u16(nv);
  std::vector<int16_t> i16(nv);
  for (size_t i = 0; i < nv; ++i)
  {
    const float v = std::min(std::max(f[i], 0.0f), 255.0f);
    u8[i] = static_cast<uint8_t>(v);
    i8[i] = static_cast<int8_t>(v * 0.5f - 64.0f);
    u16[i] = static_cast<uint16_t>(v * 257.0f);
    i16[i] = static_cast<int16_t>(v * 200.0f - 25000.0f);
  }
  const std::pair<const void*, go_scalar_type> cases[] = { { u8.data(), GO_UINT8 },
    { i8.data(), GO_INT8 }, { u16.data(), GO_UINT16 }, { i16.data(), GO_INT16 } };
  for (const auto& c : cases)
  {
    const go_image im = View(c.first, c.second, dims);
    std::vector<float> gs(n), ws(n), gv(n), wv(n);
    const int previous = go_ao_set_simd(0);
    ASSERT_EQ(GO_OK,
      go_ao_subvoxel_samples(&im, 0, &im, nullptr, nullptr, spacing, n, 77, gs.data(),
        ws.data(), nullptr));
    go_ao_set_simd(1);
    for (size_t s0 = 0; s0 < n;) // ranges of 1, 7, 13, ... samples
    {
      const size_t s1 = std::min(n, s0 + 1 + 6 * (s0 % 5) + (s0 % 3));
      ASSERT_EQ(GO_OK,
        go_ao_subvoxel_samples_range(&im, 0, &im, nullptr, nullptr, spacing, n, 77, s0, s1,
          gv.data() + s0, wv.data() + s0, nullptr));
      s0 = s1;
    }
    go_ao_set_simd(previous);
    EXPECT_EQ(0, std::memcmp(gs.data(), gv.data(), n * sizeof(float))) << c.second;
    EXPECT_EQ(0, std::memcmp(ws.data(), wv.data(), n * sizeof(float))) << c.second;
    // and the whole sequence in one call, batches of eight throughout
    std::vector<float> g1(n), w1(n);
    ASSERT_EQ(GO_OK,
      go_ao_subvoxel_samples(&im, 0, &im, nullptr, nullptr, spacing, n, 77, g1.data(),
        w1.data(), nullptr));
    EXPECT_EQ(0, std::memcmp(gs.data(), g1.data(), n * sizeof(float))) << c.second;
  }
}

TEST(AutoOpacitySampling, StridedMadMatchesFullEnumeration)
{
  const int shapes[][3] = { { 23, 19, 11 }, { 40, 1, 9 }, { 1, 1, 300 }, { 64, 64, 64 } };
  for (const auto& dims : shapes)
  {
    const std::vector<float> f = Volume(dims, 11);
    const go_image im = View(f.data(), GO_FLOAT32, dims);
    for (size_t maxPairs : { size_t(1), size_t(97), size_t(5000), size_t(GO_AO_MAD_MAX_PAIRS) })
    {
      EXPECT_EQ(ReferenceMad(f, dims, maxPairs), go_ao_mad_sigma(&im, nullptr, maxPairs))
        << dims[0] << "x" << dims[1] << "x" << dims[2] << " max " << maxPairs;
    }
  }
}

// The same with a mask and non-finite voxels (pairs touching either are
// left out), on signed data whose differences straddle zero.
TEST(AutoOpacitySampling, StridedMadWithMaskAndNaNs)
{
  const int dims[3] = { 31, 17, 13 };
  std::vector<float> f = Volume(dims, 12);
  std::vector<uint8_t> mask(f.size());
  for (size_t i = 0; i < f.size(); ++i)
  {
    f[i] -= 40.0f;
    mask[i] = (i % 11) != 3 && (i / 31) % 5 != 2;
    if (i % 97 == 5)
      f[i] = std::numeric_limits<float>::quiet_NaN();
  }
  const go_image im = View(f.data(), GO_FLOAT32, dims);
  const go_image mim = View(mask.data(), GO_UINT8, dims);
  for (size_t maxPairs : { size_t(50), size_t(3000), size_t(GO_AO_MAD_MAX_PAIRS) })
  {
    const double ref = ReferenceMad(f, dims, maxPairs, &mask);
    EXPECT_GT(ref, 0.0);
    EXPECT_EQ(ref, go_ao_mad_sigma(&im, &mim, maxPairs)) << maxPairs;
  }
}

// The histogram's logarithm: bins agree with log() except within 1e-9 of a
// bin edge, over the whole float range the histogram sees.
TEST(AutoOpacitySampling, HistogramBinsMatchLibmLog)
{
  std::mt19937 rng(17);
  std::uniform_real_distribution<double> e(-40.0, 40.0);
  const int nbins = 2048;
  const double logLo = -std::log(1e5), gmax = 3.7;
  const size_t n = 200000;
  std::vector<float> g(n);
  for (auto& x : g)
    x = static_cast<float>(std::exp(e(rng)));
  g[0] = FLT_MIN;
  g[1] = 1e-44f; // subnormal
  g[2] = FLT_MAX;
  std::vector<double> counts(nbins), ref(nbins, 0.0);
  go_ao_counts info;
  ASSERT_EQ(GO_OK, go_ao_histogram(g.data(), nullptr, n, gmax, logLo, nbins, counts.data(), &info));
  size_t nearEdge = 0;
  for (float x : g)
  {
    const double u = std::log(double(x) / gmax);
    const double t = (u - logLo) / (-logLo) * nbins;
    if (std::fabs(t - std::round(t)) < 1e-6)
      ++nearEdge;
    ref[go_ao_bin_of(u, nbins, logLo)] += 1.0;
  }
  double diff = 0;
  for (int b = 0; b < nbins; ++b)
    diff += std::fabs(counts[b] - ref[b]);
  EXPECT_LE(diff, 2.0 * nearEdge);
  EXPECT_EQ(n, info.n_binned);
}

// The table binning gives exactly go_ao_histogram's counts and totals, with
// and without weights, for values near every bin edge, zeros, negatives,
// NaN, Inf, subnormals and values far outside [gmax e^log_lo, gmax].
TEST(AutoOpacitySampling, TableBinningMatchesLogarithmBinning)
{
  std::mt19937 rng(29);
  std::uniform_real_distribution<double> e(-45.0, 45.0), wd(-0.2, 2.0);
  struct Case
  {
    double gmax, logLo;
    int nbins;
  };
  for (const Case& k : { Case{ 3.7, -std::log(1e5), 2048 }, Case{ 1e-30, -std::log(1e5), 2048 },
         Case{ 255.0, -3.0, 7 }, Case{ 1e30, -40.0, 4096 }, Case{ 0.25, -std::log(1e5), 2 } })
  {
    go_ao_binner binner;
    ASSERT_EQ(GO_OK, go_ao_binner_init(&binner, k.gmax, k.logLo, k.nbins)) << k.gmax;
    std::vector<float> g;
    for (int i = 0; i < 100000; ++i)
      g.push_back(static_cast<float>(k.gmax * std::exp(e(rng))));
    // the float patterns around every edge's exact position
    for (int b = 1; b < k.nbins; ++b)
    {
      const float x = static_cast<float>(k.gmax * std::exp(k.logLo - k.logLo * b / k.nbins));
      float y = x;
      for (int s = 0; s < 3; ++s)
        y = std::nextafter(y, 0.0f);
      for (int s = 0; s < 7; ++s, y = std::nextafter(y, FLT_MAX))
        g.push_back(y);
    }
    for (float x : { 0.0f, -0.0f, -1.0f, FLT_MIN, 1e-44f, FLT_MAX, std::numeric_limits<float>::infinity(),
           -std::numeric_limits<float>::infinity(), std::numeric_limits<float>::quiet_NaN() })
      g.push_back(x);
    std::vector<float> w(g.size());
    for (auto& x : w)
      x = static_cast<float>(wd(rng));
    for (int simd : { 2, 1, 0 }) // AVX-512F, AVX2 (where the CPU has them), scalar
    for (const float* wp : { static_cast<const float*>(nullptr), static_cast<const float*>(w.data()) })
    {
      const int previous = go_ao_set_simd(simd);
      ExpectBinnedMatchesReference(binner, g.data(), wp, g.size(), k.gmax, k.logLo, k.nbins,
        "gmax " + std::to_string(k.gmax) + " nbins " + std::to_string(k.nbins) + " weights " +
          std::to_string(wp != nullptr) + " simd " + std::to_string(simd));
      go_ao_set_simd(previous);
    }
    go_ao_binner_free(&binner);
  }
}

// The unweighted binning's packed arithmetic form (AVX2 + FMA CPUs) and the
// table form give exactly go_ao_histogram's counts and totals: every pattern
// within 40 of every bin edge, bins at the limits of the arithmetic form,
// runs of zeros (whole groups of eight and partial ones), negatives, NaN,
// Inf, subnormals, far outliers, at every offset and for lengths that are
// not a multiple of eight or cross the packing block.
TEST(AutoOpacitySampling, PackedBinningMatchesReference)
{
  std::mt19937 rng(31);
  struct Case
  {
    double gmax, logLo;
    int nbins;
    int arith; // whether the arithmetic form applies (1), or the table (0)
  };
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (const Case& k : { Case{ 3.7, -std::log(1e5), 2048, 1 }, Case{ 63.75, -std::log(1e5), 2048, 1 },
         Case{ 1e30, -40.0, 4096, 1 }, Case{ 7.0, -4.0, 4096, 1 }, Case{ 255.0, -3.0, 7, 1 },
         Case{ 1.0, -1.0, 4096, 0 }, Case{ 2.0, -std::log(1e5), 8192, 0 },
         Case{ 1e-36, -std::log(1e5), 64, 0 } })
  {
    go_ao_binner binner;
    ASSERT_EQ(GO_OK, go_ao_binner_init(&binner, k.gmax, k.logLo, k.nbins)) << k.gmax;
    EXPECT_EQ(k.arith, binner.arith.usable) << k.gmax << " " << k.nbins;
    std::vector<float> g;
    for (int b = 1; b < k.nbins; ++b)
    {
      float y = static_cast<float>(k.gmax * std::exp(k.logLo - k.logLo * b / k.nbins));
      for (int s = 0; s < 40; ++s)
        y = std::nextafter(y, 0.0f);
      for (int s = 0; s < 81; ++s, y = std::nextafter(y, FLT_MAX))
        g.push_back(y);
    }
    // runs of zeros, specials scattered in groups, outliers
    std::uniform_int_distribution<int> pick(0, 11);
    std::uniform_real_distribution<double> e(-60.0, 10.0);
    for (int i = 0; i < 20000; ++i)
    {
      const int p = pick(rng);
      if (i % 1000 < 100)
        g.push_back(0.0f); // whole groups of zeros
      else if (p == 0)
        g.push_back(0.0f);
      else if (p == 1)
        g.push_back(-0.0f);
      else if (p == 2)
        g.push_back(-static_cast<float>(std::exp(e(rng))));
      else if (p == 3)
        g.push_back(i % 2 ? nan : -nan);
      else if (p == 4)
        g.push_back(i % 2 ? inf : -inf);
      else if (p == 5)
        g.push_back(i % 2 ? 1e-44f : FLT_MIN / 3);
      else if (p == 6)
        g.push_back(i % 2 ? FLT_MAX : FLT_MIN);
      else
        g.push_back(static_cast<float>(k.gmax * std::exp(e(rng))));
    }
    std::vector<std::pair<size_t, size_t>> spans = { { 0, g.size() } };
    for (size_t len : { 0, 1, 5, 7, 8, 9, 15, 17, 2047, 2048, 2049, 4099 })
      for (size_t off : { 0, 1, 3 })
        spans.emplace_back(g.size() - 3000 - 4107 + off, len); // near edges, zeros and specials
    for (int simd : { 2, 1, 0 })
    {
      const int previous = go_ao_set_simd(simd);
      for (const auto& sp : spans)
        ExpectBinnedMatchesReference(binner, g.data() + sp.first, nullptr, sp.second, k.gmax,
          k.logLo, k.nbins,
          "gmax " + std::to_string(k.gmax) + " nbins " + std::to_string(k.nbins) + " simd " +
            std::to_string(simd) + " at " + std::to_string(sp.first) + " length " +
            std::to_string(sp.second));
      go_ao_set_simd(previous);
    }
    go_ao_binner_free(&binner);
  }
}

// GRID statistics from the scalars (gradient and binning fused per chunk)
// are the same for any thread count and with or without the AVX2 forms, on a
// volume with a flat background (zero gradients in whole runs).
TEST(AutoOpacitySampling, GridStatisticsIndependentOfThreadsAndSimd)
{
  const int dims[3] = { 70, 66, 40 };
  const std::vector<float> f = Volume(dims, 41);
  vtkNew<vtkImageData> image;
  image->SetDimensions(dims[0], dims[1], dims[2]);
  vtkNew<vtkUnsignedShortArray> a;
  a->SetNumberOfTuples(static_cast<vtkIdType>(f.size()));
  for (size_t i = 0; i < f.size(); ++i)
  {
    // the lower part flat: a background of exact zeros in the gradient
    const float v = f[i] + 50;
    a->SetValue(static_cast<vtkIdType>(i), static_cast<unsigned short>(i < f.size() / 3 ? 7.0f : std::max(0.0f, v)));
  }
  image->GetPointData()->SetScalars(a);
  std::vector<double> first;
  for (int simd : { 2, 1, 0 })
    for (int threads : { 1, 2, 3 })
    {
      const int previous = go_ao_set_simd(simd);
      vtkNew<vtkAutoGradientOpacity> ao;
      ao->SetInputData(image);
      ao->SetSampling(vtkAutoGradientOpacity::GRID);
      ao->SetNumberOfThreads(threads);
      ao->Update();
      go_ao_set_simd(previous);
      const std::vector<double> got = { ao->GetNoiseFloor(), ao->GetNoiseFloorMode(),
        ao->GetMedianGradient(), ao->GetLowThreshold(), ao->GetHighThreshold() };
      ASSERT_GT(got[2], 0.0);
      if (first.empty())
        first = got;
      else
        EXPECT_EQ(first, got) << threads << " threads, simd " << simd;
    }
}

// The fused GRID histogram (gradient and binning per chunk of planes, here
// planes larger than the chunk target) is bitwise the one binned from the
// whole precomputed gradient magnitude, for any thread count.
TEST(AutoOpacitySampling, FusedGridMatchesPrecomputedGradient)
{
  const int dims[3] = { 300, 260, 4 }; // 78000 voxels a plane
  const std::vector<float> f = Volume(dims, 43);
  vtkNew<vtkImageData> image;
  image->SetDimensions(dims[0], dims[1], dims[2]);
  image->SetSpacing(0.7, 0.7, 1.3);
  vtkNew<vtkUnsignedShortArray> a;
  a->SetName("Scalars");
  a->SetNumberOfTuples(static_cast<vtkIdType>(f.size()));
  for (size_t i = 0; i < f.size(); ++i)
  {
    const bool flat = (i % 300) < 120; // zero gradients in runs along x
    a->SetValue(static_cast<vtkIdType>(i),
      static_cast<unsigned short>(flat ? 90.0f : std::max(0.0f, 20 * f[i] + 900)));
  }
  image->GetPointData()->SetScalars(a);

  vtkNew<vtkGradientMagnitudeFilter> gm;
  gm->SetInputData(image);
  gm->SetUnitsToMapper();
  gm->SetOutputScalarTypeToFloat();
  gm->Update();
  vtkNew<vtkImageData> withGrad;
  withGrad->ShallowCopy(image);
  vtkDataArray* g = gm->GetOutput()->GetPointData()->GetScalars();
  g->SetName("Magnitude");
  withGrad->GetPointData()->AddArray(g);

  auto counts = [](vtkAutoGradientOpacity* ao) {
    vtkTable* t = ao->GetStatisticsTable();
    vtkDataArray* c = vtkArrayDownCast<vtkDataArray>(t->GetColumnByName("Count"));
    std::vector<double> out;
    for (vtkIdType i = 0; c && i < c->GetNumberOfTuples(); ++i)
      out.push_back(c->GetTuple1(i));
    return out;
  };
  vtkNew<vtkAutoGradientOpacity> given;
  given->SetInputData(withGrad);
  given->SetSampling(vtkAutoGradientOpacity::GRID);
  given->SetGradientArrayName("Magnitude");
  given->Update();
  const std::vector<double> ref = counts(given);
  ASSERT_EQ(static_cast<size_t>(given->GetNumberOfBins()), ref.size());
  double total = 0;
  for (double x : ref)
    total += x;
  EXPECT_GT(total, 0.3 * dims[0] * dims[1] * dims[2]);
  EXPECT_LT(total, 0.7 * dims[0] * dims[1] * dims[2]) << "the flat runs are not binned";
  for (int threads : { 1, 2, 3 })
  {
    vtkNew<vtkAutoGradientOpacity> fused;
    fused->SetInputData(image);
    fused->SetSampling(vtkAutoGradientOpacity::GRID);
    fused->SetNumberOfThreads(threads);
    fused->Update();
    EXPECT_EQ(ref, counts(fused)) << threads << " threads";
  }
  // One filter re-executed: its per-thread buffers are kept, and grown for
  // more threads and for larger planes (a wider image: larger chunks).
  vtkNew<vtkAutoGradientOpacity> again;
  again->SetInputData(image);
  again->SetSampling(vtkAutoGradientOpacity::GRID);
  for (int threads : { 1, 3, 2 })
  {
    again->SetNumberOfThreads(threads);
    again->Update();
    EXPECT_EQ(ref, counts(again)) << "re-executed, " << threads << " threads";
  }
  const int wide[3] = { 700, 200, 3 }; // 140000 voxels a plane
  const std::vector<float> fw = Volume(wide, 47);
  vtkNew<vtkImageData> wideImage;
  wideImage->SetDimensions(wide[0], wide[1], wide[2]);
  vtkNew<vtkUnsignedShortArray> wa;
  wa->SetNumberOfTuples(static_cast<vtkIdType>(fw.size()));
  for (size_t i = 0; i < fw.size(); ++i)
    wa->SetValue(static_cast<vtkIdType>(i), static_cast<unsigned short>(std::max(0.0f, 20 * fw[i] + 900)));
  wideImage->GetPointData()->SetScalars(wa);
  vtkNew<vtkAutoGradientOpacity> fresh;
  fresh->SetInputData(wideImage);
  fresh->SetSampling(vtkAutoGradientOpacity::GRID);
  fresh->SetNumberOfThreads(2);
  fresh->Update();
  again->SetInputData(wideImage);
  again->Update();
  const std::vector<double> wideRef = counts(fresh);
  EXPECT_NE(ref, wideRef);
  EXPECT_EQ(wideRef, counts(again)) << "re-executed on larger planes";
}

// vtkAutoGradientOpacity gives the same curve for any thread count.
TEST(AutoOpacitySampling, ThreadCountDoesNotChangeTheCurve)
{
  const int dims[3] = { 48, 40, 36 };
  const std::vector<float> f = Volume(dims, 23);
  vtkNew<vtkImageData> image;
  image->SetDimensions(dims[0], dims[1], dims[2]);
  image->SetSpacing(0.8, 0.8, 1.6);
  vtkNew<vtkUnsignedShortArray> a;
  a->SetNumberOfTuples(static_cast<vtkIdType>(f.size()));
  for (size_t i = 0; i < f.size(); ++i)
    a->SetValue(static_cast<vtkIdType>(i), static_cast<unsigned short>(std::max(0.0f, f[i] + 50)));
  image->GetPointData()->SetScalars(a);
  std::vector<double> first;
  // The last run caps the threader (as ParaView does): fewer threads than
  // asked for must still take every chunk.
  const int globalMax = vtkMultiThreader::GetGlobalMaximumNumberOfThreads();
  for (int threads : { 1, 2, 3, 7, -7 })
  {
    if (threads < 0)
    {
      vtkMultiThreader::SetGlobalMaximumNumberOfThreads(1);
      threads = -threads;
    }
    vtkNew<vtkAutoGradientOpacity> ao;
    ao->SetInputData(image);
    ao->SetNumberOfThreads(threads);
    ao->SetNumberOfSamples(100000);
    ao->Update();
    vtkPiecewiseFunction* fn = ao->GetGradientOpacityFunction();
    std::vector<double> pts;
    for (int i = 0; i < fn->GetSize(); ++i)
    {
      double node[4];
      fn->GetNodeValue(i, node);
      pts.insert(pts.end(), node, node + 2);
    }
    ASSERT_GT(pts.size(), 4u);
    if (first.empty())
      first = pts;
    else
      EXPECT_EQ(first, pts) << threads << " threads";
  }
  vtkMultiThreader::SetGlobalMaximumNumberOfThreads(globalMax);
}

// `bytes` bytes between two inaccessible guard regions of 64 KiB, placed
// against the front guard or (atEnd) against the back one: a read outside
// the buffer faults instead of reading a neighbour's heap memory.
class GuardedBuffer
{
public:
  GuardedBuffer(size_t bytes, bool atEnd)
  {
#if defined(__linux__)
    const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    const size_t guard = 65536, body = (bytes + page - 1) / page * page;
    this->Size = 2 * guard + body;
    void* p = mmap(nullptr, this->Size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p != MAP_FAILED)
    {
      this->Base = static_cast<char*>(p);
      mprotect(this->Base, guard, PROT_NONE);
      mprotect(this->Base + guard + body, guard, PROT_NONE);
      this->Data = this->Base + guard + (atEnd ? body - bytes : 0);
      return;
    }
#endif
    (void)atEnd;
    this->Fallback.resize(bytes);
    this->Data = this->Fallback.data();
  }
  ~GuardedBuffer()
  {
#if defined(__linux__)
    if (this->Base)
      munmap(this->Base, this->Size);
#endif
  }
  GuardedBuffer(const GuardedBuffer&) = delete;
  GuardedBuffer& operator=(const GuardedBuffer&) = delete;
  char* Data = nullptr;

private:
  char* Base = nullptr;
  size_t Size = 0;
  std::vector<char> Fallback;
};

// A piece of the volume (a sub-extent copied out, as an MPI rank receives
// it) gives, for the samples whose cells it owns, bitwise the samples of the
// whole image: raw scalars of 8-bit, 16-bit and float type (the shader's six
// reads, AVX2 and scalar forms) and a magnitude, with a mask and a
// scalar-opacity weight; a sample whose reads leave the piece is refused.
TEST(AutoOpacitySampling, PiecesReproduceTheWholeImage)
{
  const int dims[3] = { 23, 19, 17 };
  const int whole[6] = { 0, dims[0] - 1, 0, dims[1] - 1, 0, dims[2] - 1 };
  const std::vector<float> f = Volume(dims, 11);
  std::vector<uint8_t> u8(f.size());
  std::vector<uint16_t> u16(f.size());
  std::vector<float> maskv(f.size());
  for (size_t i = 0; i < f.size(); ++i)
  {
    u8[i] = static_cast<uint8_t>(std::min(255.0f, std::max(0.0f, f[i])));
    u16[i] = static_cast<uint16_t>(std::max(0.0f, f[i]) * 100.0f);
    maskv[i] = f[i] > 20.0f ? 1.0f : 0.0f;
  }
  const float table[4] = { 0.1f, 0.4f, 0.7f, 1.0f };
  const double spacing[3] = { 0.8, 1.0, 1.7 };
  const size_t n = 4099;
  const uint64_t seed = 77;
  const size_t cells[3] = { size_t(dims[0] - 1), size_t(dims[1] - 1), size_t(dims[2] - 1) };
  // A sub-extent of `data` (elements of `size` bytes) copied out into guarded memory.
  auto cut = [&](const void* data, size_t size, const int ext[6], bool atEnd) {
    const int nx = ext[1] - ext[0] + 1, ny = ext[3] - ext[2] + 1, nz = ext[5] - ext[4] + 1;
    auto out = std::make_shared<GuardedBuffer>(size * nx * ny * nz, atEnd);
    char* buf = out->Data;
    size_t o = 0;
    for (int z = ext[4]; z <= ext[5]; ++z)
      for (int y = ext[2]; y <= ext[3]; ++y, o += size * nx)
        std::memcpy(buf + o,
          static_cast<const char*>(data) +
            size * (ext[0] + dims[0] * (static_cast<size_t>(y) + dims[1] * static_cast<size_t>(z))),
          size * nx);
    return out;
  };
  auto piece = [](const void* data, go_scalar_type type, const int ext[6]) {
    go_image im;
    im.data = data;
    im.type = type;
    std::memcpy(im.extent, ext, sizeof(im.extent));
    im.increments[0] = 1;
    im.increments[1] = ext[1] - ext[0] + 1;
    im.increments[2] = static_cast<ptrdiff_t>(ext[1] - ext[0] + 1) * (ext[3] - ext[2] + 1);
    return im;
  };
  struct Case
  {
    const void* data;
    go_scalar_type type;
    size_t size;
    int magnitude;
  };
  const Case cases[] = { { u8.data(), GO_UINT8, 1, 0 }, { u16.data(), GO_UINT16, 2, 0 },
    { f.data(), GO_FLOAT32, 4, 0 }, { f.data(), GO_FLOAT32, 4, 1 } };
  for (const Case& c : cases)
  {
    for (int options = 0; options < 2; ++options)
    {
      const go_image im = View(c.data, c.type, dims);
      const go_image mim = View(maskv.data(), GO_FLOAT32, dims);
      go_ao_lut lut = { table, 4, 0.0, 300.0 };
      std::vector<float> g(n), w(n);
      ASSERT_EQ(GO_OK,
        go_ao_subvoxel_samples(&im, c.magnitude, &im, options ? &mim : nullptr,
          options ? &lut : nullptr, spacing, n, seed, g.data(), w.data(), nullptr));
      // Slabs of cells along z, then along y; each piece holds its cells'
      // reads (c - 2 .. c + 3, or c .. c + 1 for a magnitude).
      for (int axis = 2; axis >= 1; --axis)
      {
        const int cuts[] = { 0, 5, 6, 12, int(cells[axis]) };
        for (int p = 0; p + 1 < 5; ++p)
        {
          const int c0 = cuts[p], c1 = cuts[p + 1] - 1;
          if (c1 < c0)
            continue;
          int ext[6];
          std::memcpy(ext, whole, sizeof(ext));
          ext[2 * axis] = std::max(0, c0 - (c.magnitude ? 0 : 2));
          ext[2 * axis + 1] = std::min(dims[axis] - 1, c1 + (c.magnitude ? 1 : 3));
          // Against the front guard for even pieces, the back one for odd ones.
          const auto buf = cut(c.data, c.size, ext, p % 2 == 1);
          const auto mbuf = cut(maskv.data(), 4, ext, p % 2 == 1);
          const go_image pim = piece(buf->Data, c.type, ext);
          const go_image pmim = piece(mbuf->Data, GO_FLOAT32, ext);
          size_t drawn = 0;
          for (size_t s = 0; s < n; ++s)
          {
            const size_t q = go_ao_subvoxel_cell(dims, n, seed, s);
            const size_t cc = axis == 2 ? q / (cells[0] * cells[1]) : (q / cells[0]) % cells[1];
            if (cc < size_t(c0) || cc > size_t(c1))
              continue;
            float gp = -1.0f, wp = -1.0f;
            ASSERT_EQ(GO_OK,
              go_ao_subvoxel_samples_piece(&pim, c.magnitude, &pim, options ? &pmim : nullptr,
                options ? &lut : nullptr, whole, spacing, n, seed, s, s + 1, &gp, &wp, nullptr));
            ASSERT_EQ(0, std::memcmp(&gp, &g[s], sizeof(float))) << "sample " << s;
            ASSERT_EQ(0, std::memcmp(&wp, &w[s], sizeof(float))) << "sample " << s;
            ++drawn;
          }
          EXPECT_GT(drawn, 0u);
          // The first sample of the next slab reads beyond this piece.
          if (p + 2 < 5 && cuts[p + 1] + 4 < int(cells[axis]))
          {
            for (size_t s = 0; s < n; ++s)
            {
              const size_t q = go_ao_subvoxel_cell(dims, n, seed, s);
              const size_t cc =
                axis == 2 ? q / (cells[0] * cells[1]) : (q / cells[0]) % cells[1];
              if (cc == size_t(c1) + 3)
              {
                float gp = 0.0f, wp = 0.0f;
                EXPECT_EQ(GO_ERROR_ARGUMENT,
                  go_ao_subvoxel_samples_piece(&pim, c.magnitude, &pim, nullptr, nullptr, whole,
                    spacing, n, seed, s, s + 1, &gp, &wp, nullptr));
                break;
              }
            }
          }
        }
      }
    }
  }
  // The cells of the samples never decrease.
  size_t last = 0;
  for (size_t s = 0; s < n; ++s)
  {
    const size_t q = go_ao_subvoxel_cell(dims, n, seed, s);
    ASSERT_GE(q, last);
    last = q;
  }
}
