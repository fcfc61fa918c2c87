#include "app/demo_data.h"

#include <array>
#include <random>
#include <sstream>

#include "app/attendance_intake.h"
#include "app/register_linker.h"
#include "app/register_service.h"
#include "ingest/register_csv.h"
#include "synth/generator.h"

namespace liaison::app {
namespace {

using domain::OrgKind;
using domain::TeamKind;

constexpr int kDemoPeople = 120;

struct DemoOrg {
  const char* code;
  const char* name;
  OrgKind kind;
};
constexpr std::array<DemoOrg, 3> kOrgs = {{
    {"RDEMO", "Demo Hospitals NHS Foundation Trust", OrgKind::kTrust},
    {"LA-NORTH", "Northshire County Council", OrgKind::kLocalAuthority},
    {"LA-CITY", "Demo City Council", OrgKind::kLocalAuthority},
}};

struct DemoSite {
  const char* org;
  const char* code;
  const char* name;
};
constexpr std::array<DemoSite, 3> kSites = {{
    {"RDEMO", "RDEMO-GEN", "Demo General Hospital emergency department"},
    {"RDEMO", "RDEMO-CHD", "Demo Children's Emergency Department"},
    {"RDEMO", "RDEMO-UTC", "Riverside Urgent Treatment Centre"},
}};

struct DemoTeam {
  const char* org;
  const char* code;
  const char* name;
  TeamKind kind;
};
constexpr std::array<DemoTeam, 7> kTeams = {{
    {"RDEMO", "ED", "Emergency department", TeamKind::kEmergencyDepartment},
    {"RDEMO", "SAFEGUARDING", "Hospital safeguarding team", TeamKind::kHospitalSafeguarding},
    {"RDEMO", "PAEDS", "Paediatrics", TeamKind::kPaediatrics},
    {"RDEMO", "MATERNITY", "Maternity", TeamKind::kMaternity},
    {"LA-NORTH", "HOSPITAL-SW", "Hospital social work team", TeamKind::kHospitalSocialWork},
    {"LA-NORTH", "MASH", "Northshire MASH", TeamKind::kFrontDoor},
    {"LA-CITY", "FRONT-DOOR", "City children's front door", TeamKind::kFrontDoor},
}};

constexpr std::array<const char*, 16> kGivenNames = {
    "Amelia", "Oliver", "Isla",  "Noah", "Ava",  "Muhammad", "Freya",  "Leo",
    "Ivy",    "Arthur", "Aisha", "Jack", "Maya", "Theo",     "Zainab", "Harry"};
constexpr std::array<const char*, 12> kFamilyNames = {"Smith",    "Jones",  "Taylor", "Brown",
                                                      "Williams", "Wilson", "Khan",   "Evans",
                                                      "Patel",    "Davies", "Nowak",  "O'Connor"};
constexpr std::array<const char*, 6> kPostcodes = {"NS1 2AB", "NS2 7QT", "NS4 1LP",
                                                   "DC1 9XY", "DC3 4HG", "DC7 2RN"};

Status UpsertOrganisation(AuditedWork& work, const DemoOrg& demo) {
  domain::Organisation org{{}, demo.code, demo.name, demo.kind};
  Result<domain::Organisation> existing = work.store().GetOrganisationByCode(demo.code);
  std::string action = "organisation.create";
  if (existing.ok()) {
    org.id = existing->id;
    RETURN_IF_ERROR(work.store().UpdateOrganisation(org));
    action = "organisation.update";
  } else if (existing.status().code() == StatusCode::kNotFound) {
    ASSIGN_OR_RETURN(org.id, work.store().InsertOrganisation(org));
  } else {
    return existing.status();
  }
  return work.Append(
      {"system:demo", action, "organisation", std::to_string(org.id.value()), "demo data"});
}

Status EnsureSite(AuditedWork& work, const DemoSite& demo) {
  if (work.store().GetSiteByCode(demo.code).ok()) return Status::Ok();
  ASSIGN_OR_RETURN(domain::Organisation org, work.store().GetOrganisationByCode(demo.org));
  ASSIGN_OR_RETURN(domain::SiteId id, work.store().InsertSite({{}, org.id, demo.code, demo.name}));
  return work.Append(
      {"system:demo", "site.create", "site", std::to_string(id.value()), "demo data"});
}

Status EnsureTeam(AuditedWork& work, const DemoTeam& demo) {
  ASSIGN_OR_RETURN(domain::Organisation org, work.store().GetOrganisationByCode(demo.org));
  ASSIGN_OR_RETURN(std::vector<domain::Team> teams, work.store().ListTeams(org.id));
  for (const domain::Team& team : teams) {
    if (team.code == demo.code) return Status::Ok();
  }
  ASSIGN_OR_RETURN(domain::TeamId id,
                   work.store().InsertTeam({{}, org.id, demo.code, demo.name, demo.kind}));
  return work.Append(
      {"system:demo", "team.create", "team", std::to_string(id.value()), "demo data"});
}

domain::Person DemoPerson(int index, std::mt19937_64& random, std::chrono::year_month_day today) {
  auto pick = [&](auto& list) { return list[random() % list.size()]; };
  domain::Person person;
  person.nhs_number = *domain::NhsNumber::Parse(SyntheticNhsNumber(index));
  person.given_name = pick(kGivenNames);
  person.family_name = pick(kFamilyNames);
  // Mostly children, some adults (parents and carers attend too).
  int age_days = index % 5 == 0 ? 18 * 365 + static_cast<int>(random() % (30 * 365))
                                : static_cast<int>(random() % (18 * 365));
  person.birth_date =
      std::chrono::year_month_day(std::chrono::sys_days(today) - std::chrono::days(age_days + 1));
  person.sex = random() % 2 == 0 ? domain::Sex::kFemale : domain::Sex::kMale;
  person.postcode = pick(kPostcodes);
  return person;
}

// Which organisation and team each role's demo account belongs to.
struct DemoPlacement {
  domain::Role role;
  const char* org;
  const char* team;
};
constexpr std::array<DemoPlacement, 14> kPlacements = {{
    {domain::Role::kEdClinician, "RDEMO", "ED"},
    {domain::Role::kLiaisonNurse, "RDEMO", "SAFEGUARDING"},
    {domain::Role::kSafeguardingNurse, "RDEMO", "SAFEGUARDING"},
    {domain::Role::kNamedProfessional, "RDEMO", "SAFEGUARDING"},
    {domain::Role::kMidwife, "RDEMO", "MATERNITY"},
    {domain::Role::kConsultantPaediatrician, "RDEMO", "PAEDS"},
    {domain::Role::kHealthVisitor, "RDEMO", ""},
    {domain::Role::kSafeguardingAdmin, "RDEMO", "SAFEGUARDING"},
    {domain::Role::kHospitalSocialWorker, "LA-NORTH", "HOSPITAL-SW"},
    {domain::Role::kLaFrontDoor, "LA-NORTH", "MASH"},
    {domain::Role::kLaManager, "LA-NORTH", ""},
    {domain::Role::kAuditor, "RDEMO", ""},
    {domain::Role::kAdmin, "RDEMO", ""},
    {domain::Role::kSystemFeed, "RDEMO", ""},
}};

Status UpsertUser(AuditedWork& work, const DemoUser& demo, const std::string& hash) {
  ASSIGN_OR_RETURN(domain::Organisation org, work.store().GetOrganisationByCode(demo.org_code));
  domain::User user{{}, demo.username, demo.role, org.id, std::nullopt};
  if (!demo.team_code.empty()) {
    ASSIGN_OR_RETURN(std::vector<domain::Team> teams, work.store().ListTeams(org.id));
    for (const domain::Team& team : teams) {
      if (team.code == demo.team_code) user.team = team.id;
    }
  }
  ASSIGN_OR_RETURN(std::optional<storage::UserCredentials> existing,
                   work.store().FindUserByUsername(demo.username));
  std::string action = "user.create";
  if (existing) {
    user.id = existing->user.id;
    RETURN_IF_ERROR(work.store().UpdateUser(user, hash));
    action = "user.update";
  } else {
    ASSIGN_OR_RETURN(user.id, work.store().InsertUser(user, hash));
  }
  return work.Append({"system:demo", action, "user", std::to_string(user.id.value()), "demo data"});
}

Status UpsertPerson(AuditedWork& work, domain::Person person, domain::OrgId owner) {
  ASSIGN_OR_RETURN(std::optional<domain::Person> existing,
                   work.store().FindPersonByNhsNumber(*person.nhs_number));
  std::string action = "person.create";
  if (existing) {
    person.id = existing->id;
    RETURN_IF_ERROR(work.store().UpdatePerson(person));
    action = "person.update";
  } else {
    ASSIGN_OR_RETURN(person.id, work.store().InsertPerson(person, owner));
  }
  return work.Append(
      {"system:demo", action, "person", std::to_string(person.id.value()), "demo data"});
}

}  // namespace

std::string SyntheticNhsNumber(int index) {
  int found = -1;
  for (int serial = 0;; ++serial) {
    std::string digits = "999" + std::to_string(1000000 + serial).substr(1);
    int sum = 0;
    for (int i = 0; i < 9; ++i) sum += (digits[static_cast<size_t>(i)] - '0') * (10 - i);
    int check = (11 - sum % 11) % 11;
    if (check == 10) continue;
    if (++found == index) return digits + std::to_string(check);
  }
}

std::vector<DemoUser> DemoUsers() {
  std::vector<DemoUser> users;
  for (const DemoPlacement& placement : kPlacements) {
    std::string slug(domain::RoleSlug(placement.role));
    users.push_back(
        {"demo." + slug, placement.role, placement.org, placement.team, slug + "-demo-2026"});
  }
  return users;
}

Result<DemoSummary> LoadDemoData(storage::Store& store, const AuditLog& audit) {
  return LoadDemoData(store, audit, DemoOptions());
}

Result<DemoSummary> LoadDemoData(storage::Store& store, const AuditLog& audit,
                                 const DemoOptions& options) {
  // Hash first: argon2id takes ~100 ms each at interactive cost, and the database stays
  // unlocked meanwhile.
  std::vector<DemoUser> users = DemoUsers();
  std::vector<std::string> hashes;
  for (const DemoUser& user : users) {
    ASSIGN_OR_RETURN(std::string hash, HashPassword(user.password, options.password_cost));
    hashes.push_back(std::move(hash));
  }
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store, audit));
  DemoSummary summary;
  for (const DemoOrg& org : kOrgs) {
    RETURN_IF_ERROR(UpsertOrganisation(work, org));
    ++summary.organisations;
  }
  for (const DemoSite& site : kSites) {
    RETURN_IF_ERROR(EnsureSite(work, site));
    ++summary.sites;
  }
  for (const DemoTeam& team : kTeams) {
    RETURN_IF_ERROR(EnsureTeam(work, team));
    ++summary.teams;
  }
  // The population is anchored to a fixed date so ages are the same on every run.
  std::chrono::year_month_day reference{std::chrono::year(2026), std::chrono::November,
                                        std::chrono::day(20)};
  std::mt19937_64 random(20261120);
  // The demo population was recorded by the trust.
  ASSIGN_OR_RETURN(domain::Organisation trust, work.store().GetOrganisationByCode("RDEMO"));
  for (int i = 0; i < kDemoPeople; ++i) {
    RETURN_IF_ERROR(UpsertPerson(work, DemoPerson(i, random, reference), trust.id));
    ++summary.people;
  }
  for (size_t i = 0; i < users.size(); ++i) {
    RETURN_IF_ERROR(UpsertUser(work, users[i], hashes[i]));
    ++summary.users;
  }
  RETURN_IF_ERROR(work.Commit());
  return summary;
}

