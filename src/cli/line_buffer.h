// LineBuffer: lines written to a stream in large writes.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>

namespace liaison::cli {

// Lines gathered and written to a stream in large writes. libstdc++'s file streams pass any
// write of a kilobyte or more straight to writev, whatever their buffer, so a worklist of
// kilobyte items made a system call for every item or two; and unbuffered std::cerr makes two
// for every issue line. A caller that shares the stream with other output flushes first.
class LineBuffer {
 public:
  LineBuffer(std::ostream& out, std::size_t capacity) : out_(out), capacity_(capacity) {
    text_.reserve(capacity);
  }
  LineBuffer(const LineBuffer&) = delete;
  LineBuffer& operator=(const LineBuffer&) = delete;
  ~LineBuffer() { Flush(); }

  // Adds the line and its newline; false when a write failed.
  bool Add(std::string_view line) {
    text_.append(line);
    text_.push_back('\n');
    return text_.size() < capacity_ || Flush();
  }

  bool Flush() {
    if (!text_.empty()) {
      out_.write(text_.data(), static_cast<std::streamsize>(text_.size()));
      text_.clear();
    }
    return static_cast<bool>(out_);
  }

 private:
  std::ostream& out_;
  const std::size_t capacity_;
  std::string text_;
};

}  // namespace liaison::cli
