#include "media/video_graph.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace cunbo {

VideoGraph VideoGraph::build(const AVFrame& like, const std::string& chain, int out_format, const char* who) {
  VideoGraph g;
  av::FilterGraph graph(avfilter_graph_alloc());
  if (!graph) return g;
  graph->nb_threads = 1;
  const AVRational sar = like.sample_aspect_ratio.num > 0 ? like.sample_aspect_ratio : AVRational{1, 1};
  const std::string args = fmt::format("video_size={}x{}:pix_fmt={}:time_base=1/1000000:pixel_aspect={}/{}", like.width,
                                       like.height, like.format, sar.num, sar.den);
  AVFilterContext* source = nullptr;
  AVFilterContext* sink = nullptr;
  int err = avfilter_graph_create_filter(&source, avfilter_get_by_name("buffer"), "in", args.c_str(), nullptr,
                                         graph.get());
  if (err >= 0)
    err = avfilter_graph_create_filter(&sink, avfilter_get_by_name("buffersink"), "out", nullptr, nullptr, graph.get());
  if (err >= 0 && out_format != AV_PIX_FMT_NONE) {
    const int formats[] = {out_format, AV_PIX_FMT_NONE};
    err = av_opt_set_int_list(sink, "pix_fmts", formats, AV_PIX_FMT_NONE, AV_OPT_SEARCH_CHILDREN);
  }
  if (err >= 0) {
    av::FilterInOut outputs(avfilter_inout_alloc());
    av::FilterInOut inputs(avfilter_inout_alloc());
    if (!outputs || !inputs) return g;
    outputs->name = av_strdup("in");
    outputs->filter_ctx = source;
    inputs->name = av_strdup("out");
    inputs->filter_ctx = sink;
    AVFilterInOut* in_list = inputs.release();
    AVFilterInOut* out_list = outputs.release();
    err = avfilter_graph_parse_ptr(graph.get(), chain.c_str(), &in_list, &out_list, nullptr);
    const av::FilterInOut left_in(in_list), left_out(out_list);
  }
  if (err >= 0) err = avfilter_graph_config(graph.get(), nullptr);
  if (err < 0) {
    spdlog::error("[{}] cannot build '{}' for {}x{}: {}", who, chain, like.width, like.height, av::error_string(err));
    return g;
  }
  g.graph_ = std::move(graph);
  g.source_ = source;
  g.sink_ = sink;
  return g;
}

av::Frame VideoGraph::filter(const AVFrame& picture, const char* who) {
  if (!graph_) return {};
  // KEEP_REF: the picture stays the caller's, to hand on unfiltered if a filter fails.
  int err = av_buffersrc_add_frame_flags(source_, const_cast<AVFrame*>(&picture), AV_BUFFERSRC_FLAG_KEEP_REF);
  av::Frame out = av::make_frame();
  if (!out) err = AVERROR(ENOMEM);
  if (err >= 0) err = av_buffersink_get_frame(sink_, out.get());  // one out per one in
  if (err < 0) {
    spdlog::error("[{}] filtering failed: {}", who, av::error_string(err));
    return {};
  }
  return out;
}

int VideoGraph::send_command(const char* target, const char* option, const char* arg) {
  return graph_ ? avfilter_graph_send_command(graph_.get(), target, option, arg, nullptr, 0, 0) : AVERROR(EINVAL);
}

}  // namespace cunbo
