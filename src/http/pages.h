// Server-rendered HTML pages from logic-less mustache templates in web/templates/. Templates
// are read once and cached. Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <kainjow/mustache.hpp>

#include "app/health.h"
#include "common/status.h"

namespace liaison::http {

class PageRenderer {
 public:
  explicit PageRenderer(std::string template_dir) : template_dir_(std::move(template_dir)) {}

  // The home page: what Liaison does and the health of its parts.
  Result<std::string> Home(const std::vector<app::ComponentHealth>& health,
                           const std::string& version) const;
  // The sign-in form; `error` (plain words) is shown in an error summary when not empty.
  // `username` refills the form; the password never does.
  Result<std::string> Login(const std::string& error, const std::string& username,
                            const std::string& version) const;

  // The signed-in user's account page: who they are, a password-change form and a sign-out
  // form, each carrying the session's CSRF token in a hidden field. `error` and `error_field`
  // (the input's id) describe a refused password change.
  struct AccountView {
    std::string username;
    std::string role;
    std::string org;
    std::string csrf_token;
    std::string error;
    std::string error_field;
  };
  Result<std::string> Account(const AccountView& view, const std::string& version) const;

 private:
  Result<std::string> Template(const std::string& name) const;
  // Renders `name` inside the shared page frame (web/templates/partials).
  Result<std::string> Render(const std::string& name, const std::string& title,
                             const std::string& version, kainjow::mustache::data data) const;

  const std::string template_dir_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, std::string> cache_;  // guarded by mutex_
};

}  // namespace liaison::http
