# Sourced by practice_vs_ffmpeg.sh: the camera-like clip both tools encode (see its header),
# made once and cached in BUILD_DIR/bench-cache/, and the ffprobe helpers. Uses the main
# script's globals (BUILD_DIR, CLIP, RAW_CLIP, FPS, WIDTH, HEIGHT, …).
# shellcheck shell=bash disable=SC2034
# The still the camera looks at: 3840x2160 so a 1280x720 window has room to pan. Mandelbrot
# gives structure from flat sky to pixel-fine filigree; a slight blur stands in for the lens;
# blurred noise blended in ("overlay") gives even the flat areas a surface texture, as walls,
# cloth and skin have.
make_texture() {
  local out="$1"
  ffmpeg -hide_banner -nostdin -loglevel error -y \
    -f lavfi -i "mandelbrot=size=3840x2160:rate=1:maxiter=2000:start_scale=0.015" \
    -f lavfi -i "color=c=gray:s=3840x2160:r=1,format=gray,noise=alls=100:allf=u:all_seed=2,gblur=sigma=4,lut=y='clip((val-128)*10+128,0,255)',format=gbrp" \
    -filter_complex "[0:v]format=gbrp,gblur=sigma=0.8[scene];[scene][1:v]blend=all_mode=overlay:all_opacity=0.6,format=rgb24" \
    -frames:v 1 "$out"
}

# The clip: the window drifts across the still (a slow sweep, never under ~3 px per frame,
# plus a few pixels of hand shake), every frame gets fresh sensor noise, and a USB webcam's
# MJPEG (yuvj422p, full range) stores it. Audio: two tones and a little hiss, 48 kHz stereo
# PCM. settb=AVTB matters: in the still's 1/25 time base, N/30 rounds and one frame in six
# would repeat its predecessor's position.
make_clip() {
  local texture="$CACHE_DIR/texture-3840x2160-${TEXTURE_RECIPE}.png"
  if [[ ! -s "$texture" ]]; then
    echo "generating the texture (once, ~30 s) ..."
    make_texture "$texture.tmp.png" && mv "$texture.tmp.png" "$texture"
  fi
  echo "generating the ${CLIP_SECONDS} s camera-like clip (once, ~20 s) ..."
  local pan_x="(iw-ow)*(0.5-0.5*cos(2*PI*t/42))+4*sin(2*PI*t*0.7)"
  local pan_y="(ih-oh)*(0.5+0.45*sin(2*PI*t/17))+3*sin(2*PI*t*1.1)"
  local tmp="$MJPEG_CLIP.tmp.mkv"
  ffmpeg -hide_banner -nostdin -loglevel error -y \
    -i "$texture" \
    -f lavfi -i "aevalsrc='0.25*sin(2*PI*440*t)+0.03*(random(0)*2-1)|0.25*sin(2*PI*660*t)+0.03*(random(1)*2-1)':s=48000:d=$CLIP_SECONDS" \
    -filter_complex "[0:v]loop=loop=-1:size=1:start=0,settb=AVTB,setpts=N/$FPS/TB,crop=w=$WIDTH:h=$HEIGHT:x='$pan_x':y='$pan_y',format=yuvj422p,noise=alls=12:allf=t[v]" \
    -map "[v]" -map 1:a -t "$CLIP_SECONDS" -r "$FPS" \
    -c:v mjpeg -q:v 3 -c:a pcm_s16le -ar 48000 -ac 2 "$tmp"
  mv "$tmp" "$MJPEG_CLIP"
  # Older recipes' clips are ~300 MB (raw: ~870 MB) each: keep only this recipe's.
  find "$CACHE_DIR" -maxdepth 1 \( -name 'camera-pan-*.mkv' -o -name 'texture-*.png' \) \
    ! -path "$MJPEG_CLIP" ! -path "$RAW_CLIP" ! -path "$texture" -delete
}

# The raw clip: the MJPEG clip's pictures converted once to limited-range yuv420p (what the
# encoder takes; cunbo then passes them through untouched) and stored as rawvideo, with the
# same PCM sound.
make_raw_clip() {
  echo "generating the raw yuv420p clip from the MJPEG one (once, ~10 s) ..."
  local tmp="$RAW_CLIP.tmp.mkv"
  ffmpeg -hide_banner -nostdin -loglevel error -y -i "$MJPEG_CLIP" -map 0:v:0 -map 0:a:0 \
    -vf "scale=in_range=pc:out_range=tv,format=yuv420p" -c:v rawvideo -c:a copy "$tmp"
  mv "$tmp" "$RAW_CLIP"
}

ensure_clip() {
  mkdir -p "$CACHE_DIR"
  local made=0
  if [[ ! -s "$MJPEG_CLIP" ]]; then make_clip; made=1; fi
  if [[ "$CLIP" == "$RAW_CLIP" && ! -s "$RAW_CLIP" ]]; then make_raw_clip; made=1; fi
  if ((made)); then echo "clip: $CLIP (new)"; else echo "clip: $CLIP (cached)"; fi
}

# The clip's pictures as the limited-range yuv420p an output shows (for --check-frames).
clip_to_output_range() { if [[ "$CLIP" == "$RAW_CLIP" ]]; then echo "format=yuv420p"; else echo "scale=in_range=pc:out_range=tv,format=yuv420p"; fi; }

probe() {  # probe FILE SECTION=ENTRIES [SELECT]: one value per line
  ffprobe -v error ${3:+-select_streams "$3"} -show_entries "$2" -of default=noprint_wrappers=1:nokey=1 "$1"
}

clip_seconds() { probe "$CLIP" format=duration | awk '{ printf "%d", $1 }'; }

# The CLI's input side: real-time pacing like a camera, looping only when the clip is too short.
cli_input_options() {
  local -a opts=(-re)
  if (($(clip_seconds) < DURATION)); then opts+=(-stream_loop -1); fi
  opts+=(-threads:v:0 "$CLI_DECODER_THREADS")
  printf '%s\n' "${opts[@]}"
}

