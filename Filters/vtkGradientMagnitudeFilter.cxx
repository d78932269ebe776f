#include "vtkGradientMagnitudeFilter.h"

#include "vtkGradientOpacityInputArray.h"

#include "vtkDataArray.h"
#include "vtkDoubleArray.h"
#include "vtkFloatArray.h"
#include "vtkInformation.h"
#include "vtkInformationVector.h"
#include "vtkImageData.h"
#include "vtkMath.h"
#include "vtkMatrix3x3.h"
#include "vtkNew.h"
#include "vtkObjectFactory.h"
#include "vtkPointData.h"
#include "vtkSmartPointer.h"
#include "vtkStreamingDemandDrivenPipeline.h"
#include "vtkWeakPointer.h"

#include "go_alloc.h"
#include "go_gradient.h"

#include <algorithm>
#include <atomic>
#include <climits>
#include <cmath>
#include <string>

vtkStandardNewMacro(vtkGradientMagnitudeFilter);

namespace
{
// VTK scalar type -> kernel type; GO_NUMBER_OF_TYPES when unsupported.
go_scalar_type ToKernelType(int vtkType)
{
  switch (vtkType)
  {
    case VTK_SIGNED_CHAR:
      return GO_INT8;
    case VTK_CHAR:
      return CHAR_MIN < 0 ? GO_INT8 : GO_UINT8;
    case VTK_UNSIGNED_CHAR:
      return GO_UINT8;
    case VTK_SHORT:
      return GO_INT16;
    case VTK_UNSIGNED_SHORT:
      return GO_UINT16;
    case VTK_INT:
      return GO_INT32;
    case VTK_UNSIGNED_INT:
      return GO_UINT32;
    case VTK_LONG:
      return sizeof(long) == 8 ? GO_INT64 : GO_INT32;
    case VTK_UNSIGNED_LONG:
      return sizeof(unsigned long) == 8 ? GO_UINT64 : GO_UINT32;
    case VTK_LONG_LONG:
      return GO_INT64;
    case VTK_UNSIGNED_LONG_LONG:
      return GO_UINT64;
    case VTK_ID_TYPE:
      return sizeof(vtkIdType) == 8 ? GO_INT64 : GO_INT32;
    case VTK_FLOAT:
      return GO_FLOAT32;
    case VTK_DOUBLE:
      return GO_FLOAT64;
    default:
      return GO_NUMBER_OF_TYPES;
  }
}

// Give `array` (components already set) storage for `tuples` tuples from
// go_huge_alloc, released by VTK through go_huge_free: a fresh output then
// faults in 2 MiB huge pages instead of 4 KiB pages (most of the cost of a
// new pipeline on a VM). Small arrays, or a failed allocation, keep VTK's
// own storage. Returns true when the array now holds huge-page storage.
bool UseHugePages(vtkDataArray* array, vtkIdType tuples)
{
  const vtkIdType values = tuples * array->GetNumberOfComponents();
  const size_t bytes = static_cast<size_t>(values) * static_cast<size_t>(array->GetDataTypeSize());
  if (values <= 0 || bytes < GO_HUGE_MIN_BYTES || !go_huge_supported())
  {
    return false;
  }
  void* p = go_huge_alloc(bytes);
  if (!p)
  {
    return false;
  }
  array->SetVoidArray(p, values, 0, vtkAbstractArray::VTK_DATA_ARRAY_USER_DEFINED);
  array->SetArrayFreeFunction(go_huge_free);
  return true;
}

bool IsIdentity(const vtkMatrix3x3* m)
{
  for (int i = 0; i < 3; ++i)
  {
    for (int j = 0; j < 3; ++j)
    {
      if (m->GetElement(i, j) != (i == j ? 1.0 : 0.0))
      {
        return false;
      }
    }
  }
  return true;
}
}

// What RequestData resolved for the threads.
struct vtkGradientMagnitudeFilter::Internals
{
  vtkDataArray* InArray = nullptr;
  vtkDataArray* Magnitude = nullptr;
  vtkDataArray* Vector = nullptr;
  go_options Options;
  double Matrix[9];
  bool UseMatrix = false;
  int FirstComponent = 0;
  int LastComponent = 0;
  std::atomic<int> Status{ GO_OK };
  // The magnitude array given huge-page storage by the last execution and
  // that storage: when VTK's AllocateScalars reuses the array (same type and
  // size, nobody else holding it) the storage is kept, not replaced.
  vtkWeakPointer<vtkDataArray> HugeArray;
  void* HugeStorage = nullptr;
};

