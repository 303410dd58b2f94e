-- Step 6b inputs Python fills before the identity edges are built: the names that make up a
-- family's "held" credentials (sts get-caller-identity speaks for AWS_ACCESS_KEY_ID & co.) and
-- the responder's --identities mapping, one row per (credential name -> alias).
CREATE OR REPLACE TEMP TABLE scope_held_names (family VARCHAR, name VARCHAR, kind VARCHAR);

CREATE OR REPLACE TEMP TABLE scope_identity_mapping (
    name VARCHAR, alias_kind VARCHAR, alias_value VARCHAR, source_file VARCHAR,
    source_line INTEGER, fact VARCHAR
);

CREATE OR REPLACE TEMP TABLE scope_iocs (kind VARCHAR, value VARCHAR);
