"""``course serve``: the classroom collection point — the built book, learners' hand-in, the trainer's live view.

Modules, one concern each: ``tables`` (the collection point's tables beside the records), ``codes`` (batch
codes that expire), ``directory`` (who may hand in: codes and roster with 个人码, cached), ``auth`` (trainer
password and sessions), ``ratelimit`` (token buckets per learner and address, login backoff), ``handin``
(one hand-in parsed, checked and read into rows), ``writer`` (hand-ins committed in groups), ``worker`` (the
hand-in process: validates, reads and stores them), ``handin_process`` (that process seen from the event loop),
``texts`` (the page script's Chinese texts), ``qr`` (QR codes), ``security`` (response headers, CSP), ``book``
(the book's files, with the hand-in script added), ``api``/``trainer`` (request handlers), ``context`` (what
the handlers share), ``dashboard`` (the live view's figures), ``app`` (the tornado application). The command
line is ``exercises/commands/serve.py``. Everything another process needs (codes, 个人码, password, sessions) is
in the database; only the limits' buckets are kept per process.
"""
