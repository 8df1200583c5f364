"""Qt-free core: data types, errors, settings and the describe pipeline."""
