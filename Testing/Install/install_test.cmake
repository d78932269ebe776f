# Installs the build tree into a fresh prefix, then (1) imports the Python
# package from the prefix with only PYTHONPATH set and (2) builds and runs a
# C++ project that finds the package with find_package(GradientOpacity).
# Arguments: BUILD_DIR, PREFIX, PYTHON, PYTHON_DEST, VTK_DIR, SOURCE_DIR.
file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}"
  RESULT_VARIABLE rc OUTPUT_QUIET)
if (rc)
  message(FATAL_ERROR "install failed: ${rc}")
endif ()

execute_process(
  COMMAND "${CMAKE_COMMAND}" -E env --unset=LD_LIBRARY_PATH "PYTHONPATH=${PREFIX}/${PYTHON_DEST}"
    "${PYTHON}" -c "from gradientopacity import vtkGradientMagnitudeFilter; import gradientopacity; print('python import ok from', gradientopacity.__file__)"
  WORKING_DIRECTORY "${PREFIX}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message(STATUS "${out}${err}")
if (rc OR NOT out MATCHES "${PREFIX}")
  message(FATAL_ERROR "python import from the prefix failed")
endif ()

set(consumer_build "${PREFIX}-consumer")
file(REMOVE_RECURSE "${consumer_build}")
execute_process(COMMAND "${CMAKE_COMMAND}" -S "${SOURCE_DIR}/consumer" -B "${consumer_build}"
  "-DGradientOpacity_DIR=${PREFIX}/lib/cmake/GradientOpacity" "-DVTK_DIR=${VTK_DIR}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if (rc)
  message(FATAL_ERROR "consumer configure failed:\n${out}\n${err}")
endif ()
execute_process(COMMAND "${CMAKE_COMMAND}" --build "${consumer_build}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if (rc)
  message(FATAL_ERROR "consumer build failed:\n${out}\n${err}")
endif ()
execute_process(COMMAND "${consumer_build}/consumer" RESULT_VARIABLE rc OUTPUT_VARIABLE out)
message(STATUS "${out}")
if (rc)
  message(FATAL_ERROR "consumer run failed")
endif ()
