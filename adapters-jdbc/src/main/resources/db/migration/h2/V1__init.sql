-- Cohort schema, version 1, H2.
-- Long texts and JSON are character large objects; timestamps carry their UTC offset.

CREATE TABLE entities (
  id VARCHAR(200) PRIMARY KEY,
  name CHARACTER LARGE OBJECT NOT NULL,
  description CHARACTER LARGE OBJECT,
  attributes CHARACTER LARGE OBJECT NOT NULL,
  updated_at TIMESTAMP(6) WITH TIME ZONE NOT NULL
);

-- request: every field of the batch request as JSON (snake_case names, seed filled in).
-- entities: the pool's entities as they were when the batch was created, as a JSON array.
CREATE TABLE batches (
  id VARCHAR(200) PRIMARY KEY,
  name VARCHAR(1000) NOT NULL,
  description CHARACTER LARGE OBJECT,
  context CHARACTER LARGE OBJECT NOT NULL,
  status VARCHAR(20) NOT NULL,
  request CHARACTER LARGE OBJECT NOT NULL,
  entities CHARACTER LARGE OBJECT NOT NULL,
  requested_simulations BIGINT NOT NULL,
  planned_simulations BIGINT NOT NULL,
  created_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  started_at TIMESTAMP(6) WITH TIME ZONE,
  finished_at TIMESTAMP(6) WITH TIME ZONE,
  error CHARACTER LARGE OBJECT
);

CREATE INDEX batches_by_creation ON batches (created_at, id);
CREATE INDEX batches_by_status ON batches (status, created_at);

-- One row per simulation. lease_owner, lease_expires_at and version form the lease a worker
-- holds while it runs the simulation; every write of a worker checks owner and version.
-- content is the rendered transcript, written when the simulation finishes.
CREATE TABLE simulations (
  id VARCHAR(200) PRIMARY KEY,
  batch_id VARCHAR(200) NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
  sequence_number INTEGER NOT NULL,
  entity_ids CHARACTER LARGE OBJECT NOT NULL,
  speaking_order CHARACTER LARGE OBJECT NOT NULL,
  interaction_type VARCHAR(20) NOT NULL,
  status VARCHAR(20) NOT NULL,
  error CHARACTER LARGE OBJECT,
  attempts INTEGER DEFAULT 0 NOT NULL,
  prompt_tokens BIGINT DEFAULT 0 NOT NULL,
  completion_tokens BIGINT DEFAULT 0 NOT NULL,
  cached_tokens BIGINT DEFAULT 0 NOT NULL,
  model VARCHAR(1000),
  final_turn_number INTEGER NOT NULL,
  content CHARACTER LARGE OBJECT,
  lease_owner VARCHAR(1000),
  lease_expires_at TIMESTAMP(6) WITH TIME ZONE,
  version BIGINT DEFAULT 0 NOT NULL,
  created_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  started_at TIMESTAMP(6) WITH TIME ZONE,
  finished_at TIMESTAMP(6) WITH TIME ZONE,
  UNIQUE (batch_id, sequence_number)
);

-- Claims scan a batch's pending and running simulations in sequence order; counts group by status.
CREATE INDEX simulations_by_status ON simulations (batch_id, status, sequence_number);

-- One row per finished round: its turns as a JSON array and the tokens it cost.
CREATE TABLE simulation_rounds (
  simulation_id VARCHAR(200) NOT NULL REFERENCES simulations (id) ON DELETE CASCADE,
  round INTEGER NOT NULL,
  turns CHARACTER LARGE OBJECT NOT NULL,
  prompt_tokens BIGINT NOT NULL,
  completion_tokens BIGINT NOT NULL,
  cached_tokens BIGINT NOT NULL,
  model VARCHAR(1000),
  recorded_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  PRIMARY KEY (simulation_id, round)
);
