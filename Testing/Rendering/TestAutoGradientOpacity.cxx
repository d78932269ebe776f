// vtkAutoGradientOpacity: the algorithm's guarantees, the phantom acceptance
// test, and the thresholds on real data (reported, not asserted).
#include "GoTestPhantom.h"
#include "go_autoopacity.h"
#include "vtkAutoGradientOpacity.h"
#include "vtkGradientMagnitudeFilter.h"
#include "vtkMath.h"

#include "vtkCommand.h"
#include "vtkDoubleArray.h"
#include "vtkFieldData.h"
#include "vtkFloatArray.h"
#include "vtkImageData.h"
#include "vtkMetaImageReader.h"
#include "vtkNew.h"
#include "vtkPiecewiseFunction.h"
#include "vtkPointData.h"
#include "vtkTable.h"
#include "vtkUnsignedCharArray.h"
#include "vtkVolumeProperty.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

using go_test::MakeImage;
using go_test::Phantom;

namespace
{
struct WarningCounter : public vtkCommand
{
  static WarningCounter* New() { return new WarningCounter; }
  void Execute(vtkObject*, unsigned long, void* data) override
  {
    ++this->Count;
    this->Last = data ? static_cast<const char*>(data) : "";
  }
  int Count = 0;
  std::string Last;
};

const Phantom& SharedPhantom()
{
  static Phantom p = [] {
    Phantom q;
    q.Generate();
    return q;
  }();
  return p;
}

vtkSmartPointer<vtkImageData> PhantomImage(const Phantom& p, bool noisy = true)
{
  const int dims[3] = { p.n, p.n, p.n };
  return MakeImage<vtkFloatArray>(noisy ? p.noisy : p.clean, dims, p.spacing);
}

// Grid gradient magnitude in mapper units.
std::vector<double> MapperGradient(vtkImageData* image)
{
  vtkNew<vtkGradientMagnitudeFilter> f;
  f->SetInputData(image);
  f->SetUnitsToMapper();
  f->Update();
  vtkDataArray* a = f->GetOutput()->GetPointData()->GetScalars();
  std::vector<double> g(a->GetNumberOfTuples());
  for (vtkIdType i = 0; i < a->GetNumberOfTuples(); ++i)
  {
    g[i] = a->GetTuple1(i);
  }
  return g;
}

// Sub-voxel samples exactly as the GPU shader computes them.
std::vector<float> SubVoxelGradient(vtkImageData* image, size_t n, uint64_t seed)
{
  go_image im;
  int ext[6];
  image->GetExtent(ext);
  im.data = image->GetPointData()->GetScalars()->GetVoidPointer(0);
  im.type = GO_FLOAT32;
  std::copy(ext, ext + 6, im.extent);
  im.increments[0] = 1;
  im.increments[1] = ext[1] - ext[0] + 1;
  im.increments[2] = im.increments[1] * (ext[3] - ext[2] + 1);
  std::vector<float> g(n), w(n);
  EXPECT_EQ(GO_OK,
    go_ao_subvoxel_samples(
      &im, 0, nullptr, nullptr, nullptr, image->GetSpacing(), n, seed, g.data(), w.data(), nullptr));
  return g;
}

struct Scores
{
  double noiseBelow = 0;   // fraction of noise-only samples with opacity < 0.05
  double boundaryAbove = 0; // fraction of boundary samples with opacity > 0.5
};

// Noise-only: clean gradient < 0.01; boundary: clean gradient >= 15 (a quarter
// of the weakest step, 60).
template <typename G0, typename G1, typename Op>
Scores Score(const G0& clean, const G1& noisy, Op opacity)
{
  size_t nn = 0, nb = 0, okn = 0, okb = 0;
  for (size_t i = 0; i < clean.size(); ++i)
  {
    if (clean[i] < 0.01)
    {
      ++nn;
      okn += opacity(noisy[i]) < 0.05 ? 1 : 0;
    }
    else if (clean[i] >= 15.0)
    {
      ++nb;
      okb += opacity(noisy[i]) > 0.5 ? 1 : 0;
    }
  }
  EXPECT_GT(nn, 1000u);
  EXPECT_GT(nb, 1000u);
  Scores s;
  s.noiseBelow = double(okn) / double(nn);
  s.boundaryAbove = double(okb) / double(nb);
  return s;
}

double Percentile(std::vector<double> v, double q)
{
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(q * (v.size() - 1))];
}

struct Curve
{
  double low, high, noise, edge, scale;
  std::vector<double> x, y;
};

