// The contract every store backend passes: the same tests on SQLite and on PostgreSQL.
// PostgreSQL is never skipped: without LIAISON_TEST_PG_URL (set by scripts/with-postgres.sh)
// its cases fail.
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "common/hash.h"
#include "common/time_format.h"
#include "storage/postgres/postgres_test_database.h"
#include "storage/store.h"

namespace liaison::storage {
namespace {

using domain::NhsNumber;
using domain::Organisation;
using domain::OrgId;
using domain::OrgKind;
using domain::Person;

Timestamp T(const char* text) { return *ParseTimestamp(text); }

class StoreContractTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "sqlite") {
      dir_ = std::filesystem::temp_directory_path() / ("liaison-store-" + RandomHex(8));
      std::filesystem::create_directories(dir_);
      url_ = "sqlite:" + (dir_ / "test.db").string();
    } else {
      Result<std::unique_ptr<PostgresTestDatabase>> database = PostgresTestDatabase::Create();
      ASSERT_TRUE(database.ok()) << database.status().ToString();
      pg_ = std::move(database).value();
      url_ = pg_->url();
    }
    store_ = Open();
    ASSERT_TRUE(store_ != nullptr);
    Status migrated = store_->Migrate();
    ASSERT_TRUE(migrated.ok()) << migrated.ToString();
  }

  void TearDown() override {
    store_.reset();
    pg_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  std::unique_ptr<Store> Open() {
    StoreOptions options;
    options.pool_size = 4;
    Result<std::unique_ptr<Store>> store = OpenStore(url_, options);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  std::unique_ptr<UnitOfWork> Begin() {
    Result<std::unique_ptr<UnitOfWork>> work = store_->Begin();
    EXPECT_TRUE(work.ok()) << work.status().ToString();
    return std::move(work).value();
  }

  OrgId AddTrust(UnitOfWork& work, const std::string& code) {
    Result<OrgId> id = work.InsertOrganisation({{}, code, "Trust " + code, OrgKind::kTrust});
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : OrgId();
  }

  std::filesystem::path dir_;
  std::unique_ptr<PostgresTestDatabase> pg_;
  std::string url_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreContractTest, MigrateIsRepeatableAndReportsTheVersion) {
  EXPECT_TRUE(store_->Migrate().ok());
  Result<int> version = store_->SchemaVersion();
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, store_->LatestSchemaVersion());
  EXPECT_GE(*version, 1);
  EXPECT_EQ(store_->Backend(), GetParam());
  EXPECT_TRUE(store_->Ping().ok());
}

TEST_P(StoreContractTest, OrganisationsSitesAndTeamsRoundTrip) {
  auto work = Begin();
  OrgId trust = AddTrust(*work, "RXA");
  Result<OrgId> council =
      work->InsertOrganisation({{}, "E09000001", "City Council", OrgKind::kLocalAuthority});
  ASSERT_TRUE(council.ok());
  ASSERT_TRUE(work->InsertSite({{}, trust, "RXA01", "General ED"}).ok());
  ASSERT_TRUE(work->InsertSite({{}, trust, "RXA02", "Children's ED"}).ok());
  ASSERT_TRUE(
      work->InsertTeam(
              {{}, trust, "ED", "Emergency department", domain::TeamKind::kEmergencyDepartment})
          .ok());
  ASSERT_TRUE(work->Commit().ok());

  auto read = Begin();
  Result<std::vector<Organisation>> orgs = read->ListOrganisations();
  ASSERT_TRUE(orgs.ok());
  ASSERT_EQ(orgs->size(), 2u);
  EXPECT_EQ((*orgs)[0].code, "E09000001");
  EXPECT_EQ((*orgs)[0].kind, OrgKind::kLocalAuthority);
  EXPECT_EQ((*orgs)[1].name, "Trust RXA");
  Result<Organisation> by_code = read->GetOrganisationByCode("RXA");
  ASSERT_TRUE(by_code.ok());
  EXPECT_EQ(by_code->id, trust);
  EXPECT_EQ(read->GetOrganisation(trust)->code, "RXA");
  Result<std::vector<domain::Site>> sites = read->ListSites(trust);
  ASSERT_TRUE(sites.ok());
  ASSERT_EQ(sites->size(), 2u);
  EXPECT_EQ((*sites)[1].name, "Children's ED");
  EXPECT_EQ(read->GetSiteByCode("RXA02")->org, trust);
  Result<std::vector<domain::Team>> teams = read->ListTeams(trust);
  ASSERT_TRUE(teams.ok());
  ASSERT_EQ(teams->size(), 1u);
  EXPECT_EQ((*teams)[0].kind, domain::TeamKind::kEmergencyDepartment);
}

