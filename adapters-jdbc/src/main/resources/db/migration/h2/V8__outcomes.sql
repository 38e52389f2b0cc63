-- Cohort schema, version 8, H2: a simulation's declared outcomes, as extracted.
-- outcomes: the extracted values by outcome name, as a JSON object (a per-participant outcome is an
-- object keyed by entity id); NULL before extraction or when it failed.
-- outcome_error: why the last extraction failed; NULL when it did not.
-- outcome_extraction: the model and prompt of the last extraction, as JSON {"model", "prompt"}.
ALTER TABLE simulations ADD COLUMN outcomes CHARACTER LARGE OBJECT;
ALTER TABLE simulations ADD COLUMN outcome_error CHARACTER LARGE OBJECT;
ALTER TABLE simulations ADD COLUMN outcome_extraction CHARACTER LARGE OBJECT;
