#!/usr/bin/env bash
# bash packaging/windows/wine-test.sh dist/SalesDesk-<v>-setup.exe [OLDER-setup.exe]
# The Windows smoke test under Wine (Debian's wine64) in a virtual display, on a fresh prefix:
#  1. the installer installs silently, per user (no administrator), where it says;
#  2. the command line makes a demo office, renders a quote, issues it and verifies the issued PDF,
#     in a folder whose path has Chinese characters and spaces (C:\users\张三\我的 文档\), and its
#     Chinese output reads back;
#  3. installing this version over the older one given (or over itself) keeps the office in
#     %LOCALAPPDATA% (check passes, the data unchanged) and updates the uninstall entry's version;
#  4. 打印 (by this version) goes through the Windows print system: Wine's winspool offers the
#     printers of a CUPS scheduler of the test's own, whose cups-pdf queue writes each job as a PDF;
#     SalesDesk draws the issued quote's pages onto that printer (two collated copies) and the
#     pages that come out are compared with the issued PDF;
#  5. the installed window starts and draws its first screen (a screenshot is saved);
#  6. uninstalling removes the program and keeps the office.
# What Wine cannot show — a real printer's driver, the file dialog — is said in the README.
set -euo pipefail
setup=$(realpath "$1")
first=$(realpath "${2:-$1}")   # what is installed first: an older version, or this one
version=$(basename "$setup" | sed -n 's/^SalesDesk-\(.*\)-setup\.exe$/\1/p')
shots=${SHOTS:-$PWD/dist}
here=$(cd "$(dirname "$0")" && pwd)
for p in wine64:wine64 xvfb:Xvfb xdotool:xdotool imagemagick:import cups:/usr/sbin/cupsd cups-client:lpadmin \
  printer-driver-cups-pdf:/usr/lib/cups/backend/cups-pdf poppler-utils:pdftoppm libcups2:/usr/lib/x86_64-linux-gnu/libcups.so.2; do
  command -v "${p#*:}" >/dev/null || [ -x "/usr/lib/wine/${p#*:}" ] || [ -e "${p#*:}" ] || missing+=" ${p%%:*}"
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
queue=sdwine$$
cleanup() {
  "$wineserver" -k >/dev/null 2>&1 || true; "$wineserver" -w >/dev/null 2>&1 || true
  kill $xvfb ${cupsd:-} 2>/dev/null || true; rm -rf "$work" "/etc/cups/cups-pdf-$queue.conf"
}
trap cleanup EXIT
step() { echo "== $*"; }
fail() { echo "wine-test: $*" >&2; exit 1; }

# A CUPS scheduler of the test's own on loopback with one cups-pdf queue (the office's printer).
# Wine's winspool reads the scheduler from libcups's client.conf: CUPS_SERVER in the environment
# would also reach SalesDesk, which then prints over IPP instead of through Windows.
port=$((20000 + RANDOM % 20000)); while (echo >/dev/tcp/127.0.0.1/$port) 2>/dev/null; do port=$((port + 1)); done
c=$work/cups
mkdir -p "$c"/{spool,cache,state,log,ppd} "$work/printed" "$work/home/.cups"
chmod 755 "$work" "$c"; chmod 777 "$work/printed"
printf 'Listen 127.0.0.1:%s\nLogLevel warn\nWebInterface No\nBrowsing No\nDefaultAuthType None\n<Location />\n  Order allow,deny\n  Allow all\n</Location>\n<Location /admin>\n  Order allow,deny\n  Allow all\n</Location>\n<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n' "$port" > "$c/cupsd.conf"
printf 'ServerRoot %s\nRequestRoot %s/spool\nCacheDir %s/cache\nStateDir %s/state\nTempDir %s/spool\nErrorLog %s/log/error_log\nServerBin /usr/lib/cups\nDataDir /usr/share/cups\nSystemGroup root\n' "$c" "$c" "$c" "$c" "$c" "$c" > "$c/cups-files.conf"
/usr/sbin/cupsd -f -c "$c/cupsd.conf" -s "$c/cups-files.conf" & cupsd=$!
# lpstat -r exits 0 whether or not the scheduler answers: read what it says (a fresh machine's
# first cupsd may take seconds; an lpadmin sent before it listens fails).
for _ in $(seq 1 300); do lpstat -h "127.0.0.1:$port" -r 2>/dev/null | grep -q 'is running' && break; sleep 0.1; done
lpstat -h "127.0.0.1:$port" -r 2>/dev/null | grep -q 'is running' \
  || { cat "$c/log/error_log" >&2 2>/dev/null; echo "wine-test: the test's CUPS scheduler did not start" >&2; exit 1; }
printf 'Out %s\nAnonDirName %s\nLabel 0\nUserUMask 0000\nAnonUMask 0000\n' "$work/printed" "$work/printed" > "/etc/cups/cups-pdf-$queue.conf"
lpadmin -h "127.0.0.1:$port" -p "$queue" -v "cups-pdf:/$queue" -P /usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd -E
lpadmin -h "127.0.0.1:$port" -d "$queue"
echo "ServerName 127.0.0.1:$port" > "$work/home/.cups/client.conf"
export HOME=$work/home
unset CUPS_SERVER

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

