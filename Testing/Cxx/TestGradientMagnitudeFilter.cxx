// Tests of vtkGradientMagnitudeFilter through VTK pipelines, against VTK's
// own filters (on double input, where they do not wrap) and analytic fields.
#include "vtkGradientMagnitudeFilter.h"

#include "vtkBitArray.h"
#include "vtkCallbackCommand.h"
#include "vtkCommand.h"
#include "vtkDataArray.h"
#include "vtkDoubleArray.h"
#include "vtkFloatArray.h"
#include "vtkImageCast.h"
#include "vtkImageData.h"
#include "vtkImageDataStreamer.h"
#include "vtkImageGradient.h"
#include "vtkImageGradientMagnitude.h"
#include "vtkImageMagnitude.h"
#include "vtkMatrix3x3.h"
#include "vtkMetaImageReader.h"
#include "vtkNew.h"
#include "vtkPointData.h"
#include "vtkRTAnalyticSource.h"
#include "vtkSLCReader.h"
#include "vtkSmartPointer.h"
#include "vtkTypeUInt8Array.h"
#include "vtkUnsignedCharArray.h"
#include "vtkVolume16Reader.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <string>
#include <vector>
#include <algorithm>

namespace
{
// Counts error events of an object and swallows their output.
class ErrorCatcher
{
public:
  explicit ErrorCatcher(vtkObject* o)
  {
    this->Callback->SetClientData(this);
    this->Callback->SetCallback([](vtkObject*, unsigned long, void* cd, void* msg) {
      auto* self = static_cast<ErrorCatcher*>(cd);
      ++self->Count;
      self->Last = static_cast<const char*>(msg);
    });
    o->AddObserver(vtkCommand::ErrorEvent, this->Callback);
    o->AddObserver(vtkCommand::WarningEvent, this->Callback);
  }
  int Count = 0;
  std::string Last;

private:
  vtkNew<vtkCallbackCommand> Callback;
};

vtkSmartPointer<vtkImageData> Make(int nx, int ny, int nz, int type,
  const std::function<double(int, int, int)>& f, const double spacing[3] = nullptr)
{
  auto image = vtkSmartPointer<vtkImageData>::New();
  image->SetDimensions(nx, ny, nz);
  if (spacing)
    image->SetSpacing(spacing[0], spacing[1], spacing[2]);
  image->AllocateScalars(type, 1);
  image->GetPointData()->GetScalars()->SetName("f");
  vtkDataArray* s = image->GetPointData()->GetScalars();
  vtkIdType i = 0;
  for (int z = 0; z < nz; ++z)
    for (int y = 0; y < ny; ++y)
      for (int x = 0; x < nx; ++x)
        s->SetComponent(i++, 0, f(x, y, z));
  return image;
}

vtkSmartPointer<vtkImageData> Wavelet(int half = 10)
{
  vtkNew<vtkRTAnalyticSource> source;
  source->SetWholeExtent(-half, half, -half, half - 2, -half + 1, half);
  vtkNew<vtkImageCast> cast;
  cast->SetInputConnection(source->GetOutputPort());
  cast->SetOutputScalarTypeToDouble();
  cast->Update();
  auto out = vtkSmartPointer<vtkImageData>::New();
  out->DeepCopy(cast->GetOutput());
  out->SetSpacing(0.7, 1.3, 0.45);
  return out;
}

vtkDataArray* Scalars(vtkImageData* image)
{
  return image->GetPointData()->GetScalars();
}

// |vtkImageGradient| of a double image (VTK's reference route). The norm is
// taken here in double: VTK 9.1's vtkImageMagnitude accumulates in float
// (relative error ~1e-8 on double input), fixed in 9.2.
vtkSmartPointer<vtkDataArray> VtkReference(vtkImageData* image, int dims = 3)
{
  vtkNew<vtkImageCast> cast;
  cast->SetInputData(image);
  cast->SetOutputScalarTypeToDouble();
  vtkNew<vtkImageGradient> gradient;
  gradient->SetInputConnection(cast->GetOutputPort());
  gradient->SetDimensionality(dims);
  gradient->HandleBoundariesOn();
  gradient->Update();
  vtkDataArray* g = Scalars(gradient->GetOutput());
  auto norm = vtkSmartPointer<vtkDoubleArray>::New();
  norm->SetNumberOfTuples(g->GetNumberOfTuples());
  for (vtkIdType i = 0; i < g->GetNumberOfTuples(); ++i)
  {
    double s = 0.0;
    for (int c = 0; c < g->GetNumberOfComponents(); ++c)
    {
      s += g->GetComponent(i, c) * g->GetComponent(i, c);
    }
    norm->SetValue(i, std::sqrt(s));
  }
  return norm;
}

void ExpectClose(vtkDataArray* actual, vtkDataArray* expected, double rel)
{
  ASSERT_EQ(actual->GetNumberOfTuples(), expected->GetNumberOfTuples());
  for (vtkIdType i = 0; i < actual->GetNumberOfTuples(); ++i)
  {
    const double e = expected->GetComponent(i, 0);
    ASSERT_NEAR(actual->GetComponent(i, 0), e, rel * std::max(1.0, std::fabs(e))) << "tuple " << i;
  }
}

bool BitwiseEqual(vtkDataArray* a, vtkDataArray* b)
{
  return a->GetNumberOfTuples() == b->GetNumberOfTuples() &&
    a->GetDataType() == b->GetDataType() &&
    std::memcmp(a->GetVoidPointer(0), b->GetVoidPointer(0),
      a->GetNumberOfTuples() * a->GetNumberOfComponents() * a->GetDataTypeSize()) == 0;
}

// Files carried in the repository's Data/ folder.
std::string RepositoryData(const std::string& name)
{
  return std::string(GO_DATA_DIR) + "/" + name;
}

vtkSmartPointer<vtkImageData> ReadMetaImage(const std::string& path)
{
  vtkNew<vtkMetaImageReader> reader;
  reader->SetFileName(path.c_str());
  reader->Update();
  return reader->GetOutput();
}

std::string SharedData(const std::string& name)
{
  return std::string(GO_SHARED_DATA_DIR) + "/" + name;
}

bool Exists(const std::string& path)
{
  std::ifstream f(path);
  return f.good();
}
}

