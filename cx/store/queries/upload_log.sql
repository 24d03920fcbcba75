-- The upload log, newest first (the original bytes stay in upload_files).
SELECT upload_id, uploaded_at, file_name, source, waves, mode, rows_total, rows_committed,
       rows_quarantined, rows_replaced, CASE WHEN undone_at IS NULL THEN status ELSE 'undone' END
       AS status, undone_at, sha256, size_bytes, encoding, delimiter, sheet, header_rows, mapping
FROM uploads
ORDER BY uploaded_at DESC, upload_id DESC
