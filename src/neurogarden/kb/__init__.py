"""The knowledge base: cited, graded records loaded from YAML and validated at load."""