TEST(GradientMagnitudeFilter, MatchesVtkImageGradientOnDouble)
{
  auto image = Wavelet();
  auto reference = VtkReference(image);
  vtkNew<vtkGradientMagnitudeFilter> filter;
  filter->SetInputData(image);
  filter->ComputeGradientVectorOn();
  filter->Update();
  vtkDataArray* ours = Scalars(filter->GetOutput());
  EXPECT_EQ(ours->GetDataType(), VTK_DOUBLE);
  EXPECT_STREQ(ours->GetName(), "RTData_GradientMagnitude");
  ExpectClose(ours, reference, 1e-12);

  // The vector against vtkImageGradient's components.
  vtkNew<vtkImageGradient> gradient;
  gradient->SetInputData(image);
  gradient->SetDimensionality(3);
  gradient->Update();
  vtkDataArray* vtkVec = Scalars(gradient->GetOutput());
  vtkDataArray* ourVec = filter->GetOutput()->GetPointData()->GetArray("RTData_Gradient");
  ASSERT_NE(ourVec, nullptr);
  for (vtkIdType i = 0; i < vtkVec->GetNumberOfTuples(); ++i)
    for (int c = 0; c < 3; ++c)
      ASSERT_NEAR(ourVec->GetComponent(i, c), vtkVec->GetComponent(i, c),
        1e-12 * std::max(1.0, std::fabs(vtkVec->GetComponent(i, c))));
}

