"""Peers like me: where a business's KPI sits among similar businesses of its programmes.

Below the dashboard, which shows it, and beside the programmes, whose consent it obeys: it
reads memberships and figures from the models and knows nothing of pages.
"""
