-- Uploads made after $id and not undone that wrote to a wave $id wrote (replacing it or
-- adding to it), latest first: undoing $id before them would mix its wave's rows.
SELECT l.upload_id
FROM uploads u
JOIN uploads l ON (l.uploaded_at, l.upload_id) > (u.uploaded_at, u.upload_id)
WHERE u.upload_id = $id
  AND l.undone_at IS NULL
  AND len(list_intersect(l.waves, u.waves)) > 0
ORDER BY l.uploaded_at DESC, l.upload_id DESC
