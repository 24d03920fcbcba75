-- Companies (numbered_companies: company, company_key, num) get their anonymous codes (AZ-001,
-- … AZ-1000 …) from the numbers Store._number_companies drew for them: after the last ever
-- issued, in a random order that says nothing about the names.
INSERT INTO companies (company, code, company_key)
SELECT company,
       'AZ-' || lpad(CAST(num AS VARCHAR), CAST(greatest(3, length(CAST(num AS VARCHAR))) AS INTEGER), '0'),
       company_key
FROM numbered_companies
