SELECT company FROM company_access WHERE access_code = $access_code
