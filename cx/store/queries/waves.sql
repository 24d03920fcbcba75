SELECT wave, count(*) AS respondents, count(DISTINCT company) AS companies
FROM responses
GROUP BY wave
ORDER BY wave
