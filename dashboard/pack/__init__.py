"""The meeting pack: one unit and one year as a PDF to hand out and an .xlsx of its tables.

- :mod:`.content` gathers what the pack holds (plain DataFrames, no formatting);
- :mod:`.xlsx` writes the tables as one workbook; :mod:`.pdf` lays them out as HTML with
  the charts (drawn by kaleido) and prints it to A4 in Debian's Chromium (Playwright);
- ``python -m dashboard.pack`` makes both from the command line.

Importing the package registers the pack's strings only (the page title among them); the
modules that need a browser are imported when a pack is made. Nothing here imports
Streamlit.
"""

from dashboard.pack import strings as strings  # registers the pack's strings with i18n
