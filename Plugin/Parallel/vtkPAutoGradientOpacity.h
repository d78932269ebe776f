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
 * Two execution routes; the statistics say which one ran (field data
 * "Route": "reduced" or "whole", "ReducedOverRanks": N or 0) and the largest
 * share of the whole extent's voxels any rank received, ghosts included
 * ("LargestPieceFraction", GetLargestPieceFraction()).
 *
 * - Reduced (default under MPI: Distributed on, more than one piece
 *   requested, a controller of as many processes as pieces; both samplings,
 *   except GRID with a scalar-opacity weight; every renderer profile, with
 *   the route gradientopacity::RouteFor gives it, as the serial class
 *   applies it): each rank asks its input for
 *   its piece p of N of the whole extent (vtkExtentTranslator, block mode)
 *   padded by G layers, as one piece of 0 ghost levels (so that the
 *   executive adds no vtkGhostType arrays, which would double the bytes of
 *   a uint16 piece). G: the gradient stencil radius Pad (at
 *   least 1); with Sampling SUBVOXEL max(Pad + 1, 3), since a sample in cell
 *   c reads voxels c - 2 .. c + 3 (the six trilinear reads at
 *   p +- N_i/(N_i - 1) voxels) or c .. c + 1 of a magnitude. Ownership is
 *   derived from what arrived. Voxels (GRID histogram, MAD pairs): the valid
 *   region is the received extent minus Pad on every side not on the
 *   whole-extent border; cells (SUBVOXEL): the cells whose reads the
 *   received extent holds (exact magnitude: Pad layers inside). Valid boxes
 *   are all-gathered and a voxel or cell belongs to the lowest rank whose
 *   box contains it, so each is counted exactly once whatever the split; a
 *   global count check rejects a split that leaves some uncovered (error,
 *   no result).
 *   GRID: each rank computes the gradient magnitude on its received extent
 *   with vtkGradientMagnitudeFilter (or takes GradientArrayName) and bins
 *   its owned voxels. SUBVOXEL: the sample sequence of the serial class
 *   (n, RandomSeed; each position a function of the sample index only,
 *   the cells non-decreasing along it) is cut by bisection into the
 *   samples whose cells the rank owns, which it draws from its piece
 *   (go_ao_subvoxel_samples_piece: the same arithmetic as on the whole
 *   image); every sample is drawn exactly once over the ranks (checked).
 *   Histograms with unit weights (no scalar-opacity function; a 0/1 mask)
 *   hold integers and are summed with vtkMultiProcessController::AllReduce,
 *   exact in any order. With a scalar-opacity weight (SUBVOXEL) the owned
 *   samples (index, g, w) are gathered to rank 0, put back in sequence
 *   order and binned in the serial class's chunks of 8192 samples added in
 *   chunk order: the serial sums bit for bit, independent of rank count
 *   and order; n values travel, not the volume. The scalar range is
 *   reduced with MIN/MAX; the MAD noise cross-check gathers the same
 *   sampled first differences the serial kernel uses (same global
 *   enumeration and stride, a pair belongs to the owner of its first voxel)
 *   to rank 0 for the two medians (order statistics, so independent of the
 *   gather order), then broadcasts sigma; its unit-noise calibration is
 *   drawn on every rank as the serial class draws it. Thresholds and curve
 *   are computed identically on every rank from the reduced histogram. The
 *   control points and every statistic are bitwise those of a serial
 *   vtkAutoGradientOpacity (tested at 1 to 4 ranks).
 * - Whole (Distributed off, one piece, no controller, or GRID with a
 *   scalar-opacity weight, whose per-voxel float weights the serial class
 *   sums in voxel order): every rank requests the whole extent and runs
 *   vtkAutoGradientOpacity itself. Identical results, no division of work.
 *
 * With several pieces only piece 0 fills the two output tables (so that a
 * gather of all ranks shows one copy); the function is set on every rank.
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
  ///@}

  ///@{
  /**
   * vtkAutoGradientOpacity::Renderer (default VTK_GPU). Every profile takes
   * the reduced route, with the serial class's own route settings
   * (vtkGradientOpacityRoute.h: sampler spacing, units, sampling, edge rule,
   * 8-bit levels); the CPU profiles sample the grid, so with a
   * scalar-opacity weight they take the whole route.
   */
  vtkSetClampMacro(Renderer, int, 0, 4);
  vtkGetMacro(Renderer, int);
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
   * Allow the reduced route (default on; used under MPI, see above). Off:
   * every rank computes on the whole image.
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
  int Renderer;
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
