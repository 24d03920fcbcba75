-- A live (not undone) upload with these exact bytes, if any.
SELECT upload_id, file_name, uploaded_at FROM uploads
WHERE sha256 = $sha256 AND undone_at IS NULL
ORDER BY uploaded_at
LIMIT 1
