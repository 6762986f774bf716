#include "ui/font_set.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdlib>
#include <map>
#include <mutex>
#include <utility>

#include <fontconfig/fontconfig.h>
#include <imgui.h>
#include <imgui_internal.h>  // ImTextCharFromUtf8
#include <spdlog/spdlog.h>
#include <stb_truetype.h>

#include "ui/imgui_guard.h"

namespace cunbo::ui {

namespace {

// Warned at most once per process: a host without the CJK font sees boxes, the log says why.
void warn_fallback_once(const std::string& why) {
  static std::atomic<bool> warned{false};
  if (!warned.exchange(true)) spdlog::warn("[fonts] {}; using Dear ImGui's built-in font (no Chinese)", why);
}

std::optional<FontLocation> fontconfig_match(bool bold) {
  FcPattern* pattern = FcPatternCreate();
  if (!pattern) return std::nullopt;
  FcPatternAddString(pattern, FC_FAMILY, reinterpret_cast<const FcChar8*>("Noto Sans CJK SC"));
  FcLangSet* langs = FcLangSetCreate();
  FcLangSetAdd(langs, reinterpret_cast<const FcChar8*>("zh-cn"));
  FcPatternAddLangSet(pattern, FC_LANG, langs);
  FcLangSetDestroy(langs);
  FcPatternAddInteger(pattern, FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
  FcConfigSubstitute(nullptr, pattern, FcMatchPattern);
  FcDefaultSubstitute(pattern);
  FcResult result = FcResultNoMatch;
  FcPattern* match = FcFontMatch(nullptr, pattern, &result);
  FcPatternDestroy(pattern);
  if (!match) return std::nullopt;
  std::optional<FontLocation> location;
  FcChar8* file = nullptr;
  int index = 0;
  if (FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch && file) {
    if (FcPatternGetInteger(match, FC_INDEX, 0, &index) != FcResultMatch) index = 0;
    location = FontLocation{reinterpret_cast<const char*>(file), index};
  }
  FcPatternDestroy(match);
  return location;
}

// ImGui's default glyph ranges for every font: printable ASCII. The ascii-only fonts add the
// few symbols a price line needs.
constexpr ImWchar kAsciiOnlyRanges[] = {0x0020, 0x007E, 0x00A5, 0x00A5, 0x00D7, 0x00D7, 0x2026, 0x2026, 0};
// Characters every text font carries: ¥, ×, the ellipsis and the replacement glyph.
constexpr std::string_view kAlwaysGlyphs = "\u00A5\u00D7\u2026\uFFFD";

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
  // fontconfig's answer does not change while we run; ask once per weight.
  static std::mutex mutex;
  static std::map<bool, std::optional<FontLocation>> cache;
  const std::lock_guard lock(mutex);
  if (auto it = cache.find(bold); it != cache.end()) return it->second;
  if (cache.empty()) {
    // fontconfig keeps its default configuration until FcFini(); nothing else here uses it
    // after these lookups, so release it at exit (LeakSanitizer reports it otherwise).
    std::atexit([] { FcFini(); });
  }
  return cache[bold] = fontconfig_match(bold);
}

// ---------------------------------------------------------------------------------------------

struct MappedFontFile::Info {
  stbtt_fontinfo font{};
};

MappedFontFile::MappedFontFile(FontLocation location, const uint8_t* data, size_t size, std::unique_ptr<Info> info)
    : location_(std::move(location)), data_(data), size_(size), info_(std::move(info)) {}

MappedFontFile::~MappedFontFile() { munmap(const_cast<uint8_t*>(data_), size_); }

void MappedFontFile::release_pages() const {
  madvise(const_cast<uint8_t*>(data_), size_, MADV_DONTNEED);
}

bool MappedFontFile::has_glyph(char32_t codepoint) const {
  return stbtt_FindGlyphIndex(&info_->font, static_cast<int>(codepoint)) != 0;
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

  const int fd = ::open(location.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 12) {
    ::close(fd);
    return nullptr;
  }
  const auto size = static_cast<size_t>(st.st_size);
  void* mapped = mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  if (mapped == MAP_FAILED) return nullptr;
  // Glyph lookups jump around a 20 MB file: no read-ahead into our resident memory.
  madvise(mapped, size, MADV_RANDOM);
  const auto* data = static_cast<const uint8_t*>(mapped);

  auto info = std::make_unique<Info>();
  const int offset = stbtt_GetFontOffsetForIndex(data, location.index);
  if (offset < 0 || static_cast<size_t>(offset) >= size || !stbtt_InitFont(&info->font, data, offset)) {
    munmap(mapped, size);
    return nullptr;
  }
  std::shared_ptr<const MappedFontFile> file(new MappedFontFile(location, data, size, std::move(info)));
  open_files[key] = file;
  return file;
}

// ---------------------------------------------------------------------------------------------

FontSet::FontSet(std::vector<FontSpec> specs)
    : specs_(std::move(specs)), atlas_(std::make_unique<ImFontAtlas>()), seen_(0x10000, 0) {
  // No power-of-two height and no mouse cursors: the SDL software renderer does not care, and
  // the atlas is resident memory.
  atlas_->Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight | ImFontAtlasFlags_NoMouseCursors;

  const std::optional<FontLocation> regular = locate_cjk_font(false);
  if (!regular) {
    warn_fallback_once("fontconfig found no font for Noto Sans CJK SC");
  } else if (auto file = MappedFontFile::open(*regular); !file) {
    warn_fallback_once(fmt::format("cannot read the font {} (face {})", regular->path, regular->index));
  } else if (!std::getenv("CUNBO_FONT") && !file->has_glyph(U'中')) {
    // fontconfig always answers something; without Chinese glyphs it is of no use here.
    warn_fallback_once(fmt::format("the font fontconfig chose ({}) has no Chinese glyphs", regular->path));
  } else {
    regular_ = std::move(file);
  }
  if (regular_) {
    const std::optional<FontLocation> bold = locate_cjk_font(true);
    if (bold) bold_ = MappedFontFile::open(*bold);
    if (!bold_ || !bold_->has_glyph(U'中')) bold_ = regular_;
  }
  ensure_glyphs(kAlwaysGlyphs);
  dirty_ = true;
}

FontSet::~FontSet() {
  // ImGui's allocator counts allocations on whatever context is current: hold the ImGui lock.
  const std::lock_guard lock(imgui_mutex());
  atlas_.reset();
}

bool FontSet::ensure_glyphs(std::string_view utf8) {
  bool added = false;
  const char* p = utf8.data();
  const char* const end = p + utf8.size();
  while (p < end) {
    unsigned int c = 0;
    const int length = ImTextCharFromUtf8(&c, p, end);
    if (length <= 0) break;
    p += length;
    if (c < 0x80 || c >= seen_.size() || seen_[c]) continue;  // ASCII is always in the atlas
    seen_[c] = 1;
    if (!regular_ || !regular_->has_glyph(c)) continue;
    if (codepoints_.size() >= kMaxGlyphs) {
      static std::atomic<bool> warned{false};
      if (!warned.exchange(true)) spdlog::warn("[fonts] more than {} different characters; the rest show as boxes", kMaxGlyphs);
      continue;
    }
    codepoints_.push_back(c);
    added = true;
  }
  dirty_ = dirty_ || added;
  return added;
}

void FontSet::build() {
  // ImGui's allocator counts allocations on whatever context is current: hold the ImGui lock.
  const std::lock_guard lock(imgui_mutex());
  atlas_->Clear();
  full_ranges_.clear();
  ascii_ranges_.assign(std::begin(kAsciiOnlyRanges), std::end(kAsciiOnlyRanges));
  ImFontGlyphRangesBuilder builder;
  builder.AddRanges(atlas_->GetGlyphRangesDefault());
  for (char32_t c : codepoints_) builder.AddChar(static_cast<ImWchar>(c));
  ImVector<ImWchar> ranges;
  builder.BuildRanges(&ranges);
  full_ranges_.assign(ranges.begin(), ranges.end());

  for (const FontSpec& spec : specs_) {
    ImFontConfig config;
    config.SizePixels = spec.pixels;
    // The SDL software renderer samples the atlas nearest-neighbour: glyphs must land on whole
    // pixels 1:1, so no oversampling and snapped advances.
    config.OversampleH = 1;
    config.OversampleV = 1;
    config.PixelSnapH = true;
    if (!regular_) {
      atlas_->AddFontDefault(&config);
      continue;
    }
    const MappedFontFile& file = spec.bold ? *bold_ : *regular_;
    // The mapping is shared and read-only, and must never be copied: ImGui 1.86 copies font
    // data it does not own (a 20 MB .ttc per font, every page of the file made resident).
    // So it is handed over as "owned" (no copy) and taken back right after (never freed).
    config.FontDataOwnedByAtlas = true;
    config.FontNo = file.location().index;
    const std::span<const uint8_t> bytes = file.bytes();
    atlas_->AddFontFromMemoryTTF(const_cast<uint8_t*>(bytes.data()), static_cast<int>(bytes.size()), spec.pixels, &config,
                                 spec.ascii_only ? ascii_ranges_.data() : full_ranges_.data());
    atlas_->ConfigData.back().FontDataOwnedByAtlas = false;
  }
  if (!atlas_->Build()) spdlog::warn("[fonts] building the glyph atlas failed");
  for (const auto* file : {regular_.get(), bold_.get()})
    if (file) file->release_pages();
  atlas_bytes_ = static_cast<size_t>(atlas_->TexWidth) * static_cast<size_t>(atlas_->TexHeight) * 4;
  dirty_ = false;
}

void FontSet::release_pixels() {
  const std::lock_guard lock(imgui_mutex());
  atlas_->ClearTexData();
}

ImFont* FontSet::font(size_t i) const { return i < static_cast<size_t>(atlas_->Fonts.Size) ? atlas_->Fonts[static_cast<int>(i)] : nullptr; }

}  // namespace cunbo::ui
