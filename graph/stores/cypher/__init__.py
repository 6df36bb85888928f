"""A shared graph on a Cypher server (Neo4j 5 over Bolt, or FalkorDB): `CypherStore`."""

from graph.stores.cypher.store import CypherStore
from graph.stores.schemes import CYPHER_SCHEMES

__all__ = ["CYPHER_SCHEMES", "CypherStore"]
