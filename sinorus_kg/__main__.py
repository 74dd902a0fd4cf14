from sinorus_kg.cli import main

main()
