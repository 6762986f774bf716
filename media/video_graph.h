// One libavfilter graph for pictures of one size and format: buffer → a chain in FFmpeg's -vf
// syntax → buffersink, one picture out for each picture in. Built on its user's thread and used
// there only (one filter thread: the encoder's threads need the other cores). Shared by light
// and beauty (media/enhance.h) and the camera's rotation (the compositor).
#pragma once

#include <string>

#include "media/av.h"

namespace cunbo {

class VideoGraph {
 public:
  VideoGraph() = default;
  // `chain` for pictures like `like`; out_format: the only pixel format the graph may hand
  // out (AV_PIX_FMT_NONE: whatever the chain gives). An empty graph when it cannot be built
  // (logged with `who`, the module's name).
  [[nodiscard]] static VideoGraph build(const AVFrame& like, const std::string& chain, int out_format, const char* who);

  [[nodiscard]] explicit operator bool() const { return graph_ != nullptr; }
  // The picture through the chain (its reference is kept: the caller's picture is untouched);
  // null with an error logged when a filter fails.
  [[nodiscard]] av::Frame filter(const AVFrame& picture, const char* who);
  // avfilter_graph_send_command to the filter named `target`.
  [[nodiscard]] int send_command(const char* target, const char* option, const char* arg);

 private:
  av::FilterGraph graph_;
  AVFilterContext* source_ = nullptr;
  AVFilterContext* sink_ = nullptr;
};

}  // namespace cunbo
