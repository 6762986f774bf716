#!/bin/sh
# Installs the Debian packages in a list (debian-packages.txt, or the one named: the Windows
# build's is third_party/windows/debian-packages.txt) that are missing; fetches nothing when
# all are present. Root runs apt-get directly, anyone else through sudo.
set -eu
list="${1:-$(dirname "$0")/debian-packages.txt}"
missing=""
for pkg in $(grep -v '^\s*#' "$list" | grep -v '^\s*$'); do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  case "$status" in
    *" installed") ;;
    *) missing="$missing $pkg" ;;
  esac
done
[ -z "$missing" ] && exit 0
echo "Installing missing Debian packages:$missing"
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
# shellcheck disable=SC2086
$sudo apt-get install -y -q --no-install-recommends $missing
