-- Cohort schema, version 12, H2: the coordinator lease of a batch_api batch.
-- One row per batch some worker coordinates (or did, until its lease expired): only the holder
-- claims the batch's simulations and submits their rounds as provider jobs, so two processes never
-- submit one round twice. lease_expires_at comes from the database clock, as for simulation leases;
-- another worker takes the batch over once it has passed. Released leases are deleted.
CREATE TABLE batch_coordinators (
  batch_id VARCHAR(200) NOT NULL PRIMARY KEY REFERENCES batches (id) ON DELETE CASCADE,
  lease_owner VARCHAR(1000) NOT NULL,
  lease_expires_at TIMESTAMP(6) WITH TIME ZONE NOT NULL
);