TEST_P(StoreContractTest, DuplicatesAndMissingRowsAreTypedErrors) {
  auto work = Begin();
  OrgId trust = AddTrust(*work, "RXA");
  Result<OrgId> again = work->InsertOrganisation({{}, "RXA", "Other", OrgKind::kTrust});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(again.status().field(), "/code");
  // A failed statement leaves the unit of work usable.
  ASSERT_TRUE(work->InsertSite({{}, trust, "S1", "Site"}).ok());
  EXPECT_EQ(work->GetOrganisationByCode("NOPE").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(work->GetOrganisation(OrgId(999999)).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(work->GetPerson(domain::PersonId(999999)).status().code(), StatusCode::kNotFound);
  Organisation missing{OrgId(999999), "X", "X", OrgKind::kTrust};
  EXPECT_EQ(work->UpdateOrganisation(missing).code(), StatusCode::kNotFound);
  Result<domain::SiteId> orphan = work->InsertSite({{}, OrgId(999999), "S2", "Orphan"});
  ASSERT_FALSE(orphan.ok());
  EXPECT_EQ(orphan.status().code(), StatusCode::kNotFound);
}

TEST_P(StoreContractTest, PeopleRoundTripAndAreFoundByNhsNumber) {
  Person person;
  person.nhs_number = *NhsNumber::Parse("9990000018");
  person.given_name = "Zoë";
  person.family_name = "O'Brien";
  person.birth_date = *ParseDate("2019-02-28");
  person.sex = domain::Sex::kFemale;
  person.postcode = "LS1 4AB";
  auto work = Begin();
  OrgId owner = AddTrust(*work, "RXA");
  Result<domain::PersonId> id = work->InsertPerson(person, owner);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  Person nameless;
  ASSERT_TRUE(work->InsertPerson(nameless, owner).ok());
  ASSERT_TRUE(work->Commit().ok());

  auto read = Begin();
  Result<Person> got = read->GetPerson(*id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->given_name, "Zoë");
  EXPECT_EQ(got->family_name, "O'Brien");
  EXPECT_EQ(got->nhs_number, person.nhs_number);
  EXPECT_EQ(got->birth_date, person.birth_date);
  EXPECT_EQ(got->sex, domain::Sex::kFemale);
  EXPECT_EQ(got->postcode, "LS1 4AB");
  Result<std::optional<Person>> found = read->FindPersonByNhsNumber(*person.nhs_number);
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, *id);
  EXPECT_FALSE(read->FindPersonByNhsNumber(*NhsNumber::Parse("9434765919"))->has_value());

  person.id = *id;
  person.postcode = "LS2 9JT";
  person.birth_date.reset();
  ASSERT_TRUE(read->UpdatePerson(person).ok());
  Result<domain::PersonId> duplicate = read->InsertPerson(person, owner);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.status().reason(), "duplicate_nhs_number");
  ASSERT_TRUE(read->Commit().ok());
  auto again = Begin();
  EXPECT_EQ(again->GetPerson(*id)->postcode, "LS2 9JT");
  EXPECT_FALSE(again->GetPerson(*id)->birth_date.has_value());
}

