-- Company names to store as another spelling (company_suspects, see Store.company_renames):
-- the company of the same key already in the database (the first by name, should an older
-- database hold two), else the first name of the key by company_order, as company_display
-- writes it; NULL for a name with nothing to compare (only invisible characters).
CREATE OR REPLACE TEMP TABLE company_renames AS
WITH known AS (
    SELECT company_key AS key, min(company) AS company
    FROM companies
    WHERE company_key IN (SELECT key FROM company_suspects)
    GROUP BY company_key
), firsts AS (
    SELECT s.key, arg_min(s.display, coalesce(o.seen, 0)) AS company
    FROM company_suspects s LEFT JOIN company_order o USING (name)
    WHERE s.key <> ''
    GROUP BY s.key
), chosen AS (
    SELECT s.name,
           CASE WHEN s.key = '' THEN NULL ELSE coalesce(k.company, f.company) END AS company
    FROM company_suspects s
    LEFT JOIN known k ON k.key = s.key
    LEFT JOIN firsts f ON f.key = s.key
)
SELECT name, company FROM chosen WHERE company IS DISTINCT FROM name
