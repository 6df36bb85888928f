"""Pure ranking and assignment over a graph snapshot: no I/O, no Streamlit."""
