// The contract every store backend passes: the same tests on SQLite and on PostgreSQL.
// PostgreSQL is never skipped: without LIAISON_TEST_PG_URL (set by scripts/with-postgres.sh)
// its cases fail.
#include <algorithm>
#include <atomic>
#include <chrono>
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

// A writer that waits for another starts as soon as that one commits. SQLite's own busy
// handler sleeps in steps of up to 100 ms, so after a 250 ms wait it would start about 78 ms
// late; the store queues its writers itself. The smallest lag of three tries is compared, so
// one slow wake-up on a loaded machine does not decide the result.
TEST_P(StoreContractTest, AWaitingWriterStartsWhenTheWriterBeforeItCommits) {
  using Clock = std::chrono::steady_clock;
  auto smallest_lag = Clock::duration::max();
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto first = Begin();
    ASSERT_TRUE(first->LockAuditHead().ok());
    std::atomic<bool> second_started{false};
    Clock::time_point second_locked = Clock::time_point::max();  // stays so if it failed
    std::thread second([&] {
      second_started = true;
      Result<std::unique_ptr<UnitOfWork>> work = store_->Begin();
      ASSERT_TRUE(work.ok()) << work.status().ToString();
      ASSERT_TRUE((*work)->LockAuditHead().ok());
      second_locked = Clock::now();
    });
    while (!second_started) std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    ASSERT_TRUE(first->Commit().ok());
    Clock::time_point committed = Clock::now();
    second.join();
    smallest_lag = std::min(smallest_lag, second_locked - committed);
  }
  EXPECT_LT(smallest_lag, std::chrono::milliseconds(40));
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

// --- security, second slice (#3): account status, involvement, break-glass, throttle, purge --

TEST_P(StoreContractTest, UsersAreListedPerOrganisationDisabledAndTheirSessionsEnded) {
  auto work = Begin();
  OrgId trust = AddTrust(*work, "RXA");
  OrgId other = AddTrust(*work, "RXB");
  domain::UserId zed =
      *work->InsertUser({{}, "zed", domain::Role::kAdmin, trust, std::nullopt}, "h");
  domain::UserId ada =
      *work->InsertUser({{}, "ada", domain::Role::kEdClinician, trust, std::nullopt}, "h");
  ASSERT_TRUE(
      work->InsertUser({{}, "bob", domain::Role::kEdClinician, other, std::nullopt}, "h").ok());
  for (const char* secret : {"s1", "s2"}) {
    ASSERT_TRUE(work->InsertSession({Blake2bHex(secret), ada, T("2026-11-26T09:00:00Z"),
                                     T("2026-11-26T09:00:00Z")})
                    .ok());
  }
  ASSERT_TRUE(work->InsertSession(
                      {Blake2bHex("s3"), zed, T("2026-11-26T09:00:00Z"), T("2026-11-26T09:00:00Z")})
                  .ok());
  ASSERT_TRUE(work->Commit().ok());

  auto read = Begin();
  Result<std::vector<domain::User>> users = read->ListUsers(trust);
  ASSERT_TRUE(users.ok()) << users.status().ToString();
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[0].username, "ada");
  EXPECT_EQ((*users)[1].username, "zed");
  EXPECT_FALSE((*users)[0].disabled_at.has_value());

  ASSERT_TRUE(read->SetUserDisabled(ada, T("2026-11-26T10:00:00Z")).ok());
  EXPECT_EQ(read->GetUser(ada)->disabled_at, std::optional<Timestamp>(T("2026-11-26T10:00:00Z")));
  EXPECT_EQ(read->FindUserByUsername("ada").value()->user.disabled_at,
            std::optional<Timestamp>(T("2026-11-26T10:00:00Z")));
  EXPECT_EQ(read->FindUserByUsername("ada").value()->password_hash, "h");
  EXPECT_EQ(*read->DeleteUserSessions(ada), 2);
  EXPECT_EQ(*read->DeleteUserSessions(ada), 0);
  EXPECT_FALSE(read->FindSession(Blake2bHex("s1"))->has_value());
  EXPECT_TRUE(read->FindSession(Blake2bHex("s3"))->has_value());
  ASSERT_TRUE(read->SetUserDisabled(ada, std::nullopt).ok());
  EXPECT_FALSE(read->GetUser(ada)->disabled_at.has_value());
  EXPECT_EQ(read->SetUserDisabled(domain::UserId(999999), std::nullopt).code(),
            StatusCode::kNotFound);
}

