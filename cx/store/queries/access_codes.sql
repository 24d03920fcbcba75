-- For analysts only: the mailing list of private codes.
SELECT c.code, c.company, a.access_code
FROM companies c JOIN company_access a USING (company)
ORDER BY c.code
