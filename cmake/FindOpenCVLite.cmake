# Finds the three OpenCV modules core uses (core, imgproc, imgcodecs) from Debian's
# libopencv-imgproc-dev / libopencv-imgcodecs-dev, which ship no CMake config.
# A full OpenCV install with OpenCVConfig.cmake is used when present. Sets OpenCVLite_VERSION.
find_package(OpenCV QUIET COMPONENTS core imgproc imgcodecs)
if(OpenCV_FOUND)
  add_library(OpenCVLite::OpenCVLite INTERFACE IMPORTED)
  target_link_libraries(OpenCVLite::OpenCVLite INTERFACE ${OpenCV_LIBS})
  target_include_directories(OpenCVLite::OpenCVLite INTERFACE ${OpenCV_INCLUDE_DIRS})
  set(OpenCVLite_FOUND TRUE)
  set(OpenCVLite_VERSION ${OpenCV_VERSION})
  return()
endif()

find_path(OpenCVLite_INCLUDE_DIR opencv2/core.hpp PATH_SUFFIXES opencv4)
foreach(m core imgproc imgcodecs)
  find_library(OpenCVLite_${m}_LIBRARY NAMES opencv_${m})
  list(APPEND _ocv_libs OpenCVLite_${m}_LIBRARY)
endforeach()
if(OpenCVLite_INCLUDE_DIR)
  file(STRINGS "${OpenCVLite_INCLUDE_DIR}/opencv2/core/version.hpp" _ocv_version_lines
    REGEX "#define CV_VERSION_(MAJOR|MINOR|REVISION) ")
  foreach(part MAJOR MINOR REVISION)
    string(REGEX REPLACE ".*CV_VERSION_${part} +([0-9]+).*" "\\1" _ocv_${part} "${_ocv_version_lines}")
  endforeach()
  set(OpenCVLite_VERSION "${_ocv_MAJOR}.${_ocv_MINOR}.${_ocv_REVISION}")
endif()
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(OpenCVLite REQUIRED_VARS OpenCVLite_INCLUDE_DIR ${_ocv_libs}
  VERSION_VAR OpenCVLite_VERSION)
if(OpenCVLite_FOUND AND NOT TARGET OpenCVLite::OpenCVLite)
  add_library(OpenCVLite::OpenCVLite INTERFACE IMPORTED)
  target_include_directories(OpenCVLite::OpenCVLite INTERFACE ${OpenCVLite_INCLUDE_DIR})
  target_link_libraries(OpenCVLite::OpenCVLite INTERFACE
    ${OpenCVLite_imgcodecs_LIBRARY} ${OpenCVLite_imgproc_LIBRARY} ${OpenCVLite_core_LIBRARY})
endif()
