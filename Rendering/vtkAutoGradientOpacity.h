/**
 * @class   vtkAutoGradientOpacity
 * @brief   Automatic gradient-opacity transfer function from gradient
 *          statistics, in the units VTK's volume mappers really use.
 *
 * Input port 0: a vtkImageData (the array to process, default the active
 * point scalars, is the array the volume mapper renders). Output port 0: a
 * vtkPiecewiseFunction, the gradient-opacity function with x in mapper
 * units. Output port 1: a vtkTable with the gradient histogram (columns
 * "BinCenterMapper", "BinCenterPhysical", "Count", "SmoothedCount") and the
 * statistics as one-value arrays of its FieldData, named like the getters
 * ("NoiseFloor", "LowThreshold", "HighThreshold", "EdgeStrength",
 * "GradientScale", "MeanSpacing", "ScalarRange", ...).
 *
 * @section units Units (checked against the VTK 9.2 sources)
 * vtkGPUVolumeRayCastMapper (vtkVolumeShaderComposer.h, computeGradient) and
 * vtkFixedPointVolumeRayCastMapper (ComputeGradients) both compute
 *   g = | ( (f(x+e_i) - f(x-e_i)) / (2 h_i / hbar) )_i |,  hbar = (h_x+h_y+h_z)/3,
 * i.e. |grad f| in scalar units per *average voxel* ("mapper units"; the
 * per-mm value times hbar), divide it by gmax = 0.25 * R (R = finite range of
 * the rendered array), clamp to [0, 1] and look the gradient-opacity function
 * up in a table sampled over [0, gmax] (GPU: 1024 linearly interpolated
 * entries; fixed point: g quantised to 8 bits, 256 entries). Every value
 * below is in these units; GetGradientScale() returns gmax. Details the
 * formula hides: the GPU steps 1/(N_i - 1) in texture coordinates that span
 * N_i texels, so it reads N_i/(N_i - 1) times the slope of a ramp (1.6 % for
 * 64 voxels); the fixed-point mapper uses half differences at the image edge
 * for 1-component (unsigned) char/short data and full one-sided differences
 * for other types. With vtkGPUVolumeRayCastMapper::
 * SetGradientOpacityRangeType(NATIVE) the table spans the function's own
 * range instead while the shader still divides by 0.25 * R: ApplyTo(vtkVolume*)
 * warns about it. These are the units of the image as it is (Renderer
 * VTK_GPU, PARAVIEW, and VTK_CPU / SLICER_CPU on the grid, 8-bit); 3D Slicer's
 * GPU route hands the mapper the voxel array with spacing 1, so there g is
 * per voxel step on every axis (Renderer SLICER_GPU; docs/renderers.md).
 *
 * @section algorithm Algorithm
 * 1. Samples g in mapper units. Sampling GRID: every voxel, g from
 *    vtkGradientMagnitudeFilter (Operator, Sigma, EdgeMode; Units MAPPER) or
 *    the precomputed array GradientArrayName. Sampling SUBVOXEL: n random
 *    positions p in the box of voxel centres, jittered-stratified in memory
 *    order (sample s in cell floor((s + u) C / n) of the C cells, u and the
 *    point in the cell (to 1/16384 voxel) from a hash of (RandomSeed, s):
 *    even coverage, cache friendly, identical for any thread count), at
 *    which, for the central-difference operator on raw scalars, g is
 *    computed exactly as the GPU shader does (central
 *    differences of the trilinear interpolant at p +- N_i/(N_i - 1) voxels,
 *    clamped to the box; float arithmetic for 8/16-bit scalars, eight
 *    samples at a time on CPUs with AVX2); for the other operators or a precomputed array the
 *    magnitude is trilinearly interpolated at p. n = NumberOfSamples, or
 *    (0, default) the number of voxels clamped to [65536, 262144]. The
 *    thresholds' seed-to-seed spread (12 seeds) on embryo.slc / headsq /
 *    MRHead is 3.9 / 4.7 / 2.6 % at 2^18 samples, 1.9 / 1.5 / 1.4 % at 2^20
 *    (4x the time): raise NumberOfSamples for steadier thresholds.
 *    Weights: ScalarOpacity(f(p)) when a scalar-opacity function is set
 *    (sampled over the scalar range, as the mappers do), times 0 outside
 *    the mask (MaskArrayName, nearest voxel, 0 = outside); NaN/Inf samples
 *    get weight 0 and R is the finite range.
 * 2. Weighted histogram of u = ln(g / gmax) with NumberOfBins (2048) bins
 *    over [-ln(DynamicRange), 0] (DynamicRange 1e5); g = 0 excluded; g > gmax
 *    in the last bin. Smoothed with a Gaussian of HistogramSmoothing (8) bins
 *    (4.5 % in g).
 * 3. Noise floor: the mode of the smoothed histogram over the bins below the
 *    weighted median of g (for white noise of std sigma seen through central
 *    differences on the grid, the mode of ln g is the RMS noise gradient
 *    sigma * sqrt(sum_i (hbar/h_i)^2 / 2)). Cross-check: the noise sigma of
 *    the raw scalars from first differences (at most 2^16 of them, evenly
 *    strided), sigma_MAD = 1.4826 median|d - median d| / sqrt 2, times the
 *    same mode measured on a synthetic unit white-noise image with the same
 *    spacing, operator and sampling (65536 sub-voxel samples), is the
 *    predicted floor P; the mode is clamped to
 *    [P/2, 2P] (no cross-check with a precomputed array, or when
 *    sigma_MAD = 0, e.g. quantised data with large flat regions).
 *    Low threshold = NoiseMultiplier (k) * noise floor, at most gmax/1.5.
 * 4. Edge strength: weighted median of g above the low threshold, clamped to
 *    [1.5 * low, gmax]; high threshold = edge strength.
 * 5. Curve: o(g) = m for g <= low, 1 for g >= high and, in between,
 *    m + (1 - m) * s(t), s(t) = 3t^2 - 2t^3, t = ln(g/low) / ln(high/low)
 *    (m = MinimumOpacity), emitted as explicit control points (0, m),
 *    (low, m), NumberOfRampPoints - 1 interior points, (high, 1), (gmax, 1),
 *    all with midpoint 0.5 and sharpness 0 (piecewise linear, so the curve
 *    survives (x, y)-only serialisation such as 3D Slicer's).
 * Default k = 2.0, chosen by measurement (Examples/Python/
 * measure_noise_multiplier.py, the phantom of the tests, GPU-exact ray
 * samples): k = 1.5 leaves only 92 % of the noise-only samples below opacity
 * 0.05; k = 2 gives 99 % of them below 0.05 and 99.95 % of the boundary
 * samples above 0.5; larger k loses boundaries (k = 3.5: 92 %).
 *
 * Default sampling SUBVOXEL, chosen by measurement (Examples/Python/
 * measure_sampling_prediction.py): the fraction of ray samples a step
 * gradient opacity keeps visible in GPU renders of a noisy block is predicted
 * to +-0.02 by SUBVOXEL statistics and only to +-0.47 by GRID statistics. The
 * fixed-point mapper computes g on the grid: use GRID with it (mean error
 * 0.11 vs 0.41).
 *
 * Guarantees (tested): the same curve for uint8 and float images of the same
 * values; a uniform scale of the spacing does not change the curve;
 * f -> a f + b scales every x by |a|; a constant image gives a flat 1.0 and a
 * warning; NaNs are skipped.
 *
 * @sa vtkGradientMagnitudeFilter vtkVolumeProperty vtkGPUVolumeRayCastMapper
 */
