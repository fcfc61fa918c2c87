#include "ingest/chunked_input.h"

namespace liaison::ingest {

void ChunkedInput::Fill() {
  position_ = 0;
  size_ = 0;
  if (read_error_ || !in_.good()) return;
  in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  if (in_.bad()) {
    read_error_ = true;
    return;
  }
  size_ = static_cast<std::size_t>(in_.gcount());
  if (first_chunk_) {
    first_chunk_ = false;
    if (size_ >= 3 && buffer_[0] == '\xEF' && buffer_[1] == '\xBB' && buffer_[2] == '\xBF') {
      position_ = 3;
    }
  }
}

}  // namespace liaison::ingest
