-- Access codes a new one may not be (without their dash): those in use and those retired.
SELECT replace(access_code, '-', '') AS code FROM company_access
UNION ALL
SELECT replace(code, '-', '') AS code FROM retired_codes WHERE kind = 'access'
