-- Every anonymous and private access code in use, retired before new ones are issued
-- (Store.reissued_codes): a retired code is never accepted nor issued again.
INSERT INTO retired_codes
SELECT code, 'company', now()::TIMESTAMP FROM companies
UNION ALL
SELECT access_code, 'access', now()::TIMESTAMP FROM company_access
