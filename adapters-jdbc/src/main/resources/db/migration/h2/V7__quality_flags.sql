-- Cohort schema, version 7, H2: a simulation's quality flags.
-- flags: the quality flags local checks found in a completed simulation, as their wire names in
-- flag order joined by commas ("refusal,repetition"); NULL when it has none. One short text, so a
-- batch's flag counts are one GROUP BY over the distinct flag sets.
ALTER TABLE simulations ADD COLUMN flags VARCHAR(400);
