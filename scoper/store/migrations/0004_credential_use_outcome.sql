-- Whether a credential use succeeded: the service's error code (CloudTrail errorCode, the
-- Kubernetes response status) or NULL for success. Failed calls after exposure are how an
-- attacker probes a stolen key.
ALTER TABLE credential_uses ADD COLUMN outcome VARCHAR;
