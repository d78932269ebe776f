#include "vtkGradientHistogram2D.h"

#include "Kernels/go_autoopacity.h"
#include "vtkGradientOpacityArrays.h"
#include "vtkGradientMagnitudeFilter.h"

#include "vtkDataArray.h"
#include "vtkDoubleArray.h"
#include "vtkImageData.h"
#include "vtkInformation.h"
#include "vtkInformationVector.h"
#include "vtkNew.h"
#include "vtkObjectFactory.h"
#include "vtkPointData.h"
#include "vtkStreamingDemandDrivenPipeline.h"

#include <algorithm>
#include <cmath>
#include <vector>

vtkStandardNewMacro(vtkGradientHistogram2D);

//------------------------------------------------------------------------------
vtkGradientHistogram2D::vtkGradientHistogram2D()
{
  this->NumberOfBins[0] = this->NumberOfBins[1] = 256;
  this->Sampling = 1;
  this->GradientArrayName = nullptr;
  this->NumberOfSamples = 0;
  this->RandomSeed = 1;
  this->ScalarRange[0] = this->ScalarRange[1] = 0.0;
  this->YAxisRange[0] = this->YAxisRange[1] = 0.0;
  this->SetInputArrayToProcess(
    0, 0, 0, vtkDataObject::FIELD_ASSOCIATION_POINTS, vtkDataSetAttributes::SCALARS);
}

//------------------------------------------------------------------------------
vtkGradientHistogram2D::~vtkGradientHistogram2D()
{
  this->SetGradientArrayName(nullptr);
}

//------------------------------------------------------------------------------
int vtkGradientHistogram2D::RequestInformation(
  vtkInformation*, vtkInformationVector**, vtkInformationVector* outputVector)
{
  vtkInformation* outInfo = outputVector->GetInformationObject(0);
  const int nx = std::max(1, this->NumberOfBins[0]), ny = std::max(1, this->NumberOfBins[1]);
  const int ext[6] = { 0, nx - 1, 0, ny - 1, 0, 0 };
  outInfo->Set(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT(), ext, 6);
  vtkDataObject::SetPointDataActiveScalarInfo(outInfo, VTK_DOUBLE, 1);
  return 1;
}

//------------------------------------------------------------------------------
int vtkGradientHistogram2D::RequestUpdateExtent(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector*)
{
  vtkInformation* inInfo = inputVector[0]->GetInformationObject(0);
  inInfo->Set(vtkStreamingDemandDrivenPipeline::UPDATE_EXTENT(),
    inInfo->Get(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT()), 6);
  return 1;
}

