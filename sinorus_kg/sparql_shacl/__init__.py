"""SHACL for large graphs, compiled to SPARQL and run on Oxigraph (``workgraph``).

pySHACL (``validation``) stays the reference and the validator of the document; this one
checks every constraint of a shape in one query over the whole graph instead of once per focus
node, and the tests require the same (focus node, source shape, severity), paths and sentences
as pySHACL on every valid and invalid fixture. Shapes that use SHACL it does not implement are
refused with the shape's name (``shapes.UnsupportedShape``), never silently passed.
"""

from sinorus_kg.sparql_shacl.report import validate_workgraph
from sinorus_kg.sparql_shacl.shapes import UnsupportedShape

__all__ = ["UnsupportedShape", "validate_workgraph"]
