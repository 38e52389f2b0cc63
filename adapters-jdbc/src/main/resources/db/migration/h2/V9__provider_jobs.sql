-- Cohort schema, version 9, H2: provider batch jobs (execution batch_api).
-- One row per job a batch submitted to the provider's batch API, written as soon as the provider
-- accepted it, so a restarted process polls it instead of submitting its rounds again.
-- custom_ids: the ids of the job's requests, one a line (each names simulation, round, re-ask, try).
-- submitted_order: the job's place among the batch's jobs. applied: 1 once its answers are stored.
CREATE TABLE provider_jobs (
  batch_id VARCHAR(200) NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
  job_id VARCHAR(200) NOT NULL,
  submitted_order BIGINT NOT NULL,
  state VARCHAR(1000) NOT NULL,
  input_file_id VARCHAR(1000) NOT NULL,
  output_file_id VARCHAR(1000),
  error_file_id VARCHAR(1000),
  total BIGINT NOT NULL,
  completed BIGINT NOT NULL,
  failed BIGINT NOT NULL,
  custom_ids CHARACTER LARGE OBJECT NOT NULL,
  submitted_at VARCHAR(1000) NOT NULL,
  applied BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (batch_id, job_id)
);
