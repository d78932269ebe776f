// 2D transfer functions: the builder's texel-centre convention, a TF_2D
// render with the automatic gradient ramp, and the GPU mapper's
// Transfer2DYAxisArray driven by a Gaussian-derivative magnitude.
#include "GoRenderUtils.h"
#include "GoTestPhantom.h"
#include "vtkAutoGradientOpacity.h"
#include "vtkGradientMagnitudeFilter.h"
#include "vtkKindlmannDurkin.h"
#include "vtkTransferFunction2DBuilder.h"

#include "vtkFloatArray.h"

#include <gtest/gtest.h>

namespace
{
vtkSmartPointer<vtkImageData> Phantom48(double sigma)
{
  go_test::Phantom p;
  p.n = 48;
  p.spacing[2] = 1.0;
  p.sigma = sigma;
  p.Generate();
  const int dims[3] = { p.n, p.n, p.n };
  return go_test::MakeImage<vtkFloatArray>(p.noisy, dims, p.spacing);
}

vtkSmartPointer<vtkPiecewiseFunction> PhantomScalarOpacity()
{
  auto so = vtkSmartPointer<vtkPiecewiseFunction>::New();
  so->AddPoint(0.0, 0.0);
  so->AddPoint(60.0, 0.0);
  so->AddPoint(100.0, 0.015);
  so->AddPoint(400.0, 0.04);
  return so;
}

vtkSmartPointer<vtkColorTransferFunction> PhantomColor()
{
  auto ct = vtkSmartPointer<vtkColorTransferFunction>::New();
  ct->AddRGBPoint(0.0, 0.0, 0.0, 0.0);
  ct->AddRGBPoint(100.0, 0.8, 0.8, 0.8);
  ct->AddRGBPoint(160.0, 1.0, 0.6, 0.3);
  ct->AddRGBPoint(300.0, 1.0, 1.0, 1.0);
  return ct;
}

vtkSmartPointer<vtkImageData> Render2D(vtkImageData* image, vtkImageData* tf2d, const char* yAxis)
{
  auto prop = vtkSmartPointer<vtkVolumeProperty>::New();
  prop->SetInterpolationTypeToLinear();
  prop->ShadeOff();
  prop->SetTransferFunction2D(tf2d);
  prop->SetTransferFunctionMode(vtkVolumeProperty::TF_2D);
  return go_test::RenderVolume(image, prop, go_test::GPU, 200, 0, 0, yAxis, true);
}
}

TEST(TransferFunction2D, BuilderSamplesTexelCentres)
{
  vtkNew<vtkTransferFunction2DBuilder> b;
  vtkNew<vtkPiecewiseFunction> so, go;
  so->AddPoint(0.0, 0.0);
  so->AddPoint(100.0, 1.0);
  go->AddPoint(0.0, 0.0);
  go->AddPoint(25.0, 1.0);
  b->SetScalarOpacity(so);
  b->SetGradientOpacity(go);
  b->SetScalarRange(0.0, 100.0);
  b->SetYAxisRange(0.0, 25.0);
  b->SetSize(4, 5);
  vtkNew<vtkImageData> tf;
  b->Build(tf);
  int dims[3];
  tf->GetDimensions(dims);
  EXPECT_EQ(4, dims[0]);
  EXPECT_EQ(5, dims[1]);
  EXPECT_EQ(1, dims[2]);
  vtkDataArray* a = tf->GetPointData()->GetScalars();
  ASSERT_EQ(VTK_FLOAT, a->GetDataType());
  ASSERT_EQ(4, a->GetNumberOfComponents());
  for (int j = 0; j < 5; ++j)
  {
    for (int i = 0; i < 4; ++i)
    {
      const double s = (i + 0.5) / 4.0, t = (j + 0.5) / 5.0;
      EXPECT_NEAR(s * t, a->GetComponent(j * 4 + i, 3), 1e-6) << i << "," << j;
      EXPECT_NEAR(s, a->GetComponent(j * 4 + i, 0), 1e-6) << "grey ramp";
    }
  }
  EXPECT_NEAR(12.5, tf->GetOrigin()[0], 1e-12);
  EXPECT_NEAR(2.5, tf->GetOrigin()[1], 1e-12);

  // UseShaderGradient: y spans [0, 0.25 R] of the finite range.
  vtkNew<vtkFloatArray> s;
  s->InsertNextValue(-10.0f);
  s->InsertNextValue(std::numeric_limits<float>::quiet_NaN());
  s->InsertNextValue(30.0f);
  b->UseShaderGradient(s);
  EXPECT_EQ(-10.0, b->GetScalarRange()[0]);
  EXPECT_EQ(30.0, b->GetScalarRange()[1]);
  EXPECT_EQ(0.0, b->GetYAxisRange()[0]);
  EXPECT_EQ(10.0, b->GetYAxisRange()[1]);
}

