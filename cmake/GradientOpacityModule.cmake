# The body of the GradientOpacity::GradientOpacity module: what a module's
# own CMakeLists.txt holds. Included from the root CMakeLists.txt when VTK
# builds this repository as a remote module, and from the staging directory
# of a standalone build (see the root CMakeLists.txt).
get_filename_component(_go_root "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
include("${_go_root}/Filters/sources.cmake")
include("${_go_root}/Rendering/sources.cmake")

set(_go_classes)
foreach (_go_class IN LISTS go_filters_classes go_rendering_classes)
  list(APPEND _go_classes "${_go_root}/${_go_class}")
endforeach ()
set(_go_sources)
foreach (_go_source IN LISTS go_filters_sources go_rendering_sources)
  list(APPEND _go_sources "${_go_root}/${_go_source}")
endforeach ()
set(_go_private_headers)
foreach (_go_header IN LISTS go_filters_private_headers go_rendering_private_headers)
  list(APPEND _go_private_headers "${_go_root}/${_go_header}")
endforeach ()

vtk_module_add_module(GradientOpacity::GradientOpacity
  CLASSES         ${_go_classes}
  SOURCES         ${_go_sources}
  PRIVATE_HEADERS ${_go_private_headers})
vtk_module_include(GradientOpacity::GradientOpacity
  PUBLIC
    "$<BUILD_INTERFACE:${_go_root}/Filters>"
    "$<BUILD_INTERFACE:${_go_root}/Rendering>"
  PRIVATE
    "${_go_root}/Filters/Kernels")

# -fno-math-errno lets gcc vectorise the kernels' sqrt; the kernels are
# plain C and set no errno-dependent behaviour.
if (CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
  set(_go_kernel_flags -fno-math-errno)
  if (GRADIENTOPACITY_NATIVE)
    list(APPEND _go_kernel_flags -march=native)
  endif ()
  set_source_files_properties(${_go_sources}
    PROPERTIES COMPILE_OPTIONS "${_go_kernel_flags}")
endif ()