TEST(GradientMagnitudeFilter, Uint8DoesNotWrap)
{
  // A step 0 -> 255 at spacing 0.1: |grad| = 255 / 0.2 = 1275 > 255.
  const double spacing[3] = { 0.1, 0.1, 0.1 };
  auto image = Make(16, 8, 8, VTK_UNSIGNED_CHAR, [](int x, int, int) { return x < 8 ? 0 : 255; }, spacing);

  vtkNew<vtkImageGradientMagnitude> vtkFilter;
  vtkFilter->SetInputData(image);
  vtkFilter->SetDimensionality(3);
  vtkFilter->Update();
  double vtkRange[2];
  Scalars(vtkFilter->GetOutput())->GetRange(vtkRange);
  EXPECT_EQ(Scalars(vtkFilter->GetOutput())->GetDataType(), VTK_UNSIGNED_CHAR);
  EXPECT_LT(vtkRange[1], 256.0); // wrapped

  vtkNew<vtkGradientMagnitudeFilter> filter;
  filter->SetInputData(image);
  filter->Update();
  vtkDataArray* ours = Scalars(filter->GetOutput());
  EXPECT_EQ(ours->GetDataType(), VTK_FLOAT);
  double range[2];
  ours->GetRange(range);
  EXPECT_FLOAT_EQ(static_cast<float>(range[1]), 1275.0f);
  ExpectClose(ours, VtkReference(image), 1e-6);
}

TEST(GradientMagnitudeFilter, OutputTypeForEveryScalarType)
{
  const int types[] = { VTK_SIGNED_CHAR, VTK_UNSIGNED_CHAR, VTK_CHAR, VTK_SHORT, VTK_UNSIGNED_SHORT,
    VTK_INT, VTK_UNSIGNED_INT, VTK_LONG, VTK_UNSIGNED_LONG, VTK_LONG_LONG, VTK_UNSIGNED_LONG_LONG,
    VTK_ID_TYPE, VTK_FLOAT, VTK_DOUBLE };
  for (int type : types)
  {
    auto image = Make(6, 7, 5, type, [](int x, int y, int z) { return 3 * x + 2 * y + (z * z) % 5; });
    const bool wide = type == VTK_INT || type == VTK_UNSIGNED_INT || type == VTK_LONG ||
      type == VTK_UNSIGNED_LONG || type == VTK_LONG_LONG || type == VTK_UNSIGNED_LONG_LONG ||
      type == VTK_ID_TYPE || type == VTK_DOUBLE;
    vtkNew<vtkGradientMagnitudeFilter> filter;
    filter->SetInputData(image);
    filter->Update();
    vtkDataArray* ours = Scalars(filter->GetOutput());
    ASSERT_NE(ours, nullptr);
    EXPECT_EQ(ours->GetDataType(), wide ? VTK_DOUBLE : VTK_FLOAT) << image->GetScalarTypeAsString();
    EXPECT_EQ(filter->GetOutputScalarTypeFor(type), ours->GetDataType());
    ExpectClose(ours, VtkReference(image), 1e-6);
    // Override.
    filter->SetOutputScalarTypeToDouble();
    filter->Update();
    EXPECT_EQ(Scalars(filter->GetOutput())->GetDataType(), VTK_DOUBLE);
    ExpectClose(Scalars(filter->GetOutput()), VtkReference(image), 1e-12);
  }
}

TEST(GradientMagnitudeFilter, AnisotropicSpacingAndUnits)
{
  const double spacing[3] = { 0.5, 2.0, 1.5 };
  auto image = Make(9, 9, 9, VTK_SHORT, [](int x, int y, int z) { return 4 * x - 6 * y + 3 * z; }, spacing);
  vtkNew<vtkGradientMagnitudeFilter> filter;
  filter->SetInputData(image);
  filter->Update();
  const double expected = std::sqrt(8.0 * 8.0 + 3.0 * 3.0 + 2.0 * 2.0);
  const vtkIdType centre = image->ComputePointId(std::array<int, 3>{ 4, 4, 4 }.data());
  EXPECT_NEAR(Scalars(filter->GetOutput())->GetComponent(centre, 0), expected, 1e-5);
  filter->SetUnitsToMapper();
  filter->Update();
  // Mapper units: per average voxel = per mm * mean spacing (4/3).
  EXPECT_NEAR(Scalars(filter->GetOutput())->GetComponent(centre, 0), expected * 4.0 / 3.0, 1e-5);
}