TEST_P(StoreContractTest, InvolvementLinksAUserOrATeamToAPersonOnce) {
  auto work = Begin();
  OrgId trust = AddTrust(*work, "RXA");
  domain::TeamId ed =
      *work->InsertTeam({{}, trust, "ED", "ED", domain::TeamKind::kEmergencyDepartment});
  domain::TeamId other_team =
      *work->InsertTeam({{}, trust, "PAED", "Paeds", domain::TeamKind::kEmergencyDepartment});
  domain::UserId ada = *work->InsertUser({{}, "ada", domain::Role::kEdClinician, trust, ed}, "h");
  domain::UserId bob =
      *work->InsertUser({{}, "bob", domain::Role::kEdClinician, trust, other_team}, "h");
  domain::PersonId person = *work->InsertPerson(Person{}, trust);
  domain::PersonId stranger = *work->InsertPerson(Person{}, trust);

  EXPECT_FALSE(*work->IsInvolved(person, ada, ed));
  CaseInvolvement direct{
      0, person, ada, std::nullopt, "recorded", "user:1", T("2026-11-26T09:00:00Z")};
  ASSERT_TRUE(work->InsertInvolvement(direct).ok());
  ASSERT_TRUE(work->InsertInvolvement(direct).ok());  // again: no error, no second row
  EXPECT_TRUE(*work->IsInvolved(person, ada, std::nullopt));
  EXPECT_FALSE(*work->IsInvolved(stranger, ada, ed));
  EXPECT_FALSE(*work->IsInvolved(person, bob, other_team));
  CaseInvolvement team{
      0, stranger, std::nullopt, other_team, "assigned", "user:9", T("2026-11-26T10:00:00Z")};
  ASSERT_TRUE(work->InsertInvolvement(team).ok());
  EXPECT_TRUE(*work->IsInvolved(stranger, bob, other_team));
  EXPECT_FALSE(*work->IsInvolved(stranger, bob, std::nullopt));  // no team given
  EXPECT_FALSE(*work->IsInvolved(stranger, ada, ed));
  ASSERT_TRUE(work->Commit().ok());

  Result<std::vector<CaseInvolvement>> listed = Begin()->ListInvolvements(person);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].user, std::optional<domain::UserId>(ada));
  EXPECT_FALSE((*listed)[0].team.has_value());
  EXPECT_EQ((*listed)[0].source, "recorded");
  EXPECT_EQ((*listed)[0].assigned_by, "user:1");
  EXPECT_EQ((*listed)[0].created_at, T("2026-11-26T09:00:00Z"));
  Result<std::vector<CaseInvolvement>> teams = Begin()->ListInvolvements(stranger);
  ASSERT_EQ(teams->size(), 1u);
  EXPECT_EQ((*teams)[0].team, std::optional<domain::TeamId>(other_team));
}

TEST_P(StoreContractTest, RecentAttendancesAreFoundByVerifiedNumberAndOwner) {
  auto work = Begin();
  OrgId trust = AddTrust(*work, "RXA");
  OrgId other = AddTrust(*work, "RXB");
  AttendanceVersion version = SampleVersion(1, trust);  // arrived 2026-03-04T05:06:07.123456Z
  version.verified_nhs_number = *NhsNumber::Parse("9434765919");
  ASSERT_TRUE(work->InsertAttendanceVersion(version).ok());
  NhsNumber number = *NhsNumber::Parse("9434765919");
  EXPECT_TRUE(*work->HasAttendanceSince(number, trust, T("2026-03-04T05:06:07.123456Z")));
  EXPECT_FALSE(*work->HasAttendanceSince(number, trust, T("2026-03-04T05:06:07.123457Z")));
  EXPECT_FALSE(*work->HasAttendanceSince(number, other, T("2026-01-01T00:00:00Z")));
  EXPECT_FALSE(
      *work->HasAttendanceSince(*NhsNumber::Parse("9434765870"), trust, T("2026-01-01T00:00:00Z")));
}

