-- Respondents per (answer, wave, company) of one kept column of the uploads, in the filter:
-- the tally the themes read (analysts only: never the published table).
SELECT trim(e.value) AS answer, r.wave AS wave, r.company AS company, count(*) AS n
FROM upload_extras e
JOIN responses r ON r.upload_id = e.upload_id AND r.respondent_id = e.respondent_id
WHERE e."column" = $column AND /*FILTER*/
GROUP BY ALL
ORDER BY ALL
