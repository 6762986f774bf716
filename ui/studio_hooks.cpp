#include "ui/studio_hooks.h"

#include <memory>

#include "client/studio.h"
#include "ui/first_start_guide.h"
#include "ui/settings_panel.h"

namespace cunbo::ui {

StudioWindowHooks studio_window_hooks() {
  StudioWindowHooks hooks;
  hooks.settings = [](Studio& studio) {
    auto panel = std::make_unique<SettingsPanel>([&studio] { return studio.config(); },
                                                 [&studio](const Config& c) { return studio.save_config(c); });
    SettingsPanel* p = panel.get();
    return HookedPanel{std::move(panel), [p] { p->show(); }, [p](std::string& s) { p->collect_text(s); }};
  };
  hooks.first_start_guide = [](Studio& studio) {
    auto guide = std::make_unique<FirstStartGuide>([&studio] { return studio.config(); },
                                                   [&studio](const Config& c) { return studio.save_config(c); },
                                                   [&studio](GuideResult r) { studio.set_practice(r.practice); });
    FirstStartGuide* g = guide.get();
    return HookedPanel{std::move(guide), nullptr, [g](std::string& s) { g->collect_text(s); }};
  };
  return hooks;
}

}  // namespace cunbo::ui
