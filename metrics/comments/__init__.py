"""Comments on a month, a KPI or a quarterly review: threads, unread marks, emails, pages.

Other features show threads on their pages (the dashboard, the month form, the review) and
the mentor's overview counts unread comments; nothing here reads those features back.
"""
