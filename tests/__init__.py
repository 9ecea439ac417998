"""Tests of Tsunagu; they mirror the packages."""
