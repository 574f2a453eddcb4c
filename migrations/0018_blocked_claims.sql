-- `gsess claims --blocked`, the work list: claims not yet sent with an unaccepted BLOCKING
-- issue. With room to hash, the planner matched the unsent claims against every issue ever
-- stored (a sequential scan of claim_issue, which only grows); the blocking ones are few and
-- stay few, and this index holds only them.
SET LOCAL ROLE gsess_owner;
CREATE INDEX claim_issue_blocking ON claim_issue (facility_id, claim_id)
    WHERE severity = 'BLOCKING' AND NOT accepted;
RESET ROLE;
