-- Every edit of a question's themes undone: the themes as found.
DELETE FROM theme_edits WHERE question_id = $question_id
