-- Companies that have answers but no anonymous code yet (as Store._spell_names reads names), in
-- no order: their codes are drawn at random (Store._number_companies).
SELECT DISTINCT company AS name
FROM responses
WHERE company IS NOT NULL AND company NOT IN (SELECT company FROM companies)
