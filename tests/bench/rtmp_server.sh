# Sourced by practice_vs_ffmpeg.sh: the stream scenario's local RTMP server (Debian's nginx
# with libnginx-mod-rtmp), on a free loopback port, everything under the work directory.
# Uses the main script's globals (WORK, RTMP_MODULE, …).
# shellcheck shell=bash disable=SC2034
# configured as the tests' fixture does (tests/support/nginx_rtmp.cpp): foreground, single
# process, every path under $WORK/nginx, listening on a free loopback port, recording every
# publish to its own file. Its CPU is counted for neither side.
readonly RTMP_DIR="$WORK/nginx"
readonly RTMP_RECORDS="$WORK/rtmp-records"
RTMP_PORT=""

free_loopback_port() {  # a port that was free a moment ago (nginx cannot listen on port 0)
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

loopback_port_accepts() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

process_alive() {  # process_alive PID: running (a zombie, exited but not yet reaped, is not)
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat="${stat##*) }"
  [[ "${stat%% *}" != Z ]]
}

write_rtmp_config() {
  cat >"$RTMP_DIR/nginx.conf" <<EOF
daemon off;
master_process off;
load_module $RTMP_MODULE;
error_log $RTMP_DIR/logs/error.log info;
pid $RTMP_DIR/nginx.pid;
worker_rlimit_nofile 1024;
events { worker_connections 256; }
rtmp {
  server {
    listen 127.0.0.1:$RTMP_PORT;
    chunk_size 4096;
    application live {
      live on;
      record all;
      record_path $RTMP_RECORDS;
      record_unique on;
      record_suffix .flv;
    }
  }
}
EOF
}

# start_rtmp_server: sets RTMP_PORT and RTMP_PID once the server accepts connections. A port
# taken between our probe and nginx's bind makes nginx exit: then another port is tried.
start_rtmp_server() {
  mkdir -p "$RTMP_DIR/logs" "$RTMP_RECORDS"
  local attempt waited
  for attempt in 1 2 3 4 5; do
    RTMP_PORT=$(free_loopback_port)
    write_rtmp_config
    : >"$RTMP_DIR/logs/error.log"
    # -e: errors before the config is read also go to our log, not /var/log/nginx.
    nginx -p "$RTMP_DIR/" -c "$RTMP_DIR/nginx.conf" -e "$RTMP_DIR/logs/error.log" \
      >>"$RTMP_DIR/logs/stdout.log" 2>&1 &
    RTMP_PID=$!
    for ((waited = 0; waited < 150; waited++)); do   # 15 s: a loaded 2-core machine is slow
      if ! process_alive "$RTMP_PID"; then break; fi
      if loopback_port_accepts "$RTMP_PORT"; then
        echo "nginx-rtmp: pid $RTMP_PID on 127.0.0.1:$RTMP_PORT, recordings in $RTMP_RECORDS"
        return 0
      fi
      sleep 0.1
    done
    if process_alive "$RTMP_PID"; then
      stop_rtmp_server
      echo "nginx did not accept connections on port $RTMP_PORT in 15 s; its error log:" >&2
      sed 's/^/    /' "$RTMP_DIR/logs/error.log" >&2
      return 1
    fi
    wait "$RTMP_PID" 2>/dev/null || true
    RTMP_PID=""
    grep -q 'Address already in use' "$RTMP_DIR/logs/error.log" || break
    echo "nginx-rtmp: port $RTMP_PORT was taken meanwhile (attempt $attempt), trying another" >&2
  done
  echo "nginx did not start; its error log:" >&2
  sed 's/^/    /' "$RTMP_DIR/logs/error.log" >&2
  return 1
}

# stop_rtmp_server: SIGTERM (fast shutdown), SIGKILL if still there after 5 s.
stop_rtmp_server() {
  [[ -n "$RTMP_PID" ]] || return 0
  local waited=0
  kill -TERM "$RTMP_PID" 2>/dev/null || true
  while ((waited < 50)) && process_alive "$RTMP_PID"; do sleep 0.1; waited=$((waited + 1)); done
  if process_alive "$RTMP_PID"; then kill -KILL "$RTMP_PID" 2>/dev/null || true; fi
  wait "$RTMP_PID" 2>/dev/null || true
  RTMP_PID=""
}

# stream: `cunbo stream` (no overlay yet, no local recording) and the CLI each push the clip
# at 720p30 STREAM_KBPS kbit/s over RTMP to the local server, which records every publish.
# What is checked is what reached the server: the newest recording of each stream name, with
# the same checks as practice's MKV files (H.264 1280x720 yuv420p, ~S x 30 frames, AAC 48 kHz
# stereo, ~S seconds). For FLV: the tag header's sound-rate field cannot say 48 kHz (its top
# is 44 kHz), so ffprobe's sample rate comes from the AAC AudioSpecificConfig, which is what
# a player uses too; frames are counted by reading packets (-count_packets), as for MKV; the
# duration is the last timestamp, since nginx-rtmp's onMetaData carries the publisher's 0.
# Our side starts capturing and encoding while it connects and sends from the keyframe it
# asks for once live, so its recording lacks the first ~connect-time of frames (~5 frames,
# 170 ms, on an idle machine) that it did encode (the event log's count is printed too); the
# CLI connects before it reads any input. The 2% frame tolerance covers that at 20 s, not at
# a few seconds. x264 writes its settings (the SEI the report compares) into its first frame
# only, so they are missing from cunbo's recording and the report says so instead of
# comparing (with --record, cunbo's local MKV from the same encoder shows them identical to
# the CLI's); --bitrate sets rate, maxrate and VBV buffer as -b:v/-maxrate/-bufsize do. For
# the same reason --check-frames, which pairs output frame i with clip frames i-2 .. i+3, is
# not meaningful for cunbo's stream recording when that lag exceeds 3 frames (its offset is
# then out of the window and the counts are noise).
# Latency: our event log's summary (capture tick to hand-off to the socket, video packets,
# destination 1), see after_run_stream.
