#include "recognition/concepts.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

namespace liaison::recognition {
namespace {

constexpr std::size_t kMaxRun = 3;  // synonyms are at most three words long

bool IsLaterality(std::string_view word) {
  static constexpr std::array<std::string_view, 9> kWords = {
      "left", "right", "l", "r", "lt", "rt", "bilateral", "both", "the"};
  return std::find(kWords.begin(), kWords.end(), word) != kWords.end();
}

// Into a buffer the caller reuses: FindAll joins a run of words for every word of a clause.
void JoinInto(std::span<const std::string> words, std::string& joined) {
  joined.clear();
  for (const std::string& word : words) {
    if (!joined.empty()) joined.push_back(' ');
    joined += word;
  }
}

std::string Join(std::span<const std::string> words) {
  std::string joined;
  JoinInto(words, joined);
  return joined;
}

// ASCII only, as the C locale's isalnum and tolower (which the engine never changes), without
// the per-character library call.
bool IsAsciiAlnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

std::vector<std::string_view> Columns(std::string_view line) {
  std::vector<std::string_view> columns;
  while (true) {
    std::size_t tab = line.find('\t');
    columns.push_back(line.substr(0, tab));
    if (tab == std::string_view::npos) break;
    line.remove_prefix(tab + 1);
  }
  return columns;
}

Status FileError(std::string_view file, std::size_t line, std::string message) {
  return InvalidArgument("invalid_concept_file",
                         std::string(file) + " line " + std::to_string(line) + ": " + message);
}

bool IsCategory(std::string_view code) {
  return code.size() == 3 && std::isupper(static_cast<unsigned char>(code[0])) &&
         std::isdigit(static_cast<unsigned char>(code[1])) &&
         std::isdigit(static_cast<unsigned char>(code[2]));
}

// An ICD-10 code as a prefix to match ("S06.5" -> "S065").
Result<std::string> Icd10Prefix(std::string_view file, std::size_t line, std::string_view value) {
  std::string code = NormaliseIcd10(value);
  if (code.size() < 3 || !IsCategory(code.substr(0, 3))) {
    return FileError(file, line, "an ICD-10 code starts with a category, e.g. S06.5");
  }
  return code;
}

Result<ConceptSet> ParseConceptFile(std::string_view name, std::string_view text) {
  ConceptSet set;
  std::size_t number = 0;
  for (std::string_view line : Lines(text)) {
    ++number;
    if (line.empty() || line.front() == '#') continue;
    std::vector<std::string_view> columns = Columns(line);
    if (columns.size() < 2 || columns[1].empty()) {
      return FileError(name, number, "expected KIND<TAB>VALUE[<TAB>NOTE]");
    }
    std::string_view kind = columns[0];
    std::string_view value = columns[1];
    if (kind == "snomed") {
      if (!std::all_of(value.begin(), value.end(),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
        return FileError(name, number, "a SNOMED CT id is digits only");
      }
      set.snomed.emplace_back(value);
    } else if (kind == "icd10") {
      std::size_t dash = value.find('-');
      if (dash != std::string_view::npos) {
        std::string from = NormaliseIcd10(value.substr(0, dash));
        std::string to = NormaliseIcd10(value.substr(dash + 1));
        if (!IsCategory(from) || !IsCategory(to) || to < from) {
          return FileError(name, number, "an ICD-10 range joins two categories, e.g. T20-T32");
        }
        set.icd10_ranges.emplace_back(std::move(from), std::move(to));
      } else {
        ASSIGN_OR_RETURN(std::string code, Icd10Prefix(name, number, value));
        set.icd10_prefixes.push_back(std::move(code));
      }
    } else if (kind == "not_icd10") {
      ASSIGN_OR_RETURN(std::string code, Icd10Prefix(name, number, value));
      set.excluded_icd10_prefixes.push_back(std::move(code));
    } else if (kind == "term" || kind == "not_term") {
      if (NormalisedWords(value).empty()) {
        return FileError(name, number, "a term needs at least one word");
      }
      (kind == "term" ? set.terms : set.excluded_terms).emplace_back(value);
    } else {
      return FileError(name, number, "the kind is snomed, icd10, term, not_icd10 or not_term");
    }
  }
  return set;
}

Result<SynonymTable> ParseSynonymFile(std::string_view name, std::string_view text) {
  SynonymTable table;
  std::size_t number = 0;
  for (std::string_view line : Lines(text)) {
    ++number;
    if (line.empty() || line.front() == '#') continue;
    std::vector<std::string_view> columns = Columns(line);
    if (columns.size() != 2 || columns[0].empty() || NormalisedWords(columns[1]).empty()) {
      return FileError(name, number, "expected CANONICAL<TAB>SYNONYM");
    }
    if (NormalisedWords(columns[1]).size() > kMaxRun) {
      return FileError(name, number, "a synonym has at most three words");
    }
    table.Add(columns[0], columns[1]);
  }
  return table;
}

}  // namespace

std::string_view ConceptSlug(Concept concept_id) {
  return kConceptSlugs[static_cast<std::size_t>(concept_id)];
}

std::vector<std::string> NormalisedWords(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty() && !IsLaterality(word)) words.push_back(word);
    word.clear();
  };
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (IsAsciiAlnum(u)) {
      word.push_back(static_cast<char>(u >= 'A' && u <= 'Z' ? u + ('a' - 'A') : u));
    } else {
      flush();
    }
  }
  flush();
  return words;
}

