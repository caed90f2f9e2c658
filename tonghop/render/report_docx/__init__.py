"""The consolidated report (.docx, Nghị định 30/2020): its narrative as plain blocks, its chart, and the
document filled from the Word template."""
