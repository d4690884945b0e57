#!/usr/bin/env bash
# Side by side (issue 10): the same 20-line 报价单 made by
#   (a) SalesDesk's CLI, whole process (`salesdesk render`: start, open, argon2 sign-in, fonts, PDF),
#   (b) SalesDesk in process (`Service::print_quote` with the fonts kept, median of 50; from
#       `cargo bench --bench peers`, which also writes the quote as HTML and xlsx),
#   (c) wkhtmltopdf from the equivalent HTML page (default options, and --javascript-delay 0),
#   (d) LibreOffice headless converting the equivalent xlsx to PDF,
# RUNS timed runs each after one untimed warm-up, medians and ratios against (a); each PDF's size;
# whether its text reads back exactly (pdftotext: customer, the 20 product names, total, 大写).
# All peers use Noto Sans SC — the font SalesDesk embeds — through a private fontconfig file.
#
#   bash benches/compare.sh            (RUNS=7 by default; OUT=target/bench-data/compare)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
RUNS=${RUNS:-7}
OUT=${OUT:-$ROOT/target/bench-data/compare}
mkdir -p "$OUT"

# --- the peers, installed if missing --------------------------------------------------------------
missing=()
command -v wkhtmltopdf >/dev/null || missing+=(wkhtmltopdf)
command -v soffice >/dev/null || missing+=(libreoffice-calc-nogui)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
if ((${#missing[@]})); then
    echo "installing ${missing[*]} …" >&2
    SUDO=()
    [ "$(id -u)" -eq 0 ] || SUDO=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get install -y wkhtmltopdf libreoffice-calc-nogui poppler-utils >&2 ||
        { "${SUDO[@]}" apt-get update >&2 && "${SUDO[@]}" apt-get install -y wkhtmltopdf libreoffice-calc-nogui poppler-utils >&2; }
fi

# --- SalesDesk: the binary, the office with the draft, the in-process figure, HTML and xlsx --------
cargo build --release --quiet --bin salesdesk
PEERS=$(cargo bench --quiet --bench peers -- "$OUT")
value() { sed -n "s/^$1=//p" <<<"$PEERS"; }
DB=$(value db)
QUOTE=$(value quote)
INPROCESS_MS=$(value inprocess_ms)
INPROCESS_BYTES=$(value inprocess_bytes)

# The bundled font, known to fontconfig for the peers only.
cat >"$OUT/fonts.conf" <<EOF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>$ROOT/assets/fonts</dir>
  <cachedir>$OUT/fontconfig-cache</cachedir>
</fontconfig>
EOF
export FONTCONFIG_FILE="$OUT/fonts.conf"

# --- timing -------------------------------------------------------------------------------------
now_ns() { date +%s%N; }
# run NAME PDF CMD…: one warm-up, then RUNS timed runs; sets MEDIAN[NAME] and ALL[NAME] (seconds)
declare -A MEDIAN ALL PDF
run() {
    local name=$1 pdf=$2
    shift 2
    rm -f "$pdf"
    "$@" >/dev/null 2>&1 || { echo "$name failed: $*" >&2; return 1; }
    local times=()
    for ((i = 0; i < RUNS; i++)); do
        local t0 t1
        t0=$(now_ns)
        "$@" >/dev/null 2>&1
        t1=$(now_ns)
        times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')")
    done
    MEDIAN[$name]=$(printf '%s\n' "${times[@]}" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
    ALL[$name]="${times[*]}"
    PDF[$name]=$pdf
}

export SALESDESK_PASSWORD=demo1234
run cli "$OUT/salesdesk-cli.pdf" \
    "$ROOT/target/release/salesdesk" render --db "$DB" --user zhaomin --quote "$QUOTE" --out "$OUT/salesdesk-cli.pdf"
run wk_default "$OUT/wkhtmltopdf.pdf" wkhtmltopdf -q "$OUT/quote.html" "$OUT/wkhtmltopdf.pdf"
run wk_js0 "$OUT/wkhtmltopdf-js0.pdf" wkhtmltopdf -q --javascript-delay 0 "$OUT/quote.html" "$OUT/wkhtmltopdf-js0.pdf"
mkdir -p "$OUT/lo"
run libreoffice "$OUT/lo/quote.pdf" soffice --headless "-env:UserInstallation=file://$OUT/lo-profile" \
    --convert-to pdf --outdir "$OUT/lo" "$OUT/quote.xlsx"

# --- does the text read back? --------------------------------------------------------------------
# Every expected text must appear in pdftotext's output — in its default (layout-ordered) or its
# -raw (content-stream-ordered) mode, since a wrapped table cell shares text lines with the cells
# beside it — white space removed from both. Prints "yes (M of M)" or "no: N of M missing (first: …)".
reads_back() {
    local text missing=0 total=0 first=""
    text="$(pdftotext -enc UTF-8 "$1" - | tr -d ' \n\t\r\f')|$(pdftotext -raw -enc UTF-8 "$1" - | tr -d ' \n\t\r\f')"
    while IFS= read -r want; do
        [ -n "$want" ] || continue
        total=$((total + 1))
        want=$(tr -d ' \t' <<<"$want")
        if ! grep -qF -- "$want" <<<"$text"; then
            missing=$((missing + 1))
            [ -n "$first" ] || first=$want
        fi
    done <"$OUT/expected.txt"
    if ((missing == 0)); then echo "yes ($total of $total)"; else echo "no: $missing of $total missing (first: $first)"; fi
}

# Which characters of the expected texts come back as other code points (the look-alike radicals).
look_alikes() {
    python3 - "$1" "$OUT/expected.txt" <<'PY' 2>/dev/null || true
import subprocess, sys, unicodedata
text = subprocess.run(["pdftotext", "-enc", "UTF-8", sys.argv[1], "-"], capture_output=True, text=True).stdout
odd = sorted({c for c in text if "KANGXI" in unicodedata.name(c, "") or "CJK RADICAL" in unicodedata.name(c, "")})
print(" ".join(f"{c}(U+{ord(c):04X})" for c in odd))
PY
}

size_kb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.0f KB", b / 1024 }'; }
ratio() { awk -v a="$1" -v b="${MEDIAN[cli]}" 'BEGIN { printf "%.2f×", a / b }'; }

echo
echo "The same 20-line 报价单 ($QUOTE), $RUNS runs each after a warm-up; $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wkhtmltopdf $(wkhtmltopdf --version 2>/dev/null | awk '{ print $2 }'); $(soffice --version 2>/dev/null | awk '{ print $1, $2 }' | head -1)"
echo
printf '| %-42s | %9s | %9s | %8s | %s |\n' "how" "median" "vs CLI" "PDF" "text reads back exactly"
printf '|%s|%s|%s|%s|%s|\n' "--------------------------------------------" "-----------" "-----------" "----------" "---"
inproc_s=$(awk -v m="$INPROCESS_MS" 'BEGIN { printf "%.4f", m / 1000 }')
row() { printf '| %-42s | %7.3f s | %9s | %8s | %s |\n' "$1" "$2" "$(ratio "$2")" "$3" "$4"; }
row "SalesDesk CLI, whole process (render)" "${MEDIAN[cli]}" "$(size_kb "${PDF[cli]}")" "$(reads_back "${PDF[cli]}")"
row "SalesDesk in process (fonts kept)" "$inproc_s" "$(awk -v b="$INPROCESS_BYTES" 'BEGIN { printf "%.0f KB", b / 1024 }')" \
    "$(reads_back "$OUT/salesdesk-inprocess.pdf")"
for name in wk_default wk_js0 libreoffice; do
    case $name in
    wk_default) label="wkhtmltopdf, default options" ;;
    wk_js0) label="wkhtmltopdf --javascript-delay 0" ;;
    libreoffice) label="LibreOffice headless, xlsx → pdf" ;;
    esac
    row "$label" "${MEDIAN[$name]}" "$(size_kb "${PDF[$name]}")" "$(reads_back "${PDF[$name]}")"
done
echo
for name in cli wk_default wk_js0 libreoffice; do
    echo "runs ($name): ${ALL[$name]}"
done
for name in wk_default libreoffice; do
    odd=$(look_alikes "${PDF[$name]}")
    [ -z "$odd" ] || echo "look-alike radicals in $name's text layer: $odd"
done
echo "PDFs in $OUT"
