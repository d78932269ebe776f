/**
 * @file vtkGradientOpacityInputArray.h
 * @brief Private helper shared by the module's algorithms: the active point
 * scalars when no input array is named.
 *
 * ParaView's array selector holds [None, ''] when a script creates a filter
 * before its input has executed, and then calls SetInputArrayToProcess with
 * an empty name; VTK finds no array of that name. An empty selection means
 * "nothing chosen", so the algorithms fall back to the active point scalars,
 * as they do by default. A name that does not exist is still an error.
 *
 * Not installed and not wrapped; header-only, so that the Parallel module can
 * use it without new exported symbols.
 */
#ifndef vtkGradientOpacityInputArray_h
#define vtkGradientOpacityInputArray_h

#include "vtkAlgorithm.h"
#include "vtkDataArray.h"
#include "vtkDataObject.h"
#include "vtkDataSet.h"
#include "vtkDataSetAttributes.h"
#include "vtkInformation.h"
#include "vtkPointData.h"

namespace gradientopacity
{
/// True when the selection `idx` of `algorithm` names no array: no name or an
/// empty one, and no attribute type.
inline bool SelectionIsUnnamed(vtkAlgorithm* algorithm, int idx)
{
  vtkInformation* info = algorithm->GetInputArrayInformation(idx);
  if (!info || info->Has(vtkDataObject::FIELD_ATTRIBUTE_TYPE()))
  {
    return false;
  }
  const char* name =
    info->Has(vtkDataObject::FIELD_NAME()) ? info->Get(vtkDataObject::FIELD_NAME()) : nullptr;
  return !name || !*name;
}

/// The active point scalars of `input` when the selection `idx` names no
/// array; nullptr otherwise. Call it when GetInputArrayToProcess found none.
inline vtkDataArray* ActiveScalarsIfUnnamed(vtkAlgorithm* algorithm, int idx, vtkDataSet* input)
{
  return input && SelectionIsUnnamed(algorithm, idx) ? input->GetPointData()->GetScalars()
                                                     : nullptr;
}

/// The pipeline information of the active point scalars (RequestInformation's
/// counterpart of ActiveScalarsIfUnnamed), from the input's information.
inline vtkInformation* ActiveScalarsInformationIfUnnamed(
  vtkAlgorithm* algorithm, int idx, vtkInformation* inInfo)
{
  return inInfo && SelectionIsUnnamed(algorithm, idx)
    ? vtkDataObject::GetActiveFieldInformation(
        inInfo, vtkDataObject::FIELD_ASSOCIATION_POINTS, vtkDataSetAttributes::SCALARS)
    : nullptr;
}
}

#endif
// VTK-HeaderTest-Exclude: vtkGradientOpacityInputArray.h
