from neurogarden.cli import main

main()
