// Bad-input and invariance matrix through vtkGradientMagnitudeFilter.
// Every case: a defined result or a clear error (vtkErrorMacro + empty
// output), never a crash, and the input array unchanged (hashed).
#include "vtkGradientMagnitudeFilter.h"

#include "vtkBitArray.h"
#include "vtkCallbackCommand.h"
#include "vtkCommand.h"
#include "vtkDataArray.h"
#include "vtkDoubleArray.h"
#include "vtkFloatArray.h"
#include "vtkImageData.h"
#include "vtkImageDataStreamer.h"
#include "vtkMatrix3x3.h"
#include "vtkNew.h"
#include "vtkPointData.h"
#include "vtkRTAnalyticSource.h"
#include "vtkShortArray.h"
#include "vtkSmartPointer.h"
#include "vtkUnsignedCharArray.h"

#include <gtest/gtest.h>

#include <array>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <algorithm>

namespace
{
uint64_t Hash(vtkDataArray* a)
{
  const unsigned char* p = static_cast<const unsigned char*>(a->GetVoidPointer(0));
  const size_t n = static_cast<size_t>(a->GetNumberOfTuples()) * a->GetNumberOfComponents() *
    a->GetDataTypeSize();
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; ++i)
    h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

struct ErrorCounter
{
  int errors = 0;
  vtkNew<vtkCallbackCommand> cb;
  explicit ErrorCounter(vtkObject* o)
  {
    cb->SetClientData(this);
    cb->SetCallback([](vtkObject*, unsigned long, void* cd, void*) {
      ++static_cast<ErrorCounter*>(cd)->errors;
    });
    o->AddObserver(vtkCommand::ErrorEvent, cb);
    o->AddObserver(vtkCommand::WarningEvent, cb);
  }
};

// 9x8x7 image of a smooth field, scalars of type T (values exact in uint8).
template <typename ArrayT>
vtkSmartPointer<vtkImageData> Image(int nx = 9, int ny = 8, int nz = 7, int x0 = 0, int y0 = 0,
  int z0 = 0, int ncomp = 1)
{
  auto im = vtkSmartPointer<vtkImageData>::New();
  im->SetExtent(x0, x0 + nx - 1, y0, y0 + ny - 1, z0, z0 + nz - 1);
  im->SetSpacing(0.7, 1.1, 1.6);
  vtkNew<ArrayT> a;
  a->SetName("v");
  a->SetNumberOfComponents(ncomp);
  a->SetNumberOfTuples(static_cast<vtkIdType>(nx) * ny * nz);
  vtkIdType id = 0;
  for (int k = 0; k < nz; ++k)
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i < nx; ++i, ++id)
        for (int c = 0; c < ncomp; ++c)
          a->SetComponent(id, c, static_cast<double>((i * i + 3 * j + 7 * k * (c + 1) + i * j) % 200));
  im->GetPointData()->SetScalars(a);
  return im;
}

struct Result
{
  vtkSmartPointer<vtkImageData> out;
  int errors;
};

Result RunFilter(vtkImageData* in, vtkGradientMagnitudeFilter* f = nullptr)
{
  vtkSmartPointer<vtkGradientMagnitudeFilter> own;
  if (!f)
  {
    own = vtkSmartPointer<vtkGradientMagnitudeFilter>::New();
    f = own;
  }
  ErrorCounter ec(f);
  vtkDataArray* s = in->GetPointData()->GetScalars();
  const uint64_t before = s ? Hash(s) : 0;
  f->SetInputData(in);
  f->Update();
  if (s)
  {
    EXPECT_EQ(before, Hash(s)) << "input array modified";
  }
  Result r;
  r.out = vtkSmartPointer<vtkImageData>::New();
  r.out->DeepCopy(f->GetOutput());
  r.errors = ec.errors;
  return r;
}

vtkDataArray* Mag(vtkImageData* im)
{
  return im->GetPointData()->GetScalars();
}

