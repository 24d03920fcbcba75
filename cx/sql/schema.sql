-- Tables other than `responses` (whose columns come from the questionnaire).
CREATE TABLE IF NOT EXISTS meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS companies (
    company VARCHAR PRIMARY KEY,
    code VARCHAR NOT NULL UNIQUE
);
-- A private code per company: a manager who enters it sees their own company by name.
CREATE TABLE IF NOT EXISTS company_access (
    company VARCHAR PRIMARY KEY,
    access_code VARCHAR NOT NULL UNIQUE
);
