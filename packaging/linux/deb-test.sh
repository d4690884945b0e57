#!/usr/bin/env bash
# bash packaging/linux/deb-test.sh dist/salesdesk_<v>_amd64.deb
# Installs the package with apt (which installs its Depends — the run-time GL, X11, xkbcommon and
# Wayland libraries no linker sees), checks what it put where, makes a demo office with the
# installed program, starts the window as the menu entry does under Xvfb and finds it by the
# entry's StartupWMClass (a screenshot is saved), then removes the package: the office stays.
set -euo pipefail
deb=$(realpath "$1")
shots=${SHOTS:-$PWD/dist}
sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
fail() { echo "deb-test: $*" >&2; exit 1; }
for p in xvfb:Xvfb xdotool:xdotool imagemagick:import desktop-file-utils:desktop-file-validate; do
  command -v "${p#*:}" >/dev/null || missing+=" ${p%%:*}"
done
[ -z "${missing:-}" ] || { $sudo apt-get update -qq >/dev/null; $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null; }

echo "== apt installs the package and what it depends on"
$sudo apt-get install -y -qq "$deb" >/dev/null
dpkg -s salesdesk | grep -q '^Status: install ok installed' || fail "not installed"
for f in /usr/bin/salesdesk /usr/share/applications/salesdesk.desktop \
         /usr/share/icons/hicolor/48x48/apps/salesdesk.png /usr/share/icons/hicolor/256x256/apps/salesdesk.png \
         /usr/share/doc/salesdesk/copyright; do
  [ -e "$f" ] || fail "$f missing"
done
desktop-file-validate /usr/share/applications/salesdesk.desktop
# Every run-time library the package declares is now on the machine. (The cache is read once:
# `ldconfig -p | grep -q` under pipefail fails when grep stops reading a long list early.)
cache=$(ldconfig -p)
for lib in libEGL.so.1 libGL.so.1 libxkbcommon-x11.so.0 libXcursor.so.1 libXi.so.6 libXrandr.so.2 libwayland-client.so.0; do
  grep -qF "$lib" <<< "$cache" || fail "$lib not installed with the package"
done

work=$(mktemp -d); trap 'kill ${app:-} ${xvfb:-} 2>/dev/null || true; rm -rf "$work"' EXIT
export HOME=$work SALESDESK_PASSWORD=demo1234
echo "== the installed program makes the demo office in its data folder"
salesdesk demo | grep -q '已创建演示办公室' || fail "demo"
office=$work/.local/share/salesdesk/office.db
[ -f "$office" ] || fail "the office is not at $office"

echo "== the window, started as the menu entry starts it"
exec_line=$(sed -n 's/^Exec=//p' /usr/share/applications/salesdesk.desktop)
class=$(sed -n 's/^StartupWMClass=//p' /usr/share/applications/salesdesk.desktop)
d=130; while [ -e /tmp/.X11-unix/X$d ] || [ -e /tmp/.X$d-lock ]; do d=$((d+1)); done
Xvfb :$d -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 & xvfb=$!
sleep 1
DISPLAY=:$d $exec_line > "$work/window.log" 2>&1 & app=$!
for _ in $(seq 1 30); do DISPLAY=:$d xdotool search --class "$class" >/dev/null 2>&1 && break; sleep 1; done
DISPLAY=:$d xdotool search --class "$class" >/dev/null 2>&1 || { cat "$work/window.log"; fail "no window of class $class"; }
sleep 4
kill -0 $app || { cat "$work/window.log"; fail "the window exited"; }
DISPLAY=:$d import -window root "$shots/deb-window.png"
echo "saved $shots/deb-window.png"
kill $app; wait $app 2>/dev/null || true

echo "== removing the package keeps the office"
$sudo apt-get remove -y -qq salesdesk >/dev/null
[ ! -e /usr/bin/salesdesk ] || fail "the program is still there"
[ -f "$office" ] || fail "the office went with the package"
echo "deb-test: all passed"