TEST(GradientMagnitudeFilter, DirectionMatrixKeptAndGradientInWorldAxes)
{
  // A grid rotated 30 degrees about z; f = 2 X + 5 Y - Z in world coordinates.
  const double c = std::cos(M_PI / 6), s = std::sin(M_PI / 6);
  const double d[9] = { c, -s, 0, s, c, 0, 0, 0, 1 };
  const double h[3] = { 0.8, 1.2, 1.0 };
  auto image = Make(10, 10, 10, VTK_DOUBLE, [&](int i, int j, int k) {
    const double p[3] = { i * h[0], j * h[1], k * h[2] };
    const double X = d[0] * p[0] + d[1] * p[1] + d[2] * p[2];
    const double Y = d[3] * p[0] + d[4] * p[1] + d[5] * p[2];
    const double Z = d[6] * p[0] + d[7] * p[1] + d[8] * p[2];
    return 2 * X + 5 * Y - Z;
  }, h);
  image->SetDirectionMatrix(d);
  vtkNew<vtkGradientMagnitudeFilter> filter;
  filter->SetInputData(image);
  filter->ComputeGradientVectorOn();
  filter->Update();
  vtkImageData* out = filter->GetOutput();
  for (int i = 0; i < 9; ++i)
    EXPECT_DOUBLE_EQ(out->GetDirectionMatrix()->GetData()[i], d[i]);
  const vtkIdType centre = image->ComputePointId(std::array<int, 3>{ 5, 5, 5 }.data());
  EXPECT_NEAR(Scalars(out)->GetComponent(centre, 0), std::sqrt(30.0), 1e-12);
  vtkDataArray* vec = out->GetPointData()->GetArray("f_Gradient");
  ASSERT_NE(vec, nullptr);
  EXPECT_NEAR(vec->GetComponent(centre, 0), 2.0, 1e-12);
  EXPECT_NEAR(vec->GetComponent(centre, 1), 5.0, 1e-12);
  EXPECT_NEAR(vec->GetComponent(centre, 2), -1.0, 1e-12);
  // Sheared (non-orthonormal) direction: still the world gradient.
  const double sh[9] = { 1, 0.5, 0, 0, 1, 0, 0, 0, 1 };
  auto sheared = Make(10, 10, 10, VTK_DOUBLE, [&](int i, int j, int k) {
    const double X = i + 0.5 * j, Y = j, Z = k;
    return 2 * X + 5 * Y - Z;
  });
  sheared->SetDirectionMatrix(sh);
  filter->SetInputData(sheared);
  filter->Update();
  EXPECT_NEAR(Scalars(filter->GetOutput())->GetComponent(centre, 0), std::sqrt(30.0), 1e-12);
}

TEST(GradientMagnitudeFilter, PassesArraysAndLeavesInputUnchanged)
{
  auto image = Wavelet(6);
  vtkNew<vtkFloatArray> extra;
  extra->SetName("extra");
  extra->SetNumberOfTuples(image->GetNumberOfPoints());
  extra->FillValue(3.5f);
  image->GetPointData()->AddArray(extra);
  vtkNew<vtkDoubleArray> before;
  before->DeepCopy(Scalars(image));
  const vtkMTimeType mtime = image->GetMTime();

  vtkNew<vtkGradientMagnitudeFilter> filter;
  filter->SetInputData(image);
  filter->Update();
  vtkPointData* pd = filter->GetOutput()->GetPointData();
  EXPECT_NE(pd->GetArray("RTData"), nullptr);
  EXPECT_NE(pd->GetArray("extra"), nullptr);
  EXPECT_STREQ(pd->GetScalars()->GetName(), "RTData_GradientMagnitude");
  EXPECT_TRUE(BitwiseEqual(before, Scalars(image)));
  EXPECT_STREQ(Scalars(image)->GetName(), "RTData");
  EXPECT_EQ(image->GetMTime(), mtime);
}

