"""tonghop: consolidates commune reports on AI use into one provincial report."""

__version__ = "0.1.0"
