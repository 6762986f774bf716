#!/bin/sh
# Makes the studio window's notification sound with the ffmpeg CLI (run once; the result is
# committed as assets/sounds/order.wav). lavfi sine peaks at 1/8 (−18 dBFS): the volume
# factors bring the chime to about −8 dBFS, clearly heard but not startling.
#   order.wav  a new order: a short, soft two-tone chime (A5 then E6, ~0.35 s), mono 16-bit 48 kHz.
#   alert.wav  the stream reaches no platform: three low, firm beeps (E5, ~0.9 s), same format.
set -eu
cd "$(dirname "$0")"
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "sine=frequency=880:sample_rate=48000:duration=0.13,volume=3.0,afade=t=in:d=0.006,afade=t=out:st=0.07:d=0.06" \
  -f lavfi -i "sine=frequency=1318.51:sample_rate=48000:duration=0.24,volume=2.6,afade=t=in:d=0.006,afade=t=out:st=0.06:d=0.18" \
  -filter_complex "[0:a][1:a]concat=n=2:v=0:a=1,aformat=sample_fmts=s16:channel_layouts=mono" \
  -map_metadata -1 -fflags +bitexact -flags:a +bitexact -c:a pcm_s16le order.wav
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "sine=frequency=659.25:sample_rate=48000:duration=0.18,volume=3.2,afade=t=in:d=0.005,afade=t=out:st=0.13:d=0.05,apad=pad_dur=0.12" \
  -filter_complex "[0:a]asplit=3[a][b][c];[a][b][c]concat=n=3:v=0:a=1,aformat=sample_fmts=s16:channel_layouts=mono" \
  -map_metadata -1 -fflags +bitexact -flags:a +bitexact -c:a pcm_s16le alert.wav
