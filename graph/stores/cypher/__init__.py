"""A shared graph on a Cypher server (Neo4j 5 over Bolt, or FalkorDB): `CypherStore`."""

from graph.stores.cypher.connect import CYPHER_SCHEMES
from graph.stores.cypher.store import CypherStore

__all__ = ["CYPHER_SCHEMES", "CypherStore"]
