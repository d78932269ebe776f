/**
 * @class   vtkGradientMagnitudeFilter
 * @brief   Gradient magnitude of an image, promoted to floating point, in
 *          per-world-unit or volume-mapper units.
 *
 * vtkGradientMagnitudeFilter computes |grad f| of a point-data array of a
 * vtkImageData. Unlike vtkImageGradientMagnitude it never writes the input's
 * integer type (a uint8 magnitude of 1321.8 stays 1321.8, it does not wrap
 * to 41), it is 3D by default, and its units are stated:
 *
 * - Units Physical (default): scalar units per world unit (e.g. HU/mm).
 * - Units Mapper: the physical value times the mean of the three spacings,
 *   i.e. scalar units per average voxel: the x-axis of the gradient-opacity
 *   function of VTK's GPU and fixed-point volume ray cast mappers.
 * - Units Index: per voxel step on every axis, sqrt(sum_i (h_i df/dx_i)^2):
 *   the x-axis when the mapper gets the voxel array with spacing 1 and the
 *   geometry on the actor (3D Slicer's GPU ray casting).
 *
 * Output scalar type: VTK_FLOAT by default; VTK_DOUBLE automatically for
 * double, (unsigned) int, (unsigned) long long and id-type input;
 * SetOutputScalarType(VTK_FLOAT | VTK_DOUBLE) overrides both.
 *
 * Operators: central difference (VTK's stencil), Sobel (normalised so that a
 * unit ramp gives 1; SobelScaleToScipy gives scipy.ndimage.sobel's raw
 * values), and Gaussian derivative with Sigma in world units, truncated at
 * Truncate * sigma (default 4, like scipy). Edge modes: EdgeCopy (the missing
 * neighbour is the edge voxel itself, as in VTK, ITK and scipy 'nearest') or
 * OneSided (a full one-sided difference, as numpy.gradient and VTK's
 * fixed-point mapper). See Filters/Kernels/go_gradient.h for every formula.
 *
 * Dimensionality defaults to 3. When the whole extent is one voxel thick
 * along z the filter computes in 2D whatever Dimensionality says (the z
 * derivative of a single slice is 0 in either case).
 *
 * The input array is chosen with SetInputArrayToProcess (default: the active
 * point scalars). For multi-component arrays, Component selects one
 * component; Component = -1 (default) gives the Frobenius norm of the
 * Jacobian, sqrt(sum_c |grad f_c|^2), which is |grad f| for one component.
 *
 * The output holds the input's point arrays (cropped to the output extent),
 * plus a new array "<input name>_GradientMagnitude" set as active scalars,
 * and with ComputeGradientVector a 3-component "<input name>_Gradient" in
 * world axes (the magnitude is invariant under a rotation of the grid). The
 * direction matrix, origin and spacing of the input are kept. A
 * non-orthonormal direction matrix is handled exactly (the index-space
 * gradient is mapped by its inverse transpose).
 *
 * NaN or Inf values only affect output voxels whose stencil covers them.
 *
 * Parallel through vtkMultiThreader (the SMP path is disabled because
 * ParaView builds VTK with the sequential SMP backend). Pieces: the filter
 * can produce sub-extents; the input request is padded by the stencil radius
 * (1, or the Gaussian radius), so streamed and threaded results are bitwise
 * identical to a whole update.
 *
 * Errors (no scalars, empty extent, zero/negative/non-finite spacing,
 * unsupported type, non-positive sigma, singular direction matrix) are
 * reported with vtkErrorMacro and give an empty output.
 *
 * @sa vtkImageGradientMagnitude vtkImageGradient
 */
#ifndef vtkGradientMagnitudeFilter_h
#define vtkGradientMagnitudeFilter_h

#include "GradientOpacityModule.h" // for export macro
#include "vtkThreadedImageAlgorithm.h"

class GRADIENTOPACITY_EXPORT vtkGradientMagnitudeFilter : public vtkThreadedImageAlgorithm
{
public:
  static vtkGradientMagnitudeFilter* New();
  vtkTypeMacro(vtkGradientMagnitudeFilter, vtkThreadedImageAlgorithm);
  void PrintSelf(ostream& os, vtkIndent indent) override;

  enum OperatorType
  {
    CENTRAL_DIFFERENCE = 0,
    SOBEL = 1,
    GAUSSIAN = 2
  };

  enum EdgeModeType
  {
    EDGE_COPY = 0,
    ONE_SIDED = 1
  };

  enum UnitsType
  {
    PHYSICAL = 0,
    MAPPER = 1,
    INDEX = 2
  };

  ///@{
  /**
   * Derivative operator. Default CENTRAL_DIFFERENCE.
   */
  vtkSetClampMacro(Operator, int, CENTRAL_DIFFERENCE, GAUSSIAN);
  vtkGetMacro(Operator, int);
  void SetOperatorToCentralDifference() { this->SetOperator(CENTRAL_DIFFERENCE); }
  void SetOperatorToSobel() { this->SetOperator(SOBEL); }
  void SetOperatorToGaussian() { this->SetOperator(GAUSSIAN); }
  ///@}

