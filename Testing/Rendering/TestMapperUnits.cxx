// The units claim against the real renderers: a linear ramp of known
// gradient with anisotropic spacing, a step gradient-opacity function just
// below / just above the predicted mapper-unit value.
//
// Predictions (see vtkAutoGradientOpacity.h):
//  fixed point: g = |grad f| * hbar, quantised to 8 bits over [0, 0.25 R];
//  GPU:         g_i = grad_i * hbar * N_i / (N_i - 1) per axis (texture step
//               1/(N_i - 1) over N_i texels), g = |(g_i)|.
#include "GoRenderUtils.h"

#include "vtkFloatArray.h"

#include <gtest/gtest.h>

namespace
{
struct Ramp
{
  int dims[3] = { 24, 20, 16 };
  double spacing[3] = { 0.8, 1.0, 1.6 };
  double grad[3] = { 3.0, -2.0, 1.5 }; // scalar units per mm
  vtkSmartPointer<vtkImageData> image;
  double range[2];

  Ramp()
  {
    image = vtkSmartPointer<vtkImageData>::New();
    image->SetDimensions(dims);
    image->SetSpacing(spacing);
    vtkNew<vtkFloatArray> a;
    a->SetName("ramp");
    a->SetNumberOfTuples(image->GetNumberOfPoints());
    vtkIdType id = 0;
    for (int k = 0; k < dims[2]; ++k)
    {
      for (int j = 0; j < dims[1]; ++j)
      {
        for (int i = 0; i < dims[0]; ++i, ++id)
        {
          a->SetValue(id,
            static_cast<float>(100.0 + grad[0] * i * spacing[0] + grad[1] * j * spacing[1] +
              grad[2] * k * spacing[2]));
        }
      }
    }
    image->GetPointData()->SetScalars(a);
    a->GetRange(range);
  }
  double MeanSpacing() const { return (spacing[0] + spacing[1] + spacing[2]) / 3.0; }
  double PerMm() const
  {
    return std::sqrt(grad[0] * grad[0] + grad[1] * grad[1] + grad[2] * grad[2]);
  }
  double Mapper() const { return this->PerMm() * this->MeanSpacing(); }
  double Gpu() const
  {
    double s = 0;
    for (int a = 0; a < 3; ++a)
    {
      const double gi = grad[a] * this->MeanSpacing() * dims[a] / (dims[a] - 1.0);
      s += gi * gi;
    }
    return std::sqrt(s);
  }
  double GradientScale() const { return 0.25 * (range[1] - range[0]); }
};

// Brightness of the centre of the frame with a step gradient opacity at t.
double RenderStep(const Ramp& r, go_test::MapperKind kind, double t, const char* tag)
{
  auto prop = go_test::FlatProperty(r.range[0], r.range[1], 0.2);
  vtkNew<vtkPiecewiseFunction> go;
  go->AddPoint(0.0, 0.0);
  go->AddPoint(0.995 * t, 0.0);
  go->AddPoint(t, 1.0);
  go->AddPoint(r.GradientScale(), 1.0);
  prop->SetGradientOpacity(go);
  auto frame = go_test::RenderVolume(r.image, prop, kind, 160, 20.0, 30.0);
  const double v = go_test::MeanIntensity(frame, 0.4, 0.6, 0.4, 0.6);
  std::cout << (kind == go_test::GPU ? "GPU" : "fixed point") << " step at " << t << " (" << tag
            << "): centre brightness " << v << "\n";
  return v;
}
}

TEST(MapperUnits, GPU)
{
  if (!go_test::HaveDisplay())
  {
    GTEST_SKIP() << "no usable X display (run under xvfb-run)";
  }
  const Ramp r;
  const double g = r.Gpu();
  std::cout << "per mm " << r.PerMm() << ", mapper units " << r.Mapper() << ", GPU prediction "
            << g << ", gmax " << r.GradientScale() << "\n";
  ASSERT_LT(g, 0.5 * r.GradientScale());
  // The flip happens where predicted.
  EXPECT_GT(RenderStep(r, go_test::GPU, 0.97 * g, "0.97 x GPU prediction"), 0.2);
  EXPECT_LT(RenderStep(r, go_test::GPU, 1.03 * g, "1.03 x GPU prediction"), 0.02);
  // Neither per-mm units nor the plain mean-spacing formula place it there:
  // the GPU still sees every sample above them.
  EXPECT_GT(RenderStep(r, go_test::GPU, 1.03 * r.PerMm(), "1.03 x per-mm value"), 0.2);
  EXPECT_GT(RenderStep(r, go_test::GPU, 1.02 * r.Mapper(), "1.02 x |grad| * hbar"), 0.2);
}

TEST(MapperUnits, FixedPoint)
{
  if (!go_test::HaveDisplay())
  {
    GTEST_SKIP() << "no usable X display (run under xvfb-run)";
  }
  const Ramp r;
  const double g = r.Mapper();
  // 8-bit quantisation of g / gmax: the table entry the mapper will read.
  const double q = std::round(g * 255.0 / r.GradientScale()) * r.GradientScale() / 255.0;
  std::cout << "fixed point: mapper units " << g << ", quantised " << q << "\n";
  ASSERT_LT(std::fabs(q - g), 0.015 * g);
  EXPECT_GT(RenderStep(r, go_test::FIXED_POINT, 0.97 * g, "0.97 x mapper units"), 0.2);
  EXPECT_LT(RenderStep(r, go_test::FIXED_POINT, 1.03 * g, "1.03 x mapper units"), 0.02);
  EXPECT_GT(RenderStep(r, go_test::FIXED_POINT, 1.03 * r.PerMm(), "1.03 x per-mm value"), 0.2);
}
