#include "vtkKindlmannDurkin.h"

#include "Kernels/go_autoopacity.h"
#include "vtkGradientOpacityArrays.h"
#include "vtkAutoGradientOpacity.h"
#include "vtkGradientMagnitudeFilter.h"

#include "vtkColorTransferFunction.h"
#include "vtkDataArray.h"
#include "vtkDoubleArray.h"
#include "vtkFloatArray.h"
#include "vtkImageData.h"
#include "vtkNew.h"
#include "vtkObjectFactory.h"
#include "vtkPiecewiseFunction.h"
#include "vtkPointData.h"
#include "vtkTable.h"

#include <algorithm>
#include <cmath>
#include <vector>

vtkStandardNewMacro(vtkKindlmannDurkin);
vtkCxxSetObjectMacro(vtkKindlmannDurkin, Color, vtkColorTransferFunction);

//------------------------------------------------------------------------------
vtkKindlmannDurkin::vtkKindlmannDurkin()
{
  this->Input = nullptr;
  this->Color = nullptr;
  this->Operator = vtkGradientMagnitudeFilter::GAUSSIAN;
  this->Sigma = 0.0;
  this->NumberOfValueBins = 256;
  this->NumberOfGradientBins = 256;
  this->BoundaryWidth = 1.0;
  this->MaximumOpacity = 0.3;
  this->GradientThreshold = -1.0;
  this->GradientWeighting = 1.0;
  this->BoundarySigma = 0.0;
  this->UsedGradientThreshold = 0.0;
  this->ScalarOpacity = vtkPiecewiseFunction::New();
  this->TransferFunction2D = vtkImageData::New();
  this->Table = vtkTable::New();
}

//------------------------------------------------------------------------------
vtkKindlmannDurkin::~vtkKindlmannDurkin()
{
  this->SetInputData(nullptr);
  this->SetColor(nullptr);
  this->ScalarOpacity->Delete();
  this->TransferFunction2D->Delete();
  this->Table->Delete();
}

//------------------------------------------------------------------------------
void vtkKindlmannDurkin::SetInputData(vtkImageData* image)
{
  if (this->Input == image)
  {
    return;
  }
  if (this->Input)
  {
    this->Input->UnRegister(this);
  }
  this->Input = image;
  if (image)
  {
    image->Register(this);
  }
  this->Modified();
}

vtkPiecewiseFunction* vtkKindlmannDurkin::GetScalarOpacity()
{
  return this->ScalarOpacity;
}
vtkImageData* vtkKindlmannDurkin::GetTransferFunction2D()
{
  return this->TransferFunction2D;
}
vtkTable* vtkKindlmannDurkin::GetTable()
{
  return this->Table;
}

