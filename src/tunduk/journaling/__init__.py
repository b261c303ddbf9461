"""The Registry's journal: every stored change is a leaf of ``tunduk.journal``'s Merkle log.

Leaves are appended on Django's own database connection inside the transaction of the
change, so a change and its leaf are stored together or not at all.
"""
