-- The Club's member list, in a stable order.
SELECT company, company_key, sector, size_band, region FROM members ORDER BY company_key