#ifndef vtkAutoGradientOpacity_h
#define vtkAutoGradientOpacity_h

#include "GradientOpacityModule.h" // for export macro
#include "vtkAlgorithm.h"

class vtkImageData;
class vtkPiecewiseFunction;
class vtkTable;
class vtkVolume;
class vtkVolumeProperty;

class GRADIENTOPACITY_EXPORT vtkAutoGradientOpacity : public vtkAlgorithm
{
public:
  static vtkAutoGradientOpacity* New();
  vtkTypeMacro(vtkAutoGradientOpacity, vtkAlgorithm);
  void PrintSelf(ostream& os, vtkIndent indent) override;

  enum SamplingType
  {
    GRID = 0,
    SUBVOXEL = 1
  };

  /**
   * Renderer profiles: the route by which a renderer computes the gradient
   * that indexes its gradient-opacity function (see Renderer).
   */
  enum RendererType
  {
    VTK_GPU = 0,
    VTK_CPU = 1,
    SLICER_GPU = 2,
    SLICER_CPU = 3,
    PARAVIEW = 4
  };

  ///@{
  /**
   * Input image (port 0).
   */
  void SetInputData(vtkImageData* image);
  ///@}

  ///@{
  /**
   * Outputs: the gradient-opacity function (port 0) and the statistics
   * table (port 1). Valid after Update().
   */
  vtkPiecewiseFunction* GetGradientOpacityFunction();
  vtkTable* GetStatisticsTable();
  ///@}

