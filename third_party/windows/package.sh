#!/bin/sh
# Packs the Windows build (make windows) for hosts: dist/Cunbo-<version>-setup.exe (NSIS) and
# dist/Cunbo-<version>-portable.zip, from one staged folder:
#   cunbo.exe (the command line), cunbo-studio.exe (the window, no console; what 村播 opens),
#   every DLL, assets/ (strings, sample catalog, sounds, images) and assets/fonts/ with a
#   subset of Noto Sans CJK SC, used only where Windows has neither 微软雅黑 nor 等线.
# Usage: package.sh APP_BUILD_DIR VERSION
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
app=$1
version=$2
stage=$repo/build/windows/stage/Cunbo
dist=$repo/dist
need() { command -v "$1" >/dev/null 2>&1 || { echo "$1 not found: install the Debian package '$2' (or run 'make windows-deps')"; exit 1; }; }
need makensis nsis
need pyftsubset fonttools
need zip zip
noto=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
[ -f "$noto" ] || { echo "$noto not found: install the Debian package 'fonts-noto-cjk' (or run 'make deps')"; exit 1; }

rm -rf "$stage"
mkdir -p "$stage/assets/fonts" "$dist"
cp "$app/client/cunbo.exe" "$app/client/cunbo-studio.exe" "$app"/client/*.dll "$stage/"
x86_64-w64-mingw32-strip "$stage"/*.exe
cp -r "$repo/assets/strings.json" "$repo/assets/sample-catalog.json" "$repo/assets/sounds" "$repo/assets/images" "$stage/assets/"
# Face 2 of the collection is Simplified Chinese.
python3 "$repo/third_party/windows/font-subset.py" "$repo" > "$repo/build/windows/font-chars.txt"
pyftsubset "$noto" --font-number=2 --unicodes-file="$repo/build/windows/font-chars.txt" \
  --layout-features='*' --no-hinting --desubroutinize --output-file="$stage/assets/fonts/NotoSansCJKsc-subset.otf"

zip_name=Cunbo-$version-portable.zip
rm -f "$dist/$zip_name"
(cd "$stage/.." && zip -q -r -9 "$dist/$zip_name" Cunbo)
makensis -V2 -DVERSION="$version" -DSTAGE="$stage" -DOUTFILE="$dist/Cunbo-$version-setup.exe" \
  "$repo/third_party/windows/installer.nsi"
for f in "$dist/Cunbo-$version-setup.exe" "$dist/$zip_name"; do
  echo "$(du -k "$f" | cut -f1) KiB  $f"
done
