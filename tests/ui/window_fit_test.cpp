// How the studio window opens and lays itself out on a host's screen: maximised on a 1366x768
// laptop, the whole usable area of a larger screen, the display's 125 % / 150 % honoured but
// never beyond what the screen holds, and panels that reflow down to 1280x720 keeping the
// comments readable. Pure policy (ui/window/window_fit.h, window_layout.h): no display needed.
#include "ui/window/window_fit.h"

#include <gtest/gtest.h>

#include "ui/window/key_script.h"
#include "ui/window/window_layout.h"

namespace cunbo::ui {
namespace {

TEST(WindowFit, OpensMaximisedOnALaptopScreen) {
  // 1366x768 less a 40-pixel taskbar.
  const WindowPlan plan = plan_window(DisplayArea{0, 0, 1366, 728, 96}, std::nullopt);
  EXPECT_TRUE(plan.maximised);
  EXPECT_EQ(plan.w, 1366);
  EXPECT_EQ(plan.h, 728);
  EXPECT_TRUE(plan_window(DisplayArea{0, 0, 1280, 680, 96}, std::nullopt).maximised);
}

TEST(WindowFit, FillsTheUsableAreaOfALargerScreen) {
  // A panel on the left (x 64) and a taskbar at the bottom.
  const WindowPlan plan = plan_window(DisplayArea{64, 0, 1856, 1040, 96}, std::nullopt);
  EXPECT_FALSE(plan.maximised);
  EXPECT_EQ(plan.x, 64);
  EXPECT_EQ(plan.y, 0);
  EXPECT_EQ(plan.w, 1856);
  EXPECT_EQ(plan.h, 1040);
}

TEST(WindowFit, TakesTheSizeAskedForAndHasOneWithoutADisplay) {
  const WindowPlan asked = plan_window(DisplayArea{0, 0, 1024, 768, 0}, WindowSize{1920, 1080});
  EXPECT_EQ(asked.w, 1920);
  EXPECT_EQ(asked.h, 1080);
  EXPECT_FALSE(asked.maximised);
  const WindowPlan none = plan_window(DisplayArea{}, std::nullopt);
  EXPECT_EQ(none.w, kFallbackSize.w);
  EXPECT_EQ(none.h, kFallbackSize.h);
}

TEST(WindowFit, HonoursTheDisplaysScale) {
  const WindowSize full_hd{1920, 1040};
  EXPECT_FLOAT_EQ(choose_ui_scale(96, 1, full_hd, ""), 1.0f);
  EXPECT_FLOAT_EQ(choose_ui_scale(120, 1, full_hd, ""), 1.25f) << "Windows' 125 %";
  EXPECT_FLOAT_EQ(choose_ui_scale(144, 1, full_hd, ""), 1.5f) << "Windows' 150 %";
  EXPECT_FLOAT_EQ(choose_ui_scale(0, 2, WindowSize{2880, 1800}, ""), 2.0f) << "a system that scales windows itself";
  EXPECT_FLOAT_EQ(choose_ui_scale(72, 1, full_hd, ""), 1.0f) << "never smaller than designed";
  EXPECT_FLOAT_EQ(choose_ui_scale(0, 1, full_hd, ""), 1.0f) << "no DPI from the display";
}

TEST(WindowFit, NeverScalesBeyondWhatTheScreenHolds) {
  // 125 % asked on a 1366x768 laptop: the layout would not fit; the scale stops where it does.
  const float s = choose_ui_scale(120, 1, WindowSize{1366, 728}, "");
  EXPECT_GE(s, 1.0f);
  EXPECT_LE(s * static_cast<float>(kDesignSize.w), 1366.0f);
  EXPECT_LE(s * static_cast<float>(kDesignSize.h), 728.0f);
}

TEST(WindowFit, AnOverrideWinsWhenItIsANumberFromOneToThree) {
  EXPECT_FLOAT_EQ(choose_ui_scale(96, 1, WindowSize{1280, 720}, "1.5"), 1.5f);
  EXPECT_FLOAT_EQ(choose_ui_scale(96, 1, WindowSize{1280, 720}, "big"), 1.0f);
  EXPECT_FLOAT_EQ(choose_ui_scale(96, 1, WindowSize{1280, 720}, "9"), 1.0f);
  EXPECT_FLOAT_EQ(choose_ui_scale(96, 1, WindowSize{1280, 720}, "0.5"), 1.0f);
}

TEST(WindowFit, ReadsAWindowSize) {
  const auto size = parse_window_size("1366x768");
  ASSERT_TRUE(size);
  EXPECT_EQ(size->w, 1366);
  EXPECT_EQ(size->h, 768);
  EXPECT_TRUE(parse_window_size("1920X1080"));
  EXPECT_FALSE(parse_window_size("1366"));
  EXPECT_FALSE(parse_window_size("1366x"));
  EXPECT_FALSE(parse_window_size("x768"));
  EXPECT_FALSE(parse_window_size("13x768")) << "too small to be a window";
  EXPECT_FALSE(parse_window_size("1366x768x2"));
  EXPECT_FALSE(parse_window_size("-1366x768"));
}

bool inside(const PanelRect& r, float w, float h) { return r.x >= 0 && r.y >= 0 && r.x + r.w <= w && r.y + r.h <= h; }
bool apart(const PanelRect& a, const PanelRect& b) {
  return a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
}

void expect_fits(float w, float h, size_t health_lines, float scale) {
  SCOPED_TRACE(testing::Message() << w << "x" << h << " with " << health_lines << " destinations at " << scale);
  const Layout l = layout_for(w, h, health_lines, scale);
  const PanelRect all[] = {l.top, l.preview, l.controls, l.mic, l.comments, l.products, l.orders};
  for (const PanelRect& r : all) {
    EXPECT_TRUE(inside(r, w, h)) << r.x << "," << r.y << " " << r.w << "x" << r.h;
    EXPECT_GT(r.w, 100 * scale);
  }
  for (size_t i = 0; i < std::size(all); ++i)
    for (size_t j = i + 1; j < std::size(all); ++j) EXPECT_TRUE(apart(all[i], all[j])) << i << " overlaps " << j;
  EXPECT_GE(l.comments.h, kCommentsMinHeight * scale) << "the comments shrink below three lines";
  EXPECT_LE(l.preview.h, l.preview.w * 9 / 16 + 1) << "the preview is taller than its 16:9 picture";
  EXPECT_GE(l.products.h, 250 * scale);
  EXPECT_GE(l.orders.h, 180 * scale);
}

TEST(WindowLayout, ReflowsDownTo1280x720KeepingEveryPanelInside) {
  for (size_t lines : {size_t{1}, size_t{3}}) {
    expect_fits(1280, 720, lines, 1);
    expect_fits(1366, 768, lines, 1);
    expect_fits(1366, 700, lines, 1);  // maximised under a title bar and a taskbar
    expect_fits(1920, 1080, lines, 1);
    expect_fits(1920, 1032, lines, 1.5f);  // 1080p at 150 %
    expect_fits(1280, 720, lines, 1);
  }
}

TEST(WindowLayout, OnATallWindowThePreviewIsAWhole16By9Picture) {
  const Layout l = layout_for(1280, 800, 1, 1);
  EXPECT_FLOAT_EQ(l.preview.h, std::floor(l.preview.w * 9 / 16));
}

TEST(KeyScript, ReadsFramesAndKeysAndSkipsWhatItCannotRead) {
  const auto keys = parse_key_script("150:F12,160:Return,x:F1,170:NoSuchKey,180:PageDown");
  ASSERT_EQ(keys.size(), 3U);
  EXPECT_EQ(keys[0].first, 150);
  EXPECT_EQ(keys[0].second, SDLK_F12);
  EXPECT_EQ(keys[1].second, SDLK_RETURN);
  EXPECT_EQ(keys[2].first, 180);
  EXPECT_EQ(keys[2].second, SDLK_PAGEDOWN);
}

}  // namespace
}  // namespace cunbo::ui