step "打印 through the Windows print system"
sd printers | tee "$work/printers.txt" || { cat "$work/err.txt"; fail "printers failed"; }
grep -q "^\* $queue" "$work/printers.txt" || { cat "$work/err.txt"; fail "Windows does not offer the test printer as the default"; }
# printed JOB: waits for cups-pdf's file of job JOB on the queue and names it.
printed() {
  local f
  for _ in $(seq 1 90); do
    f=$(find "$work/printed" -name "*-job_$1.pdf" | head -1)
    [ -n "$f" ] && pdfinfo "$f" >/dev/null 2>&1 && { echo "$f"; return; }
    sleep 1
  done
  fail "job $1 did not come out of the printer"
}
# same WANT.pdf FIRST LAST GOT.pdf COPIES: the printed file is pages FIRST..LAST of WANT, COPIES
# times, in order, on A4.
same() {
  local want=$1 first=$2 last=$3 got=$4 copies=$5 n=0 count
  count=$(pdfinfo "$got" | awk '/^Pages:/ {print $2}')
  [ "$count" = $(((last - first + 1) * copies)) ] || fail "printed $count pages, want $copies × pages $first-$last"
  pdfinfo "$got" | grep -q 'Page size: *595.* x 842' || fail "not on A4: $(pdfinfo "$got" | grep 'Page size')"
  rm -f "$work"/want-*.pgm "$work"/got-*.pgm
  pdftoppm -r 100 -gray -f "$first" -l "$last" "$want" "$work/want"
  pdftoppm -r 100 -gray "$got" "$work/got"
  for copy in $(seq 1 "$copies"); do
    for page in $(seq "$first" "$last"); do
      n=$((n + 1))
      convert "$(ls "$work"/want-*.pgm | sed -n "$((page - first + 1))p")" -blur 0x2 "$work/a.pgm"
      convert "$(ls "$work"/got-*.pgm | sed -n "${n}p")" -blur 0x2 "$work/b.pgm"
      # Mean absolute difference (0..1) of the two pages slightly blurred: the PDF's vector text
      # against the printed bitmap differs at the glyphs' edges and by a fraction of a millimetre
      # (about 0.009); the same page upside down or moved by 5 mm differs by 0.05. (compare
      # exits 1 when the images differ at all.)
      mae=$({ compare -metric MAE "$work/a.pgm" "$work/b.pgm" null: 2>&1 || true; } | sed -n 's/.*(\(.*\)).*/\1/p')
      echo "  sheet $n: page $page, copy $copy, mean difference $mae"
      awk -v m="$mae" 'BEGIN { exit !(m != "" && m < 0.02) }' || fail "printed sheet $n is not page $page ($mae)"
    done
  done
}
issued="$WINEPREFIX/drive_c/users/张三/我的 文档/报价单 $quote.pdf"
sd print --db "$db" --user sunli --quote "$quote" --printer "$queue" --copies 2 | tee "$work/print.txt"
grep -q "已将 .* 发送到打印机.*任务 1" "$work/print.txt" || { cat "$work/err.txt"; fail "print did not send the job"; }
out=$(printed 1)
same "$issued" 1 "$(pdfinfo "$issued" | awk '/^Pages:/ {print $2}')" "$out" 2
pdftoppm -r 150 -png -f 1 -l 1 -singlefile "$out" "$work/sheet"
convert "$work/sheet.png" -resize 620x "$shots/wine-printed.png"
echo "saved $shots/wine-printed.png"
# An issued bid (its stored file: the 正本 and its 副本) from the second to the fourth page.
bid=$(sd quotes --db "$db" --user sunli --status issued | awk -F'\t' '$1 ~ /^TB-/ {print $1; exit}')
[ -n "$bid" ] || fail "no issued bid in the demo office"
sd render --db "$db" --user sunli --bid "$bid" --out "$docs\\投标书 $bid.pdf" >/dev/null || { cat "$work/err.txt"; fail "render $bid"; }
# An issued bid prints with the sets it was issued with: asked for one, the refusal says how many.
if ! sd print --db "$db" --user sunli --bid "$bid" --printer "$queue" --pages 2-4 > "$work/print.txt"; then
  sets=$(sed -n 's/.*（份数 \([0-9]*\)）.*/\1/p' "$work/err.txt")
  [ -n "$sets" ] || { cat "$work/err.txt"; fail "print $bid"; }
  sd print --db "$db" --user sunli --bid "$bid" --printer "$queue" --pages 2-4 --copies "$sets" > "$work/print.txt" \
    || { cat "$work/err.txt"; fail "print $bid with its $sets sets"; }
fi
cat "$work/print.txt"
same "$WINEPREFIX/drive_c/users/张三/我的 文档/投标书 $bid.pdf" 2 4 "$(printed 2)" 1

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
