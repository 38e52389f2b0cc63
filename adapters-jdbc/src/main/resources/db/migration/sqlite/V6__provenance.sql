-- Cohort schema, version 6, SQLite: provenance and the response cache.
-- cache_hits: answers taken from the response cache (no tokens billed). system_fingerprint: the
-- provider's system_fingerprint, last reported. turns_sha256: SHA-256 of the turns, written when the
-- simulation finishes, so 'cohort batches verify' can tell whether the transcript changed since.
-- finished_by: the worker whose lease finished it.
ALTER TABLE simulations ADD COLUMN cache_hits INTEGER NOT NULL DEFAULT 0;
ALTER TABLE simulations ADD COLUMN system_fingerprint TEXT;
ALTER TABLE simulations ADD COLUMN turns_sha256 TEXT;
ALTER TABLE simulations ADD COLUMN finished_by TEXT;
ALTER TABLE simulation_rounds ADD COLUMN cache_hits INTEGER NOT NULL DEFAULT 0;
ALTER TABLE simulation_rounds ADD COLUMN system_fingerprint TEXT;

-- SHA-256 of a batch's stored request and entity snapshot, recorded when it was created.
CREATE TABLE batch_seals (
  batch_id TEXT PRIMARY KEY REFERENCES batches (id) ON DELETE CASCADE,
  request_sha256 TEXT NOT NULL,
  entities_sha256 TEXT NOT NULL
);

-- The response cache: one model answer per key (SHA-256 over endpoint, model, every parameter
-- sent, messages and seed), sealed by sha256 over the key and the answer.
CREATE TABLE response_cache (
  cache_key TEXT PRIMARY KEY,
  answer TEXT NOT NULL,
  finish_reason TEXT,
  model TEXT,
  system_fingerprint TEXT,
  prompt_tokens INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  sha256 TEXT NOT NULL
);

-- Which cache entries each batch used, for 'cohort cache export --batch'. No reference to batches:
-- the cache may live in a file of its own.
CREATE TABLE response_cache_uses (
  batch_id TEXT NOT NULL,
  cache_key TEXT NOT NULL,
  first_used_at TEXT NOT NULL,
  PRIMARY KEY (batch_id, cache_key)
);
