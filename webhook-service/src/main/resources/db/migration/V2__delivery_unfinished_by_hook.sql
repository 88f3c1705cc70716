-- The claim keeps a non-parallel hook in event order by asking, for each due row, whether the hook
-- has an older unfinished one. Without this index that probe reads the hook's whole history
-- (delivery_by_hook covers every status), once per candidate row: quadratic in a backlog.
CREATE INDEX delivery_unfinished_by_hook ON delivery (hook_id, id) WHERE status IN ('pending', 'retrying');