TEST(GradientMagnitudeFilter, ThreadsAndStreamedPiecesAreBitwiseIdentical)
{
  auto image = Wavelet(12);
  vtkNew<vtkImageCast> toShort;
  toShort->SetInputData(image);
  toShort->SetOutputScalarTypeToShort();
  toShort->Update();
  for (int op = 0; op <= 2; ++op)
  {
    vtkNew<vtkGradientMagnitudeFilter> one;
    one->SetInputConnection(toShort->GetOutputPort());
    one->SetOperator(op);
    one->SetSigma(1.5);
    one->SetNumberOfThreads(1);
    one->Update();
    vtkDataArray* reference = Scalars(one->GetOutput());

    for (int threads : { 2, 3, 7 })
    {
      vtkNew<vtkGradientMagnitudeFilter> many;
      many->SetInputConnection(toShort->GetOutputPort());
      many->SetOperator(op);
      many->SetSigma(1.5);
      many->SetNumberOfThreads(threads);
      many->Update();
      EXPECT_TRUE(BitwiseEqual(reference, Scalars(many->GetOutput())))
        << "op " << op << " threads " << threads;
    }

    vtkNew<vtkGradientMagnitudeFilter> piecewise;
    piecewise->SetInputConnection(toShort->GetOutputPort());
    piecewise->SetOperator(op);
    piecewise->SetSigma(1.5);
    vtkNew<vtkImageDataStreamer> streamer;
    streamer->SetInputConnection(piecewise->GetOutputPort());
    streamer->SetNumberOfStreamDivisions(4);
    streamer->Update();
    EXPECT_TRUE(BitwiseEqual(reference, Scalars(streamer->GetOutput()))) << "op " << op;
  }
}

TEST(GradientMagnitudeFilter, SinglesliceIs2D)
{
  auto image = Make(12, 10, 1, VTK_UNSIGNED_CHAR, [](int x, int y, int) { return (x * x + 3 * y) % 200; });
  vtkNew<vtkGradientMagnitudeFilter> filter;
  filter->SetInputData(image);
  filter->SetOperatorToGaussian();
  filter->Update();
  EXPECT_EQ(filter->GetOutput()->GetNumberOfPoints(), 120);
  filter->SetOperatorToCentralDifference();
  filter->Update();
  ExpectClose(Scalars(filter->GetOutput()), VtkReference(image, 2), 1e-6);
}

TEST(GradientMagnitudeFilter, MultiComponentJacobianAndComponent)
{
  auto image = Make(8, 8, 8, VTK_FLOAT, [](int x, int, int) { return 3 * x; });
  vtkNew<vtkFloatArray> two;
  two->SetName("rg");
  two->SetNumberOfComponents(2);
  two->SetNumberOfTuples(image->GetNumberOfPoints());
  for (vtkIdType i = 0; i < two->GetNumberOfTuples(); ++i)
  {
    int ijk[3];
    image->ComputeStructuredCoordinates(image->GetPoint(i), ijk, std::array<double, 3>{}.data());
    two->SetComponent(i, 0, 3.0 * ijk[0]);
    two->SetComponent(i, 1, 4.0 * ijk[1]);
  }
  image->GetPointData()->SetScalars(two);
  vtkNew<vtkGradientMagnitudeFilter> filter;
  filter->SetInputData(image);
  filter->Update();
  const vtkIdType centre = image->ComputePointId(std::array<int, 3>{ 4, 4, 4 }.data());
  EXPECT_FLOAT_EQ(static_cast<float>(Scalars(filter->GetOutput())->GetComponent(centre, 0)), 5.0f);
  filter->SetComponent(1);
  filter->Update();
  EXPECT_FLOAT_EQ(static_cast<float>(Scalars(filter->GetOutput())->GetComponent(centre, 0)), 4.0f);
  ErrorCatcher errors(filter);
  filter->SetComponent(2);
  filter->Update();
  EXPECT_EQ(errors.Count, 1);
  EXPECT_NE(errors.Last.find("Component 2 does not exist"), std::string::npos);
}

