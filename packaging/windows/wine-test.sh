#!/usr/bin/env bash
# bash packaging/windows/wine-test.sh dist/SalesDesk-<v>-setup.exe [OLDER-setup.exe]
# The Windows smoke test under Wine (Debian's wine64) in a virtual display, on a fresh prefix:
#  1. the installer installs silently, per user (no administrator), where it says;
#  2. the command line makes a demo office, renders a quote, issues it and verifies the issued PDF,
#     in a folder whose path has Chinese characters and spaces (C:\users\张三\我的 文档\), and its
#     Chinese output reads back;
#  3. the installed window starts and draws its first screen (a screenshot is saved);
#  4. installing this version over the older one given (or over itself) keeps the office in
#     %LOCALAPPDATA% (check passes, the data unchanged) and updates the uninstall entry's version;
#     uninstalling keeps the office too.
# What Wine cannot show — a real printer, the file dialog — is said in the README.
set -euo pipefail
setup=$(realpath "$1")
first=$(realpath "${2:-$1}")   # what is installed first: an older version, or this one
version=$(basename "$setup" | sed -n 's/^SalesDesk-\(.*\)-setup\.exe$/\1/p')
shots=${SHOTS:-$PWD/dist}
here=$(cd "$(dirname "$0")" && pwd)
for p in wine64:wine64 xvfb:Xvfb xdotool:xdotool imagemagick:import; do
  command -v "${p#*:}" >/dev/null || [ -x "/usr/lib/wine/${p#*:}" ] || missing+=" ${p%%:*}"
done
if [ -n "${missing:-}" ]; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
wine=$(command -v wine64 || echo /usr/lib/wine/wine64)
work=$(mktemp -d)
export WINEPREFIX=$work/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
d=120; while [ -e /tmp/.X11-unix/X$d ] || [ -e /tmp/.X$d-lock ]; do d=$((d+1)); done
Xvfb :$d -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 & xvfb=$!
export DISPLAY=:$d
wineserver=$(dirname "$wine")/wineserver; command -v wineserver >/dev/null && wineserver=wineserver
cleanup() { "$wineserver" -k >/dev/null 2>&1 || true; "$wineserver" -w >/dev/null 2>&1 || true; kill $xvfb 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
step() { echo "== $*"; }
fail() { echo "wine-test: $*" >&2; exit 1; }

step "a fresh Wine prefix"
"$wine" wineboot -i >/dev/null 2>&1
user=$(ls "$WINEPREFIX/drive_c/users" | grep -vx Public | head -1)
local_appdata="$WINEPREFIX/drive_c/users/$user/AppData/Local"
app="$local_appdata/Programs/SalesDesk"

step "the installer, silently (/S), per user: $(basename "$first")"
"$wine" "$first" /S
[ -f "$app/salesdesk.exe" ] && [ -f "$app/salesdeskw.exe" ] && [ -f "$app/uninstall.exe" ] \
  || fail "the program is not in $app"
find "$WINEPREFIX/drive_c/users/$user" -name '销售部工作台.lnk' | grep -q . || fail "no shortcut made"
"$wine" reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\SalesDesk' /v DisplayVersion \
  | tr -d '\r' | grep -q DisplayVersion || fail "no uninstall entry under HKCU"
# Wine 8.0 lacks ProcessPrng: the test-only shim goes beside the installed programs (never shipped).
x86_64-w64-mingw32-gcc -shared -O2 -o "$app/bcryptprimitives.dll" "$here/prng-shim.c" -ladvapi32

sd() { "$wine" "$app/salesdesk.exe" "$@" 2> "$work/err.txt" | tr -d '\r'; }
docs='C:\users\张三\我的 文档'
mkdir -p "$WINEPREFIX/drive_c/users/张三/我的 文档"
db="$docs\\office.db"
export SALESDESK_PASSWORD=demo1234

step "the command line in $docs"
sd demo --db "$db" | tee "$work/demo.txt"
grep -q '已创建演示办公室' "$work/demo.txt" || { cat "$work/err.txt"; fail "demo: no Chinese confirmation"; }
sd check --db "$db" > "$work/check.txt" || { cat "$work/err.txt"; fail "check failed"; }
quote=$(sd quotes --db "$db" --user sunli --status approved | awk -F'\t' '$1 ~ /^BJ-/ {print $1; exit}')
[ -n "$quote" ] || fail "no approved quote in the demo office"
sd render --db "$db" --user sunli --quote "$quote" --out "$docs\\草稿 $quote.pdf" >/dev/null \
  || { cat "$work/err.txt"; fail "render failed"; }
sd issue --db "$db" --user sunli --quote "$quote" --out "$docs\\报价单 $quote.pdf" | tee "$work/issue.txt" \
  || { cat "$work/err.txt"; fail "issue failed"; }
sd verify --db "$db" "$docs\\报价单 $quote.pdf" | tee "$work/verify.txt" \
  || { cat "$work/err.txt"; fail "verify refused the issued PDF"; }
for f in "草稿 $quote.pdf" "报价单 $quote.pdf"; do
  head -c 5 "$WINEPREFIX/drive_c/users/张三/我的 文档/$f" | grep -q '%PDF-' || fail "$f is not a PDF"
done

step "the default office in %LOCALAPPDATA%, kept by a reinstall and by the uninstall"
sd demo | grep -q '已创建演示办公室' || { cat "$work/err.txt"; fail "demo in the default place"; }
office=$(find "$local_appdata/SalesDesk" -name office.db | head -1)
[ -n "$office" ] || fail "the default office is not under %LOCALAPPDATA%\\SalesDesk"
before=$(sha256sum "$office" | cut -d' ' -f1)
step "$(basename "$setup") over $(basename "$first")"
"$wine" "$setup" /S
shown=$("$wine" reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\SalesDesk' /v DisplayVersion | tr -d '\r')
echo "$shown" | grep -q "REG_SZ *$version\$" || fail "the uninstall entry does not say $version: $shown"
[ -f "$app/bcryptprimitives.dll" ] || x86_64-w64-mingw32-gcc -shared -O2 -o "$app/bcryptprimitives.dll" "$here/prng-shim.c" -ladvapi32
[ "$(sha256sum "$office" | cut -d' ' -f1)" = "$before" ] || fail "the reinstall changed the office file"
sd check | grep -q . || { cat "$work/err.txt"; fail "check after the reinstall"; }

step "the window"
"$wine" "$app/salesdeskw.exe" >/dev/null 2>&1 &
win=$!
for _ in $(seq 1 60); do
  xdotool search --name 'SalesDesk' >/dev/null 2>&1 && break
  sleep 1
done
xdotool search --name 'SalesDesk' >/dev/null 2>&1 || fail "the window did not open"
sleep 8
import -window root "$shots/wine-sign-in.png"
# salesdeskw.exe started salesdesk.exe and left: end every program of this prefix (a running .exe
# cannot be deleted by the uninstaller, as on Windows).
"$wineserver" -k >/dev/null 2>&1 || true
"$wineserver" -w >/dev/null 2>&1 || true
wait $win 2>/dev/null || true
echo "saved $shots/wine-sign-in.png"

step "uninstall, silently: the program goes, the office stays"
rm -f "$app/bcryptprimitives.dll"
"$wine" "$app/uninstall.exe" /S
# The NSIS uninstaller copies itself away and returns at once: wait for it.
for _ in $(seq 1 30); do [ -f "$app/salesdesk.exe" ] || break; sleep 1; done
[ ! -f "$app/salesdesk.exe" ] || fail "the uninstall left the program"
[ -f "$office" ] || fail "the uninstall removed the office"
echo "wine-test: all passed"
