SELECT wave, question_id, signature FROM wave_questions ORDER BY question_id, wave
