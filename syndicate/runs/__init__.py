"""Many articles into many locales: the ``translate`` command's runner and the batch.

- ``step``: one job, the same in both runners (``TranslateOptions``, ``plan_job``,
  ``translate_job``); ``paths``: what an output is named, which files are translations;
  ``results``: one ``Outcome`` and its JSON.
- ``sequential``: the ``translate`` command's jobs, one after another.
- ``batch``: a resumable editorial run: plans, dispatches (``dispatch``: engine requests
  batched and concurrent) and records (``journal``) its jobs.
- ``plans``: plan files and the articles they name; ``project``: the project's settings
  turned into what runs use, and ``run_batch``.
"""
