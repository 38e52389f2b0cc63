-- Cohort schema, version 10, PostgreSQL: the model a simulation was planned for (models as a factor).
-- planned_model: the registry name of the model its batch assigned it (request field models); NULL
-- when its batch runs on the one model. The model column keeps what the provider reported.
ALTER TABLE simulations ADD COLUMN planned_model text;
