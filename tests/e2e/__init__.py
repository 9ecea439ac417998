"""The real `tsunagu run` process over HTTP, several processes, personal data end to end."""
