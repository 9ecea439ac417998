"""Babel extractor for the content YAML files: ``label`` and ``note`` values become msgids.

The context of each string is the nearest enclosing ``context:`` key of the file, so a field's
label is looked up with ``pgettext("field", label)``, exactly as the dialog builds it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

import yaml

__all__ = ["extract_content"]

_TRANSLATABLE = ("label", "note")
Extracted = tuple[int, str, tuple[str, str], list[str]]


def extract_content(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[Extracted]:
    """Yield ``(line, "pgettext", (context, text), comments)`` for each translatable value."""
    del keywords, comment_tags, options
    root = yaml.compose(fileobj.read().decode("utf-8"))
    if root is not None:
        yield from _walk(root, None)


def _walk(node: yaml.Node, context: str | None) -> Iterator[Extracted]:
    if isinstance(node, yaml.MappingNode):
        pairs = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
        ctx_node = pairs.get("context")
        if isinstance(ctx_node, yaml.ScalarNode):
            context = str(ctx_node.value)
        for key, value in pairs.items():
            if key in _TRANSLATABLE and isinstance(value, yaml.ScalarNode) and context:
                comment = [f"{context} {pairs['id'].value}"] if "id" in pairs else []
                yield value.start_mark.line + 1, "pgettext", (context, value.value), comment
            else:
                yield from _walk(value, context)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _walk(item, context)
