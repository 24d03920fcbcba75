-- The highest anonymous number ever issued, retired codes included (0 before the first): a
-- retired code never names another company, so an old link opens none.
SELECT coalesce(max(TRY_CAST(substr(code, 4) AS BIGINT)), 0)
FROM (SELECT code FROM companies
      UNION ALL
      SELECT code FROM retired_codes WHERE kind = 'company')
