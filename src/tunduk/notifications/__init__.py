"""Decisions and requests reach people: an inbox entry and an e-mail in the reader's language.

``notify(recipients, kind, target, **params)`` (in ``services``) is the one way any app
tells people about a decision or a request (000 §21, issue 11 item 12). It stores one
``Notification`` per signed-in recipient, rendered when read in the reader's language, and
queues one e-mail per recipient in that recipient's language (``core.mail``).
"""
