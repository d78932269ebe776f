// Before/after render of the noisy phantom: flat gradient opacity 1.0 vs the
// automatic curve, GPU mapper. The data is homogeneous (background 100 plus
// noise) in the columns x, y < 0.1 n: the mean brightness of that part of
// the frame must drop markedly, the boundaries must stay. Frames are
// compared with PNG baselines in Data/Baseline.
#include "GoRenderUtils.h"
#include "GoTestPhantom.h"
#include "vtkAutoGradientOpacity.h"

#include "vtkFloatArray.h"

#include <gtest/gtest.h>

namespace
{
vtkSmartPointer<vtkImageData> NoisyPhantom()
{
  go_test::Phantom p;
  p.n = 48;
  p.spacing[2] = 1.0;
  p.Generate();
  const int dims[3] = { p.n, p.n, p.n };
  return go_test::MakeImage<vtkFloatArray>(p.noisy, dims, p.spacing);
}

vtkSmartPointer<vtkVolumeProperty> PhantomProperty()
{
  auto prop = vtkSmartPointer<vtkVolumeProperty>::New();
  vtkNew<vtkPiecewiseFunction> so;
  so->AddPoint(0.0, 0.0);
  so->AddPoint(60.0, 0.0);
  so->AddPoint(100.0, 0.03);
  so->AddPoint(400.0, 0.08);
  vtkNew<vtkColorTransferFunction> ct;
  ct->AddRGBPoint(0.0, 0.0, 0.0, 0.0);
  ct->AddRGBPoint(100.0, 0.8, 0.8, 0.8);
  ct->AddRGBPoint(160.0, 1.0, 0.6, 0.3);
  ct->AddRGBPoint(300.0, 1.0, 1.0, 1.0);
  prop->SetScalarOpacity(so);
  prop->SetColor(ct);
  prop->SetInterpolationTypeToLinear();
  prop->ShadeOff();
  return prop;
}
}

TEST(RenderBaselines, BeforeAfterAutoGradientOpacity)
{
  if (!go_test::HaveDisplay())
  {
    GTEST_SKIP() << "no usable X display (run under xvfb-run)";
  }
  auto image = NoisyPhantom();
  double range[2];
  image->GetPointData()->GetScalars()->GetRange(range);

  auto before = PhantomProperty();
  vtkNew<vtkPiecewiseFunction> flat;
  flat->AddPoint(0.0, 1.0);
  flat->AddPoint(0.25 * (range[1] - range[0]), 1.0);
  before->SetGradientOpacity(flat);

  auto after = PhantomProperty();
  vtkNew<vtkAutoGradientOpacity> autoGO;
  autoGO->SetInputData(image);
  autoGO->Update();
  autoGO->ApplyTo(after.Get());

  auto f0 = go_test::RenderVolume(image, before, go_test::GPU, 200, 0, 0, nullptr, true);
  auto f1 = go_test::RenderVolume(image, after, go_test::GPU, 200, 0, 0, nullptr, true);

  // Homogeneous columns (background only) and the whole frame.
  const double h0 = go_test::MeanIntensity(f0, 0.02, 0.10, 0.02, 0.10);
  const double h1 = go_test::MeanIntensity(f1, 0.02, 0.10, 0.02, 0.10);
  // Columns through the centre of the bright sphere (0.6 n): its boundary.
  const double s1 = go_test::MeanIntensity(f1, 0.55, 0.65, 0.55, 0.65);
  std::cout << "homogeneous region: before " << h0 << " after " << h1 << "; sphere after " << s1
            << "; low " << autoGO->GetLowThreshold() << " high " << autoGO->GetHighThreshold()
            << "\n";
  EXPECT_GT(h0, 0.2);
  EXPECT_LT(h1, 0.25 * h0);
  EXPECT_GT(s1, 2.0 * h1);

  const double d0 = go_test::CompareWithBaseline(f0, "AutoGradientOpacity_Before");
  const double d1 = go_test::CompareWithBaseline(f1, "AutoGradientOpacity_After");
  std::cout << "baseline mean abs difference: before " << d0 << " after " << d1 << "\n";
  EXPECT_GE(d0, 0.0) << "missing or mis-sized baseline";
  EXPECT_GE(d1, 0.0) << "missing or mis-sized baseline";
  EXPECT_LT(d0, 3.0);
  EXPECT_LT(d1, 3.0);
}