bool Bitwise(vtkDataArray* a, vtkDataArray* b)
{
  return a && b && a->GetNumberOfTuples() == b->GetNumberOfTuples() &&
    a->GetDataType() == b->GetDataType() && Hash(a) == Hash(b);
}

void ExpectErrorAndEmpty(const Result& r)
{
  EXPECT_GT(r.errors, 0);
  EXPECT_EQ(r.out->GetNumberOfPoints(), 0);
}

void ExpectFiniteOutput(const Result& r, vtkIdType points)
{
  EXPECT_EQ(r.errors, 0);
  ASSERT_EQ(r.out->GetNumberOfPoints(), points);
  vtkDataArray* m = Mag(r.out);
  ASSERT_NE(m, nullptr);
  for (vtkIdType i = 0; i < m->GetNumberOfTuples(); ++i)
    ASSERT_TRUE(std::isfinite(m->GetComponent(i, 0))) << i;
}
}

TEST(FilterBadInput, NoScalars)
{
  auto im = Image<vtkFloatArray>();
  im->GetPointData()->Initialize();
  ExpectErrorAndEmpty(RunFilter(im));
}

TEST(FilterBadInput, EmptyExtent)
{
  vtkNew<vtkImageData> im;
  im->SetExtent(0, -1, 0, -1, 0, -1);
  vtkNew<vtkFloatArray> a;
  im->GetPointData()->SetScalars(a);
  ExpectErrorAndEmpty(RunFilter(im));
}

TEST(FilterBadInput, OneVoxelAndThinAxes)
{
  for (auto dims : { std::array<int, 3>{ 1, 1, 1 }, std::array<int, 3>{ 1, 8, 7 },
         std::array<int, 3>{ 9, 1, 7 }, std::array<int, 3>{ 9, 8, 1 } })
  {
    auto im = Image<vtkFloatArray>(dims[0], dims[1], dims[2]);
    Result r = RunFilter(im);
    ExpectFiniteOutput(r, im->GetNumberOfPoints());
  }
}

TEST(FilterBadInput, ExtentNotAtZeroGivesSameValues)
{
  Result a = RunFilter(Image<vtkFloatArray>());
  Result b = RunFilter(Image<vtkFloatArray>(9, 8, 7, -5, 100, -3));
  EXPECT_TRUE(Bitwise(Mag(a.out), Mag(b.out)));
}

TEST(FilterBadInput, BadSpacing)
{
  for (double s : { 0.0, -1.0, std::nan(""), HUGE_VAL })
  {
    auto im = Image<vtkFloatArray>();
    im->SetSpacing(1.0, s, 1.0);
    ExpectErrorAndEmpty(RunFilter(im));
  }
}

TEST(FilterBadInput, NonOrthonormalAndSingularDirection)
{
  // f = 2 i on a sheared grid: world gradient = M^-T (2/h, 0, 0).
  auto im = Image<vtkDoubleArray>();
  vtkDataArray* a = Mag(im);
  const int* e = im->GetExtent();
  vtkIdType id = 0;
  for (int k = e[4]; k <= e[5]; ++k)
    for (int j = e[2]; j <= e[3]; ++j)
      for (int i = e[0]; i <= e[1]; ++i)
        a->SetComponent(id++, 0, 2.0 * i);
  im->SetSpacing(1, 1, 1);
  const double shear[9] = { 1, 0.5, 0, 0, 1, 0, 0, 0, 2 };
  im->SetDirectionMatrix(shear);
  Result r = RunFilter(im);
  ExpectFiniteOutput(r, im->GetNumberOfPoints());
  vtkNew<vtkMatrix3x3> m;
  m->DeepCopy(shear);
  m->Invert();
  m->Transpose();
  double g[3] = { 2, 0, 0 };
  m->MultiplyPoint(g, g);
  const double want = std::sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]);
  EXPECT_NEAR(Mag(r.out)->GetComponent(4 + 9 * (3 + 8 * 3), 0), want, 1e-12);
  const double singular[9] = { 1, 0, 0, 1, 0, 0, 0, 0, 1 };
  im->SetDirectionMatrix(singular);
  ExpectErrorAndEmpty(RunFilter(im));
}

