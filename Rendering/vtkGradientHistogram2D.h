/**
 * @class   vtkGradientHistogram2D
 * @brief   Joint value x gradient-magnitude histogram on the axes of the GPU
 *          mapper's 2D transfer function.
 *
 * Output: a W x H x 1 vtkImageData with a double point array "Count". Bin
 * (i, j) counts samples with s = (f - fmin) / R in [i/W, (i+1)/W) and y in
 * [j/H, (j+1)/H), both clamped to [0, 1] as the shader clamps them, where
 * R = fmax - fmin is the finite range of the input array and
 * - y = g / (0.25 R), g the gradient magnitude in mapper units (the
 *   shader's own gradient), or
 * - with GradientArrayName, y = (a - amin) / (amax - amin) of that array
 *   (the convention of vtkGPUVolumeRayCastMapper::SetTransfer2DYAxisArray).
 * So bin (i, j) is texel (i, j) of a vtkTransferFunction2DBuilder image of
 * the same size. Output origin and spacing are in data units (bin centres
 * of f and of g or a).
 *
 * Sampling SUBVOXEL (default): random positions with the shader's central
 * differences of the trilinear interpolant (or the interpolated array),
 * as in vtkAutoGradientOpacity; GRID: every voxel, central differences
 * (vtkGradientMagnitudeFilter, mapper units) or the array.
 *
 * @sa vtkAutoGradientOpacity vtkTransferFunction2DBuilder
 */
#ifndef vtkGradientHistogram2D_h
#define vtkGradientHistogram2D_h

#include "GradientOpacityModule.h" // for export macro
#include "vtkImageAlgorithm.h"

class GRADIENTOPACITY_EXPORT vtkGradientHistogram2D : public vtkImageAlgorithm
{
public:
  static vtkGradientHistogram2D* New();
  vtkTypeMacro(vtkGradientHistogram2D, vtkImageAlgorithm);
  void PrintSelf(ostream& os, vtkIndent indent) override;

  ///@{
  /**
   * Number of bins along the value (x) and gradient (y) axes. Default
   * 256 x 256.
   */
  vtkSetVector2Macro(NumberOfBins, int);
  vtkGetVector2Macro(NumberOfBins, int);
  ///@}

  ///@{
  /**
   * 0 = GRID, 1 = SUBVOXEL (default), as in vtkAutoGradientOpacity.
   */
  vtkSetClampMacro(Sampling, int, 0, 1);
  vtkGetMacro(Sampling, int);
  ///@}

  ///@{
  /**
   * Optional y-axis array (e.g. a precomputed magnitude). Default nullptr.
   */
  vtkSetStringMacro(GradientArrayName);
  vtkGetStringMacro(GradientArrayName);
  ///@}

  ///@{
  /**
   * SUBVOXEL samples (0: the number of voxels clamped to [65536, 2097152])
   * and seed.
   */
  vtkSetClampMacro(NumberOfSamples, vtkIdType, 0, VTK_ID_MAX);
  vtkGetMacro(NumberOfSamples, vtkIdType);
  vtkSetMacro(RandomSeed, int);
  vtkGetMacro(RandomSeed, int);
  ///@}

  ///@{
  /**
   * After Update(): the finite scalar range and the y-axis range in data
   * units ([0, 0.25 R] or the array's finite range).
   */
  vtkGetVector2Macro(ScalarRange, double);
  vtkGetVector2Macro(YAxisRange, double);
  ///@}

protected:
  vtkGradientHistogram2D();
  ~vtkGradientHistogram2D() override;

  int RequestInformation(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;
  int RequestUpdateExtent(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;
  int RequestData(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;

  int NumberOfBins[2];
  int Sampling;
  char* GradientArrayName;
  vtkIdType NumberOfSamples;
  int RandomSeed;
  double ScalarRange[2];
  double YAxisRange[2];

private:
  vtkGradientHistogram2D(const vtkGradientHistogram2D&) = delete;
  void operator=(const vtkGradientHistogram2D&) = delete;
};

#endif
