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
-- How each question was asked in each wave (text, type, options), recorded when the wave's
-- answers are first loaded: trends warn when a question changed between waves.
CREATE TABLE IF NOT EXISTS wave_questions (
    wave INTEGER NOT NULL,
    question_id VARCHAR NOT NULL,
    signature VARCHAR NOT NULL,
    PRIMARY KEY (wave, question_id)
);
