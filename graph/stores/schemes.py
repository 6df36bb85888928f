"""The URL schemes of the shared (Cypher) stores: a light module, so choosing a store does not
import the server drivers."""

NEO4J_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
CYPHER_SCHEMES = (*NEO4J_SCHEMES, "falkordb")
