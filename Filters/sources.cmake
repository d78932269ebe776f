# Sources of the Filters part of the GradientOpacity module (paths relative
# to the repository root).
set(go_filters_classes
  Filters/vtkGradientMagnitudeFilter)
set(go_filters_sources
  Filters/Kernels/go_alloc.c
  Filters/Kernels/go_gradient.c)
set(go_filters_private_headers
  Filters/Kernels/go_alloc.h
  Filters/Kernels/go_gradient.h
  Filters/vtkGradientOpacityInputArray.h)