  ///@{
  /**
   * The renderer the curve is for. It fixes the gradient the statistics
   * sample and the units of every x (thresholds, control points, table):
   * - VTK_GPU (default): vtkGPUVolumeRayCastMapper fed the image as it is;
   *   mapper units (per average voxel); Sampling, Operator and EdgeMode as
   *   set (their defaults are the shader's).
   * - PARAVIEW: ParaView's volume representation (the same GPU mapper fed
   *   the image as it is): as VTK_GPU.
   * - SLICER_GPU: 3D Slicer's GPU ray casting, which hands the mapper the
   *   voxel array with spacing 1, origin 0, identity direction and puts
   *   the IJK-to-RAS matrix on the actor: the shader's differences are per
   *   voxel step on every axis (scalar units per voxel, spacing ignored);
   *   the statistics use spacing (1, 1, 1) (vtkGradientMagnitudeFilter
   *   Units INDEX for the other operators); Sampling as set.
   * - VTK_CPU: vtkFixedPointVolumeRayCastMapper: grid gradients in mapper
   *   units quantised to 8 bits over [0, 0.25 R] (round(g 255 / gmax)),
   *   half differences at the image edges for one-component char,
   *   unsigned char, short and unsigned short data, full one-sided ones for
   *   the other types; Sampling and EdgeMode are ignored (GRID and that
   *   rule).
   * - SLICER_CPU: 3D Slicer's CPU ray casting, the fixed-point mapper with
   *   the spacing restored (vtkImageChangeInformation SpacingScale): as
   *   VTK_CPU.
   * GetRendererName() gives "vtk-gpu", "vtk-cpu", "slicer-gpu",
   * "slicer-cpu" or "paraview".
   */
  vtkSetClampMacro(Renderer, int, VTK_GPU, PARAVIEW);
  vtkGetMacro(Renderer, int);
  void SetRendererToVTKGPU() { this->SetRenderer(VTK_GPU); }
  void SetRendererToVTKCPU() { this->SetRenderer(VTK_CPU); }
  void SetRendererToSlicerGPU() { this->SetRenderer(SLICER_GPU); }
  void SetRendererToSlicerCPU() { this->SetRenderer(SLICER_CPU); }
  void SetRendererToParaView() { this->SetRenderer(PARAVIEW); }
  const char* GetRendererName() { return GetRendererName(this->Renderer); }
  static const char* GetRendererName(int renderer);
  ///@}

  ///@{
  /**
   * Gradient operator, Gaussian sigma (world units) and edge mode: the
   * values of vtkGradientMagnitudeFilter. Defaults CENTRAL_DIFFERENCE (what
   * the mappers use), 1.0, EDGE_COPY.
   */
  vtkSetClampMacro(Operator, int, 0, 2);
  vtkGetMacro(Operator, int);
  vtkSetMacro(Sigma, double);
  vtkGetMacro(Sigma, double);
  vtkSetClampMacro(EdgeMode, int, 0, 1);
  vtkGetMacro(EdgeMode, int);
  ///@}

