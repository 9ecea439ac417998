"""The kill-cycle soak (``make soak``) and its short version in the test suite."""