Curve RunAuto(vtkImageData* image, int sampling = vtkAutoGradientOpacity::SUBVOXEL,
  vtkAutoGradientOpacity* configured = nullptr)
{
  vtkNew<vtkAutoGradientOpacity> local;
  vtkAutoGradientOpacity* a = configured ? configured : local.Get();
  a->SetInputData(image);
  a->SetSampling(sampling);
  a->Update();
  Curve c;
  c.low = a->GetLowThreshold();
  c.high = a->GetHighThreshold();
  c.noise = a->GetNoiseFloor();
  c.edge = a->GetEdgeStrength();
  c.scale = a->GetGradientScale();
  vtkPiecewiseFunction* f = a->GetGradientOpacityFunction();
  for (int i = 0; i < f->GetSize(); ++i)
  {
    double node[4];
    f->GetNodeValue(i, node);
    c.x.push_back(node[0]);
    c.y.push_back(node[1]);
    EXPECT_EQ(0.0, node[3]) << "sharpness must be 0";
  }
  return c;
}

void ExpectCurvesScaled(const Curve& a, const Curve& b, double factor, double rtol)
{
  EXPECT_NEAR(b.low, factor * a.low, rtol * factor * a.low);
  EXPECT_NEAR(b.high, factor * a.high, rtol * factor * a.high);
  ASSERT_EQ(a.x.size(), b.x.size());
  for (size_t i = 0; i < a.x.size(); ++i)
  {
    EXPECT_NEAR(b.x[i], factor * a.x[i], rtol * factor * std::max(a.x[i], a.low));
    EXPECT_NEAR(b.y[i], a.y[i], 1e-9);
  }
}
}

//------------------------------------------------------------------------------
// Acceptance: noisy phantom, grid statistics judged on grid voxels.
TEST(AutoGradientOpacity, PhantomGrid)
{
  const Phantom& p = SharedPhantom();
  auto noisy = PhantomImage(p, true);
  auto clean = PhantomImage(p, false);
  const std::vector<double> g0 = MapperGradient(clean), g1 = MapperGradient(noisy);

  vtkNew<vtkAutoGradientOpacity> a;
  RunAuto(noisy, vtkAutoGradientOpacity::GRID, a);
  const Scores s = Score(g0, g1, [&](double g) { return a->EvaluateOpacity(g); });
  std::cout << "grid: low " << a->GetLowThreshold() << " high " << a->GetHighThreshold()
            << " noise<0.05 " << s.noiseBelow << " boundary>0.5 " << s.boundaryAbove << "\n";
  EXPECT_GE(s.noiseBelow, 0.95);
  EXPECT_GE(s.boundaryAbove, 0.90);

  // The piecewise-linear function itself agrees with the formula.
  vtkPiecewiseFunction* f = a->GetGradientOpacityFunction();
  for (double g : { 0.5 * a->GetLowThreshold(), a->GetLowThreshold(),
         std::sqrt(a->GetLowThreshold() * a->GetHighThreshold()), a->GetHighThreshold(),
         a->GetGradientScale() })
  {
    EXPECT_NEAR(f->GetValue(g), a->EvaluateOpacity(g), 0.02) << "g = " << g;
  }

  // The noise floor agrees with the white-noise prediction: grid central
  // differences of noise sigma give an RMS of sigma * sqrt(sum (hbar/h)^2 / 2).
  const double hbar = (p.spacing[0] + p.spacing[1] + p.spacing[2]) / 3.0;
  double sum = 0;
  for (double h : p.spacing)
  {
    sum += (hbar / h) * (hbar / h);
  }
  const double rms = p.sigma * std::sqrt(sum / 2.0);
  EXPECT_NEAR(a->GetNoiseFloor(), rms, 0.15 * rms);

  // The default beats a fixed percentile ramp (linear from the 50th to the
  // 95th percentile of g) on the worse of the two criteria.
  const double p50 = Percentile(g1, 0.50), p95 = Percentile(g1, 0.95);
  const Scores r = Score(g0, g1, [&](double g) {
    return g <= p50 ? 0.0 : (g >= p95 ? 1.0 : (g - p50) / (p95 - p50));
  });
  std::cout << "percentile ramp: noise<0.05 " << r.noiseBelow << " boundary>0.5 "
            << r.boundaryAbove << "\n";
  EXPECT_GT(std::min(s.noiseBelow, s.boundaryAbove), std::min(r.noiseBelow, r.boundaryAbove));
}

//------------------------------------------------------------------------------
// Acceptance: sub-voxel statistics judged on what GPU rays see.
TEST(AutoGradientOpacity, PhantomSubVoxel)
{
  const Phantom& p = SharedPhantom();
  auto noisy = PhantomImage(p, true);
  auto clean = PhantomImage(p, false);
  const std::vector<float> g0 = SubVoxelGradient(clean, 300000, 77);
  const std::vector<float> g1 = SubVoxelGradient(noisy, 300000, 77);

  vtkNew<vtkAutoGradientOpacity> a;
  RunAuto(noisy, vtkAutoGradientOpacity::SUBVOXEL, a);
  const Scores s = Score(g0, g1, [&](double g) { return a->EvaluateOpacity(g); });
  std::cout << "subvoxel: low " << a->GetLowThreshold() << " high " << a->GetHighThreshold()
            << " noise<0.05 " << s.noiseBelow << " boundary>0.5 " << s.boundaryAbove << "\n";
  EXPECT_GE(s.noiseBelow, 0.95);
  EXPECT_GE(s.boundaryAbove, 0.90);
  // Interpolation averages noise: rays see a lower noise floor than voxels.
  vtkNew<vtkAutoGradientOpacity> grid;
  RunAuto(noisy, vtkAutoGradientOpacity::GRID, grid);
  EXPECT_LT(a->GetNoiseFloor(), 0.75 * grid->GetNoiseFloor());
  // The MAD cross-check agrees with the histogram mode on this phantom.
  EXPECT_NEAR(a->GetNoiseFloorMode(), a->GetPredictedNoiseFloor(), 0.2 * a->GetNoiseFloorMode());
  EXPECT_NEAR(a->GetNoiseSigma(), p.sigma, 0.15 * p.sigma);
}

