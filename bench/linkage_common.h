// Shared by the linkage bench tools: reading link CSVs and truth columns.
#pragma once

#include <fstream>
#include <iostream>
#include <string>
#include <unordered_map>
#include <vector>

#include "ingest/csv_reader.h"
#include "ingest/link_csv.h"
#include "linkage/record.h"

namespace liaison::bench {

inline std::vector<linkage::PersonRecord> ReadLinkFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "cannot open " << path << "\n";
    std::exit(1);
  }
  ingest::LinkCsvReader reader(in);
  if (!reader.ReadHeader().ok()) {
    std::cerr << "bad header in " << path << "\n";
    std::exit(1);
  }
  std::vector<linkage::PersonRecord> records;
  ingest::LinkRow row;
  std::vector<ingest::RowIssue> issues;
  for (;;) {
    Result<ingest::LinkCsvReader::Outcome> outcome = reader.Next(row, issues);
    if (!outcome.ok() || *outcome == ingest::LinkCsvReader::Outcome::kEnd) break;
    if (*outcome != ingest::LinkCsvReader::Outcome::kRow) continue;
    linkage::PersonRecord record;
    record.id = row.id;
    record.nhs_number = row.nhs_number;
    record.given_name = row.given_name;
    record.family_name = row.family_name;
    record.birth_date = row.birth_date;
    record.sex = row.sex;
    record.postcode = row.postcode;
    records.push_back(std::move(record));
  }
  return records;
}

// The named columns of a CSV file, by the value of its `id` column.
inline std::unordered_map<std::string, std::vector<std::string>> ReadColumns(
    const std::string& path, const std::vector<std::string>& names) {
  std::ifstream in(path, std::ios::binary);
  ingest::CsvReader reader(in, 1 << 16);
  std::unordered_map<std::string, std::vector<std::string>> rows;
  if (reader.Next() != ingest::CsvReader::Outcome::kRecord) return rows;
  std::vector<int> position(names.size(), -1);
  int id = -1;
  for (std::size_t i = 0; i < reader.fields().size(); ++i) {
    if (reader.fields()[i] == "id") id = static_cast<int>(i);
    for (std::size_t n = 0; n < names.size(); ++n) {
      if (reader.fields()[i] == names[n]) position[n] = static_cast<int>(i);
    }
  }
  while (reader.Next() == ingest::CsvReader::Outcome::kRecord) {
    const auto& fields = reader.fields();
    std::vector<std::string> values;
    for (int p : position)
      values.emplace_back(p >= 0 && p < static_cast<int>(fields.size()) ? fields[p] : "");
    rows.emplace(std::string(fields[id]), std::move(values));
  }
  return rows;
}

}  // namespace liaison::bench
