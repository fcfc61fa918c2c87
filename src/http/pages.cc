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

Result<std::string> PageRenderer::Render(const std::string& name, const std::string& title,
                                         const std::string& version,
                                         kainjow::mustache::data data) const {
  ASSIGN_OR_RETURN(std::string text, Template(name));
  ASSIGN_OR_RETURN(std::string page_start, Template("partials/page_start.html"));
  ASSIGN_OR_RETURN(std::string page_end, Template("partials/page_end.html"));
  kainjow::mustache::mustache page(text);
  if (!page.is_valid()) return Internal("template_invalid", name + ": " + page.error_message());
  // Every page shares the NHS.UK frame (head, header, footer) through these two partials.
  data.set("page_start", kainjow::mustache::partial([page_start] { return page_start; }));
  data.set("page_end", kainjow::mustache::partial([page_end] { return page_end; }));
  data.set("title", title);
  data.set("version", version);
  data.set("asset_base", "/assets");
  return page.render(data);
}

Result<std::string> PageRenderer::Home(const std::vector<app::ComponentHealth>& health,
                                       const std::string& version) const {
  kainjow::mustache::list components;
  for (const app::ComponentHealth& component : health) {
    kainjow::mustache::object row{{"name", component.name},
                                  {"status", component.ok ? "ok" : "failing"},
                                  {"detail", component.detail}};
    row["ok"] = component.ok ? kainjow::mustache::data(true) : kainjow::mustache::data(false);
    components.push_back(row);
  }
  kainjow::mustache::data data;
  data.set("components", components);
  data.set("all_ok", app::AllHealthy(health) ? kainjow::mustache::data(true)
                                             : kainjow::mustache::data(false));
  return Render("home.html",
                "Liaison – safeguarding children across the hospital and local authorities",
                version, std::move(data));
}

Result<std::string> PageRenderer::Login(const std::string& error, const std::string& username,
                                        const std::string& version) const {
  kainjow::mustache::data data;
  data.set("username", username);
  if (error.empty()) {
    data.set("error", kainjow::mustache::data(false));
  } else {
    data.set("error", error);
  }
  return Render("login.html", error.empty() ? "Sign in – Liaison" : "Error: Sign in – Liaison",
                version, std::move(data));
}

Result<std::string> PageRenderer::Account(const AccountView& view,
                                          const std::string& version) const {
  kainjow::mustache::data data;
  data.set("username", view.username);
  data.set("role", view.role);
  data.set("org", view.org);
  data.set("csrf_token", view.csrf_token);
  if (view.error.empty()) {
    data.set("error", kainjow::mustache::data(false));
  } else {
    data.set("error", view.error);
    data.set("error_field", view.error_field);
  }
  return Render("account.html",
                view.error.empty() ? "Your account – Liaison" : "Error: Your account – Liaison",
                version, std::move(data));
}

}  // namespace liaison::http
