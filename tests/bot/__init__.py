"""Tests of the IO side: translations, the terminal, scripted runs, packaging, deployment."""
