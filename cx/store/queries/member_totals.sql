-- The members typed by sector × size (or margins: the other column NULL).
SELECT sector, size_band, members FROM member_totals ORDER BY sector NULLS LAST, size_band NULLS LAST
