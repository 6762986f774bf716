// Fonts: the CJK face found and mapped once, an atlas holding only the glyphs in use, and a
// quiet fallback when there is no usable font.
#include "ui/overlay/font_set.h"

#include <span>
#include <string>

#include <gtest/gtest.h>
#include <imgui.h>

#include "tests/ui/overlay_test_support.h"
#include "ui/overlay/overlay_rasterizer.h"

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
  ASSERT_TRUE(has_cjk_font()) << "no Noto Sans CJK installed (Debian: fonts-noto-cjk)";
  const auto location = locate_cjk_font(false);
  ASSERT_TRUE(location);
  const auto file = MappedFontFile::open(*location);
  ASSERT_TRUE(file);
  EXPECT_TRUE(file->has_glyph(U'枣'));
  EXPECT_FALSE(file->has_glyph(U'\uE000'));  // private use: no glyph
}

TEST(FontSet, SharesOneMappingOfAFontFileBetweenAtlases) {
  ASSERT_TRUE(has_cjk_font()) << "no Noto Sans CJK installed (Debian: fonts-noto-cjk)";
  const auto location = *locate_cjk_font(false);
  const auto first = MappedFontFile::open(location);
  const auto second = MappedFontFile::open(location);
  ASSERT_TRUE(first);
  EXPECT_EQ(first.get(), second.get());
  EXPECT_EQ(first->bytes().data(), second->bytes().data());
}