  ///@{
  /**
   * Edge rule of the derivative axis. Default EDGE_COPY. Ignored by GAUSSIAN,
   * which always replicates the edge voxel (scipy mode 'nearest').
   */
  vtkSetClampMacro(EdgeMode, int, EDGE_COPY, ONE_SIDED);
  vtkGetMacro(EdgeMode, int);
  void SetEdgeModeToEdgeCopy() { this->SetEdgeMode(EDGE_COPY); }
  void SetEdgeModeToOneSided() { this->SetEdgeMode(ONE_SIDED); }
  ///@}

  ///@{
  /**
   * Units of the result. Default PHYSICAL (per world unit). MAPPER: per
   * average voxel (VTK's mappers fed the image as it is). INDEX: scalar
   * units per voxel step on every axis, sqrt(sum_i (h_i df/dx_i)^2), the
   * units of a mapper fed the voxel array with spacing 1 and the geometry on
   * the actor (3D Slicer's GPU route); the direction matrix is not applied
   * (the gradient vector stays on the index axes).
   */
  vtkSetClampMacro(Units, int, PHYSICAL, INDEX);
  vtkGetMacro(Units, int);
  void SetUnitsToPhysical() { this->SetUnits(PHYSICAL); }
  void SetUnitsToMapper() { this->SetUnits(MAPPER); }
  void SetUnitsToIndex() { this->SetUnits(INDEX); }
  ///@}

  ///@{
  /**
   * Standard deviation of the Gaussian operator, in world units. Default 1.
   */
  vtkSetMacro(Sigma, double);
  vtkGetMacro(Sigma, double);
  ///@}

  ///@{
  /**
   * Gaussian kernel radius in standard deviations: r = (int)(Truncate *
   * Sigma / spacing + 0.5) voxels per axis. Default 4 (scipy's default).
   */
  vtkSetClampMacro(Truncate, double, 0.5, 32.0);
  vtkGetMacro(Truncate, double);
  ///@}

  ///@{
  /**
   * Sobel scale: off (default) normalises so that a unit ramp gives 1 per
   * world unit; on returns scipy.ndimage.sobel's raw stencil sums (per voxel,
   * not divided by spacing): scipy = normalised * 2h * 16 in 3D.
   */
  vtkSetMacro(SobelScaleToScipy, vtkTypeBool);
  vtkGetMacro(SobelScaleToScipy, vtkTypeBool);
  vtkBooleanMacro(SobelScaleToScipy, vtkTypeBool);
  ///@}

  ///@{
  /**
   * 2 or 3. Default 3.
   */
  vtkSetClampMacro(Dimensionality, int, 2, 3);
  vtkGetMacro(Dimensionality, int);
  ///@}

  ///@{
  /**
   * Component of a multi-component input; -1 (default) means the Frobenius
   * norm of the Jacobian over all components.
   */
  vtkSetMacro(Component, int);
  vtkGetMacro(Component, int);
  ///@}

  ///@{
  /**
   * Also output the gradient vector (3 components, world axes, same units).
   * Default off. Not available with the Jacobian of a multi-component input.
   */
  vtkSetMacro(ComputeGradientVector, vtkTypeBool);
  vtkGetMacro(ComputeGradientVector, vtkTypeBool);
  vtkBooleanMacro(ComputeGradientVector, vtkTypeBool);
  ///@}

  ///@{
  /**
   * Output scalar type: -1 (default, automatic), VTK_FLOAT or VTK_DOUBLE.
   */
  void SetOutputScalarType(int type);
  vtkGetMacro(OutputScalarType, int);
  void SetOutputScalarTypeToFloat() { this->SetOutputScalarType(VTK_FLOAT); }
  void SetOutputScalarTypeToDouble() { this->SetOutputScalarType(VTK_DOUBLE); }
  ///@}

  /**
   * The scalar type the output will have for an input array of this type.
   */
  int GetOutputScalarTypeFor(int inputType) const;

  /**
   * Radius (voxels) by which an input request is padded along an axis for
   * the given spacing. Public for pipelines that compute their own requests.
   */
  int GetStencilRadius(int axis, const double spacing[3]) const;

protected:
  vtkGradientMagnitudeFilter();
  ~vtkGradientMagnitudeFilter() override;

  int RequestInformation(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;
  int RequestUpdateExtent(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;
  int RequestData(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;
  void CopyAttributeData(vtkImageData* in, vtkImageData* out, vtkInformationVector** inputVector) override;
  void ThreadedRequestData(vtkInformation* request, vtkInformationVector** inputVector,
    vtkInformationVector* outputVector, vtkImageData*** inData, vtkImageData** outData,
    int outExt[6], int threadId) override;

  int Operator;
  int EdgeMode;
  int Units;
  double Sigma;
  double Truncate;
  vtkTypeBool SobelScaleToScipy;
  int Dimensionality;
  int Component;
  vtkTypeBool ComputeGradientVector;
  int OutputScalarType;

private:
  vtkGradientMagnitudeFilter(const vtkGradientMagnitudeFilter&) = delete;
  void operator=(const vtkGradientMagnitudeFilter&) = delete;

  struct Internals;
  Internals* Internal;
};

#endif