  ///@{
  /**
   * Name of a point-data array holding a precomputed gradient magnitude in
   * mapper units (e.g. vtkGradientMagnitudeFilter with Units MAPPER). When
   * set, no gradient is computed and the MAD cross-check is skipped.
   * Default nullptr.
   */
  vtkSetStringMacro(GradientArrayName);
  vtkGetStringMacro(GradientArrayName);
  ///@}

  ///@{
  /**
   * Scalar-opacity function used as a weight: only voxels that will be
   * visible count. Default nullptr (every voxel weighs 1).
   */
  void SetScalarOpacity(vtkPiecewiseFunction* function);
  vtkGetObjectMacro(ScalarOpacity, vtkPiecewiseFunction);
  ///@}

  ///@{
  /**
   * Name of a point-data mask array: voxels where it is 0 are ignored.
   * Default nullptr.
   */
  vtkSetStringMacro(MaskArrayName);
  vtkGetStringMacro(MaskArrayName);
  ///@}

  ///@{
  /**
   * k: low threshold = k * noise floor. Default 2.0.
   */
  vtkSetClampMacro(NoiseMultiplier, double, 0.0, 1.0e6);
  vtkGetMacro(NoiseMultiplier, double);
  ///@}

  ///@{
  /**
   * Opacity below the low threshold. Default 0.
   */
  vtkSetClampMacro(MinimumOpacity, double, 0.0, 1.0);
  vtkGetMacro(MinimumOpacity, double);
  ///@}

  ///@{
  /**
   * GRID (every voxel) or SUBVOXEL (random positions, what GPU rays see).
   * Default SUBVOXEL; use GRID for vtkFixedPointVolumeRayCastMapper.
   */
  vtkSetClampMacro(Sampling, int, GRID, SUBVOXEL);
  vtkGetMacro(Sampling, int);
  void SetSamplingToGrid() { this->SetSampling(GRID); }
  void SetSamplingToSubVoxel() { this->SetSampling(SUBVOXEL); }
  ///@}

  ///@{
  /**
   * Threads of the gradient computation (0: VTK's default). Default 0.
   */
  vtkSetClampMacro(NumberOfThreads, int, 0, 1024);
  vtkGetMacro(NumberOfThreads, int);
  ///@}

  ///@{
  /**
   * SUBVOXEL samples (0: number of voxels clamped to [65536, 262144]) and
   * the seed of their positions. Defaults 0 and 1.
   */
  vtkSetClampMacro(NumberOfSamples, vtkIdType, 0, VTK_ID_MAX);
  vtkGetMacro(NumberOfSamples, vtkIdType);
  vtkSetMacro(RandomSeed, int);
  vtkGetMacro(RandomSeed, int);
  ///@}

  ///@{
  /**
   * Histogram: number of bins (>= 1024, default 2048), dynamic range gmax /
   * gmin of the log axis (default 1e5) and Gaussian smoothing in bins
   * (default 8).
   */
  vtkSetClampMacro(NumberOfBins, int, 1024, 1 << 20);
  vtkGetMacro(NumberOfBins, int);
  vtkSetClampMacro(DynamicRange, double, 10.0, 1.0e12);
  vtkGetMacro(DynamicRange, double);
  vtkSetClampMacro(HistogramSmoothing, double, 0.0, 1000.0);
  vtkGetMacro(HistogramSmoothing, double);
  ///@}

  ///@{
  /**
   * Number of segments of the ramp between the thresholds. Default 16.
   */
  vtkSetClampMacro(NumberOfRampPoints, int, 1, 1024);
  vtkGetMacro(NumberOfRampPoints, int);
  ///@}

