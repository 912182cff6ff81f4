"""The providers' write API (filled in with the tokens)."""
