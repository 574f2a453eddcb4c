-- The audit log is shown oldest first: by time, then by id among entries of one instant.
-- With the id in the time index, the tail of the log since a time (`gsess audit --since`)
-- comes off the index already in that order, streamed as it is read: no sort of a busy day's
-- entries, which spilled to disk.
SET LOCAL ROLE gsess_owner;
DROP INDEX audit_log_at;
CREATE INDEX audit_log_at ON audit_log (at, id);
RESET ROLE;
