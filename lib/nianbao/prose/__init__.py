"""Prose analysis for the narrative rules: what the report *says*, located in ``Document.text``.

The narrative rules (``rules/narrative.py``, ``rules/text.py``) compare the prose with the tables
and with the world (places, years). Everything here returns character offsets into the original
``Document.text`` so a finding can quote and highlight its evidence; that is why normalisation is
length-preserving (``textnorm.to_halfwidth``) and why numbers are converted span by span.
"""
