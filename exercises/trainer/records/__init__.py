"""The trainer's records of a rotation: batches (期次), rosters, learners' files and answers, in a database.

Modules, one concern each: ``schema`` (tables, migrations, engine), ``identity`` (学号 and name
normalisation), ``roster`` (花名册 CSV/XLSX), ``intake`` (files, folders and zip archives read safely),
``results`` (parsing one results file), ``store`` (imports as transactions, matching, queries),
``scoring`` (comparable scores and analyses), ``workbook`` (Excel), ``certificates`` (PDF),
``compare`` (two batches), ``answer_sheet`` (paper answer-entry sheets read back), ``cli`` (command line).
"""
