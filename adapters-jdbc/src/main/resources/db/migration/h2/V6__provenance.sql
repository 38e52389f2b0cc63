-- Cohort schema, version 6, H2: provenance and the response cache.
-- cache_hits: answers taken from the response cache (no tokens billed). system_fingerprint: the
-- provider's system_fingerprint, last reported. turns_sha256: SHA-256 of the turns, written when the
-- simulation finishes, so 'cohort batches verify' can tell whether the transcript changed since.
-- finished_by: the worker whose lease finished it.
ALTER TABLE simulations ADD COLUMN cache_hits BIGINT NOT NULL DEFAULT 0;
ALTER TABLE simulations ADD COLUMN system_fingerprint VARCHAR(1000);
ALTER TABLE simulations ADD COLUMN turns_sha256 VARCHAR(1000);
ALTER TABLE simulations ADD COLUMN finished_by VARCHAR(1000);
ALTER TABLE simulation_rounds ADD COLUMN cache_hits BIGINT NOT NULL DEFAULT 0;
ALTER TABLE simulation_rounds ADD COLUMN system_fingerprint VARCHAR(1000);

-- SHA-256 of a batch's stored request and entity snapshot, recorded when it was created.
CREATE TABLE batch_seals (
  batch_id VARCHAR(200) PRIMARY KEY REFERENCES batches (id) ON DELETE CASCADE,
  request_sha256 VARCHAR(1000) NOT NULL,
  entities_sha256 VARCHAR(1000) NOT NULL
);

-- The response cache: one model answer per key (SHA-256 over endpoint, model, every parameter
-- sent, messages and seed), sealed by sha256 over the key and the answer.
CREATE TABLE response_cache (
  cache_key VARCHAR(64) PRIMARY KEY,
  answer CHARACTER LARGE OBJECT NOT NULL,
  finish_reason VARCHAR(1000),
  model VARCHAR(1000),
  system_fingerprint VARCHAR(1000),
  prompt_tokens BIGINT NOT NULL,
  completion_tokens BIGINT NOT NULL,
  created_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  sha256 VARCHAR(1000) NOT NULL
);

-- Which cache entries each batch used, for 'cohort cache export --batch'. No reference to batches:
-- the cache may live in a file of its own.
CREATE TABLE response_cache_uses (
  batch_id VARCHAR(200) NOT NULL,
  cache_key VARCHAR(64) NOT NULL,
  first_used_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  PRIMARY KEY (batch_id, cache_key)
);