TEST(FontSet, BuildsTheAtlasOnlyForTheGlyphsInUse) {
  ASSERT_TRUE(has_cjk_font()) << "no Noto Sans CJK installed (Debian: fonts-noto-cjk)";
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

TEST(FontSet, KeepsTheOldAtlasUsableUntilTheBackgroundBuildIsSwappedIn) {
  ASSERT_TRUE(has_cjk_font()) << "no Noto Sans CJK installed (Debian: fonts-noto-cjk)";
  FontSet fonts({FontSpec{22.0f}, FontSpec{32.0f, true, true}});
  fonts.ensure_glyphs("沾化冬枣");
  fonts.build();
  fonts.release_pixels();
  ImFontAtlas* const old_atlas = &fonts.atlas();
  ImFont* const old_font = fonts.font(0);
  const ImFontGlyph* const old_glyph = old_font->FindGlyphNoFallback(static_cast<ImWchar>(U'枣'));
  ASSERT_NE(old_glyph, nullptr);
  const float old_advance = old_glyph->AdvanceX;

  ASSERT_TRUE(fonts.ensure_glyphs("张**: 龍眼还有吗"));
  ASSERT_TRUE(fonts.start_build());
  EXPECT_FALSE(fonts.start_build());  // one build at a time; later glyphs wait for the next
  // While the worker rasterises, the current atlas is untouched: same fonts, same glyphs, and
  // the new characters are simply missing.
  EXPECT_EQ(&fonts.atlas(), old_atlas);
  EXPECT_EQ(fonts.font(0), old_font);
  EXPECT_EQ(old_font->FindGlyphNoFallback(static_cast<ImWchar>(U'枣')), old_glyph);
  EXPECT_EQ(old_font->FindGlyphNoFallback(static_cast<ImWchar>(U'龍')), nullptr);
  EXPECT_GT(old_font->CalcTextSizeA(old_font->FontSize, 1e9f, 0.0f, "冬枣").x, 0.0f);

  fonts.wait_for_build();
  ASSERT_TRUE(fonts.swap_in_ready());
  EXPECT_FALSE(fonts.building());
  EXPECT_NE(&fonts.atlas(), old_atlas);
  // The retired atlas stays alive (and readable) until its owner releases it.
  EXPECT_EQ(old_font->FindGlyphNoFallback(static_cast<ImWchar>(U'枣')), old_glyph);
  fonts.release_retired();

  ImFont* const font = fonts.font(0);
  ASSERT_NE(font, nullptr);
  EXPECT_TRUE(fonts.atlas().IsBuilt());
  EXPECT_NE(fonts.atlas().TexPixelsAlpha8, nullptr);
  for (char32_t c : {U'龍', U'眼', U'张', U'枣'}) EXPECT_NE(font->FindGlyphNoFallback(static_cast<ImWchar>(c)), nullptr);
  EXPECT_EQ(font->FindGlyphNoFallback(static_cast<ImWchar>(U'枣'))->AdvanceX, old_advance);
  EXPECT_EQ(fonts.font(1)->FindGlyphNoFallback(static_cast<ImWchar>(U'龍')), nullptr);  // digits-only font
  // The glyph has ink in the new texture.
  const ImFontGlyph* g = font->FindGlyphNoFallback(static_cast<ImWchar>(U'龍'));
  const ImFontAtlas& atlas = fonts.atlas();
  int ink = 0;
  for (int y = static_cast<int>(g->V0 * static_cast<float>(atlas.TexHeight)); y < static_cast<int>(g->V1 * static_cast<float>(atlas.TexHeight)); ++y)
    for (int x = static_cast<int>(g->U0 * static_cast<float>(atlas.TexWidth)); x < static_cast<int>(g->U1 * static_cast<float>(atlas.TexWidth)); ++x)
      ink += atlas.TexPixelsAlpha8[y * atlas.TexWidth + x] > 128;
  EXPECT_GT(ink, 20);
  EXPECT_FALSE(fonts.needs_build());
  EXPECT_FALSE(fonts.swap_in_ready());  // nothing pending
}

TEST(FontSet, SkipsCharactersTheFontLacksWithoutRebuilding) {
  ASSERT_TRUE(has_cjk_font()) << "no Noto Sans CJK installed (Debian: fonts-noto-cjk)";
  FontSet fonts({FontSpec{20.0f}});
  fonts.build();
  EXPECT_FALSE(fonts.ensure_glyphs("\xF0\x9F\x8C\xB6\xF0\x9F\x98\x80"));  // 🌶😀: beyond ImGui's 16-bit glyphs
  EXPECT_FALSE(fonts.ensure_glyphs("\uE000\uE001"));                      // private use
  EXPECT_FALSE(fonts.ensure_glyphs("\xFF\xFE broken utf-8"));
  EXPECT_FALSE(fonts.needs_build());
}

// The window's lists (products, orders, comments) draw with ImGui's own widgets and draw-list
// text in a FontSet's fonts: a title with emoji must look exactly like the title without them.
TEST(FontSet, DrawsCharactersTheFontLacksAsNothingInTheWindowsText) {
  ASSERT_TRUE(has_cjk_font()) << "no Noto Sans CJK installed (Debian: fonts-noto-cjk)";
  const std::string with = "\U0001F41D 土蜂蜜\U0001F36F 礼盒\uE000 ×2";
  const std::string without = " 土蜂蜜 礼盒 ×2";  // the same with those three characters removed
  FontSet fonts({FontSpec{20.0f}, FontSpec{16.0f, true}});
  fonts.ensure_glyphs(with);
  fonts.build();
  OverlayRasterizer raster(400, 120, fonts.atlas());
  raster.upload_fonts();
  auto draw = [&](const std::string& text) {
    const OverlayRect all{0, 0, 400, 120};
    return raster.render(std::span(&all, 1), [&](ImDrawList& dl) {
      ImGui::SetNextWindowPos(ImVec2(0, 0));
      ImGui::SetNextWindowSize(ImVec2(400, 80));
      ImGui::Begin("list", nullptr, ImGuiWindowFlags_NoDecoration);
      ImGui::TextUnformatted(text.c_str());
      ImGui::PushFont(fonts.font(1));
      ImGui::Selectable((text + "##row").c_str());
      ImGui::PopFont();
      ImGui::End();
      dl.AddText(fonts.font(0), 20.0f, ImVec2(4, 90), IM_COL32_WHITE, text.c_str());
    });
  };
  (void)draw(without);  // the window's first frame (ImGui may lay it out before showing it)
  const RgbaLayer a = draw(with);
  const RgbaLayer b = draw(without);
  EXPECT_TRUE(a.rgba == b.rgba) << "a missing character left a mark (a \"?\", a box or a gap)";
  for (size_t i : {size_t{0}, size_t{1}}) {
    const ImFont* f = fonts.font(i);
    EXPECT_EQ(f->CalcTextSizeA(f->FontSize, 1e9f, 0, with.c_str()).x, f->CalcTextSizeA(f->FontSize, 1e9f, 0, without.c_str()).x);
  }
  // And the text is there.
  int ink = 0;
  for (size_t i = 3; i < a.rgba.size(); i += 4) ink += a.rgba[i] > 128;
  EXPECT_GT(ink, 200);
}

// SDL's software renderer copies each glyph from the atlas as a rect it computes from the UVs:
// a glyph must come out the same wherever the atlas packed it, however full the atlas is.
TEST(FontSet, DrawsAGlyphTheSameWhateverElseIsInTheAtlas) {
  ASSERT_TRUE(has_cjk_font()) << "no Noto Sans CJK installed (Debian: fonts-noto-cjk)";
  const std::string title = "沾化冬枣 2.5kg 现摘现发 ¥39.80";
  auto render = [&](const std::string& also) {
    FontSet fonts({FontSpec{0, true, false, 13.7f}, FontSpec{23.0f}});
    fonts.ensure_glyphs(also);
    fonts.ensure_glyphs(title);
    fonts.build();
    OverlayRasterizer raster(640, 80, fonts.atlas());
    raster.upload_fonts();
    const OverlayRect all{0, 0, 640, 80};
    return raster.render(std::span(&all, 1), [&](ImDrawList& dl) {
      dl.AddText(fonts.font(0), fonts.font(0)->FontSize, ImVec2(3, 2), IM_COL32_WHITE, title.c_str());
      dl.AddText(fonts.font(1), fonts.font(1)->FontSize, ImVec2(5, 40), IM_COL32_WHITE, title.c_str());
    });
  };
  std::string many;  // a few hundred other characters before the title's
  for (char32_t c = 0x4E00; c < 0x4E00 + 300; ++c) {
    many += static_cast<char>(0xE0 | (c >> 12));
    many += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    many += static_cast<char>(0x80 | (c & 0x3F));
  }
  const RgbaLayer alone = render("");
  for (const std::string& also : {many, many.substr(0, 90 * 3), std::string("张王李赵")}) {
    EXPECT_TRUE(render(also).rgba == alone.rgba) << "the text looks different with " << also.size() / 3
                                                 << " other characters in the atlas";
  }
}

TEST(FontSet, StopsAddingGlyphsPastTheCap) {
  ASSERT_TRUE(has_cjk_font()) << "no Noto Sans CJK installed (Debian: fonts-noto-cjk)";
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
