/**
 * @class   vtkPAutoGradientOpacity
 * @brief   vtkAutoGradientOpacity for pipelines that run in pieces (MPI
 *          pvbatch / pvserver): global statistics, tables for a spreadsheet.
 *
 * Input: a vtkImageData. Output port 0: a vtkTable of the control points of
 * the automatic gradient-opacity function (columns "GradientMapper" = x in
 * mapper units, "GradientPhysical" = x / mean spacing, "Opacity") with every
 * statistic of vtkAutoGradientOpacity as a one-value FieldData array
 * ("NoiseFloor", "LowThreshold", "HighThreshold", "EdgeStrength",
 * "GradientScale", "ScalarRange", ...). Output port 1: the histogram table of
 * vtkAutoGradientOpacity (port 1). GetGradientOpacityFunction() holds the
 * function itself (on every rank) after an update.
 *
 * Two execution routes. STATUS: the reduced route is experimental and OFF
 * by default (Distributed = 0): in ParaView 5.11 pvbatch the upstream
 * source's executive re-converts the piece request with its own split (ranks
 * got quarter volumes for 2 pieces), so the owned extents computed here are
 * not covered and the filter reports an error. The whole route is the
 * default and gives the serial result on every rank.
 *
 * - Reduced (Sampling GRID and more than one piece requested, with a
 *   controller of as many processes as pieces): each rank requests only its
 *   piece (vtkExtentTranslator block split of the whole extent by the
 *   requested piece number), padded by the gradient stencil radius, computes
 *   the gradient magnitude there with vtkGradientMagnitudeFilter (or takes
 *   GradientArrayName), bins only the voxels it owns, and the histograms are
 *   summed with vtkMultiProcessController::AllReduce. The scalar range is
 *   reduced with MIN/MAX; the MAD noise cross-check gathers the same sampled
 *   first differences the serial kernel uses (same global enumeration and
 *   stride) to rank 0 for the two medians, then broadcasts sigma. Thresholds
 *   and curve are computed identically on every rank from the reduced
 *   histogram. With unit weights (no mask, or a 0/1 mask) the counts are
 *   integers, so the reduction is exact and the control points are bitwise
 *   those of a serial vtkAutoGradientOpacity with Sampling GRID.
 * - Whole (Sampling SUBVOXEL, one piece, or no controller): every rank
 *   requests the whole extent and runs vtkAutoGradientOpacity itself (the
 *   sub-voxel sample positions are drawn over the whole volume, which the
 *   kernel cannot split). Identical results, no speed-up.
 *
 * With several pieces only piece 0 fills the two output tables (so that a
 * gather of all ranks shows one copy); the function is set on every rank.
 *
 * Not supported here: the scalar-opacity weight of vtkAutoGradientOpacity
 * (weighted sums would not be order-independent across ranks).
 *
 * @sa vtkAutoGradientOpacity vtkGradientMagnitudeFilter vtkMultiProcessController
 */
#ifndef vtkPAutoGradientOpacity_h
#define vtkPAutoGradientOpacity_h

#include "GradientOpacityParallelModule.h" // for export macro
#include "vtkTableAlgorithm.h"

class vtkMultiProcessController;
class vtkPiecewiseFunction;
class vtkVolumeProperty;

class GRADIENTOPACITYPARALLEL_EXPORT vtkPAutoGradientOpacity : public vtkTableAlgorithm
{
public:
  static vtkPAutoGradientOpacity* New();
  vtkTypeMacro(vtkPAutoGradientOpacity, vtkTableAlgorithm);
  void PrintSelf(ostream& os, vtkIndent indent) override;

