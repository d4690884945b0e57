#!/usr/bin/env bash
# deb.sh BINARY VERSION OUTDIR: the Debian/Ubuntu package salesdesk_<VERSION>_amd64.deb from a built
# `salesdesk`. dpkg-deb, not cargo-deb: the package is a binary, a desktop entry, the icons and the
# copyright file, and the one subtle part — the libraries the window loads at run time (OpenGL/EGL,
# X11, xkbcommon, Wayland; winit and glutin open them with dlopen, so no linker and no
# dpkg-shlibdeps can see them) — is a list either way. dpkg-shlibdeps adds what the binary links.
set -euo pipefail
bin=$1; version=$2; out=$3
root=$(cd "$(dirname "$0")/../.." && pwd)
stage=$(mktemp -d); trap 'rm -rf "$stage"' EXIT
pkg=$stage/pkg
install -D -m 0755 "$bin" "$pkg/usr/bin/salesdesk"
strip --strip-unneeded "$pkg/usr/bin/salesdesk" 2>/dev/null || true
install -D -m 0644 "$root/packaging/linux/salesdesk.desktop" "$pkg/usr/share/applications/salesdesk.desktop"
for s in 16 24 32 48 64 128 256; do
  install -D -m 0644 "$root/assets/icon/salesdesk-$s.png" "$pkg/usr/share/icons/hicolor/${s}x${s}/apps/salesdesk.png"
done
doc=$pkg/usr/share/doc/salesdesk
install -d "$doc"
{
  echo "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
  echo "Upstream-Name: SalesDesk"
  echo
  echo "Files: *"
  echo "License: MIT"
  echo
  echo "Files: fonts built into /usr/bin/salesdesk (Noto Sans SC, Noto Serif SC)"
  echo "License: OFL-1.1"
  echo
  sed 's/^$/./; s/^/ /' "$root/assets/fonts/OFL.txt"
} > "$doc/copyright"

# What the binary links (glibc, libgcc …), read by dpkg-shlibdeps from a throwaway debian/control.
mkdir -p "$stage/debian"
printf 'Source: salesdesk\n\nPackage: salesdesk\nArchitecture: amd64\n' > "$stage/debian/control"
linked=$(cd "$stage" && dpkg-shlibdeps -O "$pkg/usr/bin/salesdesk" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
# What the window opens at run time (see above).
loaded="libgl1, libegl1, libx11-6, libx11-xcb1, libxcursor1, libxrandr2, libxi6, libxkbcommon0, libxkbcommon-x11-0, libwayland-client0, libwayland-cursor0, libwayland-egl1"
size=$(du -sk "$pkg/usr" | cut -f1)
install -d "$pkg/DEBIAN"
cat > "$pkg/DEBIAN/control" <<CONTROL
Package: salesdesk
Version: $version
Architecture: amd64
Maintainer: SalesDesk <salesdesk@localhost>
Installed-Size: $size
Depends: ${linked:+$linked, }$loaded
Recommends: libgl1-mesa-dri, libegl-mesa0, xdg-desktop-portal-gtk | xdg-desktop-portal
Suggests: cups
Section: office
Priority: optional
Homepage: https://localhost/salesdesk
Description: 销售部工作台 SalesDesk — the sales department's office desk
 Customer archive and visits, phone price inquiries, inquiries and tenders
 with the head's go/no-go, quotes and bids from the price table with
 approvals, formal 报价单 and 投标书 PDFs with the document register,
 contracts and receivables. One office file, or an office server
 (PostgreSQL) for several seats.
CONTROL
mkdir -p "$out"
deb=$out/salesdesk_${version}_amd64.deb
dpkg-deb --root-owner-group --build "$pkg" "$deb" >/dev/null
echo "$deb"
