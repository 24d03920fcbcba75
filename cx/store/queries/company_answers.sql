-- Every answer of one company's respondents in the filter (a handful of rows).
SELECT * FROM responses
WHERE company = $company AND /*FILTER*/
ORDER BY wave, respondent_id
