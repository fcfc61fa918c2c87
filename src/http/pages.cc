#include "http/pages.h"

#include <fstream>
#include <sstream>

#include <kainjow/mustache.hpp>

namespace liaison::http {

Result<std::string> PageRenderer::Template(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto found = cache_.find(name);
  if (found != cache_.end()) return found->second;
  std::ifstream in(template_dir_ + "/" + name);
  if (!in) return Unavailable("template_missing", "a page template is missing: " + name);
  std::ostringstream text;
  text << in.rdbuf();
  return cache_.emplace(name, text.str()).first->second;
}

Result<std::string> PageRenderer::Home(const std::vector<app::ComponentHealth>& health,
                                       const std::string& version) const {
  ASSIGN_OR_RETURN(std::string text, Template("home.html"));
  kainjow::mustache::mustache page(text);
  if (!page.is_valid()) return Internal("template_invalid", "home.html: " + page.error_message());
  kainjow::mustache::list components;
  for (const app::ComponentHealth& component : health) {
    kainjow::mustache::object row{{"name", component.name},
                                  {"status", component.ok ? "ok" : "failing"},
                                  {"detail", component.detail}};
    row["ok"] = component.ok ? kainjow::mustache::data(true) : kainjow::mustache::data(false);
    components.push_back(row);
  }
  kainjow::mustache::data data;
  data.set("version", version);
  data.set("asset_base", "/assets");
  data.set("components", components);
  data.set("all_ok", app::AllHealthy(health) ? kainjow::mustache::data(true)
                                             : kainjow::mustache::data(false));
  return page.render(data);
}

Result<std::string> PageRenderer::Login(const std::string& error, const std::string& username,
                                        const std::string& version) const {
  ASSIGN_OR_RETURN(std::string text, Template("login.html"));
  kainjow::mustache::mustache page(text);
  if (!page.is_valid()) return Internal("template_invalid", "login.html: " + page.error_message());
  kainjow::mustache::data data;
  data.set("version", version);
  data.set("asset_base", "/assets");
  data.set("username", username);
  if (error.empty()) {
    data.set("error", kainjow::mustache::data(false));
  } else {
    data.set("error", error);
  }
  return page.render(data);
}

}  // namespace liaison::http