void SynonymTable::Add(std::string_view canonical, std::string_view synonym) {
  for (std::string_view text : {synonym, canonical}) {
    std::vector<std::string> words = NormalisedWords(text);
    table_[Join(words)] = std::string(canonical);
    if (!words.empty() && words.size() < 32) {
      runs_by_first_word_[words.front()] |= 1u << words.size();
    }
  }
}

namespace {

// NormalisedWords without an allocation per word: the words are views into `buffer`.
struct WordBuffer {
  std::string buffer;
  std::vector<std::string_view> words;
  std::string key;
  std::vector<std::pair<std::size_t, std::size_t>> spans;  // of the words in buffer
};

void NormalisedWordsInto(std::string_view text, WordBuffer& out) {
  out.buffer.clear();
  out.words.clear();
  // Offsets first: `buffer` may move while it grows.
  std::vector<std::pair<std::size_t, std::size_t>>& spans = out.spans;
  spans.clear();
  std::size_t start = 0;
  auto flush = [&] {
    std::size_t length = out.buffer.size() - start;
    if (length > 0 && IsLaterality(std::string_view(out.buffer).substr(start, length))) {
      out.buffer.resize(start);
    } else if (length > 0) {
      spans.emplace_back(start, length);
    }
    start = out.buffer.size();
  };
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (IsAsciiAlnum(u)) {
      out.buffer.push_back(static_cast<char>(u >= 'A' && u <= 'Z' ? u + ('a' - 'A') : u));
    } else {
      flush();
    }
  }
  flush();
  for (const auto& [offset, length] : spans) {
    out.words.push_back(std::string_view(out.buffer).substr(offset, length));
  }
}

void JoinViewsInto(std::span<const std::string_view> words, std::string& joined) {
  joined.clear();
  for (std::string_view word : words) {
    if (!joined.empty()) joined.push_back(' ');
    joined += word;
  }
}

WordBuffer& Words() {
  thread_local WordBuffer words;
  return words;
}

}  // namespace

std::optional<std::string> SynonymTable::Lookup(std::string_view text) const {
  WordBuffer& buffer = Words();
  NormalisedWordsInto(text, buffer);
  std::span<const std::string_view> words = buffer.words;
  if (words.empty()) return std::nullopt;
  JoinViewsInto(words, buffer.key);
  if (auto whole = table_.find(buffer.key); whole != table_.end()) return whole->second;
  for (std::size_t run = std::min(kMaxRun, words.size()); run >= 1; --run) {
    for (std::size_t start = 0; start + run <= words.size(); ++start) {
      JoinViewsInto(words.subspan(start, run), buffer.key);
      auto found = table_.find(buffer.key);
      if (found != table_.end()) return found->second;
    }
  }
  return std::nullopt;
}

std::vector<std::string> SynonymTable::FindAll(std::string_view text) const {
  WordBuffer& buffer = Words();
  NormalisedWordsInto(text, buffer);
  std::span<const std::string_view> words = buffer.words;
  std::vector<std::string> found;
  std::size_t start = 0;
  while (start < words.size()) {
    std::size_t matched = 0;
    buffer.key.assign(words[start]);
    auto first = runs_by_first_word_.find(buffer.key);
    unsigned runs = first == runs_by_first_word_.end() ? 0 : first->second;
    for (std::size_t run = std::min(kMaxRun, words.size() - start); run >= 1 && runs != 0; --run) {
      if ((runs >> run & 1) == 0) continue;
      JoinViewsInto(words.subspan(start, run), buffer.key);
      auto hit = table_.find(buffer.key);
      if (hit != table_.end()) {
        if (std::find(found.begin(), found.end(), hit->second) == found.end()) {
          found.push_back(hit->second);
        }
        matched = run;
        break;
      }
    }
    start += matched == 0 ? 1 : matched;
  }
  return found;
}

std::string NormaliseIcd10(std::string_view code) {
  std::string normal;
  for (char c : code) {
    if (c == '.' || c == ' ') continue;
    normal.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return normal;
}

Result<ConceptFiles> ReadConceptDirectory(const std::filesystem::path& directory) {
  std::error_code error;
  if (!std::filesystem::is_directory(directory, error)) {
    return InvalidArgument("rules_data_not_found", "the rules data directory does not exist",
                           "--rules-data");
  }
  ConceptFiles files;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    if (!entry.is_regular_file()) continue;
    std::string name = entry.path().filename().string();
    if (name != "VERSION" && entry.path().extension() != ".tsv") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in && !in.eof()) {
      return Unavailable("cannot_read", "cannot read rules data file " + name);
    }
    files.emplace(std::move(name), text.str());
  }
  if (error) return Unavailable("cannot_read", "cannot list the rules data directory");
  return files;
}

