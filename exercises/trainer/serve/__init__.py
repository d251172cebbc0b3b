"""``course serve``: the classroom collection point — the built book, learners' hand-in, the trainer's live view.

Modules, one concern each: ``tables`` (the collection point's tables beside the records), ``codes`` (batch
codes that expire), ``auth`` (trainer password and sessions), ``ratelimit`` (per-address token bucket),
``handin`` (one submission checked and stored), ``texts`` (the page script's Chinese texts), ``qr``
(QR codes), ``security`` (response headers, CSP), ``book`` (the book's files, with the hand-in script
added), ``api``/``trainer`` (request handlers), ``app`` (the tornado application), ``cli`` (command line).
Everything another process needs (codes, password, sessions) is in the database; only the rate limit's
buckets are kept per process.
"""
