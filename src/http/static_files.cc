#include "http/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "http/router.h"
#include "http/status_to_http.h"

namespace liaison::http {
namespace {

constexpr std::uintmax_t kMaxAssetBytes = 8 * 1024 * 1024;

bool IsSafeRelativePath(const std::string& relative) {
  if (relative.empty() || relative.size() > 512) return false;
  for (const std::string& segment : SplitPath("/" + relative)) {
    if (segment.empty() || segment == "." || segment == ".." || segment.front() == '.') {
      return false;
    }
    for (char c : segment) {
      bool allowed =
          std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
      if (!allowed) return false;
    }
  }
  return true;
}

bool EndsWith(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string ContentTypeFor(const std::string& path) {
  struct Type {
    std::string_view extension;
    const char* type;
  };
  static constexpr Type kTypes[] = {
      {".css", "text/css; charset=utf-8"},
      {".js", "application/javascript; charset=utf-8"},
      {".mjs", "application/javascript; charset=utf-8"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".json", "application/json"},
  };
  for (const Type& type : kTypes) {
    if (EndsWith(path, type.extension)) return type.type;
  }
  return "application/octet-stream";
}

Response StaticFiles::Serve(const std::string& relative, const std::string& request_id) const {
  if (!IsSafeRelativePath(relative)) {
    return ProblemResponse(404, "not_found", "there is nothing at this address", request_id);
  }
  std::filesystem::path path = std::filesystem::path(root_) / relative;
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error) ||
      std::filesystem::file_size(path, error) > kMaxAssetBytes) {
    return ProblemResponse(404, "not_found", "there is nothing at this address", request_id);
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return {200, ContentTypeFor(relative), bytes.str(), {}};
}

}  // namespace liaison::http