TEST_P(StoreContractTest, PeopleKeepTheOrganisationThatOwnsThem) {
  auto work = Begin();
  OrgId trust = AddTrust(*work, "RXA");
  Result<domain::PersonId> id = work->InsertPerson(Person{}, trust);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  Result<std::optional<OrgId>> owner = work->GetPersonOwner(*id);
  ASSERT_TRUE(owner.ok()) << owner.status().ToString();
  EXPECT_EQ(*owner, std::optional<OrgId>(trust));
  EXPECT_EQ(work->GetPersonOwner(domain::PersonId(999999)).status().code(), StatusCode::kNotFound);
  Result<domain::PersonId> ownerless = work->InsertPerson(Person{}, std::nullopt);
  ASSERT_TRUE(ownerless.ok());
  EXPECT_FALSE(work->GetPersonOwner(*ownerless)->has_value());
  EXPECT_EQ(work->InsertPerson(Person{}, OrgId(999999)).status().code(), StatusCode::kNotFound);
}

TEST_P(StoreContractTest, UsersRoundTripAndUsernamesAreUnique) {
  auto work = Begin();
  OrgId trust = AddTrust(*work, "RXA");
  Result<domain::TeamId> team =
      work->InsertTeam({{}, trust, "ED", "ED", domain::TeamKind::kEmergencyDepartment});
  ASSERT_TRUE(team.ok());
  domain::User user{{}, "ada.nurse", domain::Role::kLiaisonNurse, trust, *team};
  Result<domain::UserId> id = work->InsertUser(user, "$argon2id$hash-one");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  Result<domain::UserId> again = work->InsertUser(user, "$argon2id$hash-two");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().reason(), "duplicate_username");
  EXPECT_EQ(again.status().field(), "/username");
  domain::User teamless{{}, "bob.admin", domain::Role::kAdmin, trust, std::nullopt};
  ASSERT_TRUE(work->InsertUser(teamless, "$argon2id$hash-three").ok());
  ASSERT_TRUE(work->Commit().ok());

  auto read = Begin();
  Result<std::optional<UserCredentials>> found = read->FindUserByUsername("ada.nurse");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->user.id, *id);
  EXPECT_EQ((*found)->user.role, domain::Role::kLiaisonNurse);
  EXPECT_EQ((*found)->user.org, trust);
  EXPECT_EQ((*found)->user.team, std::optional<domain::TeamId>(*team));
  EXPECT_EQ((*found)->password_hash, "$argon2id$hash-one");
  EXPECT_FALSE(read->FindUserByUsername("nobody")->has_value());
  Result<domain::User> bob = read->FindUserByUsername("bob.admin").value()->user;
  EXPECT_FALSE(bob->team.has_value());

  user.id = *id;
  user.role = domain::Role::kNamedProfessional;
  user.team.reset();
  ASSERT_TRUE(read->UpdateUser(user, "$argon2id$hash-four").ok());
  Result<domain::User> got = read->GetUser(*id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->role, domain::Role::kNamedProfessional);
  EXPECT_FALSE(got->team.has_value());
  EXPECT_EQ(read->FindUserByUsername("ada.nurse").value()->password_hash, "$argon2id$hash-four");
  EXPECT_EQ(read->GetUser(domain::UserId(999999)).status().code(), StatusCode::kNotFound);
  domain::User ghost{domain::UserId(999999), "ghost", domain::Role::kAdmin, trust, std::nullopt};
  EXPECT_EQ(read->UpdateUser(ghost, "x").code(), StatusCode::kNotFound);
}

TEST_P(StoreContractTest, SessionsAreFoundByHashTouchedAndDeleted) {
  auto work = Begin();
  OrgId trust = AddTrust(*work, "RXA");
  Result<domain::UserId> user =
      work->InsertUser({{}, "ada", domain::Role::kAdmin, trust, std::nullopt}, "h");
  ASSERT_TRUE(user.ok());
  SessionRecord session{Blake2bHex("secret"), *user, T("2026-11-26T09:00:00.000001Z"),
                        T("2026-11-26T09:00:00.000001Z")};
  ASSERT_TRUE(work->InsertSession(session).ok());
  ASSERT_TRUE(work->Commit().ok());

  auto read = Begin();
  Result<std::optional<SessionRecord>> found = read->FindSession(Blake2bHex("secret"));
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->user, *user);
  EXPECT_EQ((*found)->created_at, session.created_at);
  EXPECT_FALSE(read->FindSession(Blake2bHex("other"))->has_value());
  ASSERT_TRUE(read->TouchSession(session.id_hash, T("2026-11-26T09:10:00Z")).ok());
  EXPECT_EQ(read->FindSession(session.id_hash).value()->last_seen_at, T("2026-11-26T09:10:00Z"));
  ASSERT_TRUE(read->DeleteSession(session.id_hash).ok());
  ASSERT_TRUE(read->DeleteSession(session.id_hash).ok());
  EXPECT_FALSE(read->FindSession(session.id_hash)->has_value());
}