TEST(GradientMagnitudeFilter, UnnamedSelectionUsesActiveScalars)
{
  // ParaView's array selector sets an empty name when a script creates the
  // filter before its input has executed: that means the active scalars. A
  // second array makes sure the active one, not the first one, is taken.
  auto image = Wavelet();
  vtkNew<vtkFloatArray> other;
  other->SetName("Other");
  other->SetNumberOfTuples(image->GetNumberOfPoints());
  other->Fill(7.0);
  image->GetPointData()->AddArray(other);
  vtkNew<vtkGradientMagnitudeFilter> reference;
  reference->SetInputData(image);
  reference->Update();
  vtkNew<vtkGradientMagnitudeFilter> filter;
  filter->SetInputData(image);
  filter->SetInputArrayToProcess(0, 0, 0, vtkDataObject::FIELD_ASSOCIATION_POINTS, "");
  ErrorCatcher errors(filter);
  filter->Update();
  EXPECT_EQ(errors.Count, 0) << errors.Last;
  ASSERT_NE(Scalars(filter->GetOutput()), nullptr);
  EXPECT_TRUE(BitwiseEqual(Scalars(filter->GetOutput()), Scalars(reference->GetOutput())));
  // A name that does not exist is still an error.
  filter->SetInputArrayToProcess(0, 0, 0, vtkDataObject::FIELD_ASSOCIATION_POINTS, "NoSuchArray");
  filter->Update();
  EXPECT_EQ(errors.Count, 1);
  EXPECT_NE(errors.Last.find("No input array to process"), std::string::npos);
  EXPECT_EQ(filter->GetOutput()->GetNumberOfPoints(), 0);
}

TEST(GradientMagnitudeFilter, BadInputGivesErrorAndEmptyOutput)
{
  struct Case
  {
    const char* what;
    std::function<vtkSmartPointer<vtkImageData>()> make;
    const char* message;
  };
  const Case cases[] = {
    { "no scalars",
      [] {
        auto im = vtkSmartPointer<vtkImageData>::New();
        im->SetDimensions(4, 4, 4);
        return im;
      },
      "No input array" },
    { "empty extent",
      [] {
        auto im = vtkSmartPointer<vtkImageData>::New();
        im->SetExtent(0, -1, 0, -1, 0, -1);
        vtkNew<vtkFloatArray> a;
        im->GetPointData()->SetScalars(a);
        return im;
      },
      "extent is empty" },
    { "zero spacing",
      [] {
        const double h[3] = { 1, 0, 1 };
        return Make(4, 4, 4, VTK_FLOAT, [](int x, int, int) { return x; }, h);
      },
      "Spacing" },
    { "negative spacing",
      [] {
        const double h[3] = { -1, 1, 1 };
        return Make(4, 4, 4, VTK_FLOAT, [](int x, int, int) { return x; }, h);
      },
      "Spacing" },
    { "NaN spacing",
      [] {
        const double h[3] = { 1, 1, std::nan("") };
        return Make(4, 4, 4, VTK_FLOAT, [](int x, int, int) { return x; }, h);
      },
      "Spacing" },
    { "bit array",
      [] {
        auto im = vtkSmartPointer<vtkImageData>::New();
        im->SetDimensions(4, 4, 4);
        vtkNew<vtkBitArray> bits;
        bits->SetNumberOfTuples(64);
        im->GetPointData()->SetScalars(bits);
        return im;
      },
      "Unsupported scalar type" },
  };
  for (const Case& c : cases)
  {
    auto image = c.make();
    vtkNew<vtkGradientMagnitudeFilter> filter;
    ErrorCatcher errors(filter);
    filter->SetInputData(image);
    filter->Update();
    EXPECT_GE(errors.Count, 1) << c.what;
    EXPECT_NE(errors.Last.find(c.message), std::string::npos) << c.what << ": " << errors.Last;
    EXPECT_EQ(filter->GetOutput()->GetNumberOfPoints(), 0) << c.what;
    EXPECT_EQ(filter->GetOutput()->GetPointData()->GetNumberOfArrays(), 0) << c.what;
  }
  // Bad sigma.
  auto image = Make(4, 4, 4, VTK_FLOAT, [](int x, int, int) { return x; });
  vtkNew<vtkGradientMagnitudeFilter> filter;
  ErrorCatcher errors(filter);
  filter->SetInputData(image);
  filter->SetOperatorToGaussian();
  filter->SetSigma(0.0);
  filter->Update();
  EXPECT_NE(errors.Last.find("Sigma"), std::string::npos);
  EXPECT_EQ(filter->GetOutput()->GetNumberOfPoints(), 0);
  // Bad output type.
  filter->SetOutputScalarType(VTK_INT);
  EXPECT_EQ(filter->GetOutputScalarType(), -1);
}

