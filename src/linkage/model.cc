#include "linkage/model.h"

#include <cmath>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>

#include "linkage/embedded_data.h"

namespace liaison::linkage {
namespace {

namespace json = boost::json;

std::string Join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

Status Invalid(const std::string& path, const std::string& problem) {
  return InvalidArgument("invalid_model", "model file: " + path + ": " + problem);
}

Result<double> NumberAt(const json::object& object, std::string_view key, const std::string& path) {
  const json::value* value = object.if_contains(key);
  if (!value) return Invalid(Join(path, key), "missing");
  if (value->is_double()) return value->get_double();
  if (value->is_int64()) return static_cast<double>(value->get_int64());
  if (value->is_uint64()) return static_cast<double>(value->get_uint64());
  return Invalid(Join(path, key), "must be a number");
}

Result<std::string> StringAt(const json::object& object, std::string_view key,
                             const std::string& path) {
  const json::value* value = object.if_contains(key);
  if (!value || !value->is_string()) {
    return Invalid(Join(path, key), "must be a string");
  }
  return std::string(value->get_string());
}

Result<const json::object*> ObjectAt(const json::object& object, std::string_view key,
                                     const std::string& path) {
  const json::value* value = object.if_contains(key);
  if (!value || !value->is_object()) {
    return Invalid(Join(path, key), "must be an object");
  }
  return &value->get_object();
}

bool OpenUnit(double x) { return std::isfinite(x) && x > 0.0 && x < 1.0; }

}  // namespace

Status Model::Finish() {
  for (int f = 0; f < kFieldCount; ++f) {
    auto field = static_cast<Field>(f);
    weights_[f][0] = 0.0;
    for (int l = 1; l < LevelCount(field); ++l) {
      const LevelParameters& p = levels_[f][l];
      std::string path = "comparisons." + std::string(FieldName(field)) + ".levels." +
                         std::string(LevelNames(field)[l]);
      if (!OpenUnit(p.m)) return Invalid(path + ".m", "must be in (0, 1)");
      if (!OpenUnit(p.u)) return Invalid(path + ".u", "must be in (0, 1)");
      weights_[f][l] = std::log2(p.m / p.u);
    }
  }
  if (!OpenUnit(on_register_rate_)) return Invalid("prior.on_register_rate", "must be in (0, 1)");
  if (!OpenUnit(tf_minimum_)) return Invalid("term_frequency.minimum", "must be in (0, 1)");
  if (!(tf_prior_records_ >= 0.0) || !std::isfinite(tf_prior_records_)) {
    return Invalid("term_frequency.prior_records", "must be a number of at least 0");
  }
  if (!OpenUnit(bands_.match_probability) || !OpenUnit(bands_.potential_probability) ||
      bands_.potential_probability > bands_.match_probability) {
    return Invalid("bands", "probabilities must be in (0, 1), potential at most match");
  }
  if (!(bands_.margin_bits >= 0.0) || !std::isfinite(bands_.margin_bits)) {
    return Invalid("bands.margin_bits", "must be a number of at least 0");
  }
  return Status::Ok();
}

Result<Model> Model::Parse(std::string_view text) {
  boost::system::error_code error;
  json::value root = json::parse(json::string_view(text.data(), text.size()), error);
  if (error) return InvalidArgument("invalid_model", "model file: not valid JSON");
  if (!root.is_object()) return Invalid("(root)", "must be an object");
  const json::object& object = root.get_object();
  Model model;
  ASSIGN_OR_RETURN(std::string format, StringAt(object, "format", ""));
  if (format != kFormat) return Invalid("format", "must be \"" + std::string(kFormat) + "\"");
  ASSIGN_OR_RETURN(model.version_, StringAt(object, "version", ""));
  if (const json::value* description = object.if_contains("description");
      description && description->is_string()) {
    model.description_ = std::string(description->get_string());
  }
  ASSIGN_OR_RETURN(const json::object* prior, ObjectAt(object, "prior", ""));
  ASSIGN_OR_RETURN(model.on_register_rate_, NumberAt(*prior, "on_register_rate", "prior"));
  ASSIGN_OR_RETURN(const json::object* tf, ObjectAt(object, "term_frequency", ""));
  ASSIGN_OR_RETURN(model.tf_minimum_, NumberAt(*tf, "minimum", "term_frequency"));
  ASSIGN_OR_RETURN(model.tf_prior_records_, NumberAt(*tf, "prior_records", "term_frequency"));
  ASSIGN_OR_RETURN(const json::object* bands, ObjectAt(object, "bands", ""));
  ASSIGN_OR_RETURN(model.bands_.match_probability, NumberAt(*bands, "match_probability", "bands"));
  ASSIGN_OR_RETURN(model.bands_.margin_bits, NumberAt(*bands, "margin_bits", "bands"));
  ASSIGN_OR_RETURN(model.bands_.potential_probability,
                   NumberAt(*bands, "potential_probability", "bands"));
  ASSIGN_OR_RETURN(const json::object* comparisons, ObjectAt(object, "comparisons", ""));
  for (int f = 0; f < kFieldCount; ++f) {
    auto field = static_cast<Field>(f);
    std::string name(FieldName(field));
    ASSIGN_OR_RETURN(const json::object* comparison, ObjectAt(*comparisons, name, "comparisons"));
    std::string path = "comparisons." + name;
    if (const json::value* flag = comparison->if_contains("term_frequency")) {
      if (!flag->is_bool()) return Invalid(path + ".term_frequency", "must be true or false");
      model.tf_[f] = flag->get_bool();
    }
    ASSIGN_OR_RETURN(const json::object* levels, ObjectAt(*comparison, "levels", path));
    for (const auto& entry : *levels) {
      bool known = false;
      for (int l = 1; l < LevelCount(field); ++l) known |= LevelNames(field)[l] == entry.key();
      if (!known) return Invalid(path + ".levels." + std::string(entry.key()), "unknown level");
    }
    for (int l = 1; l < LevelCount(field); ++l) {
      std::string level_name(LevelNames(field)[l]);
      ASSIGN_OR_RETURN(const json::object* level, ObjectAt(*levels, level_name, path + ".levels"));
      std::string level_path = path + ".levels." + level_name;
      ASSIGN_OR_RETURN(model.levels_[f][l].m, NumberAt(*level, "m", level_path));
      ASSIGN_OR_RETURN(model.levels_[f][l].u, NumberAt(*level, "u", level_path));
      if (level->contains("m_em")) {
        ASSIGN_OR_RETURN(model.levels_[f][l].m_em, NumberAt(*level, "m_em", level_path));
      }
      if (level->contains("m_supervised")) {
        ASSIGN_OR_RETURN(model.levels_[f][l].m_supervised,
                         NumberAt(*level, "m_supervised", level_path));
      }
    }
  }
  if (const json::value* training = object.if_contains("training")) {
    model.training_notes_ = json::serialize(*training);
  }
  RETURN_IF_ERROR(model.Finish());
  return model;
}

Result<Model> Model::Load(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return NotFound("model_not_found", "cannot open the model file");
  std::ostringstream text;
  text << file.rdbuf();
  return Parse(text.str());
}

std::shared_ptr<const Model> Model::Default() {
  static const std::shared_ptr<const Model> model = [] {
    Result<Model> parsed = Parse(DefaultModelText());
    LIAISON_CHECK(parsed.ok());  // the shipped file is checked by a test
    return std::make_shared<const Model>(std::move(*parsed));
  }();
  return model;
}

std::string Model::ToJson() const {
  // Written by hand so that the order of keys (and so the diff between versions) is stable.
  std::ostringstream out;
  out.precision(6);
  auto quoted = [](std::string_view text) { return json::serialize(json::value(text)); };
  out << "{\n  \"format\": " << quoted(kFormat) << ",\n  \"version\": " << quoted(version_)
      << ",\n  \"description\": " << quoted(description_)
      << ",\n  \"prior\": {\"on_register_rate\": " << on_register_rate_
      << "},\n  \"term_frequency\": {\"minimum\": " << tf_minimum_
      << ", \"prior_records\": " << tf_prior_records_
      << "},\n  \"bands\": {\"match_probability\": " << bands_.match_probability
      << ", \"margin_bits\": " << bands_.margin_bits
      << ", \"potential_probability\": " << bands_.potential_probability
      << "},\n  \"comparisons\": {";
  for (int f = 0; f < kFieldCount; ++f) {
    auto field = static_cast<Field>(f);
    out << (f ? "," : "") << "\n    " << quoted(FieldName(field))
        << ": {\"term_frequency\": " << (tf_[f] ? "true" : "false") << ", \"levels\": {";
    for (int l = 1; l < LevelCount(field); ++l) {
      const LevelParameters& p = levels_[f][l];
      out << (l > 1 ? "," : "") << "\n      " << quoted(LevelNames(field)[l]) << ": {\"m\": " << p.m
          << ", \"u\": " << p.u;
      if (p.m_em >= 0) out << ", \"m_em\": " << p.m_em;
      if (p.m_supervised >= 0) out << ", \"m_supervised\": " << p.m_supervised;
      out << "}";
    }
    out << "}}";
  }
  out << "\n  }";
  if (!training_notes_.empty()) out << ",\n  \"training\": " << training_notes_;
  out << "\n}\n";
  return out.str();
}

}  // namespace liaison::linkage