//------------------------------------------------------------------------------
TEST(AutoGradientOpacity, SameCurveForUInt8AndFloat)
{
  const Phantom& p = SharedPhantom();
  std::vector<double> v(p.noisy.size());
  for (size_t i = 0; i < v.size(); ++i)
  {
    v[i] = std::min(255.0, std::max(0.0, std::round(0.7 * p.noisy[i])));
  }
  const int dims[3] = { p.n, p.n, p.n };
  auto u8 = MakeImage<vtkUnsignedCharArray>(v, dims, p.spacing);
  auto f32 = MakeImage<vtkFloatArray>(v, dims, p.spacing);
  for (int sampling : { vtkAutoGradientOpacity::GRID, vtkAutoGradientOpacity::SUBVOXEL })
  {
    const Curve a = RunAuto(u8, sampling), b = RunAuto(f32, sampling);
    EXPECT_GT(a.low, 0.0);
    EXPECT_EQ(a.low, b.low);
    EXPECT_EQ(a.high, b.high);
    EXPECT_EQ(a.x, b.x);
    EXPECT_EQ(a.y, b.y);
  }
}

//------------------------------------------------------------------------------
TEST(AutoGradientOpacity, UniformSpacingScaleKeepsMapperUnits)
{
  const Phantom& p = SharedPhantom();
  const int dims[3] = { p.n, p.n, p.n };
  const double scaled[3] = { 2.5 * p.spacing[0], 2.5 * p.spacing[1], 2.5 * p.spacing[2] };
  auto a = MakeImage<vtkFloatArray>(p.noisy, dims, p.spacing);
  auto b = MakeImage<vtkFloatArray>(p.noisy, dims, scaled);
  for (int sampling : { vtkAutoGradientOpacity::GRID, vtkAutoGradientOpacity::SUBVOXEL })
  {
    ExpectCurvesScaled(RunAuto(a, sampling), RunAuto(b, sampling), 1.0, 2e-3);
  }
}

//------------------------------------------------------------------------------
TEST(AutoGradientOpacity, AffineScalarsScaleX)
{
  const Phantom& p = SharedPhantom();
  const int dims[3] = { p.n, p.n, p.n };
  std::vector<double> v(p.noisy.size());
  const double a = -2.5, b = 1000.0;
  for (size_t i = 0; i < v.size(); ++i)
  {
    v[i] = a * p.noisy[i] + b;
  }
  auto img0 = MakeImage<vtkDoubleArray>(p.noisy, dims, p.spacing);
  auto img1 = MakeImage<vtkDoubleArray>(v, dims, p.spacing);
  for (int sampling : { vtkAutoGradientOpacity::GRID, vtkAutoGradientOpacity::SUBVOXEL })
  {
    const Curve c0 = RunAuto(img0, sampling), c1 = RunAuto(img1, sampling);
    EXPECT_NEAR(c1.scale, std::fabs(a) * c0.scale, 1e-9 * c1.scale);
    ExpectCurvesScaled(c0, c1, std::fabs(a), 2e-3);
  }
}

//------------------------------------------------------------------------------
TEST(AutoGradientOpacity, ConstantImageGivesFlatOneWithWarning)
{
  const int dims[3] = { 8, 8, 8 };
  const double spacing[3] = { 1, 1, 1 };
  auto image = MakeImage<vtkFloatArray>(std::vector<double>(512, 42.0), dims, spacing);
  vtkNew<vtkAutoGradientOpacity> a;
  vtkNew<WarningCounter> warnings;
  a->AddObserver(vtkCommand::WarningEvent, warnings);
  a->SetInputData(image);
  a->Update();
  EXPECT_EQ(1, warnings->Count);
  EXPECT_NE(std::string::npos, warnings->Last.find("Constant"));
  vtkPiecewiseFunction* f = a->GetGradientOpacityFunction();
  ASSERT_GT(f->GetSize(), 0);
  for (double g : { 0.0, 0.1, 0.5, 1.0, 100.0 })
  {
    EXPECT_EQ(1.0, f->GetValue(g));
  }
}

