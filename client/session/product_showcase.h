// The products the host may sell and the one presented now: one owner for both, outliving the
// sessions (the host picks a card before going live; it is still there after the end). It keeps
// the showcase overlay (client/session/showcase.h) in step: presenting a product puts its card
// on the picture, a new product list refreshes the card's price and stock.
//
// A running session watches it (ShowcaseObserver): each change of the card reaches the event
// log, the session's summary and the platform. A card asked for before the list is known (the
// command line's --showcase, the practice rotation's first product) goes up when the list
// arrives, or is reported missing.
//
// Thread-safety: every member may be called from any thread. Changes are serialised; the
// observer is called with that order kept, and must not call back into this class.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "client/platform/platform_feed.h"
#include "client/session/showcase.h"

namespace cunbo {

class ShowcaseObserver {
 public:
  virtual ~ShowcaseObserver() = default;
  // The card is now `product` (nullopt: no card).
  virtual void on_presented(const std::optional<Product>& product) = 0;
  // A card asked for by id is not in the product list that arrived.
  virtual void on_missing(const std::string& product_id) = 0;
};

class ProductShowcase {
 public:
  // What viewers see on top of the picture: the card, the order banners, the shop name.
  [[nodiscard]] Showcase& overlay() { return overlay_; }

  // The feed's list (`cached`: the one kept on disk). The card shown follows a new price or
  // stock; a card waiting for the list goes up. An empty list (not loaded yet) changes nothing.
  void set_products(std::vector<Product> products, bool cached);
  // A new feed: no list until it sends one (the card stays).
  void forget_products();
  [[nodiscard]] std::vector<Product> products() const;
  [[nodiscard]] bool cached() const;
  // The product's title, or its id when the list does not have it (yet).
  [[nodiscard]] std::string title_of(const std::string& product_id) const;

  // Puts the product's card up. False (nothing changes) when the list has no such id.
  bool present(const std::string& product_id);
  void hide();
  // The next (+1) or previous (-1) product after the one presented (nothing presented: the
  // first or last).
  void step(int delta);
  [[nodiscard]] std::optional<Product> presented() const;
  [[nodiscard]] std::optional<std::string> presented_id() const;
  // Presents `product_id` ("" = the first product) now if the list has it, else once a list
  // arrives; a list without it reports it missing.
  void present_when_listed(const std::string& product_id);

  // The one observer (a running session), or null.
  void set_observer(ShowcaseObserver* observer);

 private:
  // With change_mutex_ held.
  void show(const std::optional<Product>& product);
  void present_wanted(const std::string& product_id);
  [[nodiscard]] std::optional<Product> find(const std::string& product_id) const;

  Showcase overlay_;
  std::mutex change_mutex_;  // serialises changes and their notifications
  mutable std::mutex mutex_;  // guards the fields below for readers
  std::vector<Product> products_;
  bool cached_ = false;
  std::optional<Product> presented_;
  std::optional<std::string> wanted_;  // waiting for a list
  ShowcaseObserver* observer_ = nullptr;
};

}  // namespace cunbo
