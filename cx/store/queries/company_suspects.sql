-- New company names (company_spellings, see Store.company_renames) that may have to be stored
-- as another spelling: written otherwise than company_display writes them, or sharing their
-- key with another new name or with a company in the database. Most often none: then nothing
-- else is looked at.
CREATE OR REPLACE TEMP TABLE company_suspects AS
SELECT name, key, display
FROM company_spellings
WHERE display IS DISTINCT FROM name
   OR key IN (SELECT key FROM company_spellings GROUP BY key HAVING count(*) > 1)
   OR key IN (SELECT company_key FROM companies WHERE company_key IS NOT NULL)
