#!/usr/bin/env bash
# bash packaging/build.sh [--debug]
# Builds both office-PC artifacts into dist/, versioned from Cargo.toml:
#   dist/SalesDesk-<version>-setup.exe   Windows installer (per user, no administrator rights)
#   dist/salesdesk_<version>_amd64.deb   Debian/Ubuntu package
# Release builds by default; --debug packages debug builds (faster to make: CI's smoke tests).
# Installs what it needs first (Debian packages, the Rust Windows target).
set -euo pipefail
cd "$(dirname "$0")/.."
profile=release
[ "${1:-}" = "--debug" ] && profile=debug
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
bash packaging/tools.sh
flags=(); [ "$profile" = release ] && flags=(--release)
win=x86_64-pc-windows-gnu
mkdir -p dist

echo "== Linux ($profile)"
cargo build "${flags[@]}" --bin salesdesk
bash packaging/linux/deb.sh "target/$profile/salesdesk" "$version" dist

echo "== Windows ($profile, cross-compiled for $win)"
cargo build "${flags[@]}" --target "$win" --features windows-launcher --bins
# The installer carries stripped copies (a debug build's symbols are hundreds of megabytes).
stage="target/$win/$profile/installer"
rm -rf "$stage"; mkdir -p "$stage"
cp "target/$win/$profile/salesdesk.exe" "target/$win/$profile/salesdeskw.exe" "$stage/"
x86_64-w64-mingw32-strip "$stage"/*.exe
fast=(); [ "$profile" = debug ] && fast=(-DFAST)
makensis -V2 -INPUTCHARSET UTF8 "${fast[@]}" -DVERSION="$version" -DSRCDIR="$PWD/$stage" \
  -DOUTFILE="$PWD/dist/SalesDesk-$version-setup.exe" "$PWD/packaging/windows/installer.nsi"
echo "dist/SalesDesk-$version-setup.exe"
ls -l dist
