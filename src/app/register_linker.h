// The probabilistic linker (src/linkage/) plugged into the register's matcher: a
// linkage::RegisterIndex built from every register entry that describes a born child, kept in
// a LiveRegisterIndex. Its `match` band raises an alert, its `potential` band goes to the
// review queue (docs/register.md, decision 0019).
//
// Freshness: the index remembers the newest register upload it was built from; Link() reads
// the newest upload id in the caller's unit of work (one primary-key lookup) and, when an
// upload has committed since (in this process or another, e.g. `liaison import register`
// beside `serve`), rebuilds the index first from the same unit of work. The rebuild costs one
// full build (about a second for 150,000 entries) on the first link after an upload.
// Thread-safe: readers use a snapshot; one rebuild runs at a time.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "app/register_matcher.h"
#include "linkage/model.h"
#include "linkage/register_index.h"
#include "storage/store.h"

namespace liaison::app {

class IndexedRegisterLinker final : public DemographicLinker {
 public:
  // Builds the index from the store's entries with `model` (the shipped model when null).
  static Result<std::shared_ptr<IndexedRegisterLinker>> Build(
      storage::Store& store, std::shared_ptr<const linkage::Model> model = nullptr);

  Result<std::vector<LinkedEntry>> Link(storage::UnitOfWork& work,
                                        const RegisterQuery& query) const override;

  // Entries in the current index.
  std::size_t size() const { return live_.Current()->size(); }

 private:
  IndexedRegisterLinker(std::shared_ptr<const linkage::Model> model,
                        std::shared_ptr<const linkage::RegisterIndex> index, std::int64_t upload)
      : model_(std::move(model)), live_(std::move(index)), built_from_upload_(upload) {}
  // The current index, rebuilt first when `work` sees a newer upload.
  Result<std::shared_ptr<const linkage::RegisterIndex>> Fresh(storage::UnitOfWork& work) const;

  const std::shared_ptr<const linkage::Model> model_;
  // Mutable: replaced when stale, under rebuild_; LiveRegisterIndex is itself thread-safe.
  mutable linkage::LiveRegisterIndex live_;
  mutable std::mutex rebuild_;
  mutable std::atomic<std::int64_t> built_from_upload_;
};

// The matcher with the linker plugged in, built from `store`.
Result<std::shared_ptr<const RegisterMatcher>> MakeLinkingRegisterMatcher(storage::Store& store);

}  // namespace liaison::app
