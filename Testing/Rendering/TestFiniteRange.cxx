// The fast finite range (go_finite_range behind gradientopacity::FiniteRange)
// against a plain loop and vtkDataArray::GetFiniteRange on the same arrays:
// every scalar type,
// strided components, lengths around the vector width, NaN/Inf, type limits,
// the fall-backs, and the memo of vtkAutoGradientOpacity.
#include "go_range.h"
#include "vtkAutoGradientOpacity.h"
#include "vtkGradientOpacityArrays.h"

#include "vtkAOSDataArrayTemplate.h"
#include "vtkFloatArray.h"
#include "vtkImageData.h"
#include "vtkNew.h"
#include "vtkPointData.h"
#include "vtkSOADataArrayTemplate.h"
#include "vtkTypeTraits.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <type_traits>

namespace
{
const int Lengths[] = { 1, 2, 7, 15, 16, 17, 33, 1000, 4099 };

template <typename T>
typename std::enable_if<std::is_floating_point<T>::value, T>::type RandomValue(
  std::mt19937_64& rng)
{
  std::normal_distribution<double> d(0.0, 1000.0);
  return static_cast<T>(d(rng));
}

// Uniform over the whole integer type (char types through a wider integer).
template <typename T>
typename std::enable_if<std::is_integral<T>::value, T>::type RandomValue(std::mt19937_64& rng)
{
  using W =
    typename std::conditional<std::is_signed<T>::value, long long, unsigned long long>::type;
  std::uniform_int_distribution<W> d(std::numeric_limits<T>::lowest(), std::numeric_limits<T>::max());
  return static_cast<T>(d(rng));
}

template <typename T>
vtkSmartPointer<vtkAOSDataArrayTemplate<T>> RandomArray(
  int n, int nc, std::mt19937_64& rng, bool limits, bool nonFinite)
{
  auto a = vtkSmartPointer<vtkAOSDataArrayTemplate<T>>::New();
  a->SetNumberOfComponents(nc);
  a->SetNumberOfTuples(n);
  T* p = a->GetPointer(0);
  const vtkIdType count = static_cast<vtkIdType>(n) * nc;
  for (vtkIdType i = 0; i < count; ++i)
  {
    p[i] = RandomValue<T>(rng);
  }
  std::uniform_int_distribution<vtkIdType> at(0, count - 1);
  if (limits)
  {
    p[at(rng)] = std::numeric_limits<T>::lowest();
    p[at(rng)] = std::numeric_limits<T>::max();
  }
  if (nonFinite && std::numeric_limits<T>::has_infinity)
  {
    for (int k = 0; k < 1 + n / 8; ++k)
    {
      const T special[3] = { std::numeric_limits<T>::quiet_NaN(),
        std::numeric_limits<T>::infinity(), -std::numeric_limits<T>::infinity() };
      p[at(rng)] = special[k % 3];
    }
  }
  return a;
}

// The exact range of component c, by a plain loop in the type.
template <typename T>
bool Reference(vtkAOSDataArrayTemplate<T>* a, int c, double r[2])
{
  bool any = false;
  T lo = T(0), hi = T(0);
  for (vtkIdType i = 0; i < a->GetNumberOfTuples(); ++i)
  {
    const T v = a->GetTypedComponent(i, c);
    if (!std::isfinite(static_cast<double>(v)))
    {
      continue;
    }
    lo = !any || v < lo ? v : lo;
    hi = !any || v > hi ? v : hi;
    any = true;
  }
  r[0] = static_cast<double>(lo);
  r[1] = static_cast<double>(hi);
  return any;
}

template <typename T>
void CompareWithVTK(const char* name)
{
  std::mt19937_64 rng(12345);
  int comparedWithVTK = 0, vtkWrong = 0;
  for (int n : Lengths)
  {
    for (int nc : { 1, 3 })
    {
      for (int variant = 0; variant < 4; ++variant)
      {
        auto a = RandomArray<T>(n, nc, rng, variant & 1, variant & 2);
        for (int c = 0; c < nc; ++c)
        {
          double ours[2] = { -1.0, -1.0 }, vtk[2] = { -1.0, -1.0 }, ref[2];
          gradientopacity::FiniteRange(a, c, ours);
          a->Modified(); // no range cached from a previous component
          a->GetFiniteRange(vtk, c);
          if (!Reference(a.GetPointer(), c, ref))
          {
            continue; // no finite value: VTK's own answer (next test)
          }
          EXPECT_EQ(ref[0], ours[0]) << name << " n=" << n << " nc=" << nc << " c=" << c
                                     << " variant=" << variant;
          EXPECT_EQ(ref[1], ours[1]) << name << " n=" << n << " nc=" << nc << " c=" << c
                                     << " variant=" << variant;
          // VTK starts its search from +-VTK_FLOAT_MAX (1e38) / VTK_DOUBLE_MAX
          // (1e299), not from the type's limits: a minimum above 1e38 or a
          // maximum below -1e38 is missed. Everywhere else it must agree.
          if (ref[0] <= static_cast<double>(vtkTypeTraits<T>::Max()) &&
            ref[1] >= static_cast<double>(vtkTypeTraits<T>::Min()))
          {
            ++comparedWithVTK;
            EXPECT_EQ(vtk[0], ours[0]) << name << " n=" << n << " nc=" << nc << " c=" << c
                                       << " variant=" << variant;
            EXPECT_EQ(vtk[1], ours[1]) << name << " n=" << n << " nc=" << nc << " c=" << c
                                       << " variant=" << variant;
          }
          else
          {
            ++vtkWrong;
            EXPECT_TRUE(vtk[0] != ours[0] || vtk[1] != ours[1]);
          }
        }
      }
    }
  }
  EXPECT_GT(comparedWithVTK, 100) << name;
  if (std::is_integral<T>::value)
  {
    EXPECT_EQ(0, vtkWrong) << name;
  }
}
}

