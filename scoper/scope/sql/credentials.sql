-- Exposed credentials, one row per (key, holder), with the key's names and exposure.
SELECT k.cred_key, k.name, k.kind, k.fingerprint, k.confidence, k.first_exposed,
       r.session_id, r.host, r.source_file, r.source_line, r.fact
FROM scope_credential_keys AS k
JOIN scope_credential_rows AS r ON r.cred_key = k.cred_key
ORDER BY k.cred_key, r.n;