  ///@{
  /**
   * Results of the last Update(), mapper units. NoiseFloorMode is the raw
   * histogram mode, PredictedNoiseFloor the MAD-based value (0 when not
   * available), NoiseSigma the MAD sigma of the scalars, MedianGradient the
   * weighted median of all binned g.
   */
  vtkGetMacro(NoiseFloor, double);
  vtkGetMacro(NoiseFloorMode, double);
  vtkGetMacro(PredictedNoiseFloor, double);
  vtkGetMacro(NoiseSigma, double);
  vtkGetMacro(MedianGradient, double);
  vtkGetMacro(LowThreshold, double);
  vtkGetMacro(HighThreshold, double);
  vtkGetMacro(EdgeStrength, double);
  vtkGetMacro(GradientScale, double);
  vtkGetMacro(MeanSpacing, double);
  vtkGetVector2Macro(ScalarRange, double);
  ///@}

  /**
   * The curve's opacity at a gradient magnitude in mapper units (the formula
   * of step 5, not the piecewise-linear function).
   */
  double EvaluateOpacity(double g) const;

  /**
   * Set a copy of the gradient-opacity function on the property for this
   * component and enable gradient opacity there. vtkVolumeProperty switches
   * itself to TF_1D when a gradient-opacity function is set: a warning says
   * so when the property was in TF_2D mode.
   */
  void ApplyTo(vtkVolumeProperty* property, int component = 0);

  /**
   * ApplyTo(volume->GetProperty(), component), plus a warning when the
   * volume's mapper is a vtkGPUVolumeRayCastMapper whose
   * GradientOpacityRangeType is NATIVE (the table would not span [0, gmax]),
   * or when the mapper is not of the kind Renderer names (GPU ray cast for
   * the GPU profiles, fixed point for the CPU ones).
   */
  void ApplyTo(vtkVolume* volume, int component = 0);

protected:
  vtkAutoGradientOpacity();
  ~vtkAutoGradientOpacity() override;

  vtkTypeBool ProcessRequest(
    vtkInformation* request, vtkInformationVector** inInfo, vtkInformationVector* outInfo) override;
  int FillInputPortInformation(int port, vtkInformation* info) override;
  int FillOutputPortInformation(int port, vtkInformation* info) override;
  virtual int RequestDataObject(vtkInformation*, vtkInformationVector**, vtkInformationVector*);
  virtual int RequestUpdateExtent(vtkInformation*, vtkInformationVector**, vtkInformationVector*);
  virtual int RequestData(vtkInformation*, vtkInformationVector**, vtkInformationVector*);

  int Renderer;
  int Operator;
  double Sigma;
  int EdgeMode;
  char* GradientArrayName;
  vtkPiecewiseFunction* ScalarOpacity;
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

  double NoiseFloor;
  double NoiseFloorMode;
  double PredictedNoiseFloor;
  double NoiseSigma;
  double MedianGradient;
  double LowThreshold;
  double HighThreshold;
  double EdgeStrength;
  double GradientScale;
  double MeanSpacing;
  double ScalarRange[2];

private:
  vtkAutoGradientOpacity(const vtkAutoGradientOpacity&) = delete;
  void operator=(const vtkAutoGradientOpacity&) = delete;

  // Memos of the pure sub-results a re-execution usually shares with the
  // previous one (e.g. after NoiseMultiplier changed): the finite range and
  // the MAD sigma of the same scalars (array identity, its MTime, the
  // mask's, the extent) and the unit-noise mode for the same spacing, shape
  // and options.
  const void* RangeArray;
  vtkMTimeType RangeArrayTime;
  double RangeValue[2];
  int RangeValid;
  double CalibrationKey[19];
  double CalibrationMode;
  int CalibrationValid;
  const void* MadArray;
  const void* MadMask;
  vtkMTimeType MadArrayTime;
  vtkMTimeType MadMaskTime;
  int MadExtent[6];
  double MadSigma;
  int MadValid;
  // GRID from the scalars: each thread's magnitude buffer, kept between
  // executions so that a re-execution allocates (and faults) nothing
  float* GridScratch;
  size_t GridScratchFloats;

  struct Internals;
};

#endif