TEST(FilterBadInput, NonFiniteScalarsStayLocal)
{
  auto im = Image<vtkFloatArray>();
  vtkDataArray* a = Mag(im);
  a->SetComponent(0, 0, std::nan(""));
  a->SetComponent(a->GetNumberOfTuples() - 1, 0, HUGE_VAL);
  Result r = RunFilter(im);
  EXPECT_EQ(r.errors, 0);
  vtkDataArray* m = Mag(r.out);
  // voxel (4,4,3) is far from both corners
  EXPECT_TRUE(std::isfinite(m->GetComponent(4 + 9 * (4 + 8 * 3), 0)));
}

TEST(FilterBadInput, ConstantIsZero)
{
  auto im = Image<vtkShortArray>();
  Mag(im)->Fill(42);
  Result r = RunFilter(im);
  ExpectFiniteOutput(r, im->GetNumberOfPoints());
  EXPECT_EQ(Mag(r.out)->GetRange()[1], 0.0);
}

TEST(FilterBadInput, MultiComponentAndUnsupportedTypes)
{
  auto im = Image<vtkFloatArray>(9, 8, 7, 0, 0, 0, 3);
  ExpectFiniteOutput(RunFilter(im), im->GetNumberOfPoints());
  vtkNew<vtkGradientMagnitudeFilter> f;
  f->SetComponent(5);
  ExpectErrorAndEmpty(RunFilter(im, f));

  auto bits = Image<vtkFloatArray>();
  vtkNew<vtkBitArray> b;
  b->SetNumberOfTuples(bits->GetNumberOfPoints());
  b->SetName("bits");
  for (vtkIdType i = 0; i < b->GetNumberOfTuples(); ++i)
    b->SetValue(i, i % 3 == 0);
  bits->GetPointData()->SetScalars(b);
  ExpectErrorAndEmpty(RunFilter(bits));
}

// 32-bit overflow: a whole extent of ~2.7e10 voxels (and one at the int
// limits) is never allocated; the source produces only the padded piece the
// filter asks for. vtkRTAnalyticSource's values depend on the whole extent,
// so the reference is the filter run on that padded piece alone (as input
// data): its interior equals the requested piece bitwise.
TEST(FilterBadInput, HugeWholeExtentPiece)
{
  auto check = [](int w0, int w1, int p0, int p1) {
    SCOPED_TRACE(std::to_string(w0) + ".." + std::to_string(w1));
    vtkNew<vtkRTAnalyticSource> src;
    src->SetWholeExtent(w0, w1, w0, w1, w0, w1);
    src->SetCenter(p0 + 4, p0 + 4, p0 + 4);
    vtkNew<vtkGradientMagnitudeFilter> f;
    ErrorCounter ec(f);
    f->SetInputConnection(src->GetOutputPort());
    int piece[6] = { p0, p1, p0, p1, p0, p1 };
    f->UpdateExtent(piece);
    vtkImageData* out = f->GetOutput();
    EXPECT_EQ(ec.errors, 0);
    ASSERT_EQ(out->GetNumberOfPoints(), 1000);
    // the padded input piece, run through a fresh filter
    vtkNew<vtkImageData> in;
    in->DeepCopy(vtkImageData::SafeDownCast(f->GetInputDataObject(0, 0)));
    const int* ie = in->GetExtent();
    for (int a = 0; a < 3; ++a)
    {
      EXPECT_EQ(ie[2 * a], std::max<long long>(w0, p0 - 1LL));
      EXPECT_EQ(ie[2 * a + 1], std::min<long long>(w1, p1 + 1LL));
    }
    Result ref = RunFilter(in);
    ASSERT_EQ(ref.errors, 0);
    // 64-bit counters: p1 may be INT_MAX
    for (long long k = p0; k <= p1; ++k)
      for (long long j = p0; j <= p1; ++j)
        for (long long i = p0; i <= p1; ++i)
        {
          int ijk[3] = { int(i), int(j), int(k) };
          const float a = *static_cast<float*>(out->GetScalarPointer(ijk));
          const float b = *static_cast<float*>(ref.out->GetScalarPointer(ijk));
          ASSERT_TRUE(std::isfinite(a));
          ASSERT_EQ(std::memcmp(&a, &b, sizeof a), 0) << i << " " << j << " " << k;
        }
  };
  check(0, 3000, 1500, 1509);
  check(INT_MAX - 30, INT_MAX, INT_MAX - 9, INT_MAX);
  check(INT_MIN, INT_MIN + 30, INT_MIN, INT_MIN + 9);
}

