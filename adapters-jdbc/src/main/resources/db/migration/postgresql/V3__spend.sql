-- Cohort schema, version 3, PostgreSQL: what each simulation's calls cost.
-- calls: how many model calls answered (re-asks and unused answers included); 0 for rows stored
-- before this version.
-- cost_usd: what those calls cost in US dollars, each priced by the model the provider named;
-- NULL when unknown (a call's model had no price, or the row was stored before costs were recorded).
ALTER TABLE simulations ADD COLUMN calls bigint NOT NULL DEFAULT 0;
ALTER TABLE simulations ADD COLUMN cost_usd double precision;

-- The budget's ledger. spent_usd and spent_tokens: what the batch's settled calls spent, across
-- every worker. A worker reserves a call's estimated spend before it starts the call and settles
-- it after; a reservation counts only while the lease it was taken under (lease_owner and
-- lease_version on the simulation) is live, so a crashed worker's reservation expires with its lease.
ALTER TABLE batches ADD COLUMN spent_usd double precision NOT NULL DEFAULT 0;
ALTER TABLE batches ADD COLUMN spent_tokens bigint NOT NULL DEFAULT 0;
CREATE TABLE spend_reservations (
  simulation_id text PRIMARY KEY REFERENCES simulations (id) ON DELETE CASCADE,
  batch_id text NOT NULL,
  lease_owner text NOT NULL,
  lease_version bigint NOT NULL,
  cost_usd double precision NOT NULL,
  tokens bigint NOT NULL
);
CREATE INDEX spend_reservations_by_batch ON spend_reservations (batch_id);
