#!/usr/bin/env bash
# tst_package: the Debian package as a user gets it. Builds it with cpack from the build tree,
# checks its control fields and exact file list, unpacks it with `dpkg -x` into a temporary root,
# and runs the installed programs: both `--version`s must report the versions CMake found, the
# man page must describe every option of every command that the installed mtlw has, and the GUI
# must start offscreen and close cleanly on SIGTERM.
# Needs every target built (cpack installs what the build made). Set by tests/CMakeLists.txt:
# MTLW_SOURCE_DIR, MTLW_BUILD_DIR, MTLW_TEST_TMP, MTLW_EXPECT_GUI (1/0) and
# MTLW_EXPECT_{TORCH,OPENCV,YAML_CPP,SQLITE,QT}_VERSION.
set -euo pipefail

fail() { echo "FAIL: $*" >&2; exit 1; }
expect_eq() { [ "$1" == "$2" ] || fail "$3: expected '$2', got '$1'"; }
# shellcheck disable=SC2001,SC2016  # one sed for all the special characters, meant literally
regex_quote() { sed 's/[.[\*^$()+?{}|]/\\&/g' <<<"$1"; }

work=$(mktemp -d "$MTLW_TEST_TMP/package.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/root
gui=$MTLW_EXPECT_GUI

echo "== cpack"
cpack --config "$MTLW_BUILD_DIR/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; fail "cpack failed"; }
shopt -s nullglob
debs=("$work"/out/*.deb)
expect_eq "${#debs[@]}" 1 "number of .deb files"
deb=${debs[0]}
ls -l "$deb"

echo "== control fields"
version=$(head -n1 "$MTLW_BUILD_DIR/version.txt")
expect_eq "$(dpkg-deb -f "$deb" Package)" mtl-workbench Package
expect_eq "$(dpkg-deb -f "$deb" Version)" "${version//-/+}" Version
expect_eq "$(dpkg-deb -f "$deb" Architecture)" "$(dpkg --print-architecture)" Architecture
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for package in libc6 libstdc++6 libtorch libopencv-core libopencv-imgproc libopencv-imgcodecs libyaml-cpp libsqlite3; do
  grep -qE "(^|, )$(regex_quote "$package")[0-9.-]* \(>= [^)]+\)" <<<"$depends" || fail "Depends lacks $package"
done
# The GUI links Debian's QCustomPlot (which brings Qt's PrintSupport) and QtSvg (the plots' SVG export).
for package in libqt6core6 libqt6gui6 libqt6widgets6 libqt6svg6 libqcustomplot2.1-qt6; do
  if [ "$gui" = 1 ]; then
    grep -qE "(^|, )$(regex_quote "$package") \(>= " <<<"$depends" || fail "Depends lacks $package"
  else
    grep -qE "(^|, )$(regex_quote "$package") " <<<"$depends" && fail "Depends has $package, but mtlw links no Qt"
  fi
done

echo "== file list"
expected=(./usr/bin/mtlw ./usr/libexec/mtl-workbench/mtlw-data ./usr/libexec/mtl-workbench/mtlw-model
  ./usr/share/man/man1/mtlw.1.gz
  ./usr/share/doc/mtl-workbench/copyright)
while IFS= read -r yaml; do # every example experiment, folders kept (configs name their base relatively)
  expected+=("./usr/share/mtl-workbench/experiments/$yaml")
done < <(cd "$MTLW_SOURCE_DIR/experiments" && find . -name '*.yaml' -printf '%P\n')
if [ "$gui" = 1 ]; then
  expected+=(./usr/bin/mtl-workbench ./usr/share/applications/mtl-workbench.desktop
    ./usr/share/metainfo/org.mtlworkbench.MTLWorkbench.metainfo.xml
    ./usr/share/icons/hicolor/scalable/apps/mtl-workbench.svg)
  for size in 16 24 32 48 64 128 256 512; do
    expected+=("./usr/share/icons/hicolor/${size}x${size}/apps/mtl-workbench.png")
  done
fi
printf '%s\n' "${expected[@]}" | sort >"$work/expected-files"
dpkg-deb -c "$deb" | awk '$1 ~ /^-/ { print $6 }' | sort >"$work/files"
diff -u "$work/expected-files" "$work/files" || fail "the package's files differ from the expected list"

echo "== dpkg -x"
dpkg -x "$deb" "$root"
programs=(bin/mtlw libexec/mtl-workbench/mtlw-data libexec/mtl-workbench/mtlw-model)
if [ "$gui" = 1 ]; then programs+=(bin/mtl-workbench); fi
for program in "${programs[@]}"; do
  binary=$root/usr/$program
  readelf -d "$binary" | grep -qE 'RPATH|RUNPATH' && fail "$program keeps a run path into the build tree"
  readelf -S "$binary" | grep -q '\.debug_info' && fail "$program is not stripped"
done
if [ "$gui" = 1 ]; then
  for png in "$root"/usr/share/icons/hicolor/*x*/apps/mtl-workbench.png; do
    size=$(basename "$(dirname "$(dirname "$png")")")
    # A PNG's IHDR chunk holds width and height as big-endian 32-bit numbers at bytes 16..23.
    read -r w3 w2 w1 w0 h3 h2 h1 h0 < <(od -An -tu1 -j16 -N8 "$png")
    expect_eq "$(( (w3 << 24) | (w2 << 16) | (w1 << 8) | w0 ))x$(( (h3 << 24) | (h2 << 16) | (h1 << 8) | h0 ))" "$size" "icon $png"
  done
fi

# Three lines: PROGRAM VERSION / [Qt X, ]LibTorch X (CPU only|CUDA X.Y), OpenCV X, yaml-cpp X, SQLite X / device: ...
check_version_report() {
  local program=$1 qt_prefix=$2 report=$3
  echo "$report"
  local lines
  mapfile -t lines <<<"$report"
  expect_eq "${#lines[@]}" 3 "$program --version line count"
  expect_eq "${lines[0]}" "$program $version" "$program --version first line"
  local libraries
  libraries="^${qt_prefix}LibTorch $(regex_quote "$MTLW_EXPECT_TORCH_VERSION") \((CPU only|CUDA [0-9]+\.[0-9]+)\), OpenCV $(regex_quote "$MTLW_EXPECT_OPENCV_VERSION"), yaml-cpp $(regex_quote "$MTLW_EXPECT_YAML_CPP_VERSION"), SQLite $(regex_quote "$MTLW_EXPECT_SQLITE_VERSION")\$"
  [[ ${lines[1]} =~ $libraries ]] || fail "$program --version libraries: '${lines[1]}' does not match '$libraries'"
  [[ ${lines[2]} =~ ^device:\ (cpu|cuda)\ \(.+\)$ ]] || fail "$program --version device: '${lines[2]}'"
}

echo "== installed mtlw --version"
check_version_report mtlw "" "$("$root/usr/bin/mtlw" --version)"

echo "== installed mtlw: commands reach the installed helpers"
for program in bin/mtlw libexec/mtl-workbench/mtlw-data; do
  ldd "$root/usr/$program" | grep -qE 'lib(torch|torch_cpu|c10)\.so' && fail "installed $program loads LibTorch"
done
"$root/usr/bin/mtlw" run --help | grep -q -- '--resume RUN' || fail "installed 'mtlw run --help' did not reach mtlw-model"
"$root/usr/bin/mtlw" synth --help | grep -q -- '--out DIR' || fail "installed 'mtlw synth --help' did not reach mtlw-data"

echo "== installed man page against the installed mtlw --help"
gzip -dc "$root/usr/share/man/man1/mtlw.1.gz" >"$work/mtlw.1"
commands=$("$root/usr/bin/mtlw" --help | sed -n 's/^  \([a-z][a-z0-9-]*\) .*/\1/p')
[ -n "$commands" ] || fail "mtlw --help lists no commands"
for command in $commands; do
  # The command's subsection: from ".SS mtlw COMMAND" to the next heading; dashes are "\-".
  heading=".SS mtlw ${command//-/\\-}"
  HEADING=$heading awk 'index($0, ENVIRON["HEADING"]) == 1 && (length($0) == length(ENVIRON["HEADING"]) ||
      substr($0, length(ENVIRON["HEADING"]) + 1, 1) == " ") { on = 1; next } /^\.S[SH] / { on = 0 } on' \
    "$work/mtlw.1" >"$work/section"
  [ -s "$work/section" ] || fail "man page has no section for '$command'"
  options=$("$root/usr/bin/mtlw" "$command" --help | sed -n 's/^  \(--[a-z0-9-]*\).*/\1/p')
  [ -n "$options" ] || fail "mtlw $command --help lists no options"
  for option in $options; do
    grep -qE "^\.B $(regex_quote "${option//-/\\-}")( |\$)" "$work/section" || fail "man page: '$command' lacks $option"
  done
  echo "$command: $(wc -w <<<"$options") options described"
done

if [ "$gui" = 1 ]; then
  echo "== installed mtl-workbench --version (no display at all)"
  check_version_report mtl-workbench "Qt $(regex_quote "$MTLW_EXPECT_QT_VERSION"), " \
    "$(env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM "$root/usr/bin/mtl-workbench" --version)"

  echo "== installed mtl-workbench started offscreen, closed by SIGTERM"
  XDG_DATA_HOME=$work/data XDG_CONFIG_HOME=$work/config XDG_CACHE_HOME=$work/cache QT_QPA_PLATFORM=offscreen \
    "$root/usr/bin/mtl-workbench" --registry "$work/registry.sqlite" >"$work/gui.log" 2>&1 &
  pid=$!
  # main() installs its SIGTERM handler right after building the window: wait for that (bit 15-1
  # of the caught-signal mask), so that the signal tests the clean shutdown and not the default.
  for _ in $(seq 600); do
    caught=$(awk '/^SigCgt:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
    if (( (16#$caught >> 14) & 1 )); then break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -TERM "$pid" 2>/dev/null || true
  status=0
  wait "$pid" || status=$?
  cat "$work/gui.log"
  expect_eq "$status" 0 "mtl-workbench exit status after SIGTERM"
  [ -f "$work/registry.sqlite" ] || fail "mtl-workbench did not open its registry"
fi
echo "PASS"