//------------------------------------------------------------------------------
TEST(AutoGradientOpacity, NaNsAreSkipped)
{
  const Phantom& p = SharedPhantom();
  std::vector<double> v = p.noisy;
  for (size_t i = 0; i < v.size(); i += 997)
  {
    v[i] = std::numeric_limits<double>::quiet_NaN();
  }
  const int dims[3] = { p.n, p.n, p.n };
  auto clean = MakeImage<vtkFloatArray>(p.noisy, dims, p.spacing);
  auto nan = MakeImage<vtkFloatArray>(v, dims, p.spacing);
  for (int sampling : { vtkAutoGradientOpacity::GRID, vtkAutoGradientOpacity::SUBVOXEL })
  {
    vtkNew<vtkAutoGradientOpacity> a;
    const Curve c1 = RunAuto(nan, sampling, a);
    const Curve c0 = RunAuto(clean, sampling);
    EXPECT_EQ(c0.scale, c1.scale) << "R must be the finite range";
    EXPECT_NEAR(c1.low, c0.low, 0.05 * c0.low);
    EXPECT_NEAR(c1.high, c0.high, 0.05 * c0.high);
    for (size_t i = 0; i < c1.x.size(); ++i)
    {
      EXPECT_TRUE(std::isfinite(c1.x[i]) && std::isfinite(c1.y[i]));
    }
    vtkDataArray* counts = a->GetStatisticsTable()->GetColumnByName("Count")
      ? vtkDataArray::SafeDownCast(a->GetStatisticsTable()->GetColumnByName("Count"))
      : nullptr;
    ASSERT_NE(nullptr, counts);
    for (vtkIdType b = 0; b < counts->GetNumberOfTuples(); ++b)
    {
      ASSERT_TRUE(std::isfinite(counts->GetTuple1(b)));
    }
  }
}

//------------------------------------------------------------------------------
TEST(AutoGradientOpacity, StatisticsTable)
{
  const Phantom& p = SharedPhantom();
  auto image = PhantomImage(p);
  vtkNew<vtkAutoGradientOpacity> a;
  RunAuto(image, vtkAutoGradientOpacity::SUBVOXEL, a);
  vtkTable* t = a->GetStatisticsTable();
  ASSERT_NE(nullptr, t);
  EXPECT_EQ(a->GetNumberOfBins(), t->GetNumberOfRows());
  for (const char* name : { "BinCenterMapper", "BinCenterPhysical", "Count", "SmoothedCount" })
  {
    EXPECT_NE(nullptr, t->GetColumnByName(name)) << name;
  }
  auto col = [&](const char* n) { return vtkDataArray::SafeDownCast(t->GetColumnByName(n)); };
  double total = 0;
  for (vtkIdType r = 0; r < t->GetNumberOfRows(); ++r)
  {
    EXPECT_NEAR(col("BinCenterPhysical")->GetTuple1(r) * a->GetMeanSpacing(),
      col("BinCenterMapper")->GetTuple1(r), 1e-9 * col("BinCenterMapper")->GetTuple1(r));
    total += col("Count")->GetTuple1(r);
  }
  EXPECT_GT(total, 60000.0);
  EXPECT_NEAR(col("BinCenterMapper")->GetTuple1(t->GetNumberOfRows() - 1),
    a->GetGradientScale(), 0.01 * a->GetGradientScale());
  vtkFieldData* fd = t->GetFieldData();
  const std::pair<const char*, double> values[] = { { "NoiseFloor", a->GetNoiseFloor() },
    { "LowThreshold", a->GetLowThreshold() }, { "HighThreshold", a->GetHighThreshold() },
    { "EdgeStrength", a->GetEdgeStrength() }, { "GradientScale", a->GetGradientScale() },
    { "MeanSpacing", a->GetMeanSpacing() } };
  for (const auto& nv : values)
  {
    vtkDataArray* arr = fd->GetArray(nv.first);
    ASSERT_NE(nullptr, arr) << nv.first;
    EXPECT_EQ(nv.second, arr->GetTuple1(0)) << nv.first;
  }
  vtkDataArray* range = fd->GetArray("ScalarRange");
  ASSERT_NE(nullptr, range);
  ASSERT_EQ(2, range->GetNumberOfComponents());
  EXPECT_EQ(a->GetScalarRange()[0], range->GetComponent(0, 0));
  EXPECT_EQ(a->GetScalarRange()[1], range->GetComponent(0, 1));
  EXPECT_NEAR(a->GetGradientScale(), 0.25 * (a->GetScalarRange()[1] - a->GetScalarRange()[0]),
    1e-12 * a->GetGradientScale());
  // Thresholds ordered as documented.
  EXPECT_LT(0.0, a->GetLowThreshold());
  EXPECT_LE(1.5 * a->GetLowThreshold(), a->GetHighThreshold() * (1 + 1e-12));
  EXPECT_LE(a->GetHighThreshold(), a->GetGradientScale());
}

