"""Views of the business section, one module per area; each module lists its own URLs."""
