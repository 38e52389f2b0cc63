-- Cohort schema, version 9, PostgreSQL: provider batch jobs (execution batch_api).
-- One row per job a batch submitted to the provider's batch API, written as soon as the provider
-- accepted it, so a restarted process polls it instead of submitting its rounds again.
-- custom_ids: the ids of the job's requests, one a line (each names simulation, round, re-ask, try).
-- submitted_order: the job's place among the batch's jobs. applied: 1 once its answers are stored.
CREATE TABLE provider_jobs (
  batch_id text NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
  job_id text NOT NULL,
  submitted_order bigint NOT NULL,
  state text NOT NULL,
  input_file_id text NOT NULL,
  output_file_id text,
  error_file_id text,
  total bigint NOT NULL,
  completed bigint NOT NULL,
  failed bigint NOT NULL,
  custom_ids text NOT NULL,
  submitted_at text NOT NULL,
  applied bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (batch_id, job_id)
);
