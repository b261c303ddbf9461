"""Working days: the Kyrgyz working-day calendar and the deadlines the Rules set.

Other apps should import deadlines from :mod:`tunduk.workdays.deadlines` and calendar
questions from :mod:`tunduk.workdays.calendar`; nothing else here is meant for them.
"""
