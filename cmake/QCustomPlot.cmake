# QCustomPlot for Qt 6: the system's shared library through its CMake package (Debian 12:
# libqcustomplot-dev's QCustomPlotQt6, libQCustomPlotQt6.so), found by find_package.
#
# The project builds Qt code with QT_NO_KEYWORDS (Torch headers clash with Qt's `slots`/`signals`),
# and qcustomplot.h uses `signals:` and `foreach`. So the target `qcustomplot` puts a keyword-safe
# copy of the system header, generated into the build tree, ahead of the system one; the library
# itself is the system's.
find_package(QCustomPlotQt6 REQUIRED CONFIG)
get_target_property(_qcp_includes QCustomPlotQt6::QCustomPlotQt6 INTERFACE_INCLUDE_DIRECTORIES)
find_file(QCUSTOMPLOT_HEADER qcustomplot.h PATHS ${_qcp_includes} NO_DEFAULT_PATH)
if(NOT QCUSTOMPLOT_HEADER)
  message(FATAL_ERROR "QCustomPlotQt6 found, but not its qcustomplot.h in '${_qcp_includes}'. "
                      "Install libqcustomplot-dev (scripts/setup.sh does).")
endif()

set(_qcp_gen "${CMAKE_BINARY_DIR}/qcustomplot")
file(READ "${QCUSTOMPLOT_HEADER}" _qcp_h)
string(REGEX REPLACE "([ \t\n])signals:" "\\1Q_SIGNALS:" _qcp_h "${_qcp_h}")
string(REGEX REPLACE "([ \t\n])foreach \\(" "\\1Q_FOREACH (" _qcp_h "${_qcp_h}")
file(WRITE "${_qcp_gen}/qcustomplot.h.tmp" "${_qcp_h}")
configure_file("${_qcp_gen}/qcustomplot.h.tmp" "${_qcp_gen}/qcustomplot.h" COPYONLY)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${QCUSTOMPLOT_HEADER}")

add_library(qcustomplot INTERFACE)
target_include_directories(qcustomplot SYSTEM BEFORE INTERFACE "${_qcp_gen}")
target_compile_definitions(qcustomplot INTERFACE QT_NO_KEYWORDS QCUSTOMPLOT_USE_LIBRARY)
target_link_libraries(qcustomplot INTERFACE QCustomPlotQt6::QCustomPlotQt6)
message(STATUS "QCustomPlot: ${QCUSTOMPLOT_HEADER} (keyword-safe copy in ${_qcp_gen}), "
               "library from QCustomPlotQt6")
