"""`covenant lsp`: the language server. `deal` keeps the texts of a deal and what the
front end makes of them, `names` finds what a word refers to and where it is used,
`info` writes hovers, completions, outlines and values, `server` speaks the protocol."""
