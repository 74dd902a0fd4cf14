from sinorus_kg.entry import main

main()
