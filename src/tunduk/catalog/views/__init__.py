"""The Tunduk Catalog's pages, one module per audience; every write calls a catalog service.

``public``         the participants and their services, a service page, current notices
``operator``       the Tunduk operator: start page, participants and their status, groups
``trust``          gateways and certificates (the operator decides, participants request)
``participation``  a participant's engineers: subsystems, services, leaving the exchange
``access``         access requests, grants and notices of the participant's services
``_base``          the role mixins and ``FormPageView``, core's service-form view on the form page
"""