TEST(GradientMagnitudeFilter, HeadsqCTMatchesDoubleRoute)
{
  const std::string path = RepositoryData("headsq-quarter.mha");
  ASSERT_TRUE(Exists(path)) << path << " is part of the repository";
  auto ct = ReadMetaImage(path);
  ASSERT_EQ(ct->GetNumberOfPoints(), 64 * 64 * 93);
  ASSERT_EQ(Scalars(ct)->GetDataType(), VTK_UNSIGNED_SHORT);
  vtkNew<vtkGradientMagnitudeFilter> filter;
  filter->SetInputData(ct);
  filter->Update();
  EXPECT_EQ(Scalars(filter->GetOutput())->GetDataType(), VTK_FLOAT);
  ExpectClose(Scalars(filter->GetOutput()), VtkReference(ct), 1e-6);
}

TEST(GradientMagnitudeFilter, HeadMRMatchesDoubleRoute)
{
  const std::string path = RepositoryData("HeadMRVolume.mhd");
  ASSERT_TRUE(Exists(path)) << path << " is part of the repository";
  auto mr = ReadMetaImage(path);
  ASSERT_EQ(mr->GetNumberOfPoints(), 48 * 62 * 42);
  ASSERT_EQ(Scalars(mr)->GetDataType(), VTK_UNSIGNED_CHAR);
  vtkNew<vtkGradientMagnitudeFilter> filter;
  filter->SetInputData(mr);
  filter->Update();
  vtkDataArray* ours = Scalars(filter->GetOutput());
  EXPECT_EQ(ours->GetDataType(), VTK_FLOAT);
  ExpectClose(ours, VtkReference(mr), 1e-6);
}

// Data/headsq-quarter.mha is VTK's headsq "quarter" slices in one file: the
// same voxels, type, dimensions and spacing as vtkVolume16Reader gives on the
// 93 original slices (needs ../shared/data for the slices).
TEST(RepositoryData, HeadsqMatchesVolume16Reader)
{
  const std::string prefix = SharedData("headsq/quarter");
  if (!Exists(prefix + ".1"))
    GTEST_SKIP() << "headsq slices not found under " << GO_SHARED_DATA_DIR;
  vtkNew<vtkVolume16Reader> reader;
  reader->SetFilePrefix(prefix.c_str());
  reader->SetImageRange(1, 93);
  reader->SetDataDimensions(64, 64);
  reader->SetDataSpacing(3.2, 3.2, 1.5);
  reader->SetDataByteOrderToLittleEndian();
  reader->SetDataMask(0x7fff);
  reader->Update();
  vtkImageData* slices = reader->GetOutput();
  auto file = ReadMetaImage(RepositoryData("headsq-quarter.mha"));
  int d0[3], d1[3];
  slices->GetDimensions(d0);
  file->GetDimensions(d1);
  for (int a = 0; a < 3; ++a)
  {
    EXPECT_EQ(d0[a], d1[a]);
    EXPECT_DOUBLE_EQ(slices->GetSpacing()[a], file->GetSpacing()[a]);
    EXPECT_DOUBLE_EQ(slices->GetOrigin()[a], file->GetOrigin()[a]);
  }
  EXPECT_TRUE(BitwiseEqual(Scalars(slices), Scalars(file)));
}

