"""The catalogs (gettext .po/.mo), the template and the glossary, shipped as package data."""
