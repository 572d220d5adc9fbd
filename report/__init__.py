"""The report: run the notebooks into build/ and publish them as a site (`python -m report`, `make report`).

Apart from helpers/, which the notebooks import: run (the command and the run), parameters (found in the
notebooks, checked before any kernel starts), buildfolder (where the runner may write and delete), publish (the
atomic switch to a new report), site (every notebook a page, the chrome, the run record) and templates/.
"""
