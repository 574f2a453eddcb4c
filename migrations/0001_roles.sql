-- Roles are cluster-wide: every database migrated in the same cluster (parallel tests do
-- exactly that) must find them created once and tolerate a concurrent creator.
DO $roles$
DECLARE
    role_name text;
BEGIN
    FOREACH role_name IN ARRAY ARRAY[
        'gsess_owner',                      -- owns the schema and its objects; nobody logs in as it
        'gsess_force',                      -- owns the forced-correction function only
        'clinical.group-session.read',
        'clinical.attendance.write',
        'clinical.attendance.write.force',
        'clinical.billing.run',
        'gsess.admin'
    ] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', role_name);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL; -- another migrator created it between our check and our CREATE
            END;
        END IF;
    END LOOP;
END
$roles$;

-- Every scope implies reading what it acts on: a writer sees the rows it marks, the billing
-- run reads the sessions it prices. Role membership is cluster-wide, hence the guard.
DO $grants$
DECLARE
    scope text;
BEGIN
    FOREACH scope IN ARRAY ARRAY['clinical.attendance.write', 'clinical.attendance.write.force',
                                 'clinical.billing.run', 'gsess.admin'] LOOP
        IF NOT pg_has_role(scope, 'clinical.group-session.read', 'MEMBER') THEN
            BEGIN
                EXECUTE format('GRANT %I TO %I', 'clinical.group-session.read', scope);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;
            END;
        END IF;
    END LOOP;
END
$grants$;

-- The schema belongs to the NOLOGIN owner, so no person's login owns the data.
ALTER SCHEMA public OWNER TO gsess_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO PUBLIC;
-- `gsess` refuses to run with pending migrations; any login may ask which are applied.
GRANT SELECT ON _sqlx_migrations TO PUBLIC;
-- Functions PostgreSQL would otherwise let PUBLIC execute: our future ones too.
ALTER DEFAULT PRIVILEGES FOR ROLE gsess_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE gsess_force REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
-- Band overlap is refused by an exclusion constraint over (payer, state, group type, dates,
-- sizes), which needs btree_gist; it lives in its own schema so `public` holds only ours.
CREATE SCHEMA IF NOT EXISTS gsess_ext;
CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA gsess_ext;
