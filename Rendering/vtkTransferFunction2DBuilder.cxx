#include "vtkTransferFunction2DBuilder.h"

#include "vtkGradientOpacityArrays.h"

#include "vtkColorTransferFunction.h"
#include "vtkDataArray.h"
#include "vtkFloatArray.h"
#include "vtkGPUVolumeRayCastMapper.h"
#include "vtkImageData.h"
#include "vtkNew.h"
#include "vtkObjectFactory.h"
#include "vtkPiecewiseFunction.h"
#include "vtkPointData.h"
#include "vtkVolume.h"
#include "vtkVolumeProperty.h"

#include <vector>

vtkStandardNewMacro(vtkTransferFunction2DBuilder);
vtkCxxSetObjectMacro(vtkTransferFunction2DBuilder, Color, vtkColorTransferFunction);
vtkCxxSetObjectMacro(vtkTransferFunction2DBuilder, ScalarOpacity, vtkPiecewiseFunction);
vtkCxxSetObjectMacro(vtkTransferFunction2DBuilder, GradientOpacity, vtkPiecewiseFunction);

//------------------------------------------------------------------------------
vtkTransferFunction2DBuilder::vtkTransferFunction2DBuilder()
{
  this->Color = nullptr;
  this->ScalarOpacity = nullptr;
  this->GradientOpacity = nullptr;
  this->ScalarRange[0] = 0.0;
  this->ScalarRange[1] = 1.0;
  this->YAxisRange[0] = 0.0;
  this->YAxisRange[1] = 1.0;
  this->Size[0] = this->Size[1] = 256;
}

//------------------------------------------------------------------------------
vtkTransferFunction2DBuilder::~vtkTransferFunction2DBuilder()
{
  this->SetColor(nullptr);
  this->SetScalarOpacity(nullptr);
  this->SetGradientOpacity(nullptr);
}

//------------------------------------------------------------------------------
void vtkTransferFunction2DBuilder::UseShaderGradient(vtkDataArray* scalars)
{
  if (!scalars)
  {
    return;
  }
  double r[2];
  gradientopacity::FiniteRange(scalars, 0, r);
  this->SetScalarRange(r);
  this->SetYAxisRange(0.0, 0.25 * (r[1] - r[0]));
}

//------------------------------------------------------------------------------
void vtkTransferFunction2DBuilder::UseYAxisArray(vtkDataArray* scalars, vtkDataArray* yArray)
{
  if (!scalars || !yArray)
  {
    return;
  }
  double r[2], y[2];
  gradientopacity::FiniteRange(scalars, 0, r);
  gradientopacity::FiniteRange(yArray, 0, y);
  this->SetScalarRange(r);
  this->SetYAxisRange(y);
}

//------------------------------------------------------------------------------
void vtkTransferFunction2DBuilder::Build(vtkImageData* output)
{
  if (!output)
  {
    return;
  }
  const int w = this->Size[0] > 0 ? this->Size[0] : 1;
  const int h = this->Size[1] > 0 ? this->Size[1] : 1;
  const double r = this->ScalarRange[1] - this->ScalarRange[0];
  const double ry = this->YAxisRange[1] - this->YAxisRange[0];
  const double dx = r / w, dy = ry / h;
  const double x0 = this->ScalarRange[0] + 0.5 * dx, y0 = this->YAxisRange[0] + 0.5 * dy;

  // Functions sampled at the texel centres.
  std::vector<double> rgb(3 * static_cast<size_t>(w)), so(w), go(h);
  for (int i = 0; i < w; ++i)
  {
    const double f = x0 + i * dx;
    if (this->Color)
    {
      this->Color->GetColor(f, &rgb[3 * i]);
    }
    else
    {
      const double grey = (i + 0.5) / w;
      rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = grey;
    }
    so[i] = this->ScalarOpacity ? this->ScalarOpacity->GetValue(f) : 0.05;
  }
  for (int j = 0; j < h; ++j)
  {
    go[j] = this->GradientOpacity ? this->GradientOpacity->GetValue(y0 + j * dy) : 1.0;
  }

  output->Initialize();
  output->SetDimensions(w, h, 1);
  output->SetOrigin(x0, y0, 0.0);
  output->SetSpacing(dx > 0 ? dx : 1.0, dy > 0 ? dy : 1.0, 1.0);
  vtkNew<vtkFloatArray> rgba;
  rgba->SetName("TransferFunction2D");
  rgba->SetNumberOfComponents(4);
  rgba->SetNumberOfTuples(static_cast<vtkIdType>(w) * h);
  float* p = rgba->GetPointer(0);
  for (int j = 0; j < h; ++j)
  {
    for (int i = 0; i < w; ++i, p += 4)
    {
      p[0] = static_cast<float>(rgb[3 * i]);
      p[1] = static_cast<float>(rgb[3 * i + 1]);
      p[2] = static_cast<float>(rgb[3 * i + 2]);
      p[3] = static_cast<float>(so[i] * go[j]);
    }
  }
  output->GetPointData()->SetScalars(rgba);
}

//------------------------------------------------------------------------------
void vtkTransferFunction2DBuilder::ApplyTo(
  vtkVolume* volume, vtkImageData* tf2d, const char* yAxisArray)
{
  if (!volume || !tf2d)
  {
    return;
  }
  vtkVolumeProperty* prop = volume->GetProperty();
  prop->SetTransferFunction2D(0, tf2d);
  prop->SetTransferFunctionMode(vtkVolumeProperty::TF_2D);
  if (vtkGPUVolumeRayCastMapper* gpu = vtkGPUVolumeRayCastMapper::SafeDownCast(volume->GetMapper()))
  {
    gpu->SetTransfer2DYAxisArray(yAxisArray);
  }
}

//------------------------------------------------------------------------------
void vtkTransferFunction2DBuilder::PrintSelf(ostream& os, vtkIndent indent)
{
  this->Superclass::PrintSelf(os, indent);
  os << indent << "Color: " << this->Color << "\n";
  os << indent << "ScalarOpacity: " << this->ScalarOpacity << "\n";
  os << indent << "GradientOpacity: " << this->GradientOpacity << "\n";
  os << indent << "ScalarRange: " << this->ScalarRange[0] << ", " << this->ScalarRange[1] << "\n";
  os << indent << "YAxisRange: " << this->YAxisRange[0] << ", " << this->YAxisRange[1] << "\n";
  os << indent << "Size: " << this->Size[0] << ", " << this->Size[1] << "\n";
}
