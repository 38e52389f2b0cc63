-- Cohort schema, version 11, SQLite: live workers sharing a provider limit.
-- One row per worker pacing its model calls under a limit key (the model and its endpoint); each
-- worker paces at the limit divided by the workers whose heartbeat is recent enough.
-- heartbeat_millis: the worker's last heartbeat, epoch milliseconds by the worker's clock (a plain
-- number: compared with a cutoff the worker computes, the same in every dialect).
CREATE TABLE worker_heartbeats (
  limit_key TEXT NOT NULL,
  worker_id TEXT NOT NULL,
  heartbeat_millis INTEGER NOT NULL,
  PRIMARY KEY (limit_key, worker_id)
);
