-- The columns of an upload that matched no question, kept with it.
SELECT "row", respondent_id, "column", value FROM upload_extras
WHERE upload_id = $upload_id
ORDER BY "row", "column"
