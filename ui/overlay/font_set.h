// Fonts for Dear ImGui: the system's CJK face (font_discovery.h; or the file in CUNBO_FONT),
// memory-mapped once per process and shared by every atlas, with atlases built only for the
// glyphs in use (a full CJK atlas would cost tens of MB). When no usable font is found the
// atlas falls back to ImGui's built-in font and "[fonts] ..." is logged once.
//
// A character the atlas has no glyph for (an emoji, a symbol the font lacks, one past the glyph
// cap) is drawn as nothing and takes no room: every font's fallback glyph is empty and zero
// wide, where ImGui would draw "?" (Noto Sans CJK has no U+FFFD, the glyph ImGui prefers, and
// ImGui decodes everything beyond its 16-bit range, emoji included, to U+FFFD).
#pragma once

#include <cstddef>
#include <cstdint>
#include <future>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ui/overlay/font_discovery.h"
#include "ui/overlay/mapped_file.h"

struct ImFont;
struct ImFontAtlas;

namespace cunbo::ui {

// Parses CUNBO_FONT's "file[:index]" form ("/a/b.ttc:2"; a suffix that is not a number stays
// part of the path).
[[nodiscard]] FontLocation parse_font_location(std::string_view spec);

// CUNBO_FONT if set, else the system's font with Simplified Chinese glyphs, regular or bold
// (ui/overlay/font_discovery.h). nullopt when there is nothing to try. Cached per process.
[[nodiscard]] std::optional<FontLocation> locate_cjk_font(bool bold);

// A font file mapped read-only (never copied), kept while any atlas uses it. Thread-safe.
class MappedFontFile {
 public:
  // The mapping for `location`, shared with every other user of the same file and face;
  // null when the file cannot be read or stb_truetype cannot parse the face.
  [[nodiscard]] static std::shared_ptr<const MappedFontFile> open(const FontLocation& location);
  ~MappedFontFile();
  MappedFontFile(const MappedFontFile&) = delete;
  MappedFontFile& operator=(const MappedFontFile&) = delete;

  [[nodiscard]] std::span<const uint8_t> bytes() const { return file_->bytes(); }
  [[nodiscard]] const FontLocation& location() const { return location_; }
  [[nodiscard]] bool has_glyph(char32_t codepoint) const;
  // How tall a capital letter ("H") is per pixel of font size (ImGui's size: ascent to descent).
  [[nodiscard]] float cap_height_per_pixel() const;
  // Drops the file's pages from this process's resident memory (they come back from the page
  // cache when read again): after an atlas build, nothing reads them for a long while.
  void release_pages() const;

 private:
  struct Info;
  MappedFontFile(FontLocation location, std::unique_ptr<MappedFile> file, std::unique_ptr<Info> info);

  FontLocation location_;
  std::unique_ptr<MappedFile> file_;
  std::unique_ptr<Info> info_;  // stb_truetype's parsed face, for glyph lookups
};

// One pixel size the atlas holds. `ascii_only` fonts (prices) get printable ASCII plus ¥ × …
// only, whatever ensure_glyphs() saw; the others get every glyph seen. With `cap_height` > 0
// the size is chosen by what the eye reads, the height of a capital letter: `pixels` becomes
// the smallest whole size whose capitals are at least that many pixels tall in this font.
struct FontSpec {
  float pixels = 16.0f;
  bool bold = false;
  bool ascii_only = false;
  float cap_height = 0;
  // Non-empty (UTF-8): this font has only these characters (and the space), whatever else is
  // noted: a large font for one fixed phrase costs only its own glyphs.
  std::string only = {};
};

// An ImFontAtlas with the fonts of `specs`, in that order. Not thread-safe: one owner thread.
//
// Building has two halves. Rasterising the glyphs (stb_truetype on the mapped file, the costly
// part: tens of ms for a few hundred CJK glyphs in five sizes) touches no ImGui state and runs
// without any lock, on the owner thread (build()) or on a worker (start_build()). Assembling
// the atlas from those bitmaps (ImGui packs them as custom glyph rects, we copy the pixels in:
// a few ms) goes through ImGui's allocator, which counts allocations on whatever context is
// current (the process-global GImGui), so it holds imgui_mutex(). release_pixels(),
// release_retired() and the destructor take it too.
class FontSet {
 public:
  // Glyphs beyond this many are not added (a hostile text cannot blow the atlas up); they
  // are not drawn.
  static constexpr size_t kMaxGlyphs = 3000;

