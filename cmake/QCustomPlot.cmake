# QCustomPlot for Qt 6, in this order:
#  1. QCUSTOMPLOT_SOURCE_DIR (cache variable) pointing at a folder with qcustomplot.{h,cpp};
#  2. a system build against Qt 6 (library qcustomplot-qt6 / qcustomplotqt6), as some distributions ship;
#  3. the Debian source package unpacked by scripts/setup.sh under third_party/qcustomplot/.
# Debian's own binary libqcustomplot links Qt 5 and is never used.
set(QCUSTOMPLOT_SOURCE_DIR "" CACHE PATH "Folder with qcustomplot.h and qcustomplot.cpp (overrides the search)")

if(NOT QCUSTOMPLOT_SOURCE_DIR)
  find_path(QCUSTOMPLOT_SYSTEM_INCLUDE qcustomplot.h PATH_SUFFIXES qcustomplot-qt6 qt6)
  find_library(QCUSTOMPLOT_SYSTEM_LIBRARY NAMES qcustomplot-qt6 qcustomplotqt6)
  if(QCUSTOMPLOT_SYSTEM_INCLUDE AND QCUSTOMPLOT_SYSTEM_LIBRARY)
    add_library(qcustomplot INTERFACE)
    target_include_directories(qcustomplot SYSTEM INTERFACE ${QCUSTOMPLOT_SYSTEM_INCLUDE})
    target_link_libraries(qcustomplot INTERFACE ${QCUSTOMPLOT_SYSTEM_LIBRARY}
      Qt6::Widgets Qt6::PrintSupport)
    message(STATUS "QCustomPlot: system Qt 6 build ${QCUSTOMPLOT_SYSTEM_LIBRARY}")
    return()
  endif()
  file(GLOB _qcp_candidates "${CMAKE_SOURCE_DIR}/third_party/qcustomplot/qcustomplot-*/qcustomplot.cpp")
  if(_qcp_candidates)
    list(GET _qcp_candidates 0 _qcp_cpp)
    get_filename_component(_qcp_dir "${_qcp_cpp}" DIRECTORY)
    set(QCUSTOMPLOT_SOURCE_DIR "${_qcp_dir}" CACHE PATH "" FORCE)
  endif()
endif()

if(NOT EXISTS "${QCUSTOMPLOT_SOURCE_DIR}/qcustomplot.cpp")
  message(FATAL_ERROR "QCustomPlot source not found. Run scripts/setup.sh (it fetches Debian's "
                      "qcustomplot source package) or set -DQCUSTOMPLOT_SOURCE_DIR=/path/to/qcustomplot.")
endif()
message(STATUS "QCustomPlot: building from ${QCUSTOMPLOT_SOURCE_DIR}")

# The project builds Qt code with QT_NO_KEYWORDS (Torch headers clash with Qt's `slots`/`signals`),
# so a patched copy of the header replaces those keywords; the downloaded source stays untouched.
set(_qcp_gen "${CMAKE_BINARY_DIR}/qcustomplot")
file(READ "${QCUSTOMPLOT_SOURCE_DIR}/qcustomplot.h" _qcp_h)
string(REGEX REPLACE "([ \t\n])signals:" "\\1Q_SIGNALS:" _qcp_h "${_qcp_h}")
string(REGEX REPLACE "([ \t\n])foreach \\(" "\\1Q_FOREACH (" _qcp_h "${_qcp_h}")
file(WRITE "${_qcp_gen}/qcustomplot.h.tmp" "${_qcp_h}")
configure_file("${_qcp_gen}/qcustomplot.h.tmp" "${_qcp_gen}/qcustomplot.h" COPYONLY)
file(READ "${QCUSTOMPLOT_SOURCE_DIR}/qcustomplot.cpp" _qcp_cpp_text)
string(REGEX REPLACE "([ \t\n])foreach \\(" "\\1Q_FOREACH (" _qcp_cpp_text "${_qcp_cpp_text}")
string(REGEX REPLACE "([ \t\n])emit " "\\1Q_EMIT " _qcp_cpp_text "${_qcp_cpp_text}")
file(WRITE "${_qcp_gen}/qcustomplot.cpp.tmp" "${_qcp_cpp_text}")
configure_file("${_qcp_gen}/qcustomplot.cpp.tmp" "${_qcp_gen}/qcustomplot.cpp" COPYONLY)

add_library(qcustomplot STATIC "${_qcp_gen}/qcustomplot.cpp" "${_qcp_gen}/qcustomplot.h")
set_target_properties(qcustomplot PROPERTIES AUTOMOC ON POSITION_INDEPENDENT_CODE ON)
target_include_directories(qcustomplot SYSTEM PUBLIC "${_qcp_gen}")
target_compile_definitions(qcustomplot PUBLIC QT_NO_KEYWORDS)
target_link_libraries(qcustomplot PUBLIC Qt6::Core Qt6::Gui Qt6::Widgets Qt6::PrintSupport)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(qcustomplot PRIVATE -w)
endif()
