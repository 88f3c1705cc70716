-- Build parameters of a pipeline (Drone's restart parameters): shown on the build, given to every
-- step as environment variables. Kept on the pipeline row because they belong to that one run.
ALTER TABLE pipeline ADD COLUMN params JSONB NOT NULL DEFAULT '{}';