TEST_P(StoreContractTest, BreakGlassGrantsExpireAndAreReviewedOnce) {
  auto work = Begin();
  OrgId trust = AddTrust(*work, "RXA");
  OrgId other = AddTrust(*work, "RXB");
  domain::UserId ada =
      *work->InsertUser({{}, "ada", domain::Role::kEdClinician, trust, std::nullopt}, "h");
  domain::UserId nurse =
      *work->InsertUser({{}, "nurse", domain::Role::kSafeguardingNurse, trust, std::nullopt}, "h");
  domain::PersonId person = *work->InsertPerson(Person{}, trust);
  BreakGlassGrant grant;
  grant.user = ada;
  grant.person = person;
  grant.org = trust;
  grant.reason = "seen in resus, unconscious, no relationship recorded";
  grant.granted_at = T("2026-11-26T09:00:00Z");
  grant.expires_at = T("2026-11-26T13:00:00Z");
  Result<std::int64_t> id = work->InsertBreakGlassGrant(grant);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  ASSERT_TRUE(work->Commit().ok());

  auto read = Begin();
  Result<std::optional<BreakGlassGrant>> active =
      read->FindActiveBreakGlassGrant(ada, person, T("2026-11-26T12:59:59Z"));
  ASSERT_TRUE(active.ok()) << active.status().ToString();
  ASSERT_TRUE(active->has_value());
  EXPECT_EQ((*active)->id, *id);
  EXPECT_EQ((*active)->reason, grant.reason);
  EXPECT_EQ((*active)->expires_at, grant.expires_at);
  EXPECT_FALSE((*active)->reviewed_at.has_value());
  EXPECT_EQ((*active)->review_outcome, "");
  EXPECT_FALSE(
      read->FindActiveBreakGlassGrant(ada, person, T("2026-11-26T13:00:00Z"))->has_value());
  EXPECT_FALSE(
      read->FindActiveBreakGlassGrant(nurse, person, T("2026-11-26T10:00:00Z"))->has_value());
  EXPECT_EQ(read->ListUnreviewedBreakGlassGrants(trust)->size(), 1u);
  EXPECT_TRUE(read->ListUnreviewedBreakGlassGrants(other)->empty());

  ASSERT_TRUE(
      read->ReviewBreakGlassGrant(*id, nurse, "appropriate", "checked", T("2026-11-27T09:00:00Z"))
          .ok());
  Status again =
      read->ReviewBreakGlassGrant(*id, nurse, "inappropriate", "", T("2026-11-27T10:00:00Z"));
  EXPECT_EQ(again.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(again.reason(), "already_reviewed");
  EXPECT_EQ(read->ReviewBreakGlassGrant(999999, nurse, "appropriate", "", T("2026-11-27T10:00:00Z"))
                .code(),
            StatusCode::kNotFound);
  Result<BreakGlassGrant> reviewed = read->GetBreakGlassGrant(*id);
  ASSERT_TRUE(reviewed.ok());
  EXPECT_EQ(reviewed->review_outcome, "appropriate");
  EXPECT_EQ(reviewed->review_note, "checked");
  EXPECT_EQ(reviewed->reviewed_by, std::optional<domain::UserId>(nurse));
  EXPECT_EQ(reviewed->reviewed_at, std::optional<Timestamp>(T("2026-11-27T09:00:00Z")));
  EXPECT_TRUE(read->ListUnreviewedBreakGlassGrants(trust)->empty());
  EXPECT_EQ(read->GetBreakGlassGrant(999999).status().code(), StatusCode::kNotFound);
}

TEST_P(StoreContractTest, ThrottleRecordsAreLockedSavedAndDeleted) {
  auto work = Begin();
  Result<ThrottleRecord> fresh = work->LockThrottle("key-one");
  ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  EXPECT_EQ(fresh->key, "key-one");
  EXPECT_EQ(fresh->count, 0);
  EXPECT_EQ(fresh->locked_until, Timestamp());
  ThrottleRecord record{"key-one", 6, T("2026-11-26T09:00:00Z"), T("2026-11-26T09:01:00Z")};
  ASSERT_TRUE(work->SaveThrottle(record).ok());
  ASSERT_TRUE(work->Commit().ok());

  auto read = Begin();
  Result<ThrottleRecord> saved = read->LockThrottle("key-one");
  ASSERT_TRUE(saved.ok());
  EXPECT_EQ(saved->count, 6);
  EXPECT_EQ(saved->since, record.since);
  EXPECT_EQ(saved->locked_until, record.locked_until);
  record.count = 7;
  ASSERT_TRUE(read->SaveThrottle(record).ok());
  EXPECT_EQ(read->LockThrottle("key-one")->count, 7);
  ASSERT_TRUE(read->DeleteThrottle("key-one").ok());
  EXPECT_EQ(read->LockThrottle("key-one")->count, 0);
}

TEST_P(StoreContractTest, ThrottleUpdatesFromManyThreadsAreNotLost) {
  constexpr int kThreads = 4;
  constexpr int kEach = 10;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        auto work = Begin();
        Result<ThrottleRecord> record = work->LockThrottle("shared");
        ASSERT_TRUE(record.ok()) << record.status().ToString();
        ++record->count;
        ASSERT_TRUE(work->SaveThrottle(*record).ok());
        ASSERT_TRUE(work->Commit().ok());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(Begin()->LockThrottle("shared")->count, kThreads * kEach);
}

TEST_P(StoreContractTest, PurgeRemovesOnlyWhatHasExpired) {
  auto work = Begin();
  OrgId trust = AddTrust(*work, "RXA");
  domain::UserId ada =
      *work->InsertUser({{}, "ada", domain::Role::kEdClinician, trust, std::nullopt}, "h");
  // Sessions: idle too long, too old, and fresh.
  ASSERT_TRUE(
      work->InsertSession({"idle", ada, T("2026-11-26T08:00:00Z"), T("2026-11-26T08:10:00Z")})
          .ok());
  ASSERT_TRUE(
      work->InsertSession({"old", ada, T("2026-11-25T20:00:00Z"), T("2026-11-26T08:59:00Z")}).ok());
  ASSERT_TRUE(
      work->InsertSession({"fresh", ada, T("2026-11-26T08:30:00Z"), T("2026-11-26T08:59:00Z")})
          .ok());
  // Tokens: long expired, long revoked, live.
  domain::ApiToken token;
  token.name = "feed";
  token.org = trust;
  token.created_at = T("2026-01-01T00:00:00Z");
  token.expires_at = T("2026-02-01T00:00:00Z");
  ASSERT_TRUE(work->InsertApiToken(token, "expired").ok());
  token.expires_at.reset();
  token.revoked_at = T("2026-02-01T00:00:00Z");
  ASSERT_TRUE(work->InsertApiToken(token, "revoked").ok());
  token.revoked_at.reset();
  ASSERT_TRUE(work->InsertApiToken(token, "live").ok());
  // Grants: reviewed and long over, unreviewed and long over, reviewed but recent.
  domain::PersonId person = *work->InsertPerson(Person{}, trust);
  BreakGlassGrant grant{0,
                        ada,
                        person,
                        trust,
                        "reason given here",
                        T("2026-01-01T00:00:00Z"),
                        T("2026-01-01T04:00:00Z"),
                        std::nullopt,
                        std::nullopt,
                        "",
                        ""};
  std::int64_t reviewed_old = *work->InsertBreakGlassGrant(grant);
  std::int64_t unreviewed_old = *work->InsertBreakGlassGrant(grant);
  grant.expires_at = T("2026-11-26T04:00:00Z");
  std::int64_t reviewed_recent = *work->InsertBreakGlassGrant(grant);
  for (std::int64_t id : {reviewed_old, reviewed_recent}) {
    ASSERT_TRUE(
        work->ReviewBreakGlassGrant(id, ada, "appropriate", "", T("2026-11-26T05:00:00Z")).ok());
  }
  // Throttle: stale and unlocked, still locked, recent.
  ASSERT_TRUE(work->SaveThrottle({"stale", 3, T("2026-11-20T00:00:00Z"), Timestamp()}).ok());
  ASSERT_TRUE(
      work->SaveThrottle({"locked", 9, T("2026-11-20T00:00:00Z"), T("2026-11-27T00:00:00Z")}).ok());
  ASSERT_TRUE(work->SaveThrottle({"recent", 1, T("2026-11-26T08:00:00Z"), Timestamp()}).ok());
  ASSERT_TRUE(work->Commit().ok());

  PurgeCutoffs cutoffs;
  cutoffs.session_idle_before = T("2026-11-26T08:30:00Z");
  cutoffs.session_created_before = T("2026-11-25T21:00:00Z");
  cutoffs.token_ended_before = T("2026-10-01T00:00:00Z");
  cutoffs.grant_ended_before = T("2026-10-01T00:00:00Z");
  cutoffs.throttle_before = T("2026-11-25T09:00:00Z");
  auto purge = Begin();
  Result<PurgeCounts> counts = purge->PurgeExpired(cutoffs);
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  EXPECT_EQ(counts->sessions, 2);
  EXPECT_EQ(counts->api_tokens, 2);
  EXPECT_EQ(counts->break_glass_grants, 1);
  EXPECT_EQ(counts->throttle_records, 1);
  ASSERT_TRUE(purge->Commit().ok());

  auto read = Begin();
  EXPECT_TRUE(read->FindSession("fresh")->has_value());
  EXPECT_FALSE(read->FindSession("idle")->has_value());
  EXPECT_FALSE(read->FindSession("old")->has_value());
  EXPECT_TRUE(read->FindApiTokenByHash("live")->has_value());
  EXPECT_EQ(read->ListApiTokens()->size(), 1u);
  EXPECT_EQ(read->GetBreakGlassGrant(reviewed_old).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(read->GetBreakGlassGrant(unreviewed_old).ok());
  EXPECT_TRUE(read->GetBreakGlassGrant(reviewed_recent).ok());
  EXPECT_EQ(read->LockThrottle("stale")->count, 0);
  EXPECT_EQ(read->LockThrottle("locked")->count, 9);
  EXPECT_EQ(read->LockThrottle("recent")->count, 1);
}

domain::RegisterEntry RegisterEntryFor(OrgId owner, std::string local_id) {
  domain::RegisterEntry entry;
  entry.owner = owner;
  entry.local_id = std::move(local_id);
  entry.nhs_number = *NhsNumber::Parse("9434765919");
  entry.given_name = "Ava";
  entry.family_name = "Nowak";
  entry.birth_date = *ParseDate("2020-03-04");
  entry.sex = domain::Sex::kFemale;
  entry.postcode = "NS1 2AB";
  entry.status = domain::RegisterStatus::kCpPlan;
  entry.plan_category = "neglect";
  entry.start_date = *ParseDate("2026-01-02");
  entry.responsible_org = "LA1";
  entry.contact_in_hours = "01632 960001";
  entry.contact_out_of_hours = "01632 960501";
  entry.allocated_worker = "Sam Worker";
  entry.data_quality = "";
  return entry;
}

TEST_P(StoreContractTest, RegisterEntriesUpsertByLocalIdKeepTheirIdAndRoundTrip) {
  auto work = Begin();
  OrgId la = AddTrust(*work, "LA1");
  Result<std::int64_t> upload =
      work->InsertRegisterUpload({0, la, "full", "cli", T("2026-11-26T09:00:00Z"), 0, 0, 0});
  ASSERT_TRUE(upload.ok()) << upload.status().ToString();
  domain::RegisterEntry entry = RegisterEntryFor(la, "C1");
  Result<domain::RegisterEntryId> id = work->UpsertRegisterEntry(entry, *upload);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  entry.id = *id;
  EXPECT_EQ(*work->GetRegisterEntry(*id), entry);

  domain::RegisterEntry unborn = RegisterEntryFor(la, "U1");
  unborn.nhs_number.reset();
  unborn.birth_date.reset();
  unborn.status = domain::RegisterStatus::kUnbornCpPlan;
  unborn.mother_nhs_number = *NhsNumber::Parse("9999999999");
  unborn.end_date = *ParseDate("2026-12-31");
  unborn.data_quality = "nhs_number: invalid_nhs_number (treated as absent)";
  unborn.id = *work->UpsertRegisterEntry(unborn, *upload);
  EXPECT_EQ(*work->FindRegisterEntry(la, "U1"), unborn);
  EXPECT_FALSE(work->FindRegisterEntry(la, "nobody")->has_value());

  // Replacing keeps the id and every field changes.
  entry.status = domain::RegisterStatus::kLookedAfter;
  entry.plan_category = "";
  entry.end_date = *ParseDate("2026-11-01");
  EXPECT_EQ(*work->UpsertRegisterEntry(entry, *upload), *id);
  EXPECT_EQ(*work->GetRegisterEntry(*id), entry);
  EXPECT_EQ(*work->CountRegisterEntries(la), 2);

  ASSERT_EQ(work->FindRegisterEntriesByNhsNumber(*NhsNumber::Parse("9434765919"))->size(), 1u);
  EXPECT_TRUE(work->FindRegisterEntriesByNhsNumber(*NhsNumber::Parse("9999999999"))->empty());
  ASSERT_EQ(work->FindUnbornEntriesByMother(*NhsNumber::Parse("9999999999"))->size(), 1u);
  std::vector<domain::RegisterEntry> born =
      *work->FindRegisterEntriesBornOn({*ParseDate("2020-04-03"), *ParseDate("2020-03-04")});
  ASSERT_EQ(born.size(), 1u);
  EXPECT_EQ(born[0].local_id, "C1");
  EXPECT_EQ(work->GetRegisterEntry(domain::RegisterEntryId(99999)).status().code(),
            StatusCode::kNotFound);
  ASSERT_TRUE(work->Commit().ok());
}

TEST_P(StoreContractTest, AFullReplacementDeletesOnlyThatAuthoritysUnseenEntries) {
  auto work = Begin();
  EXPECT_EQ(*work->LatestRegisterUploadId(), 0);
  EXPECT_TRUE(work->ListRegisterEntries()->empty());
  OrgId la1 = AddTrust(*work, "LA1");
  OrgId la2 = AddTrust(*work, "LA2");
  std::int64_t first =
      *work->InsertRegisterUpload({0, la1, "full", "cli", T("2026-11-26T09:00:00Z"), 0, 0, 0});
  std::int64_t other =
      *work->InsertRegisterUpload({0, la2, "full", "cli", T("2026-11-26T09:00:00Z"), 0, 0, 0});
  ASSERT_TRUE(work->UpsertRegisterEntry(RegisterEntryFor(la1, "A"), first).ok());
  ASSERT_TRUE(work->UpsertRegisterEntry(RegisterEntryFor(la1, "B"), first).ok());
  ASSERT_TRUE(work->UpsertRegisterEntry(RegisterEntryFor(la2, "A"), other).ok());
  EXPECT_EQ(*work->LatestRegisterUploadId(), other);
  std::vector<domain::RegisterEntry> all = *work->ListRegisterEntries();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].local_id, "A");
  EXPECT_EQ(all[0].owner, la1);
  EXPECT_EQ(all[2].owner, la2);
  RegisterUpload second{0, la1, "full", "cli", T("2026-11-27T09:00:00Z"), 3, 1, 2};
  second.id = *work->InsertRegisterUpload(second);
  ASSERT_TRUE(work->UpsertRegisterEntry(RegisterEntryFor(la1, "B"), second.id).ok());
  EXPECT_EQ(*work->DeleteRegisterEntriesOutside(la1, second.id), 1);
  EXPECT_FALSE(work->FindRegisterEntry(la1, "A")->has_value());
  EXPECT_TRUE(work->FindRegisterEntry(la1, "B")->has_value());
  EXPECT_TRUE(work->FindRegisterEntry(la2, "A")->has_value());
  EXPECT_TRUE(*work->DeleteRegisterEntry(la1, "B"));
  EXPECT_FALSE(*work->DeleteRegisterEntry(la1, "B"));
  EXPECT_EQ(*work->CountRegisterEntries(la1), 0);
  EXPECT_TRUE(work->UpdateRegisterUploadCounts(second).ok());
  second.id = 424242;
  EXPECT_EQ(work->UpdateRegisterUploadCounts(second).code(), StatusCode::kNotFound);
  ASSERT_TRUE(work->Commit().ok());
}

