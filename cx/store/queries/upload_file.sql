-- The original bytes of an upload, part by part (join them in order).
SELECT content, codec FROM upload_files WHERE upload_id = $upload_id ORDER BY part
