// Bad-input matrix through vtkAutoGradientOpacity: no scalars,
// empty extent, 1x1x1 and thin images, constant data, NaN/Inf scalars, bad
// spacing, multi-component, huge values, and re-use of one object after an
// error. Every case, for both samplings: a clear error (ErrorEvent and an
// empty function) or a defined result (a finite, monotone curve with
// opacities in [0, 1]) — never a crash — and the input array unchanged
// (hashed before and after).
#include "vtkAutoGradientOpacity.h"

#include "vtkCallbackCommand.h"
#include "vtkCommand.h"
#include "vtkDataArray.h"
#include "vtkDoubleArray.h"
#include "vtkFloatArray.h"
#include "vtkImageData.h"
#include "vtkNew.h"
#include "vtkPiecewiseFunction.h"
#include "vtkPointData.h"
#include "vtkShortArray.h"
#include "vtkSmartPointer.h"
#include "vtkUnsignedCharArray.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace
{
uint64_t HashArray(vtkDataArray* a)
{
  const unsigned char* p = static_cast<const unsigned char*>(a->GetVoidPointer(0));
  const size_t n = static_cast<size_t>(a->GetNumberOfTuples()) * a->GetNumberOfComponents() *
    a->GetDataTypeSize();
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; ++i)
    h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

struct EventCounts
{
  int errors = 0;
  int warnings = 0;
  std::string last;
};

void CountEvent(vtkObject*, unsigned long event, void* cd, void* msg)
{
  EventCounts* c = static_cast<EventCounts*>(cd);
  (event == vtkCommand::ErrorEvent ? c->errors : c->warnings)++;
  c->last = msg ? static_cast<const char*>(msg) : "";
}

// nx x ny x nz image with a noisy blob (values in [0, 200]), scalars of type
// ArrayT, spacing 0.8 x 1.0 x 1.3.
template <typename ArrayT>
vtkSmartPointer<vtkImageData> Blob(int nx, int ny, int nz, int ncomp = 1)
{
  auto im = vtkSmartPointer<vtkImageData>::New();
  im->SetExtent(0, nx - 1, 0, ny - 1, 0, nz - 1);
  im->SetSpacing(0.8, 1.0, 1.3);
  vtkNew<ArrayT> a;
  a->SetName("v");
  a->SetNumberOfComponents(ncomp);
  a->SetNumberOfTuples(static_cast<vtkIdType>(nx) * ny * nz);
  uint32_t seed = 12345u;
  vtkIdType id = 0;
  for (int k = 0; k < nz; ++k)
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i < nx; ++i, ++id)
      {
        const double dx = i - nx / 2.0, dy = j - ny / 2.0, dz = k - nz / 2.0;
        const double inside = (dx * dx + dy * dy + dz * dz < 0.1 * nx * nx) ? 150.0 : 30.0;
        seed = seed * 1664525u + 1013904223u;
        const double noise = 10.0 * ((seed >> 8) / 16777216.0);
        for (int c = 0; c < ncomp; ++c)
          a->SetComponent(id, c, inside + noise + c);
      }
  im->GetPointData()->SetScalars(a);
  return im;
}

struct Outcome
{
  EventCounts events;
  int points = 0;
  bool finite = true;      // every (x, y) finite
  bool inRange = true;     // x >= 0, y in [0, 1]
  bool monotone = true;    // y non-decreasing in x
  double low = 0, high = 0, scale = 0;
};