  ///@{
  /**
   * Options of vtkAutoGradientOpacity (same meaning, defaults and clamps).
   */
  vtkSetClampMacro(Operator, int, 0, 2);
  vtkGetMacro(Operator, int);
  vtkSetMacro(Sigma, double);
  vtkGetMacro(Sigma, double);
  vtkSetClampMacro(EdgeMode, int, 0, 1);
  vtkGetMacro(EdgeMode, int);
  vtkSetStringMacro(GradientArrayName);
  vtkGetStringMacro(GradientArrayName);
  vtkSetStringMacro(MaskArrayName);
  vtkGetStringMacro(MaskArrayName);
  vtkSetClampMacro(NoiseMultiplier, double, 0.0, 1.0e6);
  vtkGetMacro(NoiseMultiplier, double);
  vtkSetClampMacro(MinimumOpacity, double, 0.0, 1.0);
  vtkGetMacro(MinimumOpacity, double);
  vtkSetClampMacro(Sampling, int, 0, 1);
  vtkGetMacro(Sampling, int);
  vtkSetClampMacro(NumberOfThreads, int, 0, 1024);
  vtkGetMacro(NumberOfThreads, int);
  vtkSetClampMacro(NumberOfSamples, vtkIdType, 0, VTK_ID_MAX);
  vtkGetMacro(NumberOfSamples, vtkIdType);
  vtkSetMacro(RandomSeed, int);
  vtkGetMacro(RandomSeed, int);
  vtkSetClampMacro(NumberOfBins, int, 1024, 1 << 20);
  vtkGetMacro(NumberOfBins, int);
  vtkSetClampMacro(DynamicRange, double, 10.0, 1.0e12);
  vtkGetMacro(DynamicRange, double);
  vtkSetClampMacro(HistogramSmoothing, double, 0.0, 1000.0);
  vtkGetMacro(HistogramSmoothing, double);
  vtkSetClampMacro(NumberOfRampPoints, int, 1, 1024);
  vtkGetMacro(NumberOfRampPoints, int);
  ///@}

  ///@{
  /**
   * Controller of the reduction. Default: the global controller (may be
   * nullptr, then the whole route is used).
   */
  void SetController(vtkMultiProcessController*);
  vtkGetObjectMacro(Controller, vtkMultiProcessController);
  ///@}

  ///@{
  /**
   * Allow the reduced route (default off, experimental: see above). Off: every rank computes on the
   * whole image (the reference the MPI tests compare against).
   */
  vtkSetMacro(Distributed, vtkTypeBool);
  vtkGetMacro(Distributed, vtkTypeBool);
  vtkBooleanMacro(Distributed, vtkTypeBool);
  ///@}

  /**
   * 1 when the last update used the reduced route.
   */
  vtkGetMacro(LastRunReduced, int);

  /**
   * The automatic gradient-opacity function of the last update (x in mapper
   * units), on every rank.
   */
  vtkPiecewiseFunction* GetGradientOpacityFunction();

  /**
   * As vtkAutoGradientOpacity::ApplyTo(vtkVolumeProperty*, int).
   */
  void ApplyTo(vtkVolumeProperty* property, int component = 0);

protected:
  vtkPAutoGradientOpacity();
  ~vtkPAutoGradientOpacity() override;

  int FillInputPortInformation(int port, vtkInformation* info) override;
  int RequestUpdateExtent(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;
  int RequestData(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;

  int Operator;
  double Sigma;
  int EdgeMode;
  char* GradientArrayName;
  char* MaskArrayName;
  double NoiseMultiplier;
  double MinimumOpacity;
  int Sampling;
  int NumberOfThreads;
  vtkIdType NumberOfSamples;
  int RandomSeed;
  int NumberOfBins;
  double DynamicRange;
  double HistogramSmoothing;
  int NumberOfRampPoints;
  vtkMultiProcessController* Controller;
  vtkTypeBool Distributed;
  int LastRunReduced;

private:
  vtkPAutoGradientOpacity(const vtkPAutoGradientOpacity&) = delete;
  void operator=(const vtkPAutoGradientOpacity&) = delete;

  struct Internals;
  Internals* Internal;
};

#endif
