"""Reading inbox files: sniffing the format, safe unpacking, and one reader per format."""