namespace {

// Feeds generated attendances into intake batches of kImportBatchSize. Not thread-safe.
class DemoAttendanceSink final : public synth::AttendanceSink {
 public:
  DemoAttendanceSink(AttendanceIntake& intake, DemoAttendanceSummary& summary)
      : intake_(intake), summary_(summary) {}

  Status OnAttendance(const domain::Attendance& generated, const synth::TruthRow&) override {
    if (!batch_) {
      ASSIGN_OR_RETURN(batch_, intake_.Begin({"system:demo", "demo data"}, "RDEMO"));
    }
    domain::Attendance attendance = generated;
    attendance.site = DemoSiteFor(attendance.site);
    ASSIGN_OR_RETURN(IntakeResult result, batch_->Add(attendance));
    ++summary_.generated;
    summary_.register_alerts += result.register_alerts;
    summary_.register_referred += result.register_referred;
    switch (result.status) {
      case IntakeStatus::kCreated:
        ++summary_.created;
        break;
      case IntakeStatus::kUpdated:
        ++summary_.updated;
        break;
      case IntakeStatus::kUnchanged:
        ++summary_.unchanged;
        break;
      case IntakeStatus::kRejected:
        ++summary_.rejected;
        break;
    }
    if (++in_batch_ == kImportBatchSize) return Flush();
    return Status::Ok();
  }

