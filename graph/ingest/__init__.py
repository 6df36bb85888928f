"""Documents in, reviewed facts out: reading files, registering documents, applying claims."""
