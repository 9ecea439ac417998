"""Facts shown to applicants, as data files with their source and verification date."""

from dialogs.content.loader import DEFAULT_DIR, ContentError, load_content
from dialogs.content.model import Confidence, Content

__all__ = ["DEFAULT_DIR", "Confidence", "Content", "ContentError", "load_content"]