  Status Flush() {
    if (!batch_) return Status::Ok();
    Status committed = batch_->Commit();
    batch_.reset();
    in_batch_ = 0;
    return committed;
  }

 private:
  static std::string DemoSiteFor(const std::string& generated_site) {
    if (generated_site == "RSY02") return kSites[1].code;
    if (generated_site == "RSY03") return kSites[2].code;
    return kSites[0].code;
  }

  AttendanceIntake& intake_;
  DemoAttendanceSummary& summary_;
  std::unique_ptr<AttendanceBatch> batch_;
  int in_batch_ = 0;
};

}  // namespace

namespace {

// The generator's seed and period for the demo, shared by the register and the attendances
// so that both describe the same population.
synth::GeneratorOptions DemoGeneratorOptions(std::int64_t attendances) {
  synth::GeneratorOptions options;
  options.seed = 20261120;
  options.attendances = attendances;
  return options;
}

// Feeds the register rows into one upload. Not thread-safe.
class DemoRegisterVisitor final : public ingest::RegisterVisitor {
 public:
  explicit DemoRegisterVisitor(RegisterUploadBatch& batch) : batch_(batch) {}
  Result<std::optional<ingest::RowIssue>> OnRow(ingest::RegisterRow row) override {
    return batch_.Add(std::move(row));
  }
  void OnIssue(const ingest::RowIssue&) override {}

