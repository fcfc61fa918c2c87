// Where the sweep's CPU goes, stage by stage, on one core: reading lines, decoding and
// validating them, and assessing them with the shipped engine (no history). Each stage is timed
// over the whole file, in memory, after the one before; the figure is CPU microseconds per
// attendance (median of RUNS), so the sweep's own time can be read against its parts. Decoding
// is also timed into one reused row by each path of the decoder (reference and fast).
//   sweep_stages FILE.ndjson [RUNS]
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/check.h"
#include "ingest/attendance_json.h"
#include "recognition/engine.h"

using namespace liaison;

namespace {

double CpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

template <typename Stage>
double MedianMicrosPerRow(int runs, std::size_t rows, Stage stage) {
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    double start = CpuSeconds();
    stage();
    times.push_back((CpuSeconds() - start) * 1e6 / static_cast<double>(rows));
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: sweep_stages FILE.ndjson [RUNS]\n");
    return 2;
  }
  int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
  std::ifstream file(argv[1], std::ios::binary);
  std::stringstream buffer;
  buffer << file.rdbuf();
  const std::string text = buffer.str();

  std::vector<std::string_view> lines;
  double split = MedianMicrosPerRow(runs, 1, [&] {
    lines.clear();
    std::size_t begin = 0;
    while (begin < text.size()) {
      std::size_t end = text.find('\n', begin);
      if (end == std::string::npos) end = text.size();
      lines.emplace_back(text.data() + begin, end - begin);
      begin = end + 1;
    }
  });
  split /= static_cast<double>(lines.size());

  ingest::AttendanceJsonDecoder decoder;
  std::vector<domain::Attendance> attendances;
  double decode = MedianMicrosPerRow(runs, lines.size(), [&] {
    attendances.clear();
    for (std::string_view line : lines) {
      auto decoded = decoder.Decode(line);
      if (decoded.ok()) attendances.push_back(std::move(decoded->attendance));
    }
  });

  // Decoding alone, into one reused row as the feed reader does, by each of the decoder's paths.
  auto decode_in_place = [&](ingest::JsonDecodePath path, std::uint64_t& fast_rows) {
    ingest::AttendanceJsonDecoder in_place(ingest::AttendanceLimits(), path);
    ingest::DecodedAttendance row;
    double micros = MedianMicrosPerRow(runs, lines.size(), [&] {
      for (std::string_view line : lines) (void)in_place.DecodeInto(line, row);
    });
    fast_rows = in_place.fast_rows() / static_cast<std::uint64_t>(runs);
    return micros;
  };
  std::uint64_t fast_rows = 0;
  double reference = decode_in_place(ingest::JsonDecodePath::kReference, fast_rows);
  double fast = decode_in_place(ingest::JsonDecodePath::kFast, fast_rows);

  auto engine = recognition::Engine::LoadDefault();
  LIAISON_CHECK(engine.ok());
  std::size_t flagged = 0;
  double assess = MedianMicrosPerRow(runs, attendances.size(), [&] {
    flagged = 0;
    recognition::PastAttendance summary;
    for (const domain::Attendance& attendance : attendances) {
      recognition::Assessment assessment =
          (*engine)->Assess({attendance, {}, std::nullopt}, summary);
      if (assessment.level != recognition::OverallLevel::kNone) ++flagged;
    }
  });
  std::printf(
      "rows %zu (accepted %zu), flagged %zu; CPU us per row, median of %d: split %.3f, decode "
      "%.3f, assess %.3f\n"
      "decode in place: reference %.3f, fast %.3f (%.1f%% of rows on the fast path)\n",
      lines.size(), attendances.size(), flagged, runs, split, decode, assess, reference, fast,
      100.0 * static_cast<double>(fast_rows) / static_cast<double>(lines.size()));
  return 0;
}
