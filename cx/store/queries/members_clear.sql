-- Forget the member mix (list and totals).
DELETE FROM members; DELETE FROM member_totals
