-- One row per company in the filter: its anonymous code, its most frequent sector (a tie
-- goes to the alphabetically first: mode() breaks ties by scan order, which varies between
-- runs), its respondents and the mean of their scores (a company's score = mean over its
-- respondents).
WITH sectors AS (
    SELECT company, arg_min(sector, (-n, sector)) AS top_sector
    FROM (SELECT company, sector, count(*) AS n FROM responses
          WHERE /*FILTER*/ AND sector IS NOT NULL GROUP BY ALL)
    GROUP BY company
)
SELECT r.company, c.code, any_value(s.top_sector) AS sector, count(*) AS n,
       avg(pyramid_needs) AS pyramid_needs,
       avg(pyramid_ease) AS pyramid_ease,
       avg(pyramid_enjoyment) AS pyramid_enjoyment,
       avg(pillar_personalisation) AS pillar_personalisation,
       avg(pillar_integrity) AS pillar_integrity,
       avg(pillar_expectations) AS pillar_expectations,
       avg(pillar_resolution) AS pillar_resolution,
       avg(pillar_time_effort) AS pillar_time_effort,
       avg(pillar_empathy) AS pillar_empathy,
       avg(maturity_index) AS maturity_index,
       avg(kpi_nps) AS kpi_nps,
       avg(kpi_csat) AS kpi_csat,
       avg(kpi_ces) AS kpi_ces,
       avg(kpi_csi) AS kpi_csi
FROM responses r JOIN companies c ON c.company = r.company
     LEFT JOIN sectors s ON s.company = r.company
WHERE /*FILTER*/
GROUP BY r.company, c.code
ORDER BY c.code