TEST(GradientMagnitudeFilter, EmbryoUint8MatchesDoubleRoute)
{
  const std::string path = SharedData("embryo.slc");
  if (!Exists(path))
    GTEST_SKIP() << "embryo.slc not found under " << GO_SHARED_DATA_DIR;
  vtkNew<vtkSLCReader> reader;
  reader->SetFileName(path.c_str());
  reader->Update();
  vtkImageData* embryo = reader->GetOutput();
  ASSERT_EQ(Scalars(embryo)->GetDataType(), VTK_UNSIGNED_CHAR);
  vtkNew<vtkGradientMagnitudeFilter> filter;
  filter->SetInputData(embryo);
  filter->Update();
  vtkDataArray* ours = Scalars(filter->GetOutput());
  ExpectClose(ours, VtkReference(embryo), 1e-6);
  // VTK's own uint8 route wraps where the magnitude exceeds 255.
  double range[2];
  ours->GetRange(range);
  RecordProperty("max_gradient", std::to_string(range[1]));
}

TEST(GradientMagnitudeFilter, PieceRequestsMatchWholeUpdate)
{
  // UpdatePiece (what ParaView's MPI ranks do): the upstream source converts
  // the piece to an extent itself, so the filter must get a padded input
  // (ghost levels) or piece borders would get the image-edge rule.
  for (int op = 0; op <= 2; ++op)
  {
    vtkNew<vtkRTAnalyticSource> source;
    source->SetWholeExtent(-8, 8, -7, 9, -6, 6);
    vtkNew<vtkGradientMagnitudeFilter> whole;
    whole->SetInputConnection(source->GetOutputPort());
    whole->SetOperator(op);
    whole->Update();
    vtkImageData* reference = whole->GetOutput();
    for (int pieces : { 2, 3, 5 })
    {
      // Image pieces share their boundary layer of points: count coverage.
      std::vector<char> covered(reference->GetNumberOfPoints(), 0);
      for (int piece = 0; piece < pieces; ++piece)
      {
        vtkNew<vtkRTAnalyticSource> src;
        src->SetWholeExtent(-8, 8, -7, 9, -6, 6);
        vtkNew<vtkGradientMagnitudeFilter> filter;
        filter->SetInputConnection(src->GetOutputPort());
        filter->SetOperator(op);
        filter->UpdatePiece(piece, pieces, 0);
        vtkImageData* out = filter->GetOutput();
        const int* e = out->GetExtent();
        for (int z = e[4]; z <= e[5]; ++z)
          for (int y = e[2]; y <= e[3]; ++y)
            for (int x = e[0]; x <= e[1]; ++x)
            {
              int ijk[3] = { x, y, z };
              covered[reference->ComputePointId(ijk)] = 1;
              const float a = *static_cast<float*>(out->GetScalarPointer(ijk));
              const float b = *static_cast<float*>(reference->GetScalarPointer(ijk));
              ASSERT_EQ(std::memcmp(&a, &b, sizeof(float)), 0)
                << "op " << op << " piece " << piece << "/" << pieces << " at " << x << " " << y
                << " " << z;
            }
      }
      EXPECT_EQ(std::count(covered.begin(), covered.end(), 1), reference->GetNumberOfPoints())
        << pieces << " pieces";
    }
  }
}