//------------------------------------------------------------------------------
TEST(AutoGradientOpacity, PrecomputedGradientArray)
{
  const Phantom& p = SharedPhantom();
  auto image = PhantomImage(p);
  vtkNew<vtkGradientMagnitudeFilter> gm;
  gm->SetInputData(image);
  gm->SetUnitsToMapper();
  gm->Update();
  vtkNew<vtkImageData> withGrad;
  withGrad->ShallowCopy(image);
  vtkDataArray* g = gm->GetOutput()->GetPointData()->GetScalars();
  withGrad->GetPointData()->AddArray(g);

  vtkNew<vtkAutoGradientOpacity> computed, given;
  RunAuto(image, vtkAutoGradientOpacity::GRID, computed);
  given->SetGradientArrayName(g->GetName());
  RunAuto(withGrad, vtkAutoGradientOpacity::GRID, given);
  EXPECT_EQ(0.0, given->GetPredictedNoiseFloor());
  EXPECT_NEAR(given->GetLowThreshold(), computed->GetLowThreshold(), 1e-9);
  EXPECT_NEAR(given->GetHighThreshold(), computed->GetHighThreshold(), 1e-9);

  vtkNew<vtkAutoGradientOpacity> bad;
  bad->SetGradientArrayName("no such array");
  vtkNew<WarningCounter> errors;
  bad->AddObserver(vtkCommand::ErrorEvent, errors);
  bad->SetInputData(image);
  bad->Update();
  EXPECT_EQ(1, errors->Count);
}

//------------------------------------------------------------------------------
TEST(AutoGradientOpacity, UnnamedSelectionUsesActiveScalars)
{
  // An empty array name (ParaView's selector before the input has executed)
  // means the active point scalars; a name that does not exist is an error.
  const Phantom& p = SharedPhantom();
  auto image = PhantomImage(p);
  vtkNew<vtkFloatArray> other;
  other->SetName("Other");
  other->SetNumberOfTuples(image->GetNumberOfPoints());
  other->Fill(7.0);
  image->GetPointData()->AddArray(other);
  vtkNew<vtkAutoGradientOpacity> reference, unnamed, missing;
  RunAuto(image, vtkAutoGradientOpacity::GRID, reference);
  vtkNew<WarningCounter> errors;
  unnamed->AddObserver(vtkCommand::ErrorEvent, errors);
  unnamed->SetInputArrayToProcess(0, 0, 0, vtkDataObject::FIELD_ASSOCIATION_POINTS, "");
  RunAuto(image, vtkAutoGradientOpacity::GRID, unnamed);
  EXPECT_EQ(0, errors->Count) << errors->Last;
  EXPECT_EQ(reference->GetLowThreshold(), unnamed->GetLowThreshold());
  EXPECT_EQ(reference->GetHighThreshold(), unnamed->GetHighThreshold());
  missing->AddObserver(vtkCommand::ErrorEvent, errors);
  missing->SetInputArrayToProcess(0, 0, 0, vtkDataObject::FIELD_ASSOCIATION_POINTS, "NoSuchArray");
  missing->SetInputData(image);
  missing->Update();
  EXPECT_EQ(1, errors->Count);
}

//------------------------------------------------------------------------------
TEST(AutoGradientOpacity, WeightingAndMask)
{
  const Phantom& p = SharedPhantom();
  auto image = PhantomImage(p);
  vtkNew<vtkAutoGradientOpacity> plain, weighted, masked, empty;
  RunAuto(image, vtkAutoGradientOpacity::GRID, plain);

  // Only the spheres visible: the weak slab/background edges no longer count.
  vtkNew<vtkPiecewiseFunction> so;
  so->AddPoint(0.0, 0.0);
  so->AddPoint(170.0, 0.0);
  so->AddPoint(180.0, 1.0);
  so->AddPoint(1000.0, 1.0);
  weighted->SetScalarOpacity(so);
  RunAuto(image, vtkAutoGradientOpacity::GRID, weighted);
  EXPECT_GT(weighted->GetEdgeStrength(), 1.1 * plain->GetEdgeStrength());

  // Mask: a corner of pure background noise (x, y < 0.1 n): no edges left.
  vtkNew<vtkUnsignedCharArray> m;
  m->SetName("mask");
  m->SetNumberOfTuples(image->GetNumberOfPoints());
  vtkNew<vtkUnsignedCharArray> zero;
  zero->SetName("zero");
  zero->SetNumberOfTuples(image->GetNumberOfPoints());
  for (vtkIdType i = 0; i < image->GetNumberOfPoints(); ++i)
  {
    const int x = static_cast<int>(i % p.n), y = static_cast<int>((i / p.n) % p.n);
    m->SetValue(i, x < 0.1 * p.n && y < 0.1 * p.n ? 1 : 0);
    zero->SetValue(i, 0);
  }
  image->GetPointData()->AddArray(m);
  image->GetPointData()->AddArray(zero);
  masked->SetMaskArrayName("mask");
  RunAuto(image, vtkAutoGradientOpacity::GRID, masked);
  EXPECT_LT(masked->GetHighThreshold(), 0.75 * plain->GetHighThreshold());
  EXPECT_NEAR(masked->GetNoiseFloor(), plain->GetNoiseFloor(), 0.15 * plain->GetNoiseFloor());

  vtkNew<WarningCounter> warnings;
  empty->AddObserver(vtkCommand::WarningEvent, warnings);
  empty->SetMaskArrayName("zero");
  RunAuto(image, vtkAutoGradientOpacity::GRID, empty);
  EXPECT_EQ(1, warnings->Count);
  EXPECT_EQ(1.0, empty->GetGradientOpacityFunction()->GetValue(0.0));
  image->GetPointData()->RemoveArray("mask");
  image->GetPointData()->RemoveArray("zero");
}

