// The overlay's colours (ImU32, as Dear ImGui packs them: R in the low byte).
#pragma once

namespace cunbo::ui::palette {

constexpr unsigned rgba(unsigned r, unsigned g, unsigned b, unsigned a = 255) { return r | g << 8 | b << 16 | a << 24; }

inline constexpr unsigned kPanel = rgba(255, 255, 255, 242);
inline constexpr unsigned kShadow = rgba(0, 0, 0, 9);
inline constexpr unsigned kTitle = rgba(28, 28, 30);
inline constexpr unsigned kPrice = rgba(242, 48, 48);
inline constexpr unsigned kStruck = rgba(150, 150, 155);
inline constexpr unsigned kTagFill = rgba(255, 238, 228);
inline constexpr unsigned kTagText = rgba(238, 82, 30);
inline constexpr unsigned kStockFill = rgba(238, 82, 30);
inline constexpr unsigned kBadge = rgba(255, 45, 85);
inline constexpr unsigned kTile = rgba(242, 242, 244);
inline constexpr unsigned kSoldOutVeil = rgba(0, 0, 0, 120);
inline constexpr unsigned kSoldOutPill = rgba(40, 40, 44, 220);
inline constexpr unsigned kWhite = rgba(255, 255, 255);
inline constexpr unsigned kBanner = rgba(255, 86, 34, 232);
// The shop name sits on the video itself: white on a translucent dark plate reads on any picture.
inline constexpr unsigned kPlate = rgba(0, 0, 0, 128);
inline constexpr unsigned kPlateText = rgba(255, 255, 255, 240);
// The slate while the camera is lost: a grey plate on the black frame, so it reads as a
// message, not as a broken picture.
inline constexpr unsigned kSlate = rgba(58, 58, 62);

}  // namespace cunbo::ui::palette
