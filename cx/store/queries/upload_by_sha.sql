-- A live (not undone) upload with these exact bytes, if any. Files of another size are not
-- looked at: a new file is not kept waiting for its SHA-256 (see Upload.scan_in_background).
SELECT upload_id, file_name, uploaded_at FROM uploads
WHERE size_bytes = $size AND sha256 = $sha256 AND undone_at IS NULL
ORDER BY uploaded_at
LIMIT 1
