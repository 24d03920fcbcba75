-- Every answer of one company's respondents (all waves): assigned to the nearest persona.
SELECT * FROM responses
WHERE company = $company
ORDER BY wave, respondent_id
