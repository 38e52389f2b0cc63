-- Cohort schema, version 1, SQLite.
-- Timestamps are ISO-8601 UTC text with six fraction digits ('2026-01-02T03:04:05.678000Z'):
-- they sort as time does and read directly from Python, R or DuckDB. JSON columns hold text.

CREATE TABLE entities (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT,
  attributes TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- request: every field of the batch request as JSON (snake_case names, seed filled in).
-- entities: the pool's entities as they were when the batch was created, as a JSON array.
CREATE TABLE batches (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT,
  context TEXT NOT NULL,
  status TEXT NOT NULL,
  request TEXT NOT NULL,
  entities TEXT NOT NULL,
  requested_simulations INTEGER NOT NULL,
  planned_simulations INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT,
  error TEXT
);

CREATE INDEX batches_by_creation ON batches (created_at, id);
CREATE INDEX batches_by_status ON batches (status, created_at);

-- One row per simulation. lease_owner, lease_expires_at and version form the lease a worker
-- holds while it runs the simulation; every write of a worker checks owner and version.
-- content is the rendered transcript, written when the simulation finishes.
CREATE TABLE simulations (
  id TEXT PRIMARY KEY,
  batch_id TEXT NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
  sequence_number INTEGER NOT NULL,
  entity_ids TEXT NOT NULL,
  speaking_order TEXT NOT NULL,
  interaction_type TEXT NOT NULL,
  status TEXT NOT NULL,
  error TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  prompt_tokens INTEGER NOT NULL DEFAULT 0,
  completion_tokens INTEGER NOT NULL DEFAULT 0,
  cached_tokens INTEGER NOT NULL DEFAULT 0,
  model TEXT,
  final_turn_number INTEGER NOT NULL,
  content TEXT,
  lease_owner TEXT,
  lease_expires_at TEXT,
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT,
  UNIQUE (batch_id, sequence_number)
);

-- Claims scan a batch's pending and running simulations in sequence order; counts group by status.
CREATE INDEX simulations_by_status ON simulations (batch_id, status, sequence_number);

-- One row per finished round: its turns as a JSON array and the tokens it cost.
CREATE TABLE simulation_rounds (
  simulation_id TEXT NOT NULL REFERENCES simulations (id) ON DELETE CASCADE,
  round INTEGER NOT NULL,
  turns TEXT NOT NULL,
  prompt_tokens INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  cached_tokens INTEGER NOT NULL,
  model TEXT,
  recorded_at TEXT NOT NULL,
  PRIMARY KEY (simulation_id, round)
);
