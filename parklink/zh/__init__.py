"""Chinese text functions, pure Python: no Django import here (STYLE.md)."""
