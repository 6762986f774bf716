#include "ui/window/products_panel.h"

#include <algorithm>
#include <cmath>

#include <SDL.h>

#include "client/base/strings.h"
#include "client/studio/studio.h"

namespace cunbo::ui {

namespace {

constexpr float kRowHeight = 78;  // at 100 %

SDL_Texture* upload(SDL_Renderer* renderer, const RgbaImage& image) {
  if (image.width <= 0 || image.height <= 0 ||
      image.pixels.size() < static_cast<size_t>(image.width) * static_cast<size_t>(image.height) * 4) {
    return nullptr;
  }
  SDL_Texture* texture =
      SDL_CreateTexture(renderer, SDL_PIXELFORMAT_RGBA32, SDL_TEXTUREACCESS_STATIC, image.width, image.height);
  if (!texture) return nullptr;
  SDL_UpdateTexture(texture, nullptr, image.pixels.data(), image.width * 4);
  SDL_SetTextureBlendMode(texture, SDL_BLENDMODE_BLEND);
  return texture;
}

// Stock in words: how many are left matters to the host only when it runs low.
std::pair<std::string, ImU32> stock_words(const Product& p) {
  if (!p.stock) return {tr("win.stock_unlimited"), colors::kMuted};
  if (*p.stock <= 0) return {tr("win.stock_sold_out"), colors::kBad};
  if (*p.stock <= 10) return {tr("win.stock_low", *p.stock), colors::kWarn};
  return {tr("win.stock", *p.stock), colors::kMuted};
}

}  // namespace

void ProductsPanel::TextureDeleter::operator()(SDL_Texture* texture) const noexcept { SDL_DestroyTexture(texture); }

ProductsPanel::ProductsPanel() : StudioPanel("##products") {}

void ProductsPanel::update(ImageLoader& images, const StudioSnapshot& snapshot, SDL_Renderer* renderer, float scale) {
  const int thumb = static_cast<int>(std::lround(kThumb * scale));
  if (thumb != thumb_) {
    // Pictures at the new size: asked for again.
    thumb_ = thumb;
    requested_.clear();
    placeholder_.reset();
  }
  for (const Product& p : snapshot.products) {
    if (p.image_url.empty() || !requested_.insert(p.image_url).second) continue;
    images.request(p.image_url, thumb_, thumb_, [inbox = inbox_, url = p.image_url](const RgbaImage& image) {
      const std::lock_guard lock(inbox->mutex);
      inbox->arrived[url] = image;
    });
  }
  std::map<std::string, RgbaImage> arrived;
  {
    const std::lock_guard lock(inbox_->mutex);
    arrived.swap(inbox_->arrived);
  }
  for (auto& [url, image] : arrived) {
    if (image.placeholder) continue;  // the shared tile below stands in
    if (SDL_Texture* t = upload(renderer, image)) textures_[url].reset(t);
  }
  if (!placeholder_) placeholder_.reset(upload(renderer, make_placeholder(thumb_, thumb_)));
}

void ProductsPanel::draw_content() {
  const UiFrame& f = frame();
  const StudioSnapshot& snap = f.snapshot;

  // Heading: how many, whether the list is the offline copy, and how to present.
  text(f, tr("win.products_title", snap.products.size()), FontRole::heading);
  if (snap.products_cached) {
    ImGui::SameLine(0, f.px(10));
    badge(f, tr("win.products_offline"), IM_COL32(0xFE, 0xF3, 0xC7, 0xFF), IM_COL32(0x92, 0x40, 0x0E, 0xFF));
    tooltip(f, {tr("win.products_offline_tip")});
  }
  {
    const bool presenting = snap.presented_id.has_value();
    const std::string right = presenting ? tr("win.hide_card") + " (Esc)##hide" : tr("win.products_keys_hint");
    const float w = presenting ? text_size(f, right.substr(0, right.find("##")), FontRole::body).x + f.px(24)
                               : text_size(f, right, FontRole::small).x;
    ImGui::SameLine(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowContentRegionMax().x - w));
    if (presenting) {
      if (button(f, right, ImVec2(0, 0), FontRole::body)) f.studio.hide_product();
    } else {
      ImGui::SetCursorPosY(ImGui::GetCursorPosY() + f.px(4));
      text(f, right, FontRole::small, colors::kMuted);
    }
  }
  separator();

  if (!snap.presented_id) scrolled_for_.clear();
  if (snap.products.empty()) {
    ImGui::Spacing();
    text_wrapped(f, tr(snap.feed_state == FeedState::connecting ? "win.products_loading" : "win.products_empty"),
                 FontRole::body, colors::kMuted);
    return;
  }