//------------------------------------------------------------------------------
int vtkGradientHistogram2D::RequestData(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  vtkImageData* input = vtkImageData::GetData(inputVector[0]);
  vtkImageData* output = vtkImageData::GetData(outputVector);
  const int nx = std::max(1, this->NumberOfBins[0]), ny = std::max(1, this->NumberOfBins[1]);
  output->SetExtent(0, nx - 1, 0, ny - 1, 0, 0);
  vtkNew<vtkDoubleArray> counts;
  counts->SetName("Count");
  counts->SetNumberOfTuples(static_cast<vtkIdType>(nx) * ny);
  counts->FillValue(0.0);
  output->GetPointData()->SetScalars(counts);

  vtkDataArray* scalars = input ? this->GetInputArrayToProcess(0, inputVector) : nullptr;
  if (!scalars || input->GetNumberOfPoints() < 1)
  {
    vtkErrorMacro("No input scalars.");
    return 1;
  }
  int ext[6];
  input->GetExtent(ext);
  double spacing[3];
  input->GetSpacing(spacing);
  gradientopacity::FiniteRange(scalars, 0, this->ScalarRange);
  const double R = this->ScalarRange[1] - this->ScalarRange[0];
  vtkDataArray* yArray = nullptr;
  if (this->GradientArrayName && *this->GradientArrayName)
  {
    yArray = input->GetPointData()->GetArray(this->GradientArrayName);
    if (!yArray)
    {
      vtkErrorMacro("No point array named " << this->GradientArrayName);
      return 1;
    }
    gradientopacity::FiniteRange(yArray, 0, this->YAxisRange);
  }
  else
  {
    this->YAxisRange[0] = 0.0;
    this->YAxisRange[1] = 0.25 * R;
  }
  const double yspan = this->YAxisRange[1] - this->YAxisRange[0];
  output->SetOrigin(
    this->ScalarRange[0] + 0.5 * R / nx, this->YAxisRange[0] + 0.5 * yspan / ny, 0.0);
  output->SetSpacing(R > 0 ? R / nx : 1.0, yspan > 0 ? yspan / ny : 1.0, 1.0);
  if (!(R > 0.0) || !(yspan > 0.0))
  {
    vtkWarningMacro("Constant image or y-axis array: empty histogram.");
    return 1;
  }

  go_image sim;
  if (!gradientopacity::MakeImage(scalars, ext, sim))
  {
    vtkErrorMacro("Unsupported scalar type.");
    return 1;
  }
  vtkSmartPointer<vtkDataArray> magnitude = yArray;
  const bool emulate = !yArray && this->Sampling == 1;
  if (!magnitude && !emulate)
  {
    vtkNew<vtkImageData> copy;
    copy->SetExtent(ext);
    copy->SetSpacing(spacing);
    copy->GetPointData()->SetScalars(scalars);
    vtkNew<vtkGradientMagnitudeFilter> f;
    f->SetInputData(copy);
    f->SetUnitsToMapper();
    f->SetOutputScalarTypeToFloat();
    f->SetComponent(0);
    f->Update();
    magnitude = f->GetOutput()->GetPointData()->GetScalars();
  }
  std::vector<float> g, v, w;
  const vtkIdType nvox = input->GetNumberOfPoints();
  if (this->Sampling == 0)
  {
    g.resize(nvox);
    v.resize(nvox);
    for (vtkIdType i = 0; i < nvox; ++i)
    {
      g[i] = static_cast<float>(magnitude->GetComponent(i, 0));
      v[i] = static_cast<float>(scalars->GetComponent(i, 0));
    }
  }
  else
  {
    vtkIdType n = this->NumberOfSamples > 0
      ? this->NumberOfSamples
      : std::min<vtkIdType>(std::max<vtkIdType>(nvox, 65536), 2097152);
    g.resize(n);
    v.resize(n);
    w.resize(n);
    go_image gim;
    const bool haveMag = magnitude && gradientopacity::MakeImage(magnitude, ext, gim);
    const uint64_t seed = 0x5eed0000ull + static_cast<uint64_t>(this->RandomSeed);
    go_ao_subvoxel_samples(haveMag ? &gim : &sim, haveMag ? 1 : 0, &sim, nullptr, nullptr,
      spacing, static_cast<size_t>(n), seed, g.data(), w.data(), v.data());
  }
  go_ao_histogram2d(v.data(), g.data(), w.empty() ? nullptr : w.data(), g.size(),
    this->ScalarRange[0], R, this->YAxisRange[0], yspan, nx, ny, counts->GetPointer(0));
  return 1;
}

//------------------------------------------------------------------------------
void vtkGradientHistogram2D::PrintSelf(ostream& os, vtkIndent indent)
{
  this->Superclass::PrintSelf(os, indent);
  os << indent << "NumberOfBins: " << this->NumberOfBins[0] << ", " << this->NumberOfBins[1]
     << "\n";
  os << indent << "Sampling: " << this->Sampling << "\n";
  os << indent << "GradientArrayName: "
     << (this->GradientArrayName ? this->GradientArrayName : "(none)") << "\n";
  os << indent << "NumberOfSamples: " << this->NumberOfSamples << "\n";
  os << indent << "RandomSeed: " << this->RandomSeed << "\n";
  os << indent << "ScalarRange: " << this->ScalarRange[0] << ", " << this->ScalarRange[1] << "\n";
  os << indent << "YAxisRange: " << this->YAxisRange[0] << ", " << this->YAxisRange[1] << "\n";
}
