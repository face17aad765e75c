"""The static phase: loading the files, names, types, the clause graph, the checked model."""