TEST(FilterPipeline, MTimeReexecutionAndTypeReuse)
{
  auto im = Image<vtkFloatArray>();
  vtkNew<vtkGradientMagnitudeFilter> f;
  Result a = RunFilter(im, f);
  vtkDataArray* s = Mag(im);
  for (vtkIdType i = 0; i < s->GetNumberOfTuples(); ++i)
    s->SetComponent(i, 0, 2 * s->GetComponent(i, 0));
  s->Modified();
  Result b = RunFilter(im, f);
  EXPECT_NEAR(Mag(b.out)->GetRange()[1], 2 * Mag(a.out)->GetRange()[1], 1e-4);
  // same filter, now uint8 then double input
  auto u8 = Image<vtkUnsignedCharArray>();
  Result c = RunFilter(u8, f);
  EXPECT_EQ(Mag(c.out)->GetDataType(), VTK_FLOAT);
  EXPECT_TRUE(Bitwise(Mag(c.out), Mag(a.out)));
  auto d = Image<vtkDoubleArray>();
  Result e = RunFilter(d, f);
  EXPECT_EQ(Mag(e.out)->GetDataType(), VTK_DOUBLE);
  for (vtkIdType i = 0; i < Mag(e.out)->GetNumberOfTuples(); ++i)
    ASSERT_NEAR(Mag(e.out)->GetComponent(i, 0), Mag(a.out)->GetComponent(i, 0),
      1e-5 * (1 + Mag(e.out)->GetComponent(i, 0)));
}

class Invariance : public ::testing::TestWithParam<int>
{
};

TEST_P(Invariance, ThreadsStreamingAndTypes)
{
  const int op = GetParam();
  auto base = Image<vtkFloatArray>(23, 19, 17);
  auto make = [op](int threads) {
    auto f = vtkSmartPointer<vtkGradientMagnitudeFilter>::New();
    f->SetOperator(op);
    f->SetSigma(1.3);
    f->SetNumberOfThreads(threads);
    return f;
  };
  Result ref = RunFilter(base, make(1));
  ASSERT_EQ(ref.errors, 0);
  for (int t : { 2, 3, 7 })
  {
    EXPECT_TRUE(Bitwise(Mag(RunFilter(base, make(t)).out), Mag(ref.out))) << "threads " << t;
  }
  for (int n = 1; n <= 16; ++n)
  {
    auto f = make(2);
    f->SetInputData(base);
    vtkNew<vtkImageDataStreamer> st;
    st->SetInputConnection(f->GetOutputPort());
    st->SetNumberOfStreamDivisions(n);
    st->Update();
    EXPECT_TRUE(Bitwise(Mag(st->GetOutput()), Mag(ref.out))) << "divisions " << n;
  }
  // the same values as uint8 / int16 / float: float work, bitwise equal
  auto u8 = Image<vtkUnsignedCharArray>(23, 19, 17);
  auto i16 = Image<vtkShortArray>(23, 19, 17);
  EXPECT_TRUE(Bitwise(Mag(RunFilter(u8, make(3)).out), Mag(ref.out)));
  EXPECT_TRUE(Bitwise(Mag(RunFilter(i16, make(3)).out), Mag(ref.out)));
}

INSTANTIATE_TEST_SUITE_P(Operators, Invariance,
  ::testing::Values(vtkGradientMagnitudeFilter::CENTRAL_DIFFERENCE,
    vtkGradientMagnitudeFilter::SOBEL, vtkGradientMagnitudeFilter::GAUSSIAN));
