-- Cohort schema, version 2, H2: a simulation's attempt history.
-- attempt_history: the failures a simulation had before it was retried (retry-failed), oldest
-- first, as a JSON array of {"attempt", "error", "finished_at"}; NULL when it never was retried.
ALTER TABLE simulations ADD COLUMN attempt_history CHARACTER LARGE OBJECT;
