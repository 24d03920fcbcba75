-- How many live (not undone) uploads had this size: only then can a file be one of them.
SELECT count(*) AS n FROM uploads WHERE size_bytes = $size AND undone_at IS NULL