//------------------------------------------------------------------------------
vtkGradientMagnitudeFilter::vtkGradientMagnitudeFilter()
  : Operator(CENTRAL_DIFFERENCE)
  , EdgeMode(EDGE_COPY)
  , Units(PHYSICAL)
  , Sigma(1.0)
  , Truncate(4.0)
  , SobelScaleToScipy(0)
  , Dimensionality(3)
  , Component(-1)
  , ComputeGradientVector(0)
  , OutputScalarType(-1)
  , Internal(new Internals)
{
  // ParaView's VTK has the sequential SMP backend: thread with vtkMultiThreader.
  this->EnableSMP = false;
  this->SetInputArrayToProcess(
    0, 0, 0, vtkDataObject::FIELD_ASSOCIATION_POINTS, vtkDataSetAttributes::SCALARS);
}

vtkGradientMagnitudeFilter::~vtkGradientMagnitudeFilter()
{
  delete this->Internal;
}

//------------------------------------------------------------------------------
void vtkGradientMagnitudeFilter::SetOutputScalarType(int type)
{
  if (type != -1 && type != VTK_FLOAT && type != VTK_DOUBLE)
  {
    vtkErrorMacro("OutputScalarType must be VTK_FLOAT, VTK_DOUBLE or -1 (automatic), not "
      << type);
    return;
  }
  if (this->OutputScalarType != type)
  {
    this->OutputScalarType = type;
    this->Modified();
  }
}

int vtkGradientMagnitudeFilter::GetOutputScalarTypeFor(int inputType) const
{
  if (this->OutputScalarType == VTK_FLOAT || this->OutputScalarType == VTK_DOUBLE)
  {
    return this->OutputScalarType;
  }
  switch (ToKernelType(inputType))
  {
    case GO_INT32:
    case GO_UINT32:
    case GO_INT64:
    case GO_UINT64:
    case GO_FLOAT64:
      return VTK_DOUBLE;
    default:
      return VTK_FLOAT;
  }
}

int vtkGradientMagnitudeFilter::GetStencilRadius(int axis, const double spacing[3]) const
{
  go_options o;
  go_options_init(&o);
  o.op = static_cast<go_operator>(this->Operator);
  o.dimensionality = this->Dimensionality;
  o.sigma = this->Sigma;
  o.truncate = this->Truncate;
  for (int a = 0; a < 3; ++a)
  {
    o.spacing[a] = spacing[a];
  }
  const int r = go_gradient_radius(&o, axis);
  // Invalid spacing or sigma is reported by RequestData; pad by 1 meanwhile.
  return r < 0 ? 1 : r;
}

//------------------------------------------------------------------------------
int vtkGradientMagnitudeFilter::RequestInformation(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  vtkInformation* outInfo = outputVector->GetInformationObject(0);
  int inType = VTK_FLOAT;
  vtkInformation* arrayInfo = this->GetInputArrayFieldInformation(0, inputVector);
  if (!arrayInfo)
  {
    arrayInfo = gradientopacity::ActiveScalarsInformationIfUnnamed(
      this, 0, inputVector[0]->GetInformationObject(0));
  }
  if (arrayInfo)
  {
    if (arrayInfo->Has(vtkDataObject::FIELD_ARRAY_TYPE()))
    {
      inType = arrayInfo->Get(vtkDataObject::FIELD_ARRAY_TYPE());
    }
  }
  vtkDataObject::SetPointDataActiveScalarInfo(outInfo, this->GetOutputScalarTypeFor(inType), 1);
  outInfo->Set(vtkAlgorithm::CAN_PRODUCE_SUB_EXTENT(), 1);
  return 1;
}