TEST_P(StoreContractTest, ApiTokensAreStoredByHashAndRevocable) {
  auto work = Begin();
  OrgId trust = AddTrust(*work, "RXA");
  domain::ApiToken token;
  token.name = "ED feed";
  token.scope = domain::TokenScope::kRegisterUpload;
  token.org = trust;
  token.created_at = T("2026-11-26T09:00:00Z");
  token.expires_at = T("2027-11-26T09:00:00Z");
  Result<domain::ApiTokenId> id = work->InsertApiToken(token, Blake2bHex("token-secret"));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  domain::ApiToken forever = token;
  forever.expires_at.reset();
  ASSERT_TRUE(work->InsertApiToken(forever, Blake2bHex("other-secret")).ok());
  ASSERT_TRUE(work->Commit().ok());

  auto read = Begin();
  Result<std::optional<domain::ApiToken>> found =
      read->FindApiTokenByHash(Blake2bHex("token-secret"));
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, *id);
  EXPECT_EQ((*found)->name, "ED feed");
  EXPECT_EQ((*found)->scope, domain::TokenScope::kRegisterUpload);
  EXPECT_EQ((*found)->org, trust);
  EXPECT_EQ((*found)->expires_at, token.expires_at);
  EXPECT_FALSE((*found)->revoked_at.has_value());
  EXPECT_FALSE(read->FindApiTokenByHash(Blake2bHex("guess"))->has_value());
  ASSERT_TRUE(read->RevokeApiToken(*id, T("2026-12-01T00:00:00Z")).ok());
  ASSERT_TRUE(read->RevokeApiToken(*id, T("2026-12-02T00:00:00Z")).ok());
  EXPECT_EQ(read->FindApiTokenByHash(Blake2bHex("token-secret")).value()->revoked_at,
            std::optional<Timestamp>(T("2026-12-01T00:00:00Z")));
  EXPECT_EQ(read->RevokeApiToken(domain::ApiTokenId(999999), T("2026-12-01T00:00:00Z")).code(),
            StatusCode::kNotFound);
  Result<std::vector<domain::ApiToken>> all = read->ListApiTokens();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_FALSE((*all)[1].expires_at.has_value());
}

TEST_P(StoreContractTest, AUnitOfWorkDroppedWithoutCommitLeavesNoTrace) {
  {
    auto work = Begin();
    AddTrust(*work, "GONE");
    ASSERT_TRUE(work->EnqueueNotification({"k1", "t", "{}", T("2026-01-01T00:00:00Z")}).ok());
  }
  auto read = Begin();
  EXPECT_EQ(read->GetOrganisationByCode("GONE").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->GetOutboxStats()->pending, 0);
}

