-- The company a private access code opens; a retired code opens none (never issued again
-- either: this only holds the door should it ever be).
SELECT company FROM company_access
WHERE access_code = $access_code
  AND $access_code NOT IN (SELECT code FROM retired_codes WHERE kind = 'access')
