# What `cmake --install` puts where, and the Debian package built from it by `cpack`:
#   bin/mtlw, bin/mtl-workbench (their own CMakeLists), the man page, the example experiments,
#   the copyright file, and with the GUI its desktop entry, AppStream metainfo and icons.
# The package's dependencies come from dpkg-shlibdeps, so they name the packages of the libraries
# the programs were actually linked with (Debian's LibTorch, Qt 6, OpenCV, yaml-cpp, SQLite).
include(GNUInstallDirs)

set(MTLW_APPSTREAM_ID org.mtlworkbench.MTLWorkbench)

# mtlw.1 from the built mtlw's --help texts (cmake/ManPage.cmake), gzipped as Debian wants it.
set(_man ${PROJECT_BINARY_DIR}/man/mtlw.1)
add_custom_command(OUTPUT ${_man} ${_man}.gz
  COMMAND ${CMAKE_COMMAND} -DMTLW=$<TARGET_FILE:mtlw> -DTEMPLATE=${PROJECT_SOURCE_DIR}/packaging/mtlw.1.in
          -DVERSION_TXT=${PROJECT_BINARY_DIR}/version.txt -DOUT=${_man} -P ${PROJECT_SOURCE_DIR}/cmake/ManPage.cmake
  COMMAND gzip -9 -n -k -f ${_man}
  DEPENDS mtlw ${PROJECT_SOURCE_DIR}/packaging/mtlw.1.in ${PROJECT_SOURCE_DIR}/cmake/ManPage.cmake
          ${PROJECT_BINARY_DIR}/version.txt
  COMMENT "Man page mtlw.1 from mtlw --help" VERBATIM)
add_custom_target(mtlw_manpage ALL DEPENDS ${_man}.gz)
install(FILES ${_man}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

install(DIRECTORY experiments/ DESTINATION ${CMAKE_INSTALL_DATADIR}/mtl-workbench/experiments
  FILES_MATCHING PATTERN "*.yaml")
install(FILES packaging/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})

if(MTLW_BUILD_GUI)
  install(FILES packaging/mtl-workbench.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
  install(FILES packaging/${MTLW_APPSTREAM_ID}.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)

  # The SVG is the source; the PNG sizes of the hicolor theme are rendered from it.
  set(_svg ${PROJECT_SOURCE_DIR}/resources/mtl-workbench.svg)
  set(_hicolor ${CMAKE_INSTALL_DATADIR}/icons/hicolor)
  install(FILES ${_svg} DESTINATION ${_hicolor}/scalable/apps)
  find_program(RSVG_CONVERT rsvg-convert REQUIRED)
  set(_pngs "")
  foreach(size 16 24 32 48 64 128 256 512)
    set(_png ${PROJECT_BINARY_DIR}/icons/${size}x${size}/mtl-workbench.png)
    add_custom_command(OUTPUT ${_png}
      COMMAND ${RSVG_CONVERT} --width ${size} --height ${size} --output ${_png} ${_svg}
      DEPENDS ${_svg} COMMENT "Icon ${size}x${size}" VERBATIM)
    install(FILES ${_png} DESTINATION ${_hicolor}/${size}x${size}/apps)
    list(APPEND _pngs ${_png})
  endforeach()
  add_custom_target(mtlw_icons ALL DEPENDS ${_pngs})
endif()

set(MTLW_PACKAGE_MAINTAINER "MTL Workbench maintainers <maintainers@users.noreply.b-seed-b3353723.example>"
  CACHE STRING "Maintainer field of the Debian package")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME mtl-workbench)
set(CPACK_PACKAGE_VENDOR "MTL Workbench developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "multi-task learning from partially labeled data")
set(CPACK_PACKAGE_DESCRIPTION
  "A desktop workbench for research on multi-task learning (semantic\n"
  "segmentation and object detection) from partially labeled data. It trains\n"
  "one multi-task model on images labeled for either task, both or neither,\n"
  "keeps every run with its config and metrics in a SQLite registry, plots\n"
  "losses live and shows predictions next to the ground truth. Its command\n"
  "line, mtlw, runs experiments on headless cluster nodes and scores COCO\n"
  "detection and Cityscapes-style segmentation results.")
string(REPLACE ";" "" CPACK_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_PACKAGE_CONTACT "${MTLW_PACKAGE_MAINTAINER}")
set(CPACK_STRIP_FILES TRUE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Debian's LibTorch runs on the reference BLAS unless a faster one is installed.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libopenblas0-openmp")
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
# The version is read when cpack runs, from the file the last build wrote (cmake/GitVersion.cmake).
set(CPACK_MTLW_VERSION_FILE ${PROJECT_BINARY_DIR}/version.txt)
set(CPACK_PROJECT_CONFIG_FILE ${PROJECT_SOURCE_DIR}/cmake/CPackVersion.cmake)
include(CPack)
