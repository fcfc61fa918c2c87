// ChunkedInput: reads a stream in fixed 64 KiB chunks and skips a UTF-8 byte-order mark at
// its start. It is the bounded-memory source under both feed readers (CSV records, NDJSON
// lines). Borrows the stream; not thread-safe.
#pragma once

#include <cstddef>
#include <istream>
#include <string_view>
#include <vector>

namespace liaison::ingest {

class ChunkedInput {
 public:
  explicit ChunkedInput(std::istream& in) : in_(in), buffer_(kChunkBytes) {}

  // The unread bytes of the current chunk, reading the next chunk when none are left. Empty at
  // the end of the input or after a read error. Inline: the CSV reader calls it per byte.
  std::string_view Available() {
    if (position_ == size_) Fill();
    return {buffer_.data() + position_, size_ - position_};
  }
  // REQUIRES: n <= Available().size()
  void Consume(std::size_t n) { position_ += n; }
  bool read_error() const { return read_error_; }

 private:
  static constexpr std::size_t kChunkBytes = 64 * 1024;
  void Fill();

  std::istream& in_;
  std::vector<char> buffer_;
  std::size_t position_ = 0;
  std::size_t size_ = 0;
  bool first_chunk_ = true;
  bool read_error_ = false;
};

}  // namespace liaison::ingest
