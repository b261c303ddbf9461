"""Date and time formats, one per language (``FORMAT_MODULE_PATH``; issue 11, defect 10).

Every page writes a date as ``DATE_FORMAT`` and a moment as ``DATETIME_FORMAT`` of the
active language, with a 24-hour clock everywhere (no "a.m." whose period doubles at the
end of a sentence). Names not set here fall back to Django's locale formats.
"""
