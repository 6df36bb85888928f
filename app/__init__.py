"""Everything a person touches: the Streamlit app and the peerlink CLI."""