TEST(TransferFunction2D, AutoRender)
{
  if (!go_test::HaveDisplay())
  {
    GTEST_SKIP() << "no usable X display (run under xvfb-run)";
  }
  auto image = Phantom48(5.0);
  vtkNew<vtkAutoGradientOpacity> autoGO;
  autoGO->SetInputData(image);
  autoGO->Update();

  vtkNew<vtkTransferFunction2DBuilder> b;
  b->UseShaderGradient(image->GetPointData()->GetScalars());
  EXPECT_DOUBLE_EQ(autoGO->GetGradientScale(), b->GetYAxisRange()[1]);
  b->SetColor(PhantomColor());
  b->SetScalarOpacity(PhantomScalarOpacity());
  vtkNew<vtkImageData> flatTF, autoTF;
  b->Build(flatTF);
  b->SetGradientOpacity(autoGO->GetGradientOpacityFunction());
  b->Build(autoTF);

  auto f0 = Render2D(image, flatTF, nullptr);
  auto f1 = Render2D(image, autoTF, nullptr);
  const double all1 = go_test::MeanIntensity(f1, 0, 1, 0, 1);
  const double h0 = go_test::MeanIntensity(f0, 0.02, 0.10, 0.02, 0.10);
  const double h1 = go_test::MeanIntensity(f1, 0.02, 0.10, 0.02, 0.10);
  const double s1 = go_test::MeanIntensity(f1, 0.55, 0.65, 0.55, 0.65);
  std::cout << "TF_2D: frame mean " << all1 << ", homogeneous before " << h0 << " after " << h1
            << ", sphere " << s1 << "\n";
  EXPECT_GT(all1, 0.02) << "blank frame";
  EXPECT_GT(h0, 0.1);
  EXPECT_LT(h1, 0.25 * h0);
  EXPECT_GT(s1, 3.0 * h1);
  const double d = go_test::CompareWithBaseline(f1, "TransferFunction2D_Auto");
  std::cout << "baseline mean abs difference " << d << "\n";
  EXPECT_GE(d, 0.0) << "missing or mis-sized baseline";
  EXPECT_LT(d, 3.0);
}