TEST_P(StoreContractTest, AuditEventsAreStoredExactlyAndScannedInOrder) {
  for (int i = 1; i <= 3; ++i) {
    auto work = Begin();
    Result<AuditHead> head = work->LockAuditHead();
    ASSERT_TRUE(head.ok()) << head.status().ToString();
    EXPECT_EQ(head->seq, i - 1);
    if (i == 1) {
      EXPECT_EQ(head->hash, domain::GenesisHash());
    }
    domain::AuditEvent event;
    event.seq = head->seq + 1;
    event.at = T("2026-11-26T10:00:00.123456Z") + std::chrono::microseconds(i);
    event.entry = {"user:1", "person.read", "person", std::to_string(i), "direct care", "allow"};
    event.prev_hash = head->hash;
    event.hash = Blake2bHex(std::to_string(i));
    ASSERT_TRUE(work->InsertAuditEvent(event).ok());
    ASSERT_TRUE(work->Commit().ok());
  }
  std::vector<domain::AuditEvent> events;
  ASSERT_TRUE(store_
                  ->ScanAudit([&](const domain::AuditEvent& event) {
                    events.push_back(event);
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[2].seq, 3);
  EXPECT_EQ(FormatTimestamp(events[2].at), "2026-11-26T10:00:00.123459Z");
  EXPECT_EQ(events[2].prev_hash, Blake2bHex("2"));
  EXPECT_EQ(events[0].entry.reason, "direct care");
  EXPECT_EQ(events[1].entry.record_id, "2");
}

TEST_P(StoreContractTest, AuditAppendsFromManyThreadsFormOneGaplessSequence) {
  constexpr int kThreads = 4;
  constexpr int kEach = 10;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        Result<std::unique_ptr<UnitOfWork>> work = store_->Begin();
        if (!work.ok()) {
          ++failures;
          continue;
        }
        Result<AuditHead> head = (*work)->LockAuditHead();
        if (!head.ok()) {
          ++failures;
          continue;
        }
        domain::AuditEvent event;
        event.seq = head->seq + 1;
        event.at = T("2026-11-26T10:00:00Z");
        event.entry = {"t", "a", "r", "1", "x", "allow"};
        event.prev_hash = head->hash;
        event.hash = Blake2bHex(std::to_string(event.seq));
        if (!(*work)->InsertAuditEvent(event).ok() || !(*work)->Commit().ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  std::int64_t expected = 1;
  std::string previous = domain::GenesisHash();
  ASSERT_TRUE(store_
                  ->ScanAudit([&](const domain::AuditEvent& event) {
                    EXPECT_EQ(event.seq, expected++);
                    EXPECT_EQ(event.prev_hash, previous);
                    previous = event.hash;
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(expected, kThreads * kEach + 1);
}

TEST_P(StoreContractTest, OutboxIsIdempotentLeasesClaimsAndRetries) {
  Timestamp t0 = T("2026-11-26T10:00:00Z");
  auto work = Begin();
  Result<std::int64_t> first = work->EnqueueNotification({"key-1", "topic", "{\"a\":1}", t0});
  Result<std::int64_t> again = work->EnqueueNotification({"key-1", "topic", "{\"a\":2}", t0});
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(*first, *again);
  ASSERT_TRUE(work->EnqueueNotification({"key-2", "topic", "{}", t0}).ok());
  ASSERT_TRUE(work->Commit().ok());

  Result<std::vector<Notification>> claimed =
      store_->ClaimDueNotifications(t0, 10, std::chrono::seconds(30));
  ASSERT_TRUE(claimed.ok()) << claimed.status().ToString();
  ASSERT_EQ(claimed->size(), 2u);
  EXPECT_EQ((*claimed)[0].payload, "{\"a\":1}");
  EXPECT_EQ((*claimed)[0].idempotency_key, "key-1");
  // Leased: a second claim at the same time gets nothing.
  EXPECT_TRUE(store_->ClaimDueNotifications(t0, 10, std::chrono::seconds(30))->empty());

  ASSERT_TRUE(store_->MarkDelivered((*claimed)[0].id, t0).ok());
  ASSERT_TRUE(
      store_->MarkFailed((*claimed)[1].id, "connection refused", t0 + std::chrono::seconds(5))
          .ok());
  Result<OutboxStats> stats = store_->GetOutboxStats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->pending, 1);
  EXPECT_EQ(stats->delivered, 1);
  ASSERT_TRUE(stats->oldest_pending.has_value());

  EXPECT_TRUE(
      store_->ClaimDueNotifications(t0 + std::chrono::seconds(4), 10, std::chrono::seconds(30))
          ->empty());
  Result<std::vector<Notification>> retry =
      store_->ClaimDueNotifications(t0 + std::chrono::seconds(5), 10, std::chrono::seconds(30));
  ASSERT_TRUE(retry.ok());
  ASSERT_EQ(retry->size(), 1u);
  EXPECT_EQ((*retry)[0].attempts, 1);
  EXPECT_EQ((*retry)[0].last_error, "connection refused");
}

AttendanceVersion SampleVersion(std::int64_t number, std::optional<OrgId> owner) {
  AttendanceVersion version;
  version.site_code = "RXA01";
  version.attendance_id = "A-1";
  version.version = number;
  version.document = R"({"attendance_id":"A-1","site":"RXA01","v":)" + std::to_string(number) + "}";
  version.content_hash = Blake2bHex(version.document);
  version.arrival = T("2026-03-04T05:06:07.123456Z");
  version.received_at = T("2026-03-05T00:00:00Z");
  version.owner = owner;
  return version;
}

TEST_P(StoreContractTest, AttendanceVersionsRoundTripAndTheLatestWins) {
  auto work = Begin();
  OrgId trust = AddTrust(*work, "RXA");
  Result<std::optional<AttendanceVersion>> none = work->LatestAttendance("RXA01", "A-1");
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_FALSE(none->has_value());

  AttendanceVersion first = SampleVersion(1, trust);
  first.verified_nhs_number = *NhsNumber::Parse("9434765919");
  Result<AttendanceRecordId> first_id = work->InsertAttendanceVersion(first);
  ASSERT_TRUE(first_id.ok()) << first_id.status().ToString();
  AttendanceVersion second = SampleVersion(2, std::nullopt);
  second.site_status = SiteStatus::kUnconfigured;
  Result<AttendanceRecordId> second_id = work->InsertAttendanceVersion(second);
  ASSERT_TRUE(second_id.ok()) << second_id.status().ToString();
  EXPECT_NE(*first_id, *second_id);
  // Another attendance at the same site, and the same id at another site, are separate.
  AttendanceVersion other = SampleVersion(1, trust);
  other.attendance_id = "A-2";
  ASSERT_TRUE(work->InsertAttendanceVersion(other).ok());
  other.attendance_id = "A-1";
  other.site_code = "RXA02";
  ASSERT_TRUE(work->InsertAttendanceVersion(other).ok());
  ASSERT_TRUE(work->Commit().ok());

  auto read = Begin();
  Result<std::optional<AttendanceVersion>> latest = read->LatestAttendance("RXA01", "A-1");
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  ASSERT_TRUE(latest->has_value());
  second.id = *second_id;
  EXPECT_EQ(**latest, second);
  Result<std::vector<AttendanceVersion>> versions = read->ListAttendanceVersions("RXA01", "A-1");
  ASSERT_TRUE(versions.ok()) << versions.status().ToString();
  ASSERT_EQ(versions->size(), 2u);
  first.id = *first_id;
  EXPECT_EQ((*versions)[0], first);
  EXPECT_EQ((*versions)[1], second);
  EXPECT_EQ(*read->CountAttendanceVersions(), 4);
}

TEST_P(StoreContractTest, ADuplicateAttendanceVersionIsTypedAndTheWorkGoesOn) {
  auto work = Begin();
  ASSERT_TRUE(work->InsertAttendanceVersion(SampleVersion(1, std::nullopt)).ok());
  AttendanceVersion again = SampleVersion(1, std::nullopt);
  again.document = "{}";
  Result<AttendanceRecordId> duplicate = work->InsertAttendanceVersion(again);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(duplicate.status().reason(), "duplicate_attendance_version");
  ASSERT_TRUE(work->InsertAttendanceVersion(SampleVersion(2, std::nullopt)).ok());
  ASSERT_TRUE(work->Commit().ok());
  EXPECT_EQ(*Begin()->CountAttendanceVersions(), 2);
  // A version rolled back with its unit of work leaves nothing.
  {
    auto dropped = Begin();
    ASSERT_TRUE(dropped->InsertAttendanceVersion(SampleVersion(3, std::nullopt)).ok());
  }
  EXPECT_EQ((*Begin()->LatestAttendance("RXA01", "A-1"))->version, 2);
}

WorklistEntry SampleEntry(std::int64_t position, std::optional<std::int64_t> age_days) {
  WorklistEntry entry;
  entry.position = position;
  entry.attendance_id = "A-" + std::to_string(position);
  entry.site_code = "RXA01";
  entry.arrival = T("2026-03-29T00:30:00.000001Z");
  entry.age_days = age_days;
  entry.level = position == 1 ? "suspect" : "review";
  entry.person_key = "local:RXA01:L" + std::to_string(position);
  entry.findings_json = R"([{"rule":"R","level":"suspect","evidence":["notes:\"x\""]}])";
  return entry;
}

TEST_P(StoreContractTest, WorklistRunsKeepTheirEntriesInOrder) {
  auto work = Begin();
  Result<std::optional<WorklistRun>> none = work->LatestWorklistRun();
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_FALSE(none->has_value());

  WorklistRun run;
  run.created_at = T("2026-11-26T10:00:00.123456Z");
  run.range_from = std::chrono::year(2026) / std::chrono::March / 29;
  run.range_to = std::chrono::year(2026) / std::chrono::March / 30;
  run.history_days = 365;
  Result<std::int64_t> run_id = work->InsertWorklistRun(run);
  ASSERT_TRUE(run_id.ok()) << run_id.status().ToString();
  // Inserted out of order: the list comes back by position.
  for (std::int64_t position : {3, 1, 2}) {
    Status inserted = work->InsertWorklistEntry(
        *run_id,
        SampleEntry(position, position == 3 ? std::nullopt : std::optional(position * 10)));
    ASSERT_TRUE(inserted.ok()) << inserted.ToString();
  }
  ASSERT_TRUE(work->FinishWorklistRun(*run_id, 3).ok());
  ASSERT_TRUE(work->Commit().ok());

  auto read = Begin();
  Result<std::optional<WorklistRun>> latest = read->LatestWorklistRun();
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  ASSERT_TRUE(latest->has_value());
  run.id = *run_id;
  run.item_count = 3;
  EXPECT_EQ(**latest, run);
  Result<std::vector<WorklistEntry>> entries = read->ListWorklistEntries(*run_id);
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0], SampleEntry(1, 10));
  EXPECT_EQ((*entries)[2], SampleEntry(3, std::nullopt));
}

