SELECT count(*) AS respondents, count(DISTINCT company) AS companies
FROM responses
WHERE /*FILTER*/
