"""JSON Schema, the schema language that several formats share: not a format of its own (it has no
``FORMAT``), a package that formats import and name in ``Format.uses`` (OpenAPI today).

=============  =====================================================================
``model``      the normalized schema (:class:`~apidiff.formats.jsonschema.model.Schema`)
``refs``       ``$ref`` resolution: one document and the files it refers to, jailed to its
               folder, no network unless allowed, cycles legal, chains bounded
=============  =====================================================================
"""
