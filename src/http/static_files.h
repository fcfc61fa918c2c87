// Serves files from one directory (the NHS.UK frontend's compiled assets). Refuses anything
// that could leave the directory. Files are read on each request; the OS page cache keeps them
// warm. Thread-safe.
#pragma once

#include <string>

#include "http/message.h"

namespace liaison::http {

class StaticFiles {
 public:
  explicit StaticFiles(std::string root) : root_(std::move(root)) {}

  // `relative` is the path below the mount point, e.g. "nhsuk-frontend.min.css".
  Response Serve(const std::string& relative, const std::string& request_id) const;

 private:
  const std::string root_;
};

// Content type by file extension; "application/octet-stream" when unknown.
std::string ContentTypeFor(const std::string& path);

}  // namespace liaison::http