TEST(FiniteRange, MatchesVTKForEveryScalarType)
{
  CompareWithVTK<char>("char");
  CompareWithVTK<signed char>("signed char");
  CompareWithVTK<unsigned char>("unsigned char");
  CompareWithVTK<short>("short");
  CompareWithVTK<unsigned short>("unsigned short");
  CompareWithVTK<int>("int");
  CompareWithVTK<unsigned int>("unsigned int");
  CompareWithVTK<long>("long");
  CompareWithVTK<unsigned long>("unsigned long");
  CompareWithVTK<long long>("long long");
  CompareWithVTK<unsigned long long>("unsigned long long");
  CompareWithVTK<float>("float");
  CompareWithVTK<double>("double");
}

TEST(FiniteRange, KernelSkipsNonFiniteAndReportsNone)
{
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  // Finite extremes next to infinities, in the vector body and in the tail.
  std::vector<float> v(37, 1.0f);
  v[3] = -inf;
  v[4] = -std::numeric_limits<float>::max();
  v[20] = inf;
  v[21] = nan;
  v[36] = std::numeric_limits<float>::max();
  double r[2] = { 0.0, 0.0 };
  ASSERT_EQ(1, go_finite_range(v.data(), GO_FLOAT32, v.size(), 1, r));
  EXPECT_EQ(-static_cast<double>(std::numeric_limits<float>::max()), r[0]);
  EXPECT_EQ(static_cast<double>(std::numeric_limits<float>::max()), r[1]);

  // No finite value, and bad arguments: 0, range untouched.
  std::vector<double> none = { nan, inf, -inf, nan, nan, inf, -inf, nan, nan, inf, -inf, nan,
    nan, inf, -inf, nan, nan, inf };
  double keep[2] = { 7.0, 8.0 };
  EXPECT_EQ(0, go_finite_range(none.data(), GO_FLOAT64, none.size(), 1, keep));
  EXPECT_EQ(0, go_finite_range(none.data(), GO_FLOAT64, none.size() / 3, 3, keep));
  EXPECT_EQ(0, go_finite_range(v.data(), GO_FLOAT32, 0, 1, keep));
  EXPECT_EQ(0, go_finite_range(v.data(), GO_FLOAT32, v.size(), 0, keep));
  EXPECT_EQ(0, go_finite_range(nullptr, GO_FLOAT32, v.size(), 1, keep));
  EXPECT_EQ(0, go_finite_range(v.data(), GO_NUMBER_OF_TYPES, v.size(), 1, keep));
  EXPECT_EQ(7.0, keep[0]);
  EXPECT_EQ(8.0, keep[1]);
}

TEST(FiniteRange, FallsBackToVTKWhereTheKernelDoesNotApply)
{
  // Every value non-finite: VTK's own answer, whatever it is.
  vtkNew<vtkFloatArray> nan;
  nan->SetNumberOfTuples(40);
  nan->Fill(std::numeric_limits<float>::quiet_NaN());
  double ours[2], vtk[2];
  gradientopacity::FiniteRange(nan, 0, ours);
  nan->Modified();
  nan->GetFiniteRange(vtk, 0);
  EXPECT_EQ(vtk[0], ours[0]);
  EXPECT_EQ(vtk[1], ours[1]);

  // Structure-of-arrays memory: not the kernel's layout.
  vtkNew<vtkSOADataArrayTemplate<float>> soa;
  soa->SetNumberOfComponents(2);
  soa->SetNumberOfTuples(100);
  for (vtkIdType i = 0; i < 100; ++i)
  {
    soa->SetTypedComponent(i, 0, static_cast<float>(i) - 30.0f);
    soa->SetTypedComponent(i, 1, static_cast<float>(2 * i));
  }
  for (int c = 0; c < 2; ++c)
  {
    gradientopacity::FiniteRange(soa, c, ours);
    soa->Modified();
    soa->GetFiniteRange(vtk, c);
    EXPECT_EQ(vtk[0], ours[0]);
    EXPECT_EQ(vtk[1], ours[1]);
  }
  gradientopacity::FiniteRange(soa, 0, ours);
  EXPECT_EQ(-30.0, ours[0]);
  EXPECT_EQ(69.0, ours[1]);
}

TEST(FiniteRange, AutoGradientOpacitySeesModifiedScalars)
{
  // The range is memoised per scalars array and MTime: a re-execution on the
  // same array after Modified() must see the new values.
  vtkNew<vtkImageData> image;
  image->SetDimensions(12, 11, 10);
  vtkNew<vtkFloatArray> s;
  s->SetName("s");
  s->SetNumberOfTuples(12 * 11 * 10);
  std::mt19937 rng(3);
  std::normal_distribution<float> noise(0.0f, 1.0f);
  for (vtkIdType i = 0; i < s->GetNumberOfTuples(); ++i)
  {
    s->SetValue(i, static_cast<float>(i % 12) * 5.0f + noise(rng));
  }
  image->GetPointData()->SetScalars(s);
  double before[2];
  s->GetFiniteRange(before, 0);

  vtkNew<vtkAutoGradientOpacity> a;
  a->SetInputData(image);
  a->Update();
  EXPECT_EQ(before[0], a->GetScalarRange()[0]);
  EXPECT_EQ(before[1], a->GetScalarRange()[1]);

  s->SetValue(500, 1000.0f);
  s->Modified();
  a->Modified();
  a->Update();
  EXPECT_EQ(before[0], a->GetScalarRange()[0]);
  EXPECT_EQ(1000.0, a->GetScalarRange()[1]);
  EXPECT_EQ(250.0 - 0.25 * before[0], a->GetGradientScale());
}
