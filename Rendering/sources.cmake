# Sources of the Rendering part of the GradientOpacity module (paths relative
# to the repository root).
set(go_rendering_classes
  Rendering/vtkAutoGradientOpacity
  Rendering/vtkGradientHistogram2D
  Rendering/vtkKindlmannDurkin
  Rendering/vtkTransferFunction2DBuilder)
set(go_rendering_sources
  Rendering/Kernels/go_autoopacity.c
  Rendering/Kernels/go_range.c)
set(go_rendering_private_headers
  Rendering/Kernels/go_autoopacity.h
  Rendering/Kernels/go_range.h
  Rendering/vtkGradientOpacityArrays.h
  Rendering/vtkGradientOpacityRoute.h
  Rendering/vtkGradientOpacityStatistics.h)
