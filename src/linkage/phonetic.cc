#include "linkage/phonetic.h"

namespace liaison::linkage {
namespace {

bool IsVowel(char c) { return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U'; }

bool StartsWith(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string Nysiis(std::string_view folded) {
  std::string name;
  for (char c : folded) {
    if (c >= 'A' && c <= 'Z') name.push_back(c);
  }
  if (name.empty()) return name;

  // Step 1: the first letters.
  if (StartsWith(name, "MAC")) {
    name.replace(0, 3, "MCC");
  } else if (StartsWith(name, "KN")) {
    name.replace(0, 2, "NN");
  } else if (StartsWith(name, "K")) {
    name[0] = 'C';
  } else if (StartsWith(name, "PH") || StartsWith(name, "PF")) {
    name.replace(0, 2, "FF");
  } else if (StartsWith(name, "SCH")) {
    name.replace(0, 3, "SSS");
  }
  // Step 2: the last letters.
  if (EndsWith(name, "EE") || EndsWith(name, "IE")) {
    name.replace(name.size() - 2, 2, "Y");
  } else if (EndsWith(name, "DT") || EndsWith(name, "RT") || EndsWith(name, "RD") ||
             EndsWith(name, "NT") || EndsWith(name, "ND")) {
    name.replace(name.size() - 2, 2, "D");
  }

  // Step 3: the key starts with the first letter; the rest is translated letter by letter,
  // each translation rewriting the working name so later letters see earlier changes.
  std::string key(1, name[0]);
  for (std::size_t i = 1; i < name.size(); ++i) {
    char c = name[i];
    char next = i + 1 < name.size() ? name[i + 1] : '\0';
    if (c == 'E' && next == 'V') {
      name[i] = 'A';
      name[i + 1] = 'F';
    } else if (IsVowel(c)) {
      name[i] = 'A';
    } else if (c == 'Q') {
      name[i] = 'G';
    } else if (c == 'Z') {
      name[i] = 'S';
    } else if (c == 'M') {
      name[i] = 'N';
    } else if (c == 'K') {
      name[i] = next == 'N' ? 'N' : 'C';
    } else if (c == 'S' && next == 'C' && i + 2 < name.size() && name[i + 2] == 'H') {
      name[i + 1] = 'S';
      name[i + 2] = 'S';
    } else if (c == 'P' && next == 'H') {
      name[i] = 'F';
      name[i + 1] = 'F';
    } else if (c == 'H' && (!IsVowel(name[i - 1]) || (next != '\0' && !IsVowel(next)))) {
      name[i] = name[i - 1];
    } else if (c == 'W' && IsVowel(name[i - 1])) {
      name[i] = name[i - 1];
    }
    if (name[i] != key.back()) key.push_back(name[i]);
  }

  // Step 4: the ending.
  if (key.size() > 1 && key.back() == 'S') key.pop_back();
  if (key.size() > 2 && EndsWith(key, "AY")) key.replace(key.size() - 2, 2, "Y");
  if (key.size() > 1 && key.back() == 'A') key.pop_back();
  if (key.size() > 6) key.resize(6);
  return key;
}

}  // namespace liaison::linkage
