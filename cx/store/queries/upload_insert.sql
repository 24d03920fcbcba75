-- One entry of the upload log (see `uploads` in schema.sql).
INSERT INTO uploads VALUES (
    $upload_id, $file_name, $sha256, $size_bytes, now()::TIMESTAMP, $waves, $mode, $source,
    $encoding, $delimiter, $sheet, $header_rows, $mapping, $rows_total, $rows_committed,
    $rows_quarantined, $rows_replaced, $status, NULL
)
