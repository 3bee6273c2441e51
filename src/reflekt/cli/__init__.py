"""The `reflekt` command line: one thin module per command (parse -> call core -> render -> exit code)."""
