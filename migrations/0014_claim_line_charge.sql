-- A charge's claim (`gsess encounters`, a correction's consequence) is found from its claim
-- lines by the charge. Without an index on it, each charge walked its facility's lines from
-- the newest claim back to its own: a member's 19 charges read 9,800 pages on the
-- benchmark's three years of history, and more every year.
SET LOCAL ROLE gsess_owner;
CREATE INDEX claim_line_charge ON claim_line (facility_id, charge_id);
RESET ROLE;
