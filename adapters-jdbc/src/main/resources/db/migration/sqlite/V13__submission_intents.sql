-- Cohort schema, version 13, SQLite: provider jobs about to be submitted (execution batch_api).
-- One row per job a coordinator is about to submit, written before the submission and deleted once
-- the job is stored in provider_jobs. A row left behind by a process that died in between is
-- looked up at the provider by its key (the job's cohort_submission metadata), so the job is
-- adopted instead of submitted twice.
-- custom_ids: the ids of the job's requests, one a line. created_at: ISO-8601, when it was written.
-- created_order: the intent's place among the batch's intents.
CREATE TABLE submission_intents (
  batch_id TEXT NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
  submission_key TEXT NOT NULL,
  created_order INTEGER NOT NULL,
  custom_ids TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (batch_id, submission_key)
);
