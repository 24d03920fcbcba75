-- Companies that have answers but no anonymous code yet, in the order of their codes: by the
-- MD5 of their name, unrelated to names or arrival. A table sorted once (in parallel), so that
-- each code is its row's position (a window over a million companies ran on one thread).
CREATE OR REPLACE TEMP TABLE new_companies AS
SELECT company
FROM (SELECT DISTINCT company FROM responses
      WHERE company IS NOT NULL AND company NOT IN (SELECT company FROM companies))
ORDER BY md5(company)
