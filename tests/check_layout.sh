#!/bin/sh
# The layout shows the data flow (README, "Layout"): each folder may include only the folders
# below it. The static libraries' link dependencies catch most wrong includes; this catches the
# header-only ones too. Prints every include that points the wrong way; exits 1 if there is any.
#   media/          → media
#   client/base     → client/base
#   client/config   → client/base, client/config, media
#   client/platform → client/base, client/platform, media
#   client/session  → client/base, client/config, client/platform, client/session, media
#   client/studio   → the same and client/studio
#   client/cli      → the same and client/cli (main.cpp alone may also include ui/window, ui/overlay)
#   ui/overlay      → client/base, client/config, client/platform, client/session, media, ui/overlay
#   ui/window       → the same and client/studio, ui/window
set -eu
root="${1:-$(dirname "$0")/..}"
cd "$root"
status=0
check() {  # folder, allowed prefixes...
  folder=$1
  shift
  for file in "$folder"/*.h "$folder"/*.cpp; do
    [ -e "$file" ] || continue
    grep -o '^#include "[a-z_]*/[a-z_/]*\.h"' "$file" | sed 's/#include "//; s/"$//' | while read -r inc; do
      ok=0
      for allowed in "$@"; do
        case "$inc" in "$allowed"/*) ok=1 ;; esac
      done
      if [ "$file" = client/cli/main.cpp ]; then
        case "$inc" in ui/window/* | ui/overlay/*) ok=1 ;; esac
      fi
      if [ $ok -eq 0 ]; then
        echo "$file includes $inc: against the data flow"
        echo x >> "$marks"
      fi
    done
  done
}
marks=$(mktemp)
trap 'rm -f "$marks"' EXIT
base="client/base"
check media media
check client/base $base
check client/config $base client/config media
check client/platform $base client/platform media
check client/session $base client/config client/platform client/session media
check client/studio $base client/config client/platform client/session client/studio media
check client/cli $base client/config client/platform client/session client/studio client/cli media
check ui/overlay $base client/config client/platform client/session media ui/overlay
check ui/window $base client/config client/platform client/session client/studio media ui/overlay ui/window
if [ -s "$marks" ]; then status=1; else echo "every include follows the data flow"; fi
exit $status
