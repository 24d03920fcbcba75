-- The problems of a partial upload's quarantined rows (reasons are codes, translated when shown).
SELECT "row", "column", value, reason, params FROM upload_problems
WHERE upload_id = $upload_id
ORDER BY "row", "column"
