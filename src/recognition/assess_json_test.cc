#include "recognition/assess_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace liaison::recognition {
namespace {

constexpr std::string_view kOne =
    R"({"attendance_id":"A1","site":"RSY01","arrival":"2026-06-01T10:00:00Z","patient":{"birth_date":"2026-03-01"}})";

TEST(AssessJsonTest, DecodesABareAttendance) {
  Result<AssessRequest> request = DecodeAssessRequest(kOne);
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  EXPECT_EQ(request->attendance.attendance_id, "A1");
  EXPECT_TRUE(request->history.empty());
}

TEST(AssessJsonTest, DecodesTheWrapperWithHistory) {
  std::string body = R"({"attendance":)" + std::string(kOne) + R"(,"history":[)" +
                     std::string(kOne) + "," + std::string(kOne) + "]}";
  Result<AssessRequest> request = DecodeAssessRequest(body);
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  EXPECT_EQ(request->history.size(), 2u);
}

TEST(AssessJsonTest, NamesTheFieldOfABadRequest) {
  EXPECT_EQ(DecodeAssessRequest("[1]").status().reason(), "invalid_json");
  EXPECT_EQ(DecodeAssessRequest("{").status().reason(), "invalid_json");
  Result<AssessRequest> unknown =
      DecodeAssessRequest(R"({"attendance":)" + std::string(kOne) + R"(,"histroy":[]})");
  EXPECT_EQ(unknown.status().reason(), "unknown_field");
  EXPECT_EQ(unknown.status().field(), "/histroy");
  Result<AssessRequest> not_array =
      DecodeAssessRequest(R"({"attendance":)" + std::string(kOne) + R"(,"history":{}})");
  EXPECT_EQ(not_array.status().field(), "/history");
  Result<AssessRequest> bad_item = DecodeAssessRequest(R"({"attendance":)" + std::string(kOne) +
                                                       R"(,"history":[{"site":"X"}]})");
  ASSERT_FALSE(bad_item.ok());
  EXPECT_THAT(bad_item.status().field(), ::testing::StartsWith("/history/0/"));
  Result<AssessRequest> bad_enum = DecodeAssessRequest(
      R"({"attendance":{"attendance_id":"A1","site":"S","arrival":"2026-06-01T10:00:00Z","patient":{},"mobility":"crawling"}})");
  EXPECT_EQ(bad_enum.status().field(), "/attendance/mobility");
  EXPECT_EQ(DecodeAssessRequest(R"({"attendance":3})").status().field(), "/attendance");
}

TEST(AssessJsonTest, EncodesTheContractShape) {
  Assessment none;
  EXPECT_EQ(
      EncodeAssessment(none),
      R"({"level":"none","note":"No alerting features were found in the recorded information. This is not an all-clear.","findings":[]})");
  Assessment one;
  one.level = OverallLevel::kConsider;
  one.findings.push_back({"CG89-FX",
                          FindingLevel::kConsider,
                          "fracture",
                          "why",
                          "NICE CG89",
                          {"diagnoses[0].code=S52.5"}});
  EXPECT_THAT(
      EncodeAssessment(one),
      ::testing::HasSubstr(
          R"("findings":[{"rule":"CG89-FX","level":"consider","category":"fracture","reason":"why","source":"NICE CG89","evidence":["diagnoses[0].code=S52.5"]}])"));
}

TEST(AssessJsonTest, CatalogueCarriesVersionsAndVerification) {
  std::string json = EncodeCatalogue("liaison-concepts-v2");
  EXPECT_THAT(
      json,
      ::testing::StartsWith(
          R"({"version":"liaison-rules-2","concepts_version":"liaison-concepts-v2","rules":[)"));
  EXPECT_THAT(json, ::testing::HasSubstr(R"("id":"CG89-BR-NIM")"));
  EXPECT_THAT(json, ::testing::HasSubstr(R"("verification":"K","verified":false)"));
}

}  // namespace
}  // namespace liaison::recognition