  explicit FontSet(std::vector<FontSpec> specs);
  ~FontSet();
  FontSet(const FontSet&) = delete;
  FontSet& operator=(const FontSet&) = delete;

  // Notes every character of `utf8`. True when a glyph the atlas lacks (and the font has) was
  // added: the owner must then build() and re-upload the texture. Characters the font lacks
  // (emoji, rare symbols) are skipped and not drawn.
  bool ensure_glyphs(std::string_view utf8);
  [[nodiscard]] bool needs_build() const { return dirty_; }

  // Rebuilds the current atlas in place (same ImFontAtlas object) for the glyphs noted so far,
  // blocking; the ImGui lock is held only while assembling. No ImGui frame that uses the atlas
  // may be in progress. Waits for (and discards) a background build in flight. The CPU pixels
  // stay until release_pixels(), which the owner calls once the texture is uploaded.
  void build();
  void release_pixels();

  // Background build, for an owner that must not stall: start_build() hands the glyphs noted so
  // far to a worker thread (false when nothing is new or a build is already running; glyphs
  // noted meanwhile wait for the next one). The current atlas stays untouched and usable.
  bool start_build();
  [[nodiscard]] bool building() const { return pending_.valid(); }
  // Blocks until the running build (if any) has rasterised.
  void wait_for_build();
  // When the worker is done: assembles a NEW atlas (ImGui lock held, a few ms), makes it
  // current and keeps the previous one alive as "retired" (true). The owner calls this between
  // frames, then points its ImGui contexts at atlas(), uploads the texture, and calls
  // release_retired() once no draw data refers to the old atlas any more. font() pointers
  // change here.
  bool swap_in_ready();
  void release_retired();

  [[nodiscard]] ImFontAtlas& atlas() { return *atlas_; }
  // The font for specs[i]; the pointer is valid until the next build() or swap_in_ready().
  [[nodiscard]] ImFont* font(size_t i) const;
  // specs[i] as built: `pixels` is the size chosen for its cap height, if it asked for one.
  [[nodiscard]] const FontSpec& spec(size_t i) const { return specs_.at(i); }
  [[nodiscard]] size_t size() const { return specs_.size(); }

  // Bytes of the uploaded RGBA32 texture (width * height * 4) after the last build.
  [[nodiscard]] size_t atlas_bytes() const { return atlas_bytes_; }
  [[nodiscard]] size_t glyph_count() const { return codepoints_.size(); }
  // False when the built-in fallback font is in use (no usable CJK font).
  [[nodiscard]] bool has_font_file() const { return regular_ != nullptr; }

 private:
  struct Prepared;  // rasterised glyphs, not yet in an atlas (font_set.cpp)

  // The font files' glyphs for `codepoints` in every spec: no ImGui, no lock, any thread.
  static std::unique_ptr<Prepared> prepare(const std::vector<FontSpec>& specs, const MappedFontFile& regular,
                                           const MappedFontFile& bold, const std::vector<char32_t>& codepoints);
  // Rebuilds `atlas` from `prepared` (and keeps prepared's glyph ranges alive with it).
  void assemble(ImFontAtlas& atlas, std::unique_ptr<Prepared> prepared);

  std::vector<FontSpec> specs_;
  std::unique_ptr<ImFontAtlas> atlas_;
  std::unique_ptr<ImFontAtlas> retired_;  // the atlas before the last swap, until release_retired()
  std::shared_ptr<const MappedFontFile> regular_;
  std::shared_ptr<const MappedFontFile> bold_;  // may be regular_
  std::vector<uint8_t> seen_;                   // one flag per BMP code point
  std::vector<char32_t> codepoints_;            // the glyphs noted (besides ASCII)
  std::unique_ptr<Prepared> ranges_;            // the glyph ranges atlas_ was built from
  std::unique_ptr<Prepared> retired_ranges_;
  std::future<std::unique_ptr<Prepared>> pending_;  // the worker's result (owner thread only)
  bool dirty_ = true;
  size_t atlas_bytes_ = 0;
};

}  // namespace cunbo::ui