//------------------------------------------------------------------------------
TEST(AutoGradientOpacity, NoiseMultiplierAndMinimumOpacity)
{
  const Phantom& p = SharedPhantom();
  auto image = PhantomImage(p);
  vtkNew<vtkAutoGradientOpacity> a, b;
  RunAuto(image, vtkAutoGradientOpacity::GRID, a);
  b->SetNoiseMultiplier(3.0);
  b->SetMinimumOpacity(0.2);
  RunAuto(image, vtkAutoGradientOpacity::GRID, b);
  EXPECT_NEAR(b->GetLowThreshold() / a->GetLowThreshold(), 1.5, 1e-9);
  EXPECT_NEAR(0.2, b->GetGradientOpacityFunction()->GetValue(0.0), 1e-12);
  EXPECT_NEAR(0.2, b->EvaluateOpacity(0.5 * b->GetLowThreshold()), 1e-12);
  EXPECT_NEAR(1.0, b->GetGradientOpacityFunction()->GetValue(b->GetGradientScale()), 1e-12);
}

//------------------------------------------------------------------------------
TEST(AutoGradientOpacity, ApplyTo)
{
  const Phantom& p = SharedPhantom();
  auto image = PhantomImage(p);
  vtkNew<vtkAutoGradientOpacity> a;
  RunAuto(image, vtkAutoGradientOpacity::SUBVOXEL, a);
  vtkNew<vtkVolumeProperty> prop;
  prop->SetDisableGradientOpacity(1);
  a->ApplyTo(prop.Get());
  EXPECT_EQ(0, prop->GetDisableGradientOpacity(0));
  vtkPiecewiseFunction* f = prop->GetGradientOpacity(0);
  ASSERT_NE(nullptr, f);
  EXPECT_NE(a->GetGradientOpacityFunction(), f) << "a copy, not the pipeline output";
  EXPECT_EQ(a->GetGradientOpacityFunction()->GetSize(), f->GetSize());
  EXPECT_NEAR(a->GetGradientOpacityFunction()->GetValue(a->GetHighThreshold()),
    f->GetValue(a->GetHighThreshold()), 1e-12);

  vtkNew<WarningCounter> warnings;
  a->AddObserver(vtkCommand::WarningEvent, warnings);
  prop->SetTransferFunctionMode(vtkVolumeProperty::TF_2D);
  a->ApplyTo(prop.Get(), 0);
  EXPECT_EQ(1, warnings->Count);
  EXPECT_EQ(vtkVolumeProperty::TF_1D, prop->GetTransferFunctionMode());
}

//------------------------------------------------------------------------------
// Real data: thresholds reported (not asserted beyond sanity).
namespace
{
// The repository's Data/ volumes (headsq CT, MR head), read as any user would.
vtkSmartPointer<vtkImageData> ReadRepositoryVolume(const std::string& name)
{
  vtkNew<vtkMetaImageReader> reader;
  reader->SetFileName((std::string(GO_DATA_DIR) + "/" + name).c_str());
  reader->Update();
  vtkSmartPointer<vtkImageData> image = reader->GetOutput();
  return image;
}

void Report(const char* name, vtkImageData* image)
{
  for (int sampling : { vtkAutoGradientOpacity::GRID, vtkAutoGradientOpacity::SUBVOXEL })
  {
    vtkNew<vtkAutoGradientOpacity> a;
    RunAuto(image, sampling, a);
    std::cout << name << (sampling == vtkAutoGradientOpacity::GRID ? " GRID" : " SUBVOXEL")
              << ": range [" << a->GetScalarRange()[0] << ", " << a->GetScalarRange()[1]
              << "] gmax " << a->GetGradientScale() << " sigmaMAD " << a->GetNoiseSigma()
              << " mode " << a->GetNoiseFloorMode() << " predicted "
              << a->GetPredictedNoiseFloor() << " floor " << a->GetNoiseFloor() << " low "
              << a->GetLowThreshold() << " high " << a->GetHighThreshold() << " (per mm: low "
              << a->GetLowThreshold() / a->GetMeanSpacing() << " high "
              << a->GetHighThreshold() / a->GetMeanSpacing() << ")\n";
    EXPECT_GT(a->GetLowThreshold(), 0.0);
    EXPECT_GT(a->GetHighThreshold(), a->GetLowThreshold());
    EXPECT_LE(a->GetHighThreshold(), a->GetGradientScale());
  }
}
}

