"""The dashboard's library: warehouse queries, statistics, formatting, charts, exports.

Everything here except :mod:`dashboard.state` and :mod:`dashboard.ui` is importable
without Streamlit, so scripts and tests can use it directly.
"""
