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
 * Two execution routes.
 *
 * - Reduced (default under MPI: Distributed on, Sampling GRID, more than one
 *   piece requested, a controller of as many processes as pieces): each rank
 *   asks its input for piece p of N of the WHOLE extent with ghost levels of
 *   the gradient stencil radius (at least 1), and the upstream decides the
 *   split. (Asking for the piece's own padded extent does not work: the
 *   executive of a source that can produce sub-extents splits the requested
 *   UPDATE_EXTENT into the piece again, so ranks got quarter volumes at 2
 *   ranks.) Ownership is derived from what arrived: the valid region is the
 *   received extent minus the stencil radius on every side not on the
 *   whole-extent border; the valid regions of all ranks are all-gathered and
 *   a voxel belongs to the lowest rank whose valid region contains it, so
 *   each voxel is counted exactly once whatever the split (pieces share
 *   their boundary point layer and ghosts). A global count check rejects a
 *   split that leaves voxels uncovered (error, no result). Each rank
 *   computes the gradient magnitude on its received extent with
 *   vtkGradientMagnitudeFilter (or takes GradientArrayName) and bins its
 *   owned voxels; the histograms are summed with
 *   vtkMultiProcessController::AllReduce. The scalar range is reduced with
 *   MIN/MAX; the MAD noise cross-check gathers the same sampled first
 *   differences the serial kernel uses (same global enumeration and stride,
 *   a pair belongs to the owner of its first voxel) to rank 0 for the two
 *   medians (order statistics, so independent of the gather order), then
 *   broadcasts sigma. Thresholds and curve are computed identically on every
 *   rank from the reduced histogram. With unit weights (no mask, or a 0/1
 *   mask) the counts are integers, so the reduction is exact and the control
 *   points are bitwise those of a serial vtkAutoGradientOpacity with
 *   Sampling GRID (tested at 1, 2 and 3 ranks). Environment variable
 *   GO_PAUTO_DEBUG=1 prints each rank's requested, received, valid and owned
 *   extents.
 * - Whole (Sampling SUBVOXEL, Distributed off, one piece, or no controller):
 *   every rank requests the whole extent and runs vtkAutoGradientOpacity
 *   itself (the sub-voxel sample positions are a random sequence over the
 *   whole volume, which the kernel cannot split). Identical results, no
 *   speed-up.
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
   * Allow the reduced route (default on; used with Sampling GRID under MPI, see above). Off: every
   * rank computes on the whole image.
   */
  vtkSetMacro(Distributed, vtkTypeBool);
  vtkGetMacro(Distributed, vtkTypeBool);
  vtkBooleanMacro(Distributed, vtkTypeBool);
  ///@}

  ///@{
  /**
   * Scalar-opacity function used as a weight, as
   * vtkAutoGradientOpacity::SetScalarOpacity. Default nullptr.
   */
  void SetScalarOpacity(vtkPiecewiseFunction* function);
  vtkGetObjectMacro(ScalarOpacity, vtkPiecewiseFunction);
  ///@}

  /**
   * 1 when the last update used the reduced route.
   */
  vtkGetMacro(LastRunReduced, int);

  /**
   * The largest share of the whole extent's voxels (ghost layers included)
   * any rank received in the last update: 1 in the whole route, about
   * 1/N plus ghosts in the reduced route.
   */
  double GetLargestPieceFraction();

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
  vtkPiecewiseFunction* ScalarOpacity;
  vtkTypeBool Distributed;
  int LastRunReduced;

private:
  vtkPAutoGradientOpacity(const vtkPAutoGradientOpacity&) = delete;
  void operator=(const vtkPAutoGradientOpacity&) = delete;

  struct Internals;
  Internals* Internal;
};

#endif