TEST(AutoGradientOpacity, RealDataReport)
{
  auto ct = ReadRepositoryVolume("headsq-quarter.mha");
  auto mr = ReadRepositoryVolume("HeadMRVolume.mhd");
  ASSERT_EQ(ct->GetNumberOfPoints(), 64 * 64 * 93) << "Data/headsq-quarter.mha";
  ASSERT_EQ(mr->GetNumberOfPoints(), 48 * 62 * 42) << "Data/HeadMRVolume.mhd";
  Report("headsq CT", ct);
  Report("HeadMRVolume", mr);
}

//------------------------------------------------------------------------------
// Joint histogram on the shader's 2D axes.
#include "vtkGradientHistogram2D.h"

TEST(GradientHistogram2D, RampLandsInOneGradientRow)
{
  // A linear ramp along x: one gradient value everywhere (grid, interior).
  const int dims[3] = { 32, 8, 8 };
  const double spacing[3] = { 1.0, 2.0, 0.5 };
  std::vector<double> v(32 * 8 * 8);
  for (size_t i = 0; i < v.size(); ++i)
  {
    v[i] = 3.0 * static_cast<double>(i % 32);
  }
  auto image = MakeImage<vtkFloatArray>(v, dims, spacing);
  vtkNew<vtkGradientHistogram2D> h;
  h->SetInputData(image);
  h->SetSampling(vtkAutoGradientOpacity::GRID);
  h->SetNumberOfBins(31, 64);
  h->Update();
  vtkImageData* out = h->GetOutput();
  int d[3];
  out->GetDimensions(d);
  EXPECT_EQ(31, d[0]);
  EXPECT_EQ(64, d[1]);
  EXPECT_EQ(0.0, h->GetScalarRange()[0]);
  EXPECT_EQ(93.0, h->GetScalarRange()[1]);
  EXPECT_NEAR(0.25 * 93.0, h->GetYAxisRange()[1], 1e-12);
  // Interior voxels: g = 3 * hbar / h_x = 3 * (3.5 / 3) = 3.5 mapper units.
  const double g = 3.0 * (3.5 / 3.0) / 1.0;
  const int row = static_cast<int>(g / (0.25 * 93.0) * 64);
  vtkDataArray* c = out->GetPointData()->GetScalars();
  double inRow = 0, total = 0;
  for (int j = 0; j < d[1]; ++j)
  {
    for (int i = 0; i < d[0]; ++i)
    {
      total += c->GetTuple1(j * d[0] + i);
      inRow += j == row ? c->GetTuple1(j * d[0] + i) : 0.0;
    }
  }
  EXPECT_EQ(32.0 * 64.0, total);
  EXPECT_EQ(30.0 * 64.0, inRow) << "all but the two edge columns (half differences)";

  // Sub-voxel samples: every sample has the GPU's g = 3.5 * 32/31.
  h->SetSampling(vtkAutoGradientOpacity::SUBVOXEL);
  h->SetNumberOfSamples(20000);
  h->Update();
  c = h->GetOutput()->GetPointData()->GetScalars();
  const int rowGpu = static_cast<int>(g * 32.0 / 31.0 / (0.25 * 93.0) * 64);
  double inRowGpu = 0;
  for (int i = 0; i < d[0]; ++i)
  {
    inRowGpu += c->GetTuple1(rowGpu * d[0] + i);
  }
  EXPECT_GT(inRowGpu, 0.9 * 20000);
}

//------------------------------------------------------------------------------
// Kindlmann-Durkin: sigma of blurred steps and boundary emphasis.
#include "vtkKindlmannDurkin.h"

