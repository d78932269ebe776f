/**
 * @file vtkGradientOpacityStatistics.h
 * @brief Private helpers shared by vtkAutoGradientOpacity and its MPI front
 * end vtkPAutoGradientOpacity: the curve from the thresholds, and the
 * statistics table both classes output in the same layout.
 *
 * Not installed and not wrapped; header-only, like vtkGradientOpacityArrays.h.
 */
#ifndef vtkGradientOpacityStatistics_h
#define vtkGradientOpacityStatistics_h

#include "Kernels/go_autoopacity.h"

#include "vtkDoubleArray.h"
#include "vtkFieldData.h"
#include "vtkNew.h"
#include "vtkPiecewiseFunction.h"
#include "vtkTable.h"

#include <cmath>
#include <vector>

namespace gradientopacity
{
/// The statistics of one run, named as in the table's field data.
struct Statistics
{
  double NoiseFloor = 0, NoiseFloorMode = 0, PredictedNoiseFloor = 0, NoiseSigma = 0;
  double MedianGradient = 0, LowThreshold = 0, HighThreshold = 0, EdgeStrength = 0;
  double GradientScale = 0, MeanSpacing = 1, ScalarRange[2] = { 0, 0 };
  double NoiseMultiplier = 0;
  int Sampling = 0;
  int Renderer = 0; // vtkAutoGradientOpacity::RendererType
};

/// The gradient-opacity curve of a thresholds result (go_ao_curve's points,
/// piecewise linear), or a flat 1.0 over [0, gmax] when the result is not
/// valid; returns result.valid so that the caller can warn.
inline bool AddCurve(vtkPiecewiseFunction* func, const go_ao_result& result, double gmax,
  double minimumOpacity, int rampPoints)
{
  if (!result.valid)
  {
    func->AddPoint(0.0, 1.0, 0.5, 0.0);
    func->AddPoint(gmax, 1.0, 0.5, 0.0);
    return false;
  }
  std::vector<double> xs(rampPoints + 3), ys(rampPoints + 3);
  const int np =
    go_ao_curve(result.low, result.high, gmax, minimumOpacity, rampPoints, xs.data(), ys.data());
  for (int i = 0; i < np; ++i)
  {
    func->AddPoint(xs[i], ys[i], 0.5, 0.0);
  }
  return true;
}

/// The histogram columns ("BinCenterMapper", "BinCenterPhysical", "Count",
/// "SmoothedCount") and the statistics as one-value field-data arrays.
inline void FillStatisticsTable(vtkTable* table, const double* counts, const double* smoothed,
  int nbins, double logLo, const Statistics& s)
{
  const double gmax = s.GradientScale;
  vtkNew<vtkDoubleArray> cMapper, cPhysical, cCount, cSmooth;
  cMapper->SetName("BinCenterMapper");
  cPhysical->SetName("BinCenterPhysical");
  cCount->SetName("Count");
  cSmooth->SetName("SmoothedCount");
  for (vtkDoubleArray* a : { cMapper.Get(), cPhysical.Get(), cCount.Get(), cSmooth.Get() })
  {
    a->SetNumberOfTuples(nbins);
  }
  for (int b = 0; b < nbins; ++b)
  {
    const double x = gmax > 0.0 ? gmax * std::exp(go_ao_bin_centre(b, nbins, logLo)) : 0.0;
    cMapper->SetValue(b, x);
    cPhysical->SetValue(b, x / s.MeanSpacing);
    cCount->SetValue(b, counts[b]);
    cSmooth->SetValue(b, smoothed[b]);
  }
  table->AddColumn(cMapper);
  table->AddColumn(cPhysical);
  table->AddColumn(cCount);
  table->AddColumn(cSmooth);

  vtkFieldData* fd = table->GetFieldData();
  auto add = [fd](const char* name, double v) {
    vtkNew<vtkDoubleArray> a;
    a->SetName(name);
    a->SetNumberOfTuples(1);
    a->SetValue(0, v);
    fd->AddArray(a);
  };
  add("NoiseFloor", s.NoiseFloor);
  add("NoiseFloorMode", s.NoiseFloorMode);
  add("PredictedNoiseFloor", s.PredictedNoiseFloor);
  add("NoiseSigma", s.NoiseSigma);
  add("MedianGradient", s.MedianGradient);
  add("LowThreshold", s.LowThreshold);
  add("HighThreshold", s.HighThreshold);
  add("EdgeStrength", s.EdgeStrength);
  add("GradientScale", s.GradientScale);
  add("MeanSpacing", s.MeanSpacing);
  add("NoiseMultiplier", s.NoiseMultiplier);
  add("Sampling", s.Sampling);
  add("Renderer", s.Renderer);
  vtkNew<vtkDoubleArray> sr;
  sr->SetName("ScalarRange");
  sr->SetNumberOfComponents(2);
  sr->SetNumberOfTuples(1);
  sr->SetTypedTuple(0, s.ScalarRange);
  fd->AddArray(sr);
}
}

#endif
