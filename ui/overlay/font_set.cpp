#include "ui/overlay/font_set.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <utility>

#include <imgui.h>
#include <imgui_internal.h>  // ImTextCharFromUtf8
#include <spdlog/spdlog.h>
#include <stb_truetype.h>

#include "media/thread_name.h"
#include "ui/overlay/imgui_guard.h"

namespace cunbo::ui {

namespace {

// Warned at most once per process: a host without the CJK font sees boxes, the log says why.
void warn_fallback_once(const std::string& why) {
  static std::atomic<bool> warned{false};
  if (!warned.exchange(true)) spdlog::warn("[fonts] {}; using Dear ImGui's built-in font (no Chinese)", why);
}

// ImGui's default glyph ranges for every font: printable ASCII. The ascii-only fonts add the
// few symbols a price line needs.
constexpr ImWchar kAsciiOnlyRanges[] = {0x0020, 0x007E, 0x00A5, 0x00A5, 0x00D7, 0x00D7, 0x2026, 0x2026, 0};
// Characters every text font carries: ¥, × and the ellipsis.
constexpr std::string_view kAlwaysGlyphs = "\u00A5\u00D7\u2026";
// Capitals of Dear ImGui's built-in font (ProggyClean) per pixel of size, for sizing by cap
// height without a font file.
constexpr float kBuiltInCapPerPixel = 0.6f;
// The empty, zero-wide glyph every font falls back to: a control character no text shows.
constexpr ImWchar kNothingGlyph = 0x0001;

// Characters `font` lacks take no room and draw nothing (instead of "?"): the fallback glyph
// becomes an empty one of zero advance. The lookup table is rebuilt for it.
void draw_missing_glyphs_as_nothing(ImFont& font) {
  if (!font.FindGlyphNoFallback(kNothingGlyph)) font.AddGlyph(nullptr, kNothingGlyph, 0, 0, 0, 0, 0, 0, 0, 0, 0.0f);
  font.FallbackChar = kNothingGlyph;
  font.BuildLookupTable();
}

}  // namespace

FontLocation parse_font_location(std::string_view spec) {
  FontLocation location{std::string(spec), 0};
  const size_t colon = spec.rfind(':');
  if (colon == std::string_view::npos || colon + 1 >= spec.size()) return location;
  const std::string_view suffix = spec.substr(colon + 1);
  int index = 0;
  const auto [end, ec] = std::from_chars(suffix.data(), suffix.data() + suffix.size(), index);
  if (ec != std::errc{} || end != suffix.data() + suffix.size() || index < 0) return location;
  return FontLocation{std::string(spec.substr(0, colon)), index};
}

std::optional<FontLocation> locate_cjk_font(bool bold) {
  if (const char* env = std::getenv("CUNBO_FONT"); env && *env) return parse_font_location(env);
  // The system's answer does not change while we run; ask once per weight.
  static std::mutex mutex;
  static std::map<bool, std::optional<FontLocation>> cache;
  const std::lock_guard lock(mutex);
  if (auto it = cache.find(bold); it != cache.end()) return it->second;
  return cache[bold] = system_cjk_font(bold);
}

// ---------------------------------------------------------------------------------------------

struct MappedFontFile::Info {
  stbtt_fontinfo font{};
};

MappedFontFile::MappedFontFile(FontLocation location, std::unique_ptr<MappedFile> file, std::unique_ptr<Info> info)
    : location_(std::move(location)), file_(std::move(file)), info_(std::move(info)) {}

MappedFontFile::~MappedFontFile() = default;

void MappedFontFile::release_pages() const { file_->release_pages(); }

bool MappedFontFile::has_glyph(char32_t codepoint) const {
  return stbtt_FindGlyphIndex(&info_->font, static_cast<int>(codepoint)) != 0;
}

float MappedFontFile::cap_height_per_pixel() const {
  int ascent = 0, descent = 0, line_gap = 0;
  stbtt_GetFontVMetrics(&info_->font, &ascent, &descent, &line_gap);
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  if (ascent - descent <= 0 || !stbtt_GetCodepointBox(&info_->font, 'H', &x0, &y0, &x1, &y1) || y1 <= 0) {
    return kBuiltInCapPerPixel;
  }
  return static_cast<float>(y1) / static_cast<float>(ascent - descent);
}

std::shared_ptr<const MappedFontFile> MappedFontFile::open(const FontLocation& location) {
  // One mapping per file and face for the whole process, kept while someone uses it.
  static std::mutex mutex;
  static std::map<std::pair<std::string, int>, std::weak_ptr<const MappedFontFile>> open_files;
  const std::lock_guard lock(mutex);
  const auto key = std::make_pair(location.path, location.index);
  if (auto it = open_files.find(key); it != open_files.end()) {
    if (auto existing = it->second.lock()) return existing;
  }

  // Glyph lookups jump around a 20 MB file: mapped, not read.
  std::unique_ptr<MappedFile> mapped = MappedFile::open(location.path, 12);
  if (!mapped) return nullptr;
  const uint8_t* data = mapped->bytes().data();
  const size_t size = mapped->bytes().size();
  auto info = std::make_unique<Info>();
  const int offset = stbtt_GetFontOffsetForIndex(data, location.index);
  if (offset < 0 || static_cast<size_t>(offset) >= size || !stbtt_InitFont(&info->font, data, offset)) return nullptr;
  std::shared_ptr<const MappedFontFile> file(new MappedFontFile(location, std::move(mapped), std::move(info)));
  open_files[key] = file;
  return file;
}

// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------

// One glyph rasterised by stb_truetype, placed the way ImGui 1.86 places the glyphs it
// rasterises itself (ImFontAtlasBuildWithStbTruetype, no oversampling, snapped advance).
struct PreparedGlyph {
  ImWchar codepoint = 0;
  int width = 0;
  int height = 0;
  float offset_x = 0;  // left of the bitmap from the pen position
  float offset_y = 0;  // top of the bitmap from the line top (ascent included)
  float advance = 0;
  size_t pixels = 0;  // offset of width * height alpha bytes in Prepared::bitmaps
};

struct FontSet::Prepared {
  struct Font {
    // Glyphs with no pixels (space, ideographic space): ImGui adds them from the font file
    // itself (cheap: nothing to rasterise). ImWchar pairs + 0; always holds the space.
    std::vector<ImWchar> blank_ranges;
    std::vector<PreparedGlyph> glyphs;
  };
  std::vector<Font> fonts;
  std::vector<uint8_t> bitmaps;
  size_t surface = 0;  // texels the glyph rects take, padding included
};

namespace {

// ImGui's texture width choice for a given glyph surface (1.86, ImFontAtlasBuildWithStbTruetype):
// it counts only the glyphs it rasterises itself, not custom rects, so we pass it ours.
int atlas_width_for(size_t surface) {
  const int surface_sqrt = static_cast<int>(std::sqrt(static_cast<double>(surface))) + 1;
  return surface_sqrt >= 4096 * 0.7 ? 4096 : surface_sqrt >= 2048 * 0.7 ? 2048 : surface_sqrt >= 1024 * 0.7 ? 1024 : 512;
}

// Calls `each` with every code point of `utf8` as ImGui reads it (broken sequences as U+FFFD).
template <class Each>
void for_each_codepoint(std::string_view utf8, Each&& each) {
  const char* p = utf8.data();
  const char* const end = p + utf8.size();
  while (p < end) {
    unsigned int c = 0;
    const int length = ImTextCharFromUtf8(&c, p, end);
    if (length <= 0) break;
    p += length;
    each(static_cast<char32_t>(c));
  }
}

std::vector<char32_t> codepoints_for(const FontSpec& spec, const std::vector<char32_t>& noted) {
  std::set<char32_t> all;
  if (!spec.only.empty()) {
    all.insert(U' ');
    for_each_codepoint(spec.only, [&](char32_t c) { all.insert(c); });
  } else if (spec.ascii_only) {
    for (const ImWchar* r = kAsciiOnlyRanges; r[0]; r += 2)
      for (char32_t c = r[0]; c <= r[1]; ++c) all.insert(c);
  } else {
    for (char32_t c = 0x20; c <= 0xFF; ++c) all.insert(c);  // ImGui's default ranges
    all.insert(noted.begin(), noted.end());
  }
  return {all.begin(), all.end()};
}

}  // namespace

FontSet::FontSet(std::vector<FontSpec> specs)
    : specs_(std::move(specs)), atlas_(std::make_unique<ImFontAtlas>()), seen_(0x10000, 0) {
  // No mouse cursors (the atlas is resident memory). The height stays a power of two like the
  // width: SDL's software renderer draws each glyph quad as a rect copy whose source it takes
  // from UV * texture size, truncated; only with power-of-two sizes is that exactly the glyph's
  // texels (otherwise a glyph can come out a row short or stretched, depending on where the
  // atlas happened to pack it).
  atlas_->Flags |= ImFontAtlasFlags_NoMouseCursors;

  const std::optional<FontLocation> regular = locate_cjk_font(false);
  if (!regular) {
    warn_fallback_once("the system has no font with Chinese glyphs");
  } else if (auto file = MappedFontFile::open(*regular); !file) {
    warn_fallback_once(fmt::format("cannot read the font {} (face {})", regular->path, regular->index));
  } else if (!std::getenv("CUNBO_FONT") && !file->has_glyph(U'中')) {
    // fontconfig always answers something; without Chinese glyphs it is of no use here.
    warn_fallback_once(fmt::format("the font the system chose ({}) has no Chinese glyphs", regular->path));
  } else {
    regular_ = std::move(file);
  }
  if (regular_) {
    const std::optional<FontLocation> bold = locate_cjk_font(true);
    if (bold) bold_ = MappedFontFile::open(*bold);
    if (!bold_ || !bold_->has_glyph(U'中')) bold_ = regular_;
  }
  for (FontSpec& spec : specs_) {
    if (!(spec.cap_height > 0)) continue;
    const float per_pixel = regular_ ? (spec.bold ? *bold_ : *regular_).cap_height_per_pixel() : kBuiltInCapPerPixel;
    spec.pixels = std::ceil(spec.cap_height / per_pixel - 1e-3f);
  }
  ensure_glyphs(kAlwaysGlyphs);
  dirty_ = true;
}

FontSet::~FontSet() {
  if (pending_.valid()) pending_.wait();
  // ImGui's allocator counts allocations on whatever context is current: hold the ImGui lock.
  const std::lock_guard lock(imgui_mutex());
  retired_.reset();
  atlas_.reset();
}

bool FontSet::ensure_glyphs(std::string_view utf8) {
  bool added = false;
  for_each_codepoint(utf8, [&](char32_t c) {
    if (c < 0x80 || c >= seen_.size() || seen_[c]) return;  // ASCII is always in the atlas
    // What ImGui makes of emoji and broken UTF-8: never drawn, whatever the font has for it.
    if (c == IM_UNICODE_CODEPOINT_INVALID) return;
    seen_[c] = 1;
    if (!regular_ || !regular_->has_glyph(c)) return;
    if (codepoints_.size() >= kMaxGlyphs) {
      static std::atomic<bool> warned{false};
      if (!warned.exchange(true)) spdlog::warn("[fonts] more than {} different characters; the rest are not drawn", kMaxGlyphs);
      return;
    }
    codepoints_.push_back(c);
    added = true;
  });
  dirty_ = dirty_ || added;
  return added;
}

std::unique_ptr<FontSet::Prepared> FontSet::prepare(const std::vector<FontSpec>& specs, const MappedFontFile& regular,
                                                    const MappedFontFile& bold, const std::vector<char32_t>& codepoints) {
  // Runs on a worker thread: stb_truetype only (libstb allocates with malloc), never ImGui's
  // allocator or containers. Each call parses its own stbtt_fontinfo.
  auto prepared = std::make_unique<Prepared>();
  for (const FontSpec& spec : specs) {
    const MappedFontFile& file = spec.bold ? bold : regular;
    const uint8_t* data = file.bytes().data();
    Prepared::Font& font = prepared->fonts.emplace_back();
    stbtt_fontinfo info{};
    const int offset = stbtt_GetFontOffsetForIndex(data, file.location().index);
    if (offset < 0 || !stbtt_InitFont(&info, data, offset)) {
      font.blank_ranges = {0x20, 0x20, 0};
      continue;
    }
    const float scale = stbtt_ScaleForPixelHeight(&info, spec.pixels);
    int unscaled_ascent = 0, unscaled_descent = 0, line_gap = 0;
    stbtt_GetFontVMetrics(&info, &unscaled_ascent, &unscaled_descent, &line_gap);
    const float ascent = std::floor(static_cast<float>(unscaled_ascent) * scale + (unscaled_ascent > 0 ? 1.0f : -1.0f));
    for (const char32_t c : codepoints_for(spec, codepoints)) {
      const int glyph = stbtt_FindGlyphIndex(&info, static_cast<int>(c));
      if (glyph == 0) continue;
      int advance = 0, lsb = 0;
      stbtt_GetGlyphHMetrics(&info, glyph, &advance, &lsb);
      int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
      stbtt_GetGlyphBitmapBoxSubpixel(&info, glyph, scale, scale, 0, 0, &x0, &y0, &x1, &y1);
      const int w = x1 - x0;
      const int h = y1 - y0;
      if (w <= 0 || h <= 0) {
        font.blank_ranges.push_back(static_cast<ImWchar>(c));
        font.blank_ranges.push_back(static_cast<ImWchar>(c));
        continue;
      }
      PreparedGlyph g;
      g.codepoint = static_cast<ImWchar>(c);
      g.width = w;
      g.height = h;
      g.offset_x = static_cast<float>(x0);
      g.offset_y = static_cast<float>(y0) + ascent;
      g.advance = std::floor(static_cast<float>(advance) * scale + 0.5f);  // PixelSnapH
      g.pixels = prepared->bitmaps.size();
      prepared->bitmaps.resize(prepared->bitmaps.size() + static_cast<size_t>(w) * static_cast<size_t>(h));
      stbtt_MakeGlyphBitmapSubpixel(&info, prepared->bitmaps.data() + g.pixels, w, h, w, scale, scale, 0, 0, glyph);
      prepared->surface += static_cast<size_t>(w + 1) * static_cast<size_t>(h + 1);
      font.glyphs.push_back(g);
    }
    if (font.blank_ranges.empty()) font.blank_ranges = {0x20, 0x20};
    font.blank_ranges.push_back(0);
  }
  for (const auto* file : {&regular, &bold}) file->release_pages();
  return prepared;
}

void FontSet::assemble(ImFontAtlas& atlas, std::unique_ptr<Prepared> prepared) {
  // ImGui's allocator counts allocations on whatever context is current: hold the ImGui lock.
  const std::lock_guard lock(imgui_mutex());
  atlas.Clear();
  for (size_t i = 0; i < specs_.size(); ++i) {
    const FontSpec& spec = specs_[i];
    ImFontConfig config;
    config.SizePixels = spec.pixels;
    // The SDL software renderer samples the atlas nearest-neighbour: glyphs must land on whole
    // pixels 1:1, so no oversampling and snapped advances.
    config.OversampleH = 1;
    config.OversampleV = 1;
    config.PixelSnapH = true;
    if (!prepared) {
      atlas.AddFontDefault(&config);
      continue;
    }
    const MappedFontFile& file = spec.bold ? *bold_ : *regular_;
    // The mapping is shared and read-only, and must never be copied: ImGui 1.86 copies font
    // data it does not own (a 20 MB .ttc per font, every page of the file made resident).
    // So it is handed over as "owned" (no copy) and taken back right after (never freed).
    // From the file ImGui takes the metrics and the blank glyphs; the others come as
    // custom rects with our pixels.
    config.FontDataOwnedByAtlas = true;
    config.FontNo = file.location().index;
    const std::span<const uint8_t> bytes = file.bytes();
    atlas.AddFontFromMemoryTTF(const_cast<uint8_t*>(bytes.data()), static_cast<int>(bytes.size()), spec.pixels, &config,
                               prepared->fonts[i].blank_ranges.data());
    atlas.ConfigData.back().FontDataOwnedByAtlas = false;
  }
  std::vector<std::pair<int, const PreparedGlyph*>> rects;
  if (prepared) {
    for (size_t i = 0; i < specs_.size(); ++i) {
      for (const PreparedGlyph& g : prepared->fonts[i].glyphs) {
        // One spare (transparent) column and row per glyph: ImGui packs custom rects without
        // padding, and a glyph must never sample its neighbour.
        rects.emplace_back(atlas.AddCustomRectFontGlyph(atlas.Fonts[static_cast<int>(i)], g.codepoint, g.width + 1,
                                                        g.height + 1, g.advance, ImVec2(g.offset_x, g.offset_y)),
                           &g);
      }
    }
    atlas.TexDesiredWidth = atlas_width_for(prepared->surface);
  }
  if (!atlas.Build()) spdlog::warn("[fonts] building the glyph atlas failed");
  for (ImFont* font : atlas.Fonts) draw_missing_glyphs_as_nothing(*font);
  if (atlas.TexPixelsAlpha8) {
    for (const auto& [id, g] : rects) {
      const ImFontAtlasCustomRect* r = atlas.GetCustomRectByIndex(id);
      if (!r || !r->IsPacked()) continue;
      for (int y = 0; y < g->height; ++y) {
        std::memcpy(atlas.TexPixelsAlpha8 + static_cast<size_t>(r->Y + y) * static_cast<size_t>(atlas.TexWidth) + r->X,
                    prepared->bitmaps.data() + g->pixels + static_cast<size_t>(y) * static_cast<size_t>(g->width),
                    static_cast<size_t>(g->width));
      }
    }
  }
  atlas_bytes_ = static_cast<size_t>(atlas.TexWidth) * static_cast<size_t>(atlas.TexHeight) * 4;
  if (prepared) {
    // Only the glyph ranges stay (ImGui keeps pointing at them); the bitmaps are in the atlas.
    prepared->bitmaps = {};
    for (auto& font : prepared->fonts) font.glyphs = {};
  }
  ranges_ = std::move(prepared);
}

void FontSet::build() {
  if (pending_.valid()) pending_.get();  // superseded: this build has every glyph noted
  std::unique_ptr<Prepared> prepared = regular_ ? prepare(specs_, *regular_, *bold_, codepoints_) : nullptr;
  assemble(*atlas_, std::move(prepared));
  dirty_ = false;
}

bool FontSet::start_build() {
  if (!dirty_ || pending_.valid()) return false;
  if (!regular_) {  // the built-in font: ASCII only, nothing to add after the first build
    dirty_ = false;
    return false;
  }
  dirty_ = false;
  // The worker gets its own copies and keeps the mappings alive; it shares nothing with us.
  pending_ = std::async(std::launch::async, [specs = specs_, regular = regular_, bold = bold_, codepoints = codepoints_] {
    name_this_thread("font atlas");
    return prepare(specs, *regular, *bold, codepoints);
  });
  return true;
}

void FontSet::wait_for_build() {
  if (pending_.valid()) pending_.wait();
}

bool FontSet::swap_in_ready() {
  if (!pending_.valid() || pending_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return false;
  std::unique_ptr<Prepared> prepared = pending_.get();
  std::unique_ptr<ImFontAtlas> fresh;
  {
    const std::lock_guard lock(imgui_mutex());
    release_retired();
    fresh = std::make_unique<ImFontAtlas>();
    fresh->Flags = atlas_->Flags;
  }
  retired_ranges_ = std::move(ranges_);  // the old atlas's, kept with it
  assemble(*fresh, std::move(prepared));  // sets ranges_ for the fresh atlas
  retired_ = std::exchange(atlas_, std::move(fresh));
  return true;
}

void FontSet::release_retired() {
  const std::lock_guard lock(imgui_mutex());
  retired_.reset();
  retired_ranges_.reset();
}

void FontSet::release_pixels() {
  const std::lock_guard lock(imgui_mutex());
  atlas_->ClearTexData();
}

ImFont* FontSet::font(size_t i) const { return i < static_cast<size_t>(atlas_->Fonts.Size) ? atlas_->Fonts[static_cast<int>(i)] : nullptr; }

}  // namespace cunbo::ui
