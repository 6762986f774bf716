// `cunbo devices`: plain lines in the host's language, or one JSON object (--json) whose
// field names are those of media/device_list.h.
#include "client/cli/devices_command.h"

#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "client/base/exit_codes.h"
#include "client/base/strings.h"
#include "client/cli/command_line.h"
#include "media/device_list.h"

namespace cunbo {

namespace {

void print_line(const std::string& line) {
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
}

// Device names come from drivers and sound servers: control characters become spaces, so
// one device stays one line and cannot drive the terminal.
std::string one_line(std::string text) {
  for (char& c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) c = ' ';
  }
  return text;
}

// 30 → "30", 29.97 → "29.97"; several rates → "30/15".
std::string rates_text(const std::vector<double>& fps) {
  std::string text;
  for (double rate : fps) text += (text.empty() ? "" : "/") + fmt::format("{:g}", rate);
  return text;
}

nlohmann::json to_json(const std::vector<Camera>& cameras, const std::vector<Microphone>& mics) {
  nlohmann::json out = {{"cameras", nlohmann::json::array()}, {"microphones", nlohmann::json::array()}};
  for (const Camera& camera : cameras) {
    nlohmann::json formats = nlohmann::json::array();
    for (const CameraFormat& f : camera.formats)
      formats.push_back({{"pixel_format", f.pixel_format}, {"width", f.width}, {"height", f.height}, {"fps", f.fps}});
    out["cameras"].push_back({{"name", camera.name}, {"spec", camera.spec}, {"formats", std::move(formats)}});
  }
  for (const Microphone& mic : mics) {
    out["microphones"].push_back(
        {{"name", mic.name}, {"spec", mic.spec}, {"is_default", mic.is_default}, {"is_monitor", mic.is_monitor}});
  }
  return out;
}

void print_plain(const std::vector<Camera>& cameras, const std::vector<Microphone>& mics) {
  if (cameras.empty()) {
    print_line(tr("devices.no_cameras"));
  } else {
    print_line(tr("devices.cameras"));
    for (const Camera& camera : cameras) {
      print_line(tr("devices.camera", one_line(camera.name), one_line(camera.spec)));
      if (camera.formats.empty()) print_line(tr("devices.no_formats"));
      for (const CameraFormat& f : camera.formats) {
        print_line(f.fps.empty() ? tr("devices.format_no_rate", f.pixel_format, f.width, f.height)
                                 : tr("devices.format", f.pixel_format, f.width, f.height, rates_text(f.fps)));
      }
    }
  }
  if (mics.empty()) {
    print_line(tr("devices.no_microphones"));
  } else {
    print_line(tr("devices.microphones"));
    for (const Microphone& mic : mics) {
      std::string line = tr("devices.microphone", one_line(mic.name), one_line(mic.spec));
      if (mic.is_default) line += tr("devices.default");
      if (mic.is_monitor) line += tr("devices.monitor");
      print_line(line);
    }
  }
}

}  // namespace

CLI::App* add_devices_command(CLI::App& app, DevicesFlags& flags, std::optional<std::string>& lang) {
  CLI::App* cmd = app.add_subcommand("devices", tr("devices.cli"));
  cmd->add_flag("--json", flags.json, tr("devices.opt_json"));
  add_lang_option(cmd, lang);
  return cmd;
}

int run_devices(const DevicesFlags& flags) {
  const std::vector<Camera> cameras = list_cameras();
  const std::vector<Microphone> mics = list_microphones();
  if (flags.json) print_line(to_json(cameras, mics).dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
  else print_plain(cameras, mics);
  std::fflush(stdout);
  return exit_code::kOk;
}

}  // namespace cunbo