TEST_P(StoreContractTest, RegisterAccessesAlertsAndReviewItemsRoundTrip) {
  auto work = Begin();
  OrgId trust = AddTrust(*work, "T1");
  std::int64_t upload =
      *work->InsertRegisterUpload({0, trust, "full", "cli", T("2026-11-26T09:00:00Z"), 0, 0, 0});
  domain::RegisterEntryId entry = *work->UpsertRegisterEntry(RegisterEntryFor(trust, "C1"), upload);
  for (int i = 0; i < 30; ++i) {
    std::string at = "2026-11-26T10:" + std::string(i < 10 ? "0" : "") + std::to_string(i) + ":00Z";
    ASSERT_TRUE(work->InsertRegisterAccess(
                        {entry, T(at.c_str()), "user:" + std::to_string(i), "lookup", "T1", ""})
                    .ok());
  }
  std::vector<RegisterAccess> last = *work->ListRegisterAccesses(entry, 25);
  ASSERT_EQ(last.size(), 25u);
  EXPECT_EQ(last.front().actor, "user:29");
  EXPECT_EQ(last.back().actor, "user:5");
  EXPECT_EQ(last.front().at, T("2026-11-26T10:29:00Z"));

  AttendanceVersion version;
  version.site_code = "S1";
  version.attendance_id = "A1";
  version.content_hash = "h";
  version.document = "{}";
  version.arrival = T("2026-11-26T08:00:00Z");
  version.received_at = T("2026-11-26T08:01:00Z");
  AttendanceRecordId record = *work->InsertAttendanceVersion(version);
  RegisterAlert alert{0,
                      record,
                      entry,
                      "nhs_number",
                      "review",
                      R"({"status":"cp_plan"})",
                      T("2026-11-26T08:01:00Z")};
  alert.id = *work->InsertRegisterAlert(alert);
  EXPECT_EQ(*work->ListRegisterAlerts(record), std::vector<RegisterAlert>{alert});

  RegisterReviewItem item;
  item.entry = entry;
  item.subject_key = "k1";
  item.subject = R"({"given_name":"Ava"})";
  item.attendance = record;
  item.reviewing_org = trust;
  item.probability = 0.8125;
  item.explanation = "[]";
  item.state = "open";
  item.created_at = T("2026-11-26T08:01:00Z");
  Result<RegisterReviewItem> stored = work->InsertReviewItem(item);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  item.id = stored->id;
  EXPECT_EQ(*stored, item);
  // The same pair again changes nothing and returns the first item.
  RegisterReviewItem again = item;
  again.probability = 0.5;
  EXPECT_EQ(*work->InsertReviewItem(again), item);
  EXPECT_EQ(work->ListOpenReviewItems(trust)->size(), 1u);
  item.state = "decided";
  item.decision = "cannot_link";
  item.first_reviewer = "user:1";
  item.decided_at = T("2026-11-26T11:00:00Z");
  ASSERT_TRUE(work->UpdateReviewItem(item).ok());
  EXPECT_EQ(*work->GetReviewItem(item.id), item);
  EXPECT_EQ(**work->FindReviewItem(entry, "k1"), item);
  EXPECT_TRUE(work->ListOpenReviewItems(trust)->empty());
  EXPECT_EQ(work->GetReviewItem(777).status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(work->Commit().ok());
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
