"""Project format overrides (settings.FORMAT_MODULE_PATH), one module per UI language.

Only the input formats are overridden: a form renders a date with the first entry of
DATE_INPUT_FORMATS, and `<input type="date">` accepts nothing but ISO `YYYY-MM-DD`. Django's
Chinese formats start with `%Y/%m/%d`, so the Chinese office rendered `2026/12/09`, the
browser showed an empty date and saving the form erased it. ISO comes first in every language
here; the other formats stay accepted as input. Display formats (DATE_FORMAT…) are Django's.
"""
