-- Columns of uploads that matched no question and hold text (most values not numbers, several
-- distinct ones), with their answers among the responses kept: free text the themes can read.
SELECT e."column" AS "column", count(*) AS answers
FROM upload_extras e
JOIN responses r ON r.upload_id = e.upload_id AND r.respondent_id = e.respondent_id
GROUP BY e."column"
HAVING count(DISTINCT e.value) >= 2
   AND count(*) FILTER (WHERE TRY_CAST(replace(e.value, ',', '.') AS DOUBLE) IS NULL) * 2 > count(*)
ORDER BY e."column"
