"""The disclosure rule every number over several businesses obeys.

No aggregate over fewer than ``MIN_BUSINESSES`` businesses is shown or exported anywhere, so
that no one member's figures can be read out of it: the programme's indicators, its funder
report and peers like me all hold to it. Pure: the indicators import it without Django.
"""

MIN_BUSINESSES = 5
