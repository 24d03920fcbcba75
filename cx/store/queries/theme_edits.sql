-- The analysts' edits of one question's themes, in the order they were made.
SELECT theme, action, target, label_it, label_en, edited_at
FROM theme_edits
WHERE question_id = $question_id
ORDER BY edited_at, rowid