//------------------------------------------------------------------------------
int vtkGradientMagnitudeFilter::RequestUpdateExtent(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  vtkInformation* inInfo = inputVector[0]->GetInformationObject(0);
  vtkInformation* outInfo = outputVector->GetInformationObject(0);
  int whole[6], ext[6];
  double spacing[3] = { 1.0, 1.0, 1.0 };
  inInfo->Get(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT(), whole);
  outInfo->Get(vtkStreamingDemandDrivenPipeline::UPDATE_EXTENT(), ext);
  if (inInfo->Has(vtkDataObject::SPACING()))
  {
    inInfo->Get(vtkDataObject::SPACING(), spacing);
  }
  // Pad by the stencil radius so that piece borders are computed exactly as
  // in a whole update, clipped to the whole extent where the edge rule applies.
  for (int a = 0; a < 3; ++a)
  {
    if (ext[2 * a] > ext[2 * a + 1])
    {
      continue; // empty request: leave it empty
    }
    const int r = this->GetStencilRadius(a, spacing);
    // 64-bit: an extent touching INT_MIN/INT_MAX must not overflow.
    ext[2 * a] = static_cast<int>(std::max<long long>(whole[2 * a], ext[2 * a] - 1LL * r));
    ext[2 * a + 1] =
      static_cast<int>(std::min<long long>(whole[2 * a + 1], ext[2 * a + 1] + 1LL * r));
  }
  inInfo->Set(vtkStreamingDemandDrivenPipeline::UPDATE_EXTENT(), ext, 6);
  // A piece request (UpdatePiece, ParaView's MPI ranks) is copied to the
  // input, and the executive of an upstream source that can produce
  // sub-extents converts it to the piece's extent again, overwriting the
  // padded extent above (piece borders then got the image-edge rule). Ask for
  // ghost levels of at least the stencil radius too: that conversion then
  // pads the piece by the same amount (clipped to the whole extent).
  if (inInfo->Has(vtkStreamingDemandDrivenPipeline::UPDATE_NUMBER_OF_PIECES()) &&
    inInfo->Get(vtkStreamingDemandDrivenPipeline::UPDATE_NUMBER_OF_PIECES()) > 1)
  {
    int ghost = 0;
    for (int a = 0; a < 3; ++a)
    {
      ghost = std::max(ghost, this->GetStencilRadius(a, spacing));
    }
    if (inInfo->Has(vtkStreamingDemandDrivenPipeline::UPDATE_NUMBER_OF_GHOST_LEVELS()))
    {
      ghost = std::max(
        ghost, inInfo->Get(vtkStreamingDemandDrivenPipeline::UPDATE_NUMBER_OF_GHOST_LEVELS()));
    }
    inInfo->Set(vtkStreamingDemandDrivenPipeline::UPDATE_NUMBER_OF_GHOST_LEVELS(), ghost);
  }
  return 1;
}

//------------------------------------------------------------------------------
int vtkGradientMagnitudeFilter::RequestData(
  vtkInformation* request, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  vtkImageData* input = vtkImageData::GetData(inputVector[0]);
  vtkImageData* output = vtkImageData::GetData(outputVector);
  Internals& in = *this->Internal;
  in.InArray = nullptr;
  in.Magnitude = nullptr;
  in.Vector = nullptr;
  in.Status = GO_OK;

  auto fail = [&](const std::string& message) {
    vtkErrorMacro(<< message);
    output->Initialize();
    return 1;
  };

  if (!input || !output)
  {
    return fail("Input and output must be vtkImageData.");
  }
  vtkDataArray* array = this->GetInputArrayToProcess(0, inputVector);
  if (!array)
  {
    array = gradientopacity::ActiveScalarsIfUnnamed(this, 0, input);
  }
  if (!array)
  {
    return fail("No input array to process: the input has no point scalars (or the "
                "array selected with SetInputArrayToProcess does not exist).");
  }
  if (ToKernelType(array->GetDataType()) == GO_NUMBER_OF_TYPES)
  {
    return fail(std::string("Unsupported scalar type ") + array->GetDataTypeAsString() +
      " of array '" + (array->GetName() ? array->GetName() : "") +
      "': use an integer or floating-point array.");
  }
  const int* inExt = input->GetExtent();
  if (inExt[0] > inExt[1] || inExt[2] > inExt[3] || inExt[4] > inExt[5] ||
    input->GetNumberOfPoints() == 0)
  {
    return fail("The input extent is empty.");
  }
  if (array->GetNumberOfTuples() != input->GetNumberOfPoints())
  {
    return fail("The input array does not have one tuple per point.");
  }
  const double* spacing = input->GetSpacing();
  for (int a = 0; a < 3; ++a)
  {
    if (!(spacing[a] > 0.0) || !std::isfinite(spacing[a]))
    {
      return fail("Spacing must be positive and finite on every axis, got (" +
        std::to_string(spacing[0]) + ", " + std::to_string(spacing[1]) + ", " +
        std::to_string(spacing[2]) + ").");
    }
  }
  if (this->Operator == GAUSSIAN && !(this->Sigma > 0.0 && std::isfinite(this->Sigma)))
  {
    return fail("Sigma must be positive and finite, got " + std::to_string(this->Sigma) + ".");
  }
  const int ncomp = array->GetNumberOfComponents();
  if (this->Component >= ncomp || this->Component < -1)
  {
    return fail("Component " + std::to_string(this->Component) + " does not exist: the array has " +
      std::to_string(ncomp) + " component(s) (-1 selects the Jacobian norm).");
  }

  // Direction: derivatives along the index axes become world-axis ones
  // through the inverse transpose of the direction matrix.
  in.UseMatrix = false;
  vtkMatrix3x3* direction = input->GetDirectionMatrix();
  if (direction && !IsIdentity(direction) && this->Units != INDEX)
  {
    vtkNew<vtkMatrix3x3> m;
    m->DeepCopy(direction);
    const double det = m->Determinant();
    if (!(std::fabs(det) > 1e-12) || !std::isfinite(det))
    {
      return fail("The direction matrix is singular.");
    }
    m->Invert();
    m->Transpose();
    for (int i = 0; i < 9; ++i)
    {
      in.Matrix[i] = m->GetData()[i];
    }
    in.UseMatrix = true;
  }

  go_options& o = in.Options;
  go_options_init(&o);
  o.op = static_cast<go_operator>(this->Operator);
  o.edge = static_cast<go_edge_mode>(this->EdgeMode);
  o.units = static_cast<go_units>(this->Units);
  o.sobel_scale = this->SobelScaleToScipy ? GO_SOBEL_SCIPY : GO_SOBEL_UNIT;
  int whole[6];
  inputVector[0]->GetInformationObject(0)->Get(
    vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT(), whole);
  o.dimensionality = (whole[4] == whole[5]) ? 2 : this->Dimensionality;
  o.sigma = this->Sigma;
  o.truncate = this->Truncate;
  for (int a = 0; a < 3; ++a)
  {
    o.spacing[a] = spacing[a];
  }
  o.matrix = in.UseMatrix ? in.Matrix : nullptr;
  in.InArray = array;
  in.FirstComponent = this->Component >= 0 ? this->Component : 0;
  in.LastComponent = this->Component >= 0 ? this->Component : ncomp - 1;
  if (this->ComputeGradientVector && in.FirstComponent != in.LastComponent)
  {
    vtkWarningMacro("ComputeGradientVector needs a single component; the Jacobian of a "
                    "multi-component array is not output. Set Component to select one.");
  }

  // Allocates the output, calls CopyAttributeData, runs the threads.
  this->Superclass::RequestData(request, inputVector, outputVector);

  // VTK 9.1/9.2 do not carry the direction matrix through the pipeline.
  output->SetDirectionMatrix(input->GetDirectionMatrix());

  if (in.Status != GO_OK)
  {
    return fail(std::string("Gradient kernel failed: ") +
      go_status_string(static_cast<go_status>(in.Status.load())));
  }
  return 1;
}

