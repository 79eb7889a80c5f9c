"""Reports the back office produces: the weekly 招商 report (weekly.py computes it, the
render_* modules write it as XLSX or PDF)."""
