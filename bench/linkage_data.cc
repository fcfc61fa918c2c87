// Writes linkage evaluation data from the synthetic population (synth/linkage_data.h):
//   linkage_data --seed S --attendances N --register R.csv --register-truth RT.csv
//                --queries Q.csv --query-count M [--on-register-share F]
// The register is the one `liaison generate --seed S --attendances N --register` writes.
#include "synth/linkage_data.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "synth/generator.h"

int main(int argc, char** argv) {
  liaison::synth::LinkageDataOptions options;
  std::string register_path, truth_path, queries_path;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    std::string value = argv[i + 1];
    if (flag == "--seed") {
      options.population.seed = std::stoull(value);
    } else if (flag == "--attendances") {
      options.population.attendances = std::stoll(value);
    } else if (flag == "--register") {
      register_path = value;
    } else if (flag == "--register-truth") {
      truth_path = value;
    } else if (flag == "--queries") {
      queries_path = value;
    } else if (flag == "--query-count") {
      options.queries = std::stoll(value);
    } else if (flag == "--on-register-share") {
      options.on_register_share = std::stod(value);
    } else {
      std::cerr << "linkage_data: unknown option " << flag << "\n";
      return 2;
    }
  }
  if (!register_path.empty()) {
    std::ofstream out(register_path, std::ios::binary);
    std::ofstream truth(truth_path.empty() ? "/dev/null" : truth_path, std::ios::binary);
    liaison::Status status = liaison::synth::WriteRegister(options.population, out, &truth);
    if (!status.ok()) {
      std::cerr << "linkage_data: " << status.ToString() << "\n";
      return 1;
    }
  }
  if (!queries_path.empty()) {
    std::ofstream out(queries_path, std::ios::binary);
    liaison::Status status = liaison::synth::WriteLinkQueries(options, out);
    if (!status.ok()) {
      std::cerr << "linkage_data: " << status.ToString() << "\n";
      return 1;
    }
  }
  return 0;
}