//------------------------------------------------------------------------------
void vtkGradientMagnitudeFilter::CopyAttributeData(
  vtkImageData* input, vtkImageData* output, vtkInformationVector**)
{
  Internals& in = *this->Internal;
  vtkPointData* outPD = output->GetPointData();
  vtkSmartPointer<vtkDataArray> magnitude = outPD->GetScalars();
  const std::string base =
    (in.InArray && in.InArray->GetName() && *in.InArray->GetName()) ? in.InArray->GetName()
                                                                    : "Scalars";

  // Pass the input's point arrays through, cropped when the input was padded.
  outPD->Initialize();
  const int* inExt = input->GetExtent();
  const int* outExt = output->GetExtent();
  bool sameExtent = true;
  for (int i = 0; i < 6; ++i)
  {
    sameExtent = sameExtent && inExt[i] == outExt[i];
  }
  if (sameExtent)
  {
    outPD->PassData(input->GetPointData());
  }
  else if (output->GetNumberOfPoints() > 0)
  {
    outPD->CopyAllocate(input->GetPointData(), output->GetNumberOfPoints());
    outPD->CopyStructuredData(input->GetPointData(), inExt, outExt);
  }
  // The copy flags are per-object state; do not leak them to later runs.
  outPD->CopyAllOn();

  // Huge-page storage for the magnitude unless this array already has it
  // (a re-execution that reused the previous output array).
  const vtkIdType tuples = output->GetNumberOfPoints();
  if (!(in.HugeArray.GetPointer() == magnitude.GetPointer() && in.HugeStorage &&
        magnitude->GetVoidPointer(0) == in.HugeStorage &&
        magnitude->GetNumberOfTuples() == tuples))
  {
    in.HugeArray = nullptr;
    in.HugeStorage = nullptr;
    if (UseHugePages(magnitude, tuples))
    {
      in.HugeArray = magnitude;
      in.HugeStorage = magnitude->GetVoidPointer(0);
    }
  }

  // AddArray + SetActiveScalars keeps the passed input scalars as a plain
  // array (SetScalars would remove the previous scalars array).
  magnitude->SetName((base + "_GradientMagnitude").c_str());
  outPD->AddArray(magnitude);
  outPD->SetActiveScalars(magnitude->GetName());
  in.Magnitude = magnitude;

  if (this->ComputeGradientVector && in.FirstComponent == in.LastComponent)
  {
    vtkSmartPointer<vtkDataArray> vec;
    if (magnitude->GetDataType() == VTK_DOUBLE)
    {
      vec = vtkSmartPointer<vtkDoubleArray>::New();
    }
    else
    {
      vec = vtkSmartPointer<vtkFloatArray>::New();
    }
    vec->SetNumberOfComponents(3);
    if (!UseHugePages(vec, magnitude->GetNumberOfTuples()))
    {
      vec->SetNumberOfTuples(magnitude->GetNumberOfTuples());
    }
    vec->SetName((base + "_Gradient").c_str());
    outPD->AddArray(vec);
    in.Vector = vec;
  }
}

