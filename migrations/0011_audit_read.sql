-- `gsess audit --actor LOGIN`: what one login did. The other filters have their index
-- (session, claim, member, time); without this one, asking about a login reads the whole
-- log, which only ever grows. Few logins, many entries each: the index deduplicates well.
SET LOCAL ROLE gsess_owner;
CREATE INDEX audit_log_actor ON audit_log (actor);
RESET ROLE;
