# Included by cpack (CPACK_PROJECT_CONFIG_FILE): the package takes the version that the last build
# wrote, so that a commit made since CMake last ran shows in the package's version and file name.
file(STRINGS "${CPACK_MTLW_VERSION_FILE}" _mtlw_version LIMIT_COUNT 1)
# A Debian version has no "-" unless it ends in a Debian revision: 0.1.0-3-gabc1234 → 0.1.0+3+gabc1234.
string(REPLACE "-" "+" CPACK_PACKAGE_VERSION "${_mtlw_version}")
set(CPACK_DEBIAN_PACKAGE_VERSION "${CPACK_PACKAGE_VERSION}")
