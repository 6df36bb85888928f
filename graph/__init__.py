"""peerlink: a knowledge graph of English councils' children's services improvement."""