TEST(KindlmannDurkin, PhantomBoundaries)
{
  Phantom p;
  p.n = 48;
  p.spacing[2] = 1.0;
  p.blur = 1.0;
  p.sigma = 2.0;
  p.Generate();
  auto image = PhantomImage(p);
  vtkNew<vtkKindlmannDurkin> kd;
  kd->SetInputData(image);
  ASSERT_EQ(1, kd->Update());
  // Several boundaries share values here (100|300 passes through 130-200),
  // which biases the paper's global sigma estimate; see SingleBoundarySigma.
  const double sigma = kd->GetBoundarySigma();
  vtkPiecewiseFunction* so = kd->GetScalarOpacity();
  std::cout << "KD sigma " << sigma << " threshold " << kd->GetUsedGradientThreshold()
            << "; opacity(100) " << so->GetValue(100) << " (130) " << so->GetValue(130)
            << " (150) " << so->GetValue(150) << " (200) " << so->GetValue(200) << " (250) "
            << so->GetValue(250) << " (290) " << so->GetValue(290) << "\n";
  const double top = kd->GetMaximumOpacity();
  // 1D: the middles of 100|200 (150) and 100|300 (200) are emphasised, the
  // materials (100, 300) are not. The weak 100|160 middle (130) shares its
  // value with the flanks of the stronger boundaries, which the 1D position
  // function cannot separate (the 2D function below does).
  EXPECT_GT(so->GetValue(150), 0.5 * top);
  EXPECT_GT(so->GetValue(200), 0.5 * top);
  EXPECT_GT(sigma, 0.0);
  EXPECT_LT(so->GetValue(100), 0.2 * top);
  EXPECT_LT(so->GetValue(300), 0.2 * top);

  vtkImageData* tf = kd->GetTransferFunction2D();
  int d[3];
  tf->GetDimensions(d);
  EXPECT_EQ(kd->GetNumberOfValueBins(), d[0]);
  EXPECT_EQ(kd->GetNumberOfGradientBins(), d[1]);
  vtkDataArray* rgba = tf->GetPointData()->GetScalars();
  ASSERT_EQ(4, rgba->GetNumberOfComponents());
  double amax = 0, arow0 = 0;
  for (vtkIdType i = 0; i < rgba->GetNumberOfTuples(); ++i)
  {
    amax = std::max(amax, rgba->GetComponent(i, 3));
    if (i < d[0])
    {
      arow0 = std::max(arow0, rgba->GetComponent(i, 3));
    }
  }
  EXPECT_GT(amax, 0.5 * top);
  EXPECT_EQ(0.0, arow0) << "zero gradient is never a boundary";
  // 2D: each boundary middle is emphasised at some gradient (its own peak),
  // the background material at none.
  auto bestAlpha = [&](double value) {
    const int i = static_cast<int>(std::round((value - tf->GetOrigin()[0]) / tf->GetSpacing()[0]));
    double best = 0;
    for (int j = 0; j < d[1]; ++j)
    {
      best = std::max(best, rgba->GetComponent(static_cast<vtkIdType>(j) * d[0] + i, 3));
    }
    return best;
  };
  std::cout << "KD 2D best alpha: 100 " << bestAlpha(100) << ", 130 " << bestAlpha(130)
            << ", 150 " << bestAlpha(150) << ", 200 " << bestAlpha(200) << "\n";
  EXPECT_LT(bestAlpha(100), 0.2 * top);
  EXPECT_GT(bestAlpha(130), 0.5 * top);
  EXPECT_GT(bestAlpha(150), 0.5 * top);
  EXPECT_GT(bestAlpha(200), 0.5 * top);
  EXPECT_EQ(kd->GetNumberOfValueBins(), kd->GetTable()->GetNumberOfRows());
}

TEST(KindlmannDurkin, SingleBoundarySigma)
{
  // One sphere (200 in 100), step blurred by a Gaussian of 1 voxel, noise 2;
  // derivatives by a Gaussian of 1 voxel: sigma_eff = sqrt(1 + 1) = 1.41.
  Phantom p;
  p.n = 48;
  p.spacing[2] = 1.0;
  p.blur = 1.0;
  p.sigma = 2.0;
  p.Generate();
  std::vector<double> v(p.clean.size());
  const int n = p.n;
  for (int k = 0; k < n; ++k)
  {
    for (int j = 0; j < n; ++j)
    {
      for (int i = 0; i < n; ++i)
      {
        const double d = std::sqrt(
          double((i - n / 2) * (i - n / 2) + (j - n / 2) * (j - n / 2) + (k - n / 2) * (k - n / 2)));
        v[p.Index(i, j, k)] = d < 0.3 * n ? 200.0 : 100.0;
      }
    }
  }
  for (int a = 0; a < 3; ++a)
  {
    p.Blur1D(v, a);
  }
  std::mt19937 rng(11);
  std::normal_distribution<double> noise(0.0, 2.0);
  for (double& x : v)
  {
    x += noise(rng);
  }
  const int dims[3] = { n, n, n };
  auto image = MakeImage<vtkFloatArray>(v, dims, p.spacing);
  vtkNew<vtkKindlmannDurkin> kd;
  kd->SetInputData(image);
  ASSERT_EQ(1, kd->Update());
  vtkPiecewiseFunction* so = kd->GetScalarOpacity();
  std::cout << "single boundary: sigma " << kd->GetBoundarySigma() << " opacity(150) "
            << so->GetValue(150) << " (110) " << so->GetValue(110) << " (190) "
            << so->GetValue(190) << "\n";
  EXPECT_NEAR(kd->GetBoundarySigma(), std::sqrt(2.0), 0.3 * std::sqrt(2.0));
  EXPECT_GT(so->GetValue(150), 0.7 * kd->GetMaximumOpacity());
  EXPECT_LT(so->GetValue(105), 0.2 * kd->GetMaximumOpacity());
  EXPECT_LT(so->GetValue(195), 0.2 * kd->GetMaximumOpacity());
}
