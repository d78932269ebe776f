# The body of the GradientOpacity::GradientOpacity module: what a module's
# own CMakeLists.txt holds. Included from the root CMakeLists.txt when VTK
# builds this repository as a remote module, and from the staging directory
# of a standalone build (see the root CMakeLists.txt).
get_filename_component(_go_root "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
include("${_go_root}/Filters/sources.cmake")
include("${_go_root}/Rendering/sources.cmake")

# VTK >= 9.4 wants a module's public headers under its own source or
# binary directory. Built as a remote module, that directory is the root:
# relative paths. Built standalone, it is the staging directory in the build
# tree (see the root CMakeLists.txt): the public headers are copied there
# (configure_file re-copies them when they change) and the wrapper and the
# install take those copies; the .cxx files compile in place.
set(_go_headers)
set(_go_class_sources)
foreach (_go_class IN LISTS go_filters_classes go_rendering_classes)
  get_filename_component(_go_name "${_go_class}" NAME)
  if (CMAKE_CURRENT_SOURCE_DIR STREQUAL _go_root)
    list(APPEND _go_headers "${_go_class}.h")
  else ()
    configure_file("${_go_root}/${_go_class}.h" "${CMAKE_CURRENT_SOURCE_DIR}/${_go_name}.h" COPYONLY)
    list(APPEND _go_headers "${_go_name}.h")
  endif ()
  list(APPEND _go_class_sources "${_go_root}/${_go_class}.cxx")
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
  HEADERS         ${_go_headers}
  SOURCES         ${_go_class_sources} ${_go_sources}
  PRIVATE_HEADERS ${_go_private_headers})
vtk_module_include(GradientOpacity::GradientOpacity
  PUBLIC
    "$<BUILD_INTERFACE:${_go_root}/Filters>"
    "$<BUILD_INTERFACE:${_go_root}/Rendering>"
  PRIVATE
    "${_go_root}/Filters/Kernels")

# -fno-math-errno lets gcc vectorise the kernels' sqrt; the kernels are
# plain C and set no errno-dependent behaviour. -ffp-contract=off: no
# multiply-add is fused behind the code's back (e.g. with -march=native), so
# the fast paths stay bitwise equal to the generic ones on every CPU.
if (CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
  set(_go_kernel_flags -fno-math-errno -ffp-contract=off)
  if (GRADIENTOPACITY_NATIVE)
    list(APPEND _go_kernel_flags -march=native)
  endif ()
  set_source_files_properties(${_go_sources}
    PROPERTIES COMPILE_OPTIONS "${_go_kernel_flags}")
endif ()
