"""„It's a Match!“: matching rounds that pair members by a score (``solver``)."""
