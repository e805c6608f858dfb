# Writes the project's version from `git describe` into OUT_CPP (from IN_CPP) and OUT_TXT.
# Run at configure time and again on every build (target mtlw_version), so that a new commit
# changes `--version` and the package version without re-running CMake; the files are rewritten
# only when their text changes, so an unchanged version recompiles nothing.
#   cmake -DSOURCE_DIR=... -DPROJECT_VERSION=... -DYAML_CPP_VERSION=... -DTORCH_VERSION=...
#         -DTORCH_CUDA_VERSION=... -DIN_CPP=... -DOUT_CPP=... -DOUT_TXT=... -P GitVersion.cmake
#
# Versions: a tag vX.Y.Z on HEAD gives X.Y.Z; commits after it give X.Y.Z-N-gHASH; no tag gives
# PROJECT_VERSION-gHASH; uncommitted changes add -dirty; no git at all gives PROJECT_VERSION.
execute_process(COMMAND git describe --tags --match "v[0-9]*" --dirty
  WORKING_DIRECTORY "${SOURCE_DIR}" OUTPUT_VARIABLE _described RESULT_VARIABLE _tagged
  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(_tagged EQUAL 0)
  string(REGEX REPLACE "^v" "" MTLW_VERSION "${_described}")
else()
  execute_process(COMMAND git describe --always --dirty
    WORKING_DIRECTORY "${SOURCE_DIR}" OUTPUT_VARIABLE _hash RESULT_VARIABLE _has_git
    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(_has_git EQUAL 0)
    set(MTLW_VERSION "${PROJECT_VERSION}-g${_hash}")
  else()
    set(MTLW_VERSION "${PROJECT_VERSION}")
  endif()
endif()

set(MTLW_YAML_CPP_VERSION "${YAML_CPP_VERSION}")
set(MTLW_TORCH_VERSION "${TORCH_VERSION}")
set(MTLW_TORCH_CUDA_VERSION "${TORCH_CUDA_VERSION}")
configure_file("${IN_CPP}" "${OUT_CPP}" @ONLY)
file(WRITE "${OUT_TXT}.tmp" "${MTLW_VERSION}\n")
configure_file("${OUT_TXT}.tmp" "${OUT_TXT}" COPYONLY)
file(REMOVE "${OUT_TXT}.tmp")
