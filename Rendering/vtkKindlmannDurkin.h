/**
 * @class   vtkKindlmannDurkin
 * @brief   Semi-automatic boundary transfer functions after Kindlmann and
 *          Durkin (1998): a scalar-opacity function and a 2D transfer
 *          function that emphasise boundaries.
 *
 * G. Kindlmann, J. W. Durkin, "Semi-automatic generation of transfer
 * functions for direct volume rendering", IEEE VolVis 1998. A boundary is
 * modelled as a step blurred by a Gaussian of width sigma; across it
 * g(x) = g_max exp(-x^2 / 2 sigma^2) and the second derivative along the
 * gradient h(x) = -(x / sigma^2) g(x), so the distance to the boundary is
 *   x = -sigma^2 h / g.
 * Steps (every derivative in mapper units, i.e. per average voxel):
 * 1. g = |grad f| and h = n . grad g (n = grad f / g: exactly the second
 *    directional derivative f_nn, since grad |grad f| = H n), both with
 *    vtkGradientMagnitudeFilter: g with Operator (default GAUSSIAN with
 *    Sigma = the mean spacing when Sigma <= 0), grad g with central
 *    differences of that smoothed g (smoothing it again would widen h and
 *    overestimate sigma by sqrt(3/2)).
 * 2. Voxels with g > GradientThreshold count (default: the low threshold of
 *    vtkAutoGradientOpacity on this g, GRID sampling: noise is not a
 *    boundary). Per value bin (NumberOfValueBins over the finite range):
 *    mean g(v), mean h(v).
 * 3. sigma = 2 max_v g(v) / (sqrt(e) (max_v h(v) - min_v h(v))), from the
 *    extremes h = -+ g_max e^(-1/2) / sigma at x = +-sigma; in average voxels.
 * 4. Position function p(v) = -sigma^2 h(v) / g(v); opacity
 *    o(v) = MaximumOpacity * max(0, 1 - |p(v)| / (BoundaryWidth sigma))
 *    (a tent, the paper's boundary emphasis function), 0 for bins with fewer
 *    than 10 voxels.
 * 5. 2D: p(v, g) = -sigma^2 h(v, g) / g with h(v, g) the mean h per bin of
 *    the shader's 2D axes ((f - fmin) / R, g / (0.25 R)); bins with fewer
 *    than 5 voxels use p(v); alpha = the same tent, 0 where g <= threshold.
 *    RGB from Color (grey ramp by default). The image is ready for
 *    vtkVolumeProperty::SetTransferFunction2D (see vtkTransferFunction2DBuilder
 *    for the axis convention).
 *
 * @sa vtkAutoGradientOpacity vtkTransferFunction2DBuilder
 */
#ifndef vtkKindlmannDurkin_h
#define vtkKindlmannDurkin_h

#include "GradientOpacityModule.h" // for export macro
#include "vtkObject.h"

class vtkColorTransferFunction;
class vtkImageData;
class vtkPiecewiseFunction;
class vtkTable;

class GRADIENTOPACITY_EXPORT vtkKindlmannDurkin : public vtkObject
{
public:
  static vtkKindlmannDurkin* New();
  vtkTypeMacro(vtkKindlmannDurkin, vtkObject);
  void PrintSelf(ostream& os, vtkIndent indent) override;

  ///@{
  /**
   * Input image (active point scalars, component 0).
   */
  void SetInputData(vtkImageData* image);
  vtkGetObjectMacro(Input, vtkImageData);
  ///@}

  ///@{
  /**
   * Derivative operator (vtkGradientMagnitudeFilter values; default
   * GAUSSIAN) and its sigma in world units (<= 0, default: mean spacing).
   */
  vtkSetClampMacro(Operator, int, 0, 2);
  vtkGetMacro(Operator, int);
  vtkSetMacro(Sigma, double);
  vtkGetMacro(Sigma, double);
  ///@}

  ///@{
  /**
   * Bins along value and gradient. Defaults 256, 256.
   */
  vtkSetClampMacro(NumberOfValueBins, int, 8, 65536);
  vtkGetMacro(NumberOfValueBins, int);
  vtkSetClampMacro(NumberOfGradientBins, int, 8, 65536);
  vtkGetMacro(NumberOfGradientBins, int);
  ///@}

  ///@{
  /**
   * Half width of the tent in units of the estimated sigma (default 1) and
   * its height (default 0.3).
   */
  vtkSetClampMacro(BoundaryWidth, double, 1e-3, 1e3);
  vtkGetMacro(BoundaryWidth, double);
  vtkSetClampMacro(MaximumOpacity, double, 0.0, 1.0);
  vtkGetMacro(MaximumOpacity, double);
  ///@}

  ///@{
  /**
   * Gradients at or below this (mapper units) are not boundaries. Negative
   * (default): automatic (see the class description).
   */
  vtkSetMacro(GradientThreshold, double);
  vtkGetMacro(GradientThreshold, double);
  ///@}

  ///@{
  /**
   * Per-value means are weighted by g^GradientWeighting: 0 is the paper's
   * plain mean over all counted voxels; 1 (default) lets boundary voxels
   * outweigh the noise voxels just above the threshold that share their
   * value (see the project notes for the measurement).
   */
  vtkSetClampMacro(GradientWeighting, double, 0.0, 8.0);
  vtkGetMacro(GradientWeighting, double);
  ///@}

  ///@{
  /**
   * Colour of the 2D transfer function. Default nullptr (grey ramp).
   */
  void SetColor(vtkColorTransferFunction* f);
  vtkGetObjectMacro(Color, vtkColorTransferFunction);
  ///@}

  /**
   * Compute everything. Returns 1 on success, 0 (with an error) otherwise.
   */
  int Update();

  ///@{
  /**
   * Results of Update(): sigma (average voxels), the gradient threshold used
   * (mapper units), the scalar-opacity function, the 2D transfer function
   * and a per-value table ("Value", "Count", "MeanGradient",
   * "MeanSecondDerivative", "Position", "Opacity").
   */
  vtkGetMacro(BoundarySigma, double);
  vtkGetMacro(UsedGradientThreshold, double);
  vtkPiecewiseFunction* GetScalarOpacity();
  vtkImageData* GetTransferFunction2D();
  vtkTable* GetTable();
  ///@}

protected:
  vtkKindlmannDurkin();
  ~vtkKindlmannDurkin() override;

  vtkImageData* Input;
  vtkColorTransferFunction* Color;
  int Operator;
  double Sigma;
  int NumberOfValueBins;
  int NumberOfGradientBins;
  double BoundaryWidth;
  double MaximumOpacity;
  double GradientThreshold;
  double GradientWeighting;
  double BoundarySigma;
  double UsedGradientThreshold;
  vtkPiecewiseFunction* ScalarOpacity;
  vtkImageData* TransferFunction2D;
  vtkTable* Table;

private:
  vtkKindlmannDurkin(const vtkKindlmannDurkin&) = delete;
  void operator=(const vtkKindlmannDurkin&) = delete;
};

#endif
