-- New companies get the next anonymous codes (AZ-001, AZ-002, … AZ-1000 …), in an order
-- unrelated to names or arrival.
INSERT INTO companies
SELECT company, 'AZ-' || lpad(num, CAST(greatest(3, length(num)) AS INTEGER), '0')
FROM (
    SELECT company,
           CAST(coalesce((SELECT max(CAST(substr(code, 4) AS INTEGER)) FROM companies), 0)
                + row_number() OVER (ORDER BY md5(company)) AS VARCHAR) AS num
    FROM (SELECT DISTINCT company FROM responses
          WHERE company IS NOT NULL AND company NOT IN (SELECT company FROM companies))
)
