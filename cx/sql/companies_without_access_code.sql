SELECT company FROM companies
WHERE company NOT IN (SELECT company FROM company_access)
ORDER BY code