  ImGui::BeginChild("##product_list", ImVec2(0, 0), false);
  const float width = ImGui::GetContentRegionAvail().x;
  const float row_h = f.px(kRowHeight);
  const float box = static_cast<float>(thumb_);
  for (size_t i = 0; i < snap.products.size(); ++i) {
    const Product& p = snap.products[i];
    const bool presented = snap.presented_id && *snap.presented_id == p.id;
    ImGui::PushID(p.id.c_str());
    const ImVec2 row0 = ImGui::GetCursorScreenPos();
    if (ImGui::Selectable("##row", presented, ImGuiSelectableFlags_None, ImVec2(width, row_h))) {
      if (presented) {
        f.studio.hide_product();
      } else {
        f.studio.present(p.id);
      }
    }
    tooltip(f, {p.title, p.subtitle, presented ? tr("win.product_click_hide") : tr("win.product_click_present")});
    if (presented && scrolled_for_ != p.id) {
      ImGui::SetScrollHereY(0.5f);
      scrolled_for_ = p.id;
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 row1(row0.x + width, row0.y + row_h);
    if (presented) dl->AddRectFilled(row0, ImVec2(row0.x + f.px(4), row1.y), colors::kLive);
    if (i + 1 < snap.products.size() && !presented) {
      hline(row0.x + f.px(4), row1.x - f.px(4), row1.y + 1, IM_COL32(0xEE, 0xF0, 0xF3, 0xFF));
    }

    // The key that presents it.
    float x = row0.x + f.px(10);
    if (i < 9) {
      const std::string key = "F" + std::to_string(i + 1);
      const ImVec2 ks = text_size(f, key, FontRole::small);
      const float kw = f.px(30);
      const float kh = f.px(22);
      const ImVec2 k0(x, std::floor(row0.y + (row_h - kh) * 0.5f));
      dl->AddRectFilled(k0, ImVec2(k0.x + kw, k0.y + kh), presented ? colors::kLive : IM_COL32(0xE5, 0xE7, 0xEB, 0xFF),
                        f.px(4));
      text_at(f, ImVec2(std::floor(k0.x + (kw - ks.x) * 0.5f), k0.y + (kh - ks.y) * 0.5f), key, FontRole::small,
              presented ? IM_COL32_WHITE : colors::kMuted);
    }
    x += f.px(40);

    // The picture, 1:1 (the loader scaled it to the box), centred in the box.
    const float ty = row0.y + (row_h - box) * 0.5f;
    SDL_Texture* texture = placeholder_.get();
    if (auto it = textures_.find(p.image_url); it != textures_.end()) texture = it->second.get();
    if (texture) {
      int tw = thumb_;
      int th = thumb_;
      SDL_QueryTexture(texture, nullptr, nullptr, &tw, &th);
      const ImVec2 t0(std::floor(x + (box - static_cast<float>(tw)) * 0.5f), std::floor(ty + (box - static_cast<float>(th)) * 0.5f));
      dl->AddImage(texture, t0, ImVec2(t0.x + static_cast<float>(tw), t0.y + static_cast<float>(th)));
    }
    x += box + f.px(14);

    // Title, then price and stock.
    const float text_w = row1.x - x - f.px(10);
    float title_w = text_w;
    if (presented) {
      const std::string tag = tr("win.presenting");
      const ImVec2 ts = text_size(f, tag, FontRole::small);
      const ImVec2 b0(row1.x - ts.x - f.px(22), row0.y + f.px(11));
      dl->AddRectFilled(b0, ImVec2(b0.x + ts.x + f.px(12), b0.y + ts.y + f.px(4)), colors::kLive, f.px(4));
      text_at(f, ImVec2(b0.x + f.px(6), b0.y + f.px(2)), tag, FontRole::small, IM_COL32_WHITE);
      title_w -= ts.x + f.px(20);
    }
    text_at(f, ImVec2(x, row0.y + f.px(10)), ellipsize(f, p.title, title_w, FontRole::bold), FontRole::bold);
    const std::string price = yuan(p.price_cents);
    const float py = row0.y + f.px(40);
    text_at(f, ImVec2(x, py), price, FontRole::price, colors::kLive);
    float px = x + text_size(f, price, FontRole::price).x + f.px(10);
    if (p.original_price_cents && *p.original_price_cents > p.price_cents) {
      const std::string was = yuan(*p.original_price_cents);
      const ImVec2 ws = text_size(f, was, FontRole::small);
      text_at(f, ImVec2(px, py + f.px(4)), was, FontRole::small, colors::kMuted);
      hline(px, px + ws.x, std::floor(py + f.px(4) + ws.y * 0.55f), colors::kMuted);
      px += ws.x + f.px(10);
    }
    const auto [stock, stock_color] = stock_words(p);
    const ImVec2 ss = text_size(f, stock, FontRole::small);
    text_at(f, ImVec2(std::max(px, row1.x - ss.x - f.px(12)), py + f.px(4)), stock, FontRole::small, stock_color);
    ImGui::PopID();
  }
  ImGui::EndChild();
}

}  // namespace cunbo::ui
