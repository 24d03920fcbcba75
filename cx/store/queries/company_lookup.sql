-- A company by its anonymous code (AZ-001) or its exact name; the code wins a tie.
SELECT company, code FROM companies
WHERE code = $id OR company = $id
ORDER BY (code = $id) DESC
LIMIT 1
