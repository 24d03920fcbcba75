-- New companies get the next anonymous codes, in an order unrelated to names or arrival.
INSERT INTO companies
SELECT company,
       'AZ-' || lpad(CAST(coalesce((SELECT max(CAST(substr(code, 4) AS INTEGER)) FROM companies), 0)
             + row_number() OVER (ORDER BY md5(company)) AS VARCHAR), 3, '0')
FROM (SELECT DISTINCT company FROM responses
      WHERE company IS NOT NULL AND company NOT IN (SELECT company FROM companies))