Result<Concepts> Concepts::Parse(const ConceptFiles& files) {
  Concepts concepts;
  auto version = files.find("VERSION");
  if (version == files.end()) {
    return InvalidArgument("invalid_concept_file", "the rules data has no VERSION file");
  }
  std::vector<std::string_view> version_lines = Lines(version->second);
  concepts.version_ = version_lines.empty() ? "" : std::string(version_lines.front());
  if (concepts.version_.empty()) {
    return InvalidArgument("invalid_concept_file", "VERSION is empty");
  }
  std::set<std::string, std::less<>> expected = {"VERSION", "sites.tsv", "patterns.tsv"};
  for (std::size_t i = 0; i < kConceptCount; ++i) {
    std::string name = std::string(kConceptSlugs[i]) + ".tsv";
    expected.insert(name);
    auto file = files.find(name);
    if (file == files.end()) {
      return InvalidArgument("invalid_concept_file", "the rules data has no " + name);
    }
    ASSIGN_OR_RETURN(concepts.sets_[i], ParseConceptFile(name, file->second));
    for (const std::string& code : concepts.sets_[i].snomed) {
      concepts.snomed_index_[code].push_back(static_cast<Concept>(i));
    }
  }
  for (const auto& [name, text] : files) {
    if (!expected.contains(name)) {
      return InvalidArgument("invalid_concept_file", "unknown rules data file " + name);
    }
  }
  for (auto [name, table] :
       {std::pair{"sites.tsv", &concepts.sites_}, std::pair{"patterns.tsv", &concepts.patterns_}}) {
    auto file = files.find(name);
    if (file == files.end()) {
      return InvalidArgument("invalid_concept_file", std::string("the rules data has no ") + name);
    }
    ASSIGN_OR_RETURN(*table, ParseSynonymFile(name, file->second));
  }
  concepts.icd10_candidates_.resize(26 * 100);
  for (std::size_t index = 0; index < concepts.icd10_candidates_.size(); ++index) {
    std::string category = {static_cast<char>('A' + index / 100),
                            static_cast<char>('0' + index / 10 % 10),
                            static_cast<char>('0' + index % 10)};
    for (std::size_t i = 0; i < kConceptCount; ++i) {
      const ConceptSet& set = concepts.sets_[i];
      // A code of this category starts with a prefix only if the prefix starts the category
      // or the category starts the prefix.
      bool candidate =
          std::any_of(set.icd10_prefixes.begin(), set.icd10_prefixes.end(),
                      [&](const std::string& prefix) {
                        return category.starts_with(prefix) || prefix.starts_with(category);
                      }) ||
          std::any_of(set.icd10_ranges.begin(), set.icd10_ranges.end(), [&](const auto& range) {
            return range.first <= category && category <= range.second;
          });
      if (candidate) concepts.icd10_candidates_[index].push_back(static_cast<Concept>(i));
    }
  }
  return concepts;
}

namespace {

// The index of an ICD-10 category in icd10_candidates_, or none for another form.
std::optional<std::size_t> Icd10CategoryIndex(std::string_view category) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (category.size() != 3 || category[0] < 'A' || category[0] > 'Z' || !digit(category[1]) ||
      !digit(category[2])) {
    return std::nullopt;
  }
  return static_cast<std::size_t>(category[0] - 'A') * 100 +
         static_cast<std::size_t>(category[1] - '0') * 10 +
         static_cast<std::size_t>(category[2] - '0');
}

}  // namespace

std::vector<Concept> Concepts::ConceptsForSnomed(std::string_view code) const {
  auto found = snomed_index_.find(std::string(code));
  return found == snomed_index_.end() ? std::vector<Concept>{} : found->second;
}

std::vector<Concept> Concepts::ConceptsForCode(domain::DiagnosisSystem system,
                                               std::string_view code) const {
  if (system == domain::DiagnosisSystem::kSnomedCt) return ConceptsForSnomed(code);
  std::string normal = NormaliseIcd10(code);
  std::vector<Concept> found;
  if (normal.size() < 3) return found;
  std::string category = normal.substr(0, 3);
  auto starts_with_one = [&normal](const std::vector<std::string>& prefixes) {
    return std::any_of(prefixes.begin(), prefixes.end(),
                       [&](const std::string& prefix) { return normal.starts_with(prefix); });
  };
  auto check = [&](std::size_t i) {
    const ConceptSet& set = sets_[i];
    bool hit =
        starts_with_one(set.icd10_prefixes) ||
        std::any_of(set.icd10_ranges.begin(), set.icd10_ranges.end(), [&](const auto& range) {
          return range.first <= category && category <= range.second;
        });
    if (hit && !starts_with_one(set.excluded_icd10_prefixes)) {
      found.push_back(static_cast<Concept>(i));
    }
  };
  std::optional<std::size_t> index = Icd10CategoryIndex(category);
  if (index && *index < icd10_candidates_.size()) {
    for (Concept candidate : icd10_candidates_[*index]) check(static_cast<std::size_t>(candidate));
  } else {
    for (std::size_t i = 0; i < kConceptCount; ++i) check(i);
  }
  return found;
}

}  // namespace liaison::recognition
