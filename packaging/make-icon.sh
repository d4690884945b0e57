#!/usr/bin/env bash
# Draws SalesDesk's icon at each size Windows and the Linux desktops ask for, and the .ico that
# holds them: a blue tile with 销 in white and, from 32 px up, a red round seal at its corner (the
# 公章 every quotation leaves with). Each size is drawn at that size, not scaled down from 256, so
# the glyph keeps its strokes at 16 px. Run from the repository root; needs ImageMagick.
# The results are committed under assets/icon/; run again only to change the design.
set -euo pipefail
font=assets/fonts/NotoSansSC_700Bold.ttf
out=assets/icon
mkdir -p "$out"
for s in 16 24 32 48 64 128 256; do
  r=$(( s / 6 ))                        # corner radius
  if [ "$s" -ge 32 ]; then pt=$(( s * 62 / 100 )); dx=$(( -s / 16 )); dy=$(( -s / 12 )); else pt=$(( s * 80 / 100 )); dx=0; dy=$(( -s / 16 )); fi
  args=(-size "${s}x${s}" xc:none -fill '#1F5FA8' -draw "roundrectangle 0,0 $((s-1)),$((s-1)) $r,$r")
  args+=(-font "$font" -fill white -pointsize "$pt" -gravity center -annotate "$(printf "%+d%+d" "$dx" "$dy")" '销')
  if [ "$s" -ge 32 ]; then
    c=$(( s * 82 / 100 )); rad=$(( s * 12 / 100 )); w=$(( s / 40 + 1 ))
    args+=(-gravity northwest -fill '#C0392B' -stroke white -strokewidth "$w" -draw "circle $c,$c $((c + rad)),$c")
  fi
  convert "${args[@]}" "PNG32:$out/salesdesk-$s.png"
done
convert "$out"/salesdesk-{16,24,32,48,64,128,256}.png "$out/salesdesk.ico"
echo "drew $out/salesdesk-{16..256}.png and $out/salesdesk.ico"
