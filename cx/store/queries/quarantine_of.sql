-- The quarantined rows of a partial upload (raw records as JSON, file column → value).
SELECT "row", record FROM quarantine WHERE upload_id = $upload_id ORDER BY "row"
