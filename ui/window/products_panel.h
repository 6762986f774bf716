// The products column: picture, title, price (¥) and stock of each product the host may sell.
// A click (or F1–F9) presents one on the stream, Esc hides it; the presented one is
// highlighted. "离线列表" marks a list kept on disk while the platform is unreachable.
// Pictures come from the studio's one ImageLoader (its own worker thread, one cache for the list
// and the card); the decoded pixels are handed to the UI thread, which uploads them as SDL
// textures.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "client/platform/image_loader.h"
#include "ui/window/studio_panel.h"

struct SDL_Texture;

namespace cunbo::ui {

class ProductsPanel : public StudioPanel {
 public:
  static constexpr int kThumb = 60;  // picture box, pixels at 100 %

  ProductsPanel();

  // Asks `images` for pictures not asked for yet (kThumb at `scale`) and uploads those that
  // arrived. UI thread, once per frame, outside the ImGui lock.
  void update(ImageLoader& images, const StudioSnapshot& snapshot, SDL_Renderer* renderer, float scale);

 protected:
  void draw_content() override;

 private:
  struct TextureDeleter {
    void operator()(SDL_Texture* texture) const noexcept;
  };
  using Texture = std::unique_ptr<SDL_Texture, TextureDeleter>;

  // Written by the loader's callbacks, which may outlive the panel: shared with them.
  struct Inbox {
    std::mutex mutex;
    std::map<std::string, RgbaImage> arrived;  // url → picture, waiting for the UI thread
  };
  std::shared_ptr<Inbox> inbox_ = std::make_shared<Inbox>();
  std::set<std::string> requested_;           // UI thread only
  std::map<std::string, Texture> textures_;   // UI thread only
  Texture placeholder_;                       // UI thread only
  int thumb_ = kThumb;                        // the picture box at the window's scale
  std::string scrolled_for_;                  // the presented id the list last scrolled to
};

}  // namespace cunbo::ui
