"""Simplified Chinese: ISO first (see parklink/formats/__init__.py), then Django's own."""

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2016-09-05': what <input type="date"> sends and accepts
    "%Y/%m/%d",  # '2016/09/05'
    "%Y年%m月%d日",  # '2016年9月5日'
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",  # '2016-09-05 20:45:29'
    "%Y-%m-%dT%H:%M:%S",  # <input type="datetime-local"> with seconds
    "%Y-%m-%dT%H:%M",  # <input type="datetime-local">
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
]

# Amounts in the back office and on the portal are grouped by thousands (181,126,841 元),
# as Chinese finance and leasing documents print them; Django's zh_Hans groups nothing.
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