// A noisier phantom: the shader's central differences of raw voxels see much
// noise; a Gaussian-derivative magnitude (sigma 1.5 mm, mapper units) on the
// y axis separates boundaries from noise better.
TEST(TransferFunction2D, YAxisArrayGaussianGradient)
{
  if (!go_test::HaveDisplay())
  {
    GTEST_SKIP() << "no usable X display (run under xvfb-run)";
  }
  auto image = Phantom48(15.0);
  vtkDataArray* scalars = image->GetPointData()->GetScalars();
  vtkNew<vtkGradientMagnitudeFilter> gauss;
  gauss->SetInputData(image);
  gauss->SetOperatorToGaussian();
  gauss->SetSigma(1.5);
  gauss->SetUnitsToMapper();
  gauss->Update();
  vtkDataArray* gm = gauss->GetOutput()->GetPointData()->GetScalars();
  gm->SetName("GaussianGradient");
  image->GetPointData()->AddArray(gm);

  // A: the shader's own gradient with the automatic ramp.
  vtkNew<vtkAutoGradientOpacity> autoA;
  autoA->SetInputData(image);
  autoA->Update();
  vtkNew<vtkTransferFunction2DBuilder> b;
  b->SetColor(PhantomColor());
  b->SetScalarOpacity(PhantomScalarOpacity());
  b->UseShaderGradient(scalars);
  b->SetGradientOpacity(autoA->GetGradientOpacityFunction());
  vtkNew<vtkImageData> tfA;
  b->Build(tfA);

  // B: the Gaussian magnitude on the y axis, ramp from its own statistics
  // (sub-voxel samples of the interpolated magnitude: what the texture gives).
  vtkNew<vtkAutoGradientOpacity> autoB;
  autoB->SetInputData(image);
  autoB->SetGradientArrayName("GaussianGradient");
  autoB->Update();
  b->UseYAxisArray(scalars, gm);
  b->SetGradientOpacity(autoB->GetGradientOpacityFunction());
  vtkNew<vtkImageData> tfB;
  b->Build(tfB);

  auto fA = Render2D(image, tfA, nullptr);
  auto fB = Render2D(image, tfB, "GaussianGradient");
  const double hA = go_test::MeanIntensity(fA, 0.02, 0.10, 0.02, 0.10);
  const double hB = go_test::MeanIntensity(fB, 0.02, 0.10, 0.02, 0.10);
  const double sA = go_test::MeanIntensity(fA, 0.55, 0.65, 0.55, 0.65);
  const double sB = go_test::MeanIntensity(fB, 0.55, 0.65, 0.55, 0.65);
  const double diff = go_test::MeanAbsDifference(fA, fB);
  std::cout << "shader gradient: homogeneous " << hA << " sphere " << sA << " (low "
            << autoA->GetLowThreshold() << ", high " << autoA->GetHighThreshold()
            << "); Gaussian y axis: homogeneous " << hB << " sphere " << sB << " (low "
            << autoB->GetLowThreshold() << ", high " << autoB->GetHighThreshold()
            << "); frames differ by " << diff << "\n";
  EXPECT_GT(diff, 2.0) << "the y-axis array made no difference: not used?";
  EXPECT_GT(sB, 0.05);
  EXPECT_GT((sB + 1e-3) / (hB + 1e-3), 1.5 * (sA + 1e-3) / (hA + 1e-3));
  const double d = go_test::CompareWithBaseline(fB, "TransferFunction2D_YAxisGaussian");
  std::cout << "baseline mean abs difference " << d << "\n";
  EXPECT_GE(d, 0.0) << "missing or mis-sized baseline";
  EXPECT_LT(d, 3.0);
  go_test::CompareWithBaseline(fA, "TransferFunction2D_YAxisShaderReference");
}

// Kindlmann-Durkin 2D transfer function on the GPU mapper: boundaries drawn,
// homogeneous regions (any material) empty.
TEST(TransferFunction2D, KindlmannDurkinRender)
{
  if (!go_test::HaveDisplay())
  {
    GTEST_SKIP() << "no usable X display (run under xvfb-run)";
  }
  auto image = Phantom48(5.0);
  vtkNew<vtkKindlmannDurkin> kd;
  kd->SetInputData(image);
  kd->SetColor(PhantomColor());
  kd->SetMaximumOpacity(0.08);
  ASSERT_EQ(1, kd->Update());
  auto frame = Render2D(image, kd->GetTransferFunction2D(), nullptr);
  const double all = go_test::MeanIntensity(frame, 0, 1, 0, 1);
  const double h = go_test::MeanIntensity(frame, 0.02, 0.10, 0.02, 0.10);
  const double s = go_test::MeanIntensity(frame, 0.55, 0.65, 0.55, 0.65);
  std::cout << "KD TF_2D: sigma " << kd->GetBoundarySigma() << ", frame mean " << all
            << ", homogeneous " << h << ", sphere " << s << "\n";
  EXPECT_GT(all, 0.02) << "blank frame";
  EXPECT_GT(s, 3.0 * h + 0.02);
  const double d = go_test::CompareWithBaseline(frame, "TransferFunction2D_KindlmannDurkin");
  EXPECT_GE(d, 0.0) << "missing or mis-sized baseline";
  EXPECT_LT(d, 3.0);
}
