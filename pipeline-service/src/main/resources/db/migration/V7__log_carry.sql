-- The end of a step's log that could be the start of a secret, held back until the next append
-- completes or clears it (see LogMask), so a secret split across two chunks is never stored in clear.
ALTER TABLE step ADD COLUMN log_carry BYTEA;
