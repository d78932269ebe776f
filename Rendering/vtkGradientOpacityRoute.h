/**
 * @file vtkGradientOpacityRoute.h
 * @brief Private helpers shared by vtkAutoGradientOpacity and its MPI front
 * end vtkPAutoGradientOpacity: how a renderer profile turns into sampler
 * settings (the Route), and the fixed-point mapper's 8-bit quantisation of a
 * gradient magnitude. One definition, so that the reduced (distributed)
 * route applies every profile exactly as the serial class does.
 *
 * Not installed and not wrapped; header-only, like vtkGradientOpacityStatistics.h.
 */
#ifndef vtkGradientOpacityRoute_h
#define vtkGradientOpacityRoute_h

#include "vtkAutoGradientOpacity.h"
#include "vtkGradientMagnitudeFilter.h"
#include "vtkType.h"

#include <algorithm>
#include <cmath>

namespace gradientopacity
{
/// How the chosen renderer computes the gradient it looks the function up
/// with: the one place where a profile turns into sampler settings.
struct Route
{
  double Spacing[3] = { 1.0, 1.0, 1.0 }; // spacing the renderer's differences see
  int Units = vtkGradientMagnitudeFilter::MAPPER; // units of a computed magnitude
  int Sampling = vtkAutoGradientOpacity::SUBVOXEL;
  int EdgeMode = vtkGradientMagnitudeFilter::EDGE_COPY;
  bool Quantize8 = false; // round(g 255 / gmax) like the fixed-point mapper
};

/// The sampling a profile runs with (the CPU profiles force GRID): known
/// before the data arrives, so that a piece request can pad for it.
inline int RouteSampling(int renderer, int sampling)
{
  return renderer == vtkAutoGradientOpacity::VTK_CPU ||
      renderer == vtkAutoGradientOpacity::SLICER_CPU
    ? static_cast<int>(vtkAutoGradientOpacity::GRID)
    : sampling;
}

/// The route of `renderer` for an image of the given spacing whose scalars
/// have the given VTK type and component count (the CPU profiles' edge rule
/// depends on them); `sampling` and `edgeMode` are the user's settings.
inline Route RouteFor(int renderer, int sampling, int edgeMode, const double spacing[3],
  int scalarType, int numberOfComponents)
{
  Route r;
  for (int a = 0; a < 3; ++a)
  {
    r.Spacing[a] = spacing[a];
  }
  r.Sampling = RouteSampling(renderer, sampling);
  r.EdgeMode = edgeMode;
  switch (renderer)
  {
    case vtkAutoGradientOpacity::SLICER_GPU:
      // vtkMRMLVolumeRenderingDisplayableManager gives the GPU mapper the
      // voxel array with spacing 1 and the IJK-to-RAS matrix on the actor:
      // the shader's aspect is 2 on every axis.
      r.Spacing[0] = r.Spacing[1] = r.Spacing[2] = 1.0;
      r.Units = vtkGradientMagnitudeFilter::INDEX;
      break;
    case vtkAutoGradientOpacity::VTK_CPU:
    case vtkAutoGradientOpacity::SLICER_CPU:
    {
      // vtkFixedPointVolumeRayCastMapper::ComputeGradients: grid values,
      // 8 bits; one-component (unsigned) char/short data go through the
      // CS1C variant (edge voxel repeated = half difference), the rest
      // through the generic one (2 (f0 - f1) = full one-sided difference).
      const int t = scalarType;
      const bool cs1c = numberOfComponents == 1 &&
        (t == VTK_UNSIGNED_CHAR || t == VTK_UNSIGNED_SHORT || t == VTK_CHAR || t == VTK_SHORT);
      r.EdgeMode =
        cs1c ? vtkGradientMagnitudeFilter::EDGE_COPY : vtkGradientMagnitudeFilter::ONE_SIDED;
      r.Quantize8 = true;
      break;
    }
    default: // VTK_GPU, PARAVIEW: the image as it is
      break;
  }
  return r;
}

/// The fixed-point mapper's gradient value: it stores
/// (unsigned char)(clamp(g 255 / gmax) + 0.5) and indexes a 256-entry table
/// over [0, gmax] with it. toLevel = 255 / gmax, toG = gmax / 255 (computed
/// once by the caller); non-finite g pass through (the histogram counts them).
inline float Quantize8(double g, double toLevel, double toG)
{
  if (!std::isfinite(g))
  {
    return static_cast<float>(g);
  }
  const double level = std::min(std::max(g * toLevel, 0.0), 255.0);
  return static_cast<float>(std::floor(level + 0.5) * toG);
}
}

#endif
