($wave::INTEGER IS NULL OR wave = $wave::INTEGER)
AND (len($sectors::VARCHAR[]) = 0 OR list_contains($sectors::VARCHAR[], sector))
AND (len($size_bands::VARCHAR[]) = 0 OR list_contains($size_bands::VARCHAR[], size_band))
AND (len($regions::VARCHAR[]) = 0 OR list_contains($regions::VARCHAR[], region))
