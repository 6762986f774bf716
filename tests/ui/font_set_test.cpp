// Fonts: the CJK face found and mapped once, an atlas holding only the glyphs in use, and a
// quiet fallback when there is no usable font.
#include "ui/font_set.h"

#include <string>

#include <gtest/gtest.h>
#include <imgui.h>

#include "tests/ui/overlay_test_support.h"

namespace cunbo::ui {
namespace {

bool has_cjk_font() {
  const auto location = locate_cjk_font(false);
  if (!location) return false;
  const auto file = MappedFontFile::open(*location);
  return file && file->has_glyph(U'中');
}

TEST(FontSet, ReadsFileAndFaceIndexFromCunboFont) {
  EXPECT_EQ(parse_font_location("/usr/share/fonts/a.ttc:2").path, "/usr/share/fonts/a.ttc");
  EXPECT_EQ(parse_font_location("/usr/share/fonts/a.ttc:2").index, 2);
  EXPECT_EQ(parse_font_location("/fonts/b.ttf").path, "/fonts/b.ttf");
  EXPECT_EQ(parse_font_location("/fonts/b.ttf").index, 0);
  EXPECT_EQ(parse_font_location("/odd:name/b.ttf").path, "/odd:name/b.ttf");
  EXPECT_EQ(parse_font_location("/fonts/b.ttf:").path, "/fonts/b.ttf:");

  const test::ScopedEnv env("CUNBO_FONT", "/somewhere/font.ttc:3");
  const auto location = locate_cjk_font(false);
  ASSERT_TRUE(location);
  EXPECT_EQ(location->path, "/somewhere/font.ttc");
  EXPECT_EQ(location->index, 3);
}

TEST(FontSet, FindsTheChineseFontThroughFontconfig) {
  if (!has_cjk_font()) GTEST_SKIP() << "no Noto Sans CJK installed (Debian: fonts-noto-cjk)";
  const auto location = locate_cjk_font(false);
  ASSERT_TRUE(location);
  const auto file = MappedFontFile::open(*location);
  ASSERT_TRUE(file);
  EXPECT_TRUE(file->has_glyph(U'枣'));
  EXPECT_FALSE(file->has_glyph(U'\uE000'));  // private use: no glyph
}

TEST(FontSet, SharesOneMappingOfAFontFileBetweenAtlases) {
  if (!has_cjk_font()) GTEST_SKIP() << "no Noto Sans CJK installed";
  const auto location = *locate_cjk_font(false);
  const auto first = MappedFontFile::open(location);
  const auto second = MappedFontFile::open(location);
  ASSERT_TRUE(first);
  EXPECT_EQ(first.get(), second.get());
  EXPECT_EQ(first->bytes().data(), second->bytes().data());
}

TEST(FontSet, BuildsTheAtlasOnlyForTheGlyphsInUse) {
  if (!has_cjk_font()) GTEST_SKIP() << "no Noto Sans CJK installed";
  FontSet fonts({FontSpec{22.0f}, FontSpec{32.0f, true, true}});
  ASSERT_TRUE(fonts.has_font_file());
  EXPECT_TRUE(fonts.ensure_glyphs("沾化冬枣 2.5kg"));
  EXPECT_FALSE(fonts.ensure_glyphs("冬枣"));  // nothing new
  EXPECT_TRUE(fonts.needs_build());
  fonts.build();
  EXPECT_FALSE(fonts.needs_build());
  ImFont* text = fonts.font(0);
  ImFont* price = fonts.font(1);
  ASSERT_TRUE(text && price);
  EXPECT_NE(text->FindGlyphNoFallback(static_cast<ImWchar>(U'沾')), nullptr);
  EXPECT_NE(text->FindGlyphNoFallback(static_cast<ImWchar>(U'\u2026')), nullptr);  // the ellipsis, always
  EXPECT_EQ(text->FindGlyphNoFallback(static_cast<ImWchar>(U'龍')), nullptr);       // never asked for
  EXPECT_EQ(price->FindGlyphNoFallback(static_cast<ImWchar>(U'沾')), nullptr);      // digits-only font
  EXPECT_NE(price->FindGlyphNoFallback(static_cast<ImWchar>(U'\u00A5')), nullptr);
  EXPECT_GT(fonts.atlas_bytes(), 0u);
  EXPECT_LT(fonts.atlas_bytes(), size_t{2} << 20);

  EXPECT_TRUE(fonts.ensure_glyphs("龍"));
  fonts.build();
  EXPECT_NE(fonts.font(0)->FindGlyphNoFallback(static_cast<ImWchar>(U'龍')), nullptr);
}

TEST(FontSet, SkipsCharactersTheFontLacksWithoutRebuilding) {
  if (!has_cjk_font()) GTEST_SKIP() << "no Noto Sans CJK installed";
  FontSet fonts({FontSpec{20.0f}});
  fonts.build();
  EXPECT_FALSE(fonts.ensure_glyphs("\xF0\x9F\x8C\xB6\xF0\x9F\x98\x80"));  // 🌶😀: beyond ImGui's 16-bit glyphs
  EXPECT_FALSE(fonts.ensure_glyphs("\uE000\uE001"));                      // private use
  EXPECT_FALSE(fonts.ensure_glyphs("\xFF\xFE broken utf-8"));
  EXPECT_FALSE(fonts.needs_build());
}

TEST(FontSet, StopsAddingGlyphsPastTheCap) {
  if (!has_cjk_font()) GTEST_SKIP() << "no Noto Sans CJK installed";
  FontSet fonts({FontSpec{12.0f}});
  std::string text;
  for (char32_t c = 0x4E00; c < 0x4E00 + FontSet::kMaxGlyphs + 500; ++c) {
    text += static_cast<char>(0xE0 | (c >> 12));
    text += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    text += static_cast<char>(0x80 | (c & 0x3F));
  }
  fonts.ensure_glyphs(text);
  EXPECT_LE(fonts.glyph_count(), FontSet::kMaxGlyphs);
}

TEST(FontSet, FallsBackToTheBuiltInFontWhenTheFontFileIsMissing) {
  const test::ScopedEnv env("CUNBO_FONT", "/nonexistent/font.ttc:2");
  FontSet fonts({FontSpec{18.0f}, FontSpec{30.0f, true, true}});
  EXPECT_FALSE(fonts.has_font_file());
  EXPECT_FALSE(fonts.ensure_glyphs("中文"));
  fonts.build();
  ASSERT_NE(fonts.font(0), nullptr);
  ASSERT_NE(fonts.font(1), nullptr);
  EXPECT_NE(fonts.font(0)->FindGlyphNoFallback('A'), nullptr);
  EXPECT_GT(fonts.atlas_bytes(), 0u);
}

}  // namespace
}  // namespace cunbo::ui
