-- Cohort schema, version 1, PostgreSQL.
-- Timestamps are timestamptz; JSON columns are jsonb, so they can be queried with ->, ->> and @>.

CREATE TABLE entities (
  id text PRIMARY KEY,
  name text NOT NULL,
  description text,
  attributes jsonb NOT NULL,
  updated_at timestamptz NOT NULL
);

-- request: every field of the batch request as JSON (snake_case names, seed filled in).
-- entities: the pool's entities as they were when the batch was created, as a JSON array.
CREATE TABLE batches (
  id text PRIMARY KEY,
  name text NOT NULL,
  description text,
  context text NOT NULL,
  status text NOT NULL,
  request jsonb NOT NULL,
  entities jsonb NOT NULL,
  requested_simulations bigint NOT NULL,
  planned_simulations bigint NOT NULL,
  created_at timestamptz NOT NULL,
  started_at timestamptz,
  finished_at timestamptz,
  error text
);

CREATE INDEX batches_by_creation ON batches (created_at, id);
CREATE INDEX batches_by_status ON batches (status, created_at);

-- One row per simulation. lease_owner, lease_expires_at and version form the lease a worker
-- holds while it runs the simulation; every write of a worker checks owner and version.
-- content is the rendered transcript, written when the simulation finishes.
CREATE TABLE simulations (
  id text PRIMARY KEY,
  batch_id text NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
  sequence_number integer NOT NULL,
  entity_ids jsonb NOT NULL,
  speaking_order jsonb NOT NULL,
  interaction_type text NOT NULL,
  status text NOT NULL,
  error text,
  attempts integer NOT NULL DEFAULT 0,
  prompt_tokens bigint NOT NULL DEFAULT 0,
  completion_tokens bigint NOT NULL DEFAULT 0,
  cached_tokens bigint NOT NULL DEFAULT 0,
  model text,
  final_turn_number integer NOT NULL,
  content text,
  lease_owner text,
  lease_expires_at timestamptz,
  version bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  started_at timestamptz,
  finished_at timestamptz,
  UNIQUE (batch_id, sequence_number)
);

-- Claims scan a batch's pending and running simulations in sequence order; counts group by status.
CREATE INDEX simulations_by_status ON simulations (batch_id, status, sequence_number);

-- One row per finished round: its turns as a JSON array and the tokens it cost.
CREATE TABLE simulation_rounds (
  simulation_id text NOT NULL REFERENCES simulations (id) ON DELETE CASCADE,
  round integer NOT NULL,
  turns jsonb NOT NULL,
  prompt_tokens bigint NOT NULL,
  completion_tokens bigint NOT NULL,
  cached_tokens bigint NOT NULL,
  model text,
  recorded_at timestamptz NOT NULL,
  PRIMARY KEY (simulation_id, round)
);