//------------------------------------------------------------------------------
int vtkKindlmannDurkin::Update()
{
  this->ScalarOpacity->RemoveAllPoints();
  this->TransferFunction2D->Initialize();
  this->Table->Initialize();
  this->BoundarySigma = 0.0;
  vtkDataArray* scalars = this->Input ? this->Input->GetPointData()->GetScalars() : nullptr;
  if (!scalars || this->Input->GetNumberOfPoints() < 1)
  {
    vtkErrorMacro("No input image with scalars.");
    return 0;
  }
  double range[2];
  gradientopacity::FiniteRange(scalars, 0, range);
  const double R = range[1] - range[0];
  if (!(R > 0.0))
  {
    vtkErrorMacro("Constant image: no boundaries.");
    return 0;
  }
  const double gspan = 0.25 * R;
  double spacing[3];
  this->Input->GetSpacing(spacing);
  const double hbar = (spacing[0] + spacing[1] + spacing[2]) / 3.0;

  // 1. g, grad f, grad g, h (mapper units).
  vtkNew<vtkImageData> fImage;
  fImage->SetExtent(this->Input->GetExtent());
  fImage->SetSpacing(spacing);
  fImage->GetPointData()->SetScalars(scalars);
  // The second derivative uses central differences of the (already smoothed)
  // g: smoothing g again would widen h and bias sigma (by sqrt(3/2) for a
  // Gaussian of the same width).
  auto derivative = [&](vtkImageData* in, vtkSmartPointer<vtkDataArray>& mag,
                      vtkSmartPointer<vtkDataArray>& vec, int op) {
    vtkNew<vtkGradientMagnitudeFilter> f;
    f->SetInputData(in);
    f->SetOperator(op);
    f->SetSigma(this->Sigma > 0.0 ? this->Sigma : hbar);
    f->SetUnitsToMapper();
    f->SetOutputScalarTypeToFloat();
    f->SetComponent(0);
    f->ComputeGradientVectorOn();
    f->Update();
    vtkPointData* pd = f->GetOutput()->GetPointData();
    mag = pd->GetScalars();
    vec = nullptr;
    for (int a = 0; a < pd->GetNumberOfArrays(); ++a)
    {
      if (pd->GetArray(a) && pd->GetArray(a)->GetNumberOfComponents() == 3)
      {
        vec = pd->GetArray(a);
      }
    }
  };
  vtkSmartPointer<vtkDataArray> g, gradF, unused, gradG;
  derivative(fImage, g, gradF, this->Operator);
  vtkFloatArray* gf = vtkFloatArray::SafeDownCast(g);
  vtkFloatArray* gvf = vtkFloatArray::SafeDownCast(gradF);
  if (!gf || !gvf)
  {
    vtkErrorMacro("Gradient computation failed.");
    return 0;
  }
  gf->SetName("g");
  vtkNew<vtkImageData> gImage;
  gImage->SetExtent(this->Input->GetExtent());
  gImage->SetSpacing(spacing);
  gImage->GetPointData()->SetScalars(gf);
  derivative(gImage, unused, gradG, vtkGradientMagnitudeFilter::CENTRAL_DIFFERENCE);
  vtkFloatArray* ggf = vtkFloatArray::SafeDownCast(gradG);
  if (!ggf)
  {
    vtkErrorMacro("Second-derivative computation failed.");
    return 0;
  }
  const vtkIdType n = this->Input->GetNumberOfPoints();
  std::vector<float> h(n), v(n);
  go_kd_directional(gvf->GetPointer(0), ggf->GetPointer(0), static_cast<size_t>(n), h.data());
  for (vtkIdType i = 0; i < n; ++i)
  {
    v[i] = static_cast<float>(scalars->GetComponent(i, 0));
  }

  // 2. Threshold and accumulation.
  double gmin = this->GradientThreshold;
  if (gmin < 0.0)
  {
    vtkNew<vtkImageData> withG;
    withG->ShallowCopy(fImage);
    withG->GetPointData()->AddArray(gf);
    vtkNew<vtkAutoGradientOpacity> a;
    a->SetInputData(withG);
    a->SetGradientArrayName("g");
    a->SetSampling(vtkAutoGradientOpacity::GRID);
    a->Update();
    gmin = a->GetLowThreshold();
  }
  this->UsedGradientThreshold = gmin;
  const int nv = this->NumberOfValueBins, ng = this->NumberOfGradientBins;
  std::vector<double> cnt1(nv, 0.0), sg1(nv, 0.0), sh1(nv, 0.0), n1(nv, 0.0);
  std::vector<double> cnt2(static_cast<size_t>(nv) * ng, 0.0), sh2(cnt2.size(), 0.0);
  go_kd_accumulate(v.data(), gf->GetPointer(0), h.data(), static_cast<size_t>(n),
    this->GradientWeighting, n1.data(), gmin, range[0],
    R, gspan, nv, ng, cnt1.data(), sg1.data(), sh1.data(), cnt2.data(), sh2.data());

  // 3. sigma from the extremes of the per-value means.
  const double minCount = 10.0;
  double gMax = 0.0, hMax = -VTK_DOUBLE_MAX, hMin = VTK_DOUBLE_MAX;
  for (int i = 0; i < nv; ++i)
  {
    if (n1[i] >= minCount)
    {
      gMax = std::max(gMax, sg1[i] / cnt1[i]);
      hMax = std::max(hMax, sh1[i] / cnt1[i]);
      hMin = std::min(hMin, sh1[i] / cnt1[i]);
    }
  }
  if (!(gMax > 0.0) || !(hMax > hMin))
  {
    vtkErrorMacro("No boundary found (no gradient above " << gmin << ").");
    return 0;
  }
  const double sigma = 2.0 * gMax / (std::sqrt(std::exp(1.0)) * (hMax - hMin));
  this->BoundarySigma = sigma;
  const double width = this->BoundaryWidth * sigma;
  auto tent = [&](double p) {
    return this->MaximumOpacity * std::max(0.0, 1.0 - std::fabs(p) / width);
  };

  // 4. Position function and scalar opacity.
  const char* names[6] = { "Value", "Count", "MeanGradient", "MeanSecondDerivative", "Position",
    "Opacity" };
  vtkNew<vtkDoubleArray> cols[6];
  for (int c = 0; c < 6; ++c)
  {
    cols[c]->SetName(names[c]);
    cols[c]->SetNumberOfTuples(nv);
  }
  std::vector<double> pv(nv, 0.0), ov(nv, 0.0);
  for (int i = 0; i < nv; ++i)
  {
    const double value = range[0] + (i + 0.5) * R / nv;
    double gm = 0.0, hm = 0.0;
    if (n1[i] >= minCount)
    {
      gm = sg1[i] / cnt1[i];
      hm = sh1[i] / cnt1[i];
      pv[i] = -sigma * sigma * hm / gm;
      ov[i] = tent(pv[i]);
    }
    else
    {
      pv[i] = VTK_DOUBLE_MAX;
    }
    this->ScalarOpacity->AddPoint(value, ov[i], 0.5, 0.0);
    cols[0]->SetValue(i, value);
    cols[1]->SetValue(i, n1[i]);
    cols[2]->SetValue(i, gm);
    cols[3]->SetValue(i, hm);
    cols[4]->SetValue(i, n1[i] >= minCount ? pv[i] : 0.0);
    cols[5]->SetValue(i, ov[i]);
  }
  for (int c = 0; c < 6; ++c)
  {
    this->Table->AddColumn(cols[c]);
  }

  // 5. 2D transfer function on the shader's axes.
  this->TransferFunction2D->SetDimensions(nv, ng, 1);
  this->TransferFunction2D->SetOrigin(range[0] + 0.5 * R / nv, 0.5 * gspan / ng, 0.0);
  this->TransferFunction2D->SetSpacing(R / nv, gspan / ng, 1.0);
  vtkNew<vtkFloatArray> rgba;
  rgba->SetName("TransferFunction2D");
  rgba->SetNumberOfComponents(4);
  rgba->SetNumberOfTuples(static_cast<vtkIdType>(nv) * ng);
  float* px = rgba->GetPointer(0);
  for (int j = 0; j < ng; ++j)
  {
    const double gc = (j + 0.5) * gspan / ng;
    for (int i = 0; i < nv; ++i, px += 4)
    {
      const double value = range[0] + (i + 0.5) * R / nv;
      double rgb[3] = { (i + 0.5) / nv, (i + 0.5) / nv, (i + 0.5) / nv };
      if (this->Color)
      {
        this->Color->GetColor(value, rgb);
      }
      const size_t b = static_cast<size_t>(j) * nv + i;
      double alpha = 0.0;
      if (gc > gmin)
      {
        if (cnt2[b] >= 5.0)
        {
          alpha = tent(-sigma * sigma * (sh2[b] / cnt2[b]) / gc);
        }
        else if (n1[i] >= minCount)
        {
          alpha = ov[i];
        }
      }
      px[0] = static_cast<float>(rgb[0]);
      px[1] = static_cast<float>(rgb[1]);
      px[2] = static_cast<float>(rgb[2]);
      px[3] = static_cast<float>(alpha);
    }
  }
  this->TransferFunction2D->GetPointData()->SetScalars(rgba);
  return 1;
}

//------------------------------------------------------------------------------
void vtkKindlmannDurkin::PrintSelf(ostream& os, vtkIndent indent)
{
  this->Superclass::PrintSelf(os, indent);
  os << indent << "Input: " << this->Input << "\n";
  os << indent << "Operator: " << this->Operator << "\n";
  os << indent << "Sigma: " << this->Sigma << "\n";
  os << indent << "NumberOfValueBins: " << this->NumberOfValueBins << "\n";
  os << indent << "NumberOfGradientBins: " << this->NumberOfGradientBins << "\n";
  os << indent << "BoundaryWidth: " << this->BoundaryWidth << "\n";
  os << indent << "MaximumOpacity: " << this->MaximumOpacity << "\n";
  os << indent << "GradientThreshold: " << this->GradientThreshold << "\n";
  os << indent << "GradientWeighting: " << this->GradientWeighting << "\n";
  os << indent << "BoundarySigma: " << this->BoundarySigma << "\n";
  os << indent << "UsedGradientThreshold: " << this->UsedGradientThreshold << "\n";
}
