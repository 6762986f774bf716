/* Self-check of the Windows dependency prefix (build-deps.sh): the FFmpeg components, libcurl's
 * TLS backend and SDL2 that the app relies on, and 10 frames through libx264. check-deps.sh builds
 * it with mingw-w64 and runs it under Wine. Exit code 0 when every check passes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <libavcodec/avcodec.h>
#include <libavdevice/avdevice.h>
#include <libavfilter/avfilter.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libavutil/log.h>
#define SDL_MAIN_HANDLED
#include <SDL.h>

static int passed, failed;

static void check(int ok, const char* what, const char* detail) {
  printf("%s %s%s%s\n", ok ? "ok  " : "FAIL", what, detail ? ": " : "", detail ? detail : "");
  if (ok) ++passed;
  else ++failed;
}

static int has_protocol(const char* name, int output) {
  void* opaque = NULL;
  const char* p;
  while ((p = avio_enum_protocols(&opaque, output)))
    if (strcmp(p, name) == 0) return 1;
  return 0;
}

/* 10 frames of a mid-gray 320x240 picture through libx264; returns the bytes it produced. */
static long encode_gray(int* packets, char* error, size_t error_size) {
  long bytes = -1;
  const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
  AVCodecContext* c = codec ? avcodec_alloc_context3(codec) : NULL;
  AVFrame* frame = av_frame_alloc();
  AVPacket* pkt = av_packet_alloc();
  int err = 0;
  *packets = 0;
  if (!c || !frame || !pkt) {
    snprintf(error, error_size, "no libx264 or out of memory");
    goto done;
  }
  c->width = 320;
  c->height = 240;
  c->pix_fmt = AV_PIX_FMT_YUV420P;
  c->time_base = (AVRational){1, 30};
  c->framerate = (AVRational){30, 1};
  c->gop_size = 30;
  c->bit_rate = 500000;
  if ((err = avcodec_open2(c, codec, NULL)) < 0) goto fail;
  frame->format = c->pix_fmt;
  frame->width = c->width;
  frame->height = c->height;
  if ((err = av_frame_get_buffer(frame, 0)) < 0) goto fail;
  bytes = 0;
  for (int i = 0; i <= 10; ++i) {
    if (i < 10) {
      if ((err = av_frame_make_writable(frame)) < 0) goto fail;
      for (int plane = 0; plane < 3; ++plane) {
        const int h = plane ? c->height / 2 : c->height;
        memset(frame->data[plane], 128, (size_t)frame->linesize[plane] * (size_t)h);
      }
      frame->pts = i;
    }
    if ((err = avcodec_send_frame(c, i < 10 ? frame : NULL)) < 0) goto fail;
    while ((err = avcodec_receive_packet(c, pkt)) >= 0) {
      ++*packets;
      bytes += pkt->size;
      av_packet_unref(pkt);
    }
    if (err != AVERROR(EAGAIN) && err != AVERROR_EOF) goto fail;
  }
  goto done;
fail:
  av_strerror(err, error, error_size);
  bytes = -1;
done:
  av_packet_free(&pkt);
  av_frame_free(&frame);
  avcodec_free_context(&c);
  return bytes;
}

int main(void) {
  char detail[256];
  setvbuf(stdout, NULL, _IONBF, 0);
  av_log_set_level(AV_LOG_WARNING);
  const unsigned v = avcodec_version();
  printf("FFmpeg %s (libavcodec %u.%u.%u)\n", av_version_info(), v >> 16, (v >> 8) & 0xff, v & 0xff);
  avdevice_register_all();

  check(avcodec_find_encoder_by_name("libx264") != NULL, "encoder libx264", NULL);
  check(avcodec_find_encoder_by_name("h264_mf") != NULL, "encoder h264_mf", NULL);
  check(has_protocol("rtmps", 1), "protocol rtmps", NULL);
  check(av_guess_format("flv", NULL, NULL) != NULL, "muxer flv", NULL);
  check(av_guess_format("matroska", NULL, NULL) != NULL, "muxer matroska", NULL);
  check(av_find_input_format("dshow") != NULL, "input device dshow", NULL);
  check(avfilter_get_by_name("afftdn") != NULL, "filter afftdn", NULL);
  check(avfilter_get_by_name("ebur128") != NULL, "filter ebur128", NULL);
  check(avfilter_get_by_name("smartblur") != NULL, "filter smartblur", NULL);

  const char* curl = curl_version();
  check(strstr(curl, "Schannel") != NULL, "libcurl with Schannel", curl);

  SDL_SetMainReady();
  SDL_setenv("SDL_VIDEODRIVER", "dummy", 1);
  SDL_version sdl;
  SDL_GetVersion(&sdl);
  const int sdl_ok = SDL_Init(SDL_INIT_VIDEO) == 0;
  snprintf(detail, sizeof detail, "SDL %d.%d.%d, driver %s%s%s", sdl.major, sdl.minor, sdl.patch,
           sdl_ok ? SDL_GetCurrentVideoDriver() : "-", sdl_ok ? "" : ", ", sdl_ok ? "" : SDL_GetError());
  check(sdl_ok, "SDL_Init(SDL_INIT_VIDEO)", detail);
  if (sdl_ok) SDL_Quit();

  int packets = 0;
  char error[128] = "";
  const long bytes = encode_gray(&packets, error, sizeof error);
  if (bytes >= 0) snprintf(detail, sizeof detail, "%d packets, %ld bytes", packets, bytes);
  else snprintf(detail, sizeof detail, "%s", error);
  check(bytes > 0 && packets == 10, "libx264 encodes 10 gray frames", detail);

  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
