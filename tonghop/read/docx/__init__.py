"""The streaming .docx reader: numbering, styles, labels and blocks in document order."""