 private:
  RegisterUploadBatch& batch_;
};

}  // namespace

Result<DemoRegisterSummary> LoadDemoRegister(storage::Store& store, const AuditLog& audit,
                                             const Clock& clock, std::int64_t attendances) {
  DemoRegisterSummary summary;
  if (attendances <= 0) return summary;
  std::ostringstream csv;
  RETURN_IF_ERROR(synth::WriteRegister(DemoGeneratorOptions(attendances), csv));
  RegisterService registers(store, audit, clock, DefaultRegisterMatcher());
  ASSIGN_OR_RETURN(
      std::unique_ptr<RegisterUploadBatch> batch,
      registers.BeginUpload({"system:demo", "demo data"}, kDemoRegisterOrg, UploadMode::kFull));
  DemoRegisterVisitor visitor(*batch);
  std::istringstream in(csv.str());
  ASSIGN_OR_RETURN(ingest::FeedSummary read, ingest::ReadRegisterCsv(in, visitor));
  RETURN_IF_ERROR(batch->Finish(read));
  summary.read = read.read;
  summary.accepted = read.accepted;
  summary.rejected = read.rejected;
  summary.warnings = read.warnings;
  return summary;
}

Result<DemoAttendanceSummary> LoadDemoAttendances(storage::Store& store, const AuditLog& audit,
                                                  const Clock& clock, std::int64_t count) {
  DemoAttendanceSummary summary;
  if (count <= 0) return summary;
  synth::GeneratorOptions options = DemoGeneratorOptions(count);
  ASSIGN_OR_RETURN(std::shared_ptr<const RegisterMatcher> matcher,
                   MakeLinkingRegisterMatcher(store));
  AttendanceIntake intake(store, audit, clock, std::move(matcher));
  DemoAttendanceSink sink(intake, summary);
  RETURN_IF_ERROR(synth::GenerateAttendances(options, sink));
  RETURN_IF_ERROR(sink.Flush());
  return summary;
}

}  // namespace liaison::app