//------------------------------------------------------------------------------
void vtkGradientMagnitudeFilter::ThreadedRequestData(vtkInformation*, vtkInformationVector**,
  vtkInformationVector*, vtkImageData*** inData, vtkImageData** outData, int outExt[6], int)
{
  Internals& in = *this->Internal;
  if (!in.InArray || !in.Magnitude || in.Status != GO_OK)
  {
    return;
  }
  vtkImageData* input = inData[0][0];
  vtkImageData* output = outData[0];
  const int ncomp = in.InArray->GetNumberOfComponents();
  const int* ie = input->GetExtent();
  const int* oe = output->GetExtent();

  go_image image;
  image.type = ToKernelType(in.InArray->GetDataType());
  for (int i = 0; i < 6; ++i)
  {
    image.extent[i] = ie[i];
  }
  image.increments[0] = ncomp;
  image.increments[1] = image.increments[0] * (ie[1] - ie[0] + 1);
  image.increments[2] = image.increments[1] * (ie[3] - ie[2] + 1);

  go_output out;
  out.magnitude = in.Magnitude->GetVoidPointer(0);
  out.vector = in.Vector ? in.Vector->GetVoidPointer(0) : nullptr;
  out.type = in.Magnitude->GetDataType() == VTK_DOUBLE ? GO_FLOAT64 : GO_FLOAT32;
  for (int i = 0; i < 6; ++i)
  {
    out.extent[i] = oe[i];
  }
  out.increments[0] = 1;
  out.increments[1] = oe[1] - oe[0] + 1;
  out.increments[2] = out.increments[1] * (oe[3] - oe[2] + 1);

  go_options options = in.Options;
  const bool jacobian = in.FirstComponent != in.LastComponent;
  const size_t esize = go_scalar_size(image.type);
  for (int c = in.FirstComponent; c <= in.LastComponent; ++c)
  {
    image.data = static_cast<const char*>(in.InArray->GetVoidPointer(0)) + c * esize;
    if (jacobian)
    {
      options.accumulate = c == in.FirstComponent ? GO_WRITE_SQUARED : GO_ADD_SQUARED;
    }
    const go_status status = go_gradient_compute(&image, &options, outExt, &out);
    if (status != GO_OK)
    {
      in.Status = status;
      return;
    }
    out.vector = nullptr; // the vector exists for a single component only
  }
  if (jacobian)
  {
    go_sqrt_inplace(&out, outExt);
  }
}

//------------------------------------------------------------------------------
void vtkGradientMagnitudeFilter::PrintSelf(ostream& os, vtkIndent indent)
{
  this->Superclass::PrintSelf(os, indent);
  static const char* ops[] = { "CentralDifference", "Sobel", "Gaussian" };
  os << indent << "Operator: " << ops[this->Operator] << "\n";
  os << indent << "EdgeMode: " << (this->EdgeMode == EDGE_COPY ? "EdgeCopy" : "OneSided") << "\n";
  static const char* units[] = { "Physical", "Mapper", "Index" };
  os << indent << "Units: " << units[this->Units] << "\n";
  os << indent << "Sigma: " << this->Sigma << "\n";
  os << indent << "Truncate: " << this->Truncate << "\n";
  os << indent << "SobelScaleToScipy: " << (this->SobelScaleToScipy ? "On" : "Off") << "\n";
  os << indent << "Dimensionality: " << this->Dimensionality << "\n";
  os << indent << "Component: " << this->Component << "\n";
  os << indent << "ComputeGradientVector: " << (this->ComputeGradientVector ? "On" : "Off")
     << "\n";
  os << indent << "OutputScalarType: "
     << (this->OutputScalarType == -1 ? "Automatic"
                                      : vtkImageScalarTypeNameMacro(this->OutputScalarType))
     << "\n";
}
