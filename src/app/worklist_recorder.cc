#include "app/worklist_recorder.h"

namespace liaison::app {

Result<std::unique_ptr<WorklistRecorder>> WorklistRecorder::Begin(storage::Store& store,
                                                                  const AuditLog& audit,
                                                                  const Clock& clock, Actor actor,
                                                                  storage::WorklistRun run) {
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store, audit));
  run.created_at = clock.Now();
  run.item_count = 0;
  ASSIGN_OR_RETURN(std::int64_t run_id, work.store().InsertWorklistRun(run));
  return std::unique_ptr<WorklistRecorder>(
      new WorklistRecorder(std::move(work), std::move(actor), run_id));
}

Status WorklistRecorder::Add(storage::WorklistEntry entry) {
  entry.position = ++count_;
  return work_.store().InsertWorklistEntry(run_id_, entry);
}

Result<std::int64_t> WorklistRecorder::Commit() {
  RETURN_IF_ERROR(work_.store().FinishWorklistRun(run_id_, count_));
  RETURN_IF_ERROR(work_.Append(
      {actor_.id, "worklist.create", "worklist_run", std::to_string(run_id_), actor_.reason}));
  RETURN_IF_ERROR(work_.Commit());
  return run_id_;
}

}  // namespace liaison::app
