"""The book stage: reading facts, deciding a book per order or column-wise, writing
and committing it."""
