"""ETL: report spreadsheets → tidy, validated rows → the DuckDB warehouse.

Importable without Streamlit: the CLI, the upload page and the tests share it.
"""
