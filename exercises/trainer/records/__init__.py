"""The trainer's records of a rotation: batches (期次), rosters, learners' files and answers, in a database.

Modules, one concern each: ``schema`` (tables, migrations, engine), ``identity`` (学号 and name
normalisation), ``roster`` (花名册 CSV/XLSX), ``intake`` (files, folders and zip archives read safely),
``results`` (parsing one results file), ``store`` (imports as transactions, matching, queries),
``scoring`` (comparable scores and analyses), ``workbook`` (Excel), ``compare`` (two batches),
``xlsx`` (the one capped reader of outside spreadsheets), ``answer_sheet`` (paper answer-entry sheets, checked
cell by cell), ``hours`` (学时表 and 签到表), ``rules`` (a batch's units, certificate rules and numbers, paper
results), ``rollup`` (per 单位), ``entry`` (what the entry commands do).
"""
