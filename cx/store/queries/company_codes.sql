SELECT company, code FROM companies ORDER BY code
