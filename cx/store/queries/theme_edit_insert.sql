-- One edit of a question's themes (a rename or a merge), stamped now.
INSERT INTO theme_edits
VALUES ($question_id, $theme, $action, $target, $label_it, $label_en, now()::TIMESTAMP)