Outcome RunAuto(vtkImageData* in, int sampling, vtkAutoGradientOpacity* a = nullptr)
{
  vtkSmartPointer<vtkAutoGradientOpacity> own;
  if (!a)
  {
    own = vtkSmartPointer<vtkAutoGradientOpacity>::New();
    a = own;
  }
  Outcome o;
  vtkNew<vtkCallbackCommand> cb;
  cb->SetClientData(&o.events);
  cb->SetCallback(CountEvent);
  const unsigned long e1 = a->AddObserver(vtkCommand::ErrorEvent, cb);
  const unsigned long e2 = a->AddObserver(vtkCommand::WarningEvent, cb);
  vtkDataArray* s = in->GetPointData()->GetScalars();
  const uint64_t before = s ? HashArray(s) : 0;
  const int extentBefore[6] = { in->GetExtent()[0], in->GetExtent()[1], in->GetExtent()[2],
    in->GetExtent()[3], in->GetExtent()[4], in->GetExtent()[5] };
  a->SetSampling(sampling);
  a->SetNumberOfSamples(20000);
  a->SetInputData(in);
  a->Update();
  if (s)
  {
    EXPECT_EQ(before, HashArray(s)) << "input array modified";
    EXPECT_EQ(s, in->GetPointData()->GetScalars()) << "input scalars replaced";
  }
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(extentBefore[i], in->GetExtent()[i]) << "input extent modified";
  vtkPiecewiseFunction* f = a->GetGradientOpacityFunction();
  o.points = f->GetSize();
  double prevY = -1.0;
  for (int i = 0; i < o.points; ++i)
  {
    double node[4];
    f->GetNodeValue(i, node);
    o.finite = o.finite && std::isfinite(node[0]) && std::isfinite(node[1]);
    o.inRange = o.inRange && node[0] >= 0.0 && node[1] >= 0.0 && node[1] <= 1.0;
    o.monotone = o.monotone && node[1] >= prevY;
    prevY = node[1];
  }
  o.low = a->GetLowThreshold();
  o.high = a->GetHighThreshold();
  o.scale = a->GetGradientScale();
  a->RemoveObserver(e1);
  a->RemoveObserver(e2);
  return o;
}

void ExpectError(const Outcome& o, const char* what)
{
  EXPECT_GT(o.events.errors, 0) << what;
  EXPECT_EQ(o.points, 0) << what << ": a failed update leaves an empty function";
  EXPECT_EQ(o.scale, 0.0) << what;
}

void ExpectCurve(const Outcome& o, const char* what)
{
  EXPECT_EQ(o.events.errors, 0) << what << ": " << o.events.last;
  EXPECT_GE(o.points, 2) << what;
  EXPECT_TRUE(o.finite) << what;
  EXPECT_TRUE(o.inRange) << what;
  EXPECT_TRUE(o.monotone) << what;
  EXPECT_TRUE(std::isfinite(o.low) && std::isfinite(o.high) && std::isfinite(o.scale)) << what;
}

void ExpectFlatOne(vtkAutoGradientOpacity* a, const Outcome& o, const char* what)
{
  EXPECT_EQ(o.events.errors, 0) << what;
  EXPECT_GE(o.events.warnings, 1) << what;
  ASSERT_GE(o.points, 2) << what;
  for (double g : { 0.0, 0.5, 1.0, 1e6 })
    EXPECT_EQ(1.0, a->GetGradientOpacityFunction()->GetValue(g)) << what;
}

class AutoOpacityBadInput : public ::testing::TestWithParam<int>
{
};
}

TEST_P(AutoOpacityBadInput, NoScalars)
{
  auto im = Blob<vtkFloatArray>(8, 8, 8);
  im->GetPointData()->Initialize();
  ExpectError(RunAuto(im, GetParam()), "no scalars");
}

TEST_P(AutoOpacityBadInput, EmptyExtent)
{
  vtkNew<vtkImageData> im;
  im->SetExtent(0, -1, 0, -1, 0, -1);
  vtkNew<vtkFloatArray> a;
  im->GetPointData()->SetScalars(a);
  ExpectError(RunAuto(im, GetParam()), "empty extent");
}

TEST_P(AutoOpacityBadInput, ConstantData)
{
  auto im = Blob<vtkShortArray>(8, 8, 8);
  im->GetPointData()->GetScalars()->Fill(42);
  vtkNew<vtkAutoGradientOpacity> a;
  ExpectFlatOne(a, RunAuto(im, GetParam(), a), "constant");
}

TEST_P(AutoOpacityBadInput, OneVoxel)
{
  auto im = Blob<vtkFloatArray>(1, 1, 1);
  vtkNew<vtkAutoGradientOpacity> a;
  ExpectFlatOne(a, RunAuto(im, GetParam(), a), "1x1x1");
}

