-- Companies still without a private access code (the codes are random: no order needed).
SELECT company FROM companies
WHERE company NOT IN (SELECT company FROM company_access)
