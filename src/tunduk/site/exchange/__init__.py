"""``make exchange``: central, a gateway per active demo participant and demo backends.

``backend``      demo backends answering each service's OpenAPI operations (no Django)
``prepare``      keys, certificates through the Catalog's services, gateway files, anchor
``supervisor``   starts every process, waits until each answers, stops them all on a signal

``tunduk exchange_prepare`` and ``bin/exchange`` use them; ``docs/exchange.md`` explains.
"""
