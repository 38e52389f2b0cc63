-- Cohort schema, version 9, SQLite: provider batch jobs (execution batch_api).
-- One row per job a batch submitted to the provider's batch API, written as soon as the provider
-- accepted it, so a restarted process polls it instead of submitting its rounds again.
-- custom_ids: the ids of the job's requests, one a line (each names simulation, round, re-ask, try).
-- submitted_order: the job's place among the batch's jobs. applied: 1 once its answers are stored.
CREATE TABLE provider_jobs (
  batch_id TEXT NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
  job_id TEXT NOT NULL,
  submitted_order INTEGER NOT NULL,
  state TEXT NOT NULL,
  input_file_id TEXT NOT NULL,
  output_file_id TEXT,
  error_file_id TEXT,
  total INTEGER NOT NULL,
  completed INTEGER NOT NULL,
  failed INTEGER NOT NULL,
  custom_ids TEXT NOT NULL,
  submitted_at TEXT NOT NULL,
  applied INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (batch_id, job_id)
);
