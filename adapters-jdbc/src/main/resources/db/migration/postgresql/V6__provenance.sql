-- Cohort schema, version 6, PostgreSQL: provenance and the response cache.
-- cache_hits: answers taken from the response cache (no tokens billed). system_fingerprint: the
-- provider's system_fingerprint, last reported. turns_sha256: SHA-256 of the turns, written when the
-- simulation finishes, so 'cohort batches verify' can tell whether the transcript changed since.
-- finished_by: the worker whose lease finished it.
ALTER TABLE simulations ADD COLUMN cache_hits bigint NOT NULL DEFAULT 0;
ALTER TABLE simulations ADD COLUMN system_fingerprint text;
ALTER TABLE simulations ADD COLUMN turns_sha256 text;
ALTER TABLE simulations ADD COLUMN finished_by text;
ALTER TABLE simulation_rounds ADD COLUMN cache_hits bigint NOT NULL DEFAULT 0;
ALTER TABLE simulation_rounds ADD COLUMN system_fingerprint text;

-- SHA-256 of a batch's stored request and entity snapshot, recorded when it was created.
CREATE TABLE batch_seals (
  batch_id text PRIMARY KEY REFERENCES batches (id) ON DELETE CASCADE,
  request_sha256 text NOT NULL,
  entities_sha256 text NOT NULL
);

-- The response cache: one model answer per key (SHA-256 over endpoint, model, every parameter
-- sent, messages and seed), sealed by sha256 over the key and the answer.
CREATE TABLE response_cache (
  cache_key text PRIMARY KEY,
  answer text NOT NULL,
  finish_reason text,
  model text,
  system_fingerprint text,
  prompt_tokens bigint NOT NULL,
  completion_tokens bigint NOT NULL,
  created_at timestamptz NOT NULL,
  sha256 text NOT NULL
);

-- Which cache entries each batch used, for 'cohort cache export --batch'. No reference to batches:
-- the cache may live in a file of its own.
CREATE TABLE response_cache_uses (
  batch_id text NOT NULL,
  cache_key text NOT NULL,
  first_used_at timestamptz NOT NULL,
  PRIMARY KEY (batch_id, cache_key)
);
