-- Tables other than `responses` (whose columns come from the questionnaire).
CREATE TABLE IF NOT EXISTS meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);
-- Anonymous code per company. Unique by construction (cx/store/queries/assign_company_codes.sql adds
-- only new companies, numbered after the highest code ever issued, in a random order); no
-- index: keeping two indexes over a million companies cost seconds per upload.
CREATE TABLE IF NOT EXISTS companies (
    company VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    company_key VARCHAR  -- how the name is compared (cx.naming.company_key); set for every row
);
-- A private code per company: a manager who enters it sees their own company by name. Unique
-- by construction too (Store._assign_access_codes draws codes not yet taken).
CREATE TABLE IF NOT EXISTS company_access (
    company VARCHAR NOT NULL,
    access_code VARCHAR NOT NULL
);
-- Codes taken out of use when codes were re-issued (schema 4, `python -m cx reissue-codes`):
-- an old anonymous code (kind 'company') names no company, an old access code (kind 'access')
-- opens none, and neither is ever issued again.
CREATE TABLE IF NOT EXISTS retired_codes (
    code VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    retired_at TIMESTAMP NOT NULL
);
-- How each question was asked in each wave (text, type, options), recorded when the wave's
-- answers are first loaded: trends warn when a question changed between waves.
CREATE TABLE IF NOT EXISTS wave_questions (
    wave INTEGER NOT NULL,
    question_id VARCHAR NOT NULL,
    signature VARCHAR NOT NULL,
    PRIMARY KEY (wave, question_id)
);
-- Analysts' edits of the themes of a free-text question (cx/themes/edits.py): a theme renamed
-- (label_it, label_en) or merged into `target`; applied in the order made, never rewritten.
CREATE TABLE IF NOT EXISTS theme_edits (
    question_id VARCHAR NOT NULL,
    theme VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    target VARCHAR,
    label_it VARCHAR,
    label_en VARCHAR,
    edited_at TIMESTAMP NOT NULL
);
-- Uploads (Carica dati): every file ever loaded, with what was done to it. Undo marks an entry
-- (`undone_at`), never deletes it. Statuses: committed | partial (rows with problems quarantined).
CREATE TABLE IF NOT EXISTS uploads (
    upload_id VARCHAR PRIMARY KEY,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    size_bytes BIGINT NOT NULL,
    uploaded_at TIMESTAMP NOT NULL,
    waves INTEGER[] NOT NULL,
    mode VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    encoding VARCHAR,
    delimiter VARCHAR,
    sheet VARCHAR,
    header_rows INTEGER NOT NULL,
    mapping VARCHAR NOT NULL,
    rows_total INTEGER NOT NULL,
    rows_committed INTEGER NOT NULL,
    rows_quarantined INTEGER NOT NULL,
    rows_replaced INTEGER NOT NULL,
    status VARCHAR NOT NULL,
    undone_at TIMESTAMP
);
-- The original bytes of every upload, in parts of 16 MB (kept apart so that listing the log
-- never reads them; in parts so that a 360 MB file never needs one 360 MB block of memory).
CREATE TABLE IF NOT EXISTS upload_files (
    upload_id VARCHAR NOT NULL,
    part INTEGER NOT NULL,
    content BLOB NOT NULL,
    codec VARCHAR NOT NULL,  -- zstd (zlib before): joined parts are one stream; raw: as received
    PRIMARY KEY (upload_id, part)
);
-- Rows with problems accepted in a partial import: the raw record (JSON, file column → value).
CREATE TABLE IF NOT EXISTS quarantine (
    upload_id VARCHAR NOT NULL,
    "row" INTEGER NOT NULL,
    record VARCHAR NOT NULL,
    PRIMARY KEY (upload_id, "row")
);
-- The problems of those rows: reason code and its parameters (JSON), translated when shown.
CREATE TABLE IF NOT EXISTS upload_problems (
    upload_id VARCHAR NOT NULL,
    "row" INTEGER NOT NULL,
    "column" VARCHAR NOT NULL,
    value VARCHAR,
    reason VARCHAR NOT NULL,
    params VARCHAR NOT NULL
);
-- Columns of an upload that match no question: kept, never lost (one row per non-empty cell).
CREATE TABLE IF NOT EXISTS upload_extras (
    upload_id VARCHAR NOT NULL,
    "row" INTEGER NOT NULL,
    respondent_id VARCHAR,
    "column" VARCHAR NOT NULL,
    value VARCHAR NOT NULL
);
-- Column → question mappings saved by analysts, keyed by the shape of a file's header.
CREATE TABLE IF NOT EXISTS saved_mappings (
    shape VARCHAR PRIMARY KEY,
    columns VARCHAR NOT NULL,
    mapping VARCHAR NOT NULL,
    saved_at TIMESTAMP NOT NULL
);
-- The Club's member list (issue 21): one row per member company, its sector, size band and
-- region as the questionnaire's codes; replaced whole by each upload (cx/store/members.py).
CREATE TABLE IF NOT EXISTS members (
    company VARCHAR NOT NULL,
    company_key VARCHAR NOT NULL,
    sector VARCHAR NOT NULL,
    size_band VARCHAR NOT NULL,
    region VARCHAR
);
-- Or the members counted by hand: per sector × size cell, or a margin (a sector's total has
-- no size band, a size band's no sector). Kept only when no member list is.
CREATE TABLE IF NOT EXISTS member_totals (
    sector VARCHAR,
    size_band VARCHAR,
    members INTEGER NOT NULL CHECK (members >= 0)
);
