"""Many articles into many locales: the ``translate`` command's runner and the batch.

``sequential`` runs the ``translate`` command's jobs; ``batch`` plans, dispatches
(``dispatch``: engine requests batched and concurrent) and records (``journal``) a resumable
editorial run.
"""
