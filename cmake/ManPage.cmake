# Writes mtlw's man page from the built program's own --help texts, so that the page lists exactly
# the commands and options the program has. The prose that --help does not carry (exit status,
# files, environment) lives in the template.
#   cmake -DMTLW=path/to/mtlw -DTEMPLATE=packaging/mtlw.1.in -DVERSION_TXT=version.txt -DOUT=mtlw.1
#         -P ManPage.cmake
#
# mtlw's --help lists one "  NAME  summary" line per command; a command's --help has the shape
#   usage: mtlw NAME [options] ARGS / blank / description / blank /
#   arguments: or options: / "  --name VALUE" or "  ARG" / "      its help"

# Text as roff source: a backslash is printed with \e, a line may not start with a control
# character, and option dashes are minus signs (ASCII "-" in every locale), as in "\-\-help".
function(roff_escape text out)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REGEX REPLACE "^([.'])" "\\\\&\\1" text "${text}")
  string(REPLACE "--" "\\-\\-" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# A synopsis or an option's name: every dash is a minus sign, so that it can be copied.
function(roff_literal text out)
  roff_escape("${text}" text)
  string(REGEX REPLACE "([^\\\\])-" "\\1\\\\-" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

function(run_mtlw out)
  execute_process(COMMAND "${MTLW}" ${ARGN} OUTPUT_VARIABLE text RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "'mtlw ${ARGN}' exited with ${rc}")
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# One command's --help as a man page subsection.
function(command_section name out)
  run_mtlw(help ${name} --help)
  # Split into lines; brackets would join list items in CMake, so they travel encoded.
  string(REPLACE "[" "<lbracket>" help "${help}")
  string(REPLACE "]" "<rbracket>" help "${help}")
  string(REPLACE ";" "<semicolon>" help "${help}")
  string(REPLACE "\n" ";" lines "${help}")
  set(roff "")
  foreach(line IN LISTS lines)
    string(REPLACE "<lbracket>" "[" line "${line}")
    string(REPLACE "<rbracket>" "]" line "${line}")
    string(REPLACE "<semicolon>" ";" line "${line}")
    if(line MATCHES "^usage: (.*)$")
      roff_literal("${CMAKE_MATCH_1}" synopsis)
      string(APPEND roff ".SS ${synopsis}\n")
    elseif(line MATCHES "^(arguments|options):$")
      string(APPEND roff ".PP\n${CMAKE_MATCH_1}:\n")
    elseif(line MATCHES "^      (.*)$")
      roff_escape("${CMAKE_MATCH_1}" text)
      string(APPEND roff "${text}\n")
    elseif(line MATCHES "^  (.*)$")
      roff_literal("${CMAKE_MATCH_1}" item)
      string(APPEND roff ".TP\n.B ${item}\n")
    elseif(NOT line STREQUAL "")
      roff_escape("${line}" text)
      string(APPEND roff "${text}\n")
    endif()
  endforeach()
  set(${out} "${roff}" PARENT_SCOPE)
endfunction()

run_mtlw(top --help)
string(REGEX MATCHALL "\n  [a-z][a-z0-9-]* " command_lines "${top}")
if(NOT command_lines)
  message(FATAL_ERROR "'mtlw --help' lists no commands")
endif()
set(MTLW_COMMANDS "")
foreach(line IN LISTS command_lines)
  string(STRIP "${line}" name)
  command_section(${name} section)
  string(APPEND MTLW_COMMANDS "${section}")
endforeach()
string(REGEX MATCH "usage: ([^\n]*)" _ "${top}")
roff_literal("${CMAKE_MATCH_1}" MTLW_SYNOPSIS)
file(STRINGS "${VERSION_TXT}" MTLW_VERSION LIMIT_COUNT 1)
configure_file("${TEMPLATE}" "${OUT}" @ONLY)
