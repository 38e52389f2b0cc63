-- Cohort schema, version 15, PostgreSQL: the model of each provider batch job (Batch API per provider).
-- model: the registry name of the model whose provider runs the job (every request of a job is for
-- one model), so a resumed run polls each job at its own provider; NULL for the one model.
ALTER TABLE provider_jobs ADD COLUMN model text;