TEST_P(AutoOpacityBadInput, ThinImages)
{
  for (auto dims : { std::array<int, 3>{ 1, 16, 16 }, std::array<int, 3>{ 16, 1, 16 },
         std::array<int, 3>{ 16, 16, 1 }, std::array<int, 3>{ 2, 2, 2 },
         std::array<int, 3>{ 1, 1, 40 } })
  {
    auto im = Blob<vtkFloatArray>(dims[0], dims[1], dims[2]);
    const std::string what =
      std::to_string(dims[0]) + "x" + std::to_string(dims[1]) + "x" + std::to_string(dims[2]);
    ExpectCurve(RunAuto(im, GetParam()), what.c_str());
  }
}

TEST_P(AutoOpacityBadInput, NaNAndInfScalars)
{
  auto im = Blob<vtkFloatArray>(12, 12, 12);
  vtkDataArray* s = im->GetPointData()->GetScalars();
  for (vtkIdType i = 0; i < s->GetNumberOfTuples(); i += 7)
    s->SetComponent(i, 0, std::numeric_limits<double>::quiet_NaN());
  s->SetComponent(3, 0, std::numeric_limits<double>::infinity());
  s->SetComponent(5, 0, -std::numeric_limits<double>::infinity());
  const Outcome o = RunAuto(im, GetParam());
  ExpectCurve(o, "NaN/Inf");
  EXPECT_GT(o.scale, 0.0);

  // all NaN: no finite range -> the constant case
  s->Fill(std::numeric_limits<double>::quiet_NaN());
  vtkNew<vtkAutoGradientOpacity> a;
  ExpectFlatOne(a, RunAuto(im, GetParam(), a), "all NaN");
}

TEST_P(AutoOpacityBadInput, HugeValues)
{
  // float values near FLT_MAX: neighbour differences overflow float.
  auto im = Blob<vtkFloatArray>(10, 10, 10);
  vtkDataArray* s = im->GetPointData()->GetScalars();
  for (vtkIdType i = 0; i < s->GetNumberOfTuples(); ++i)
    s->SetComponent(i, 0, (i % 2 ? 3.0e38 : -3.0e38));
  const Outcome o = RunAuto(im, GetParam());
  EXPECT_EQ(o.events.errors, 0) << o.events.last;
  EXPECT_TRUE(o.finite);
  EXPECT_TRUE(o.inRange);
}

TEST_P(AutoOpacityBadInput, BadSpacing)
{
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  for (double h : { 0.0, -1.0, nan, inf })
  {
    auto im = Blob<vtkFloatArray>(8, 8, 8);
    im->SetSpacing(1.0, 1.0, h);
    ExpectError(RunAuto(im, GetParam()), ("spacing " + std::to_string(h)).c_str());
  }
}

TEST_P(AutoOpacityBadInput, MultiComponentUsesComponentZero)
{
  auto im3 = Blob<vtkFloatArray>(10, 10, 10, 3);
  const Outcome o = RunAuto(im3, GetParam());
  EXPECT_GE(o.events.warnings, 1);
  ExpectCurve(o, "3 components");
}

TEST_P(AutoOpacityBadInput, ReuseAfterErrorAndTypeChange)
{
  vtkNew<vtkAutoGradientOpacity> a;
  auto good = Blob<vtkFloatArray>(12, 12, 12);
  const Outcome first = RunAuto(good, GetParam(), a);
  ExpectCurve(first, "first");
  auto bad = Blob<vtkFloatArray>(12, 12, 12);
  bad->SetSpacing(0, 1, 1);
  ExpectError(RunAuto(bad, GetParam(), a), "bad spacing after a good run");
  EXPECT_EQ(a->GetLowThreshold(), 0.0) << "stale statistics after an error";
  const Outcome again = RunAuto(good, GetParam(), a);
  ExpectCurve(again, "again");
  EXPECT_EQ(first.low, again.low);
  EXPECT_EQ(first.high, again.high);
  auto u8 = Blob<vtkUnsignedCharArray>(12, 12, 12);
  ExpectCurve(RunAuto(u8, GetParam(), a), "uint8 after float");
  auto d = Blob<vtkDoubleArray>(12, 12, 12);
  ExpectCurve(RunAuto(d, GetParam(), a), "double after uint8");
}

INSTANTIATE_TEST_SUITE_P(Sampling, AutoOpacityBadInput,
  ::testing::Values(vtkAutoGradientOpacity::GRID, vtkAutoGradientOpacity::SUBVOXEL));
