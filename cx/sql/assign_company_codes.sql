-- New companies (new_companies.sql) get the next anonymous codes (AZ-001, AZ-002, … AZ-1000 …),
-- in the order of that table.
INSERT INTO companies
SELECT company, 'AZ-' || lpad(num, CAST(greatest(3, length(num)) AS INTEGER), '0')
FROM (
    SELECT company,
           CAST(coalesce((SELECT max(CAST(substr(code, 4) AS INTEGER)) FROM companies), 0)
                + rowid - (SELECT min(rowid) FROM new_companies) + 1 AS VARCHAR) AS num
    FROM new_companies
)