TEST_P(StoreContractTest, AWorklistPositionIsStoredOnceAndUnknownRunsAreNotFound) {
  auto work = Begin();
  WorklistRun run;
  run.created_at = T("2026-11-26T10:00:00Z");
  Result<std::int64_t> run_id = work->InsertWorklistRun(run);
  ASSERT_TRUE(run_id.ok());
  ASSERT_TRUE(work->InsertWorklistEntry(*run_id, SampleEntry(1, 5)).ok());
  Status duplicate = work->InsertWorklistEntry(*run_id, SampleEntry(1, 6));
  EXPECT_EQ(duplicate.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(duplicate.reason(), "duplicate_worklist_position");
  EXPECT_EQ(work->FinishWorklistRun(*run_id + 1000, 1).code(), StatusCode::kNotFound);
  ASSERT_TRUE(work->FinishWorklistRun(*run_id, 1).ok());
  ASSERT_TRUE(work->Commit().ok());
  auto read = Begin();
  EXPECT_EQ((*read->ListWorklistEntries(*run_id)).size(), 1u);
  EXPECT_FALSE((*read->LatestWorklistRun())->range_from.has_value());
}

TEST_P(StoreContractTest, CommittedWritesSurviveReopening) {
  auto work = Begin();
  AddTrust(*work, "KEEP");
  ASSERT_TRUE(work->Commit().ok());
  work.reset();
  store_ = Open();
  ASSERT_TRUE(store_ != nullptr);
  EXPECT_TRUE(Begin()->GetOrganisationByCode("KEEP").ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContractTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

TEST(OpenStoreTest, RejectsUnknownUrls) {
  Result<std::unique_ptr<Store>> store = OpenStore("mysql://x", {});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().reason(), "invalid_database_url");
  EXPECT_FALSE(OpenStore("sqlite:", {}).ok());
  EXPECT_FALSE(OpenStore("sqlite:/nonexistent-dir/x/y.db", {}).ok());
}

}  // namespace
}  // namespace liaison::storage
