-- The template settings a deployment asked for (environment variable → value), passed to its service.
ALTER TABLE platform.deployments ADD COLUMN settings jsonb NOT NULL DEFAULT '{}'::jsonb;
