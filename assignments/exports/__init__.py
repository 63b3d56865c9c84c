"""Exports (导出) of customer lists as CSV or XLSX: the columns and how each user sees them
(`rows`), the file formats (`files`), and the stream that ties them to an export record
(`stream`)."""
