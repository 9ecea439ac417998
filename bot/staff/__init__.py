"""The staff side: cases, the staff group, the roster, office hours."""
